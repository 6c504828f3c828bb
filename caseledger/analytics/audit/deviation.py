"""Guideline deviation: recommendations and sentences outside the range the sentencing
guidelines allow around the guideline sentence (seed 002: supervision of prosecutors'
discretion; consistent sentencing in similar cases, seed 004).

The guideline sentence is the one recorded with the case (``guideline_months``: the sentencing
engine's result for the case's facts — computed by its vectorised mode,
:func:`caseledger.sentencing.vector.recommend_frame`, for generated data). The warehouse does
not keep the facts, so the audit does not recompute it; it takes from the governing pack
(``guideline_pack``) the rule the engine uses to build a range recommendation around a
sentence — the band width by sentence length and the ±judicial margin (SPP-SentRec2021 and
the pack's policy, see ``docs/sentencing.md``) — and counts a recommendation (the definite
months, or the middle of a range) or a sentence outside that band as a deviation.

- **recommendations**, per prosecutor: the share of deviating recommendations against the
  national share for the same guideline sentence (pack and months), so that a unit's mix of
  light and heavy cases does not count;
- **sentences**, per judge: sentences the court set itself (no plea, hence no recommendation
  to adopt) against the guideline. A sentence that adopts a recommendation is judged in the
  recommendation check, where the deviation began.

Two-sided exact binomial tests (random effects if over-dispersed), Holm across units.

Must never: diverge from the engine's band rule (it reads the pack's own policy values) or
judge a single sentence: a finding is about a unit's pattern.
"""

from __future__ import annotations

from typing import Any

import ibis
import polars as pl

from caseledger.analytics.audit import common
from caseledger.analytics.audit.common import Scope
from caseledger.analytics.audit.model import TestRun
from caseledger.sentencing.compiled import Library, View, default_library
from caseledger.sentencing.engine import EPS

TEST = "guideline_deviation"
VERSION = 1
TITLE = "Guideline deviation"
QUESTION = (
    "Does a prosecutor recommend, or a judge impose, sentences outside the range the "
    "sentencing guidelines allow around the guideline sentence more often than others do "
    "for the same guideline sentence?"
)


def pack_views(lib: Library | None = None) -> dict[str, View]:
    """Each installed pack's policy view (band widths and margin are pack policy, not dated)."""
    lib = lib or default_library()
    return {pid: lib.view(pid, pack.valid_from) for pid, pack in lib.selectable.items()}


def _half_up(x: Any) -> Any:
    return (x + 0.5 + EPS).floor()


def band(months: Any, pack: Any, views: dict[str, View]) -> tuple[Any, Any, Any]:
    """(lo, hi, width) Ibis expressions: the engine's range band around ``months`` under
    ``pack`` — months ± half the width for that length, within ±margin (engine.py, vector.py);
    null for a pack this caseledger does not have. The engine also keeps a range inside the
    penalty's and the tier's legal bounds (they need the facts); leaving them out only widens
    the band, so a deviation counted here is one for the engine too."""
    lo_cases, hi_cases, w_cases = [], [], []
    m = months.cast("float64")
    for pid, view in sorted(views.items()):
        width = None
        for below, w in reversed(view.widths):
            width = (
                ibis.literal(w) if below is None else ibis.ifelse(m < below, w, width)
            )  # widths are ordered by length: the first matching band wins
        assert width is not None
        half = (width // 2).cast("float64")
        lo = ibis.least(ibis.greatest(m - half, _half_up(m * view.margin_lo)), m)
        hi = ibis.greatest(ibis.least(m + half, _half_up(m * view.margin_hi)), m)
        is_pack = pack == pid
        lo_cases.append((is_pack, lo))
        hi_cases.append((is_pack, hi))
        w_cases.append((is_pack, width))
    return ibis.cases(*lo_cases), ibis.cases(*hi_cases), ibis.cases(*w_cases)


def _aggregate(rows: Any, value: Any, unit: Any, views: dict[str, View]) -> Any:
    lo, hi, width = band(rows.guideline_months, rows.guideline_pack, views)
    rows = rows.mutate(_v=value.cast("float64"), _lo=lo, _hi=hi, _w=width).filter(
        lambda r: r._w.notnull()
    )
    return rows.group_by(
        unit=unit(rows), pack=rows.guideline_pack, months=rows.guideline_months
    ).aggregate(
        n=rows.count(),
        above=(rows._v > rows._hi + 1e-9).cast("int64").sum(),
        below=(rows._v < rows._lo - 1e-9).cast("int64").sum(),
    )


def run(scope: Scope) -> TestRun:
    run_ = TestRun(TEST, VERSION, TITLE, QUESTION, _method(), "nothing found")
    views = pack_views()
    t = scope.table
    guided = t.filter(
        t.guideline_pack.notnull(), t.guideline_months.notnull(), t.guideline_months > 0
    )
    recs = guided.filter(guided.prosecutor_id.notnull(), guided.recommendation_type.notnull())
    value = ibis.cases(
        (recs.recommendation_type == "definite", recs.recommended_months.cast("float64")),
        else_=(recs.recommended_range_lo + recs.recommended_range_hi).cast("float64") / 2,
    )
    recs = recs.filter(value.notnull())
    rec_cells = scope.collect(_aggregate(recs, value, lambda r: r.prosecutor_id, views))
    sent = guided.filter(
        guided.judge_id.notnull(), guided.verdict == "convicted", ~guided.plea,
        guided.sentence_months.notnull(),
    )  # fmt: skip
    sent_cells = scope.collect(_aggregate(sent, sent.sentence_months, lambda r: r.judge_id, views))
    if rec_cells.height == 0 and sent_cells.height == 0:
        run_.status = "no data"
        run_.no_data = "no recommendation or court-set sentence with a guideline sentence"
        return run_
    base_inputs = ["guideline_months", "guideline_pack", "year"]
    _check(
        run_, scope, rec_cells, check="recommendations", level="prosecutor_id",
        inputs=["prosecutor_id", "recommendation_type", "recommended_months",
                "recommended_range_lo", "recommended_range_hi", *base_inputs],
        what="recommendations (definite months, or the middle of a range)",
        explanation=(
            "These prosecutors' sentencing recommendations fall outside the range the "
            "guidelines allow around the guideline sentence far more often than other "
            "prosecutors' do for the same guideline sentence — systematically harsher or "
            "more lenient than the published guidelines."
        ),
    )  # fmt: skip
    _check(
        run_, scope, sent_cells, check="sentences", level="judge_id",
        inputs=["judge_id", "verdict", "plea", "sentence_months", *base_inputs],
        what="sentences set by the court without a plea recommendation",
        explanation=(
            "These judges' sentences (where no plea recommendation was adopted) fall outside "
            "the range the guidelines allow around the guideline sentence far more often than "
            "other judges' do for the same guideline sentence."
        ),
    )  # fmt: skip
    if run_.findings:
        run_.status = "finding"
    return run_


def _check(
    run_: TestRun, scope: Scope, cells: pl.DataFrame, *, check: str, level: str,
    inputs: list[str], what: str, explanation: str,
) -> None:  # fmt: skip
    if cells.height == 0:
        return
    cells = cells.with_columns((pl.col("above") + pl.col("below")).alias("out"))
    national = cells.group_by("pack", "months").agg(
        (pl.col("out").sum() / pl.col("n").sum()).alias("p")
    )
    per_unit = (
        cells.join(national, on=["pack", "months"])
        .group_by("unit")
        .agg(
            pl.col("n").sum().alias("records"),
            pl.col("out").sum().alias("observed"),
            (pl.col("n") * pl.col("p")).sum().alias("expected"),
            pl.col("above").sum(),
        )
    )
    above, total = int(cells["above"].sum()), int(cells["out"].sum())
    summary, finding = common.excess_outcome(
        test=TEST, version=VERSION, check=check, level=level, frame=per_unit,
        alternative="two-sided", alpha=scope.alpha,
        statistic=f"{what} outside the guideline band, against the national share for the "
        "same guideline sentence (pack and months)",
        inputs=inputs, explanation=explanation,
        note=f"outside the band nationally: {total:,} ({above:,} above, {total - above:,} below)",
    )  # fmt: skip
    run_.checks.append(summary)
    if finding is not None:
        run_.findings.append(finding)


def _method() -> str:
    return (
        "per prosecutor (recommendations) and per judge (court-set sentences), two-sided exact "
        "binomial test of the share outside the pack's range band around the guideline "
        "sentence, standardised by guideline sentence; Holm across units"
    )
