"""Under-dispersion: rates that vary less than chance allows — the "too perfect" signature of
targets (``shared/analytics.md`` §2.2).

Two rates, both decided by procuratorates: non-arrest (refused arrest requests, by month of
the decision) and non-prosecution (decisions not to prosecute, by month of the decision).
For each rate:

- **over time** (per procuratorate): X² of the monthly counts around the unit's own rate,
  judged in the lower tail of χ²_{T−1}; a rate at 0 in every month is judged by the exact
  probability of that run at the national rate, (1 − q)^n. Holm across procuratorates.
- **across units**: I·φ̂ of the procuratorates' yearly rates around the national rate in the
  lower tail of χ²_{I−1} (units with at least five expected events and non-events).

Must never: read a too-stable rate as good or bad work — it is a reason to audit the records.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl

from caseledger.analytics import integrity
from caseledger.analytics.audit import stats
from caseledger.analytics.audit.common import Scope, holm_text
from caseledger.analytics.audit.model import ACTION, CheckSummary, Finding, TestRun, UnitEvidence

TEST = "underdispersion"
VERSION = 1
TITLE = "Under-dispersion (too stable)"
QUESTION = (
    "Does a procuratorate's non-arrest or non-prosecution rate vary less from month to month — "
    "or do all procuratorates' rates vary less from each other — than chance allows?"
)
MIN_MONTHS = 6  # a monthly series shorter than half a year says little about stability
MIN_EXPECTED = 5  # the usual floor for a χ² approximation (expected counts per cell)
LEVEL = "procuratorate_id"
SERIES_METHOD = "χ² lower tail of monthly counts; zero run at the national rate"


def _month(date: Any) -> Any:
    return date.year() * 12 + date.month() - 1


def _rates(scope: Scope) -> dict[str, tuple[Any, list[str], str]]:
    t = scope.table
    arrest = t.filter(t.procuratorate_id.notnull() & t.arrest_decided_on.notnull()).filter(
        lambda s: s.arrest_approved.notnull()
    )
    pros = t.filter(t.procuratorate_id.notnull() & t.prosecution_decided_on.notnull()).filter(
        lambda s: s.prosecuted.notnull()
    )
    return {
        "non_arrest": (
            arrest.group_by(
                unit=arrest.procuratorate_id, month=_month(arrest.arrest_decided_on)
            ).aggregate(y=(~arrest.arrest_approved).cast("int64").sum(), n=arrest.count()),
            ["procuratorate_id", "arrest_decided_on", "arrest_approved"],
            "arrest requests refused",
        ),
        "non_prosecution": (
            pros.group_by(
                unit=pros.procuratorate_id, month=_month(pros.prosecution_decided_on)
            ).aggregate(y=(~pros.prosecuted).cast("int64").sum(), n=pros.count()),
            ["procuratorate_id", "prosecution_decided_on", "prosecuted"],
            "decisions not to prosecute",
        ),
    }


def run(scope: Scope) -> TestRun:
    run_ = TestRun(TEST, VERSION, TITLE, QUESTION, _method(), "nothing found")
    empty = []
    for check, (expr, inputs, what) in _rates(scope).items():
        cells = scope.collect(expr)
        if cells.height == 0 or cells["n"].sum() == 0:
            empty.append(check)
            continue
        _series(run_, scope, check, cells, inputs, what)
        _cross_section(run_, scope, check, cells, inputs, what)
    if len(empty) == 2:
        run_.status, run_.no_data = "no data", "no arrest or prosecution decision recorded"
    if run_.findings:
        run_.status = "finding"
    return run_


def _series(
    run_: TestRun, scope: Scope, check: str, cells: pl.DataFrame, inputs: list[str], what: str
) -> None:
    codes = sorted(cells["unit"].unique().to_list())
    index = {c: i for i, c in enumerate(codes)}
    ui = np.array([index[u] for u in cells["unit"].to_list()], dtype=np.int64)
    y = cells["y"].to_numpy().astype(float)
    n = cells["n"].to_numpy().astype(float)
    q = float(y.sum() / n.sum())
    s = stats.series_check(
        ui, y, n, len(codes), national_rate=q, alpha=scope.alpha,
        min_periods=MIN_MONTHS, min_expected=MIN_EXPECTED,
    )  # fmt: skip
    judged = int((s.method != "").sum())
    name = f"{check}_over_time"
    threshold = holm_text(scope.alpha, judged)
    run_.checks.append(
        CheckSummary(
            check=name, level=LEVEL, units_tested=judged, records=int(n.sum()), events=int(y.sum()),
            expected_share=q, method=SERIES_METHOD,
            phi=None, tau2=None, units_flagged=int(s.flagged.sum()), threshold=threshold,
            note=f"{len(codes) - judged:,} procuratorates with too few months or events to judge",
        )
    )  # fmt: skip
    if not s.flagged.any():
        return
    tot_y = np.bincount(ui, weights=y, minlength=len(codes))
    tot_n = np.bincount(ui, weights=n, minlength=len(codes))
    evidence = [
        UnitEvidence(codes[i], int(tot_n[i]), int(tot_y[i]), float(q * tot_n[i]),
                     float(s.p[i]), float(s.adjusted[i]))
        for i in np.flatnonzero(s.flagged)
    ]  # fmt: skip
    run_.findings.append(
        Finding(
            test=TEST, version=VERSION, check=name, level=LEVEL,
            units=[e.unit for e in evidence],
            statistic=(
                f"X² of the monthly counts of {what} around the unit's own rate (χ²_(T−1)); "
                "for a rate of 0 in every month, the probability (1 − q)^n of that run at the "
                f"national rate q = {q:.4f}"
            ),
            threshold=threshold, inputs=inputs,
            explanation=(
                f"The monthly share of {what} in these procuratorates is steadier than chance "
                "allows (or stays at zero month after month where the country's rate would make "
                "that practically impossible). Rates held at a level — a target kept, or cases "
                "filtered before they are recorded — look like this."
            ),
            action=ACTION, evidence=evidence,
        )
    )  # fmt: skip


def _cross_section(
    run_: TestRun, scope: Scope, check: str, cells: pl.DataFrame, inputs: list[str], what: str
) -> None:
    units = cells.group_by("unit").agg(pl.col("y").sum(), pl.col("n").sum()).sort("unit")
    y, n = units["y"].to_numpy().astype(float), units["n"].to_numpy().astype(float)
    q = float(y.sum() / n.sum())
    keep = (n * q >= MIN_EXPECTED) & (n * (1 - q) >= MIN_EXPECTED)
    d = integrity.cross_section_underdispersion(y[keep], n[keep])
    name = f"{check}_across_units"
    threshold = f"lower-tail p ≤ {scope.alpha:g} (one test)"
    flagged = d is not None and d.p_too_stable <= scope.alpha
    run_.checks.append(
        CheckSummary(
            check=name, level=LEVEL, units_tested=int(keep.sum()), records=int(n[keep].sum()),
            events=int(y[keep].sum()), expected_share=q, method="I·φ̂ lower tail of χ²_(I−1)",
            phi=None if d is None else d.statistic / max(d.df, 1), tau2=None,
            units_flagged=int(keep.sum()) if flagged else 0, threshold=threshold,
            note="" if d is None else f"X² = {d.statistic:.1f} on {d.df} df, "
            f"lower-tail p = {d.p_too_stable:.3g}",
        )
    )  # fmt: skip
    if not flagged or d is None:
        return
    run_.findings.append(
        Finding(
            test=TEST, version=VERSION, check=name, level=LEVEL,
            units=[str(u) for u, k in zip(units["unit"].to_list(), keep, strict=True) if k],
            statistic=f"X² = {d.statistic:.1f} of the units' {what} rates around the national "
            f"rate, on {d.df} degrees of freedom (lower tail p = {d.p_too_stable:.3g})",
            threshold=threshold, inputs=inputs,
            explanation=(
                f"The procuratorates' rates of {what} are closer to each other than binomial "
                "chance alone would make them: a sign of a common figure being aimed at."
            ),
            action=ACTION,
        )
    )  # fmt: skip


def _method() -> str:
    return (
        "per procuratorate, X² of monthly counts in the lower tail of χ²_(T−1), or the exact "
        "probability of a run of zeros; across procuratorates, I·φ̂ in the lower tail of "
        "χ²_(I−1) (analytics.md §2.2); Holm across procuratorates"
    )
