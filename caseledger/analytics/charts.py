"""Charts as Vega-Lite (Altair), rendered to SVG on the server so reports work offline.

A funnel chart plots each unit's rate against its denominator with the 95 % and 99.8 % bands;
points are coloured by category and labelled by unit code — the x axis is the denominator, so the
picture itself orders nothing by the indicator. A trend chart shows a monthly rate with the
level shift, if any, marked.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt
import vl_convert as vlc

from caseledger.analytics import funnel as fn
from caseledger.analytics.monitor import LevelShift

CATEGORY_COLOURS = {
    fn.Category.below_998.value: "#2166ac",
    fn.Category.below_95.value: "#67a9cf",
    fn.Category.within.value: "#7f7f7f",
    fn.Category.above_95.value: "#ef8a62",
    fn.Category.above_998.value: "#b2182b",
    fn.Category.too_few.value: "#d9d9d9",
}


def funnel_chart(result: fn.Funnel, *, title: str, unit_label: str = "unit") -> alt.Chart:
    judged = [u for u in result.units if u.observed is not None]
    if not judged:
        raise ValueError("a funnel chart needs at least one unit with cases")
    top = max(u.denominator for u in judged)
    low = max(min(u.denominator for u in judged), max(result.min_denominator, 1))
    grid = sorted({int(low + (top - low) * i / 60) for i in range(61)} | {top})
    lines = []
    for n in grid:
        if n <= 0:
            continue
        if result.method == "additive":
            lim = fn.additive_limits(n, result.target, result.tau2)
        elif result.method == "multiplicative":
            lim = fn.multiplicative_limits(n, result.target, result.phi)
        else:
            lim = fn.exact_limits(n, result.target)
        for band, value in (
            ("99.8% lower", lim.lower_998),
            ("95% lower", lim.lower_95),
            ("95% upper", lim.upper_95),
            ("99.8% upper", lim.upper_998),
        ):
            lines.append({"n": n, "limit": value, "band": band})
    points = [
        {"unit": u.unit, "n": u.denominator, "rate": u.observed, "category": u.category.value}
        for u in judged
    ]
    base_x = alt.X("n:Q", title="cases (denominator)", scale=alt.Scale(zero=False))
    bands = (
        alt.Chart(alt.Data(values=lines))
        .mark_line(strokeDash=[4, 3], color="#555")
        .encode(x=base_x, y=alt.Y("limit:Q", title="rate"), detail="band:N")
    )
    target = (
        alt.Chart(alt.Data(values=[{"t": result.target}])).mark_rule(color="#222").encode(y="t:Q")
    )
    dots = (
        alt.Chart(alt.Data(values=points))
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
    return (bands + target + dots).properties(title=title, width=560, height=320)


def trend_chart(
    periods: Sequence[str], rates: Sequence[float], *, title: str, shift: LevelShift | None = None
) -> alt.Chart:
    values = [{"period": p, "rate": r} for p, r in zip(periods, rates, strict=True)]
    line = (
        alt.Chart(alt.Data(values=values))
        .mark_line(point=True)
        .encode(x=alt.X("period:O", title="month"), y=alt.Y("rate:Q", title="rate"))
    )
    layers: list[Any] = [line]
    if shift is not None and 0 < shift.index < len(periods):
        mark = [{"period": periods[shift.index]}]
        layers.append(
            alt.Chart(alt.Data(values=mark)).mark_rule(color="#b2182b").encode(x="period:O")
        )
    return alt.layer(*layers).properties(title=title, width=560, height=220)


def to_svg(chart: alt.TopLevelMixin) -> str:
    """Render offline (vl-convert bundles the Vega runtime; no network)."""
    return vlc.vegalite_to_svg(chart.to_json())
