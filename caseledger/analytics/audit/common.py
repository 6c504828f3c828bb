"""What the audit's tests share: the scanned table, running an aggregate, and turning a
per-unit verdict into a finding.

Must never: bring row-level data into Python (only aggregates come back), or order units by
anything but their code.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl
import pyarrow as pa

from caseledger.analytics import engine as engines
from caseledger.analytics.audit import stats
from caseledger.analytics.audit.model import ACTION, ALPHA, CheckSummary, Finding, UnitEvidence


@dataclass(frozen=True)
class Scope:
    """The defendants an audit reads (an Ibis table, already limited to the chosen years)."""

    table: Any
    backend: Any
    engine: str
    alpha: float = ALPHA

    def collect(self, expr: Any) -> pl.DataFrame:
        """Run an aggregate and return it as a Polars frame (small by construction)."""
        batches = list(engines.record_batches(self.backend, self.engine, expr))
        if not batches:
            return pl.DataFrame(schema={c: pl.Null for c in expr.columns})
        frame = pl.from_arrow(pa.Table.from_batches(batches))
        assert isinstance(frame, pl.DataFrame)
        # DuckDB sums integers into 128-bit decimals: counts come back as plain integers.
        return frame.with_columns(
            pl.col(name).cast(pl.Int64)
            for name, dtype in frame.schema.items()
            if isinstance(dtype, pl.Decimal)
        )


def holm_text(alpha: float, units: int) -> str:
    return f"Holm-adjusted p ≤ {alpha:g} across the {units:,} units tested"


def excess_outcome(
    *,
    test: str,
    version: int,
    check: str,
    level: str,
    frame: pl.DataFrame,
    alternative: stats.Alternative,
    alpha: float,
    statistic: str,
    inputs: list[str],
    explanation: str,
    note: str = "",
) -> tuple[CheckSummary, Finding | None]:
    """Judge ``frame`` (columns ``unit``, ``records``, ``observed``, ``expected``; one row per
    unit) with :func:`stats.excess_check` and describe the result."""
    frame = frame.filter(pl.col("records") > 0).sort("unit")
    k = frame["observed"].to_numpy().astype(float)
    n = frame["records"].to_numpy().astype(float)
    e = frame["expected"].to_numpy().astype(float)
    threshold = holm_text(alpha, frame.height)
    if frame.height == 0:
        summary = CheckSummary(check, level, 0, 0, 0, None, "", None, None, 0, threshold, note)
        return summary, None
    ex = stats.excess_check(k, n, e, alternative=alternative, alpha=alpha)
    share = float(e.sum() / n.sum()) if n.sum() else None
    summary = CheckSummary(
        check=check,
        level=level,
        units_tested=frame.height,
        records=int(n.sum()),
        events=int(k.sum()),
        expected_share=share,
        method=ex.method,
        phi=None if math.isnan(ex.phi) else ex.phi,
        tau2=ex.tau2,
        units_flagged=int(ex.flagged.sum()),
        threshold=threshold,
        note=note,
    )
    if not ex.flagged.any():
        return summary, None
    units = frame["unit"].to_list()
    idx = np.flatnonzero(ex.flagged)  # already in code order: the frame is sorted by unit
    evidence = [
        UnitEvidence(
            unit=str(units[i]),
            records=int(n[i]),
            observed=int(k[i]),
            expected=float(e[i]),
            p_value=float(ex.p[i]),
            adjusted_p=float(ex.adjusted[i]),
        )
        for i in idx
    ]
    finding = Finding(
        test=test,
        version=version,
        check=check,
        level=level,
        units=[ev.unit for ev in evidence],
        statistic=statistic,
        threshold=f"{threshold} ({ex.method})",
        inputs=inputs,
        explanation=explanation,
        action=ACTION,
        evidence=evidence,
    )
    return summary, finding
