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


evidence_app = typer.Typer(
    help="The evidence registry: collection, legality challenges, exclusion.", no_args_is_help=True
)


def _item_result(case_number: str, item: object) -> dict[str, object]:
    return {
        k: getattr(item, k)
        for k in ("item_no", "category", "status", "recording_sha256", "exclusion_stage", "flags")
    } | {"case_number": case_number}


def _render_item(r: dict[str, object]) -> None:
    console.print(
        f"{r['case_number']} evidence item {r['item_no']} ({r['category']}): "
        f"{r['status']}" + (f" [flags: {r['flags']}]" if r["flags"] else "")
    )


@evidence_app.command("collect")
def collect(
    case_number: CaseArg,
    defendant: DefOpt,
    category: Annotated[
        str,
        typer.Option(
            help="physical, documentary, witness_testimony, "
            "victim_statement, defendant_statement, "
            "expert_opinion, inspection_record, audio_visual, "
            "electronic_data."
        ),
    ],
    description: Annotated[str, typer.Option(help="What the item is.")],
    method: Annotated[str, typer.Option(help="How it was collected.")],
    actor: ActorOpt,
    role: Annotated[str, typer.Option("--role", envvar="CASELEDGER_ROLE", help="Role.")],
    agency: AgencyOpt,
    recording: Annotated[
        str | None, typer.Option(help="SHA-256 of the registered recording (interrogations).")
    ] = None,
    major_case: Annotated[
        bool,
        typer.Option(help="Life or death possible, or another major crime (MPS-Rules art 208)."),
    ] = False,
    imported: Annotated[bool, typer.Option(help="Taken over from another system.")] = False,
    at: AtOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Register an item of evidence (interrogations in major cases need their recording)."""
    from caseledger.evidence import items

    who = make_actor(actor, role, agency)
    db = open_database()

    def work(session):  # type: ignore[no-untyped-def]
        item = items.collect(
            session,
            actor=who,
            case_number=case_number,
            defendant_no=defendant,
            category=category,
            description=description,
            method=method,
            recording_sha256=recording,
            major_case=major_case,
            imported=imported,
            at=at,
        )
        return _item_result(case_number, item)

    emit(db.run(work), as_json, _render_item)


@evidence_app.command("challenge")
def challenge(
    case_number: CaseArg,
    defendant: DefOpt,
    item: Annotated[int, typer.Option(help="Evidence item number.")],
    ground: Annotated[str, typer.Option(help="Why its legality is challenged.")],
    actor: ActorOpt,
    role: Annotated[str, typer.Option("--role", envvar="CASELEDGER_ROLE", help="Role.")],
    agency: AgencyOpt,
    at: AtOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record a challenge to an item's legality."""
    from caseledger.evidence import items

    who = make_actor(actor, role, agency)
    db = open_database()
    emit(
        db.run(
            lambda s: _item_result(
                case_number,
                items.challenge(
                    s,
                    actor=who,
                    case_number=case_number,
                    defendant_no=defendant,
                    item_no=item,
                    ground=ground,
                    at=at,
                ),
            )
        ),
        as_json,
        _render_item,
    )


@evidence_app.command("exclusion")
def exclusion(
    case_number: CaseArg,
    defendant: DefOpt,
    item: Annotated[int, typer.Option(help="Evidence item number.")],
    exclude: Annotated[bool, typer.Option("--exclude/--admit", help="Exclude or keep it.")],
    stage: Annotated[
        str, typer.Option(help="investigation, prosecution_review, pretrial_conference or trial.")
    ],
    ground: Annotated[str, typer.Option(help="The reasons for the decision.")],
    actor: ActorOpt,
    role: Annotated[str, typer.Option("--role", envvar="CASELEDGER_ROLE", help="Role.")],
    agency: AgencyOpt,
    at: AtOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Decide whether an item is excluded as illegally obtained (CPL art 56-60)."""
    from caseledger.evidence import items

    who = make_actor(actor, role, agency)
    db = open_database()
    emit(
        db.run(
            lambda s: _item_result(
                case_number,
                items.decide_exclusion(
                    s,
                    actor=who,
                    case_number=case_number,
                    defendant_no=defendant,
                    item_no=item,
                    excluded=exclude,
                    stage=stage,
                    ground=ground,
                    at=at,
                ),
            )
        ),
        as_json,
        _render_item,
    )
