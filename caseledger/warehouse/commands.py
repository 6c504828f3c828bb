"""``caseledger export``: the ledger into the Parquet warehouse (thin over :mod:`.export`).

The progress bar goes to stderr (so ``--json`` stays clean) and is off with ``--quiet``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from caseledger import clikit
from caseledger.clikit import JsonOpt
from caseledger.config import get_settings
from caseledger.context import open_database
from caseledger.ledger.store import event_count
from caseledger.warehouse import export as exporter


def export(
    warehouse: Annotated[
        Path | None,
        typer.Option("--warehouse", help="Warehouse directory (default: <home>/warehouse)."),
    ] = None,
    full: Annotated[
        bool,
        typer.Option("--full", help="Export everything again, replacing the warehouse."),
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Export the ledger into the Parquet warehouse: only new events, atomically.

    The first export writes everything; later ones append the new events and recompute the
    defendants they touch. A crash leaves the previous warehouse valid.
    """
    settings = get_settings()
    target = warehouse if warehouse is not None else settings.home / "warehouse"
    db = open_database(settings)
    try:
        if quiet or as_json:
            report = exporter.run(db, target, full=full)
        else:
            report = _with_bar(db, target, full)
    finally:
        db.dispose()
    clikit.emit(report, as_json, _render)


def _with_bar(db: Any, target: Path, full: bool) -> exporter.ExportReport:
    with db.read() as s:
        total = event_count(s)
    columns: list[Any] = [
        TextColumn("[bold]export[/]"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("events"),
        TimeElapsedColumn(),
    ]
    with Progress(*columns, console=clikit.err_console, transient=True) as bar:
        task = bar.add_task("export", total=total)
        return exporter.run(db, target, full=full, progress=lambda n: bar.advance(task, n))


def _render(r: exporter.ExportReport) -> None:
    kind = "full export" if r.full else "incremental export"
    clikit.console.print(
        f"{kind} into {r.warehouse}: {r.events_appended:,} events appended, "
        f"{r.defendants_replaced:,} defendants written ({r.cases:,} cases), "
        f"watermark {r.watermark_before:,} → {r.watermark:,}; {r.seconds:.1f} s",
        highlight=False,
    )
