#!/usr/bin/env python3
"""One entry point for a fresh machine with only Python 3.11:

    python3 dev.py serve    build the site, serve it on http://localhost:8000, live reload
    python3 dev.py test     run the whole test suite
    python3 dev.py <task>   any task from `invoke --list`

It creates .venv and installs the kit into it in editable mode, with the
pinned dependencies of pyproject.toml, when that file changed; then it runs
the invoke task inside it."""

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PROJECT = ROOT / "pyproject.toml"
STAMP = VENV / ".pyproject.sha256"


def ensure_venv() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 (dev.py runs on whatever python3 is)
        sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}.")
    if not (BIN / "python").exists():
        print("Creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256(PROJECT.read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text() != digest:
        print("Installing pinned dependencies into .venv ...", flush=True)
        subprocess.run(
            [
                str(BIN / "python"),
                "-m",
                "pip",
                "install",
                "-q",
                "--disable-pip-version-check",
                "-e",
                f"{ROOT}[test]",
            ],
            check=True,
        )
        STAMP.write_text(digest)


def main() -> int:
    ensure_venv()
    args = [str(BIN / "invoke"), *(sys.argv[1:] or ["--list"])]
    if os.name == "nt":
        return subprocess.call(args, cwd=ROOT)
    # Become the task rather than wait for it: Ctrl+C and SIGTERM reach it
    # alone, and it stops cleanly (a waiting parent would kill it 0.25 s
    # after Ctrl+C, in the middle of its clean-up).
    os.chdir(ROOT)
    os.execv(args[0], args)


if __name__ == "__main__":
    sys.exit(main())
