"""Issue #21: a shortlist's scenario replayed on another workbook says so, with both
fingerprints and what it carries over; on the command line it is refused unless
--allow-other-workbook is given."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import project, workbook_bytes

import optimizer
from optimizer import read_saved_scenario

Run = Callable[..., subprocess.CompletedProcess]


@pytest.fixture
def folder(tmp_path: Path, run_here: Run) -> Path:
    """old.xlsx made the shortlist; new.xlsx is the next version (a budget and a project
    changed)."""
    (tmp_path / "old.xlsx").write_bytes(workbook_bytes())
    (tmp_path / "new.xlsx").write_bytes(
        workbook_bytes(
            projects=[project("P1"), project("P2"), project("P4")],
            years=[(2021, 25.0, 10.0), (2022, 10.0, 10.0)],
        )
    )
    assert run_here(tmp_path, "solve", "old.xlsx", "--out", "short.xlsx").returncode == 0
    return tmp_path


def test_the_same_workbook_replays_silently(folder: Path, run_here: Run) -> None:
    done = run_here(folder, "solve", "old.xlsx", "--scenario", "short.xlsx")
    assert done.returncode == 0, done.stderr
    assert "another workbook" not in done.stderr


def test_another_workbook_is_refused_with_both_fingerprints(folder: Path, run_here: Run) -> None:
    old = optimizer.load_workbook(folder / "old.xlsx").fingerprint
    new = optimizer.load_workbook(folder / "new.xlsx").fingerprint
    done = run_here(folder, "solve", "new.xlsx", "--scenario", "short.xlsx", "--json")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""
    assert old[:12] in done.stderr
    assert new[:12] in done.stderr
    assert "fiscal_budget in 亿元 by year: 2021 10 (here 25)" in done.stderr
    assert "--allow-other-workbook" in done.stderr


def test_allowed_it_replays_with_a_note(folder: Path, run_here: Run) -> None:
    done = run_here(
        folder, "solve", "new.xlsx", "--scenario", "short.xlsx", "--allow-other-workbook", "--json"
    )
    assert done.returncode == 0, done.stderr
    assert "note: the scenario was made from another workbook" in done.stderr
    # The old amount is what is replayed: the note is the only sign of it.
    assert json.loads(done.stdout)["status"] == "optimal"


def test_forced_ids_that_no_longer_exist_are_named(folder: Path, run_here: Run) -> None:
    data = optimizer.load_workbook(folder / "old.xlsx")
    optimizer.export_workbook(optimizer.solve(data, {"forced_in": ["P3"]}), folder / "forced.xlsx")
    saved = read_saved_scenario(str(folder / "forced.xlsx"))
    assert saved.fingerprint == data.fingerprint
    note = saved.other_workbook(optimizer.load_workbook(folder / "new.xlsx"))
    assert note is not None
    assert "forced_in ids no longer in this workbook: P3" in note
    done = run_here(folder, "frontier", "new.xlsx", "--scenario", "forced.xlsx", "--points", "2")
    assert done.returncode == 2
    assert "forced_in ids no longer in this workbook: P3" in done.stderr


def test_a_json_scenario_with_a_fingerprint_is_compared(folder: Path, run_here: Run) -> None:
    data = optimizer.load_workbook(folder / "old.xlsx")
    values = optimizer.Scenario(fiscal_budget={2021: 10.0}).to_dict()
    values["workbook_fingerprint"] = data.fingerprint
    (folder / "s.json").write_text(json.dumps(values))
    assert run_here(folder, "solve", "old.xlsx", "--scenario", "s.json").returncode == 0
    done = run_here(folder, "solve", "new.xlsx", "--scenario", "s.json")
    assert done.returncode == 2
    assert "made from another workbook" in done.stderr
