#!/usr/bin/env python3
"""TEST FIXTURE, not a trainer: writes metrics shaped like the `vlbert` built-in's contract (issue 5) from the
cell's config, so reports can be exercised before the real trainer exists. Numbers are a made-up function of the
config plus seed noise; nothing here is learned."""
import json, os, random, struct

config = json.load(open(os.environ["ABLATE_CONFIG"]))
pre = config.get("pretrain", {})
seed = config.get("seed", 0)
rng = random.Random(seed * 7919 + hash(json.dumps(config, sort_keys=True)) % 1000)
score = 60.0
if pre.get("enabled", True):
    score += 2.0 * pre.get("mlm_visual_clues", True) + 0.5 * pre.get("mrc_linguistic_clues", True)
    score += 0.6 * pre.get("text_only_corpus", True) + 0.3 * pre.get("tune_extractor", True)
    score -= 0.8 * pre.get("sentence_image_relation", False)
score += {"large": 1.5}.get(config.get("model", {}).get("size"), 0.0)

out = open(os.environ["ABLATE_METRICS"], "a")
def emit(**fields):
    out.write(json.dumps(fields) + "\n")

for stage in ["pretrain", "vcr", "vqa", "refcoco"]:
    for step in range(0, 50, 5):
        emit(step=step, **{f"{stage}/loss": 3.0 * 0.93 ** step + 100.0 / score - 1.0 + rng.gauss(0, 0.03)})
finals = {}
for name, offset in [("vcr/q2a", 0), ("vcr/qa2r", 1), ("vcr/q2ar", -15), ("vqa", -3), ("refcoco/gt", 5), ("refcoco/det", -1)]:
    splits = ["val", "test"] if not name.startswith("refcoco") else ["val", "testA", "testB"]
    for split in splits:
        key = f"{name}/{split}" if "/" in name else f"{name}/{split}"
        key = key.replace("/val", "_val").replace("/test", "_test") if name.startswith("vcr") else key
        key = key.replace("refcoco/gt/", "refcoco/gt_").replace("refcoco/det/", "refcoco/det_")
        finals[key] = score + offset + rng.gauss(0, 0.4)
finals["pretrain/mlm_acc_val"] = score - 10 + rng.gauss(0, 0.3)
finals["pretrain/mlm_acc_blank_val"] = score - 20 + rng.gauss(0, 0.3)
emit(**finals)
out.close()

# Attention for one sample: [layers, heads, L, L] float32 .npy plus its tokens.
tokens = ["[CLS]", "a", "red", "cube", "left", "of", "sphere", "[SEP]", "[IMG]", "r1", "r2", "r3", "r4", "r5", "[END]"]
kinds = ["special"] + ["text"] * 6 + ["special", "special"] + ["visual"] * 5 + ["special"]
layers, heads, n = 2, 2, len(tokens)
folder = os.path.join(os.environ["ABLATE_OUTPUT_DIR"], "attention")
os.makedirs(folder, exist_ok=True)
values = []
for _ in range(layers * heads):
    for i in range(n):
        row = [rng.random() for _ in range(n)]
        total = sum(row)
        values += [v / total for v in row]
header = "{'descr': '<f4', 'fortran_order': False, 'shape': (%d, %d, %d, %d), }" % (layers, heads, n, n)
header += " " * (63 - (10 + len(header)) % 64) + "\n"
with open(os.path.join(folder, "sample0.npy"), "wb") as f:
    f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode())
    f.write(struct.pack("<%df" % len(values), *values))
json.dump({"tokens": tokens, "kinds": kinds, "layers": layers, "heads": heads}, open(os.path.join(folder, "sample0.json"), "w"))
