"""``caseledger import``: bring a facts table or an event stream into the warehouse.

Thin: parse options, call :func:`caseledger.warehouse.importer.run`, render. The progress bar
(rate and ETA) goes to stderr so ``--json`` output stays clean, and is off with ``--quiet``.
Exit code 0 when every row was imported (or the files were imported before), 2 when a row was
rejected or a file refused — with one line on stderr saying how many and where the rejects are.

Mount in ``caseledger/cli.py`` with ``app.command("import")(import_commands.import_)``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from caseledger import clikit
from caseledger.clikit import JsonOpt
from caseledger.config import Settings
from caseledger.errors import CaseledgerError

if TYPE_CHECKING:  # the importer loads Polars and PyArrow: only when the command runs
    from caseledger.warehouse import importer


def _render(report: importer.ImportReport) -> None:
    table = Table(title=f"import into {report.warehouse}", show_header=True)
    for col, justify in (("file", "left"), ("table", "left"), ("status", "left")):
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    for col in ("rows", "imported", "rejected"):
        table.add_column(col, justify="right")
    for f in report.files:
        status = f.status + (f" ({f.imported_at})" if f.imported_at else "")
        table.add_row(
            escape(Path(f.file).name),
            f.table,
            status,
            f"{f.rows:,}",
            f"{f.imported:,}",
            f"{f.rejected:,}",
        )
    clikit.console.print(table)
    for f in report.files:
        for reason, n in f.reasons.items():
            rows = f"{n:,} row" + ("" if n == 1 else "s")
            clikit.console.print(f"  {escape(Path(f.file).name)}: {rows}  {escape(reason)}")
    if report.created:
        clikit.console.print("a new warehouse was created")
    clikit.console.print(f"{report.seconds:.1f} s")


class _Bar:
    """The import's phases on one rich progress bar: bytes while reading, rows while writing."""

    def __init__(self, bar: Progress) -> None:
        self.bar = bar
        self.task: Any = None
        self.rows = False

    def phase(self, name: str, total: int | None) -> None:
        if self.task is not None:
            self.bar.remove_task(self.task)
        self.rows = name == "write"
        self.task = self.bar.add_task(name, total=total, rate="")

    def advance(self, n: int) -> None:
        self.bar.advance(self.task, n)
        speed = self.bar.tasks[-1].speed
        if speed:
            rate = f"{speed:,.0f} rows/s" if self.rows else f"{speed / 2**20:,.1f} MB/s"
            self.bar.update(self.task, rate=rate)


def import_(
    files: Annotated[
        list[Path],
        typer.Argument(help="CSV or Parquet facts tables (defendants), JSONL event streams."),
    ],
    warehouse: Annotated[
        Path | None,
        typer.Option("--warehouse", help="Warehouse directory (default: <home>/warehouse)."),
    ] = None,
    rejects: Annotated[
        Path | None,
        typer.Option(
            "--rejects", help="Rejects file (CSV; default: <first file>.rejects.csv beside it)."
        ),
    ] = None,
    new_regions: Annotated[
        bool,
        typer.Option("--new-regions", help="Accept counties the warehouse does not have yet."),
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Import facts (CSV, Parquet) or events (JSONL) from another system into the warehouse.

    Every row is checked against the documented schema; rejected rows go to the rejects file
    with row number, field and reason, the others are committed together. A file imported
    before is skipped; a killed import commits nothing.
    """
    from caseledger.warehouse import importer

    try:
        req = importer.ImportRequest(
            files=tuple(files),
            warehouse=warehouse if warehouse is not None else Settings().home / "warehouse",
            rejects=rejects,
            new_regions=new_regions,
        )
        report = _run(req, show=not quiet)
    except CaseledgerError as exc:
        clikit.fail(exc, as_json)
        return
    if as_json:
        clikit.print_json(report)
    elif not quiet:
        _render(report)
    if not report.ok:
        line = (
            f"{report.rejected:,} of {report.rows:,} rows rejected, {report.imported:,} "
            f"imported [rejects={report.rejects_file}]"
        )
        clikit.err_console.print(
            f"[bold red]error:[/] {escape(line)}", highlight=False, soft_wrap=True
        )
        raise typer.Exit(code=2)


def _run(req: importer.ImportRequest, *, show: bool) -> importer.ImportReport:
    from caseledger.warehouse import importer

    if not show or not clikit.err_console.is_terminal:
        return importer.run(req)
    columns: list[Any] = [
        TextColumn("[bold]import[/] {task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    ]
    with Progress(*columns, console=clikit.err_console, transient=True) as bar:
        return importer.run(req, progress=_Bar(bar))
