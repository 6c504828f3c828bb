"""Case commands: registration, defendants, charges, closing; and the lookups commands share.

Registration is never refused: any reported case gets a number, whatever its content, so that
no crime goes unrecorded because nobody is yet sure of an arrest (seed 000). What can be wrong
is the form of the input (a malformed or future date, an unknown crime code), and that is
reported without writing anything. A case is closed only later, with a recorded reason.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from caseledger.auth.roles import Role
from caseledger.case import catalogue, clock
from caseledger.case import events as ev
from caseledger.case.enums import PRE_TRIAL_STAGES, TERMINAL_STAGES, CloseReason, Stage
from caseledger.case.models import Case, Charge, Defendant, PersonalData
from caseledger.case.transitions import check
from caseledger.errors import InvalidInput, NotFound, PermissionDenied, PreconditionFailed
from caseledger.ledger import store
from caseledger.ledger.envelope import Actor, StoredEvent
from caseledger.ledger.unit import unit_of

REGISTER_BASIS = "CPL art 109-112 (case filing: every report is accepted and registered)"
CASE_SOURCES = ("report", "complaint", "surrender", "discovered", "transferred")


_LAST_SERIAL = select(func.max(Case.serial)).where(
    Case.agency_code == bindparam("agency"), Case.year == bindparam("year")
)

_LAST_SERIALS = (
    select(Case.agency_code, Case.year, func.max(Case.serial))
    .where(
        Case.agency_code.in_(bindparam("agencies", expanding=True)),
        Case.year.in_(bindparam("years", expanding=True)),
    )
    .group_by(Case.agency_code, Case.year)
)


@dataclass
class NewDefendant:
    """A suspect named at registration or later; personal details stay outside the chain."""

    name: str
    birth_date: dt.date | None = None
    id_number: str | None = None
    age_at_offence: int | None = None
    charges: list[str] = field(default_factory=list)
    defendant_id: str | None = None  # chosen by an import (e.g. synthetic data); else random


def get_case_defendant(
    session: Session, case_number: str, defendant_no: int
) -> tuple[Case, Defendant]:
    """The case and one of its defendants (the start of every act)."""
    case = get_case(session, case_number)
    return case, get_defendant(session, case, defendant_no)


def read_ahead(session: Session, case_numbers: list[str]) -> None:
    """Read the state of these cases in one go (two round trips on PostgreSQL), for a batch
    about to act on many of them; commands then find them in memory. Only a speed-up: a
    command reads a case it needs anyway, and nothing is checked here."""
    unit_of(session).prefetch(Case, "case_number", case_numbers)


def read_ahead_registrations(
    session: Session, *, case_ids: list[str], serials: Iterable[tuple[str, int]]
) -> None:
    """Read ahead for a batch about to register many cases under ids it chose (an import, the
    synthetic generator): the chains of ``case_ids`` and the last case serial of each
    ``(agency, year)`` pair, in one query each instead of one per registration.

    Only a speed-up: registration still refuses an id that has events and counts each serial
    on from the stored maximum, so numbers stay gap-free; a concurrent writer that registers
    for the same agency and year first makes this transaction conflict on the
    ``(agency_code, year, serial)`` constraint and roll back whole."""
    unit = unit_of(session)
    unit.load_cases(case_ids)
    pairs = set(serials)
    if not pairs:
        return
    agencies = sorted({a for a, _ in pairs})
    years = sorted({y for _, y in pairs})
    rows = unit.conn.execute(_LAST_SERIALS, {"agencies": agencies, "years": years}).all()
    found = dict.fromkeys(pairs, 0)
    for agency, year, serial in rows:
        if (agency, year) in found:
            found[(agency, year)] = serial
    unit.know_numbers({("case serial", a, y): n for (a, y), n in found.items()})


def get_case(session: Session, case_number: str) -> Case:
    """The case as this transaction sees it (read once, then from the write unit)."""
    case = unit_of(session).find(Case, "case_number", case_number)
    if case is None:
        raise NotFound(f"no case numbered {case_number!r}", case=case_number)
    return case


def defendants_of(session: Session, case: Case) -> list[Defendant]:
    """The case's defendants in the order they were named."""
    return sorted(unit_of(session).rows(Defendant, case.case_id), key=lambda d: d.defendant_no)


def get_defendant(session: Session, case: Case, defendant_no: int) -> Defendant:
    d = next(
        (
            x
            for x in unit_of(session).rows(Defendant, case.case_id)
            if x.defendant_no == defendant_no
        ),
        None,
    )
    if d is None:
        raise NotFound(
            f"case {case.case_number} has no defendant {defendant_no}",
            case=case.case_number,
            defendant=defendant_no,
        )
    return d


def label(case: Case, d: Defendant | None = None) -> dict[str, object]:
    """Context for errors: the case number and, where it applies, the defendant."""
    return {"case": case.case_number, "defendant": d.defendant_no if d else None}


def act_time(
    value: dt.datetime | dt.date | str | None,
    *,
    case: Case,
    not_before: dt.date | None = None,
    rule: str = "lifecycle order",
    d: Defendant | None = None,
    what: str = "the act",
) -> dt.datetime:
    """Resolve an act's time; refuse a future date or one earlier than what it follows."""
    at = clock.when(value, field="at")
    if store.dated_in_future(at):
        raise InvalidInput(f"{what} is dated in the future ({at.date()})", **label(case, d))
    on = clock.to_legal_date(at)
    floor = max(filter(None, [case.reported_on, not_before]))
    if on < floor:
        raise InvalidInput(
            f"{what} is dated {on}, before {floor}, the date of what it must follow",
            rule=rule,
            **label(case, d),
        )
    return at


def append(
    session: Session,
    *,
    case: Case,
    payload: ev.Payload,
    actor: Actor,
    at: dt.datetime,
    basis: str,
    d: Defendant | None = None,
) -> StoredEvent:
    return store.append(
        session,
        case_id=case.case_id,
        event_type=payload.event_type,  # type: ignore[attr-defined]
        payload=payload,
        actor=actor,
        occurred_at=at,
        legal_basis=basis,
        defendant_id=d.defendant_id if d else None,
    )


def register_case(
    session: Session,
    *,
    actor: Actor,
    reported_on: dt.date | str,
    summary: str,
    source: str = "report",
    at: dt.datetime | dt.date | str | None = None,
    defendants: list[NewDefendant] | None = None,
    case_id: str | None = None,
) -> Case:
    """Register a reported case and give it its number; name suspects if they are known."""
    if actor.role not in (Role.investigator, Role.prosecutor, Role.system):
        raise PermissionDenied("cases are registered by investigators or prosecutors")
    reported = (
        clock.parse_date(reported_on, field="reported_on")
        if isinstance(reported_on, str)
        else reported_on
    )
    if source not in CASE_SOURCES:
        raise InvalidInput(
            f"unknown case source {source!r}", field="source", allowed=",".join(CASE_SOURCES)
        )
    registered_at = clock.when(at, field="at")
    if store.dated_in_future(registered_at):
        raise InvalidInput("registration is dated in the future", field="at")
    if reported > clock.to_legal_date(registered_at):
        raise InvalidInput(
            f"the report date {reported} is after the registration date",
            field="reported_on",
            rule="lifecycle order",
        )
    for nd in defendants or []:
        for code in nd.charges:
            catalogue.get(code, defendant=nd.name)
    year = clock.to_legal_date(registered_at).year
    unit = unit_of(session)
    serial = unit.next_number(
        ("case serial", actor.agency, year),
        lambda conn: conn.execute(_LAST_SERIAL, {"agency": actor.agency, "year": year}).scalar(),
    )
    number = f"{actor.agency}-{year}-{serial:06d}"
    if case_id is None:
        case_id = str(uuid.uuid4())
        store.open_chain(session, case_id)
    elif store.head(session, case_id)[0]:
        raise InvalidInput("this case id already has events", field="case_id", case=case_id)
    store.append(
        session,
        case_id=case_id,
        event_type="case.registered",
        payload=ev.CaseRegistered(
            case_number=number,
            agency_code=actor.agency,
            year=year,
            serial=serial,
            reported_on=reported,
            summary=summary.strip() or "(no summary given)",
            source=source,
        ),
        actor=actor,
        occurred_at=registered_at,
        legal_basis=REGISTER_BASIS,
    )
    case = unit.get(Case, case_id)
    assert case is not None
    for nd in defendants or []:
        _add_defendant(session, actor, case, nd, registered_at)
    return case


def _person_ref(session: Session, nd: NewDefendant) -> str:
    salt = secrets.token_hex(16)
    body = json.dumps(
        [nd.name, nd.birth_date.isoformat() if nd.birth_date else None, nd.id_number, salt],
        ensure_ascii=False,
    )
    ref = hashlib.sha256(body.encode("utf-8")).hexdigest()
    unit_of(session).new(
        PersonalData,
        person_ref=ref,
        name=nd.name,
        birth_date=nd.birth_date,
        id_number=nd.id_number,
        salt=salt,
    )
    return ref


def add_defendant(
    session: Session,
    *,
    actor: Actor,
    case_number: str,
    defendant: NewDefendant,
    at: dt.datetime | dt.date | str | None = None,
) -> Defendant:
    case = get_case(session, case_number)
    when = act_time(at, case=case, what="identifying the suspect")
    return _add_defendant(session, actor, case, defendant, when)


def _add_defendant(
    session: Session, actor: Actor, case: Case, defendant: NewDefendant, when: dt.datetime
) -> Defendant:
    if case.status != "open":
        raise PreconditionFailed("the case is closed", **label(case))
    check("add_defendant", Stage.investigation, actor.role, **label(case))
    if not defendant.name.strip():
        raise InvalidInput("a defendant needs a name", field="name", **label(case))
    crimes = [catalogue.get(code, **label(case)) for code in defendant.charges]
    number = case.defendant_count + 1
    d_id = defendant.defendant_id or str(uuid.uuid4())
    store.append(
        session,
        case_id=case.case_id,
        event_type="defendant.added",
        defendant_id=d_id,
        occurred_at=when,
        legal_basis="CPL art 109-112",
        payload=ev.DefendantAdded(
            defendant_id=d_id,
            defendant_no=number,
            person_ref=_person_ref(session, defendant),
            age_at_offence=defendant.age_at_offence,
        ),
        actor=actor,
    )
    d = unit_of(session).get(Defendant, d_id, case_id=case.case_id)
    assert d is not None
    for crime in dict.fromkeys(crimes):  # a crime named twice is charged once
        _add_charge(session, actor, case, d, crime, when, new_defendant=True)
    return d


def add_charge(
    session: Session,
    *,
    actor: Actor,
    case_number: str,
    defendant_no: int,
    crime_code: str,
    at: dt.datetime | dt.date | str | None = None,
) -> Defendant:
    case, d = get_case_defendant(session, case_number, defendant_no)
    crime = catalogue.get(crime_code, **label(case, d))
    when = act_time(at, case=case, d=d, what="the charge")
    return _add_charge(session, actor, case, d, crime, when)


def _add_charge(
    session: Session,
    actor: Actor,
    case: Case,
    d: Defendant,
    crime: catalogue.Crime,
    when: dt.datetime,
    *,
    new_defendant: bool = False,
) -> Defendant:
    check("add_charge", Stage(d.stage), actor.role, **label(case, d))
    if not new_defendant and unit_of(session).get(
        Charge, d.defendant_id, crime.code, case_id=d.case_id
    ):
        raise InvalidInput(f"defendant is already charged with {crime.code}", **label(case, d))
    append(
        session,
        case=case,
        payload=ev.ChargeAdded(crime_code=crime.code),
        actor=actor,
        at=when,
        basis=f"CL art {crime.cl_article}",
        d=d,
    )
    return d


def close_case(
    session: Session,
    *,
    actor: Actor,
    case_number: str,
    reason: CloseReason | str,
    note: str,
    at: dt.datetime | dt.date | str | None = None,
) -> Case:
    """Close a case with its reason; suspects still under investigation are withdrawn."""
    case = get_case(session, case_number)
    reason = CloseReason(reason)
    if case.status != "open":
        raise PreconditionFailed("the case is already closed", **label(case))
    if not note.strip():
        raise InvalidInput("closing a case needs a note explaining it", field="note", **label(case))
    defendants = defendants_of(session, case)
    when = act_time(at, case=case, what="closing the case")
    withdrawable = {Stage.investigation, Stage.arrest_review, Stage.supplementary_investigation}
    if reason is CloseReason.concluded:
        open_ones = [d for d in defendants if Stage(d.stage) not in TERMINAL_STAGES]
        if not defendants or open_ones:
            raise PreconditionFailed(
                "a case is concluded only when every defendant's proceedings have ended",
                rule="CPL art 163, 177, 259",
                open_defendants=",".join(str(d.defendant_no) for d in open_ones) or "none named",
                **label(case),
            )
    else:
        for d in defendants:
            stage = Stage(d.stage)
            if (stage in PRE_TRIAL_STAGES and stage not in withdrawable) or stage in (
                Stage.trial,
                Stage.judged,
                Stage.appeal,
            ):
                raise PreconditionFailed(
                    f"defendant {d.defendant_no} is at stage {stage.value}; only cases still "
                    "under investigation can be withdrawn",
                    rule="CPL art 163",
                    **label(case, d),
                )
        for d in defendants:
            if Stage(d.stage) in withdrawable:
                check("withdraw", Stage(d.stage), actor.role, **label(case, d))
                append(
                    session,
                    case=case,
                    payload=ev.DefendantWithdrawn(reason=reason),
                    actor=actor,
                    at=when,
                    basis="CPL art 163",
                    d=d,
                )
    append(
        session,
        case=case,
        payload=ev.CaseClosed(reason=reason, note=note.strip()),
        actor=actor,
        at=when,
        basis="CPL art 163" if reason is not CloseReason.concluded else "CPL art 259",
    )
    return case
