"""A fine-tuning cell: VQA-style colour questions or grounding, from the pre-trained trunk or from scratch.

`finetune.from_pretrain` decides whether the trunk left by the `pretrain` stage is loaded (its directory is
`ablate.inputs()["pretrain"]`); the report compares the two rows, as the papers' "w/o pre-training" rows do.
"""

import os

import ablate
import backend
from world import COLOURS, FEATURE, REGIONS, VOCAB, World

cfg = ablate.config(default={"pretrain": {"backend": "auto", "dim": 32, "lr": 0.5, "torch_lr": 1e-3,
                                          "world_seed": 0},
                             "finetune": {"task": "vqa", "epochs": 3, "train": 512, "batch": 32, "lr": 0.5,
                                          "torch_lr": 1e-3, "from_pretrain": False}, "seed": 1})
pre, ft = cfg["pretrain"], cfg["finetune"]
name = backend.choose(pre["backend"])
ground = ft["task"] == "grounding"
outputs = REGIONS if ground else len(COLOURS)
trainer = backend.trainer(name, vocab=len(VOCAB), feature=FEATURE, dim=pre["dim"], outputs=outputs,
                          seed=cfg["seed"], lr=ft["torch_lr"] if name == "torch" else ft["lr"])
if ft["from_pretrain"]:
    trunk = os.path.join(ablate.inputs()["pretrain"], "trunk" + trainer.suffix)
    trainer.load(trunk, trunk_only=True)

world = World(pre["world_seed"], scenes=1 + cfg["seed"])  # the task's own images, not the captions'
train = world.questions(ft["train"], ft["task"])
val = world.questions(512, ft["task"])
test = world.questions(512, ft["task"])
rng = backend.seeded(cfg["seed"], "batches")
step = 0
for epoch in range(ft["epochs"]):
    for index in backend.batches(len(train[2]), ft["batch"], rng):
        loss, _ = trainer.step(train[0][index], train[1][index], train[2][index], ground)
        ablate.log(step=step, loss=loss)
        step += 1
    ablate.log(step=step, val_acc=100 * trainer.accuracy(*val, ground))
ablate.log(test_acc=100 * trainer.accuracy(*test, ground))
