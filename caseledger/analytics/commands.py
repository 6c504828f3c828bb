"""``caseledger report``: the quality report of a warehouse as one HTML page or JSON (thin over
:func:`caseledger.analytics.report_run.produce`).

Mount in ``caseledger/cli.py`` with ``app.command("report")(analytics_commands.report)``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from caseledger import clikit
from caseledger.clikit import JsonOpt
from caseledger.config import get_settings

if TYPE_CHECKING:  # the analytics stack is imported only when the command runs
    from caseledger.analytics import report_run


def report(
    out: Annotated[Path, typer.Option("--out", "-o", help="File to write (replaced atomically).")],
    warehouse: Annotated[
        Path | None,
        typer.Option("--warehouse", help="Warehouse directory (default: <home>/warehouse)."),
    ] = None,
    engine: Annotated[
        str, typer.Option("--engine", help="Query engine: duckdb or spark (local, Java 17).")
    ] = "duckdb",
    fmt: Annotated[
        str,
        typer.Option("--format", help="html (one self-contained page) or json (the same numbers)."),
    ] = "html",
    year: Annotated[
        int | None,
        typer.Option(
            "--year",
            help="Year of the overview, funnels and case types (default: "
            "the latest year with registrations).",
        ),
    ] = None,
    level: Annotated[
        list[str] | None,
        typer.Option(
            "--level",
            help="Unit level of the funnels; repeat for several (default: province, "
            "prefecture, county, police, procuratorate, court).",
        ),
    ] = None,
    indicator: Annotated[
        list[str] | None,
        typer.Option("--indicator", help="Only this indicator; repeat for several (default: all)."),
    ] = None,
    monitor_level: Annotated[
        str, typer.Option("--monitor-level", help="Unit level of the CUSUM monitoring.")
    ] = "province",
    method: Annotated[
        str,
        typer.Option("--method", help="Funnel limits: additive, multiplicative or exact."),
    ] = "additive",
    workers: Annotated[
        int, typer.Option("--workers", min=1, help="Processes for charts and monitoring.")
    ] = 2,
    no_audit: Annotated[
        bool, typer.Option("--no-audit", help="Leave out the data-integrity audit.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Write the case-quality report: national overview, trends and CUSUM monitoring, funnel
    plots of every rate at every unit level, key case types, and the data-integrity audit.
    Units are listed by code, never ranked. An empty selection (a year without data) writes an
    explicit "no data" report."""
    from caseledger.analytics import report_run, reporting
    from caseledger.analytics.audit import section as audit_section

    settings = get_settings()
    source = warehouse if warehouse is not None else settings.home / "warehouse"
    defaults = reporting.ReportOptions()
    options = reporting.ReportOptions(
        year=year,
        indicators=tuple(indicator or ()),
        levels=tuple(level) if level else defaults.levels,
        chart_levels=tuple(lv for lv in defaults.chart_levels if not level or lv in level),
        monitor_level=monitor_level,
        method=method,
    )
    extensions = [] if no_audit else [audit_section.report_extension(engine=engine)]
    produced = report_run.produce(
        source,
        out,
        fmt=fmt,
        engine=engine,
        options=options,
        extensions=extensions,
        workers=workers,
    )
    clikit.emit(produced, as_json, _render)


def _render(p: report_run.Produced) -> None:
    what = p.no_data or (
        f"year {p.year}: {p.funnels} funnels, {p.charts} charts"
        if p.format == "html"
        else f"year {p.year}: {p.funnels} funnels"
    )
    clikit.console.print(
        f"{p.format} report written to {p.out} ({p.bytes / 1e6:.1f} MB) — {what};"
        f" {p.seconds['total']:.1f} s",
        highlight=False,
        soft_wrap=True,
    )
