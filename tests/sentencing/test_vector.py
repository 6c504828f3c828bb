"""Vectorised mode: the worked examples agree with the per-case engine; Arrow input; errors."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import polars as pl
import pytest
import yaml

from caseledger.errors import InvalidInput, UnknownCode
from caseledger.sentencing import engine, vector

SCENARIOS = yaml.safe_load((Path(__file__).parent / "scenarios.yaml").read_text(encoding="utf-8"))


def test_worked_examples_agree_row_by_row():
    cases = [s["input"] for s in SCENARIOS]
    out = vector.recommend_frame(vector.inputs_to_frame(cases))
    assert out.height == len(cases)
    for i, case in enumerate(cases):
        want = vector.result_row(engine.compute(case))
        assert {k: out[k][i] for k in want} == want, SCENARIOS[i]["name"]


def test_arrow_table_in_same_columns_out():
    frame = pl.DataFrame(
        {
            "crime": ["theft", "fraud", "theft"],
            "as_of": [dt.date(2024, 9, 1)] * 3,
            "amount_yuan": [12000.0, 60000.0, 80000.0],
            "c_surrender": [-20.0, None, math.nan],
            "plea_stage": ["investigation", None, "trial"],
        }
    )
    a = vector.recommend_frame(frame)
    b = vector.recommend_frame(frame.to_arrow())
    assert a.equals(b)
    # 42 - 20 % surrender (middle of 0-40) - 10 % trial plea = 29.4 < 36; surrender reduces -> 29
    assert a["definite_months"].to_list() == [4, 37, 29]
    assert a.columns[: frame.width] == frame.columns


def test_errors_name_the_field_and_row():
    base = {"as_of": [dt.date(2024, 9, 1)] * 2, "amount_yuan": [5000.0, 5000.0]}
    with pytest.raises(UnknownCode) as info:
        vector.recommend_frame(pl.DataFrame({"crime": ["theft", "larceny"], **base}))
    assert info.value.context["field"] == "crime" and info.value.context["row"] == 1
    with pytest.raises(InvalidInput) as info:
        vector.recommend_frame(
            pl.DataFrame({"crime": ["theft"] * 2, **base, "c_surrender": [None, -50.0]})
        )
    assert info.value.context == {
        "field": "circumstances.surrender",
        "allowed": "-40..-0",
        "row": 1,
    }
    with pytest.raises(InvalidInput) as info:
        vector.recommend_frame(
            pl.DataFrame({"crime": ["fraud"] * 2, **base, "amount_yuan": [5000.0, 10.0]})
        )
    assert info.value.context["field"] == "facts" and info.value.context["row"] == 1
    with pytest.raises(InvalidInput) as info:
        vector.recommend_frame(
            pl.DataFrame(
                {"crime": ["theft"], "as_of": [dt.date(2020, 1, 1)], "amount_yuan": [5000.0]}
            )
        )
    assert info.value.context["field"] == "as_of"
