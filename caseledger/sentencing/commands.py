"""``caseledger sentence``: sentencing recommendations from the guideline packs."""

import typer

app = typer.Typer(help="Sentencing recommendations from the published guidelines, explained.")
