"""The command line's batch commands besides frontier: grid, break-even and robustness, each
with the options frontier has (--workers, --scheduler, --gap, --time-limit, --json)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from helpers import run_cli

import optimizer
from optimizer.cli import BAD_INPUT, SOLVED, main
from optimizer.tradeoffs import frontier_grid

WORKBOOK = str(Path(__file__).resolve().parents[1] / "projects.xlsx")


def test_the_grid_command_prints_the_grid(
    sample: optimizer.PlanningData, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["grid", WORKBOOK, "--points", "2", "--gap", "0.01", "--json", "--quiet"])
    assert code == SOLVED
    printed = pd.DataFrame(json.loads(capsys.readouterr().out))
    expected = frontier_grid(
        sample,
        None,
        ("fiscal_budget", "bond_quota"),
        (2, 2),
        options=optimizer.RunOptions(mip_gap=0.01),
    )
    assert printed["status"].tolist() == [str(s) for s in expected["status"]]
    assert printed["objective"].tolist() == pytest.approx(
        expected["objective"].tolist(), nan_ok=True
    )


def test_break_even_and_robustness_commands(
    sample: optimizer.PlanningData, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = sample.projects["project_id"].head(2).tolist()
    code = main(
        ["break-even", WORKBOOK, "--projects", ",".join(ids), "--gap", "0.01", "--json"]
        + ["--quiet"]
    )
    assert code == SOLVED
    table = pd.DataFrame(json.loads(capsys.readouterr().out))
    assert table["project_id"].tolist() == ids
    code = main(
        ["robustness", WORKBOOK, "--draws", "2", "--gap", "0.01", "--rate-spread", "0.5"]
        + ["--quiet"]
    )
    assert code == SOLVED
    out = capsys.readouterr().out
    assert out.startswith("draws: 2;")
    assert ids[0] in out
    assert main(["robustness", WORKBOOK, "--draws", "1", "--rate-spread", "2"]) == BAD_INPUT
    assert "rate_spread must be a number in [0, 1]" in capsys.readouterr().err
    assert main(["grid", WORKBOOK, "--levers", "fiscal_budget"]) == BAD_INPUT
    assert "two levers" in capsys.readouterr().err


def test_the_frontier_command_moves_the_training_budget(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["frontier", WORKBOOK, "--lever", "training_budget", "--values", "0,1", "--gap", "0.01"]
        + ["--json", "--quiet"]
    )
    assert code == SOLVED
    rows = json.loads(capsys.readouterr().out)
    assert [r["setting"] for r in rows] == [0.0, 1.0]
    assert rows[0]["amount"] == 0.0 < rows[1]["amount"]
    # The sample's training money re-employs tens of thousands more (docs: +84,464 at 1.0).
    assert rows[1]["worker_years"] > rows[0]["worker_years"] + 50_000


def test_an_unknown_project_is_refused_before_anything_is_printed(tmp_path: Path) -> None:
    # In a process of its own, as a planner runs it: nothing at all before the refusal.
    done = run_cli(tmp_path, "break-even", WORKBOOK, "--projects", "NOPE,JS-LYG-001")
    assert done.returncode == BAD_INPUT
    assert done.stdout == ""
    assert done.stderr.strip() == "error: break_even: no project NOPE in the workbook"
