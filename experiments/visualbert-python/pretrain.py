"""Stage `pretrain`: masked-word pre-training on captions (the example's Conceptual Captions).

Reads its config (the cell config's `pretrain` subtree, plus the seed) through the ablate client, resumes
from its checkpoint directory, logs loss and masked-word accuracy, and leaves the trunk's weights in its
output directory for the fine-tuning cells (they find it in `ablate.inputs()["pretrain"]`).
"""

import json
import os

import ablate
import backend
from world import FEATURE, VOCAB, World

cfg = ablate.config(default={"backend": "auto", "steps": 200, "batch": 64, "dim": 32, "lr": 0.5,
                             "torch_lr": 1e-3, "checkpoint_every": 50, "world_seed": 0, "seed": 1})
name = backend.choose(cfg["backend"])
trainer = backend.trainer(name, vocab=len(VOCAB), feature=FEATURE, dim=cfg["dim"], outputs=len(VOCAB),
                          seed=cfg["seed"], lr=cfg["torch_lr"] if name == "torch" else cfg["lr"])
world = World(cfg["world_seed"], scenes=1000 + cfg["seed"])
state_path = os.path.join(ablate.checkpoint_dir(), "state.json")
weights_path = os.path.join(ablate.checkpoint_dir(), "weights" + trainer.suffix)
start = 0
if os.path.exists(state_path):  # a retried or preempted attempt picks up where the last one saved
    start = json.load(open(state_path))["step"]
    trainer.load(weights_path)
ablate.log(resumed_from=start)

held_out = world.captions(512)
for step in range(start, cfg["steps"]):
    text, regions, target = world.captions(cfg["batch"])
    loss, acc = trainer.step(text, regions, target)
    ablate.log(step=step, loss=loss, masked_acc=acc)
    if (step + 1) % cfg["checkpoint_every"] == 0:
        backend.save_atomically(trainer, weights_path)
        with open(state_path + ".tmp", "w") as f:
            json.dump({"step": step + 1}, f)
        os.replace(state_path + ".tmp", state_path)
ablate.log(step=cfg["steps"], masked_acc_val=trainer.accuracy(*held_out))
trainer.save(os.path.join(ablate.output_dir(), "trunk" + trainer.suffix), trunk_only=True)
with open(os.path.join(ablate.output_dir(), "backend.txt"), "w") as f:
    f.write(name)
