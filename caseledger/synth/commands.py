"""``caseledger synth``: generate a synthetic warehouse from the command line.

Thin: parse options, call :func:`caseledger.synth.generator.run`, render. The progress bar
goes to stderr (so ``--json`` output stays clean) and is off with ``--quiet``.

Mount in ``caseledger/cli.py`` with ``app.command("synth")(synth_commands.synth)``; ``app``
below runs the same command on its own (tests, ``python -m``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from caseledger import clikit
from caseledger.case import clock
from caseledger.clikit import JsonOpt
from caseledger.config import Settings
from caseledger.context import open_database
from caseledger.errors import CaseledgerError, InvalidInput
from caseledger.synth import generator, plants
from caseledger.synth import ledger as ledger_output

app = typer.Typer(help="Synthetic national-scale data for the warehouse.", add_completion=False)


def _list_plants(as_json: bool) -> None:
    def render(value: dict[str, str]) -> None:
        for name, text in value.items():
            clikit.console.print(f"[bold]{name}[/]  {text}", highlight=False)

    clikit.emit(dict(sorted(plants.PLANTS.items())), as_json, render)


def _render(report: generator.SynthReport) -> None:
    table = Table(title=f"synthetic warehouse {report.warehouse}", show_header=True)
    table.add_column("year")
    table.add_column("defendants", justify="right")
    table.add_column("events", justify="right")
    for year, rows in sorted(report.rows_per_year.items()):
        table.add_row(str(year), f"{rows['defendants']:,}", f"{rows['events']:,}")
    clikit.console.print(table)
    planted = ", ".join(f"{k} ({next(iter(v.values()))})" for k, v in report.plants.items())
    clikit.console.print(f"seed {report.seed}; plants: {planted or 'none (clean)'}")
    clikit.console.print(f"{report.seconds:.1f} s; the data are synthetic.")


def synth(
    defendants: Annotated[
        int, typer.Option("--defendants", "-n", help="Defendants per year.")
    ] = 100_000,
    years: Annotated[int, typer.Option("--years", "-y", help="Number of years.")] = 1,
    seed: Annotated[
        int, typer.Option("--seed", "-s", help="Random seed (same seed, same files).")
    ] = 0,
    first_year: Annotated[
        int | None, typer.Option("--first-year", help="First cohort year (default: ends in 2024).")
    ] = None,
    warehouse: Annotated[
        Path | None,
        typer.Option("--warehouse", help="Warehouse directory (default: <home>/warehouse)."),
    ] = None,
    clean: Annotated[
        bool, typer.Option("--clean", help="No planted problems (the default).")
    ] = False,
    plant: Annotated[
        list[str] | None,
        typer.Option("--plant", help="Plant a problem (repeatable); see --list-plants."),
    ] = None,
    list_plants: Annotated[
        bool, typer.Option("--list-plants", help="List the plants and exit.")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")
    ] = False,
    ledger: Annotated[
        bool,
        typer.Option(
            "--ledger",
            help="Record through the real commands into the ledger (CASELEDGER_DATABASE_URL) "
            "instead of writing the warehouse; `caseledger export` then writes it.",
        ),
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            "-j",
            help="With --ledger into a SQLite file: processes taking provinces in turn, the "
            "workers each into a scratch shard merged into the file batch by batch (default: "
            "one per core from 2,000 defendants; 1 = this process alone).",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Generate synthetic defendants and their events into the Parquet warehouse.

    The previous warehouse is replaced only when the new one is complete. With --ledger every
    act goes through its command (all checks, hash-chained events) instead.
    """
    if list_plants:
        _list_plants(as_json)
        return
    try:
        if clean and plant:
            raise InvalidInput("--clean and --plant exclude each other")
        if ledger and warehouse is not None:
            raise InvalidInput("--ledger and --warehouse exclude each other")
        if workers is not None and not ledger:
            raise InvalidInput("--workers applies to --ledger runs only", workers=workers)
        settings = Settings()
        target = warehouse if warehouse is not None else settings.home / "warehouse"
        if ledger and first_year is None:
            first_year = ledger_output.default_first_year(years, clock.today())
        req = generator.SynthRequest(
            defendants=defendants,
            years=years,
            seed=seed,
            warehouse=target,
            plants=tuple(dict.fromkeys(plant or ())),
            first_year=first_year,
        )
        generator.validate(req)
        report: Any = (
            _run_ledger(req, settings, show=not quiet, workers=workers)
            if ledger
            else _run(req, show=not quiet)
        )
    except CaseledgerError as exc:
        clikit.fail(exc, as_json)
        return
    if as_json:
        clikit.print_json(report)
    elif not quiet:
        (_render_ledger if ledger else _render)(report)


def _run_ledger(
    req: generator.SynthRequest, settings: Settings, *, show: bool, workers: int | None
) -> ledger_output.LedgerReport:
    db = open_database(settings)
    try:
        with _bar(req, show) as advance:
            return ledger_output.run(
                req, db, settings.recordings_path, progress=advance, workers=workers
            )
    finally:
        db.dispose()


def _render_ledger(report: ledger_output.LedgerReport) -> None:
    planted = ", ".join(f"{k} ({next(iter(v.values()))})" for k, v in report.plants.items())
    clikit.console.print(
        f"recorded {report.defendants:,} synthetic defendants ({report.cases:,} cases, "
        f"{report.events:,} events) through the ledger's commands into {report.database}",
        highlight=False,
    )
    clikit.console.print(
        f"years {report.years[0]}-{report.years[-1]}, seed {report.seed}; plants: "
        f"{planted or 'none (clean)'}; {report.seconds:.1f} s, "
        f"{report.events_per_second:,.0f} events/s"
        f"{f' in {report.workers} processes' if report.workers > 1 else ''}. "
        "Next: caseledger export",
        highlight=False,
    )


def _run(req: generator.SynthRequest, *, show: bool) -> generator.SynthReport:
    with _bar(req, show) as advance:
        return generator.run(req, progress=advance)


@contextmanager
def _bar(req: generator.SynthRequest, show: bool) -> Iterator[Callable[[int], None] | None]:
    """A progress callback drawing a bar on stderr (None when not shown)."""
    if not show:
        yield None
        return
    columns: list[Any] = [
        TextColumn("[bold]synth[/]"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("defendants · {task.fields[rate]}/s"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    ]
    with Progress(*columns, console=clikit.err_console, transient=True) as bar:
        task = bar.add_task("synth", total=req.defendants * req.years, rate="–")

        def advance(n: int) -> None:
            bar.advance(task, n)
            speed = bar.tasks[0].speed
            bar.update(task, rate=f"{speed:,.0f}" if speed else "–")

        yield advance


app.command("synth")(synth)
