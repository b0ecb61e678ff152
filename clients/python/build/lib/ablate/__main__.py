"""`python -m ablate SCRIPT [ARGS...]`: bridge TensorBoard's writers to ablate, then run SCRIPT as __main__.

For training code that logs to TensorBoard and should not be edited, e.g. in a spec:
`trainer: {command: [python, -m, ablate, train_end2end.py, --cfg, "{config_yaml}"]}`.
"""

import os
import runpy
import sys

from .tensorboard import bridge_tensorboard


def main():
    if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help"):
        print("usage: python -m ablate SCRIPT [ARGS...]", file=sys.stderr)
        return 2
    script = sys.argv[1]
    if not os.path.isfile(script):
        print(f"python -m ablate: no such script '{script}'", file=sys.stderr)
        return 2
    bridge_tensorboard()
    sys.argv = sys.argv[1:]
    sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
    runpy.run_path(script, run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main())
