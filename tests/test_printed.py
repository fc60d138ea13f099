"""The printed shortlist, as LibreOffice prints it: every word readable (8 pt or more), no
text printed over other text, each page titled with its sheet, and a page count that follows
from that. One conversion of both languages for the module."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import openpyxl
import pytest

import optimizer
from optimizer import Scenario, solve
from optimizer.present.export import export_workbook
from optimizer.present.labels import Labels

if TYPE_CHECKING:  # imported where used: the other test process never pays for it
    import pymupdf

READABLE = 8.0  # points, as printed
# A table's first cell: a project id, a year or a city (By city, where "Debt used (亿元)"
# once printed as "Debt used (亿" over "元)").
FIRST_CELL = r"JS-[A-Z]+-\d+|20\d\d|Nanjing|南京"


@pytest.fixture(scope="module")
def printed(
    sample: optimizer.PlanningData, tmp_path_factory, libreoffice
) -> dict[str, pymupdf.Document]:
    out = tmp_path_factory.mktemp("printed")
    solution = solve(sample, Scenario(fiscal_budget_scale=1.1, name="budget +10 %"))
    paths = {}
    for language in ("en", "zh"):
        paths[language] = out / f"shortlist_{language}.xlsx"
        labels = Labels.for_solution(solution, language)
        export_workbook(solution, paths[language], labels=labels, sample_data=True)
    done = libreoffice("pdf", out, *paths.values())
    assert done.returncode == 0, done.stderr
    import pymupdf

    return {language: pymupdf.open(path.with_suffix(".pdf")) for language, path in paths.items()}


def spans(page: pymupdf.Page) -> list[dict]:
    return [
        span
        for block in page.get_text("dict")["blocks"]
        for line in block.get("lines", [])
        for span in line["spans"]
        if span["text"].strip()
    ]


@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_printed_word_is_readable_and_clear_of_the_others(printed, language) -> None:
    import pymupdf

    document = printed[language]
    # Before issue 20: 12 pages at 4 to 5 pt; then 31 (zh) to 34 (en) pages at 8 pt on
    # version 3's sample. A meeting's pages: the Summary, the Shortlist one line a project,
    # By year, By city, By sector, Layoffs and Training (10 in English, 11 in Chinese); the
    # rest is in the file.
    assert 5 <= document.page_count <= 11, document.page_count
    for number, page in enumerate(document, start=1):
        found = spans(page)
        smallest = min(found, key=lambda s: s["size"])
        # LibreOffice writes a scaled 11 pt font as e.g. 7.98 for 8: a hundredth is rounding.
        assert smallest["size"] >= READABLE - 0.05, (number, smallest["text"], smallest["size"])
        # Every pair of boxes overlapping by more than a point both ways, found by a sweep
        # down the page: sorted by top edge, a box is compared only with those that start
        # above its bottom edge (the others overlap it by at most a point in height).
        order = sorted(range(len(found)), key=lambda k: found[k]["bbox"][1])
        boxes = [pymupdf.Rect(found[k]["bbox"]) for k in order]
        for i, a in enumerate(boxes):
            for j in range(i + 1, len(boxes)):
                if boxes[j].y0 >= a.y1 - 1:
                    break
                overlap = a & boxes[j]
                assert overlap.is_empty or min(overlap.width, overlap.height) <= 1, (
                    number,
                    found[order[i]]["text"],
                    found[order[j]]["text"],
                )


def test_each_page_is_titled_and_the_summary_says_what_a_meeting_needs(printed) -> None:
    titles = {
        "en": ["Summary", "Shortlist", "By year", "By city", "By sector", "Layoffs", "Training"],
        "zh": ["摘要", "入选项目", "分年度", "分城市", "分行业", "分流安置节奏", "培训人数"],
    }
    for language, document in printed.items():
        heads = [page.get_text().lstrip().split("\n", 1)[0].strip() for page in document]
        assert list(dict.fromkeys(heads)) == titles[language], heads
        summary = document[0].get_text()
        assert "budget +10 %" in summary  # the scenario's name
        assert "659," not in summary  # no unexplained objective value
    en, zh = printed["en"][0].get_text(), printed["zh"][0].get_text()
    # The sample's Zhenjiang is above the 10 % PPP line before any new project: flagged.
    assert "Lines already exceeded" in en
    assert "Zhenjiang: PPP ratio 10.3% above the 10% line" in en
    assert "已超出的红线" in zh
    assert "镇江：财政支出责任比例 10.3%，超出 10% 红线" in zh
    # The sheets a meeting does not print are in the file, whole, and the Summary says so.
    assert "Not chosen, Limits, Scenario are in the file, whole, but not printed" in " ".join(
        en.split()
    )
    assert "未入选项目、约束、情景完整保留在文件中" in "".join(zh.split())


def test_headers_keep_their_units_whole(printed) -> None:
    # "投资额（亿元）" printed as "投资额（亿" over "元）" before issue 20. On the pages whose
    # rows start with a project id or a year, every header line above the first row has its
    # brackets closed on the line they open.
    checked = 0
    for document in printed.values():
        for page in document:
            lines = [
                (line["bbox"][1], "".join(s["text"] for s in line["spans"]).strip())
                for block in page.get_text("dict")["blocks"]
                for line in block.get("lines", [])
            ]
            rows = [y for y, text in lines if re.fullmatch(FIRST_CELL, text)]
            if not rows:
                continue
            for _, text in (line for line in lines if line[0] < min(rows) - 1):
                opened = text.count("（") + text.count("(")
                closed = text.count("）") + text.count(")")
                assert opened == closed, (page.number + 1, text)
                checked += 1
    assert checked > 50


def test_the_full_tables_stay_in_the_file(printed) -> None:
    # The unprinted sheets are whole in the file, and the Chinese sources are Chinese there.
    folder = next(iter(printed.values())).name.rsplit("/", 1)[0]
    book = openpyxl.load_workbook(f"{folder}/shortlist_zh.xlsx")
    assert {"未入选项目", "约束", "情景"} <= set(book.sheetnames)
    assert book["未入选项目"].max_row > 50
    sources = [c.value for c in book["入选项目"]["J"][1:]]
    assert "无可用数据" in sources
    assert "no figure found" not in sources
