"""Each trade-off analysis states its conclusion in a sentence, in both languages, with its
numbers rounded to what the solves' precision supports (issue 20, item 4)."""

from __future__ import annotations

import dataclasses
import math
import re

import pandas as pd
import pytest
from conftest import SAMPLE
from helpers import run_cli_here

import optimizer
from optimizer import Scenario, conclusions
from optimizer.precision import rounded, rounding_step
from optimizer.present import explain
from optimizer.present.labels import Labels
from optimizer.solver import Status
from optimizer.tradeoffs import Robustness

# Latin words a Chinese sentence may hold: project ids and names such as PPP.
ALLOWED = {"PPP", "JS", "IMF"}


def latin_words(text: str) -> set[str]:
    """The Latin-letter words of a text, project ids (JS-NJ-003, JS-WX-217-V2) left out."""
    text = re.sub(r"\bJS-[A-Z]+-\d+(-V\d+)?\b", "", text)
    return set(re.findall(r"[A-Za-z]{2,}", text)) - ALLOWED


def test_figures_are_rounded_to_the_precision() -> None:
    assert rounding_step(1_870.0) == 1_000
    assert rounded(151_349.553, 1_870.0) == 151_000
    assert rounded(151_349.553, 0.5) == 151_350  # a count keeps no decimal it cannot have
    assert rounded(151_349.553, 99.0) == 151_350
    assert rounded(151_349.553, math.inf) == 151_350
    assert math.isnan(rounded(math.nan, 10.0))
    assert conclusions.significant(9.4731) == 9.5
    assert conclusions.significant(1234.0) == 1200


def frontier_table(settings, worker_years, marginal, current=1.0) -> pd.DataFrame:
    """A fiscal-budget frontier as optimizer.frontier gives it (1 100 亿元 at 1.0×)."""
    return pd.DataFrame(
        {
            "lever": "fiscal_budget",
            "setting": settings,
            "amount": [1100.0 * s for s in settings],
            "unit": "亿元",
            "status": [Status.OPTIMAL if w == w else Status.INFEASIBLE for w in worker_years],
            "worker_years": worker_years,
            "marginal_worker_years": marginal,
            "tolerance": 500.0,
            "current": [s == current for s in settings],
        }
    )


def test_the_frontier_says_where_more_money_stops_paying() -> None:
    # 0.5× → 1.0× buys 100 worker-years per 亿元; beyond 1.5× a step buys 2 per 亿元 or
    # nothing that can be told from zero (NaN: within precision).
    table = frontier_table(
        [0.0, 0.5, 1.0, 1.5, 2.0],
        [math.nan, 100_000.0, 155_000.0, 200_000.0, 201_100.0],
        [math.nan, math.nan, 100.0, 81.8, 2.0],
    )
    found = conclusions.saturation(table)
    assert found is not None
    assert found.setting == 1.5
    assert found.amount == 1650.0
    assert found.change == 550.0
    assert found.average == pytest.approx(100.0)  # (155,000 − 100,000) / 550
    assert found.threshold == 10.0
    assert not found.past
    en = explain.frontier_sentence(table, Labels("en"))
    assert en == (
        "fiscal budget, all years: beyond 1.5× the current amount (1,650 亿元, +550 亿元 "
        "against now), each further 亿元 adds fewer than 10 worker-years re-employed; from "
        "0.5× the current amount to the current setting each 亿元 bought 100."
    )
    zh = explain.frontier_sentence(table, Labels("zh"))
    assert "超过当前的1.5倍（1,650 亿元，较当前+550 亿元）后" in zh
    assert "不足10人年" in zh
    assert not latin_words(zh), zh
    # A lever of a few 亿元 (the training budget) keeps the decimals that tell its steps apart.
    assert explain.lever_amount(1.8) == "1.8"
    assert explain.lever_amount(-1.2, sign=True) == "−1.2"
    assert explain.lever_amount(0.06, sign=True) == "+0.06"
    assert explain.lever_amount(1650.0) == "1,650"
    assert explain.lever_amount(0.6) == "0.6"
    few = frontier_table(
        [0.0, 0.2, 0.6, 1.0], [0.0, 100_000.0, 150_000.0, 150_100.0], [math.nan, 1e4, 500.0, 1.0]
    ).assign(amount=lambda t: 3.0 * t["setting"])
    assert "超过当前的0.2倍（0.6 亿元，较当前−2.4 亿元）后" in explain.frontier_sentence(
        few, Labels("zh")
    )
    # Past the point already: said so.
    past = frontier_table(
        table["setting"], table["worker_years"], table["marginal_worker_years"], 2.0
    )
    assert conclusions.saturation(past).past
    assert "already past" in explain.frontier_sentence(past, Labels("en"))
    # Every step pays: said so, with the top of the range.
    rising = frontier_table(
        [0.5, 1.0, 1.5], [100_000.0, 150_000.0, 200_000.0], [math.nan, 90.0, 90.0]
    )
    assert conclusions.saturation(rising).setting is None
    assert "up to 1.5× the current amount" in explain.frontier_sentence(rising, Labels("en"))
    # Nothing beyond precision anywhere: said so, never "fewer than 0".
    flat = frontier_table([0.8, 1.0, 1.2], [300_000.0] * 3, [math.nan] * 3)
    words = explain.frontier_sentence(flat, Labels("en"))
    assert words.startswith("fiscal budget, all years: from 0.8× the current amount to 1.2×")
    assert "nothing that can be told apart from zero" in words
    # Too few solved points: no conclusion drawn, and the words say so.
    alone = frontier_table([0.0, 1.0], [math.nan, 1.0], [math.nan, math.nan])
    assert conclusions.saturation(alone) is None
    assert "Too few points" in explain.frontier_sentence(alone, Labels("en"))
    # The current setting the lowest point, the next within precision (± 1,000): flat,
    # never "fewer than 0.00000000000045".
    lowest = frontier_table([1.0, 1.2], [300_000.0, 300_000.0000001], [math.nan, 5e-10])
    assert conclusions.saturation(lowest).flat
    assert "told apart from zero" in explain.frontier_sentence(lowest, Labels("en"))
    away = frontier_table([1.1, 1.3], [300_000.0, 300_100.0], [math.nan, math.nan])
    assert "not a point of this frontier" in explain.frontier_sentence(away, Labels("en"))


def test_the_heat_map_reads_the_current_cell_each_lever_alone_and_the_best() -> None:
    rows = []
    for x in (1.0, 2.0):
        for y in (1.0, 2.0):
            years = 300_000.0 + 20_000.0 * (x - 1) + 300.0 * (y - 1)
            rows.append(
                {
                    "lever_x": "fiscal_budget",
                    "setting_x": x,
                    "amount_x": 1100.0 * x,
                    "lever_y": "bond_quota",
                    "setting_y": y,
                    "amount_y": 2552.0 * y,
                    "status": Status.OPTIMAL,
                    "worker_years": years,
                    "tolerance": 400.0,
                    "current": x == 1.0 and y == 1.0,
                }
            )
    grid = pd.DataFrame(rows)
    found = conclusions.grid_reading(grid)
    assert found.current == 300_000
    assert found.gain_x.value == 20_000
    assert not found.gain_x.within_precision
    assert found.gain_y.within_precision  # 300 against ± 800
    # The best cell: the more money of two alike within precision is not needed.
    assert (found.best_x, found.best_y) == (2.0, 1.0)
    en = explain.grid_sentence(grid, Labels("en"))
    assert "At the current settings: 300,000 worker-years re-employed." in en
    assert "+20,000 worker-years" in en
    assert "within solver precision (± 800 worker-years)" in en
    zh = explain.grid_sentence(grid, Labels("zh"))
    assert "当前设定：再就业30.00 万人年" in zh
    assert not latin_words(zh), zh
    assert conclusions.grid_reading(grid.assign(current=False)) is None
    assert "not a cell of this grid" in explain.grid_sentence(
        grid.assign(current=False), Labels("en")
    )


class Headline:
    """What the robustness reading needs of a Solution."""

    worker_years = 340_000.0
    objective = -3_000.0
    gap = 0.001
    gap_base = 400_000.0  # slack: 400 + 1e-6


def draws(years: list[float], spread: float = 0.3, overrun: float = 0.4) -> Robustness:
    projects = pd.DataFrame(
        {
            "project_id": ["A", "B", "C"],
            "name": ["a", "b", "c"],
            "sector": ["energy"] * 3,
            "region": ["Nanjing"] * 3,
            "frequency": [1.0, 0.5, 0.0],
            "class": ["core", "borderline", "outside"],
        }
    )
    table = pd.DataFrame(
        {
            "draw": range(len(years)),
            "status": [Status.OPTIMAL] * len(years),
            "worker_years": years,
            "tolerance": 300.0,
        }
    )
    return Robustness(projects, table, spread, overrun)


def test_robustness_says_why_the_median_differs_from_the_headline() -> None:
    result = draws([330_000.0, 331_000.0, 332_000.0, 341_000.0])
    found = conclusions.robustness_reading(result, Headline())
    assert (found.core, found.borderline, found.outside) == (1, 1, 1)
    assert found.median == 331_500  # rounded to the draws' ± 300
    assert found.difference.value == pytest.approx(-8_500)
    assert found.below == 3
    en = explain.robustness_sentences(result, Headline(), Labels("en"))
    assert en[0].startswith("Of 4 draws (4 with a portfolio), 1 projects are kept")
    assert "8,500 (2.5%) below the headline's 340,000" in en[1]
    assert "3 of 4 draws fall below it" in en[1]
    assert "within ±30%" in en[1]
    assert "+40%" in en[1]
    assert "+20% on average" in en[1]
    assert "re-employment rate" not in en[1]  # no rates drawn, none said
    rates = dataclasses.replace(result, rate_spread=0.5)
    assert en[1] + " Each city's baseline re-employment rate is drawn within ±50% as well." == (
        explain.robustness_sentences(rates, Headline(), Labels("en"))[1]
    )
    assert "各市基准再就业率也在±50%内随机变动。" in (
        explain.robustness_sentences(rates, Headline(), Labels("zh"))[1]
    )
    zh = explain.robustness_sentences(result, Headline(), Labels("zh"))
    assert "低8,500人年（2.5%）" in zh[1]
    assert not latin_words(" ".join(zh)), zh
    # Draws that pick the projects that came out well, without overruns: above.
    above = explain.robustness_sentences(
        draws([345_000.0, 346_000.0], overrun=0.0), Headline(), Labels("en")
    )
    assert "above the headline's" in above[1]
    same = explain.robustness_sentences(draws([340_100.0]), Headline(), Labels("en"))
    assert "within solver precision of the headline's 340,000" in same[1]
    kept = conclusions.kept_projects(result)
    assert list(kept["project_id"]) == ["A", "B"]


def test_entry_thresholds_are_jobs_per_yi() -> None:
    left_out = pd.DataFrame(
        {
            "project_id": ["P1", "P2", "P3", "P4"],
            "name": ["one", "two", "three", "four"],
            "region": ["Nanjing"] * 4,
            "capex": [10.0, 20.0, 5.0, 8.0],
            "jobs_per_yi": [12.0, 15.0, 10.0, 9.0],
        }
    )
    table = pd.DataFrame(
        {
            "project_id": ["P1", "P2", "P3", "P4"],
            "in_portfolio": False,
            "extra_jobs_needed": [30.0, 20.0, math.inf, 1.0],
            "within_gap": [False, False, False, True],
        }
    )
    rates = conclusions.entry_thresholds(table, left_out)
    assert rates["jobs_per_yi_needed"].tolist() == [15.0, 16.0, math.inf, 9.125]
    nearest = conclusions.nearest_entry(rates)
    assert nearest["project_id"] == "P2"  # +6.7 %, against P1's +25 % (P4 within precision)

    class Left:
        not_chosen = left_out

    en = explain.entry_sentence(table, Left(), Labels("en"))
    assert en.startswith(
        "Closest to entering: P2 (two, Nanjing) would need 16 jobs per 亿元 in each build "
        "year, against the 15 it has (+7%). 1 of 4 projects left out cannot enter"
    )
    zh = explain.entry_sentence(table, Left(), Labels("zh", {"Nanjing": "南京"}))
    assert zh.startswith(
        "最接近入选的是P2（two，南京）：每亿元建设期年均岗位需达到16个，现有15个（+7%）"
    )


def test_the_command_line_prints_each_conclusion_in_the_language_asked(capfd, tmp_path) -> None:
    done = run_cli_here(
        capfd, tmp_path,
        "frontier", SAMPLE, "--values", "0.8,1,1.2", "--quiet", "--language", "zh",
        "--gap", "0.01",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "财政预算（各年合计）前沿曲线（亿元）"
    assert lines[1].startswith("财政预算（各年合计）：")
    assert "人年" in lines[1]
    assert not latin_words(done.stdout), done.stdout
    # Worker-years as the precision supports them: no thousands with decimals.
    assert not re.search(r"\d,\d{3}\.\d", done.stdout), done.stdout
    done = run_cli_here(
        capfd, tmp_path, "robustness", SAMPLE, "--draws", "2", "--quiet", "--gap", "0.01"
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("draws: 2; worker-years median ")
    assert lines[1].startswith("Of 2 draws (2 with a portfolio), ")
    assert "the headline's" in lines[2]
    assert "Each draw is a different world" in lines[2]
    done = run_cli_here(
        capfd, tmp_path, "robustness", SAMPLE, "--draws", "2", "--quiet", "--gap", "0.01",
        "--language", "zh",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("抽样：2次；")
    assert "每次抽样都是一种不同的情形" in done.stdout
    assert not latin_words(done.stdout), latin_words(done.stdout)


def test_the_grid_and_break_even_commands_conclude(
    capfd, tmp_path, sample: optimizer.PlanningData
) -> None:
    done = run_cli_here(
        capfd, tmp_path, "grid", SAMPLE, "--points", "3", "--quiet",
        "--gap", "0.01", "--language", "zh",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "财政预算（各年合计） × 新增专项债券额度（各年合计）热力图"
    assert lines[1].startswith("当前设定：再就业")
    assert not latin_words(done.stdout), latin_words(done.stdout)
    solution = optimizer.solve(sample, Scenario(mip_gap=0.01))
    left = solution.not_chosen["project_id"].head(3).tolist()
    done = run_cli_here(
        capfd, tmp_path, "break-even", SAMPLE, "--projects", ",".join(left), "--quiet",
        "--gap", "0.01", "--set", "mip_gap=0.01",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "break-even: what forcing each project in or out costs"
    assert lines[1].startswith(("Closest to entering: ", "No project left out would enter"))
    assert "Jobs per 亿元 it would need (each build year)" in lines[2]
