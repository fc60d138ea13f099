"""Issue #21: every signal that ends a run (SIGINT, SIGTERM, SIGHUP) stops all its worker
processes and leaves no temporary file; workers die with their parent even when it is
SIGKILLed. A tiny workbook swept over many points keeps two workers busy for seconds."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import workbook_bytes


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its parent's wait is missing


def start_sweep(folder: Path) -> tuple[subprocess.Popen, list[int]]:
    """A two-worker frontier with an output to write, once both workers run."""
    (folder / "w.xlsx").write_bytes(workbook_bytes())
    (folder / "old.xlsx").write_bytes(b"an earlier shortlist")
    process = subprocess.Popen(
        [sys.executable, "-m", "optimizer", "frontier", "w.xlsx", "--points", "2000"]
        + ["--workers", "2", "--quiet", "--out", "old.xlsx"],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while time.monotonic() < deadline:
        # The pool's two workers (the resource tracker is a third child).
        workers = [c for c in children(process.pid) if "spawn_main" in cmdline(c)]
        if len(workers) == 2:
            break
        time.sleep(0.1)
    assert len(workers) == 2, children(process.pid)
    time.sleep(1.0)  # well inside the sweep
    assert process.poll() is None
    return process, workers


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def gone_within(pids: list[int], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not any(alive(p) for p in pids):
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize(
    ("signum", "code", "words"),
    [
        (signal.SIGTERM, 143, "terminated (SIGTERM)"),
        (signal.SIGHUP, 129, "hung up (SIGHUP)"),
        (signal.SIGINT, 130, "interrupted (Ctrl-C)"),
    ],
)
def test_a_stopping_signal_to_the_parent_stops_every_worker(
    tmp_path: Path, signum: int, code: int, words: str
) -> None:
    process, workers = start_sweep(tmp_path)
    try:
        os.kill(process.pid, signum)  # to the parent alone, as `kill PID` sends it
        assert process.wait(20) == code
        stderr = process.stderr.read()  # type: ignore[union-attr]
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)
        process.stderr.close()  # type: ignore[union-attr]
    assert "Traceback" not in stderr
    assert f"{words}: stopped; no file was left half-written" in stderr
    assert gone_within(workers, 5), [cmdline(p) for p in workers if alive(p)]
    assert (tmp_path / "old.xlsx").read_bytes() == b"an earlier shortlist"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.xlsx", "w.xlsx"]


def test_workers_die_with_a_killed_parent(tmp_path: Path) -> None:
    process, workers = start_sweep(tmp_path)
    try:
        process.kill()  # SIGKILL: no handler runs in the parent
        process.wait(10)
        assert gone_within(workers, 5), [cmdline(p) for p in workers if alive(p)]
    finally:
        process.stderr.close()  # type: ignore[union-attr]
        for pid in workers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
