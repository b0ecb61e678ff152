"""experiments/visualbert-python.yaml, the worked example, with its NumPy model: the stage hands its trunk to
the fine-tuning cells through the real CLI, and the model's gradients match finite differences."""

import os
import pathlib
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))

import ablate  # noqa: E402
from conftest import REPO, child_env  # noqa: E402

EXAMPLE = REPO / "experiments" / "visualbert-python"
sys.path.insert(0, str(EXAMPLE))

import model_numpy  # noqa: E402
import world  # noqa: E402


@pytest.mark.parametrize("ground", [False, True])
def test_numpy_model_gradients_match_finite_differences(ground):
    w = world.World(3, scenes=1)
    text, regions, target = w.questions(6, "grounding" if ground else "vqa")
    model = model_numpy.Model(len(world.VOCAB), world.FEATURE, 8, len(world.COLOURS), seed=2)
    _, _, grads = model.loss(text, regions, target, ground)
    rng = np.random.default_rng(0)
    for name, param in model.params.items():
        for _ in range(6):
            index = tuple(rng.integers(s) for s in param.shape)
            saved = param[index]
            param[index] = saved + 1e-5
            up = model.loss(text, regions, target, ground)[0]
            param[index] = saved - 1e-5
            down = model.loss(text, regions, target, ground)[0]
            param[index] = saved
            assert grads[name][index] == pytest.approx((up - down) / 2e-5, rel=1e-4, abs=1e-8), name


def test_the_worked_example_runs_stage_then_cells(ablate_bin, tmp_path):
    import subprocess

    store = str(tmp_path / "ablate.db")
    small = ["--set", "pretrain.backend=numpy", "--set", "pretrain.steps=120", "--set", "seeds=[1]",
             "--set", "pretrain.checkpoint_every=40"]
    spec = str(REPO / "experiments" / "visualbert-python.yaml")
    run = subprocess.run([ablate_bin, "run", spec, "--store", store, "--jobs", "2", *small], env=child_env(),
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    rows = ablate.read_rows(store, experiment="visualbert-python")
    assert len(rows) == 4 and {r["status"] for r in rows} == {"done"}
    stages = pathlib.Path(store).parent / "stages"
    produced = [d for d in stages.iterdir() if d.is_dir() and not d.name.endswith(".checkpoint")]
    assert len(produced) == 1  # one seed: one pre-training for all four cells
    assert (produced[0] / "trunk.npz").is_file() and (produced[0] / "backend.txt").read_text() == "numpy"
    masked = [float(l.split('"masked_acc_val": ')[1].rstrip("}\n"))
              for l in (produced[0] / "metrics.jsonl").read_text().splitlines() if "masked_acc_val" in l]
    assert masked and masked[0] > 0.3  # chance over the two masked slots' words is below 0.2
    by = {(r["variant"], r["grid_point"]["finetune.task"]): r["metrics"]["test_acc"] for r in rows}
    assert all(0 <= v <= 100 for v in by.values())
    status = subprocess.run([ablate_bin, "status", spec, "--store", store, *small], capture_output=True,
                            text=True)
    assert "stage pretrain: 1 of 1 produced" in status.stdout
