"""The cube of marginals answers exactly as the full cube does, and refuses what it cannot."""

from __future__ import annotations

import datetime as dt

import pytest
from polars.testing import assert_frame_equal

from caseledger.analytics import cube as cubes
from caseledger.analytics import indicators as ind
from caseledger.analytics import marginals, query, reporting, source
from caseledger.errors import InvalidInput

GENERATED = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def cubes_of(synth_warehouse):
    """The full cube and the report's cube of marginals of the same warehouse."""
    wh = source.open_warehouse(synth_warehouse)
    try:
        full = cubes.build_cube(wh)
        opts = reporting.ReportOptions()
        grain = marginals.report_grain(opts.levels, opts.monitor_level)
        return full, marginals.build_marginal_cube(wh, grain)
    finally:
        wh.close()


def _marginal_cube(path, grain):
    wh = source.open_warehouse(path)
    try:
        return marginals.build_marginal_cube(wh, grain)
    finally:
        wh.close()


def _json(cube, options):
    out = reporting.to_json(reporting.build_report(cube, options, generated=GENERATED))
    out.pop("source")
    return out


@pytest.mark.parametrize(
    "options",
    [
        reporting.ReportOptions(),
        reporting.ReportOptions(year=2023, method="exact"),
    ],
    ids=["default", "first-year-exact"],
)
def test_the_report_from_marginals_equals_the_report_from_the_full_cube(cubes_of, options):
    full, marg = cubes_of
    a, b = _json(full, options), _json(marg, options)
    assert a["funnels"] and a["monitoring"] and a["case_types"] and a["trends"]
    assert a == b


def test_other_report_options_get_their_own_grain(synth_warehouse, cubes_of):
    full, _ = cubes_of
    options = reporting.ReportOptions(
        levels=("agency", "crime_group", "county"),
        monitor_level="court",
        indicators=("plea_rate", "non_arrest_rate", "disposition_days"),
    )
    grain = marginals.report_grain(options.levels, options.monitor_level)
    marg = _marginal_cube(synth_warehouse, grain)
    assert ("court", "month") in grain.sets
    assert ("police", "procuratorate", "court", "year") in grain.sets
    assert _json(full, options) == _json(marg, options)


@pytest.mark.parametrize("level", [lv for lv in query.LEVELS if lv != "agency"])
def test_every_rate_by_level_and_year_is_the_full_cubes(cubes_of, level):
    full, marg = cubes_of
    rates = [i.id for i in ind.all_indicators() if i.kind == "rate"]
    for a, b in zip(
        query.tables(full, rates, level=level, period="year"),
        query.tables(marg, rates, level=level, period="year"),
        strict=True,
    ):
        assert_frame_equal(a.rows, b.rows)
        assert (a.without_unit, a.no_data) == (b.without_unit, b.no_data)


def test_regions_by_month_and_region_selections_are_the_full_cubes(cubes_of):
    full, marg = cubes_of
    county = full.regions["county"][0]
    province = full.regions["province"][0]
    for level in ("national", "province", "prefecture", "county"):
        for sel in (
            query.Selection(),
            query.Selection.of(region=province, period="2024-Q2"),
            query.Selection.of(region=county),
        ):
            a, b = (
                query.tables(
                    c,
                    ["plea_rate", "pretrial_detention_rate"],
                    level=level,
                    period="month",
                    selection=sel,
                )
                for c in (full, marg)
            )
            for x, y in zip(a, b, strict=True):
                assert_frame_equal(x.rows, y.rows)


def test_quantiles_by_case_type_and_year_are_exact(cubes_of):
    full, marg = cubes_of
    quantiles = [i.id for i in ind.all_indicators() if i.kind == "quantiles"]
    assert quantiles
    sel = query.Selection.of(crime_group="property")
    for level, selection in (("national", None), ("crime_group", None), ("procedure", sel)):
        a = query.tables(full, quantiles, level=level, period="year", selection=selection)
        b = query.tables(marg, quantiles, level=level, period="year", selection=selection)
        for x, y in zip(a, b, strict=True):
            assert_frame_equal(x.rows, y.rows)


def test_a_question_the_marginals_cannot_answer_is_refused_by_name(cubes_of):
    _, marg = cubes_of
    sel = query.Selection.of(crime_group="property")
    with pytest.raises(InvalidInput, match=r"built for a report.*county by month"):
        query.compute(marg, "plea_rate", level="county", period="month", selection=sel)
    with pytest.raises(InvalidInput, match="built for a report"):
        query.compute(marg, "disposition_days", level="county", period="year")
    # a window that is not whole years cannot come from yearly marginals
    with pytest.raises(InvalidInput, match="built for a report"):
        query.compute(
            marg, "plea_rate", level="court", selection=query.Selection.of(period="2024-Q1")
        )


def test_the_marginals_are_in_key_order_never_by_a_value(cubes_of):
    _, marg = cubes_of
    assert marg.counts == {} and marg.marginals
    for sets in marg.marginals.values():
        for keys, frame in sets.items():
            assert frame.columns[: len(keys)] == list(keys)
            # rows in key order: never by a measure
            assert_frame_equal(frame, frame.sort(list(keys), nulls_last=True))


def test_a_saved_cube_of_marginals_loads_back(cubes_of, tmp_path):
    _, marg = cubes_of
    back = cubes.Cube.load(marg.save(tmp_path / "cube"))
    assert set(back.marginals) == set(marg.marginals)
    for fam, sets in marg.marginals.items():
        for keys, frame in sets.items():
            assert_frame_equal(back.marginals[fam][keys], frame)
    assert _json(back, reporting.ReportOptions()) == _json(marg, reporting.ReportOptions())


def test_cube_totals_agree(cubes_of):
    full, marg = cubes_of
    assert full.measure_family == marg.measure_family
    for name in full.measure_family:
        assert full.total(name) == marg.total(name), name
    with pytest.raises(InvalidInput, match="no measure"):
        marg.total("nope")


@pytest.mark.parametrize(
    ("sets", "message"),
    [
        ([("county",)], "exactly one time key"),
        ([("county", "month", "year")], "exactly one time key"),
        ([("district", "month")], "unknown marginal key"),
        ([], "at least one key set"),
    ],
)
def test_a_bad_grain_is_a_one_line_error(sets, message):
    with pytest.raises(InvalidInput, match=message):
        marginals.Grain.of(sets)


def test_the_grouping_sets_sql_is_plain_and_engine_neutral(synth_warehouse):
    wh = source.open_warehouse(synth_warehouse)
    try:
        the_plan = cubes.plan(wh.schema_version)
        fam = the_plan.families[0]
        sql = marginals.family_sql(
            wh.backend, wh.defendants, fam, the_plan.measures[fam.id], (("county", "month"),)
        )
    finally:
        wh.close()
    assert "GROUP BY GROUPING SETS ((k_county, k_month))" in sql
    assert "ORDER BY" not in sql.upper().split("FROM (")[0]


@pytest.mark.parametrize(
    "monitor_level",
    ["province", "prefecture", "county", "police", "court", "agency", "crime_group", "procedure"],
)
def test_every_monitor_level_is_served_by_its_grain(synth_warehouse, cubes_of, monitor_level):
    full, _ = cubes_of
    options = reporting.ReportOptions(
        levels=("prefecture", "procuratorate", "procedure"),
        monitor_level=monitor_level,
        indicators=("plea_rate", "non_arrest_rate", "acquittal_rate"),
    )
    grain = marginals.report_grain(options.levels, options.monitor_level)
    marg = _marginal_cube(synth_warehouse, grain)
    assert _json(full, options) == _json(marg, options)
