"""``caseledger verify``, ``checkpoint`` and ``rebuild``: thin CLI over the ledger services."""

from __future__ import annotations

import typer

from caseledger.clikit import JsonOpt, console, emit
from caseledger.config import get_settings
from caseledger.context import open_database
from caseledger.ledger import checkpoint, projection
from caseledger.ledger import verify as verifier


def verify(as_json: JsonOpt = False) -> None:
    """Recompute every case chain and check it against the latest signed checkpoint."""
    settings = get_settings()
    db = open_database(settings)
    with db.read() as session:
        report = verifier.verify(
            session, key_path=settings.checkpoint_key_path, checkpoint_dir=settings.checkpoint_dir
        )

    def render(r: verifier.VerifyReport) -> None:
        against = f"checkpoint #{r.checkpoint}" if r.checkpoint else "no checkpoint yet"
        if r.ok:
            console.print(
                f"[green]OK[/]: {r.events} events in {r.cases} case chains verified; "
                f"heads match {against}"
            )
            return
        first = r.first
        assert first is not None
        where = first.case_number or first.case_id or f"checkpoint #{first.checkpoint}"
        seq = f" at seq {first.seq}" if first.seq is not None else ""
        console.print(f"[bold red]BROKEN[/]: {where}{seq}: {first.reason}")
        for p in r.problems[1:20]:
            where = p.case_number or p.case_id or f"checkpoint #{p.checkpoint}"
            console.print(f"  also: {where}" + (f" seq {p.seq}" if p.seq else "") + f": {p.reason}")
        if len(r.problems) > 20:
            console.print(f"  ... and {len(r.problems) - 20} more")
        console.print(f"{r.events} events in {r.cases} chains read; compared with {against}")

    emit({"ok": report.ok, **report.__dict__}, as_json, lambda _: render(report))
    if not report.ok:
        raise typer.Exit(code=1)


def make_checkpoint(as_json: JsonOpt = False) -> None:
    """Sign the heads of all case chains (Ed25519) and store and export the checkpoint."""
    settings = get_settings()
    db = open_database(settings)
    with db.read() as session:
        report = verifier.verify(
            session, key_path=settings.checkpoint_key_path, checkpoint_dir=settings.checkpoint_dir
        )
    if not report.ok:
        first = report.first
        assert first is not None
        console.print(
            f"[bold red]refusing to sign a broken ledger[/]: "
            f"{first.case_number or first.case_id} seq {first.seq}: {first.reason}"
        )
        raise typer.Exit(code=1)
    result = db.run(
        lambda s: checkpoint.create(
            s, key_path=settings.checkpoint_key_path, out_dir=settings.checkpoint_dir
        ),
        retries=0,
    )
    emit(
        result,
        as_json,
        lambda r: console.print(
            f"checkpoint #{r.id}: {r.case_count} chains, {r.event_count} events, "
            f"digest {r.heads_digest[:16]}…, written to {r.file}"
        ),
    )


def rebuild(as_json: JsonOpt = False) -> None:
    """Rebuild every projection (current-state table) from the events."""
    db = open_database()
    count = db.run(projection.rebuild, retries=0)
    emit(
        {"events_replayed": count},
        as_json,
        lambda r: console.print(f"rebuilt projections from {r['events_replayed']} events"),
    )
