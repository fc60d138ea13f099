"""The limit families are one table (optimizer.limits): the model's rows, the movable
families, the re-solve's amounts, the levers and the words all follow it."""

from __future__ import annotations

import re

from helpers import sample_subset

import optimizer
from optimizer.limits import FAMILIES, MONEY_FIELDS, MOVABLE
from optimizer.model import build_model, limit_amounts
from optimizer.present.labels import CONFLICTS, FAMILY_NAMES, LIMIT_NAMES, UNITS
from optimizer.tradeoffs import LEVERS


def test_every_family_has_words_and_a_known_unit() -> None:
    for name, family in FAMILIES.items():
        assert name in LIMIT_NAMES, name
        assert name in FAMILY_NAMES, name
        assert family.unit in UNITS, name
    assert set(CONFLICTS) - {"_numbers", "_words"} <= set(FAMILIES)


def test_the_model_names_its_rows_as_the_table_says(sample: optimizer.PlanningData) -> None:
    scenario = optimizer.Scenario(min_coverage_share=0.1, ppp_min_share=0.05)
    model = build_model(sample_subset(sample), scenario, elastic=True)
    patterns = {
        n: re.compile(
            "|".join(
                re.escape(row).replace(r"\{n\}", r"\d+").replace(r"\{k\}", r"\d+") + "$"
                for row in f.rows
            )
        )
        for n, f in FAMILIES.items()
    }
    assert {lim.family for lim in model.limits} <= set(FAMILIES)
    for lim in model.limits:
        assert patterns[lim.family].match(lim.name), lim.name
        assert lim.unit == FAMILIES[lim.family].unit
        assert (lim.violation is not None) == (lim.family in MOVABLE)
    rows = {lim.name: lim.limit for lim in model.limits}
    for name, amount in limit_amounts(model.instance).items():
        assert rows.get(name, amount) == amount


def test_levers_and_re_solved_fields_come_from_the_families() -> None:
    assert [n for n in LEVERS if n in FAMILIES] == [
        n for n, f in FAMILIES.items() if f.lever is not None
    ]
    for name, family in FAMILIES.items():
        if family.lever is not None:
            assert LEVERS[name].field == family.lever
            # A lever that moves amounts alone re-solves a kept model; one that changes the
            # model's rows (the PPP line: which cities are closed) rebuilds it.
            assert (family.lever in MONEY_FIELDS) == (family.amount is not None), name
    assert "fiscal_budget_scale" in MONEY_FIELDS
    assert "commute_km" not in MONEY_FIELDS
