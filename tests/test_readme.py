"""The README's Python examples run as written (from the project root)."""

from __future__ import annotations

import os
import re

import pytest
from conftest import ROOT
from helpers import SharedPool

import optimizer

BLOCKS = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)


def test_readme_has_examples() -> None:
    assert BLOCKS


@pytest.mark.parametrize("code", BLOCKS)
def test_readme_example_runs(
    code: str, capsys, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = None
    if "optimizer.process_pool(" in code:
        # The pool the example makes is the test process's two-worker one, already started
        # (two interpreters less to start); the example's code runs as written.
        shared = SharedPool(request.getfixturevalue("spawned_pool"))
        monkeypatch.setattr(optimizer, "process_pool", lambda workers, **options: shared)
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        # As a script runs (its `if __name__ == "__main__":` guard true).
        exec(compile(code, "README.md", "exec"), {"__name__": "__main__"})
    finally:
        os.chdir(cwd)
    assert capsys.readouterr().out.strip()
    if shared is not None:
        assert shared.submitted  # the example's work went to the pool


def test_readme_setup_commands_are_the_ones_used() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"```bash\n(.*?)```", text, re.S)
    assert commands[0].strip().endswith(".venv/bin/streamlit run app.py")
    assert commands[1].strip() == ".ci/run"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    # The package with its test extra, by uv or, where uv cannot be had, by pip.
    assert ".venv/bin/uv pip install" in ci
    assert 'pip -e ".[test]"' in ci
    assert '.venv/bin/pip install --quiet --quiet --no-compile -e ".[test]"' in ci
    assert ".venv/bin/python -m pytest" in ci
