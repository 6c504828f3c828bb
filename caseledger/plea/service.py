"""Plea commands: one per step of the procedure, each enforcing its safeguards.

Every command loads the defendant, checks the actor's role, the defendant's stage and the
safeguards, and only then appends. A refusal writes nothing and names the case, the defendant
and the rule.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseledger.auth.roles import Role
from caseledger.case.enums import Stage
from caseledger.case.lifecycle import charges_of
from caseledger.case.models import Case, Defendant
from caseledger.case.service import act_time, append, get_case_defendant, label
from caseledger.errors import (
    InvalidInput,
    PermissionDenied,
    PreconditionFailed,
    SafeguardViolation,
)
from caseledger.evidence.events import Participant
from caseledger.evidence.models import Recording
from caseledger.evidence.recordings import RecordingStore
from caseledger.ledger.envelope import Actor, format_time
from caseledger.ledger.models import Event
from caseledger.plea import events as ev
from caseledger.plea.models import Plea
from caseledger.sentencing import engine
from caseledger.sentencing.compiled import default_library
from caseledger.sentencing.inputs import as_date

When = dt.datetime | dt.date | str | None

# The plea discount depends on when guilt was admitted (SG2021 三(十四); Plea2019 para 33).
ADMISSION_STAGE = {
    Stage.investigation: "investigation",
    Stage.arrest_review: "investigation",
    Stage.supplementary_investigation: "investigation",
    Stage.prosecution_review: "prosecution",
    Stage.awaiting_trial: "trial",
    Stage.trial: "trial",
}
BEFORE_JUDGMENT = frozenset(ADMISSION_STAGE)


def _load(
    session: Session,
    actor: Actor,
    case_number: str,
    defendant_no: int,
    roles: set[Role],
    stages: frozenset[Stage],
    what: str,
    rule: str,
) -> tuple[Case, Defendant, Plea | None]:
    case, d = get_case_defendant(session, case_number, defendant_no)
    if actor.role not in roles:
        raise PermissionDenied(
            f"{what}: not an act of a {actor.role.value}", rule=rule, **label(case, d)
        )
    if Stage(d.stage) not in stages:
        raise PreconditionFailed(
            f"{what} is not possible at stage {d.stage}", rule=rule, **label(case, d)
        )
    return case, d, session.get(Plea, d.defendant_id)


def notify_rights(
    session: Session,
    *,
    actor: Actor,
    case_number: str,
    defendant_no: int,
    items: list[str],
    at: When = None,
) -> Plea | None:
    """Record that the rights and the plea rules were explained (CPL art 120(2), 173(2))."""
    case, d, _ = _load(
        session,
        actor,
        case_number,
        defendant_no,
        {Role.investigator, Role.prosecutor, Role.judge},
        BEFORE_JUDGMENT,
        "notifying plea rights",
        "CPL art 120(2), 173(2)",
    )
    when = act_time(at, case=case, d=d, what="the notice of rights")
    append(
        session,
        case=case,
        d=d,
        actor=actor,
        at=when,
        basis="CPL art 120(2), 173(2), 190(2)",
        payload=ev.RightsNotified(items=items),
    )
    return session.get(Plea, d.defendant_id)


def admit_guilt(
    session: Session, *, actor: Actor, case_number: str, defendant_no: int, at: When = None
) -> Plea:
    """Record the defendant's admission of guilt and acceptance of punishment, at this stage."""
    case, d, plea = _load(
        session,
        actor,
        case_number,
        defendant_no,
        {Role.investigator, Role.prosecutor, Role.judge},
        BEFORE_JUDGMENT,
        "recording an admission",
        "CPL art 15",
    )
    if plea is None or plea.rights_notified_on is None:
        raise SafeguardViolation(
            "the defendant must first be told of the plea rules and rights",
            rule="CPL art 120(2), 173(2)",
            **label(case, d),
        )
    if plea.admitted_stage is not None and plea.status != "withdrawn":
        raise PreconditionFailed("the admission is already recorded", **label(case, d))
    when = act_time(at, case=case, d=d, what="the admission")
    append(
        session,
        case=case,
        d=d,
        actor=actor,
        at=when,
        basis="CPL art 15",
        payload=ev.GuiltAdmitted(stage=ADMISSION_STAGE[Stage(d.stage)]),
    )
    return _plea(session, d)


def assign_counsel(
    session: Session,
    *,
    actor: Actor,
    case_number: str,
    defendant_no: int,
    kind: ev.CounselKind | str,
    lawyer_id: str,
    office: str,
    at: When = None,
) -> Plea | None:
    """Record a retained defender, a duty lawyer (CPL art 36) or appointed legal aid."""
    case, d, _ = _load(
        session,
        actor,
        case_number,
        defendant_no,
        {Role.investigator, Role.prosecutor, Role.judge, Role.defence_counsel},
        BEFORE_JUDGMENT,
        "assigning counsel",
        "CPL art 33-36",
    )
    when = act_time(at, case=case, d=d, what="the assignment of counsel")
    append(
        session,
        case=case,
        d=d,
        actor=actor,
        at=when,
        basis="CPL art 33-36; SPP-Rules 267",
        payload=ev.CounselAssigned(
            kind=ev.CounselKind(kind), lawyer_id=lawyer_id.strip(), office=office.strip()
        ),
    )
    return session.get(Plea, d.defendant_id)


def hold_consultation(
    session: Session,
    *,
    actor: Actor,
    store: RecordingStore,
    case_number: str,
    defendant_no: int,
    participants: list[dict[str, str]],
    defence_opinion: str,
    recording_sha256: str,
    proposed_months: int | None = None,
    at: When = None,
) -> Plea:
    """Record a consultation; its audio-video recording must be stored and registered."""
    case, d, plea = _load(
        session,
        actor,
        case_number,
        defendant_no,
        {Role.prosecutor},
        frozenset({Stage.prosecution_review, Stage.arrest_review}),
        "a plea consultation",
        "CPL art 173; SPP-AV2021 art 2-3",
    )
    if plea is None or plea.counsel_id is None:
        raise SafeguardViolation(
            "a consultation needs the defender or a duty lawyer",
            rule="CPL art 173, 174(1)",
            **label(case, d),
        )
    _check_recording(session, store, case, d, recording_sha256)
    when = act_time(at, case=case, d=d, what="the consultation")
    append(
        session,
        case=case,
        d=d,
        actor=actor,
        at=when,
        basis="CPL art 173; SPP-AV2021 art 2-4",
        payload=ev.ConsultationHeld(
            participants=[Participant(**p) for p in participants],
            proposed_months=proposed_months,
            defence_opinion=defence_opinion.strip(),
            recording_sha256=recording_sha256,
        ),
    )
    return _plea(session, d)


def override_leniency(
    session: Session,
    *,
    actor: Actor,
    case_number: str,
    defendant_no: int,
    reason: str,
    at: When = None,
) -> Plea:
    """A prosecutor's attributed decision to grant leniency in an excluded case."""
    case, d, _plea_row = _load(
        session,
        actor,
        case_number,
        defendant_no,
        {Role.prosecutor},
        frozenset({Stage.prosecution_review}),
        "a leniency override",
        "Plea2019 para 5",
    )
    if len(reason.strip()) < 10:
        raise InvalidInput(
            "an override needs its reasons, in words", field="reason", **label(case, d)
        )
    when = act_time(at, case=case, d=d, what="the override")
    append(
        session,
        case=case,
        d=d,
        actor=actor,
        at=when,
        basis="Plea2019 para 5",
        payload=ev.LeniencyOverridden(reason=reason.strip()),
    )
    return _plea(session, d)


def sign_statement(
    session: Session,
    *,
    actor: Actor,
    store: RecordingStore,
    case_number: str,
    defendant_no: int,
    counsel_present: str,
    sentencing_input: dict[str, Any],
    definite_months: int | None = None,
    range_months: tuple[int, int] | None = None,
    range_reason: str | None = None,
    deviation_reason: str | None = None,
    not_required: ev.NotRequiredGround | str | None = None,
    not_required_reason: str = "",
    penalty_type: str | None = None,
    at: When = None,
) -> Plea:
    """Record the plea statement (or the agreement where none is required) with the engine's
    recommendation, after checking every safeguard.

    Where no guideline covers the crime or the date, the prosecutor gives the recommendation
    (months or range, and ``penalty_type``) with ``deviation_reason`` saying how it was reached;
    it is stored without an engine result and flagged ``no_guideline``."""
    case, d, plea = _load(
        session,
        actor,
        case_number,
        defendant_no,
        {Role.prosecutor},
        frozenset({Stage.prosecution_review}),
        "the plea statement",
        "CPL art 174",
    )
    ctx = label(case, d)
    if plea is None or plea.admitted_stage is None or plea.status == "withdrawn":
        raise PreconditionFailed(
            "the defendant has not admitted guilt and accepted punishment",
            rule="CPL art 15, 174",
            **ctx,
        )
    if plea.counsel_id is None:
        raise SafeguardViolation(
            "no statement without a defender or duty lawyer", rule="CPL art 174(1)", **ctx
        )
    if counsel_present != plea.counsel_id:
        raise SafeguardViolation(
            f"counsel {plea.counsel_id} must be present at the signing",
            rule="CPL art 174(1); SPP-Rules art 272",
            **ctx,
        )
    if plea.retained_counsel_id and counsel_present != plea.retained_counsel_id:
        raise SafeguardViolation(
            "a duty lawyer may not witness the signing in place of the retained defender",
            rule="SPP-SentRec2021",
            **ctx,
        )
    when = act_time(at, case=case, d=d, what="the plea statement")
    recordings = _consultation_recordings(session, store, case, d, when)
    engine_input = _engine_input(session, case, d, plea, sentencing_input)
    gap = guideline_gap(engine_input)
    if gap is not None:
        return _sign_without_guideline(
            session,
            actor=actor,
            case=case,
            d=d,
            plea=plea,
            when=when,
            gap=gap,
            engine_input=engine_input,
            definite_months=definite_months,
            range_months=range_months,
            range_reason=range_reason,
            reason=deviation_reason,
            penalty_type=penalty_type,
            counsel_present=counsel_present,
            recordings=recordings,
            not_required=not_required,
            not_required_reason=not_required_reason,
        )
    rec = engine.recommend(engine_input)
    engine_months = rec.recommendation.definite_months
    if range_months is not None:
        if not range_reason:
            raise InvalidInput(
                "a range recommendation needs its reasons (new or uncommon "
                "crime, serious crime with complex circumstances)",
                field="range_reason",
                rule="SPP-Rules art 275",
                **ctx,
            )
        kind, months = "range", None
    else:
        kind, months = "definite", engine_months if definite_months is None else definite_months
    if months is not None and months != engine_months and not (deviation_reason or "").strip():
        raise SafeguardViolation(
            f"the recommendation ({months} months) differs from the guideline result "
            f"({engine_months} months) for the recorded facts; give the reasons for the "
            "deviation",
            rule="SPP-SentRec2021 (recommendations follow SG2021)",
            **ctx,
        )
    fields: dict[str, Any] = dict(
        sentencing_input=engine_input,
        recommendation=rec.model_dump(mode="json"),
        kind=kind,
        definite_months=months,
        range_months=range_months,
        penalty_type=rec.penalty_type,
        range_reason=range_reason,
        deviation_reason=(deviation_reason or "").strip() or None,
        engine_definite_months=engine_months,
        counsel_id=counsel_present,
        counsel_kind=ev.CounselKind(plea.counsel_kind),
        consultations=recordings,
    )
    return _record_agreement(
        session, actor, case, d, when, fields, not_required, not_required_reason
    )


def _record_agreement(
    session: Session,
    actor: Actor,
    case: Case,
    d: Defendant,
    when: dt.datetime,
    fields: dict[str, Any],
    not_required: ev.NotRequiredGround | str | None,
    not_required_reason: str,
) -> Plea:
    if not_required is None:
        payload: ev.Payload = ev.StatementSigned(**fields)
        basis = "CPL art 174(1); SPP-Rules art 272"
    else:
        if not not_required_reason.strip():
            raise InvalidInput(
                "say why no statement is required", field="not_required_reason", **label(case, d)
            )
        payload = ev.AgreedWithoutStatement(
            **fields, ground=ev.NotRequiredGround(not_required), reason=not_required_reason.strip()
        )
        basis = "CPL art 174(2); SPP-Rules art 272(2)-(3)"
    append(session, case=case, d=d, actor=actor, at=when, basis=basis, payload=payload)
    return _plea(session, d)


def guideline_gap(data: dict[str, Any]) -> str | None:
    """Why no sentencing guideline covers the case (None when one does)."""
    lib = default_library()
    try:
        view = lib.select(data.get("jurisdiction"), as_date(data["as_of"]))
    except InvalidInput as exc:
        if exc.context.get("field") == "as_of":
            return exc.message
        raise
    if data.get("crime") not in view.crimes:
        return (
            f"no sentencing guideline for {data.get('crime')} in {view.pack} as of {data['as_of']}"
        )
    return None


def _sign_without_guideline(
    session: Session,
    *,
    actor: Actor,
    case: Case,
    d: Defendant,
    plea: Plea,
    when: dt.datetime,
    gap: str,
    engine_input: dict[str, Any],
    definite_months: int | None,
    range_months: tuple[int, int] | None,
    range_reason: str | None,
    reason: str | None,
    penalty_type: str | None,
    counsel_present: str,
    recordings: list[str],
    not_required: ev.NotRequiredGround | str | None,
    not_required_reason: str,
) -> Plea:
    """A recommendation the prosecutor reached without a guideline (SPP-Rules art 274-275: the
    recommendation is still made), with the reasons; flagged for quality review."""
    ctx = label(case, d)
    if definite_months is None and range_months is None:
        raise InvalidInput(
            f"{gap}: give the recommendation (months or a range) and how it was reached",
            field="definite_months",
            rule="SPP-Rules art 274-275",
            **ctx,
        )
    if not (reason or "").strip():
        raise SafeguardViolation(
            f"{gap}: say how the recommendation was reached (deviation_reason)",
            rule="SPP-SentRec2021 (recommendations follow the method of SG2021)",
            **ctx,
        )
    if not penalty_type:
        raise InvalidInput(f"{gap}: give the recommended penalty type", field="penalty_type", **ctx)
    if range_months is not None and not range_reason:
        raise InvalidInput(
            "a range recommendation needs its reasons",
            field="range_reason",
            rule="SPP-Rules art 275",
            **ctx,
        )
    fields: dict[str, Any] = dict(
        sentencing_input=engine_input,
        recommendation={"no_guideline": gap},
        kind="range" if range_months is not None else "definite",
        definite_months=None if range_months is not None else definite_months,
        range_months=range_months,
        penalty_type=penalty_type,
        range_reason=range_reason,
        deviation_reason=(reason or "").strip(),
        engine_definite_months=None,
        counsel_id=counsel_present,
        counsel_kind=ev.CounselKind(plea.counsel_kind),
        consultations=recordings,
    )
    return _record_agreement(
        session, actor, case, d, when, fields, not_required, not_required_reason
    )


def withdraw(
    session: Session,
    *,
    actor: Actor,
    case_number: str,
    defendant_no: int,
    reason: str,
    at: When = None,
) -> Plea:
    """The defendant withdraws the plea before judgment: statement and recommendation void."""
    case, d, plea = _load(
        session,
        actor,
        case_number,
        defendant_no,
        {Role.prosecutor, Role.judge, Role.defence_counsel},
        BEFORE_JUDGMENT,
        "withdrawing a plea",
        "SPP-SentRec2021 art 34",
    )
    if plea is None or plea.admitted_stage is None or plea.status == "withdrawn":
        raise PreconditionFailed("there is no plea to withdraw", **label(case, d))
    when = act_time(at, case=case, d=d, what="the withdrawal")
    append(
        session,
        case=case,
        d=d,
        actor=actor,
        at=when,
        basis="SPP-SentRec2021 art 34",
        payload=ev.PleaWithdrawn(reason=reason.strip() or "not given"),
    )
    return _plea(session, d)


def revise_recommendation(
    session: Session,
    *,
    actor: Actor,
    case_number: str,
    defendant_no: int,
    definite_months: int,
    reason: str,
    at: When = None,
) -> Plea:
    """The prosecutor adjusts a recommendation the court finds clearly improper (CPL 201(2))."""
    case, d, plea = _load(
        session,
        actor,
        case_number,
        defendant_no,
        {Role.prosecutor},
        frozenset({Stage.awaiting_trial, Stage.trial}),
        "revising the recommendation",
        "CPL art 201(2)",
    )
    _require_agreement(case, d, plea)
    when = act_time(at, case=case, d=d, what="the revision")
    append(
        session,
        case=case,
        d=d,
        actor=actor,
        at=when,
        basis="CPL art 201(2)",
        payload=ev.RecommendationRevised(definite_months=definite_months, reason=reason.strip()),
    )
    return _plea(session, d)


def court_decide(
    session: Session,
    *,
    actor: Actor,
    case_number: str,
    defendant_no: int,
    decision: ev.CourtDecision | str,
    ground: ev.RejectionGround | str | None = None,
    at: When = None,
) -> Plea:
    """The court adopts the recommendation, adopts the revised one, or rejects it on a CPL
    art 201 ground."""
    decision = ev.CourtDecision(decision)
    case, d, plea = _load(
        session,
        actor,
        case_number,
        defendant_no,
        {Role.judge},
        frozenset({Stage.trial}),
        "deciding on the recommendation",
        "CPL art 201",
    )
    plea = _require_agreement(case, d, plea)
    if decision is ev.CourtDecision.rejected and ground is None:
        raise InvalidInput(
            "a rejection names its ground",
            field="ground",
            allowed=",".join(g.value for g in ev.RejectionGround),
            rule="CPL art 201(1)",
            **label(case, d),
        )
    if decision is not ev.CourtDecision.rejected and ground is not None:
        raise InvalidInput("only a rejection has a ground", field="ground", **label(case, d))
    if decision is ev.CourtDecision.adjusted and plea.status != "revised":
        raise PreconditionFailed(
            "adjustment follows the prosecutor's revision", rule="CPL art 201(2)", **label(case, d)
        )
    when = act_time(at, case=case, d=d, what="the court's decision")
    append(
        session,
        case=case,
        d=d,
        actor=actor,
        at=when,
        basis="CPL art 201",
        payload=ev.CourtDecided(
            decision=decision, ground=ev.RejectionGround(ground) if ground else None
        ),
    )
    return _plea(session, d)


def _require_agreement(case: Case, d: Defendant, plea: Plea | None) -> Plea:
    if plea is None or plea.status not in ("signed", "agreed", "revised"):
        raise PreconditionFailed(
            "there is no standing plea recommendation", rule="CPL art 176(2), 201", **label(case, d)
        )
    return plea


def _check_recording(
    session: Session, store: RecordingStore, case: Case, d: Defendant, sha256: str
) -> None:
    row = session.execute(
        select(Recording.purpose).where(
            Recording.case_id == case.case_id, Recording.sha256 == sha256
        )
    ).first()
    if row is None or row[0] != "plea_consultation":
        raise SafeguardViolation(
            "the consultation's recording must be registered on the case as a plea consultation",
            rule="SPP-AV2021 art 2-3",
            sha256=sha256,
            **label(case, d),
        )
    if store.rehash(sha256) != sha256:
        raise SafeguardViolation(
            "the consultation's recording is missing from the store or its "
            "content no longer matches its hash",
            rule="SPP-AV2021",
            sha256=sha256,
            **label(case, d),
        )


def _consultation_recordings(
    session: Session, store: RecordingStore, case: Case, d: Defendant, when: dt.datetime
) -> list[str]:
    """The recordings of this defendant's consultations, each checked against the store."""
    events = session.execute(
        select(Event.occurred_at, Event.payload)
        .where(
            Event.defendant_id == d.defendant_id,
            Event.event_type == "plea.consultation_held",
        )
        .order_by(Event.seq)
    ).all()
    if not events:
        raise SafeguardViolation(
            "no statement without at least one recorded consultation",
            rule="CPL art 173; SPP-AV2021 art 2-3",
            **label(case, d),
        )
    out = []
    for occurred, payload in events:
        if occurred > format_time(when):
            raise InvalidInput(
                "a consultation is dated after the statement",
                rule="lifecycle order",
                **label(case, d),
            )
        sha = json.loads(payload)["recording_sha256"]
        _check_recording(session, store, case, d, sha)
        out.append(sha)
    return out


def _engine_input(
    session: Session, case: Case, d: Defendant, plea: Plea, given: dict[str, Any]
) -> dict[str, Any]:
    """The sentencing input as recorded: the crime must be charged; the plea stage and the
    override come from the ledger, never from the caller."""
    data = dict(given)
    crime = data.get("crime")
    charges = charges_of(session, d)
    if crime not in charges:
        raise InvalidInput(
            f"the recommendation's crime {crime!r} is not charged",
            field="crime",
            allowed=",".join(charges),
            **label(case, d),
        )
    data.setdefault("as_of", case.reported_on.isoformat())
    data["plea"] = {
        "stage": plea.admitted_stage,
        **(
            {"pct": data["plea"]["pct"]}
            if isinstance(data.get("plea"), dict) and "pct" in data["plea"]
            else {}
        ),
    }
    data.pop("leniency_override", None)
    if data.get("particularly_serious") and plea.override:
        reason = session.execute(
            select(Event.payload, Event.actor_id)
            .where(
                Event.defendant_id == d.defendant_id,
                Event.event_type == "plea.leniency_override",
            )
            .order_by(Event.seq.desc())
            .limit(1)
        ).one()
        data["leniency_override"] = {"reason": json.loads(reason[0])["reason"], "by": reason[1]}
    return data


def _plea(session: Session, d: Defendant) -> Plea:
    plea = session.get(Plea, d.defendant_id)
    assert plea is not None
    return plea
