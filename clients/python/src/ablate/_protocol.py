"""Both sides of the protocol that `ablate run` speaks with a trainer, through environment variables.

The names here are the ones the runner sets (README, "The external-command trainer protocol").
"""

import json
import numbers
import os
import threading

CONFIG = "ABLATE_CONFIG"
METRICS = "ABLATE_METRICS"
OUTPUT_DIR = "ABLATE_OUTPUT_DIR"
CHECKPOINT_DIR = "ABLATE_CHECKPOINT_DIR"
INPUTS = "ABLATE_INPUTS"
CELL_ID = "ABLATE_CELL_ID"
ATTEMPT = "ABLATE_ATTEMPT"

# Where a script run by hand keeps its files: beside it, never somewhere surprising.
LOCAL_ROOT = ".ablate-local"

_lock = threading.Lock()


def in_run():
    """True inside `ablate run` (the runner set the protocol's variables)."""
    return METRICS in os.environ and CONFIG in os.environ


def config(default=None):
    """The cell's resolved config (a dict; it includes "seed"), or `default` (or {}) outside a run."""
    path = os.environ.get(CONFIG)
    if not path:
        return dict(default or {})
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def cell_id():
    """The cell's id (a sha256 hex), or None outside a run."""
    return os.environ.get(CELL_ID)


def attempt():
    """This attempt's number (1 for the first), or 0 outside a run."""
    return int(os.environ.get(ATTEMPT, "0"))


def _local(name):
    path = os.path.abspath(os.path.join(LOCAL_ROOT, name))
    os.makedirs(path, exist_ok=True)
    return path


def output_dir():
    """This attempt's output directory: files left here are recorded as the cell's artifacts."""
    return os.environ.get(OUTPUT_DIR) or _local("output")


def checkpoint_dir():
    """A directory of this cell's that survives its attempts (timeouts, retries, preemption),
    so a trainer's own resume-from-checkpoint finds what the last attempt saved."""
    path = os.environ.get(CHECKPOINT_DIR)
    if not path:
        return _local("checkpoints")
    os.makedirs(path, exist_ok=True)
    return path


def inputs():
    """The output directories of the stages this cell needs, by stage name ({} when none)."""
    text = os.environ.get(INPUTS)
    return json.loads(text) if text else {}


def _number(name, value):
    # numpy scalars, 0-d tensors and Python numbers alike; anything else is the caller's bug.
    if hasattr(value, "item") and callable(value.item):
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"ablate.log: metric '{name}' must be a real number, not {type(value).__name__}")
    return float(value)


def log(step=None, **metrics):
    """Appends one metrics line, e.g. `ablate.log(step=10, loss=0.31, acc=0.8)`.

    Each line becomes a point of each metric's curve; the last value is the metric's final value.
    NaN or infinite values mark the cell diverged. A no-op outside a run.
    """
    path = os.environ.get(METRICS)
    if not path or not metrics:
        return
    line = {}
    if step is not None:
        if hasattr(step, "item") and callable(step.item):
            step = step.item()
        if isinstance(step, bool) or not isinstance(step, numbers.Integral):
            raise TypeError(f"ablate.log: step must be an integer, not {type(step).__name__}")
        line["step"] = int(step)
    for name, value in metrics.items():
        line[name] = _number(name, value)
    # Python's json writes NaN and Infinity bare; the runner reads them as such.
    data = (json.dumps(line, allow_nan=True) + "\n").encode("utf-8")
    with _lock:
        # One write of a whole line with O_APPEND: lines from threads or processes never interleave.
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
