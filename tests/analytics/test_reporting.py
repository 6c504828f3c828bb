"""The report's numbers are the Python API's; its page is self-contained; it never ranks."""

from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseledger.analytics import cube as cubes
from caseledger.analytics import funnel as fn
from caseledger.analytics import monitoring, query, report_pages, report_run, reporting, source
from caseledger.analytics.indicators.base import Measure
from caseledger.analytics.report import Section, Table
from caseledger.errors import InvalidInput, UnknownCode

LEVELS = ("province", "prefecture", "county", "court")


@pytest.fixture(scope="module")
def synth_cube(synth_warehouse: Path) -> cubes.Cube:
    wh = source.open_warehouse(synth_warehouse)
    try:
        return cubes.build_cube(wh)
    finally:
        wh.close()


@pytest.fixture(scope="module")
def built(synth_cube: cubes.Cube) -> reporting.Report:
    options = reporting.ReportOptions(levels=LEVELS, monitor_level="province")
    return reporting.build_report(synth_cube, options)


def test_the_report_covers_the_latest_registration_year(built, synth_cube):
    assert built.years == [2023, 2024] and built.year == 2024 and built.no_data is None
    assert len(built.funnels) == len(built.rate_ids) * len(LEVELS)
    assert [t.indicator for t in built.trends] == list(reporting.KEY_RATES)
    assert set(built.case_types) == {"crime_group", "procedure"}


def test_json_numbers_are_the_python_apis(built, synth_cube):
    data = json.loads(json.dumps(reporting.to_json(built), allow_nan=False))
    year = "2024"
    in_year = query.Selection.of(period=year)
    for part in data["overview"]:
        api = query.compute(synth_cube, part["indicator"], selection=in_year)
        assert part["rows"] == api.rows.to_dicts(), part["indicator"]
    for part in data["funnels"]:
        api = query.funnel_for(
            synth_cube, part["indicator"], level=part["level"], period=year, method="additive"
        )
        assert part["target"] == api.target and part["phi"] == api.phi
        assert part["tau2"] == api.tau2 and part["outside"] == api.outside
        units = part["units"]
        assert units["unit"] == [u.unit for u in api.units]
        assert units["numerator"] == [u.numerator for u in api.units]
        assert units["denominator"] == [u.denominator for u in api.units]
        assert units["value"] == [u.observed for u in api.units]
        assert units["category"] == [u.category.value for u in api.units]
        assert units["upper_998"] == [
            r[1] if (r := u.expected_range_998) else None for u in api.units
        ]
    years = query.Selection.of(start="2023-01", end="2024-12")
    for part in data["trends"]:
        api = query.trend(synth_cube, part["indicator"], selection=years)
        assert part["months"] == api.months and part["numerator"] == api.numerators
        assert part["denominator"] == api.denominators
        if api.level_shift is not None:
            assert part["level_shift"]["p_value"] == api.level_shift.p_value
            assert part["level_shift"]["first_month_after"] == api.months[api.level_shift.index]
    signalled = 0
    for part in data["monitoring"]:
        for s in part["signals"]:
            api = query.trend(
                synth_cube, part["indicator"], level="province", unit=s["unit"], selection=in_year
            )
            assert api.cusum_up is not None and api.cusum_down is not None
            assert s["up"] == [api.months[i] for i in api.cusum_up.signals]
            assert s["down"] == [api.months[i] for i in api.cusum_down.signals]
            assert s["h"] == api.h
            signalled += 1
    assert signalled > 0  # the comparison above compared something
    for level, tables in data["case_types"].items():
        for part in tables:
            api = query.compute(synth_cube, part["indicator"], level=level, selection=in_year)
            assert part["rows"] == api.rows.to_dicts()


def test_units_that_do_not_signal_do_not_signal_in_trend_either(built, synth_cube):
    part = built.monitoring[0]
    listed = {s.unit for s in part.signals}
    rows = query.compute(
        synth_cube, part.indicator, level="province", selection=query.Selection.of(period="2024")
    ).rows
    for unit in sorted(set(rows["unit"].to_list()) - listed)[:15]:
        tr = query.trend(
            synth_cube,
            part.indicator,
            level="province",
            unit=unit,
            selection=query.Selection.of(period="2024"),
        )
        assert not (tr.cusum_up and tr.cusum_up.signals) and not (
            tr.cusum_down and tr.cusum_down.signals
        )


def test_monitoring_in_worker_threads_gives_the_same_signals(synth_cube, monkeypatch):
    sel = query.Selection.of(period="2024")
    serial = monitoring.monitor_level(synth_cube, "plea_rate", level="county", selection=sel)
    monkeypatch.setattr(monitoring, "PARALLEL_FROM", 1)
    with ThreadPoolExecutor(2) as pool:
        parallel = monitoring.monitor_level(
            synth_cube, "plea_rate", level="county", selection=sel, executor=pool
        )
    assert parallel == serial and serial.units_monitored > 100


# ---- the page -------------------------------------------------------------------------------


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.headings: list[str] = []
        self.links: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.links += [v or "" for k, v in attrs if k in ("src", "href", "xlink:href")]
        self._in = tag if tag in ("h2", "h3") else None

    def handle_data(self, data: str) -> None:
        if self._in:
            self.headings.append(data)
            self._in = None


def parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    parser.close()
    return parser


def test_the_page_is_self_contained_and_has_every_section(built):
    page = report_pages.render_page(built)
    parsed = parse(page)
    assert "script" not in parsed.tags and "link" not in parsed.tags and "img" not in parsed.tags
    assert all(link.startswith("#") for link in parsed.links), parsed.links
    assert not re.search(r"url\(", page)
    for heading in (
        "National overview, 2024",
        "Trends",
        "CUSUM monitoring by province",
        "Funnel plots, 2024",
        "By county",
        "Key case types, 2024",
        "By crime group",
        "By procedure",
    ):
        assert heading in parsed.headings, heading
    drawn = len(report_pages.drawn_trends(built)) + len(report_pages.charted_funnels(built))
    assert page.count("<svg") == drawn > 0


def test_the_page_lists_units_outside_the_limits_by_code(built):
    page = report_pages.render_page(built)
    for f in built.funnels:
        for category, codes in f.outside.items():
            if codes and category != fn.Category.too_few.value:
                assert f"{category}: {', '.join(codes)}" in page
                assert codes == sorted(codes)


def test_extra_sections_and_json_parts_join_the_report(synth_warehouse, tmp_path):
    seen: dict[str, object] = {}

    def build(cube: cubes.Cube, warehouse: source.Warehouse) -> tuple[list[Section], object]:
        assert cube.has("test.withdrawn")  # the extension's measure rode the cube's scan
        total = cube.total("test.withdrawn")
        seen["total"] = total
        section = Section("Integrity findings", tables=[Table(["withdrawn"], [[total]])])
        return [section], {"withdrawn": total}

    ext = report_run.Extension(
        key="integrity",
        build=build,
        extra=[Measure("test.withdrawn", "registration", lambda t: t.withdrawn, "withdrawn")],
    )
    options = reporting.ReportOptions(levels=("province",), key_indicators=("plea_rate",))
    html = report_run.produce(
        synth_warehouse, tmp_path / "r.html", options=options, extensions=[ext], workers=1
    )
    page = html.out.read_text()
    assert "Integrity findings" in parse(page).headings
    out = report_run.produce(
        synth_warehouse,
        tmp_path / "r.json",
        fmt="json",
        options=options,
        extensions=[ext],
        workers=1,
    )
    assert json.loads(out.out.read_text())["extra"] == {"integrity": {"withdrawn": seen["total"]}}


# ---- bad input and empty selections --------------------------------------------------------


def test_a_year_without_data_is_an_explicit_no_data_report(synth_cube):
    empty = reporting.build_report(synth_cube, reporting.ReportOptions(year=2030))
    assert empty.no_data and "2030" in empty.no_data and "2023–2024" in empty.no_data
    assert empty.funnels == [] and empty.trends == []
    page = report_pages.render_page(empty)
    assert "no data" in page and "<svg" not in page
    assert reporting.to_json(empty)["no_data"] == empty.no_data


@pytest.mark.parametrize(
    ("options", "error", "match"),
    [
        ({"indicators": ("conviction_rank",)}, UnknownCode, "unknown indicator"),
        ({"levels": ("investigator",)}, UnknownCode, "unknown unit level"),
        ({"levels": ("national",)}, InvalidInput, "compare units"),
        ({"monitor_level": "ward"}, UnknownCode, "unknown unit level"),
        ({"method": "league"}, InvalidInput, "unknown funnel method"),
        ({"year": 20245}, InvalidInput, "out of range"),
        ({"odds_ratio": 0.5}, InvalidInput, "odds ratio"),
    ],
)
def test_bad_options_are_one_line_errors(options, error, match):
    with pytest.raises(error, match=match) as info:
        reporting.ReportOptions(**options).checked()
    assert "\n" not in info.value.one_line()


def test_a_quantile_indicator_alone_has_no_funnels_or_trends(synth_cube):
    r = reporting.build_report(
        synth_cube, reporting.ReportOptions(indicators=("disposition_days",), levels=("county",))
    )
    assert r.funnels == [] and r.trends == [] and r.monitoring == []
    assert r.overview[0].rows["q50"].to_list()
    assert "<svg" not in report_pages.render_page(r)


# ---- the vectorised funnel equals the per-unit rule ------------------------------------------


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 400), st.integers(1, 400)), min_size=2, max_size=30),
    st.sampled_from(["exact", "multiplicative", "additive"]),
    st.integers(1, 60),
)
def test_funnel_categories_follow_the_limits_of_each_unit(cells, method, minimum):
    y = [min(a, b) for a, b in cells]
    n = [b for _, b in cells]
    codes = [f"U{i:03d}" for i in range(len(cells))][::-1]
    result = fn.funnel(codes, y, n, method=method, min_denominator=minimum)
    assert [u.unit for u in result.units] == sorted(codes)
    for u in result.units:
        if u.denominator < minimum:
            assert u.category is fn.Category.too_few and u.expected_range_95 is None
            continue
        if method == "additive":
            lim = fn.additive_limits(u.denominator, result.target, result.tau2)
        elif method == "multiplicative":
            lim = fn.multiplicative_limits(u.denominator, result.target, result.phi)
        else:
            lim = fn.exact_limits(u.denominator, result.target)
        assert u.category is fn.classify(u.numerator / u.denominator, lim)
        assert u.expected_range_998 == pytest.approx((lim.lower_998, lim.upper_998), abs=1e-12)
    assert np.isfinite(result.target)
