"""Issue #21 in the app: the Compare tab's scenario upload never shows a traceback (deeply
nested JSON, a 5,000-digit number) and says so when a shortlist comes from another
workbook."""

from __future__ import annotations

import dataclasses
import io
import sys
from collections.abc import Iterator

import pytest
from conftest import ROOT
from helpers import open_tab
from streamlit.testing.v1 import AppTest

import optimizer

APP = str(ROOT / "app.py")


@pytest.fixture(scope="module")
def started() -> Iterator[AppTest]:
    """The app, run once for the module. Streamlit's script runner leaves app.py as
    sys.modules["__main__"]; a process pool started later with "spawn" would then run the
    app in every worker, so the real one is put back once the module is done."""
    main = sys.modules["__main__"]
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    try:
        yield at
    finally:
        sys.modules["__main__"] = main


def upload(at: AppTest, name: str, content: bytes) -> AppTest:
    open_tab(at, "compare")
    at.file_uploader(key="upload_scenario").set_value((name, content, "application/json")).run()
    return at


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'{"commute_km": ' + b"9" * 5000 + b"}", "commute_km must be 0 to 2,000"),
    ],
    ids=["nested", "5,000 digits"],
)
def test_a_hostile_scenario_file_is_one_error(started: AppTest, content: bytes, said: str) -> None:
    at = upload(started, "s.json", content)
    assert not at.exception, [e.value for e in at.exception]
    assert any(said in e.value for e in at.error), [e.value for e in at.error]


def test_a_shortlist_from_another_workbook_is_loaded_with_a_warning(
    started: AppTest, sample: optimizer.PlanningData
) -> None:
    # Last year's version of the sample: another fiscal budget in its first year.
    years = sample.years.copy()
    years.loc[0, "fiscal_budget"] = years.loc[0, "fiscal_budget"] * 0.9
    older = dataclasses.replace(sample, years=years)
    buffer = io.BytesIO()
    optimizer.export_workbook(optimizer.solve(older, {"time_limit_s": 10}), buffer)
    at = upload(started, "short.xlsx", buffer.getvalue())
    assert not at.exception, [e.value for e in at.exception]
    warned = [w.value for w in at.warning if "another workbook" in w.value]
    assert warned, [w.value for w in at.warning]
    assert f"fingerprint {older.fingerprint[:12]}" in warned[0]
    assert f"{sample.fingerprint[:12]}" in warned[0]
    assert "fiscal_budget in 亿元 by year: 2021" in warned[0]
