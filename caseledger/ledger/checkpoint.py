"""Signed checkpoints over the heads of all case chains.

A checkpoint is a statement -- its number, time, event and case counts, the SHA-256 digest of
the sorted list of ``case_id seq hash`` heads, the hash of the previous statement and the key id
-- signed with Ed25519. It is stored in the ``checkpoints`` table *and* written as a file under
``CASELEDGER_HOME/checkpoints/`` that can be copied where a database administrator cannot
rewrite it. A chain rewritten with recomputed hashes no longer reaches the signed head; a
checkpoint removed from the database is still in the files; a forged one fails its signature.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from caseledger.ledger import keys
from caseledger.ledger.envelope import GENESIS_HASH, format_time
from caseledger.ledger.models import Checkpoint, Event

STATEMENT_VERSION = 1


@dataclass(frozen=True)
class CheckpointResult:
    id: int
    created_at: str
    event_count: int
    case_count: int
    heads_digest: str
    key_id: str
    file: str


def current_heads(session: Session) -> list[tuple[str, int, str]]:
    """``(case_id, seq, hash)`` of the last event of every case chain, sorted by case id."""
    last = (
        select(Event.case_id, func.max(Event.seq).label("seq")).group_by(Event.case_id).subquery()
    )
    rows = session.execute(
        select(Event.case_id, Event.seq, Event.hash)
        .join(last, (Event.case_id == last.c.case_id) & (Event.seq == last.c.seq))
        .order_by(Event.case_id)
    ).all()
    return [(r[0], r[1], r[2]) for r in rows]


def heads_text(heads: list[tuple[str, int, str]]) -> str:
    return "".join(f"{case_id} {seq} {digest}\n" for case_id, seq, digest in heads)


def digest_heads(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def statement_hash(statement: str) -> str:
    return hashlib.sha256(statement.encode("utf-8")).hexdigest()


def latest(session: Session) -> Checkpoint | None:
    return session.execute(
        select(Checkpoint).order_by(Checkpoint.id.desc()).limit(1)
    ).scalar_one_or_none()


def create(
    session: Session, *, key_path: Path, out_dir: Path, now: dt.datetime | None = None
) -> CheckpointResult:
    """Sign the current heads, store the checkpoint and export it as a file."""
    private = keys.load_or_create_private(key_path)
    kid = keys.key_id(private.public_key())
    heads = current_heads(session)
    text = heads_text(heads)
    previous = latest(session)
    number = previous.id + 1 if previous else 1
    created = format_time(now or dt.datetime.now(dt.UTC))
    event_count = sum(seq for _, seq, _ in heads)
    statement = json.dumps(
        {
            "version": STATEMENT_VERSION,
            "id": number,
            "created_at": created,
            "event_count": event_count,
            "case_count": len(heads),
            "heads_digest": digest_heads(text),
            "prev_checkpoint_hash": statement_hash(previous.statement)
            if previous
            else GENESIS_HASH,
            "key_id": kid,
        },
        sort_keys=True,
        separators=(",", ":"),
    )
    signature = private.sign(statement.encode("utf-8")).hex()
    row = Checkpoint(
        id=number,
        created_at=created,
        event_count=event_count,
        case_count=len(heads),
        heads_digest=digest_heads(text),
        prev_checkpoint_hash=statement_hash(previous.statement) if previous else GENESIS_HASH,
        key_id=kid,
        statement=statement,
        signature=signature,
        heads=text,
    )
    session.add(row)
    session.flush()
    path = export_file(row, out_dir)
    return CheckpointResult(
        id=number,
        created_at=created,
        event_count=event_count,
        case_count=len(heads),
        heads_digest=row.heads_digest,
        key_id=kid,
        file=str(path),
    )


def file_name(number: int) -> str:
    return f"checkpoint-{number:08d}.json"


def export_file(row: Checkpoint, out_dir: Path) -> Path:
    """Write the checkpoint (statement, signature, heads) atomically as a JSON file."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / file_name(row.id)
    tmp = path.with_name(path.name + ".tmp")
    body = json.dumps(
        {"statement": row.statement, "signature": row.signature, "heads": row.heads},
        ensure_ascii=False,
    )
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(body)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    return path


def read_files(out_dir: Path) -> dict[int, dict[str, str]]:
    """Exported checkpoints by number (unreadable files are reported by the verifier)."""
    found: dict[int, dict[str, str]] = {}
    if not out_dir.is_dir():
        return found
    for path in sorted(out_dir.glob("checkpoint-*.json")):
        try:
            number = int(path.stem.split("-")[1])
            found[number] = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, IndexError, json.JSONDecodeError):
            found[-len(found) - 1] = {"unreadable": str(path)}
    return found
