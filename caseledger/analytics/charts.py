"""Charts as Vega-Lite (Altair), rendered to SVG on the server so reports work offline.

A funnel chart plots each unit's rate against its denominator with the 95 % and 99.8 % bands;
points are coloured by category and labelled by unit code — the x axis is the denominator, so the
picture itself orders nothing by the indicator. A trend chart shows a monthly rate with the
level shift, if any, marked.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Sequence
from typing import Any, Protocol

import altair as alt
import numpy as np

from caseledger.analytics import funnel as fn
from caseledger.analytics import svg
from caseledger.analytics.monitor import LevelShift

CATEGORY_COLOURS = {
    fn.Category.below_998.value: "#2166ac",
    fn.Category.below_95.value: "#67a9cf",
    fn.Category.within.value: "#7f7f7f",
    fn.Category.above_95.value: "#ef8a62",
    fn.Category.above_998.value: "#b2182b",
    fn.Category.too_few.value: "#d9d9d9",
}


class FunnelLike(Protocol):
    """What a funnel chart reads: :class:`funnel.Funnel` or :class:`query.FunnelResult`."""

    target: Any
    method: str
    phi: Any
    tau2: Any
    min_denominator: int
    units: list[fn.UnitResult]


def _funnel_data(result: FunnelLike) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The limit lines on a grid of denominators and one point per unit with cases."""
    judged = [u for u in result.units if u.observed is not None]
    if not judged or result.target is None:
        raise ValueError("a funnel chart needs at least one unit with cases")
    top = max(u.denominator for u in judged)
    low = max(min(u.denominator for u in judged), max(result.min_denominator, 1))
    grid = np.array(sorted({int(low + (top - low) * i / 60) for i in range(61)} | {top}))
    grid = grid[grid > 0]
    if result.method == "additive":
        table = fn.additive_limits_many(grid, result.target, result.tau2)
    else:
        table = fn.exact_limits_many(grid, result.target)
        if result.method == "multiplicative":
            k = math.sqrt(max(result.phi, 1.0))
            table = np.clip(result.target + k * (table - result.target), 0.0, 1.0)
    bands = ("99.8% lower", "95% lower", "95% upper", "99.8% upper")
    lines = [
        {"n": int(n), "limit": float(row[j]), "band": band}
        for n, row in zip(grid, table, strict=True)
        for j, band in enumerate(bands)
    ]
    points = [
        {"unit": u.unit, "n": u.denominator, "rate": u.observed, "category": u.category.value}
        for u in judged
    ]
    return lines, points


def _funnel_layers(lines: Any, points: Any, target: Any, title: str, unit_label: str) -> Any:
    base_x = alt.X("n:Q", title="cases (denominator)", scale=alt.Scale(zero=False))
    bands = (
        alt.Chart(lines)
        .mark_line(strokeDash=[4, 3], color="#555")
        .encode(x=base_x, y=alt.Y("limit:Q", title="rate"), detail="band:N")
    )
    rule = alt.Chart(target).mark_rule(color="#222").encode(y="t:Q")
    dots = (
        alt.Chart(points)
        .mark_circle(size=50, opacity=0.85)
        .encode(
            x=base_x,
            y="rate:Q",
            color=alt.Color(
                "category:N",
                scale=alt.Scale(
                    domain=list(CATEGORY_COLOURS), range=list(CATEGORY_COLOURS.values())
                ),
            ),
            tooltip=[alt.Tooltip("unit:N", title=unit_label), "n:Q", "rate:Q", "category:N"],
        )
    )
    return (bands + rule + dots).properties(title=title, width=560, height=320)


@functools.lru_cache(maxsize=32)
def _funnel_template(unit_label: str) -> str:
    """The funnel chart's Vega-Lite spec with named datasets, made by Altair once per label
    (building an Altair chart costs tens of milliseconds; a report draws dozens)."""
    chart = _funnel_layers(
        alt.NamedData("limits"), alt.NamedData("units"), alt.NamedData("target"), "", unit_label
    )
    return json.dumps(chart.to_dict())


def funnel_chart(result: FunnelLike, *, title: str, unit_label: str = "unit") -> alt.LayerChart:
    """The funnel as an Altair chart (data inline)."""
    lines, points = _funnel_data(result)
    return _funnel_layers(
        alt.Data(values=lines),
        alt.Data(values=points),
        alt.Data(values=[{"t": result.target}]),
        title,
        unit_label,
    )


def funnel_spec(result: FunnelLike, *, title: str, unit_label: str = "unit") -> dict[str, Any]:
    """The same chart as a Vega-Lite dict, built fast for thousands of units: the data go in as
    named datasets, not through Altair's per-value conversion and validation."""
    lines, points = _funnel_data(result)
    spec: dict[str, Any] = json.loads(_funnel_template(unit_label))
    spec["title"] = title
    spec["datasets"] = {"limits": lines, "units": points, "target": [{"t": result.target}]}
    return spec


def _trend_layers(series: Any, shift: Any, title: str) -> Any:
    line = (
        alt.Chart(series)
        .mark_line(point=True)
        .encode(x=alt.X("period:O", title="month"), y=alt.Y("rate:Q", title="rate"))
    )
    layers: list[Any] = [line]
    if shift is not None:
        layers.append(alt.Chart(shift).mark_rule(color="#b2182b").encode(x="period:O"))
    return alt.layer(*layers).properties(title=title, width=560, height=220)


def _trend_values(
    periods: Sequence[str], rates: Sequence[float | None], shift: LevelShift | None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]] | None]:
    values = [{"period": p, "rate": r} for p, r in zip(periods, rates, strict=True)]
    marked = shift is not None and 0 < shift.index < len(periods)
    return values, [{"period": periods[shift.index]}] if marked and shift else None


def trend_chart(
    periods: Sequence[str],
    rates: Sequence[float | None],
    *,
    title: str,
    shift: LevelShift | None = None,
) -> alt.LayerChart:
    """A monthly rate as a line, the month after the most likely level shift marked."""
    values, mark = _trend_values(periods, rates, shift)
    data = alt.Data(values=mark) if mark else None
    return _trend_layers(alt.Data(values=values), data, title)


@functools.lru_cache(maxsize=2)
def _trend_template(marked: bool) -> str:
    shift = alt.NamedData("shift") if marked else None
    return json.dumps(_trend_layers(alt.NamedData("series"), shift, "").to_dict())


def trend_spec(
    periods: Sequence[str],
    rates: Sequence[float | None],
    *,
    title: str,
    shift: LevelShift | None = None,
) -> dict[str, Any]:
    """:func:`trend_chart` as a Vega-Lite dict (named datasets, Altair's template made once)."""
    values, mark = _trend_values(periods, rates, shift)
    spec: dict[str, Any] = json.loads(_trend_template(mark is not None))
    spec["title"] = title
    spec["datasets"] = {"series": values, **({"shift": mark} if mark else {})}
    return spec


def to_svg(chart: alt.TopLevelMixin | dict[str, Any]) -> str:
    """Render offline (vl-convert bundles the Vega runtime; no network)."""
    return svg.render(chart if isinstance(chart, dict) else chart.to_json())
