"""The worked example's PyTorch model: VisualBERT-style, one transformer over [text tokens; regions].

Text tokens are embedded, regions projected into the same space, both get a segment embedding, and a
small transformer encoder mixes them; the first token's state feeds the task head, and for grounding a
linear score per region picks one. Used when PyTorch is installed (`backend: torch` or `auto`).
"""

import torch
from torch import nn


class Model(nn.Module):
    def __init__(self, vocab, feature, dim, outputs, seed, layers=2, heads=4):
        super().__init__()
        torch.manual_seed(seed)
        self.tokens = nn.Embedding(vocab, dim)
        self.regions = nn.Linear(feature, dim)
        self.segment = nn.Embedding(2, dim)
        layer = nn.TransformerEncoderLayer(dim, heads, 4 * dim, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers)
        self.head = nn.Linear(dim, outputs)
        self.region_score = nn.Linear(dim, 1)

    TRUNK = ("tokens", "regions", "segment", "encoder")

    def forward(self, text, regions):
        t = self.tokens(text) + self.segment.weight[0]
        r = self.regions(regions) + self.segment.weight[1]
        h = self.encoder(torch.cat([t, r], 1), src_key_padding_mask=torch.cat(
            [text == 0, torch.zeros(regions.shape[:2], dtype=torch.bool)], 1))
        return self.head(h[:, 0]), self.region_score(h[:, text.shape[1]:]).squeeze(-1)
