"""TensorBoard's `add_scalar` as ablate metrics, so code that logs to TensorBoard logs to ablate unchanged.

`bridge_tensorboard()` wraps `add_scalar` and `add_scalars` of the `SummaryWriter` classes of
`torch.utils.tensorboard` and `tensorboardX` (whichever are installed): each call still writes its event
file and also appends an ablate metrics line. `python -m ablate SCRIPT ARGS...` bridges and then runs the
script as `__main__`, for code that should not be edited at all. Where neither library is installed,
`ablate.SummaryWriter` stands in with the same methods and logs to ablate only.
"""

import functools
import importlib

from ._protocol import log

_WRITER_MODULES = ("torch.utils.tensorboard", "torch.utils.tensorboard.writer", "tensorboardX")
_BRIDGED = "__ablate_bridged__"


def _scalar(tag, value, global_step):
    log(step=global_step, **{str(tag): value})


def _wrap(cls):
    if getattr(cls, _BRIDGED, False):
        return False
    original_scalar = cls.add_scalar

    @functools.wraps(original_scalar)
    def add_scalar(self, tag, scalar_value, global_step=None, *args, **kwargs):
        result = original_scalar(self, tag, scalar_value, global_step, *args, **kwargs)
        _scalar(tag, scalar_value, global_step)
        return result

    cls.add_scalar = add_scalar
    original_scalars = getattr(cls, "add_scalars", None)
    if original_scalars is not None:

        @functools.wraps(original_scalars)
        def add_scalars(self, main_tag, tag_scalar_dict, global_step=None, *args, **kwargs):
            result = original_scalars(self, main_tag, tag_scalar_dict, global_step, *args, **kwargs)
            for tag, value in tag_scalar_dict.items():
                _scalar(f"{main_tag}/{tag}", value, global_step)
            return result

        cls.add_scalars = add_scalars
    setattr(cls, _BRIDGED, True)
    return True


def bridge_tensorboard():
    """Makes every installed TensorBoard `SummaryWriter` also log its scalars to ablate.

    Returns the names of the modules whose writer was bridged (empty when none is installed).
    Idempotent: bridging twice logs each scalar once.
    """
    bridged = []
    for name in _WRITER_MODULES:
        try:
            module = importlib.import_module(name)
        except Exception:  # not installed, or broken: nothing to bridge there
            continue
        cls = getattr(module, "SummaryWriter", None)
        if cls is not None:
            _wrap(cls)
            bridged.append(name)
    return bridged


class SummaryWriter:
    """A stand-in for TensorBoard's `SummaryWriter` that logs scalars to ablate and writes no event file."""

    def __init__(self, log_dir=None, *args, **kwargs):
        self.log_dir = log_dir

    def add_scalar(self, tag, scalar_value, global_step=None, *args, **kwargs):
        _scalar(tag, scalar_value, global_step)

    def add_scalars(self, main_tag, tag_scalar_dict, global_step=None, *args, **kwargs):
        for tag, value in tag_scalar_dict.items():
            _scalar(f"{main_tag}/{tag}", value, global_step)

    def flush(self):
        pass

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False
