"""Plea commands: one per step of the procedure, each enforcing its safeguards (the statement
and its recommendation are in :mod:`.statement`).

Every command loads the defendant, checks the actor's role, the defendant's stage and the
safeguards, and only then appends. A refusal writes nothing and names the case, the defendant
and the rule.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from caseledger.auth.roles import Role
from caseledger.case.enums import Stage
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
from caseledger.ledger.envelope import Actor
from caseledger.ledger.unit import unit_of
from caseledger.plea import events as ev
from caseledger.plea.models import Plea

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


def load_act(
    session: Session,
    actor: Actor,
    case_number: str,
    defendant_no: int,
    roles: set[Role],
    stages: frozenset[Stage],
    what: str,
    rule: str,
) -> tuple[Case, Defendant, Plea | None]:
    """The case, the defendant and its plea row, once ``actor``'s role and the defendant's
    stage allow ``what`` (else a refusal naming ``rule``)."""
    case, d = get_case_defendant(session, case_number, defendant_no)
    if actor.role not in roles:
        raise PermissionDenied(
            f"{what}: not an act of a {actor.role.value}", rule=rule, **label(case, d)
        )
    if Stage(d.stage) not in stages:
        raise PreconditionFailed(
            f"{what} is not possible at stage {d.stage}", rule=rule, **label(case, d)
        )
    return case, d, unit_of(session).get(Plea, d.defendant_id, case_id=d.case_id)


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
    case, d, _ = load_act(
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
    return unit_of(session).get(Plea, d.defendant_id, case_id=d.case_id)


def admit_guilt(
    session: Session, *, actor: Actor, case_number: str, defendant_no: int, at: When = None
) -> Plea:
    """Record the defendant's admission of guilt and acceptance of punishment, at this stage."""
    case, d, plea = load_act(
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
    return plea_of(session, d)


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
    case, d, _ = load_act(
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
    return unit_of(session).get(Plea, d.defendant_id, case_id=d.case_id)


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
    case, d, plea = load_act(
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
    check_recording(session, store, case, d, recording_sha256)
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
    return plea_of(session, d)


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
    case, d, _plea_row = load_act(
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
    return plea_of(session, d)


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
    case, d, plea = load_act(
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
    return plea_of(session, d)


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
    case, d, plea = load_act(
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
    return plea_of(session, d)


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
    case, d, plea = load_act(
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
    return plea_of(session, d)


def _require_agreement(case: Case, d: Defendant, plea: Plea | None) -> Plea:
    if plea is None or plea.status not in ("signed", "agreed", "revised"):
        raise PreconditionFailed(
            "there is no standing plea recommendation", rule="CPL art 176(2), 201", **label(case, d)
        )
    return plea


def check_recording(
    session: Session, store: RecordingStore, case: Case, d: Defendant, sha256: str
) -> None:
    """Refuse unless ``sha256`` is a plea-consultation recording of the case whose file is in
    the store and still hashes to it."""
    row = unit_of(session).get(Recording, case.case_id, sha256)
    if row is None or row.purpose != "plea_consultation":
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


def plea_of(session: Session, d: Defendant) -> Plea:
    """The defendant's plea row (it exists once any plea act was recorded)."""
    plea = unit_of(session).get(Plea, d.defendant_id, case_id=d.case_id)
    assert plea is not None
    return plea
