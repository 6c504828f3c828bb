"""Every indicator on the cube equals a row-by-row count of the hand-made warehouse, at every
unit level and period granularity; the cube is one query; extra measures ride along."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import polars as pl
import pytest

from caseledger.analytics import cube as cubes
from caseledger.analytics import indicators, query, source
from caseledger.analytics.indicators.base import Family, Measure
from tests.analytics import warehouse_fixture as wf

RATES = [i.id for i in indicators.all_indicators() if i.kind == "rate"]


def test_the_oracle_covers_every_rate_indicator():
    assert set(wf.ORACLE) == set(RATES)


def _as_dict(rows: pl.DataFrame) -> dict[tuple[str, str], tuple[int, int]]:
    return {
        (r["unit"], r["period"]): (r["numerator"], r["denominator"])
        for r in rows.iter_rows(named=True)
    }


@pytest.mark.parametrize("indicator", RATES)
def test_rate_equals_the_row_by_row_count(hand_cube, hand_rows, indicator):
    spec = indicators.get(indicator)
    agency = indicators.AGENCY_COLUMNS[spec.agency]
    for level in query.LEVELS:
        for granularity in ("month", "quarter", "year", "all"):
            table = query.compute(hand_cube, indicator, level=level, period=granularity)
            expected = wf.oracle_rate(hand_rows, indicator, level, granularity, agency)
            expected = {k: v for k, v in expected.items() if v[1] > 0}
            assert _as_dict(table.rows) == expected, (indicator, level, granularity)
            assert table.rows["value"].is_between(0, 1).all()


def test_values_are_numerator_over_denominator(hand_cube):
    rows = query.compute(hand_cube, "plea_rate", level="county", period="month").rows
    for r in rows.iter_rows(named=True):
        assert r["value"] == r["numerator"] / r["denominator"]


def test_disposition_days_are_exact_nearest_rank_quantiles(hand_cube, hand_rows):
    for level in query.LEVELS:
        for granularity in ("month", "year", "all"):
            rows = query.compute(
                hand_cube, "disposition_days", level=level, period=granularity
            ).rows
            got = {
                (r["unit"], r["period"]): (r["defendants"], r["q50"], r["q90"])
                for r in rows.iter_rows(named=True)
            }
            assert got == wf.oracle_days(hand_rows, level, granularity), (level, granularity)


def test_units_without_a_unit_are_counted_apart(hand_cube, hand_rows):
    table = query.compute(hand_cube, "check.near_limit_closure", level="court")
    untried = sum(1 for r in hand_rows if r["total_days"] is not None and r["court_id"] is None)
    assert table.without_unit == untried > 0


def test_selection_filters_like_the_oracle(hand_cube, hand_rows):
    sel = query.Selection.of(
        crime_group=["drugs", "property"], procedure="fast_track", region="110100", period="2024"
    )
    table = query.compute(hand_cube, "acquittal_rate", level="county", selection=sel)
    rows = [
        r
        for r in hand_rows
        if r["crime_group"] in ("drugs", "property")
        and r["procedure"] == "fast_track"
        and r["prefecture_code"] == "110100"
        and r["judgment_on"] is not None
        and r["judgment_on"].year == 2024
    ]
    expected = wf.oracle_rate(rows, "acquittal_rate", "county", "all", "court_id")
    assert _as_dict(table.rows) == expected
    assert "region 110100" in table.selection


def test_not_tried_is_a_procedure_of_its_own(hand_cube, hand_rows):
    sel = query.Selection.of(procedure="not_tried")
    table = query.compute(hand_cube, "non_prosecution_rate", selection=sel)
    rows = [r for r in hand_rows if r["procedure"] is None]
    assert _as_dict(table.rows) == wf.oracle_rate(
        rows, "non_prosecution_rate", "national", "all", "procuratorate_id"
    )


def test_hand_counted_literal_case(tmp_path: Path):
    """Six defendants counted by hand: two courts, one acquittal, one case not tried."""
    c1 = ("110101", "110100", "110000")
    c2 = ("120101", "120100", "120000")
    jan, feb = wf.D(2024, 1, 10), wf.D(2024, 2, 3)

    def tried(i, county, verdict, judged, **kw):  # type: ignore[no-untyped-def]
        return wf.defendant(
            i,
            county,
            jan,
            prosecuted=True,
            prosecution_decided_on=jan,
            verdict=verdict,
            judgment_on=judged,
            procedure="summary",
            trial_days=12,
            total_days=40,
            **kw,
        )

    rows = [
        tried(1, c1, "convicted", jan, plea=True, probation=True),
        tried(2, c1, "acquitted", jan),
        tried(3, c1, "convicted", feb, plea=True, probation=False),
        tried(4, c2, "convicted", feb, probation=False),
        tried(5, c2, "exempted", feb),
        wf.defendant(
            6,
            c2,
            jan,
            prosecuted=False,
            prosecution_decided_on=feb,
            non_prosecution_ground="minor",
            total_days=24,
        ),
    ]
    wh = source.open_warehouse(wf.write(tmp_path / "wh", rows))
    cube = cubes.build_cube(wh)
    wh.close()
    acq = query.compute(cube, "acquittal_rate", level="court").rows
    assert acq.rows() == [
        ("CRT110101", "all", 1, 3, 1 / 3),
        ("CRT120101", "all", 0, 2, 0.0),
    ]
    prob = query.compute(cube, "probation_rate.plea", period="month").rows
    assert prob.rows() == [("all", "2024-01", 1, 1, 1.0), ("all", "2024-02", 0, 1, 0.0)]
    nonp = query.compute(cube, "non_prosecution_rate.minor", level="province").rows
    assert nonp.rows() == [("110000", "all", 0, 3, 0.0), ("120000", "all", 1, 3, 1 / 3)]
    days = query.compute(cube, "disposition_days").rows
    assert days.rows() == [("all", "all", 6, 40, 40)]


def test_the_cube_is_one_query_with_one_branch_per_family():
    sql = cubes.cube_sql(1, dialect="duckdb")
    assert sql.count("UNION ALL") == len(cubes.plan(1).families)  # families + the region map
    assert sql.upper().count("GROUP BY") == len(cubes.plan(1).families) + 1


def test_extra_measures_and_histograms_ride_the_same_scan(hand_warehouse, hand_rows):
    margin = Family(
        "trial_margin",
        "judgment date (judgment_on)",
        lambda t: t.judgment_on,
        value=lambda t: t.trial_limit_days - t.trial_days,
    )
    extra = [
        Measure("audit.detained", "registration", lambda t: t.detained, "detained"),
        Measure("audit.tried", "trial_margin", lambda t: t.verdict.notnull(), "tried"),
        margin,
    ]
    wh = source.open_warehouse(hand_warehouse)
    cube = cubes.build_cube(wh, extra=extra)
    wh.close()
    assert cube.frame("audit.detained")["audit.detained"].sum() == sum(
        1 for r in hand_rows if r["detained"]
    )
    hist = cube.frame("audit.tried")
    got = dict(hist.group_by("value").agg(pl.col("audit.tried").sum()).iter_rows())
    expected: dict[int, int] = {}
    for r in hand_rows:
        if r["verdict"] is not None:
            margin = r["trial_limit_days"] - r["trial_days"]
            expected[margin] = expected.get(margin, 0) + 1
    assert {k: v for k, v in got.items() if v} == expected


def test_extra_measures_are_checked():
    with pytest.raises(Exception, match="unknown family"):
        cubes.plan(1, [Measure("x", "nowhere", lambda t: t.detained, "x")])
    with pytest.raises(Exception, match="reserved"):
        cubes.plan(1, [Measure("month", "registration", lambda t: t.detained, "x")])
    clash = dataclasses.replace(indicators.get("plea_rate").denominator, description="other")
    with pytest.raises(Exception, match="two different measures"):
        cubes.plan(1, [clash])


def test_save_and_load_give_the_same_answers(hand_cube, tmp_path):
    hand_cube.save(tmp_path / "cube")
    again = cubes.Cube.load(tmp_path / "cube")
    for level in ("county", "court", "procedure"):
        a = query.tables(hand_cube, level=level, period="quarter")
        b = query.tables(again, level=level, period="quarter")
        for x, y in zip(a, b, strict=True):
            assert x.rows.equals(y.rows), x.indicator


def test_loading_something_else_is_refused(tmp_path):
    with pytest.raises(Exception, match="not a saved indicator cube"):
        cubes.Cube.load(tmp_path)


@pytest.mark.parametrize("level", ["province", "county", "procuratorate", "crime_group"])
def test_units_and_periods_add_up_to_the_national_figure(hand_cube, level):
    national = {t.indicator: t for t in query.tables(hand_cube)}
    for table in query.tables(hand_cube, level=level, period="quarter"):
        if table.kind != "rate" or table.no_data:
            continue
        whole = national[table.indicator].rows
        assert table.rows["denominator"].sum() + table.without_unit == whole["denominator"][0]
        if table.without_unit == 0:
            assert table.rows["numerator"].sum() == whole["numerator"][0]
        else:
            assert table.rows["numerator"].sum() <= whole["numerator"][0]
