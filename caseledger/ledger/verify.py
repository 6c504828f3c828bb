"""Verification: recompute every case chain and check it against the signed checkpoints.

What it catches (``shared/reliability.md``): an edited, deleted, inserted or reordered event
(the chain breaks at that sequence number); a chain rewritten with recomputed hashes (its head
no longer matches the signed checkpoint); a checkpoint rolled back, edited or forged (signature,
checkpoint chain and the exported files). What no one can catch: events removed after the last
checkpoint, so checkpoint often.

It only reads. It never repairs anything and never trusts a key stored in the database.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from caseledger.ledger import checkpoint as ckpt
from caseledger.ledger import keys
from caseledger.ledger.envelope import GENESIS_HASH, compute_hash
from caseledger.ledger.models import Checkpoint


@dataclass
class Problem:
    """One thing found wrong. ``seq`` is the first broken sequence number when known."""

    kind: str
    reason: str
    case_id: str | None = None
    case_number: str | None = None
    seq: int | None = None
    checkpoint: int | None = None


@dataclass
class VerifyReport:
    events: int = 0
    cases: int = 0
    checkpoint: int | None = None
    checkpoint_cases: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first(self) -> Problem | None:
        return self.problems[0] if self.problems else None


_EVENTS_SQL = text(
    "SELECT event_id, case_id, seq, event_type, occurred_at, recorded_at, actor_id, actor_role,"
    " agency_code, legal_basis, defendant_id, payload, prev_hash, hash"
    " FROM events ORDER BY case_id, seq"
)


def _case_number(event_type: str, payload: str) -> str | None:
    if event_type != "case.registered":
        return None
    try:
        return json.loads(payload).get("case_number")
    except (ValueError, AttributeError):
        return None


def verify(session: Session, *, key_path: Path, checkpoint_dir: Path) -> VerifyReport:
    report = VerifyReport()
    checkpoints = _check_checkpoints(session, report, key_path, checkpoint_dir)
    trusted = checkpoints[-1] if checkpoints else None
    signed_heads: dict[str, tuple[int, str]] = {}
    if trusted is not None:
        report.checkpoint = trusted.id
        for line in trusted.heads.splitlines():
            case_id, seq, digest = line.split(" ")
            signed_heads[case_id] = (int(seq), digest)
        report.checkpoint_cases = len(signed_heads)

    seen_signed: set[str] = set()
    broken: set[str] = set()
    current: str | None = None
    expect_seq = 1
    prev = GENESIS_HASH
    number: str | None = None
    head_seq = -1
    head_hash = ""

    def close_case() -> None:
        if current is None or current in broken:
            return
        signed = signed_heads.get(current)
        if signed is not None and expect_seq - 1 < signed[0]:
            _problem_truncated(report, current, number, expect_seq, signed[0], trusted)

    result = session.connection().execution_options(stream_results=True).execute(_EVENTS_SQL)
    for row in result:
        report.events += 1
        case_id = row[1]
        if case_id != current:
            close_case()
            current = case_id
            report.cases += 1
            expect_seq, prev, number = 1, GENESIS_HASH, None
            signed = signed_heads.get(case_id)
            head_seq, head_hash = signed if signed else (-1, "")
            if signed:
                seen_signed.add(case_id)
        if case_id in broken:
            continue
        seq = row[2]
        if number is None:
            number = _case_number(row[3], row[11])
        if seq != expect_seq:
            reason = (
                f"sequence number {seq} where {expect_seq} was expected "
                "(an event was deleted or inserted)"
            )
            _break(report, broken, case_id, number, min(seq, expect_seq), reason)
            continue
        if row[12] != prev:
            _break(
                report, broken, case_id, number, seq, "prev_hash does not link to the event before"
            )
            continue
        recomputed = compute_hash(*row[:13])
        if recomputed != row[13]:
            _break(
                report,
                broken,
                case_id,
                number,
                seq,
                "stored hash does not match the event's content",
            )
            continue
        if seq == head_seq and recomputed != head_hash:
            _problem_rewritten(session, report, broken, case_id, number, seq, trusted)
            continue
        prev = recomputed
        expect_seq += 1
    close_case()

    for case_id in sorted(set(signed_heads) - seen_signed):
        report.problems.append(
            Problem(
                kind="case_deleted",
                case_id=case_id,
                seq=1,
                checkpoint=trusted.id if trusted else None,
                reason="a case chain signed in the checkpoint has no events any more",
            )
        )
    return report


def _break(
    report: VerifyReport, broken: set[str], case_id: str, number: str | None, seq: int, reason: str
) -> None:
    broken.add(case_id)
    report.problems.append(
        Problem(kind="chain_broken", case_id=case_id, case_number=number, seq=seq, reason=reason)
    )


def _problem_truncated(
    report: VerifyReport,
    case_id: str,
    number: str | None,
    next_seq: int,
    signed_seq: int,
    trusted: Checkpoint | None,
) -> None:
    report.problems.append(
        Problem(
            kind="chain_truncated",
            case_id=case_id,
            case_number=number,
            seq=next_seq,
            checkpoint=trusted.id if trusted else None,
            reason=f"the chain ends before seq {signed_seq}, which the checkpoint signed",
        )
    )


def _problem_rewritten(
    session: Session,
    report: VerifyReport,
    broken: set[str],
    case_id: str,
    number: str | None,
    seq: int,
    trusted: Checkpoint | None,
) -> None:
    """The chain is internally consistent but its head differs from the signed one."""
    broken.add(case_id)
    low = _last_matching_signed_seq(session, case_id, seq)
    where = f"between seq {low + 1} and {seq}" if low else f"at or before seq {seq}"
    report.problems.append(
        Problem(
            kind="chain_rewritten",
            case_id=case_id,
            case_number=number,
            seq=low + 1 if low else 1,
            checkpoint=trusted.id if trusted else None,
            reason=f"the chain was rewritten {where}: its hashes were recomputed but no longer "
            "reach the head signed in the checkpoint",
        )
    )


def _last_matching_signed_seq(session: Session, case_id: str, upto: int) -> int:
    """Narrow a rewrite down with older checkpoints: the last seq whose signed hash still holds."""
    stored = dict(
        session.execute(
            text("SELECT seq, hash FROM events WHERE case_id = :c AND seq <= :s"),
            {"c": case_id, "s": upto},
        ).all()
    )
    best = 0
    for row in session.execute(select(Checkpoint.heads).order_by(Checkpoint.id)).scalars():
        for line in row.splitlines():
            if line.startswith(case_id + " "):
                _, seq, digest = line.split(" ")
                if int(seq) < upto and stored.get(int(seq)) == digest:
                    best = max(best, int(seq))
    return best


def _check_checkpoints(
    session: Session, report: VerifyReport, key_path: Path, checkpoint_dir: Path
) -> list[Checkpoint]:
    """Check signatures, the checkpoint chain and the exported files; return the valid ones."""
    rows = list(session.execute(select(Checkpoint).order_by(Checkpoint.id)).scalars())
    files = ckpt.read_files(checkpoint_dir)
    public = keys.load_public(key_path)
    if rows and public is None:
        report.problems.append(
            Problem(
                kind="checkpoint_key_missing",
                reason=f"checkpoints exist but the public key {keys.public_key_path(key_path)} "
                "is missing, so none can be trusted",
            )
        )
        return []
    valid: list[Checkpoint] = []
    prev_hash = GENESIS_HASH
    for expected, row in enumerate(rows, start=1):
        problem = _check_one(row, expected, prev_hash, public)  # type: ignore[arg-type]
        if problem:
            report.problems.append(
                Problem(kind="checkpoint_invalid", checkpoint=row.id, reason=problem)
            )
            break
        exported = files.get(row.id)
        if exported is not None and (
            exported.get("statement") != row.statement or exported.get("signature") != row.signature
        ):
            report.problems.append(
                Problem(
                    kind="checkpoint_mismatch",
                    checkpoint=row.id,
                    reason="the stored checkpoint differs from its exported file",
                )
            )
            break
        valid.append(row)
        prev_hash = ckpt.statement_hash(row.statement)
    newest_db = rows[-1].id if rows else 0
    for number, exported in sorted(files.items()):
        if number < 0:
            report.problems.append(
                Problem(
                    kind="checkpoint_file_unreadable",
                    reason=f"cannot read {exported['unreadable']}",
                )
            )
        elif number > newest_db:
            report.problems.append(
                Problem(
                    kind="checkpoint_rolled_back",
                    checkpoint=number,
                    reason="an exported checkpoint is missing from the database "
                    "(checkpoints were rolled back)",
                )
            )
    return valid


def _check_one(
    row: Checkpoint, expected_id: int, prev_hash: str, public: Ed25519PublicKey
) -> str | None:
    try:
        statement = json.loads(row.statement)
    except ValueError:
        return "the statement is not valid JSON"
    if row.id != expected_id or statement.get("id") != row.id:
        return f"checkpoint numbers are not consecutive at #{row.id}"
    try:
        public.verify(bytes.fromhex(row.signature), row.statement.encode("utf-8"))
    except (InvalidSignature, ValueError):
        return "the signature does not verify with the trusted public key"
    if statement.get("prev_checkpoint_hash") != prev_hash:
        return "the checkpoint does not link to the one before it"
    if statement.get("heads_digest") != ckpt.digest_heads(row.heads):
        return "the stored heads do not match the signed digest"
    if statement.get("case_count") != len(row.heads.splitlines()):
        return "the number of heads differs from the signed case count"
    return None
