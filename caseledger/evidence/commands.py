"""``caseledger recordings ...``: store and register recordings, verify the store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from caseledger.case.commands import ActorOpt, AgencyOpt, AtOpt, CaseArg, DefOpt
from caseledger.clikit import JsonOpt, console, emit
from caseledger.config import get_settings
from caseledger.context import make_actor, open_database
from caseledger.errors import InvalidInput
from caseledger.evidence import service
from caseledger.evidence.recordings import RecordingStore

app = typer.Typer(
    help="Audio-video recordings: content-addressed storage, verification.", no_args_is_help=True
)


def _participants(values: list[str]) -> list[dict[str, str]]:
    out = []
    for value in values:
        role, sep, ident = value.partition(":")
        if not sep or not role or not ident:
            raise InvalidInput(
                "a participant is ROLE:ID, e.g. prosecutor:pros-0211",
                field="participant",
                value=value,
            )
        out.append({"role": role, "id": ident})
    return out


@app.command("add")
def add(
    case_number: CaseArg,
    defendant: DefOpt,
    file: Annotated[Path, typer.Argument(help="The recording file; it is streamed, never loaded.")],
    purpose: Annotated[str, typer.Option(help="interrogation or plea_consultation.")],
    media_type: Annotated[str, typer.Option(help="e.g. video/mp4.")],
    duration: Annotated[int, typer.Option(help="Duration in seconds.")],
    participant: Annotated[list[str], typer.Option(help="ROLE:ID of a participant (repeatable).")],
    actor: ActorOpt,
    role: Annotated[str, typer.Option("--role", envvar="CASELEDGER_ROLE", help="Role.")],
    agency: AgencyOpt,
    sha256: Annotated[
        str | None, typer.Option(help="Declared SHA-256; refused if it differs.")
    ] = None,
    at: AtOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Store a recording (streamed, hash-checked) and register it on a defendant's case."""
    who = make_actor(actor, role, agency)
    people = _participants(participant)
    settings = get_settings()
    db = open_database(settings)
    store = RecordingStore(settings.recordings_path)
    stored = store.ingest_file(file, expected_sha256=sha256)
    rec = db.run(
        lambda s: service.register_recording(
            s,
            actor=who,
            store=store,
            case_number=case_number,
            defendant_no=defendant,
            sha256=stored.sha256,
            media_type=media_type,
            duration_seconds=duration,
            purpose=purpose,
            participants=people,
            at=at,
        )
    )
    emit(
        {
            "case_number": case_number,
            "defendant_no": defendant,
            "sha256": rec.sha256,
            "size_bytes": rec.size_bytes,
            "purpose": rec.purpose,
            "already_stored": stored.already_present,
        },
        as_json,
        lambda r: console.print(
            f"stored {r['sha256']} ({r['size_bytes']:,} bytes) and "
            f"registered it on {r['case_number']} defendant "
            f"{r['defendant_no']}"
        ),
    )


@app.command("verify")
def verify(as_json: JsonOpt = False) -> None:
    """Re-hash every stored recording; report any missing or altered one (exit code 1)."""
    settings = get_settings()
    db = open_database(settings)
    store = RecordingStore(settings.recordings_path)
    with db.read() as session:
        report = service.verify_store(session, store)

    def render(r: service.StoreReport) -> None:
        if r.ok:
            console.print(
                f"[green]OK[/]: {r.files_checked} files re-hashed, all "
                f"{r.referenced} recordings in the ledger present and intact"
            )
            return
        for d in r.damage:
            console.print(f"[bold red]{d.problem.upper()}[/] {d.sha256}: {d.detail}")

    emit({"ok": report.ok, **report.__dict__}, as_json, lambda _: render(report))
    if not report.ok:
        raise typer.Exit(code=1)
