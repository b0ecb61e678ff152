"""A small synthetic visual-linguistic task for the worked example: scenes of regions, captions that
name one of them, VQA-style colour questions and referring expressions.

Each region has a category and a colour; its feature vector mixes a category and a colour direction
with noise, so the words can only be decided by looking at the regions.
"""

import numpy as np

CATEGORIES = ["cube", "ball", "cone", "ring", "star", "disk"]
COLOURS = ["red", "green", "blue", "yellow", "white"]
VOCAB = ["[PAD]", "[MASK]", "a", "what", "colour", "is", "the"] + CATEGORIES + COLOURS
TOKEN = {w: i for i, w in enumerate(VOCAB)}
REGIONS, FEATURE = 4, 16
TEXT = 4  # tokens per sentence


class World:
    def __init__(self, seed, scenes=0):
        """`seed` fixes what categories and colours look like; `scenes` draws a set of images of them
        (pre-training captions and each fine-tuning set draw their own)."""
        looks = np.random.default_rng(seed)
        self.category_dirs = looks.normal(size=(len(CATEGORIES), FEATURE))
        self.colour_dirs = looks.normal(size=(len(COLOURS), FEATURE))
        self.rng = np.random.default_rng([seed, scenes])

    def scenes(self, n):
        """Region categories and colours (n x REGIONS each) and their features (n x REGIONS x FEATURE)."""
        cats = self.rng.integers(len(CATEGORIES), size=(n, REGIONS))
        cols = self.rng.integers(len(COLOURS), size=(n, REGIONS))
        feats = self.category_dirs[cats] + self.colour_dirs[cols] + 0.5 * self.rng.normal(size=(n, REGIONS, FEATURE))
        return cats, cols, feats.astype(np.float32)

    def captions(self, n):
        """Pre-training: 'a COLOUR CATEGORY' for a random region, one word masked; targets are the words."""
        cats, cols, feats = self.scenes(n)
        pick = self.rng.integers(REGIONS, size=n)
        text = np.zeros((n, TEXT), dtype=np.int64)
        text[:, 0] = TOKEN["a"]
        text[:, 1] = [TOKEN[COLOURS[c]] for c in cols[np.arange(n), pick]]
        text[:, 2] = [TOKEN[CATEGORIES[c]] for c in cats[np.arange(n), pick]]
        masked = 1 + self.rng.integers(2, size=n)
        target = text[np.arange(n), masked].copy()
        text[np.arange(n), masked] = TOKEN["[MASK]"]
        return text, feats, target

    def questions(self, n, task):
        """Fine-tuning: 'vqa' asks the colour of a category (answer: a colour); 'grounding' names a colour
        and category (answer: the region index). Scenes keep the named category unique."""
        cats, cols, feats = self.scenes(n)
        pick = self.rng.integers(REGIONS, size=n)
        for i in range(n):  # make the named region's category unique in its scene
            others = [r for r in range(REGIONS) if r != pick[i]]
            while cats[i, pick[i]] in cats[i, others]:
                cats[i, pick[i]] = self.rng.integers(len(CATEGORIES))
        feats = (self.category_dirs[cats] + self.colour_dirs[cols]
                 + 0.5 * self.rng.normal(size=feats.shape)).astype(np.float32)
        text = np.zeros((n, TEXT), dtype=np.int64)
        if task == "vqa":
            text[:, 0], text[:, 1], text[:, 2] = TOKEN["what"], TOKEN["colour"], TOKEN["is"]
            text[:, 3] = [TOKEN[CATEGORIES[c]] for c in cats[np.arange(n), pick]]
            answer = cols[np.arange(n), pick]
        else:
            text[:, 0] = TOKEN["the"]
            text[:, 1] = [TOKEN[COLOURS[c]] for c in cols[np.arange(n), pick]]
            text[:, 2] = [TOKEN[CATEGORIES[c]] for c in cats[np.arange(n), pick]]
            answer = pick
        return text, feats, answer.astype(np.int64)
