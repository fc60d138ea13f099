"""One language per page (issue 20, item 7) for what an analysis refuses and why the system
refused a file: each refusal is a code the labels word in either language, the English word
for word the error's own message, and the command line and the app say it in the language
asked."""

from __future__ import annotations

import errno
import importlib
import pickle
import re
import sys
import time
import types

import pytest
from conftest import ROOT
from helpers import open_tab, run_cli_here, workbook_bytes
from streamlit.testing.v1 import AppTest
from test_one_language import latin_words

import optimizer
from optimizer import background, loader
from optimizer._files import OS_REASONS as FILE_REASONS
from optimizer._files import OutputError, write_atomically
from optimizer.batch import AnalysisError, RunOptions, process_pool
from optimizer.limit_values import limit_values
from optimizer.present.labels import (
    ANALYSIS_PROBLEMS,
    FILE_PROBLEMS,
    OS_REASONS,
    SCENARIO_PROBLEMS,
    Labels,
)
from optimizer.scenario import Scenario
from optimizer.solver import SolverError, Status
from optimizer.tradeoffs import break_even, frontier, frontier_grid, lever_settings, robustness

# The module (optimizer's own name limit_values is the function).
limit_values_module = importlib.import_module("optimizer.limit_values")
CJK = re.compile(r"[\u4e00-\u9fff]")
# What a Chinese refusal may keep in Latin letters: what the planner typed or must type (a
# lever's or the solver's name on the command line, `solver=highs`).
TYPED = {"solver", "cbc", "fiscal_budget", "bond_quota", "debt_headroom", "ppp_line"}
TYPED |= {"training_budget", "commute_km", "nope", "NOPE"}  # and a project id


@pytest.fixture(scope="module")
def small() -> optimizer.PlanningData:
    return optimizer.load_workbook(workbook_bytes())


def refusals(small: optimizer.PlanningData, other: optimizer.Solution) -> list[AnalysisError]:
    """One refusal of each code, as a notebook reaches them."""
    cbc = Scenario(solver="cbc")
    attempts = [
        lambda: lever_settings(small, Scenario(), "fiscal_budget", 1),
        lambda: frontier(small, None, "fiscal_budget", [-1.0, 1.0]),
        lambda: frontier(small, None, "ppp_line", [0.5, 1.5]),
        lambda: frontier(small, None, "nope", 3),
        lambda: frontier(small, cbc, "fiscal_budget", 3),
        lambda: limit_values(small, cbc),
        lambda: frontier(small, None, "fiscal_budget", 3, current=other),
        lambda: frontier_grid(small, None, ("bond_quota", "bond_quota")),
        lambda: break_even(small, None, projects=["NOPE", "P1"]),
        lambda: robustness(small, None, draws=0),
        lambda: robustness(small, None, draws=1, spread=1.5),
        lambda: robustness(small, None, draws=1, overrun="40%"),
        lambda: RunOptions(time_limit_s=0, mip_gap=2, node_limit=0, work_limit=0),
        lambda: process_pool(0),
    ]
    errors = []
    for attempt in attempts:
        with pytest.raises(AnalysisError) as caught:
            attempt()
        errors.append(caught.value)
    return errors


def test_an_analysis_refusal_is_a_code_worded_in_both_languages(
    small: optimizer.PlanningData, sample_solution: optimizer.Solution, monkeypatch
) -> None:
    errors = refusals(small, sample_solution)
    # The plan on the page that cannot be re-solved (the solver gives no portfolio).
    monkeypatch.setattr(
        limit_values_module,
        "_solve_base",
        lambda *args, **kwargs: (types.SimpleNamespace(status=Status.INFEASIBLE), {}),
    )
    with pytest.raises(AnalysisError) as caught:
        limit_values(small, None)
    errors.append(caught.value)
    codes = {code for e in errors for code, _ in e.parts}
    assert codes == set(ANALYSIS_PROBLEMS), set(ANALYSIS_PROBLEMS) - codes
    # One table of error words: no code means two things.
    assert not set(ANALYSIS_PROBLEMS) & (set(SCENARIO_PROBLEMS) | set(FILE_PROBLEMS))
    en, zh = Labels("en"), Labels("zh")
    for error in errors:
        assert isinstance(error, ValueError)  # what a notebook caught before still catches it
        assert en.error_words(error) == str(error)
        words = zh.error_words(error)
        assert CJK.search(words), words
        assert not latin_words(words, TYPED), words
    said = {code: zh.error_words(e) for e in errors for code, _ in e.parts if len(e.parts) == 1}
    assert said["no_such_projects"] == "入选门槛：工作簿中没有项目 NOPE"
    assert zh.error_words(errors[10]) == "每亿元就业波动须为 [0, 1) 内的数，实际为 1.5"
    assert said["draw_range"] == "投资超支上限须为 [0, 10] 内的数，实际为 '40%'"
    assert said["plan_not_resolved"] == "当前方案无法重新求解（无可行方案）"
    assert said["ppp_line_shares"] == (
        "PPP财政承受能力红线的设定值须为 0 至 1 的比例，实际为 [0.5, 1.5]"
    )
    options = next(e for e in errors if len(e.parts) == 4)
    assert str(options).count(";") == 3
    assert zh.error_words(options).count("；") == 3


# Each refusal the command line can reach: its arguments, and the start of its English line.
COMMANDS = [
    (["frontier", "--lever", "ppp_line", "--values", "0.5,1.5"], "ppp_line: settings are"),
    (["frontier", "--set", "solver=cbc"], "the trade-off analyses run on HiGHS"),
    (["grid", "--levers", "bond_quota,bond_quota"], "a grid needs two different levers"),
    (["grid", "--levers", "bond_quota,nope"], "unknown lever 'nope'"),
    (["break-even", "--projects", "NOPE"], "break_even: no project NOPE in the workbook"),
    (["robustness", "--draws", "0"], "robustness needs at least one draw"),
    (["robustness", "--spread", "1.5"], "spread must be a number in [0, 1), got 1.5"),
    (["robustness", "--rate-spread", "2"], "rate_spread must be a number in [0, 1], got 2.0"),
    (["limits", "--set", "solver=cbc"], "the value of each limit is measured on HiGHS"),
]


@pytest.mark.parametrize(("args", "english"), COMMANDS, ids=[" ".join(a) for a, _ in COMMANDS])
def test_the_command_line_says_an_analysis_refusal_in_the_language_asked(
    capfd, tmp_path, args: list[str], english: str
) -> None:
    book = tmp_path / "book.xlsx"
    book.write_bytes(workbook_bytes())
    command, *rest = args
    done = run_cli_here(capfd, tmp_path, command, book, *rest, "--quiet")
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(f"error: {english}"), done.stderr
    done = run_cli_here(capfd, tmp_path, command, book, *rest, "--quiet", "--language", "zh")
    assert done.returncode == 2, done.stderr
    said = done.stderr.strip()
    # One line, refused before any solve.
    assert said.startswith("错误："), said
    assert "\n" not in said, said
    assert not latin_words(said, TYPED), said


def test_the_common_reasons_of_the_system_are_worded_in_both_languages() -> None:
    # The English words are the ones the file layer writes into its messages.
    assert {k: en for k, (en, _) in OS_REASONS.items()} == FILE_REASONS
    for name in ("EACCES", "EPERM", "ENOENT", "ENOSPC", "EROFS", "EISDIR", "ENOTDIR", "EEXIST"):
        assert name in OS_REASONS
        assert CJK.search(OS_REASONS[name][1])
    en, zh = Labels("en"), Labels("zh")
    # An error of the system that reaches the command line as it is: its reason by errno.
    denied = PermissionError(errno.EACCES, "Permission denied", "/srv/plan.xlsx")
    assert en.error_words(denied) == "/srv/plan.xlsx: permission denied"
    assert zh.error_words(denied) == "文件 /srv/plan.xlsx：没有访问权限"
    # A reason with no words of ours keeps the system's own text (the fallback).
    odd = OSError(errno.EHOSTDOWN, "Host is down", "/net/plan.xlsx")
    assert zh.error_words(odd) == str(odd)


def test_a_file_the_system_will_not_read_is_said_by_its_reason(tmp_path, capfd) -> None:
    # A path through a file, as if it were a folder: ENOTDIR, whoever runs the test (root
    # reads a file whatever its permissions say).
    book = tmp_path / "book.xlsx"
    book.write_bytes(workbook_bytes())
    inside = book / "x.xlsx"
    with pytest.raises(loader.WorkbookError) as caught:
        loader.load_workbook(inside)
    (problem,) = caught.value.problems
    assert problem.message == f"cannot read {inside}: a part of the path is not a folder"
    assert Labels("en").problem(problem) == problem.message
    assert Labels("zh").problem(problem) == f"无法读取 {inside}（路径中的某一部分不是文件夹）"
    done = run_cli_here(capfd, tmp_path, "solve", book, "--scenario", inside, "--language", "zh")
    assert done.returncode == 2
    assert done.stderr.strip() == (
        f"错误：无法读取情景文件 {inside}（路径中的某一部分不是文件夹）"
    )


def test_a_write_the_system_refuses_midway_is_said_by_its_reason(tmp_path) -> None:
    target = tmp_path / "shortlist.xlsx"

    def full_disk(stream) -> None:  # noqa: ANN001
        stream.write(b"half")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OutputError) as caught:
        write_atomically(target, full_disk)
    error = caught.value
    assert str(error) == f"cannot write {target}: no space left on the disk"
    assert Labels("en").error_words(error) == str(error)
    assert Labels("zh").error_words(error) == f"无法写入 {target}（磁盘空间已满）"
    # Nothing is left behind: no target, no temporary.
    assert list(tmp_path.iterdir()) == []


def test_the_chinese_page_says_an_analysis_refusal_in_chinese(monkeypatch) -> None:
    # The value of each limit, when the plan on the page cannot be re-solved.
    monkeypatch.setattr(
        limit_values_module,
        "_solve_base",
        lambda *args, **kwargs: (types.SimpleNamespace(status=Status.INFEASIBLE), {}),
    )
    main = sys.modules["__main__"]
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.run()
        at.sidebar.radio(key="language").set_value("zh").run()
        open_tab(at, "tradeoffs").button(key="run_limit_values").click().run()
    finally:
        sys.modules["__main__"] = main
    assert not at.exception, [e.value for e in at.exception]
    errors = [str(e.value) for e in at.error]
    assert "未运行该分析：当前方案无法重新求解（无可行方案）" in errors, errors
    assert not [w for e in errors for w in latin_words(e, set())], errors


def test_a_solve_with_no_answer_is_said_in_the_language_asked(
    small: optimizer.PlanningData, capfd, tmp_path
) -> None:
    attempts = [
        lambda: optimizer.solve(small, Scenario(time_limit_s=1e-9)),
        lambda: optimizer.solve(small, Scenario(), deadline=time.monotonic() - 1.0),
        lambda: optimizer.solve(small, Scenario(), stop=lambda: True),
    ]
    errors = []
    for attempt in attempts:
        with pytest.raises(SolverError) as caught:
            attempt()
        errors.append(caught.value)
    codes = [code for e in errors for code, _ in e.parts]
    assert codes == ["time_used_up", "time_used_up_loading", "stopped"]
    en, zh = Labels("en"), Labels("zh")
    for error in errors:
        assert en.error_words(error) == str(error)
        assert CJK.search(zh.error_words(error))
        assert not latin_words(zh.error_words(error), set()), zh.error_words(error)
        # Its parts travel with it: from a worker process, and as the page keeps it.
        again = pickle.loads(pickle.dumps(error))
        assert (str(again), again.parts) == (str(error), error.parts)
        kept = pickle.loads(pickle.dumps(background.Failure.of(error)))
        assert kept == str(error)  # the English message, as the page kept it before
        assert zh.error_words(kept) == zh.error_words(error)
    assert zh.error_words(errors[2]) == "求解在完成前被停止"
    # The solver's own reasons, where they are ours, in Chinese too.
    failed = SolverError("the solver (highs) failed: no portfolio", "solver_failed",
                         solver="highs", detail="no portfolio")  # fmt: skip
    assert en.error_words(failed) == str(failed)
    assert zh.error_words(failed) == "求解器（highs）出错：没有可行方案"
    book = tmp_path / "book.xlsx"
    book.write_bytes(workbook_bytes())
    done = run_cli_here(capfd, tmp_path, "solve", book, "--set", "time_limit_s=1e-9")
    assert done.returncode == 3
    said = done.stderr.strip()
    assert said.startswith("error: the time limit of 1e-09 s was used up"), said
    done = run_cli_here(
        capfd, tmp_path, "solve", book, "--set", "time_limit_s=1e-9", "--language", "zh"
    )
    assert done.returncode == 3
    said = done.stderr.strip()
    assert said.startswith("错误：求解器开始前 1e-09 秒的求解时限已用完"), said
    assert said.endswith("；请延长求解时限"), said


def test_a_workbook_with_no_scenario_sheet_says_why_in_chinese_too(capfd, tmp_path) -> None:
    book = tmp_path / "book.xlsx"
    book.write_bytes(workbook_bytes())
    done = run_cli_here(capfd, tmp_path, "solve", book, "--scenario", book, "--language", "zh")
    assert done.returncode == 2
    assert done.stderr.strip() == (
        f"错误：{book} 是工作簿，但没有可读的情景（Scenario）工作表（工作簿中没有Scenario工作表）"
    )
    done = run_cli_here(capfd, tmp_path, "solve", book, "--scenario", book)
    assert done.stderr.strip() == (
        f"error: {book} is a workbook without a readable Scenario sheet (the workbook has no "
        "Scenario sheet)"
    )
