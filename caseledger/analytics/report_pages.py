"""The quality report as a self-contained HTML page: sections, tables and inline SVG charts.

Turns a :class:`caseledger.analytics.reporting.Report` into :class:`report.Section` objects —
overview, trends and monitoring, funnel plots, key case types, then any extra sections a caller
plugs in (e.g. the data-integrity audit) and notes on method — and renders the page with
:func:`report.render_html`. Charts are Vega-Lite specs rendered to SVG by vl-convert; that is
the costly step, so an executor (a process pool) may render them in parallel.

Must never: load anything from the network, rank units, or list units other than by code.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Executor
from typing import Any

from caseledger.analytics import charts, query, svg
from caseledger.analytics import funnel as fn
from caseledger.analytics import indicators as ind
from caseledger.analytics.report import Section, Table, render_html
from caseledger.analytics.reporting import Report

OUTSIDE = (
    fn.Category.above_998,
    fn.Category.above_95,
    fn.Category.below_95,
    fn.Category.below_998,
)


def pct(value: float | None) -> str:
    """A rate as a percentage with three significant digits ("—" when there is none)."""
    return "—" if value is None else f"{100 * value:.3g} %"


def _rate_cell(row: dict[str, Any] | None, kind: str) -> str:
    if row is None:
        return "no data"
    if kind == "rate":
        return f"{pct(row['value'])} ({row['numerator']:,} / {row['denominator']:,})"
    return f"{row['q50']} / {row['q90']} days ({row['defendants']:,})"


def _codes(codes: Sequence[str]) -> str:
    return ", ".join(codes) if codes else "—"


# ---- sections ----------------------------------------------------------------------------


def overview_section(report: Report) -> Section:
    by_year = {t.indicator: {r["period"]: r for r in t.rows.to_dicts()} for t in report.yearly}
    years = [str(y) for y in report.years]
    rows = []
    for t in report.overview:
        row = t.rows.row(0, named=True) if t.rows.height else None
        series = by_year.get(t.indicator, {})
        cells = [
            pct(series[y]["value"])
            if y in series and t.kind == "rate"
            else f"{series[y]['q50']}/{series[y]['q90']}"
            if y in series
            else "—"
            for y in years
        ]
        rows.append([t.indicator, t.title, _rate_cell(row, t.kind), *cells])
    src = report.source
    return Section(
        f"National overview, {report.year}",
        paragraphs=[
            f"Warehouse {src.get('warehouse', '')} (schema version {src.get('schema_version')},"
            f" {src.get('defendants', 0):,} defendants), engine {src.get('engine', '')}.",
            "Every indicator nationally: the report's year (rate, numerator / denominator; for"
            " days, median / 90th percentile and the defendants counted), then each year. Each"
            " indicator is dated by its own date (see the indicator catalogue).",
        ],
        tables=[Table(["indicator", "title", f"{report.year} (counts)", *years], rows)],
    )


def _shift_text(t: query.TrendResult) -> str:
    s = t.level_shift
    if t.no_data:
        return f"{t.title}: {t.no_data}."
    if s is None:
        return f"{t.title}: no level shift can be tested (too few months or no events)."
    verdict = "a level shift" if s.p_value < 0.05 else "no clear level shift"
    return (
        f"{t.title}: {verdict} — the most likely change is from {t.months[s.index]}, from"
        f" {pct(s.rate_before)} before to {pct(s.rate_after)} after (p = {s.p_value:.3g},"
        " simulated under no change)."
    )


def drawn_trends(report: Report) -> list[query.TrendResult]:
    return [t for t in report.trends if t.months and not t.no_data]


def trend_specs(report: Report) -> list[dict[str, Any]]:
    return [
        charts.trend_spec(
            t.months, t.rates, title=f"{t.title}, national, by month", shift=t.level_shift
        )
        for t in drawn_trends(report)
    ]


def trends_section(report: Report, svgs: list[str]) -> Section:
    return Section(
        "Trends",
        paragraphs=[
            "Monthly national series of the key rates over every year of the warehouse, each"
            " tested for the single most likely level shift (the month marked in red).",
            *(_shift_text(t) for t in report.trends),
        ],
        charts=svgs,
        subsections=[monitoring_section(report)] if report.monitoring else [],
    )


def monitoring_section(report: Report) -> Section:
    level = report.options.monitor_level
    rows = []
    for m in report.monitoring:
        if m.no_data:
            rows.append([m.indicator, "no data", "", "", ""])
            continue
        up = [s.unit for s in m.signals if s.up]
        down = [s.unit for s in m.signals if s.down]
        rows.append(
            [
                m.indicator,
                m.units_monitored,
                f"{m.expected_by_chance:.1f}",
                _codes(up),
                _codes(down),
            ]
        )
    first = next((m for m in report.monitoring if m.months), None)
    window = f"{first.months[0]} to {first.months[-1]}" if first else str(report.year)
    return Section(
        f"CUSUM monitoring by {level}",
        paragraphs=[
            f"Each {level}'s monthly counts from {window} against the national rate of the same"
            f" month: two CUSUM charts per unit (odds × {report.options.odds_ratio:g} up, ÷"
            f" {report.options.odds_ratio:g} down), each threshold simulated on the unit's own"
            f" volumes so that a unit following the national rate signals with probability"
            f" {report.options.false_alarm:g}. A signal means: look at this unit's cases. Units"
            " are listed by code; query.trend shows one unit's charts.",
        ],
        tables=[
            Table(
                [
                    "indicator",
                    "units monitored",
                    "expected by chance (each direction, at most)",
                    "units signalling a rise",
                    "units signalling a fall",
                ],
                rows,
            )
        ],
    )


def charted_funnels(report: Report) -> list[query.FunnelResult]:
    """The funnels drawn as charts: the key rates at the chart levels, when at least one unit
    has enough cases to be judged (never a chart of nothing)."""
    keys = {t.indicator for t in report.trends}
    return [
        f
        for f in report.funnels
        if f.indicator in keys
        and f.level in report.options.chart_levels
        and not f.no_data
        and any(u.category is not fn.Category.too_few for u in f.units)
    ]


def funnel_specs(report: Report) -> list[dict[str, Any]]:
    return [
        charts.funnel_spec(f, title=f"{f.title} by {f.level}, {f.period}", unit_label=f.level)
        for f in charted_funnels(report)
    ]


def _funnel_row(f: query.FunnelResult) -> list[object]:
    if f.no_data:
        return [f.indicator, "no data", "", "", "", "", "", "", "", ""]
    counts = {c: len(f.outside.get(c.value, [])) for c in fn.Category}
    judged = len(f.units) - counts[fn.Category.too_few]
    listed = "; ".join(
        f"{c.value}: {_codes(f.outside[c.value])}" for c in OUTSIDE if f.outside.get(c.value)
    )
    return [
        f.indicator,
        pct(f.target),
        f"{f.phi:.3g}" if f.phi is not None else "—",
        f"{f.tau2:.3g}" if f.tau2 is not None else "—",
        f"{judged} (+{counts[fn.Category.too_few]} too few)",
        *(counts[c] for c in OUTSIDE),
        f"{f.expected_by_chance.get('outside_95', 0):.1f} / "
        f"{f.expected_by_chance.get('outside_998', 0):.1f}",
        listed or "none",
    ]


def funnels_section(report: Report, svgs: list[str]) -> Section:
    header = [
        "indicator",
        "overall rate",
        "φ",
        "τ²",
        "units judged",
        "above 99.8%",
        "above 95%",
        "below 95%",
        "below 99.8%",
        "expected outside 95% / 99.8% by chance",
        "units outside the limits (by code)",
    ]
    subsections = []
    for level in report.options.levels:
        rows = [_funnel_row(f) for f in report.funnels if f.level == level]
        for r in rows:  # pad the no-data rows to the header's width
            r.extend([""] * (len(header) - len(r)))
        subsections.append(Section(f"By {level}", tables=[Table(header, rows)]))
    method = report.options.method
    return Section(
        f"Funnel plots, {report.year}",
        paragraphs=[
            f"Every rate indicator at every unit level for {report.year}: each unit's rate"
            f" against control limits around the national rate (method: {method}; 95 % and"
            " 99.8 % limits). A unit gets a category only; units with fewer cases than the"
            " indicator's minimum are 'too few cases'. φ is the dispersion ratio and τ² the"
            " between-unit variance used by the additive method; 'expected by chance' is how"
            " many units would fall outside each band if all were alike. Charts: the key rates"
            f" by {', '.join(report.options.chart_levels)}; every unit's numbers are in the JSON"
            " output (--format json).",
        ],
        charts=svgs,
        subsections=subsections,
    )


KEY_CASE_COLUMNS = ("criminal_detention_rate", "disposition_days")


def case_types_section(report: Report) -> Section:
    keys = [t.indicator for t in report.trends]
    present = {t.indicator for t in report.overview}
    shown = [i for i in (*KEY_CASE_COLUMNS, *keys) if i in present]
    subsections = []
    for level, tables in report.case_types.items():
        by_id = {t.indicator: t for t in tables}
        units = sorted({u for t in tables for u in t.rows["unit"].to_list()})  # by code
        cells = {i: {r["unit"]: r for r in by_id[i].rows.to_dicts()} for i in shown if i in by_id}
        rows = [[u, *(_rate_cell(cells[i].get(u), by_id[i].kind) for i in cells)] for u in units]
        subsections.append(
            Section(
                f"By {level.replace('_', ' ')}",
                tables=[Table([level, *cells], rows)] if rows else [],
                paragraphs=[] if rows else [f"no data for {report.year}"],
            )
        )
    return Section(
        f"Key case types, {report.year}",
        paragraphs=[
            "The key indicators by crime group and by trial procedure (not_tried: defendants"
            " never tried). Every indicator for each case type is in the JSON output.",
        ],
        subsections=subsections,
    )


def notes_section(report: Report) -> Section:
    return Section(
        "Notes on method",
        paragraphs=[
            "Counts are defendants. Funnel limits follow Spiegelhalter (2005) and, for the"
            " additive method, the random-effects adjustment of Spiegelhalter et al. (2012);"
            " CUSUM charts follow Steiner et al. (2000). No figure here is a target, and no"
            " unit is ranked: units are listed by code.",
            f"Indicators and their definitions: {len(ind.ids())} in the catalogue"
            " (docs/indicators.md).",
        ],
    )


# ---- the page ------------------------------------------------------------------------------


def render_svgs(specs: Sequence[dict[str, Any]], executor: Executor | None = None) -> list[str]:
    """Vega-Lite specs to SVG, in order; in parallel when given an executor."""
    if executor is None or len(specs) < 2:
        return [svg.render(s) for s in specs]
    return list(executor.map(svg.render, specs))


def sections(
    report: Report,
    *,
    executor: Executor | None = None,
    extra: Sequence[Section] = (),
) -> list[Section]:
    """The report's sections, charts rendered, ``extra`` sections before the notes."""
    if report.no_data:
        return [Section(report.title, paragraphs=[report.no_data]), *extra]
    specs = trend_specs(report)
    fspecs = funnel_specs(report)
    svgs = render_svgs([*specs, *fspecs], executor)
    return [
        overview_section(report),
        trends_section(report, svgs[: len(specs)]),
        funnels_section(report, svgs[len(specs) :]),
        case_types_section(report),
        *extra,
        notes_section(report),
    ]


def render_page(
    report: Report, *, executor: Executor | None = None, extra: Sequence[Section] = ()
) -> str:
    """The whole report as one self-contained HTML page."""
    import datetime as dt

    generated = dt.datetime.fromisoformat(report.generated)
    return render_html(
        report.title, sections(report, executor=executor, extra=extra), generated=generated
    )
