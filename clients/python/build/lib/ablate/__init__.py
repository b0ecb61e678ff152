"""The `ablate` trainer protocol for Python code.

Inside `ablate run`, a trainer reads its cell's resolved config and logs metrics::

    import ablate
    cfg = ablate.config()
    for step in range(cfg["epochs"]):
        ablate.log(step=step, loss=train_one_epoch(cfg["lr"]))

Run by hand (no `ablate run` around it), the same script still runs: `config()` returns its
`default`, `log()` does nothing, and the directories are local folders.
"""

from ._protocol import (
    attempt,
    cell_id,
    checkpoint_dir,
    config,
    in_run,
    inputs,
    log,
    output_dir,
)
from .store import read_dataframe, read_rows
from .tensorboard import SummaryWriter, bridge_tensorboard

__all__ = [
    "attempt",
    "bridge_tensorboard",
    "cell_id",
    "checkpoint_dir",
    "config",
    "in_run",
    "inputs",
    "log",
    "output_dir",
    "read_dataframe",
    "read_rows",
    "SummaryWriter",
]
