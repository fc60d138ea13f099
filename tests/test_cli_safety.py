"""Nothing lost, no traceback: the command line as a planner's script runs it.

Every test runs the command line (`python -m optimizer`) and checks the message, the exit
code (0 solved, 1 infeasible, 2 bad input, 3 solver, 130 interrupted) and that every file in
the folder before the run is byte for byte and mtime for mtime the same after it. What is
about the process itself (its umask, Ctrl-C) runs in a subprocess; the rest runs `cli.main`
in the test's process, where an exception it let out fails the test as a traceback would.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from conftest import SAMPLE
from helpers import group_cpu_seconds, project, region, run_cli, workbook_bytes

from optimizer import Scenario


def snapshot(folder: Path) -> dict[str, tuple[str, int, int]]:
    """Every file under folder: content hash, mtime and mode."""
    return {
        str(path.relative_to(folder)): (
            hashlib.sha256(path.read_bytes()).hexdigest(),
            path.stat().st_mtime_ns,
            stat.S_IMODE(path.stat().st_mode),
        )
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


def refused(done: subprocess.CompletedProcess, code: int, message: str) -> None:
    """The run stopped with `code` and said what is wrong in one line, no traceback."""
    assert done.returncode == code, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert message in lines[0], lines[0]


def temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob(".~*.xlsx"))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A planner's folder: a small workbook (w.xlsx) and a scenario file (s.json)."""
    (tmp_path / "w.xlsx").write_bytes(workbook_bytes())
    (tmp_path / "s.json").write_text(Scenario(fiscal_budget_scale=1.1).to_json(), "utf-8")
    return tmp_path


# ------------------------------------------------------------------------------ data loss


def test_an_output_never_replaces_an_input_of_the_run(
    run_here: Callable[..., subprocess.CompletedProcess], folder: Path
) -> None:
    (folder / "link.xlsx").symlink_to(folder / "w.xlsx")
    before = snapshot(folder)
    refused(
        run_here(folder, "solve", "w.xlsx", "--out", "w.xlsx"),
        2,
        "w.xlsx is the workbook this run reads; it would be replaced",
    )
    refused(
        run_here(folder, "solve", "./w.xlsx", "--out", "link.xlsx"),
        2,
        "is the workbook this run reads",
    )
    refused(
        run_here(
            folder, "frontier", "w.xlsx", "--scenario", "s.json", "--out", str(folder / "s.json")
        ),
        2,
        "is the scenario file this run reads",
    )
    assert snapshot(folder) == before


def test_template_replaces_an_existing_file_only_with_force(
    run_here: Callable[..., subprocess.CompletedProcess], folder: Path
) -> None:
    before = snapshot(folder)
    refused(run_here(folder, "template", "w.xlsx"), 2, "w.xlsx exists; it was left as it is")
    assert snapshot(folder) == before
    done = run_here(folder, "template", "w.xlsx", "--force")
    assert done.returncode == 0, done.stderr
    assert "contract" in openpyxl.load_workbook(folder / "w.xlsx").sheetnames
    assert snapshot(folder)["s.json"] == before["s.json"]


def test_a_shortlist_gets_the_umask_mode_and_a_read_only_one_is_refused(
    run_here: Callable[..., subprocess.CompletedProcess], folder: Path
) -> None:
    # The process's own umask: each in a process of its own.
    assert run_cli(folder, "solve", "w.xlsx", "--out", "a.xlsx", umask=0o022).returncode == 0
    assert run_cli(folder, "solve", "w.xlsx", "--out", "b.xlsx", umask=0o027).returncode == 0
    assert stat.S_IMODE((folder / "a.xlsx").stat().st_mode) == 0o644
    assert stat.S_IMODE((folder / "b.xlsx").stat().st_mode) == 0o640
    # A writable file is replaced and keeps its own mode.
    (folder / "a.xlsx").chmod(0o664)
    assert run_here(folder, "solve", "w.xlsx", "--out", "a.xlsx").returncode == 0
    assert stat.S_IMODE((folder / "a.xlsx").stat().st_mode) == 0o664
    # A read-only one is left as it is, even for root.
    (folder / "b.xlsx").chmod(0o444)
    before = snapshot(folder)
    refused(
        run_here(folder, "solve", "w.xlsx", "--out", "b.xlsx"),
        2,
        "b.xlsx is read-only; it was left as it is",
    )
    assert snapshot(folder) == before


def test_every_output_is_checked_before_any_work(
    run_here: Callable[..., subprocess.CompletedProcess], folder: Path
) -> None:
    shutil.copy(SAMPLE, folder / "projects.xlsx")
    (folder / "a folder.xlsx").mkdir()
    before = snapshot(folder)
    started = time.perf_counter()
    # The sample's 21-point sweep takes about half a minute: the refusal comes first.
    refused(
        run_here(folder, "frontier", "projects.xlsx", "--out", "missing-folder/f.xlsx"),
        2,
        "cannot write missing-folder/f.xlsx: the folder",
    )
    assert time.perf_counter() - started < 15
    refused(
        run_here(folder, "solve", "projects.xlsx", "--out", "missing-folder/f.xlsx"),
        2,
        "does not exist",
    )
    refused(run_here(folder, "solve", "w.xlsx", "--out", "a folder.xlsx"), 2, "it is a folder")
    assert snapshot(folder) == before


def test_stale_temporaries_are_removed_on_the_next_write(
    run_here: Callable[..., subprocess.CompletedProcess], folder: Path
) -> None:
    stale, fresh = folder / ".~k3j_9x0q.xlsx", folder / ".~a1b2c3d4.xlsx"
    others = ["~$w.xlsx", ".~lock.w.xlsx#", ".~notes.xlsx", ".~k3j_9x0q.xlsx.bak"]
    for path in [stale, fresh] + [folder / name for name in others]:
        path.write_bytes(b"half a workbook")
    hour_ago = time.time() - 3600
    for name in [stale.name, *others]:
        os.utime(folder / name, (hour_ago, hour_ago))  # as a killed run leaves them
    before = snapshot(folder)
    done = run_here(folder, "solve", "w.xlsx", "--out", "o.xlsx")
    assert done.returncode == 0, done.stderr
    after = snapshot(folder)
    assert not stale.exists()
    assert fresh.exists()  # maybe another run's, still being written
    del before[stale.name]
    assert {k: v for k, v in after.items() if k != "o.xlsx"} == before


# ------------------------------------------------------------------ tracebacks, exit codes


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"fiscal_budget_scale": "1.2"}, "fiscal_budget_scale must be a number, got the text"),
        ({"fiscal_budget_scale": None}, "fiscal_budget_scale must be a number, got null"),
        ({"forced_in": 5}, "forced_in must be a list of project ids, got 5"),
        ({"fiscal_budget": 250}, 'fiscal_budget must be an object such as {"2023": 250}'),
    ],
)
def test_a_scenario_value_of_the_wrong_kind_is_bad_input(
    run_here: Callable[..., subprocess.CompletedProcess], folder: Path, values, message
) -> None:
    (folder / "bad.json").write_text(json.dumps(values), "utf-8")
    before = snapshot(folder)
    refused(
        run_here(folder, "solve", "w.xlsx", "--scenario", "bad.json", "--out", "o.xlsx"), 2, message
    )
    assert snapshot(folder) == before


def test_a_single_forced_id_is_a_one_item_list(
    run_here: Callable[..., subprocess.CompletedProcess], folder: Path
) -> None:
    (folder / "one.json").write_text('{"forced_in": "JS-SZ-001"}', "utf-8")
    (folder / "out.json").write_text('{"forced_out": "P1"}', "utf-8")
    before = snapshot(folder)
    refused(
        run_here(folder, "solve", "w.xlsx", "--scenario", "one.json"),
        2,
        "forced_in: no such project JS-SZ-001",
    )
    done = run_here(folder, "solve", "w.xlsx", "--scenario", "out.json", "--json")
    assert done.returncode == 0, done.stderr
    chosen = {c["project_id"] for c in json.loads(done.stdout)["chosen"]}
    assert chosen
    assert "P1" not in chosen
    assert snapshot(folder) == before


def test_a_set_part_that_is_not_a_year_is_bad_input(
    run_here: Callable[..., subprocess.CompletedProcess], folder: Path
) -> None:
    before = snapshot(folder)
    refused(
        run_here(folder, "solve", "w.xlsx", "--set", "fiscal_budget.abc=100"),
        2,
        "fiscal_budget: 'abc' is not a year",
    )
    assert snapshot(folder) == before


def test_absurd_magnitudes_are_refused_by_check_with_their_place(
    run_here: Callable[..., subprocess.CompletedProcess], folder: Path
) -> None:
    (folder / "big.xlsx").write_bytes(
        workbook_bytes(
            projects=[project("P1", capex=1e15), project("P2")],
            regions=[region("A", displaced_workers=1e9), region("B")],
            settings=[("commute_km", 5000)],
        )
    )
    before = snapshot(folder)
    for command in ("check", "solve"):
        done = run_here(folder, command, "big.xlsx")
        assert done.returncode == 2
        assert "Traceback" not in done.stderr
        assert "projects row 2, capex: must be > 0 and ≤ 100000, got 1e+15" in done.stderr
        assert "regions row 2, displaced_workers: must be 0 to 10000000, got 1e+09" in done.stderr
        assert "commute_km must be 0 to 2000, got 5000" in done.stderr
    assert snapshot(folder) == before


@pytest.mark.parametrize("command", ["solve", "frontier", "frontier on 2 workers"])
def test_ctrl_c_stops_at_once_with_one_line_and_exit_130(tmp_path: Path, command: str) -> None:
    shutil.copy(SAMPLE, tmp_path / "projects.xlsx")
    (tmp_path / "old.xlsx").write_bytes(b"an earlier shortlist")
    before = snapshot(tmp_path)
    slow = ["--set", "fiscal_budget_scale=0.8", "--set", "mip_gap=0", "--set", "time_limit_s=60"]
    if command.startswith("frontier"):
        slow = ["--values", "0.8,0.9,1.0", "--gap", "0", "--time-limit", "60", "--quiet"]
    if command.endswith("workers"):
        slow += ["--workers", "2"]
    command = command.split()[0]
    # Solving: the run's processes have used the CPU that starting, loading the workbook and
    # building the model take (0.6 s measured for one process; the workers start and build
    # too), so HiGHS is at work, or about to be. (HiGHS prints no banner to watch for.)
    solving_from = 2.5 if command.endswith("workers") else 1.0
    lines: list[str] = []
    with subprocess.Popen(
        [sys.executable, "-m", "optimizer", command, "projects.xlsx", *slow, "--out", "old.xlsx"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    ) as process:

        def read() -> None:
            for line in process.stderr:  # type: ignore[union-attr]
                lines.append(line)

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        waited = time.monotonic()
        while group_cpu_seconds(process.pid) < solving_from:
            assert process.poll() is None, "".join(lines)
            assert time.monotonic() - waited < 120, "".join(lines)
            time.sleep(0.05)
        time.sleep(1.0)  # well inside the solve, which takes far longer than this
        assert process.poll() is None
        sent = time.perf_counter()
        os.killpg(process.pid, signal.SIGINT)  # Ctrl-C reaches the whole group, workers too
        code = process.wait(30)
        stopped = time.perf_counter() - sent
        reader.join(5)
        # No worker is left running. Killed workers go at once; multiprocessing's resource
        # tracker follows its parent within moments, longer on a busy machine.
        for _ in range(200):
            try:
                os.killpg(process.pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        else:
            raise AssertionError("processes of the run are still alive")
    text = "".join(lines)
    assert code == 130, text
    assert stopped < 2.0, stopped
    assert "Traceback" not in text
    assert [line for line in lines if "interrupted" in line] == [
        "interrupted (Ctrl-C): stopped; no file was left half-written\n"
    ]
    assert temporaries(tmp_path) == []
    assert snapshot(tmp_path) == before


# ------------------------------------------------------------------ inputs to refuse


def test_a_blank_template_is_bad_input(
    run_here: Callable[..., subprocess.CompletedProcess], tmp_path: Path
) -> None:
    assert run_here(tmp_path, "template", "blank.xlsx").returncode == 0
    before = snapshot(tmp_path)
    done = run_here(tmp_path, "check", "blank.xlsx")
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "the workbook has 3 problems:",
        "- projects: the sheet has no rows below its header; fill in at least one",
        "- regions: the sheet has no rows below its header; fill in at least one",
        "- years: the sheet has no rows below its header; fill in at least one",
    ]
    done = run_here(tmp_path, "frontier", "blank.xlsx", "--quiet")
    assert done.returncode == 2
    assert "optimal" not in done.stdout + done.stderr
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    ("command", "options", "message"),
    [
        ("frontier", ["--gap", "2"], "--gap must be between 0 and 1 (0.01 is 1 %), got 2"),
        (
            "frontier",
            ["--time-limit", "0"],
            "--time-limit must be > 0 and ≤ 86400 seconds, got 0",
        ),
        (
            "frontier",
            ["--values="],
            "--values needs numbers ≥ 0 separated by commas, e.g. 0.5,1,1.5; got ''",
        ),
        ("frontier", ["--values", "1,x"], "--values needs numbers ≥ 0 separated by commas"),
        ("frontier", ["--points", "1"], "--points must be at least 2, got 1"),
        ("frontier", ["--workers", "0"], "--workers must be at least 1, got 0"),
        # solve's --workers and --scheduler are checked as the batch commands' are, first.
        ("solve", ["--workers", "0"], "--workers must be at least 1, got 0"),
        (
            "solve",
            ["--workers", "100000000000000000000"],
            "--workers must be at most 256 local processes, got 100000000000000000000",
        ),
        ("solve", ["--scheduler", "localhost"], "--scheduler needs a Dask scheduler's address"),
        (
            "solve",
            ["--workers", "2", "--scheduler", "tcp://127.0.0.1:1"],
            "give --workers (local processes) or --scheduler (a Dask cluster), not both",
        ),
    ],
)
def test_run_options_are_checked_first(
    run_here: Callable[..., subprocess.CompletedProcess],
    folder: Path,
    command: str,
    options: list[str],
    message: str,
) -> None:
    before = snapshot(folder)
    refused(run_here(folder, command, "w.xlsx", *options, "--out", "out.xlsx"), 2, message)
    assert snapshot(folder) == before


def test_a_formula_without_a_saved_value_is_named_and_saving_fixes_it(
    run_here: Callable[..., subprocess.CompletedProcess], tmp_path: Path, libreoffice
) -> None:
    # A file written by a script (openpyxl stores formulas without values).
    (tmp_path / "script.xlsx").write_bytes(
        workbook_bytes(
            projects=[project("P1", capex="=5*2"), project("P2", exclusive_group='=IF(1,"","g")')]
        )
    )
    before = snapshot(tmp_path)
    done = run_here(tmp_path, "check", "script.xlsx")
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "the workbook has 2 problems:",
        "- projects row 2, capex: holds a formula (=5*2) with no saved value; open the file in "
        "Excel or LibreOffice and save it, which stores the values",
        '- projects row 3, exclusive_group: holds a formula (=IF(1,"","g")) with no saved value; '
        "open the file in Excel or LibreOffice and save it, which stores the values",
    ]
    assert snapshot(tmp_path) == before
    # What the message says to do: LibreOffice opens and saves it, and then it is valid.
    saved = libreoffice("xlsx", tmp_path / "saved", "script.xlsx", cwd=tmp_path)
    assert saved.returncode == 0, saved.stderr
    # Saved, the empty text the second formula gives is an empty cell again, not a problem.
    done = run_here(tmp_path, "check", "saved/script.xlsx")
    assert done.returncode == 0, done.stderr
    assert "valid — 2 projects" in done.stdout


def test_a_long_prerequisite_chain_is_checked_in_linear_time(
    run_here: Callable[..., subprocess.CompletedProcess], tmp_path: Path
) -> None:
    # 4,000 projects each requiring the previous one, then a cycle of three. The old check
    # walked each chain with a list lookup per step: cubic, minutes for this file.
    chain = [project(f"P{i}", capex=0.01, requires=f"P{i - 1}" if i else None) for i in range(4000)]
    cycle = [project(f"C{i}", capex=0.01, requires=f"C{(i + 1) % 3}") for i in range(3)]
    (tmp_path / "chain.xlsx").write_bytes(workbook_bytes(projects=chain + cycle))
    started = time.perf_counter()
    done = run_here(tmp_path, "check", "chain.xlsx")
    assert time.perf_counter() - started < 12
    assert done.returncode == 2
    assert "projects row 4002, requires: requirements form a cycle: C0 → C1 → C2 → C0" in (
        done.stderr
    )
    assert len(done.stderr.strip().splitlines()) == 2  # the head and the one problem


def test_a_shortlist_or_a_json_file_with_a_bom_is_a_scenario(
    run_here: Callable[..., subprocess.CompletedProcess], folder: Path
) -> None:
    first = run_here(
        folder, "solve", "w.xlsx", "--scenario", "s.json", "--out", "short.xlsx", "--json"
    )
    assert first.returncode == 0, first.stderr
    bom = folder / "bom.json"
    bom.write_bytes(b"\xef\xbb\xbf" + (folder / "s.json").read_bytes())
    before = snapshot(folder)
    for scenario in ("short.xlsx", "bom.json"):
        again = run_here(folder, "solve", "w.xlsx", "--scenario", scenario, "--json")
        assert again.returncode == 0, again.stderr
        assert json.loads(again.stdout)["chosen"] == json.loads(first.stdout)["chosen"]
    refused(
        run_here(folder, "solve", "w.xlsx", "--scenario", "w.xlsx"),
        2,
        "w.xlsx is a workbook without a readable Scenario sheet",
    )
    assert snapshot(folder) == before


def test_an_output_through_a_symbolic_link_keeps_the_link(
    run_here: Callable[..., subprocess.CompletedProcess], tmp_path: Path
) -> None:
    shutil.copy(SAMPLE, tmp_path / "w.xlsx")
    (tmp_path / "kept").mkdir()
    (tmp_path / "kept" / "real.xlsx").write_bytes(b"an older shortlist")
    (tmp_path / "out.xlsx").symlink_to(tmp_path / "kept" / "real.xlsx")
    done = run_here(tmp_path, "solve", "w.xlsx", "--out", "out.xlsx")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out.xlsx").is_symlink()
    assert "Shortlist" in openpyxl.load_workbook(tmp_path / "kept" / "real.xlsx").sheetnames


def test_analyses_refuse_what_they_would_change_silently(
    run_here: Callable[..., subprocess.CompletedProcess], tmp_path: Path
) -> None:
    shutil.copy(SAMPLE, tmp_path / "w.xlsx")
    before = snapshot(tmp_path)
    over = run_here(tmp_path, "frontier", "w.xlsx", "--lever", "ppp_line", "--values", "0.1,3")
    refused(over, 2, "ppp_line: settings are shares from 0 to 1")
    cbc = run_here(tmp_path, "frontier", "w.xlsx", "--values", "1,1.2", "--set", "solver=cbc")
    refused(cbc, 2, "the trade-off analyses run on HiGHS")
    assert snapshot(tmp_path) == before
