"""The Python client against the real `ablate` CLI: config, log, directories, TensorBoard bridge, reader."""

import json
import math
import os
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))

import ablate  # noqa: E402
from conftest import PYTHON, child_env  # noqa: E402

TRAIN = """
import ablate
cfg = ablate.config()
for step in range(cfg["steps"]):
    ablate.log(step=step, loss=1.0 / (1.0 + cfg["lr"] * (step + 1)))
ablate.log(val_acc=cfg["lr"] / 2)
with open(ablate.output_dir() + "/model.txt", "w") as f:
    f.write("weights")
"""


def spec(trainer, baseline, extra=""):
    return (f"name: client\ntrainer: {{command: {json.dumps(trainer)}}}\n"
            f"baseline: {json.dumps(baseline)}\n{extra}")


def test_a_script_runs_by_hand_as_a_no_op_logger(tmp_path):
    script = tmp_path / "by_hand.py"
    script.write_text(
        "import ablate, json, os\n"
        "cfg = ablate.config(default={'lr': 0.1})\n"
        "ablate.log(step=1, loss=0.5)\n"
        "print(json.dumps([cfg, ablate.in_run(), ablate.cell_id(), ablate.attempt(), ablate.inputs(),\n"
        "                  os.path.isdir(ablate.output_dir()), os.path.isdir(ablate.checkpoint_dir())]))\n")
    out = subprocess.run([PYTHON, str(script)], cwd=tmp_path, env=child_env(), capture_output=True,
                         text=True, check=True).stdout
    assert json.loads(out) == [{"lr": 0.1}, False, None, 0, {}, True, True]
    assert (tmp_path / ".ablate-local" / "output").is_dir()


def test_log_writes_one_json_line_per_call_and_rejects_non_numbers(tmp_path, monkeypatch):
    metrics = tmp_path / "metrics.jsonl"
    monkeypatch.setenv("ABLATE_METRICS", str(metrics))
    ablate.log(step=3, loss=0.25, acc=1)
    ablate.log(loss=float("nan"))
    ablate.log()  # nothing to log: no line
    with pytest.raises(TypeError, match="metric 'loss' must be a real number"):
        ablate.log(step=4, loss="low")
    with pytest.raises(TypeError, match="step must be an integer"):
        ablate.log(step=1.5, loss=0.1)
    with pytest.raises(TypeError):
        ablate.log(flag=True)
    lines = metrics.read_text().splitlines()
    assert json.loads(lines[0]) == {"step": 3, "loss": 0.25, "acc": 1.0}
    assert lines[1] == '{"loss": NaN}'  # as the runner reads it: the cell is diverged
    assert len(lines) == 2


def test_config_metrics_artifacts_and_provenance_through_the_cli(project):
    project.write("train.py", TRAIN)
    project.write("spec.yaml", spec([PYTHON, "train.py"], {"lr": 0.5, "steps": 3},
                                    "variants:\n  - {name: fast, set: {lr: 1.0}}\nseeds: [1, 2]\n"))
    commit = project.commit()
    run = project.ablate("run", "spec.yaml")
    assert run.returncode == 0, run.stderr

    rows = ablate.read_rows(project.store)
    assert len(rows) == 4
    assert {r["status"] for r in rows} == {"done"}
    assert sorted((r["variant"], r["seed"]) for r in rows) == [
        ("baseline", 1), ("baseline", 2), ("fast", 1), ("fast", 2)]
    for r in rows:
        lr = r["config"]["lr"]
        assert r["config"]["seed"] == r["seed"]
        assert r["metrics"]["loss"] == pytest.approx(1.0 / (1.0 + lr * 3))
        assert r["metrics"]["val_acc"] == pytest.approx(lr / 2)
        assert r["commit"] == commit and r["dirty"] is False
        assert r["attempt"] == 1 and r["ended_at"] >= r["started_at"] > 0
        assert os.path.isfile(os.path.join(r["output_dir"], "model.txt"))
    assert len(ablate.read_rows(project.store, status="failed")) == 0

    show = project.ablate("show", rows[0]["id"][:12])
    assert show.returncode == 0 and "model.txt" in show.stdout


def test_a_nan_from_the_client_marks_the_cell_diverged(project):
    project.write("train.py", "import ablate\nablate.log(step=1, loss=float('inf'))\n")
    project.write("spec.yaml", spec([PYTHON, "train.py"], {"lr": 0.5}))
    project.commit()
    run = project.ablate("run", "spec.yaml")
    assert run.returncode == 1
    [row] = ablate.read_rows(project.store)
    assert row["status"] == "diverged" and "loss" in row["error_text"]
    assert math.isinf(row["metrics"]["loss"])


def test_checkpoint_dir_survives_a_timeout_and_the_next_attempt_resumes(project):
    # 12 steps of 0.4 s each is 4.8 s, past the 4 s timeout: attempt 1 is killed mid-way; attempt 2
    # (a retry) resumes from the step attempt 1 saved and finishes.
    project.write("train.py", """
import ablate, os, time
path = os.path.join(ablate.checkpoint_dir(), "step.txt")
start = int(open(path).read()) if os.path.exists(path) else 0
ablate.log(resumed_from=start)
for step in range(start, 12):
    time.sleep(0.4)
    ablate.log(step=step, loss=1.0 / (step + 1))
    with open(path + ".tmp", "w") as f:
        f.write(str(step + 1))
    os.replace(path + ".tmp", path)  # atomic: a kill never leaves half a checkpoint
""")
    project.write("spec.yaml", spec([PYTHON, "train.py"], {"lr": 0.5}, "run: {timeout: 4s, retries: 1}\n"))
    project.commit()
    run = project.ablate("run", "spec.yaml")
    assert run.returncode == 0, run.stderr
    [row] = ablate.read_rows(project.store)
    assert row["status"] == "done" and row["attempt"] == 2
    resumed = row["metrics"]["resumed_from"]
    assert 1 <= resumed < 12
    assert row["metrics"]["loss"] == pytest.approx(1.0 / 12)


def test_the_stand_in_summary_writer_logs_scalars(tmp_path, monkeypatch):
    metrics = tmp_path / "metrics.jsonl"
    monkeypatch.setenv("ABLATE_METRICS", str(metrics))
    with ablate.SummaryWriter("runs/x") as writer:
        writer.add_scalar("train/loss", 0.5, 10)
        writer.add_scalars("val", {"acc": 0.75, "loss": 0.25}, 10)
    assert [json.loads(l) for l in metrics.read_text().splitlines()] == [
        {"step": 10, "train/loss": 0.5}, {"step": 10, "val/acc": 0.75}, {"step": 10, "val/loss": 0.25}]


def test_python_m_ablate_bridges_tensorboardx_with_no_change_to_the_script(project):
    pytest.importorskip("tensorboardX", reason="pip install tensorboardX (CI installs it)")
    project.write("train_tb.py", """
import json, os, sys
from tensorboardX import SummaryWriter
cfg = json.load(open(os.environ["ABLATE_CONFIG"])) if "ABLATE_CONFIG" in os.environ else {"lr": 0.1}
writer = SummaryWriter(sys.argv[1])
for step in range(4):
    writer.add_scalar("Train-Loss", 1.0 / (1 + cfg["lr"] * step), step)
writer.add_scalars("val", {"acc": 0.5 + step / 10}, step)
writer.close()
""")
    project.write("spec.yaml", spec([PYTHON, "-m", "ablate", "train_tb.py", "tb"], {"lr": 1.0}))
    project.commit()
    run = project.ablate("run", "spec.yaml")
    assert run.returncode == 0, run.stderr
    [row] = ablate.read_rows(project.store)
    assert row["metrics"]["Train-Loss"] == pytest.approx(0.25)
    assert row["metrics"]["val/acc"] == pytest.approx(0.8)
    events = [f for f in os.listdir(project.root / "tb") if f.startswith("events.out.tfevents")]
    assert events, "the TensorBoard event file is still written"


def test_the_dataframe_reader_groups_by_code_revision(project):
    pandas = pytest.importorskip("pandas", reason="pip install pandas (CI installs it)")
    project.write("train.py", TRAIN)
    project.write("spec.yaml", spec([PYTHON, "train.py"], {"lr": 0.5, "steps": 2},
                                    "grid: {steps: [1, 2]}\nseeds: [1, 2]\n"))
    first = project.commit()
    assert project.ablate("run", "spec.yaml").returncode == 0
    project.write("train.py", TRAIN.replace("1.0 /", "2.0 /"))
    second = project.commit()
    assert project.ablate("run", "spec.yaml").returncode == 0

    frame = ablate.read_dataframe(project.store)
    assert isinstance(frame, pandas.DataFrame) and len(frame) == 8
    assert {"grid.steps", "metrics.loss", "commit", "dirty", "diff_sha256", "host"} <= set(frame.columns)
    means = frame.groupby("commit")["metrics.loss"].mean()
    assert set(means.index) == {first, second}
    assert means[second] == pytest.approx(2 * means[first])
