"""One language per page (issue 20, item 7): the Chinese page, every tab and a bad upload
included, reads in Chinese; a workbook's problems are codes the labels word in either
language, the English word for word the loader's own message."""

from __future__ import annotations

import dataclasses
import functools
import io
import json
import os
import pickle
import re
import sys
import zipfile
from collections.abc import Iterator

import pandas as pd
import pytest
from conftest import ROOT
from helpers import each_tab, open_tab, project, run_cli, run_cli_here, workbook_bytes
from streamlit.testing.v1 import AppTest

from optimizer import loader
from optimizer._files import OutputError, check_writable
from optimizer.present.labels import NOTES, PROBLEMS, SCENARIO_PROBLEMS, Labels
from optimizer.scenario import SavedScenario, Scenario, ScenarioError, read_scenario_json
from optimizer.schema import SECTORS

APP = str(ROOT / "app.py")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Latin words a Chinese page may show: names (PPP, IMF, Excel, JSON, the solver HiGHS,
# SHA-256, UTC), units (km) and the workbook's own sheet and column names, which the planner
# finds in the file as they are (they name where a problem is).
NAMES = {"PPP", "IMF", "Excel", "JSON", "HiGHS", "highs", "SHA", "UTC", "xlsx", "km"}
PROJECT_ID = re.compile(r"\bJS-[A-Z]+-\d+(-V\d+)?\b|\bP\d+\b")


def bad_cells() -> list[loader.Problem]:
    """A workbook with one bad cell of each kind the loader words by code."""
    rows = [
        project("P1", capex=-3),
        project("P2", capex="abc"),
        project("P3", jobs_per_yi="1,2"),
        project("P4", mandatory="maybe"),
        project("P5", sector="roads"),
        project("P6", skill_match=2),
        project("P7", duration_years=1.5),
        project("P8", capex="inf"),
        project("P8"),
        project("P9", region="Nowhere"),
        project("P10", mandatory="yes", excluded="yes"),
        project("P11", requires="P99"),
    ]
    with pytest.raises(loader.WorkbookError) as caught:
        loader.load_workbook(workbook_bytes(projects=rows))
    return caught.value.problems


def test_a_workbook_problem_is_a_code_worded_in_both_languages() -> None:
    problems = bad_cells()
    codes = {p.code for p in problems}
    assert {"below_bound", "not_number_text", "decimal_comma", "yes_no", "choice"} <= codes
    assert {"out_of_bounds", "not_whole", "not_finite"} <= codes
    assert {"duplicate", "unknown_region", "mandatory_excluded", "unknown_project"} <= codes
    assert all(p.code for p in problems), [p.message for p in problems if not p.code]
    assert codes <= set(PROBLEMS)
    en, zh = Labels("en"), Labels("zh")
    for problem in problems:
        # The English is the loader's message, word for word (the CLI and tests read it).
        assert en.problem(problem) == problem.message
        assert re.search(r"[\u4e00-\u9fff]", zh.problem(problem)), zh.problem(problem)
    negative = next(p for p in problems if p.code == "below_bound")
    assert negative.message == "must be > 0, got -3"
    assert zh.problem(negative) == "须 > 0，实际为 -3"


def sheet_problems() -> list[loader.Problem]:
    """A workbook with one sheet-level problem of each kind the loader words by code."""
    with pytest.raises(loader.WorkbookError) as caught:
        loader.load_workbook(
            workbook_bytes(
                projects=[project("P1")],
                years=[(2021, 10.0, 10.0), (2023, 10.0, 10.0)],
                settings=[("ppp_cap_share", -1), ("commute_km", 30), ("commute_km", 40)],
            )
        )
    return caught.value.problems


def test_the_sheet_problems_are_worded_in_both_languages_too() -> None:
    problems = sheet_problems()
    codes = {p.code for p in problems}
    assert {"years_gap", "setting_twice"} <= codes, [p.message for p in problems]
    en, zh = Labels("en"), Labels("zh")
    for problem in problems:
        assert problem.code in PROBLEMS, problem.message
        assert en.problem(problem) == problem.message
        assert re.search(r"[\u4e00-\u9fff]", zh.problem(problem)), zh.problem(problem)


def latin_words(text: str, allowed: set[str]) -> set[str]:
    text = PROJECT_ID.sub("", text)
    text = re.sub(r"[\w.-]+\.(xlsx|json)\b", "", text)  # a file's name
    return {w for w in re.findall(r"[A-Za-z][A-Za-z_]+", text) if w not in NAMES | allowed}


def every_tab_text(at: AppTest) -> list[str]:
    """What a planner reads on the page, each tab opened in turn (only the open one is drawn):
    the headline and sidebar once a tab."""
    return [text for page in each_tab(at) for text in visible_text(page)]


def visible_text(at: AppTest) -> Iterator[str]:
    """What a planner reads on the page: words, labels, options, table headers and cells."""
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning"):
        for element in getattr(at, kind):
            yield str(element.value)
    for element in [*at.error, *at.success]:
        yield str(element.value)
    for metric in at.metric:
        yield f"{metric.label} {metric.value} {metric.help or ''}"
    for widget in [*at.button, *at.toggle, *at.checkbox, *at.text_input, *at.number_input]:
        yield str(widget.label)
    for widget in [*at.selectbox, *at.radio, *at.multiselect, *at.select_slider, *at.slider]:
        if widget.key == "language":
            continue  # the language switch names each language in its own words
        yield str(widget.label)
        options = getattr(widget, "options", []) or []
        yield " ".join(map(str, options))
    for tab in at.tabs:
        yield str(tab.label)
    for expander in at.expander:
        yield str(expander.label)
    for frame in at.dataframe:
        table = frame.value
        # A column's shown header is its configured label where it has one; a column
        # configured away (None) is not shown.
        config = json.loads(frame.proto.columns or "{}")
        shown = []
        for column in table.columns:
            given = config.get(str(column), config.get(f"_pos:{column}"))
            if isinstance(given, dict) and given.get("hidden"):
                continue
            shown.append(given.get("label", column) if isinstance(given, dict) else column)
        yield " ".join(map(str, shown))
        for column in table.columns:
            if table[column].dtype == object:
                yield " ".join(map(str, table[column].dropna()))


@pytest.fixture
def chinese_page() -> AppTest:
    main = sys.modules["__main__"]
    try:
        at = AppTest.from_file(APP, default_timeout=120)
        at.run()
        at.sidebar.radio(key="language").set_value("zh").run()
    finally:
        sys.modules["__main__"] = main
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_chinese_page_reads_in_chinese(chinese_page: AppTest) -> None:
    at = chinese_page
    # The sample's own names of things in the file: sector codes are the workbook's values.
    allowed: set[str] = set()
    texts = every_tab_text(at)
    assert len(texts) > 50  # every tab opened in turn: the scan reads the whole page
    found = {w: t[:120] for t in texts for w in latin_words(t, allowed)}
    assert not found, found
    # The same scan on the English page finds English words (it can fail).
    english = {
        w
        for t in every_tab_text(at.sidebar.radio(key="language").set_value("en").run())
        for w in latin_words(t, allowed)
    }
    assert {"Result", "Shortlist", "Frontier"} <= english
    at.sidebar.radio(key="language").set_value("zh").run()
    # An analysis's words, table and chart titles too.
    open_tab(at, "tradeoffs")
    at.slider(key="frontier_points").set_value(3)
    at.select_slider(key="analysis_gap").set_value(0.02)
    at.button(key="run_frontier").click().run()
    assert not at.exception, [e.value for e in at.exception]
    found = {w: t[:120] for t in visible_text(at) for w in latin_words(t, allowed)}
    assert not found, found
    # After a bad upload: the problems in Chinese, located by the workbook's own names.
    at.sidebar.radio(key="source_zh").set_value("upload").run()
    bad = workbook_bytes(projects=[project("P1", capex=-3), project("P2", capex="abc")])
    at.sidebar.file_uploader(key="upload").set_value(("bad.xlsx", bad, XLSX)).run()
    assert not at.exception, [e.value for e in at.exception]
    problems = next(f.value for f in at.dataframe if "问题" in f.value.columns)
    assert list(problems["问题"]) == ["须 > 0，实际为 -3", "须为数字，实际为“abc”"]
    sheet_and_columns = {"projects", "capex"}
    found = {w: t[:120] for t in every_tab_text(at) for w in latin_words(t, sheet_and_columns)}
    assert not found, found


def test_the_command_line_words_workbook_problems_in_the_language_asked(capfd, tmp_path) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook_bytes(projects=[project("P1", capex=-3)]))
    done = run_cli_here(capfd, tmp_path, "solve", bad, "--language", "zh")
    assert done.returncode == 2
    assert done.stderr.splitlines()[-2:] == [
        "工作簿有 1 个问题：",
        "- projects表第2行，capex：须 > 0，实际为 -3",
    ]
    done = run_cli_here(capfd, tmp_path, "check", bad)
    assert done.returncode == 2
    assert "- projects row 2, capex: must be > 0, got -3" in done.stderr
    done = run_cli_here(capfd, tmp_path, "check", ROOT / "projects.xlsx", "--language", "zh")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].endswith("年")
    assert "有效——" in done.stdout


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "empty_file"),
        (b"year,budget\n2021,1\n", "not_xlsx_text"),
        (b"PK\x03\x04xx", "damaged"),
    ],
)
def test_a_file_that_is_no_workbook_is_said_in_both_languages(content: bytes, code: str) -> None:
    with pytest.raises(loader.WorkbookError) as caught:
        loader.load_workbook(content)
    (problem,) = caught.value.problems
    assert problem.code == code
    assert Labels("en").problem(problem) == problem.message
    assert re.search(r"[\u4e00-\u9fff]", Labels("zh").problem(problem))


# A scenario's problems, one of each code the scenario gives, as a notebook or the command
# line reaches them.
def scenario_problems() -> list[ScenarioError]:
    data = loader.load_workbook(workbook_bytes())
    attempts = [
        lambda: read_scenario_json("{"),
        lambda: read_scenario_json("[1]"),
        lambda: read_scenario_json('{"colour": 1}'),
        lambda: read_scenario_json('{"fiscal_budget_scale": "1.2"}'),
        lambda: read_scenario_json('{"fiscal_budget": 3}'),
        lambda: read_scenario_json('{"fiscal_budget": {"next": 3}}'),
        lambda: read_scenario_json('{"forced_in": 3}'),
        lambda: read_scenario_json('{"name": 3}'),
        lambda: read_scenario_json('{"mip_gap": 1' + "0" * 400 + "}"),
        lambda: read_scenario_json(
            '{"fiscal_budget_scale": -1, "ppp_cap_share": 2, "commute_km": 1e9,'
            ' "time_limit_s": 0, "bond_quota": {"2021": -1, "2022": 1e12, "2023": 1e400},'
            ' "sector_min_share": {"roads": 0.1, "energy": 2}, "forced_in": ["P1"],'
            ' "forced_out": ["P1"], "solver": "magic"}'
        ),
        lambda: Scenario(forced_in=("P9",), fiscal_budget={2030: 1.0}).check_against(data),
        lambda: Scenario(sector_min_share={s: 0.5 for s in SECTORS}).check_against(data),
        lambda: Scenario(ppp_min_share=0.9, ppp_max_share=0.1).check_against(data),
        lambda: Scenario(
            sector_min_share={"energy": 0.6}, sector_max_share={"energy": 0.1}
        ).check_against(data),
        lambda: read_scenario_json("[" * 100_000),
        # How a solve searches (issue 19).
        lambda: Scenario().with_assignments(["solve_strategy=fastest"]),
        lambda: read_scenario_json('{"solver": "cbc", "solve_strategy": "lp_submip"}'),
        lambda: Scenario().with_assignments(["fiscal_budget_scale"]),
        lambda: Scenario().with_assignments(["colour=1"]),
        lambda: Scenario().with_assignments(["commute_km.2023=1"]),
        lambda: Scenario().with_assignments(["fiscal_budget=1"]),
        lambda: Scenario().with_assignments(["fiscal_budget_scale=abc"]),
    ]
    errors = []
    for attempt in attempts:
        with pytest.raises(ScenarioError) as caught:
            attempt()
        errors.append(caught.value)
    return errors


def test_a_scenario_problem_is_a_code_worded_in_both_languages() -> None:
    errors = scenario_problems()
    codes = {code for e in errors for code, _ in e.parts}
    assert codes == set(SCENARIO_PROBLEMS), set(SCENARIO_PROBLEMS) - codes
    en, zh = Labels("en"), Labels("zh")
    for error in errors:
        # The English is the scenario's own message, word for word.
        assert en.error_words(error) == str(error)
        words = zh.error_words(error)
        assert re.search(r"[\u4e00-\u9fff]", words), words
    typed = errors[-1]
    assert str(typed) == "'fiscal_budget_scale=abc': the value is not a number"
    assert zh.error_words(typed) == "“fiscal_budget_scale=abc”：值不是数字"
    negative = errors[9]
    assert "fiscal_budget_scale must be ≥ 0, got -1" in str(negative)
    assert "“财政预算倍数”须 ≥ 0，实际为 -1" in zh.error_words(negative)
    # A field's code name is said by its label in Chinese (the user typed none of them).
    assert "fiscal_budget_scale" not in zh.error_words(negative)
    # The file it came from is said in both.
    at_file = errors[0].at("plan.json")
    assert en.error_words(at_file) == str(at_file)
    assert zh.error_words(at_file).startswith("plan.json：情景不是有效的JSON：第1行第2列")


def test_the_command_line_words_scenario_problems_in_the_language_asked(capfd, tmp_path) -> None:
    book = tmp_path / "book.xlsx"
    book.write_bytes(workbook_bytes())
    args = ["solve", book, "--set", "fiscal_budget_scale=abc"]
    done = run_cli_here(capfd, tmp_path, *args, "--language", "zh")
    assert done.returncode == 2
    assert done.stderr.strip() == "错误：“fiscal_budget_scale=abc”：值不是数字"
    done = run_cli_here(capfd, tmp_path, "solve", book, "--set", "fiscal_budget_scale=abc")
    assert done.stderr.strip() == "error: 'fiscal_budget_scale=abc': the value is not a number"
    bad = tmp_path / "bad.json"
    bad.write_text('{"ppp_cap_share": 2}', encoding="utf-8")
    done = run_cli_here(capfd, tmp_path, "solve", book, "--scenario", bad, "--language", "zh")
    assert done.returncode == 2
    assert done.stderr.strip() == "错误：“PPP财政承受能力红线”须在 0 与 1 之间，实际为 2"


def noted_workbook() -> bytes:
    """A workbook read with two notes: a setting the contract does not know, a hidden sheet."""

    def hide_years(book) -> None:
        book["years"].sheet_state = "hidden"

    return workbook_bytes(settings=[("colour", "blue")], edit=hide_years)


def test_a_note_on_the_workbook_is_worded_in_both_languages(capfd, tmp_path) -> None:
    data = loader.load_workbook(noted_workbook())
    assert {n.code for n in data.warnings} == {"unknown_setting", "hidden_sheet"}
    assert {n.code for n in data.warnings} <= set(NOTES)
    en, zh = Labels("en"), Labels("zh")
    for note in data.warnings:
        assert en.note(note) == note
        assert re.search(r"[\u4e00-\u9fff]", zh.note(note))
    assert pickle.loads(pickle.dumps(data.warnings)) == data.warnings
    book = tmp_path / "book.xlsx"
    book.write_bytes(noted_workbook())
    done = run_cli_here(capfd, tmp_path, "check", book, "--language", "zh")
    assert done.returncode == 0, done.stderr
    assert "注意：settings表第2行：未知的设置“colour”，已忽略" in done.stdout.splitlines()
    done = run_cli_here(capfd, tmp_path, "check", book)
    assert "note: settings row 2: unknown key 'colour' ignored" in done.stdout.splitlines()


def test_the_chinese_page_says_scenario_problems_and_notes_in_chinese(
    chinese_page: AppTest,
) -> None:
    at = open_tab(chinese_page, "compare")
    at.file_uploader(key="upload_scenario").set_value(
        ("bad.json", b'{"ppp_cap_share": 2, "solver": "magic"}', "application/json")
    ).run()
    assert not at.exception, [e.value for e in at.exception]
    errors = [str(e.value) for e in at.error]
    assert any("“PPP财政承受能力红线”须在 0 与 1 之间，实际为 2" in e for e in errors), errors
    typed = {"highs", "cbc", "magic"}  # the solvers' names, and the value the file gave
    found = {w: t[:120] for t in visible_text(at) for w in latin_words(t, typed)}
    assert not found, found
    at.sidebar.radio(key="source_zh").set_value("upload").run()
    at.sidebar.file_uploader(key="upload").set_value(("noted.xlsx", noted_workbook(), XLSX)).run()
    assert not at.exception, [e.value for e in at.exception]
    notes = [str(i.value) for i in at.sidebar.info]
    assert any("未知的设置“colour”，已忽略" in n for n in notes), notes
    assert any("在Excel中被隐藏" in n for n in notes), notes
    # The workbook's own names: its sheets, the key it gave, its projects ("project P1").
    allowed = {"settings", "colour", "years", "magic", "highs", "cbc", "project"}
    found = {w: t[:120] for t in every_tab_text(at) for w in latin_words(t, allowed)}
    assert not found, found


def more_workbook_problems(monkeypatch) -> list[loader.Problem]:
    """The loader's other problems: look-alike ids and sheets, a number of thousands of
    digits in a sheet, too many rows, and tables built in Python."""
    found: list[loader.Problem] = []

    def caught(attempt) -> None:
        with pytest.raises(loader.WorkbookError) as error:
            attempt()
        found.extend(error.value.problems)

    def twin_sheet(book) -> None:
        copy = book.copy_worksheet(book["projects"])
        copy.title = "Projects "
        copy.sheet_state = "hidden"

    caught(lambda: loader.load_workbook(workbook_bytes([project("P1"), project("P1\u200b")])))
    caught(lambda: loader.load_workbook(workbook_bytes(edit=twin_sheet)))
    archive = zipfile.ZipFile(io.BytesIO(workbook_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as written:
        for info in archive.infolist():
            data = archive.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'(<c r="E2"[^>]*><v>)[^<]*', rb"\g<1>" + b"9" * 5000, data)
            written.writestr(info, data)
    caught(lambda: loader.load_workbook(out.getvalue()))
    data = loader.load_workbook(workbook_bytes())
    built = [
        dataclasses.replace(data, projects=data.projects.drop(columns=["capex"])),
        dataclasses.replace(data, projects=data.projects.assign(capex=["10", "10", "10"])),
        dataclasses.replace(data, projects=data.projects.assign(mandatory=[1, 0, 1])),
        dataclasses.replace(data, projects=data.projects.assign(sector=["x"] * 3)),
        dataclasses.replace(data, projects=data.projects.assign(capex=[-1.0] * 3)),
        dataclasses.replace(data, regions=[1]),
        dataclasses.replace(data, years=data.years.iloc[:0]),
        dataclasses.replace(data, settings=[1]),
        dataclasses.replace(data, settings={**data.settings, "ppp_cap_share": 2.0}),
    ]
    for each in built:
        caught(lambda each=each: loader.check_planning_data(each))
    big = dataclasses.replace(data, projects=pd.concat([data.projects] * 9, ignore_index=True))
    big.projects["sector"] = "x"
    caught(lambda: loader.check_planning_data(big))
    monkeypatch.setattr(loader, "MAX_ROWS", 2)
    caught(lambda: loader.load_workbook(workbook_bytes()))
    return found


def test_the_loaders_other_problems_are_worded_in_both_languages(monkeypatch) -> None:
    problems = more_workbook_problems(monkeypatch)
    codes = {p.code for p in problems}
    assert all(p.code for p in problems), [p.message for p in problems if not p.code]
    assert {"ids_alike", "sheets_alike", "huge_in_sheet", "table_column_missing"} <= codes
    assert {"table_not_numbers", "table_not_yes_no", "table_choice", "more_rows"} <= codes
    assert {"table_not_frame", "table_no_rows", "settings_not_dict", "out_of_bounds"} <= codes
    assert codes & {"declares_rows", "too_many_rows"}
    en, zh = Labels("en"), Labels("zh")
    for problem in problems:
        assert problem.code in PROBLEMS, problem.message
        assert en.problem(problem) == problem.message
        assert re.search(r"[\u4e00-\u9fff]", zh.problem(problem)), zh.problem(problem)
    twins = next(p for p in problems if p.code == "sheets_alike")
    said = "工作表“projects”和“Projects ”（已隐藏）都会被读作projects表"
    assert zh.problem(twins).startswith(said)


def test_the_command_line_words_file_refusals_in_the_language_asked(capfd, tmp_path) -> None:
    book = tmp_path / "book.xlsx"
    book.write_bytes(workbook_bytes())
    pipe = tmp_path / "pipe.xlsx"
    os.mkfifo(pipe)
    cases = [
        (
            ["solve", book, "--out", pipe],
            f"cannot write {pipe}: it is a named pipe (FIFO), not a file; it was left as it is "
            "(choose a file name for the output)",
            f"无法写入 {pipe}：这是命名管道（FIFO），不是文件；未作改动（请为输出选择一个文件名）",
        ),
        (
            ["solve", book, "--out", book],
            f"{book} is the workbook this run reads; it would be replaced. Choose another file "
            "for the output",
            f"{book} 是本次运行读取的工作簿，会被覆盖。请为输出另选一个文件",
        ),
        (
            ["solve", book, "--scenario", "missing.json"],
            "scenario file not found: missing.json",
            "找不到情景文件：missing.json",
        ),
        (
            ["solve", book, "--scenario", book],
            f"{book} is a workbook without a readable Scenario sheet",
            f"{book} 是工作簿，但没有可读的情景（Scenario）工作表",
        ),
    ]
    for args, english, chinese in cases:
        # The FIFO in a process of its own: a refusal that failed would wait on the pipe, and
        # the process's timeout ends that; the rest in this process.
        run = run_cli if pipe in args else functools.partial(run_cli_here, capfd)
        done = run(tmp_path, *args)
        assert done.returncode == 2, done.stderr
        assert done.stderr.startswith(f"error: {english}"), done.stderr
        done = run(tmp_path, *args, "--language", "zh")
        assert done.returncode == 2, done.stderr
        assert done.stderr.startswith(f"错误：{chinese}"), done.stderr


@pytest.mark.parametrize(
    ("args", "english", "chinese"),
    [
        (
            ["frontier", "book.xlsx", "--points", "x"],
            "python -m optimizer frontier: error: argument --points: invalid int value: 'x'",
            "python -m optimizer frontier：错误：参数 --points：'x' 不是有效的整数",
        ),
        (
            ["solve", "book.xlsx", "--points", "2"],
            "python -m optimizer: error: unrecognized arguments: --points 2",
            "python -m optimizer：错误：无法识别的参数：--points 2",
        ),
        (
            ["frontier", "book.xlsx", "--lever", "nope"],
            "python -m optimizer frontier: error: argument --lever: invalid choice: 'nope'",
            "python -m optimizer frontier：错误：参数 --lever：无效的选项 'nope'（可选：",
        ),
        (
            ["solve"],
            "python -m optimizer solve: error: the following arguments are required: workbook",
            "python -m optimizer solve：错误：缺少必需的参数：workbook",
        ),
    ],
)
def test_the_command_lines_usage_errors_are_worded_in_the_language_asked(
    capfd, tmp_path, args: list[str], english: str, chinese: str
) -> None:
    """argparse refuses these before --language is read; the refusal is in the language
    the command line asks for all the same (its usage lines name options, as typed)."""
    done = run_cli_here(capfd, tmp_path, *args)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("usage: python -m optimizer"), done.stderr
    assert done.stderr.splitlines()[-1].startswith(english), done.stderr
    for asked in (["--language", "zh"], ["--language=zh"]):
        done = run_cli_here(capfd, tmp_path, *args, *asked)
        assert done.returncode == 2, done.stderr
        assert done.stderr.startswith("用法：python -m optimizer"), done.stderr
        assert done.stderr.splitlines()[-1].startswith(chinese), done.stderr
        assert "error" not in done.stderr.splitlines()[-1], done.stderr


def test_a_read_only_output_is_refused_in_both_languages(tmp_path) -> None:
    locked = tmp_path / "locked.xlsx"
    locked.write_bytes(b"")
    locked.chmod(0o444)
    with pytest.raises(OutputError) as caught:
        check_writable(locked)
    error = caught.value
    en, zh = Labels("en"), Labels("zh")
    assert en.error_words(error) == str(error)
    assert zh.error_words(error) == f"{locked} 是只读文件；未作改动（请先设为可写）"


def test_a_workbook_file_that_cannot_be_read_is_said_in_the_language_asked(capfd, tmp_path) -> None:
    done = run_cli_here(capfd, tmp_path, "check", "missing.xlsx", "--language", "zh")
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == "- 找不到文件：missing.xlsx"
    done = run_cli_here(capfd, tmp_path, "check", "missing.xlsx")
    assert done.stderr.splitlines()[-1] == "- file not found: missing.xlsx"
    for attempt, code in (
        (lambda: loader.load_workbook(tmp_path), "file_is_folder"),
        (lambda: loader.load_workbook(io.StringIO("x")), "text_file"),
    ):
        with pytest.raises(loader.WorkbookError) as caught:
            attempt()
        (problem,) = caught.value.problems
        assert problem.code == code
        assert Labels("en").problem(problem) == problem.message
        assert re.search(r"[\u4e00-\u9fff]", Labels("zh").problem(problem))


def test_a_replayed_scenario_from_another_workbook_is_said_in_the_language_asked(
    capfd, tmp_path
) -> None:
    data = loader.load_workbook(workbook_bytes())
    made = Scenario(fiscal_budget={2021: 5.0, 2030: 1.0}, forced_in=("P9",), commute_km=12.0)
    note = SavedScenario(made, "f" * 64).other_workbook(data)
    assert note is not None
    en, zh = Labels("en"), Labels("zh")
    assert en.note(note) == note
    said = zh.note(note)
    assert said.startswith("该情景来自另一个工作簿（指纹 ffffffffffff…；")
    budget = "各年财政预算（亿元，按年）：2021年 5（本工作簿为 10）、2030年 1（本工作簿无此年份）"
    assert budget in said
    assert "强制纳入项目中已不在本工作簿的项目：P9" in said
    assert "通勤距离（公里） 12（本工作簿为" in said
    assert "fiscal_budget" not in said
    book = tmp_path / "book.xlsx"
    book.write_bytes(workbook_bytes())
    scenario = tmp_path / "old.json"
    scenario.write_text(
        json.dumps({"workbook_fingerprint": "f" * 64, "fiscal_budget": {"2021": 5}}),
        encoding="utf-8",
    )
    done = run_cli_here(capfd, tmp_path, "solve", book, "--scenario", scenario, "--language", "zh")
    assert done.returncode == 2
    assert done.stderr.startswith("错误：该情景来自另一个工作簿"), done.stderr
    assert "。如仍要重放，请加 --allow-other-workbook" in done.stderr
    done = run_cli_here(capfd, tmp_path, "solve", book, "--scenario", scenario)
    assert done.stderr.startswith("error: the scenario was made from another workbook")
    assert done.stderr.rstrip().endswith(". Add --allow-other-workbook to replay it anyway")


def test_a_sweeps_options_are_refused_in_the_language_asked(capfd, tmp_path) -> None:
    book = tmp_path / "book.xlsx"
    book.write_bytes(workbook_bytes())
    args = ["frontier", book, "--workers", "0", "--gap", "2"]
    done = run_cli_here(capfd, tmp_path, *args)
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "error: --workers must be at least 1, got 0; "
        "--gap must be between 0 and 1 (0.01 is 1 %), got 2"
    )
    done = run_cli_here(capfd, tmp_path, *args, "--language", "zh")
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "错误：--workers 须至少为 1，实际为 0；--gap 须在 0 与 1 之间（0.01 即 1%），实际为 2"
    )


def test_a_workbook_with_no_scenario_is_refused_in_chinese_on_the_page(
    chinese_page: AppTest,
) -> None:
    at = open_tab(chinese_page, "compare")
    at.file_uploader(key="upload_scenario").set_value(("book.xlsx", workbook_bytes(), XLSX)).run()
    assert not at.exception, [e.value for e in at.exception]
    errors = [str(e.value) for e in at.error]
    said = "book.xlsx 是工作簿，但没有可读的情景（Scenario）工作表"
    assert any(said in e for e in errors), errors


def test_a_reference_shortlist_that_cannot_be_read_is_said_in_either_language() -> None:
    """Each way an Excel shortlist given as a reference plan can fail: a code whose English
    is the message word for word and whose Chinese is Chinese."""
    import openpyxl

    from optimizer.present.export import read_saved_plan

    def book(rows: list[tuple] | None) -> io.BytesIO:
        made = openpyxl.Workbook()
        sheet = made.active
        sheet.title = "Shortlist" if rows is not None else "Other"
        for row in rows or []:
            sheet.append(row)
        buffer = io.BytesIO()
        made.save(buffer)
        buffer.seek(0)
        return buffer

    cases = {
        "plan_no_sheet": None,
        "plan_no_column": [("Project ID", "Name")],
        "plan_bad_year": [("Project ID", "Start"), ("P1", "soon")],
        "plan_listed_twice": [("Project ID", "Start"), ("P1", 2022), ("P1", 2023)],
    }
    en, zh = Labels("en"), Labels("zh")
    for code, rows in cases.items():
        with pytest.raises(ScenarioError) as caught:
            read_saved_plan(book(rows))
        error = caught.value
        assert [c for c, _ in error.parts] == [code]
        assert en.error_words(error) == str(error)
        assert re.search(r"[\u4e00-\u9fff]", zh.error_words(error)), zh.error_words(error)
