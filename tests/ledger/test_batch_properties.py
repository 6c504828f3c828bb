"""Property: a batch is the one-command path, only faster.

Random sequences of legal and illegal commands (every lifecycle act, charges, plea steps,
evidence, deadline extensions, closing, a registration refused half-way) run once one command
per transaction and once in one batch (with flushes and commits at random points). Both runs
must refuse the same commands, append the same events (types, payloads, sequence numbers,
valid chains) and leave the same projections; a rebuild must give the projections back.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import bindparam, select, text

from caseledger.case import lifecycle, service
from caseledger.db import Database
from caseledger.errors import CaseledgerError
from caseledger.evidence import items
from caseledger.ledger import projection
from caseledger.ledger import verify as verifier
from caseledger.ledger.unit import unit_of
from caseledger.plea import service as plea
from tests.case.test_properties import ACTIONS as LIFECYCLE
from tests.factories import COUNSEL, POLICE, PROSECUTOR

Act = Callable[..., Any]


def _on_defendant(fn: Act, actor: Any, **kwargs: Any) -> Act:
    def run(s, number: str, no: int, day: dt.date) -> Any:  # type: ignore[no-untyped-def]
        return fn(s, actor=actor, case_number=number, defendant_no=no, at=day, **kwargs)

    return run


def _close(s, number: str, no: int, day: dt.date) -> Any:  # type: ignore[no-untyped-def]
    return service.close_case(
        s, actor=POLICE, case_number=number, reason="no_crime", note="none", at=day
    )


def _half_registration(s, number: str, no: int, day: dt.date) -> Any:  # type: ignore[no-untyped-def]
    # Refused at its second defendant, after two events were appended.
    return service.register_case(
        s,
        actor=POLICE,
        reported_on=day,
        summary="refused",
        at=day,
        defendants=[
            service.NewDefendant(name="甲", charges=["theft"]),
            service.NewDefendant(name=" ", charges=["theft"]),
        ],
    )


def _bail_then_refused(s, number: str, no: int, day: dt.date) -> Any:  # type: ignore[no-untyped-def]
    # One command of the caller's making that changes a defendant, then is refused.
    lifecycle.impose_measure(
        s, actor=PROSECUTOR, case_number=number, defendant_no=no, measure="bail", at=day
    )
    return lifecycle.request_arrest(
        s, actor=PROSECUTOR, case_number=number, defendant_no=no, at=day
    )


COMMANDS: list[Act] = [_on_defendant(fn, actor, **kwargs) for _n, fn, actor, kwargs in LIFECYCLE]
COMMANDS += [
    _on_defendant(service.add_charge, POLICE, crime_code="fraud"),
    _on_defendant(plea.notify_rights, POLICE, items=["plea rules", "counsel"]),
    _on_defendant(
        plea.assign_counsel, POLICE, kind="duty_lawyer", lawyer_id="duty-1", office="aid"
    ),
    _on_defendant(plea.admit_guilt, POLICE),
    _on_defendant(plea.withdraw, PROSECUTOR, reason="changed mind"),
    _on_defendant(items.collect, POLICE, category="physical", description="a bag", method="search"),
    _on_defendant(items.challenge, COUNSEL, item_no=1, ground="obtained unlawfully"),
    _on_defendant(
        items.decide_exclusion,
        POLICE,
        item_no=1,
        excluded=True,
        stage="investigation",
        ground="unlawful search",
    ),
    _on_defendant(
        lifecycle.extend_deadline,
        PROSECUTOR,
        limit_id="prosecution_review",
        extension_id="major_complex",
        approver="chief prosecutor",
    ),
    _close,
    _half_registration,
    _bail_then_refused,
]
ACT = {name: _on_defendant(fn, actor, **kwargs) for name, fn, actor, kwargs in LIFECYCLE}
# The usual order of a defendant's acts: a step "walk" takes its defendant's next one (refused
# or not), so that plans get far into the lifecycle, between random commands.
WALK: list[Act] = [
    ACT["impose_detention"],
    COMMANDS[len(LIFECYCLE) + 1],  # rights
    COMMANDS[len(LIFECYCLE) + 2],  # counsel
    COMMANDS[len(LIFECYCLE) + 3],  # admission
    COMMANDS[len(LIFECYCLE) + 5],  # evidence item 1
    ACT["request_arrest"],
    ACT["decide_arrest"],
    ACT["transfer_for_prosecution"],
    ACT["assess_evidence"],
    COMMANDS[len(LIFECYCLE) + 8],  # deadline extension
    _on_defendant(lifecycle.decide_prosecution, PROSECUTOR, prosecute=True, evidence=[1]),
    ACT["assign_procedure"],
    ACT["render_judgment"],
    ACT["file_appeal"],
    ACT["decide_appeal"],
    ACT["start_execution"],
]
FLUSH, COMMIT, STEP = len(COMMANDS), len(COMMANDS) + 1, len(COMMANDS) + 2

steps = st.lists(
    st.tuples(
        st.integers(0, 4 * len(COMMANDS)), st.integers(0, 1), st.integers(1, 2), st.integers(0, 9)
    ),
    min_size=10,
    max_size=60,
)


def _command(index: int, k: int, no: int, walked: dict[tuple[int, int], int]) -> Act | None:
    if index < FLUSH:
        return COMMANDS[index]
    if index < STEP:
        return None
    done = walked.get((k, no), 0)
    walked[(k, no)] = done + 1
    return WALK[done] if done < len(WALK) else None


def _register(s, day: dt.date) -> str:  # type: ignore[no-untyped-def]
    people = [service.NewDefendant(name=f"嫌疑人{i}", age_at_offence=30) for i in range(2)]
    people[0].charges.append("theft")
    return service.register_case(
        s, actor=POLICE, reported_on=day, summary="theft", at=day, defendants=people
    ).case_number


def _outcome(result: Any) -> str:
    return type(result).__name__ if isinstance(result, CaseledgerError) else "ok"


def one_by_one(db: Database, plan: list[tuple[int, int, int, int]], start: dt.date):
    numbers = [db.run(lambda s: _register(s, start)) for _ in range(2)]
    outcomes, day, walked = [], start, {}
    for index, k, no, gap in plan:
        day += dt.timedelta(days=gap)
        command = _command(index, k, no, walked)
        if command is None:
            continue
        try:
            result = db.run(lambda s, c=command, k=k, no=no, day=day: c(s, numbers[k], no, day))
        except CaseledgerError as error:
            result = error
        outcomes.append(_outcome(result))
    return numbers, outcomes


def batched(db: Database, plan: list[tuple[int, int, int, int]], start: dt.date):
    outcomes, day, walked = [], start, {}
    with db.batch() as b:
        numbers = [b.run(_register, start) for _ in range(2)]
        for index, k, no, gap in plan:
            day += dt.timedelta(days=gap)
            command = _command(index, k, no, walked)
            if index == FLUSH:  # write what is pending; half the time also forget all rows
                unit = unit_of(b.session)
                unit.evict() if gap % 2 else unit.flush()
            elif index == COMMIT:
                b.commit()
                service.read_ahead(b.session, numbers)
            elif command is not None:
                outcomes.append(_outcome(b.run(command, numbers[k], no, day)))
    return numbers, outcomes


def history(db: Database, numbers: list[str]) -> dict[str, Any]:
    """The cases' events and projection rows, with generated ids, numbers and personal
    references replaced by their place in the run (so two runs can be compared)."""
    names: dict[Any, str] = {}
    with db.read() as s:
        for k, number in enumerate(numbers):
            case_id, serial = s.execute(
                text("SELECT case_id, serial FROM cases WHERE case_number = :n"), {"n": number}
            ).one()
            names.update({case_id: f"C{k}", number: f"N{k}", serial: f"S{k}"})
            for d, no, ref in s.execute(
                text(
                    "SELECT defendant_id, defendant_no, person_ref FROM defendants "
                    "WHERE case_id = :c"
                ),
                {"c": case_id},
            ):
                names.update({d: f"D{k}.{no}", ref: f"P{k}.{no}"})
        case_ids = [c for c in names if isinstance(c, str) and names[c].startswith("C")]

        def norm(value: Any, key: str = "") -> Any:
            if isinstance(value, dict):
                return {k: norm(v, k) for k, v in value.items()}
            if isinstance(value, list):
                return [norm(v) for v in value]
            if key == "serial" or isinstance(value, str):
                return names.get(value, value)
            return value

        events = [
            (
                norm(r.case_id),
                r.seq,
                r.event_type,
                norm(json.loads(r.payload)),
                r.occurred_at,
                r.actor_id,
                r.legal_basis,
                norm(r.defendant_id),
            )
            for r in s.execute(
                text("SELECT * FROM events WHERE case_id IN :ids").bindparams(
                    bindparam("ids", expanding=True)
                ),
                {"ids": case_ids},
            )
        ]
        rows: dict[str, list[Any]] = {}
        for table in projection.projection_tables():
            cols = [c for c in table.columns if c.name != "id"]
            found = s.execute(select(*cols).where(table.c.case_id.in_(case_ids))).all()
            rows[table.name] = sorted(
                str([norm(v, c.name) for v, c in zip(r, cols, strict=True)]) for r in found
            )
    return {"events": sorted(events, key=lambda e: (e[0], e[1])), "rows": rows}


def everything(db: Database) -> dict[str, list[str]]:
    with db.read() as s:
        return {
            t.name: sorted(
                str(tuple(r)) for r in s.execute(select(*[c for c in t.columns if c.name != "id"]))
            )
            for t in projection.projection_tables()
        }


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=steps)
def test_a_batch_writes_what_one_command_at_a_time_writes(db, home, plan):
    # Each example uses new cases of the same store, so examples do not see each other.
    start = dt.date(2025, 6, 1)
    numbers_1, outcomes_1 = one_by_one(db, plan, start)
    numbers_b, outcomes_b = batched(db, plan, start)
    assert outcomes_b == outcomes_1
    event(f"{sum(o == 'ok' for o in outcomes_1) // 5 * 5}+ commands accepted")
    assert history(db, numbers_b) == history(db, numbers_1)
    with db.read() as s:
        report = verifier.verify(s, key_path=home / "k.pem", checkpoint_dir=home / "c")
    assert report.ok, report.first
    before = everything(db)
    db.run(projection.rebuild, retries=0)
    assert everything(db) == before, "rebuild differs from the incremental projections"
