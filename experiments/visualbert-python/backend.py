"""One training interface over the two models, so pretrain.py and finetune.py read the same either way."""

import os

import numpy as np

import model_numpy


def torch_available():
    try:
        import torch  # noqa: F401
        return True
    except ImportError:
        return False


def choose(name):
    if name == "auto":
        return "torch" if torch_available() else "numpy"
    if name not in ("numpy", "torch"):
        raise SystemExit(f"backend must be auto, numpy or torch, not {name!r}")
    return name


class NumpyTrainer:
    suffix = ".npz"

    def __init__(self, vocab, feature, dim, outputs, seed, lr):
        self.model = model_numpy.Model(vocab, feature, dim, outputs, seed)
        self.lr = lr

    def step(self, text, regions, target, ground=False):
        loss, acc, grads = self.model.loss(text, regions, target, ground)
        self.model.step(grads, self.lr)
        return float(loss), float(acc)

    def accuracy(self, text, regions, target, ground=False):
        return float(self.model.loss(text, regions, target, ground)[1])

    def save(self, path, trunk_only=False):
        self.model.save(path, model_numpy.Model.TRUNK if trunk_only else None)

    def load(self, path, trunk_only=False):
        self.model.load(path, model_numpy.Model.TRUNK if trunk_only else None)


class TorchTrainer:
    suffix = ".pt"

    def __init__(self, vocab, feature, dim, outputs, seed, lr):
        import torch
        import model_torch
        self.torch = torch
        self.model = model_torch.Model(vocab, feature, dim, outputs, seed)
        self.optimizer = torch.optim.AdamW(self.model.parameters(), lr=lr)

    def _logits(self, text, regions, ground):
        words, region_scores = self.model(self.torch.from_numpy(text), self.torch.from_numpy(regions))
        return region_scores if ground else words

    def step(self, text, regions, target, ground=False):
        self.model.train()
        logits = self._logits(text, regions, ground)
        target = self.torch.from_numpy(target)
        loss = self.torch.nn.functional.cross_entropy(logits, target)
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()
        return float(loss), float((logits.argmax(1) == target).float().mean())

    def accuracy(self, text, regions, target, ground=False):
        self.model.eval()
        with self.torch.no_grad():
            logits = self._logits(text, regions, ground)
        return float((logits.argmax(1) == self.torch.from_numpy(target)).float().mean())

    def save(self, path, trunk_only=False):
        state = self.model.state_dict()
        if trunk_only:
            state = {k: v for k, v in state.items() if k.split(".")[0] in self.model.TRUNK}
        self.torch.save(state, path)

    def load(self, path, trunk_only=False):
        self.model.load_state_dict(self.torch.load(path), strict=not trunk_only)


def trainer(name, **kwargs):
    return (TorchTrainer if choose(name) == "torch" else NumpyTrainer)(**kwargs)


def save_atomically(trainer_, path, **kwargs):
    """A checkpoint is written to a temp file and renamed: a kill never leaves half of one."""
    temp = path + ".tmp" + trainer_.suffix
    trainer_.save(temp, **kwargs)
    os.replace(temp, path)


def batches(n, size, rng):
    order = rng.permutation(n)
    for start in range(0, n, size):
        yield order[start:start + size]


def seeded(seed, label):
    """A generator for one named use of the seed (the world, the model, the batches), independent of the others."""
    return np.random.default_rng([seed, sum(ord(c) * 31 ** i for i, c in enumerate(label)) % (2**31)])
