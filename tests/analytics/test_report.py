"""Charts render offline to SVG; the HTML report is self-contained and lists units by code."""

from __future__ import annotations

import re

import numpy as np

from caseledger.analytics import charts, monitor, report
from caseledger.analytics import funnel as fn


def _funnel() -> fn.Funnel:
    rng = np.random.default_rng(2)
    n = rng.integers(50, 3000, 40)
    y = rng.binomial(n, 0.2)
    y[7] = int(n[7] * 0.45)  # one unit far above
    codes = [f"3501{i:02d}" for i in range(40)]
    return fn.funnel(codes, y.tolist(), n.tolist(), method="additive")


def test_funnel_and_trend_charts_render_to_svg_offline():
    result = _funnel()
    svg = charts.to_svg(charts.funnel_chart(result, title="Non-arrest rate by county"))
    assert svg.lstrip().startswith("<svg") and "Non-arrest rate by county" in svg
    shift = monitor.level_shift([40] * 12 + [10] * 12, [200] * 24)
    months = [f"2025-{m:02d}" for m in range(1, 13)] + [f"2026-{m:02d}" for m in range(1, 13)]
    trend = charts.to_svg(
        charts.trend_chart(months, [0.2] * 12 + [0.05] * 12, title="Trend", shift=shift)
    )
    assert "<svg" in trend


def test_report_is_self_contained_and_escapes_text():
    result = _funnel()
    section = report.Section(
        heading="Non-arrest rate",
        paragraphs=["<script>alert(1)</script> units outside the 99.8% band are listed"],
        charts=[charts.to_svg(charts.funnel_chart(result, title="Funnel"))],
        tables=[
            report.Table(["unit", "category"], [[u.unit, u.category.value] for u in result.units])
        ],
    )
    html = report.render_html("Quality report", [section])
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert not re.search(r'(src|href)="https?://', html)
    listed = re.findall(r"<td>(3501\d\d)</td>", html)
    assert listed == sorted(listed)
