"""Issue #21: a diagnosis shows its numbers with enough digits to differ ("need 408.0 亿元 …
408.0 亿元 is set" must not happen)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import project, workbook_bytes
from helpers import run_cli_here


@pytest.mark.parametrize(("capex", "budget"), [(408.03, 408.0), (408.004, 408.0), (12.96, 12.9)])
def test_a_close_conflict_shows_two_different_amounts(
    capfd: pytest.CaptureFixture, tmp_path: Path, capex: float, budget: float
) -> None:
    must = project("MUST", capex=capex, budget_share=1.0, bond_share=0.0, mandatory=True)
    (tmp_path / "w.xlsx").write_bytes(
        workbook_bytes(projects=[must, project("P2")], years=[(2021, budget, 500.0)])
    )
    done = run_cli_here(capfd, tmp_path, "solve", "w.xlsx")
    assert done.returncode == 1, done.stdout + done.stderr
    pattern = r"need ([\d,.]+) 亿元 of fiscal budget in 2021; ([\d,.]+) 亿元 is set"
    found = re.search(pattern, done.stderr)
    assert found, done.stderr
    need, have = (float(x.replace(",", "")) for x in found.groups())
    assert need != have
    assert need == pytest.approx(capex, abs=0.05)
    assert have == pytest.approx(budget, abs=0.05)
