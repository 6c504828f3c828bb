"""The ``caseledger`` command: assembles each domain's Typer commands, nothing more."""

from __future__ import annotations

import typer

from caseledger import clikit
from caseledger.sentencing import commands as sentencing_commands

app = typer.Typer(
    name="caseledger",
    help="Criminal cases as an attributed, tamper-evident ledger.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(sentencing_commands.app, name="sentence")


def main() -> None:
    clikit.run(app)
