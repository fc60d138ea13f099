"""The command line's console summary in the language asked for."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from conftest import ROOT, SAMPLE


def test_the_console_summary_is_chinese_with_language_zh() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "optimizer", "solve", str(SAMPLE), "--language", "zh"]
        + ["--set", "mip_gap=0.01"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
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
