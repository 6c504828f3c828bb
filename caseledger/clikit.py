"""What every domain's CLI module shares: the ``--json`` option, output and the error handler.

Domain ``commands.py`` modules stay thin: parse options, call one service function, and hand
the result to :func:`emit`. Errors are never printed here as stack traces: :func:`run` turns a
:class:`~caseledger.errors.CaseledgerError` into one line on stderr and exit code 2.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.markup import escape

from caseledger.errors import CaseledgerError

JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]

console = Console()
err_console = Console(stderr=True)


def to_jsonable(value: Any) -> Any:
    """Convert results (pydantic models, dataclasses, dates, enums, paths) to JSON values."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: to_jsonable(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    return value


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(to_jsonable(value), ensure_ascii=False, indent=2) + "\n")


def emit(value: Any, as_json: bool, render: Callable[[Any], None]) -> None:
    """Print ``value`` as JSON or through ``render`` (rich, for people)."""
    if as_json:
        print_json(value)
    else:
        render(value)


def fail(error: CaseledgerError, as_json: bool = False) -> None:
    """Report an expected error on one line and exit with code 2."""
    if as_json:
        sys.stdout.write(json.dumps(error.to_dict(), ensure_ascii=False) + "\n")
    err_console.print(
        f"[bold red]error:[/] {escape(error.one_line())}", highlight=False, soft_wrap=True
    )
    raise typer.Exit(code=2)


def run(app: typer.Typer) -> None:
    """Run a Typer app; domain errors become one line and exit code 2, never a stack trace.

    Usage errors are Typer's own (exit code 2). An unexpected error is a bug: it is reported on
    one line with exit code 70, and its trace is printed only when ``CASELEDGER_DEBUG`` is set.
    """
    import os

    as_json = "--json" in sys.argv[1:]
    try:
        app()
    except CaseledgerError as error:
        try:
            fail(error, as_json)
        except typer.Exit as exit_:
            sys.exit(exit_.exit_code)
    except Exception as exc:
        if os.environ.get("CASELEDGER_DEBUG"):
            raise
        first_line = (type(exc).__name__ + ": " + str(exc)).splitlines()[0]
        err_console.print(
            f"[bold red]internal error:[/] {escape(first_line)} "
            "(set CASELEDGER_DEBUG=1 to see the trace)",
            highlight=False,
        )
        sys.exit(70)
