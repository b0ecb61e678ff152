"""The worked example's NumPy model (no PyTorch needed): the question attends over the regions.

q = mean of the sentence's token embeddings; each region r has a key k_r = x_r Wk and a value v_r = x_r Wv;
a = softmax(q . k / sqrt(d)); h = tanh(q + sum_r a_r v_r); a head maps h to words, answers, or (grounding)
the attention scores themselves pick the region. Forward and backward are written out, as in llm.c.
"""

import numpy as np


class Model:
    def __init__(self, vocab, feature, dim, outputs, seed):
        rng = np.random.default_rng(seed)
        s = 1.0 / np.sqrt(dim)
        self.params = {
            "E": rng.normal(scale=s, size=(vocab, dim)),
            "Wk": rng.normal(scale=s, size=(feature, dim)),
            "Wv": rng.normal(scale=s, size=(feature, dim)),
            "H": rng.normal(scale=s, size=(dim, outputs)),
        }
        self.dim = dim

    # The trunk (E, Wk, Wv) is what pre-training hands to fine-tuning; the head is the task's.
    TRUNK = ("E", "Wk", "Wv")

    def forward(self, text, regions):
        p = self.params
        present = (text != 0).astype(np.float64)
        count = present.sum(1, keepdims=True)
        q = (p["E"][text] * present[..., None]).sum(1) / count
        k = regions @ p["Wk"]
        v = regions @ p["Wv"]
        s = np.einsum("nd,nrd->nr", q, k) / np.sqrt(self.dim)
        a = np.exp(s - s.max(1, keepdims=True))
        a /= a.sum(1, keepdims=True)
        h = np.tanh(q + np.einsum("nr,nrd->nd", a, v))
        cache = (text, regions, present, count, q, k, v, a, h)
        return h @ p["H"], s, cache

    def loss(self, text, regions, target, ground=False):
        """Cross-entropy over the head's outputs (or, with `ground`, over the regions) and its gradients."""
        logits, scores, cache = self.forward(text, regions)
        z = scores if ground else logits
        z = z - z.max(1, keepdims=True)
        prob = np.exp(z) / np.exp(z).sum(1, keepdims=True)
        n = len(target)
        loss = -np.log(prob[np.arange(n), target] + 1e-12).mean()
        dz = prob.copy()
        dz[np.arange(n), target] -= 1
        dz /= n
        grads = self.backward(dz, cache, ground)
        return loss, (z.argmax(1) == target).mean(), grads

    def backward(self, dz, cache, ground):
        p = self.params
        text, regions, present, count, q, k, v, a, h = cache
        g = {name: np.zeros_like(w) for name, w in p.items()}
        ds = np.zeros_like(a)
        dq = np.zeros_like(q)
        if ground:
            ds += dz
        else:
            g["H"] = h.T @ dz
            dpre = (dz @ p["H"].T) * (1 - h * h)
            dq += dpre
            dv = a[..., None] * dpre[:, None, :]
            da = np.einsum("nd,nrd->nr", dpre, v)
            ds += a * (da - (a * da).sum(1, keepdims=True))
            g["Wv"] = np.einsum("nrf,nrd->fd", regions, dv)
        dq += np.einsum("nr,nrd->nd", ds, k) / np.sqrt(self.dim)
        dk = ds[..., None] * q[:, None, :] / np.sqrt(self.dim)
        g["Wk"] = np.einsum("nrf,nrd->fd", regions, dk)
        dtok = (dq / count)[:, None, :] * present[..., None]
        np.add.at(g["E"], text, dtok)
        return g

    def step(self, grads, lr):
        for name, grad in grads.items():
            self.params[name] -= lr * grad

    def save(self, path, names=None):
        np.savez(path, **{k: v for k, v in self.params.items() if names is None or k in names})

    def load(self, path, names=None):
        with np.load(path) as saved:
            for name in saved.files:
                if names is None or name in names:
                    self.params[name] = saved[name]
