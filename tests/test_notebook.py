"""The quickstart notebook runs top to bottom and gives the command line's answer."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

import nbformat
import pytest
from conftest import ROOT, SAMPLE

NOTEBOOK = ROOT / "examples" / "quickstart.ipynb"


def test_the_notebook_is_saved_as_a_story_with_its_outputs() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    # Run top to bottom once, every output kept (the Parameters cell shows nothing).
    assert [cell.execution_count for cell in code] == list(range(1, len(code) + 1))
    assert all(cell.outputs for cell in code[1:])
    assert not [o for cell in code for o in cell.outputs if o.get("name") == "stderr"]
    assert not [o for cell in code for o in cell.outputs if o.get("output_type") == "error"]
    shown = "\n".join(
        str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", ""))
        for cell in code
        for o in cell.outputs
    )
    # The story: a question, the baseline, why one city re-employs so few (its binding
    # limit, in the reasons its projects are left out), what would change that, measured.
    headings = [c.source.splitlines()[0] for c in notebook.cells if c.cell_type == "markdown"]
    assert headings[0].startswith("# Why does Lianyungang")
    assert "Lianyungang's PPP commitments with the budget" in shown
    # Version 3's figures: the exposure and what is left of it, trainees, public money,
    # the monitoring list and the pace of layoffs.
    for figure in ("of an exposure of", "jobless worker-years left", "trainees (培训人数)"):
        assert figure in shown
    assert "万元 of public money per worker-year" in shown
    assert "Share of exposure still jobless" in shown
    assert "Advised (persons)" in shown
    measured = re.search(r"Lianyungang: ([+-][\d,]+) worker-years", shown)
    assert measured, shown[-2000:]
    assert int(measured.group(1).replace(",", "")) > 0
    assert "shortlist written to" in shown


def test_the_notebook_matches_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_here: Callable[..., CompletedProcess]
) -> None:
    # Jupyter's own path migration notice would be an error under -W error.
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")
    # Imported here: the test process that runs the other files never pays for it.
    from nbclient import NotebookClient

    notebook = nbformat.read(NOTEBOOK, as_version=4)
    shortlist = tmp_path / "shortlist.xlsx"
    parameters = notebook.cells[1]
    assert parameters.source.startswith("# Parameters")
    parameters.source = f"WORKBOOK = {str(SAMPLE)!r}\nSHORTLIST = {str(shortlist)!r}"
    notebook.cells.append(
        nbformat.v4.new_code_cell(
            "import json\nhere = float(budget.loc[budget['current'], 'worker_years'].item())\n"
            "print(json.dumps({**result, 'chosen': sorted(result['chosen'].items()), "
            "'frontier_here': here, 'headline': solution.worker_years}))"
        )
    )
    NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    ).execute()
    # The command line's answer, in this process (its interpreter's start and imports saved).
    cli = run_here(tmp_path, "solve", SAMPLE, "--set", "fiscal_budget_scale=1.1", "--json")
    assert cli.returncode == 0, cli.stderr
    from_cli = json.loads(cli.stdout)
    printed = "".join(o.get("text", "") for o in notebook.cells[-1].outputs)
    from_notebook = json.loads(printed)
    assert shortlist.exists()

    # "budget +10 %": one figure from `solve` and from `frontier` (its current point).
    assert from_notebook["frontier_here"] == from_notebook["headline"]
    assert from_notebook["headline"] == pytest.approx(from_cli["worker_years"], rel=1e-9)
    assert from_notebook["status"] == from_cli["status"]
    assert from_notebook["objective"] == pytest.approx(from_cli["objective"], rel=1e-9)
    assert [tuple(pair) for pair in from_notebook["chosen"]] == sorted(
        (c["project_id"], c["start_year"]) for c in from_cli["chosen"]
    )
