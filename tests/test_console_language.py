"""The command line's console summary in the language asked for."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT, SAMPLE
from helpers import run_cli_here

from optimizer.cli import INFEASIBLE


def test_the_console_summary_is_chinese_with_language_zh(capfd: pytest.CaptureFixture) -> None:
    done = run_cli_here(
        capfd, ROOT, "solve", SAMPLE, "--language", "zh", "--set", "mip_gap=0.01"
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("求解状态：")
    assert lines[1].startswith("再就业：分流职工 ")
    assert lines[2].startswith("逐年再就业人数：2021年 ")
    assert lines[3].startswith("入选项目：")
    assert any(line.startswith("镇江PPP财政支出责任：") for line in lines)
    # No English word left: only the solver's name, PPP and 亿元's neighbours in Latin letters.
    words = set(re.findall(r"[A-Za-z]{2,}", done.stdout))
    assert words <= {"PPP", "highs", "HiGHS"}, words


def test_a_chinese_diagnosis_names_the_cities_in_chinese(capfd: pytest.CaptureFixture) -> None:
    # A minimum re-employed share no portfolio meets: the diagnosis moves Lianyungang's PPP
    # line and its coverage floor, each named by the workbook's Chinese city name.
    done = run_cli_here(
        capfd, ROOT, "solve", SAMPLE, "--language", "zh", "--set", "min_coverage_share=0.4"
    )
    assert done.returncode == INFEASIBLE, done.stderr
    assert done.stderr.startswith("没有方案能满足全部约束。"), done.stderr
    assert done.stderr.count("连云港") == 2, done.stderr
    words = set(re.findall(r"[A-Za-z]{2,}", done.stderr))
    assert words <= {"PPP"}, words
