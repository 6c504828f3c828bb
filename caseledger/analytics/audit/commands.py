"""``caseledger audit``: the data-integrity audit from the command line (thin over
:func:`caseledger.analytics.audit.run_audit`).

Findings are not errors: the exit code is 0 whether or not the audit found something, and 2
only for bad input (no warehouse, an unknown schema version, test or year).

Mount in ``caseledger/cli.py`` with ``app.command("audit")(audit_commands.audit)``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from caseledger import clikit
from caseledger.clikit import JsonOpt
from caseledger.config import get_settings

SHOWN_UNITS = 20  # codes printed per finding on a terminal (--json gives them all)


def _render(result: object) -> None:
    from caseledger.analytics.audit.model import ACTION, AuditResult

    assert isinstance(result, AuditResult)
    out = clikit.console
    if result.no_data:
        out.print(f"[bold]no data:[/] {escape(result.no_data)}", highlight=False)
        return
    years = ", ".join(map(str, result.years))
    out.print(
        f"audit of {escape(str(result.warehouse))} (schema {result.schema_version}, "
        f"{result.engine}): {result.defendants:,} defendants, cohort years {years}",
        highlight=False,
    )
    for t in result.tests:
        if t.no_data:
            out.print(f"{t.test}: no data ({escape(t.no_data)})", highlight=False)
        for c in t.checks:
            verdict = (
                f"[bold red]{c.units_flagged} flagged[/]" if c.units_flagged
                else "ran, nothing found"
            )  # fmt: skip
            out.print(
                f"{t.test} / {c.check}: {verdict} ({c.units_tested:,} units of {c.level}, "
                f"{c.records:,} records)",
                highlight=False,
            )
    for f in result.findings:
        shown = ", ".join(f.units[:SHOWN_UNITS])
        more = f" … and {len(f.units) - SHOWN_UNITS} more" if len(f.units) > SHOWN_UNITS else ""
        out.print(f"\n[bold]finding[/] {f.test} v{f.version} / {f.check} — {f.level}: "
                  f"{escape(shown)}{more}", highlight=False)  # fmt: skip
        out.print(f"  {escape(f.explanation)}", highlight=False)
        out.print(f"  statistic: {escape(f.statistic)}", highlight=False)
        out.print(f"  threshold: {escape(f.threshold)}", highlight=False)
        for e in f.evidence[:SHOWN_UNITS]:
            out.print(
                f"  {e.unit}: {e.observed:,} of {e.records:,} (expected {e.expected:.1f}), "
                f"p = {e.p_value:.3g}, Holm-adjusted {e.adjusted_p:.3g}",
                highlight=False,
            )
    n = len(result.findings)
    out.print(f"\n{n} finding{'s' if n != 1 else ''}." + (f" What to do: {ACTION}." if n else ""))


def audit(
    warehouse: Annotated[
        Path | None,
        typer.Option("--warehouse", help="Warehouse directory (default: <home>/warehouse)."),
    ] = None,
    engine: Annotated[
        str, typer.Option("--engine", help="Query engine: duckdb or spark.")
    ] = "duckdb",
    year: Annotated[
        list[int] | None,
        typer.Option("--year", help="Cohort year to audit (repeatable; default: all)."),
    ] = None,
    test: Annotated[
        list[str] | None,
        typer.Option("--test", help="Run only this test (repeatable; default: all)."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Audit the warehouse for the signatures of gaming in case records (five tests).

    Deadline bunching, too-stable rates, under-recording, guideline deviation and
    confession-only convictions.

    Each finding lists its units by code with the statistic and the threshold that decided
    (Holm across units). Exit code 0 with or without findings; 2 on bad input.
    """
    from caseledger.analytics.audit import run_audit

    target = warehouse if warehouse is not None else get_settings().home / "warehouse"
    result = run_audit(target, engine=engine, years=year, tests=test)
    if as_json:
        payload = clikit.to_jsonable(result)
        payload["findings"] = len(result.findings)
        clikit.print_json(payload)
    else:
        _render(result)
