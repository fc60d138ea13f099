"""One language per page (issue 20, item 7): the Chinese page, every tab and a bad upload
included, reads in Chinese; a workbook's problems are codes the labels word in either
language, the English word for word the loader's own message."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator

import pytest
from conftest import ROOT
from helpers import project, run_cli_here, workbook_bytes
from streamlit.testing.v1 import AppTest

from optimizer import loader
from optimizer.present.labels import PROBLEMS, Labels

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
    texts = list(visible_text(at))
    assert len(texts) > 50  # every tab is drawn: the scan reads the whole page
    found = {w: t[:120] for t in texts for w in latin_words(t, allowed)}
    assert not found, found
    # The same scan on the English page finds English words (it can fail).
    english = {
        w
        for t in visible_text(at.sidebar.radio(key="language").set_value("en").run())
        for w in latin_words(t, allowed)
    }
    assert {"Result", "Shortlist", "Frontier"} <= english
    at.sidebar.radio(key="language").set_value("zh").run()
    # An analysis's words, table and chart titles too.
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
    found = {w: t[:120] for t in visible_text(at) for w in latin_words(t, sheet_and_columns)}
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
