"""The audit as a section of the HTML report (:mod:`caseledger.analytics.report`).

Units appear by code, in code order; nothing is sorted by a statistic.

:func:`report_extension` is how ``caseledger report`` carries the audit: the whole audit of the
report's warehouse (every cohort year), as one HTML section and as the JSON part ``audit``.

Must never: compute anything itself — it lays out an :class:`AuditResult` that
:func:`~caseledger.analytics.audit.runner.run_audit` computed.
"""

from __future__ import annotations

from typing import Any

from caseledger.analytics.audit.model import ACTION, AuditResult
from caseledger.analytics.audit.runner import run_audit
from caseledger.analytics.report import Section, Table


def _num(x: float | None, digits: int = 4) -> str:
    return "" if x is None else f"{x:.{digits}g}"


def render_section(result: AuditResult) -> Section:
    """A report section: what ran, what it computed, each finding and its units."""
    s = Section("Data-integrity audit")
    years = ", ".join(map(str, result.years)) or "none"
    if result.no_data:
        s.paragraphs.append(f"No data: {result.no_data}.")
        return s
    n = len(result.findings)
    s.paragraphs.append(
        f"{len(result.tests)} tests on {result.defendants:,} defendants (cohort years {years}); "
        f"{n} finding{'s' if n != 1 else ''}. Each check controls the chance of any false "
        "finding across its units (Holm). A finding means: " + ACTION + "."
    )
    rows: list[list[object]] = []
    for t in result.tests:
        if t.no_data:
            rows.append([t.title, "", "", "", "", "", "", f"no data: {t.no_data}"])
        for c in t.checks:
            rows.append([
                t.title, c.check, c.level, f"{c.units_tested:,}", f"{c.records:,}",
                _num(c.expected_share), c.units_flagged or "ran, nothing found", c.note,
            ])  # fmt: skip
    s.tables.append(
        Table(
            [
                "test",
                "check",
                "unit",
                "units tested",
                "records",
                "national share",
                "units flagged",
                "note",
            ],
            rows,
        )
    )
    for t in result.tests:
        s.paragraphs.append(f"{t.title} (test {t.test}, version {t.version}): {t.question} "
                            f"Method: {t.method}.")  # fmt: skip
    for f in result.findings:
        s.paragraphs.append(
            f"Finding — {f.test} / {f.check} ({f.level}): {f.explanation} Statistic: "
            f"{f.statistic}. Threshold: {f.threshold}. Inputs: {', '.join(f.inputs)}. "
            f"What to do: {f.action}."
        )
        if f.evidence:
            s.tables.append(
                Table(
                    [f.level, "records", "observed", "expected", "p", "Holm-adjusted p"],
                    [
                        [
                            e.unit,
                            f"{e.records:,}",
                            f"{e.observed:,}",
                            f"{e.expected:.1f}",
                            f"{e.p_value:.3g}",
                            f"{e.adjusted_p:.3g}",
                        ]
                        for e in f.evidence
                    ],
                )
            )
        else:
            s.tables.append(Table([f.level], [[u] for u in f.units]))
    return s


def report_extension(*, engine: str = "duckdb", threads: int | None = None, spark: Any = None):
    """The audit as an ``analytics.report_run.Extension`` (imported here, not at module load,
    so the audit does not depend on the report's runner)."""
    from caseledger.analytics.report_run import Extension

    def build(cube: Any, warehouse: Any) -> tuple[list[Section], dict[str, Any]]:
        result = run_audit(warehouse.path, engine=engine, threads=threads, spark=spark)
        return [render_section(result)], result.to_json()

    return Extension(key="audit", build=build)
