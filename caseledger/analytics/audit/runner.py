"""Run the data-integrity audit over a warehouse: open it, limit it to the chosen years, run
each test on aggregates, collect the results.

Must never: write to the warehouse, read the generator's plant plan (``plants`` in the
manifest) — the audit finds problems from the data alone — or order units by a statistic.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from caseledger.analytics import source
from caseledger.analytics.audit import bunching, confession, deviation, dispersion, recording
from caseledger.analytics.audit.common import Scope
from caseledger.analytics.audit.model import ALPHA, AuditResult, TestRun
from caseledger.errors import InvalidInput, UnknownCode

TESTS: dict[str, Callable[[Scope], TestRun]] = {
    bunching.TEST: bunching.run,
    dispersion.TEST: dispersion.run,
    recording.TEST: recording.run,
    deviation.TEST: deviation.run,
    confession.TEST: confession.run,
}
FIRST_YEAR, LAST_YEAR = 1980, 2100  # the warehouse's date range (docs/warehouse.md)


def check_tests(tests: Sequence[str] | None) -> list[str]:
    if not tests:
        return list(TESTS)
    for name in tests:
        if name not in TESTS:
            raise UnknownCode(f"unknown audit test {name!r}", field="test",
                              allowed=",".join(TESTS))  # fmt: skip
    return [name for name in TESTS if name in set(tests)]


def check_years(years: Sequence[int] | None) -> list[int]:
    out = []
    for y in years or ():
        if isinstance(y, bool) or not isinstance(y, int) or not FIRST_YEAR <= y <= LAST_YEAR:
            raise InvalidInput(f"a year is a cohort year between {FIRST_YEAR} and {LAST_YEAR}",
                               field="year", value=y)  # fmt: skip
        out.append(y)
    return sorted(set(out))


def warehouse_years(wh: source.Warehouse) -> list[int]:
    rows = wh.manifest.get("rows", {}).get("defendants", {})
    years = []
    for key, count in rows.items() if isinstance(rows, dict) else ():
        try:
            if int(count) > 0:
                years.append(int(key))
        except (TypeError, ValueError):
            continue
    return sorted(years)


def run_audit(
    warehouse: str | Path,
    *,
    engine: str = "duckdb",
    years: Sequence[int] | None = None,
    tests: Sequence[str] | None = None,
    alpha: float = ALPHA,
    threads: int | None = None,
    spark: Any = None,
) -> AuditResult:
    """Audit the warehouse at ``warehouse`` (cohort ``years``, default all) with ``tests``
    (default all). Findings are not errors; bad input raises :class:`InvalidInput`."""
    chosen = check_tests(tests)
    wanted = check_years(years)
    if not 0 < alpha < 1:
        raise InvalidInput("alpha lies strictly between 0 and 1", field="alpha", value=alpha)
    wh = source.open_warehouse(warehouse, engine=engine, threads=threads, spark=spark)
    try:
        have = warehouse_years(wh)
        use = [y for y in wanted if y in have] if wanted else have
        result = AuditResult(wh.path, wh.schema_version, engine, use, 0)
        if not use:
            asked = ", ".join(map(str, wanted)) or "any"
            result.no_data = (
                f"no defendants in the selected years ({asked}); the warehouse holds "
                + (", ".join(map(str, have)) or "no year")
            )
            return result
        table = wh.defendants
        if wanted:
            table = table.filter(table.year.isin(use))
        result.defendants = sum(int(wh.manifest["rows"]["defendants"][str(y)]) for y in use)
        scope = Scope(table, wh.backend, engine, alpha)
        for name in chosen:
            result.tests.append(TESTS[name](scope))
        return result
    finally:
        wh.close()
