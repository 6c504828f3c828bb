"""The ``caseledger`` command: assembles each domain's Typer commands, nothing more."""

from __future__ import annotations

from typing import Annotated

import typer

from caseledger import clikit
from caseledger.analytics import commands as analytics_commands
from caseledger.analytics.audit import commands as audit_commands
from caseledger.case import commands as case_commands
from caseledger.case import read_commands, retrial_commands
from caseledger.clikit import JsonOpt, console, emit
from caseledger.evidence import commands as evidence_commands
from caseledger.ledger import commands as ledger_commands
from caseledger.plea import commands as plea_commands
from caseledger.quality import commands as quality_commands
from caseledger.sentencing import commands as sentencing_commands
from caseledger.synth import commands as synth_commands
from caseledger.warehouse import commands as warehouse_commands
from caseledger.warehouse import import_commands

app = typer.Typer(
    name="caseledger",
    help="Criminal cases as an attributed, tamper-evident ledger.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(case_commands.app, name="case")
app.add_typer(sentencing_commands.app, name="sentence")
app.add_typer(evidence_commands.app, name="recordings")
app.add_typer(evidence_commands.evidence_app, name="evidence")
app.add_typer(plea_commands.app, name="plea")
app.add_typer(quality_commands.app, name="quality")
case_commands.app.command("retrial")(retrial_commands.retrial_cmd)
case_commands.app.command("withdraw")(retrial_commands.withdraw_cmd)
app.command("overdue")(read_commands.overdue)
app.command("crimes")(read_commands.crimes)
app.command("verify")(ledger_commands.verify)
app.command("checkpoint")(ledger_commands.make_checkpoint)
app.command("rebuild")(ledger_commands.rebuild)
app.command("export")(warehouse_commands.export)
app.command("synth")(synth_commands.synth)
app.command("import")(import_commands.import_)
app.command("audit")(audit_commands.audit)
app.command("report")(analytics_commands.report)


@app.command("init")
def init(as_json: JsonOpt = False) -> None:
    """Create or upgrade the database schema (idempotent) and the data directory."""
    from caseledger import migrate
    from caseledger.config import get_settings
    from caseledger.context import open_database
    from caseledger.ledger import keys

    settings = get_settings()
    db = open_database(settings, check_schema=False)
    try:
        before, after = migrate.upgrade(db.engine)
    except Exception as exc:
        from caseledger.errors import ConfigurationError

        raise ConfigurationError(
            "cannot initialise the database", reason=str(getattr(exc, "orig", exc)).splitlines()[0]
        ) from None
    settings.home.mkdir(parents=True, exist_ok=True)
    keys.load_or_create_private(settings.checkpoint_key_path)
    result = {
        "database": db.engine.url.render_as_string(hide_password=True),
        "revision_before": before,
        "revision": after,
        "home": str(settings.home),
    }
    emit(
        result,
        as_json,
        lambda r: console.print(
            f"database {r['database']} at revision {r['revision']}"
            + (" (already up to date)" if r["revision_before"] == r["revision"] else "")
            + f"; data directory {r['home']}"
        ),
    )


@app.command("config")
def config(as_json: JsonOpt = False) -> None:
    """Show the effective settings and whether each comes from the environment."""
    import os

    from caseledger.config import Settings, get_settings

    settings = get_settings()
    rows = []
    for name, field in Settings.model_fields.items():
        env = f"CASELEDGER_{name.upper()}"
        value = getattr(settings, name)
        rows.append(
            {
                "setting": env,
                "value": str(value) if value is not None else None,
                "source": "environment" if env in os.environ else "default",
                "description": field.description,
            }
        )
    rows.append(
        {
            "setting": "(checkpoint key)",
            "value": str(settings.checkpoint_key_path),
            "source": "derived",
            "description": "effective checkpoint signing key path",
        }
    )

    def render(items: list[dict[str, str]]) -> None:
        from rich.table import Table

        table = Table()
        for col in ("setting", "value", "source", "description"):
            table.add_column(col, overflow="fold")
        for r in items:
            table.add_row(r["setting"], r["value"] or "", r["source"], r["description"] or "")
        console.print(table)

    emit(rows, as_json, render)


@app.command("demo")
def demo(
    synthetic: Annotated[
        int,
        typer.Option(
            "--synthetic", help="Generated defendants recorded and exported too (0: none)."
        ),
    ] = 3000,
    as_json: JsonOpt = False,
) -> None:
    """Build a fresh demo database through the real commands, then summarise it."""
    from caseledger.demo import build as demo_data

    result = demo_data.run_demo(synthetic=synthetic)
    emit(result, as_json, demo_data.render)


def main() -> None:
    clikit.run(app)
