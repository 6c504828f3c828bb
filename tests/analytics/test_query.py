"""Funnels, trends and bad input on the cube; no output ranks or orders units by value."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseledger.analytics import cube as cubes
from caseledger.analytics import funnel as fn
from caseledger.analytics import indicators, monitor, query, source
from caseledger.errors import InvalidInput, UnknownCode
from tests.analytics import warehouse_fixture as wf

ANALYTICS = Path(cubes.__file__).parent


def make_cube(cells: list[tuple[str, int, int, int]]) -> cubes.Cube:
    """A cube holding only the acquittal rate: (county, month, acquitted, judged) cells."""
    counties = sorted({c for c, *_ in cells})
    frame = pl.DataFrame(
        {
            "county": [c for c, *_ in cells],
            "police": [f"PSB{c}" for c, *_ in cells],
            "procuratorate": [f"PRO{c}" for c, *_ in cells],
            "court": [f"CRT{c}" for c, *_ in cells],
            "crime_group": ["property"] * len(cells),
            "procedure": ["summary"] * len(cells),
            "month": [m for _, m, _, _ in cells],
            "acquittal_rate": [y for *_, y, _ in cells],
            "judged": [n for *_, n in cells],
        }
    ).with_columns(
        pl.col(pl.String).cast(pl.Categorical),
        pl.col("month", "acquittal_rate", "judged").cast(pl.Int32),
    )
    regions = pl.DataFrame(
        {
            "province": [c[:2] + "0000" for c in counties],
            "prefecture": [c[:4] + "00" for c in counties],
            "county": counties,
            "defendants": [1] * len(counties),
        }
    )
    return cubes.Cube(
        1, {"judgment": frame}, regions, {"acquittal_rate": "judgment", "judged": "judgment"}
    )


M2024 = 2024 * 12  # January 2024


# ---- funnels ---------------------------------------------------------------------------------


def test_funnel_equals_the_statistics_on_counted_units(hand_cube, hand_rows):
    for method in ("exact", "multiplicative", "additive"):
        result = query.funnel_for(
            hand_cube, "plea_rate", level="county", method=method, min_denominator=20
        )
        counts = wf.oracle_rate(hand_rows, "plea_rate", "county", "all", "procuratorate_id")
        units = sorted(u for u, _ in counts)
        direct = fn.funnel(
            units,
            [counts[(u, "all")][0] for u in units],
            [counts[(u, "all")][1] for u in units],
            method=method,
            min_denominator=20,
        )
        assert result.units == direct.units
        assert (result.target, result.phi, result.tau2) == (direct.target, direct.phi, direct.tau2)


def test_funnel_limits_against_known_values():
    # Two counties with 10 of 20 acquitted each: target 0.5, n = 20; the exact limits are the
    # hand-computed ones of test_funnel (Spiegelhalter 2005, A.1.1): 0.25582 and 0.69417.
    cube = make_cube([("110101", M2024, 10, 20), ("120101", M2024, 10, 20)])
    result = query.funnel_for(cube, "acquittal_rate", level="county", min_denominator=10)
    assert result.target == 0.5
    for unit in result.units:
        lo, hi = unit.expected_range_95
        assert lo == pytest.approx(0.25582, abs=1e-5)
        assert hi == pytest.approx(0.69417, abs=1e-5)
        assert unit.category is fn.Category.within


def test_funnel_categories_and_outside_lists():
    cells = [(f"1101{i:02d}", M2024, 100, 1000) for i in range(1, 21)]
    cells += [("110150", M2024, 200, 1000), ("110151", M2024, 40, 1000), ("110152", M2024, 1, 5)]
    result = query.funnel_for(cube := make_cube(cells), "acquittal_rate", level="county")
    assert result.outside["above 99.8%"] == ["110150"]
    assert result.outside["below 99.8%"] == ["110151"]
    assert result.outside["too few cases"] == ["110152"]
    assert result.expected_by_chance["outside_998"] == pytest.approx(0.002 * 22)
    by_period = query.funnel_for(cube, "acquittal_rate", level="county", period="2024-01")
    assert by_period.units == result.units
    assert query.funnel_for(cube, "acquittal_rate", level="county", period="2023").no_data


def test_funnel_refuses_what_it_cannot_plot(hand_cube):
    with pytest.raises(InvalidInput, match="choose a unit level"):
        query.funnel_for(hand_cube, "plea_rate", level="national")
    with pytest.raises(InvalidInput, match="needs a rate indicator"):
        query.funnel_for(hand_cube, "disposition_days", level="county")
    with pytest.raises(InvalidInput, match="unknown funnel method"):
        query.funnel_for(hand_cube, "plea_rate", level="county", method="bayes")


# ---- trends ----------------------------------------------------------------------------------


def shifted_cube() -> cubes.Cube:
    rng = np.random.default_rng(3)
    cells = []
    for month in range(24):
        for county in [f"1101{i:02d}" for i in range(1, 31)]:
            rate = 0.25 if county == "110101" and month >= 12 else 0.10
            cells.append((county, M2024 + month, int(rng.binomial(300, rate)), 300))
    return make_cube(cells)


def test_trend_finds_the_planted_shift_and_signals_upwards():
    tr = query.trend(shifted_cube(), "acquittal_rate", level="county", unit="110101")
    assert tr.months[0] == "2024-01" and tr.months[-1] == "2025-12"
    assert tr.level_shift is not None and tr.level_shift.index == 12
    assert tr.level_shift.p_value < 0.01
    assert tr.cusum_up is not None and tr.cusum_up.signals
    assert min(tr.cusum_up.signals) >= 12
    assert tr.cusum_down is not None and not tr.cusum_down.signals
    assert all(0 < e < 1 for e in tr.expected)


def test_a_steady_unit_gives_no_alarm():
    tr = query.trend(shifted_cube(), "acquittal_rate", level="county", unit="110103")
    assert tr.level_shift is None or tr.level_shift.p_value > 0.01
    assert tr.cusum_down is not None and not tr.cusum_down.signals


def test_months_without_cases_are_zero_not_missing():
    cube = make_cube(
        [("110101", M2024, 1, 10), ("110101", M2024 + 3, 2, 10), ("110102", M2024 + 1, 1, 10)]
    )
    tr = query.trend(cube, "acquittal_rate", level="county", unit="110101")
    assert tr.months == ["2024-01", "2024-02", "2024-03", "2024-04"]
    assert tr.denominators == [10, 0, 0, 10]
    assert tr.rates[1] is None


def test_the_threshold_gives_the_stated_false_alarm_rate():
    n = [200] * 24
    p = [0.1] * 24
    h = query.calibrate_h(n, p, ra=2.0, false_alarm=0.05)
    rng = np.random.default_rng(99)
    alarms = 0
    for _ in range(600):
        y = rng.binomial(200, 0.1, 24)
        alarms += bool(monitor.grouped_cusum(list(y), n, p, h, ra=2.0).signals)
    assert 0.02 < alarms / 600 < 0.09


def test_grouped_cusum_with_one_case_a_period_is_the_case_cusum():
    y = [0, 1, 0, 0, 1, 1, 1, 0, 1, 1]
    p = [0.2, 0.3, 0.1, 0.2, 0.25, 0.2, 0.3, 0.2, 0.1, 0.2]
    a = monitor.grouped_cusum(y, [1] * len(y), p, 1.5, ra=2.0)
    b = monitor.risk_adjusted_cusum(y, p, 1.5, ra=2.0)
    assert a.signals == b.signals
    assert a.statistic == pytest.approx(b.statistic)


def test_trend_bad_input(hand_cube):
    with pytest.raises(UnknownCode, match="not found at level county"):
        query.trend(hand_cube, "plea_rate", level="county", unit="999999")
    with pytest.raises(InvalidInput, match="needs a rate indicator"):
        query.trend(hand_cube, "disposition_days")
    with pytest.raises(InvalidInput, match="one unit"):
        query.trend(hand_cube, "plea_rate", unit="110101")
    with pytest.raises(InvalidInput, match="odds ratio"):
        query.trend(hand_cube, "plea_rate", odds_ratio=1.0)
    empty = query.trend(
        hand_cube,
        "plea_rate",
        level="county",
        unit="110101",
        selection=query.Selection.of(period="2019"),
    )
    assert empty.no_data and empty.months == []


# ---- bad input and empty selections ----------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"indicator": "conviction_rank"}, UnknownCode, "unknown indicator"),
        ({"level": "investigator"}, UnknownCode, "unknown unit level"),
        ({"period": "week"}, InvalidInput, "unknown period"),
    ],
)
def test_unknown_names_are_one_line_errors(hand_cube, kwargs, error, match):
    args = {"indicator": "plea_rate", **kwargs}
    with pytest.raises(error, match=match) as info:
        query.compute(hand_cube, args.pop("indicator"), **args)
    assert "\n" not in info.value.one_line()


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"crime_group": "arson"}, "unknown crime_group"),
        ({"procedure": "jury"}, "unknown procedure"),
        ({"period": "2024-13"}, "no month 13"),
        ({"period": "last year"}, "unknown period"),
        ({"start": "2024-06", "end": "2024-01"}, "starts after"),
        ({"period": "2024", "start": "2024-01"}, "not both"),
        ({"region": " "}, "region"),
    ],
)
def test_bad_selections_are_refused(kwargs, match):
    with pytest.raises(InvalidInput, match=match):
        query.Selection.of(**kwargs)


def test_an_unknown_region_is_refused(hand_cube):
    with pytest.raises(UnknownCode, match="unknown region"):
        query.compute(hand_cube, "plea_rate", selection=query.Selection.of(region="990000"))


def test_an_empty_selection_is_an_explicit_no_data(hand_cube):
    sel = query.Selection.of(period="2030")
    for table in query.tables(hand_cube, level="county", selection=sel):
        assert table.no_data and table.no_data.startswith("no data")
        assert table.rows.height == 0
    f = query.funnel_for(hand_cube, "plea_rate", level="county", selection=sel)
    assert f.no_data and f.units == [] and f.target is None


def test_an_indicator_the_warehouse_version_lacks_is_no_data(hand_cube):
    spec = indicators.get("plea_rate")
    later = dataclasses.replace(
        spec,
        id="later",
        numerator=dataclasses.replace(spec.numerator, name="later.num", min_schema=9),
        min_schema=9,
    )
    indicators._BY_ID["later"] = later
    try:
        table = query.compute(hand_cube, "later", level="county")
        assert table.no_data and "schema version" in table.no_data
    finally:
        del indicators._BY_ID["later"]


# ---- no ranking --------------------------------------------------------------------------------

FORBIDDEN_WORDS = {"top", "bottom", "position", "league", "best", "worst", "order", "score"}


def rank_like(name: str) -> bool:
    words = set(re.split(r"[^a-z]+", name.lower()))
    return bool(words & FORBIDDEN_WORDS) or "rank" in name.lower() or "percentile" in name.lower()


def test_the_rank_detector_detects():
    for name in ("rank", "unit_rank", "Percentile", "top_n", "bottom10", "order", "league.pos"):
        assert rank_like(name)
    for name in ("topic", "procuratorate", "ordinary", "q90", "unit", "value"):
        assert not rank_like(name)


def _fields(cls: type) -> list[str]:
    return [f.name for f in dataclasses.fields(cls)]


def test_no_output_has_a_rank_like_field(hand_cube):
    classes = [
        query.IndicatorTable,
        query.FunnelResult,
        query.TrendResult,
        query.Selection,
        fn.UnitResult,
        fn.Funnel,
        monitor.LevelShift,
        monitor.Cusum,
        cubes.Cube,
        indicators.Indicator,
        indicators.Measure,
        indicators.Family,
        indicators.Rule,
    ]
    names = [n for cls in classes for n in _fields(cls)]
    for level in ("county", "court", "crime_group"):
        for table in query.tables(hand_cube, level=level, period="month"):
            names += table.rows.columns
    names += [c for frame in hand_cube.counts.values() for c in frame.columns]
    assert [n for n in names if rank_like(n)] == []


def _keys(value: object) -> list[str]:
    if isinstance(value, dict):
        return [str(k) for k in value] + [k for v in value.values() for k in _keys(v)]
    if isinstance(value, list):
        return [k for v in value for k in _keys(v)]
    return []


def test_the_report_has_no_rank_like_field_and_lists_units_by_code(hand_cube):
    from caseledger.analytics import monitoring, report_run, reporting

    options = reporting.ReportOptions(monitor_level="county", levels=query.LEVELS[1:])
    report = reporting.build_report(hand_cube, options)
    data = reporting.to_json(report)
    classes = [
        reporting.Report,
        reporting.ReportOptions,
        monitoring.LevelMonitoring,
        monitoring.UnitSignals,
        report_run.Produced,
        report_run.Extension,
    ]
    names = _keys(data) + [n for cls in classes for n in _fields(cls)]
    assert [n for n in names if rank_like(n)] == []
    assert data["funnels"] and data["monitoring"]
    for part in data["funnels"]:
        assert part["units"]["unit"] == sorted(part["units"]["unit"])
        for listed in part["outside"].values():
            assert listed == sorted(listed)
    for part in data["monitoring"]:
        units = [s["unit"] for s in part["signals"]]
        assert units == sorted(units)
    tables = [
        *data["overview"],
        *data["yearly"],
        *(t for ts in data["case_types"].values() for t in ts),
    ]
    for part in tables:
        keys = [(r["unit"], r["period"]) for r in part["rows"]]
        assert keys == sorted(keys)


def test_nothing_in_the_package_sorts_by_a_value():
    """Every sort in caseledger/analytics names its key; none is a value, rate or count."""
    value_like = re.compile(r"\bvalue|\brate|observed|numerator|denominator|\bcount\b|\bn\b")
    markers = ("sorts days, not units", "sorts by unit code")
    offenders = []
    for path in ANALYTICS.rglob("*.py"):
        lines = path.read_text().splitlines()
        for lineno, line in enumerate(lines, 1):
            near = line + (lines[lineno - 2] if lineno > 1 else "")
            for call in re.findall(r"(?:\.sort|sorted|\.sort_by)\((.*)", line):
                if value_like.search(call) and not any(m in near for m in markers):
                    offenders.append(f"{path.name}:{lineno}: {line.strip()}")
    assert offenders == []


@settings(max_examples=25)
@given(st.lists(st.integers(0, 300), min_size=8, max_size=8), st.randoms(use_true_random=False))
def test_units_come_back_in_code_order_whatever_their_values(acquitted, rnd):
    codes = [f"11{i:02d}01" for i in range(8)]
    cells = [(c, M2024, y, 300) for c, y in zip(codes, acquitted, strict=True)]
    rnd.shuffle(cells)
    cube = make_cube(cells)
    rows = query.compute(cube, "acquittal_rate", level="county").rows
    assert rows["unit"].to_list() == sorted(codes)
    f = query.funnel_for(cube, "acquittal_rate", level="county")
    assert [u.unit for u in f.units] == sorted(codes)
    for listed in f.outside.values():
        assert listed == sorted(listed)


def test_open_and_query_through_spark_free_path(hand_warehouse):
    # the whole path from a closed warehouse: open, build, query, close
    wh = source.open_warehouse(hand_warehouse)
    cube = cubes.build_cube(wh)
    wh.close()
    assert query.compute(cube, "plea_rate").rows.height == 1
