"""`invoke --list`: what a new user reads first."""

from __future__ import annotations

import ast
import re
import subprocess
import sys

from conftest import ROOT


def task_docstrings() -> dict[str, str]:
    """Every @task of tasks.py: its name as invoke lists it, its docstring."""
    tree = ast.parse((ROOT / "tasks.py").read_text(encoding="utf-8"))
    docs = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and any(
            "task" in ast.unparse(decorator) for decorator in node.decorator_list
        ):
            docs[node.name.replace("_", "-")] = ast.get_docstring(node) or ""
    return docs


def listed() -> dict[str, str]:
    """Task name -> the help `invoke --list` prints, its wrapped lines joined."""
    out = subprocess.run(
        [sys.executable, "-m", "invoke", "--list"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    helps: dict[str, str] = {}
    name = None
    for line in out.splitlines()[1:]:
        if match := re.match(r"  (\S+)(?: \([^)]*\))?\s+(.*)", line):
            name = match.group(1)
            helps[name] = match.group(2)
        elif name and line.strip():
            helps[name] += " " + line.strip()
    return helps


def test_list_shows_each_tasks_first_sentence_whole():
    docs = task_docstrings()
    helps = listed()
    assert sorted(helps) == sorted(docs)
    for name, doc in docs.items():
        first_paragraph = " ".join(doc.split("\n\n", 1)[0].split())
        # invoke shows the docstring's first line only: the first sentence
        # must fit on it, and be the whole first paragraph.
        assert helps[name] == first_paragraph, f"{name}: cut short in --list"
        assert first_paragraph.endswith("."), f"{name}: {first_paragraph!r} is not a whole sentence"
