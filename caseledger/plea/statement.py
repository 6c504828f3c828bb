"""The plea statement: the signed agreement and its sentencing recommendation (CPL art 174,
176; SPP-Rules art 272-275; SPP-SentRec2021).

:func:`sign_statement` records the statement — or the agreement where none is required — only
after every safeguard holds: counsel present (never a duty lawyer in place of a retained
defender), at least one consultation recorded, registered on the case and still hashing to what
the ledger holds, the crime charged, and a recommendation equal to the sentencing engine's for
the recorded facts unless the deviation is reasoned. Where no guideline covers the crime or the
date (:func:`guideline_gap`), the prosecutor's own recommendation is stored, reasoned and
flagged ``no_guideline``. The other acts of the procedure are in :mod:`.service`.

Must never: take the plea stage or a leniency override from the caller (both come from the
ledger), or store a recommendation the engine did not compute without its reasons.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy.orm import Session

from caseledger.auth.roles import Role
from caseledger.case.enums import Stage
from caseledger.case.lifecycle import charges_of
from caseledger.case.models import Case, Defendant
from caseledger.case.service import act_time, append, label
from caseledger.errors import InvalidInput, PreconditionFailed, SafeguardViolation
from caseledger.evidence.recordings import RecordingStore
from caseledger.ledger.envelope import Actor, format_time
from caseledger.ledger.unit import unit_of
from caseledger.plea import events as ev
from caseledger.plea.models import Plea
from caseledger.plea.service import When, check_recording, load_act, plea_of
from caseledger.sentencing import engine
from caseledger.sentencing.compiled import default_library
from caseledger.sentencing.inputs import as_date


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
    case, d, plea = load_act(
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
    return plea_of(session, d)


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


def _consultation_recordings(
    session: Session, store: RecordingStore, case: Case, d: Defendant, when: dt.datetime
) -> list[str]:
    """The recordings of this defendant's consultations, each checked against the store."""
    events = unit_of(session).events(case.case_id, d.defendant_id, "plea.consultation_held")
    if not events:
        raise SafeguardViolation(
            "no statement without at least one recorded consultation",
            rule="CPL art 173; SPP-AV2021 art 2-3",
            **label(case, d),
        )
    out = []
    for _seq, _type, occurred, _actor, payload in events:
        if occurred > format_time(when):
            raise InvalidInput(
                "a consultation is dated after the statement",
                rule="lifecycle order",
                **label(case, d),
            )
        sha = json.loads(payload)["recording_sha256"]
        check_recording(session, store, case, d, sha)
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
        last = unit_of(session).events(case.case_id, d.defendant_id, "plea.leniency_override")[-1]
        data["leniency_override"] = {"reason": json.loads(last[4])["reason"], "by": last[3]}
    return data
