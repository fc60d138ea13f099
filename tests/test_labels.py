"""Words: every label in both languages, Chinese a planner reads, and real reasons."""

from __future__ import annotations

import io
import re
import string
import sys
from collections.abc import Iterator

import openpyxl
import pandas as pd
import pytest
from conftest import ROOT
from helpers import each_tab, open_tab, smaller_app_analyses
from streamlit.testing.v1 import AppTest

import optimizer
from optimizer.present import views
from optimizer.present.export import export_workbook
from optimizer.present.labels import TABLES, Labels
from optimizer.schema import SECTORS

CJK = re.compile(r"[\u4e00-\u9fff]")


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_label_exists_in_both_languages(table: str) -> None:
    for key, pair in TABLES[table].items():
        assert len(pair) == 2, (table, key)
        en, zh = pair
        assert en.strip(), (table, key)
        assert zh.strip(), (table, key)
        assert CJK.search(zh), f"{table}[{key}] has no Chinese: {zh!r}"
        # The same placeholders in both, so either language fills from the same values.
        assert fields(en) == fields(zh), (table, key)


def test_the_standard_terms_are_used() -> None:
    chinese = " ".join(zh for table in TABLES.values() for _, zh in table.values())
    for term in ("一般公共预算支出", "新增专项债券额度", "财政支出责任占一般公共预算支出比例"):
        assert term in chinese
    for term in ("政府和社会资本合作（PPP）", "财政承受能力", "去产能分流职工", "求解精度"):
        assert term in chinese
    # One word for the solver's gap; no financial "break-even" next to PPP; 未入选, not 被移出.
    for banned in ("最优性差距", "间隙", "盈亏平衡", "被移出", "一般预算（", "PPP支出占比"):
        assert banned not in chinese, banned


@pytest.fixture
def solution(sample_solution: optimizer.Solution) -> optimizer.Solution:
    """The sample solved with its own settings (conftest)."""
    return sample_solution


def test_each_reason_names_a_real_limit(
    sample: optimizer.PlanningData, solution: optimizer.Solution
) -> None:
    projects = sample.projects.set_index("project_id")
    chosen = set(solution.chosen_starts)
    standing = solution.by_region.set_index("region")
    debt = solution.limits[solution.limits["family"] == "debt_headroom"].set_index("key")
    last_year = max(sample.planning_years)
    words_en = views.not_chosen_reasons(solution, Labels.for_solution(solution, "en"))
    words_zh = views.not_chosen_reasons(solution, Labels.for_solution(solution, "zh"))
    names = dict(zip(sample.regions["region"], sample.regions["name_zh"], strict=True))
    assert set(solution.not_chosen["reason_code"]) - {"objective"}, "only the objective?"
    for row, en, zh in zip(solution.not_chosen.itertuples(), words_en, words_zh, strict=True):
        p = projects.loc[row.project_id]
        code, city = row.reason_code, row.region
        if code == "excluded":
            assert p["excluded"]
        elif code == "cannot_finish":
            assert p["earliest_start"] + p["duration_years"] - 1 > last_year or (
                p["earliest_start"] > last_year
            )
        elif code == "variant_chosen":
            group = p["exclusive_group"]
            assert any(projects.at[q, "exclusive_group"] == group for q in chosen)
        elif code == "prerequisite_out":
            assert p["requires"]
            assert p["requires"] not in chosen
        elif code == "ppp_over_line":  # 5c: any PPP, paying or not
            assert standing.at[city, "ppp_ratio_before"] > standing.at[city, "ppp_line"]
            # Rule 5c: no new PPP project of any mechanism (social capital or a payment).
            assert p["private_share"] > 0 or p["ppp_annual_payment"] > 0
        elif code == "user_pay_only":
            # Rule 7: a PPP that is not pure user-pay, every start year at or after the rule's.
            assert p["ppp_annual_payment"] > 0 or p["ppp_mechanism"] != "user_pay"
            assert p["earliest_start"] >= solution.scenario.ppp_user_pay_only_from
            assert str(int(solution.scenario.ppp_user_pay_only_from)) in en
        elif code == "government_pay_over_line":
            line = standing.at[city, "government_pay_line"]
            assert standing.at[city, "ppp_ratio_before"] > line
        elif code == "debt_used":
            # The city's debt headroom limit has less room left than the project's bonds.
            assert row.project_id not in chosen
            assert debt.at[city, "slack"] < p["capex"] * p["bond_share"] + 1e-9
        elif code in ("budget_used", "bond_quota_used"):
            # At every start year the project would push some year's spend over its limit.
            inst = optimizer.prepare(sample, solution.scenario)
            money = "budget_money" if code == "budget_used" else "bond_money"
            column = "budget_spend" if code == "budget_used" else "bond_spend"
            limit = "fiscal_budget" if code == "budget_used" else "bond_quota"
            years = solution.by_year.set_index("year")
            d = int(p["duration_years"])
            position = list(sample.projects["project_id"]).index(row.project_id)
            for start in inst.projects.at[position, "starts"]:
                over = [
                    y
                    for y in range(start, start + d)
                    if years.at[y, column] + p["capex"] * p[money.replace("money", "share")] / d
                    > years.at[y, limit] + 1e-9
                ]
                if code == "budget_used":
                    over += [
                        y
                        for y in range(start + d, max(years.index) + 1)
                        if years.at[y, column] + p["ppp_annual_payment"] > years.at[y, limit] + 1e-9
                    ]
                assert over, (row.project_id, start)
        else:
            assert code in (
                "objective",
                "ppp_room_used",
                "ppp_outlay_room_used",
                "government_pay_room_used",
            )
        if code not in (
            "objective",
            "excluded",
            "cannot_finish",
            "variant_chosen",
            "forced_out",
            "budget_used",
            "bond_quota_used",
            "user_pay_only",
        ):
            assert city in en or code == "prerequisite_out", en
            assert names[city] in zh or code == "prerequisite_out", zh
        assert CJK.search(zh), zh
        assert not CJK.search(en), en


def test_the_objective_reason_gives_the_break_even(solution: optimizer.Solution) -> None:
    left_out = solution.not_chosen
    # Left out by the objective, or by a full budget or quota that break-even explains better.
    read_by_break_even = left_out["reason_code"].isin(
        ["objective", "budget_used", "bond_quota_used"]
    )
    by_objective = left_out.loc[read_by_break_even, "project_id"].tolist()
    assert len(by_objective) >= 3
    first, second, third = by_objective[:3]
    table = pd.DataFrame(
        {
            "project_id": [first, second, third],
            "extra_jobs_needed": [1234.4, 5.0, float("inf")],
            "within_gap": [False, True, False],
            "objective_change": [10.0, 0.0, float("inf")],
            "status": ["optimal"] * 3,
        }
    )
    reasons = dict(
        zip(
            left_out["project_id"],
            views.not_chosen_reasons(solution, Labels.for_solution(solution, "en"), table),
            strict=True,
        )
    )
    assert "1,234 more jobs" in reasons[first]
    assert reasons[second] == "forcing it in costs less than the solver's precision"
    assert "no number of jobs" in reasons[third]
    chinese = views.not_chosen_reasons(solution, Labels.for_solution(solution, "zh"), table)
    assert "入选与否的差别在求解精度内" in chinese
    shown = views.break_even_table(table, solution, Labels.for_solution(solution, "zh"))
    # Names beside the ids; the informative row (a finite number of jobs) first; within
    # precision marked.
    assert list(shown.columns[:3]) == ["项目编号", "项目名称", "城市"]
    assert shown.iloc[0]["项目编号"] == first
    assert list(shown["在求解精度内"]) == ["否", "是", "否"]


def test_used_up_limits_read_as_words(solution: optimizer.Solution) -> None:
    table = views.limits_table(solution, Labels.for_solution(solution, "en"))
    words = " ".join(table["Limit"])
    for code in ("forced_in", "exclusive_group", "ppp_line", "debt_headroom", "≤"):
        assert code not in words
    ppp = solution.used_up_limits["family"].isin(["ppp_line", "government_pay_line"])
    if ppp.any():
        notes = [n for n in table["PPP lines"] if n]
        assert notes
        assert all("existing commitments" in n and "room left" in n for n in notes)
    chinese = views.limits_table(solution, Labels.for_solution(solution, "zh"))
    assert all(CJK.search(w) for w in chinese["约束"])


def chinese_headers(headers: list[object]) -> list[object]:
    """Headers with no Chinese in them (project ids are the only English a planner sees)."""
    return [h for h in headers if h is not None and not CJK.search(str(h))]


def test_the_chinese_excel_file_has_no_english_headers(solution: optimizer.Solution) -> None:
    buffer = io.BytesIO()
    frontier = pd.DataFrame({"amount": [1.0, 2.0], "setting": [0.5, 1.0], "status": "optimal"})
    frontier = frontier.assign(worker_years=[1.0, 2.0], job_years=[2.0, 3.0])
    zh = Labels.for_solution(solution, "zh")
    export_workbook(solution, buffer, labels=zh, frontier=frontier, break_even={"X": 3.0})
    book = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    for sheet in book.worksheets:
        header_row = 2 if sheet.title == "摘要" else 1
        headers = [c.value for c in sheet[header_row]]
        assert not chinese_headers(headers), (sheet.title, headers)
    summary = [row[0] for row in book["摘要"].iter_rows(min_row=3, values_only=True)]
    assert not chinese_headers(summary)
    shortlist = pd.read_excel(io.BytesIO(buffer.getvalue()), sheet_name="入选项目").iloc[:-1]
    names_zh = set(solution.reemployment["name_zh"])
    assert set(shortlist["城市"]) <= names_zh
    assert set(shortlist["行业"]) <= {Labels("zh").sector(s) for s in SECTORS}
    not_chosen = pd.read_excel(io.BytesIO(buffer.getvalue()), sheet_name="未入选项目")
    assert not_chosen["未入选原因"].iloc[:-1].map(lambda v: bool(CJK.search(str(v)))).all()


@pytest.fixture
def keep_main_module() -> Iterator[None]:
    main = sys.modules["__main__"]
    yield
    sys.modules["__main__"] = main


def test_the_chinese_analyses_conclude_in_chinese_under_chinese_headers(
    keep_main_module: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page in Chinese with every analysis run: each states its conclusion in Chinese,
    and no table has an English header or an English word a planner reads."""
    # Fewer solves than the page asks for, the same words (helpers.smaller_app_analyses).
    smaller_app_analyses(monkeypatch, grid=(3, 3), draws=3)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.session_state["language"] = "zh"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    open_tab(at, "compare").text_input(key="save_name").set_value("基线").run()
    at.button(key="save_scenario").click().run()
    at.sidebar.slider(key="fiscal_budget_scale").set_value(1.2).run()
    open_tab(at, "tradeoffs").slider(key="frontier_points").set_value(3)
    at.select_slider(key="analysis_gap").set_value(0.02)
    at.button(key="run_frontier").click().run()
    at.button(key="run_grid").click().run()
    at.slider(key="draws").set_value(10)
    at.button(key="run_robustness").click().run()
    assert not at.exception, [e.value for e in at.exception]

    # Each analysis states its conclusion in the page's language.
    said = [i.value for i in at.info]
    frontier = [s for s in said if s.startswith("财政预算（各年合计）：")]
    assert len(frontier) == 1
    assert "人年" in frontier[0]
    grid = [s for s in said if s.startswith("当前设定：再就业")]
    assert len(grid) == 1
    robust = [s for s in said if s.startswith("3次抽样")]
    assert len(robust) == 1
    assert "每次抽样都是一种不同的情形" in robust[0] or "求解精度内" in robust[0]
    for sentence in frontier + grid + robust:
        assert not re.findall(r"[A-Za-z]{2,}", sentence.replace("PPP", "")), sentence
    # The draws' chart names the core and borderline projects only; a table gives the share
    # of draws that keep each.
    kept = next(f.value for f in at.dataframe if "入选频率" in f.value.columns)
    assert set(kept["类别"]) <= {"核心", "边缘"}
    assert kept["入选频率"].is_monotonic_decreasing
    # No worker-years finer than the precision (no 151,349.553).
    table = next(f.value for f in at.dataframe if "设定值" in f.value.columns)
    years = table["再就业人年"].dropna()
    assert (years % 10 == 0).all(), list(years)

    # No table has an English header (each tab opened in turn: only the open one is drawn).
    shown, placeholders = [], []
    for page in each_tab(at):
        assert not page.exception, [e.value for e in page.exception]
        shown += [f.value for f in page.main.dataframe]
        placeholders += [m.placeholder for m in page.multiselect]
    assert len(shown) >= 7  # limits, frontier, robustness, compare ×3, shortlist, left out
    for frame in shown:
        headers = list(frame.columns)
        if "项目" in headers:  # the comparison: one row a figure, named in the first column
            headers += list(frame["项目"])
        assert not chinese_headers([h for h in headers if h != "基线"]), headers
    words = " ".join(str(v) for f in shown for c in f.columns for v in f[c].astype(str))
    words = re.sub(
        r"(?<![A-Za-z0-9])[A-Z]+\d*-[A-Za-z0-9-]+", "", words
    )  # ids (projects, schemes) stay as typed
    for english in ("optimal", "time_limit", "infeasible", "transport", "Nanjing", "Xuzhou"):
        assert english not in words, english
    assert "南京" in words
    assert "交通" in words
    # Widgets: no English placeholder ("Choose options") and Chinese labels.
    assert all(placeholder == "请选择" for placeholder in placeholders)
    assert at.metric[0].label.startswith("再就业人年")
    assert "万" in at.metric[0].value


def test_every_status_has_words_in_both_languages() -> None:
    from optimizer.present.labels import STATUSES, Labels

    for status in optimizer.Status:
        assert str(status) in STATUSES
        assert Labels("zh").status(str(status)) != str(status)


def test_a_limit_without_its_line_is_named_without_a_placeholder() -> None:
    # The no-portfolio page showed "Taizhou's room under the PPP line (? of general budget
    # spending)" when the diagnosis gave no line.
    for language in ("en", "zh"):
        labels = Labels(language)
        for family in ("ppp_line", "government_pay_line"):
            words = labels.limit(family, "Taizhou")
            assert "?" not in words
            assert "{" not in words
            assert "%" in labels.limit(family, "Taizhou", 0.1)
    assert Labels("en").limit("ppp_line", "Taizhou") == "Taizhou's room under the PPP line"
