"""Fixtures: the real `ablate` binary and a scratch git repository to run specs in."""

import os
import pathlib
import subprocess
import sys

import pytest

CLIENT_SRC = pathlib.Path(__file__).resolve().parents[1] / "src"
REPO = pathlib.Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def ablate_bin():
    path = pathlib.Path(os.environ.get("ABLATE_BIN", REPO / ".build" / "release" / "ablate"))
    if not path.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"ablate binary not found at {path} (set ABLATE_BIN)")
        pytest.skip(f"ablate binary not found at {path}: build it or set ABLATE_BIN")
    return str(path)


def child_env(**extra):
    """The environment a trainer gets: this client's source first on the path, no stray protocol variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ABLATE_")}
    env["PYTHONPATH"] = str(CLIENT_SRC) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra)
    return env


class Project:
    """A git repository with a spec and its trainer, run through the real CLI."""

    def __init__(self, root, ablate_bin):
        self.root = root
        self.ablate_bin = ablate_bin
        self.store = str(root / "store" / "ablate.db")
        subprocess.run(["git", "init", "-q", str(root)], check=True)
        (root / ".gitignore").write_text("store/\n.ablate-local/\n")

    def write(self, name, text):
        (self.root / name).write_text(text)

    def commit(self):
        git = ["git", "-C", str(self.root), "-c", "user.name=t", "-c", "user.email=t@t"]
        subprocess.run(git + ["add", "-A"], check=True)
        subprocess.run(git + ["commit", "-qm", "trainer"], check=True)
        return subprocess.run(git + ["rev-parse", "HEAD"], check=True, capture_output=True,
                              text=True).stdout.strip()

    def ablate(self, *args):
        return subprocess.run([self.ablate_bin, *args, "--store", self.store], cwd=self.root,
                              env=child_env(), capture_output=True, text=True, timeout=120)


@pytest.fixture
def project(tmp_path, ablate_bin):
    return Project(tmp_path, ablate_bin)


PYTHON = sys.executable
