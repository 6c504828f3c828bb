"""The data-integrity audit: tests for the signatures that targets and gaming leave in case
records (``shared/analytics.md`` §2), run over the Parquet warehouse.

Tests (one module each): deadline bunching (:mod:`.bunching`), under-dispersion
(:mod:`.dispersion`), under-recording (:mod:`.recording`), guideline deviation of
recommendations and sentences (:mod:`.deviation`), confession-only conviction clusters
(:mod:`.confession`). :func:`run_audit` runs them (one SQL aggregate per check, statistics on
the small results); :func:`render_section` puts the result into an HTML report.

Every finding names its units by code, in code order, with the statistic, the multiple-testing
threshold that decided, the inputs and what to do: audit a sample of those records. It is never
a ranking and never a verdict.
"""

from __future__ import annotations

from typing import Any

__all__ = ["TESTS", "AuditResult", "Finding", "TestRun", "render_section", "run_audit"]

_WHERE = {
    "TESTS": "runner",
    "run_audit": "runner",
    "render_section": "section",
    "AuditResult": "model",
    "Finding": "model",
    "TestRun": "model",
}


def __getattr__(name: str) -> Any:
    # Lazy: the CLI imports this package for its command, and the statistics (scipy, Ibis,
    # the sentencing packs) should load only when an audit runs.
    if name not in _WHERE:
        raise AttributeError(name)
    import importlib

    return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
