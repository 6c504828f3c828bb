"""``caseledger plea ...``: thin CLI over the plea procedure."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from caseledger.case.commands import ActorOpt, AgencyOpt, AtOpt, CaseArg, DefOpt, RoleOpt
from caseledger.clikit import JsonOpt, console, emit
from caseledger.config import get_settings
from caseledger.context import make_actor, open_database
from caseledger.errors import InvalidInput
from caseledger.evidence.commands import _participants
from caseledger.evidence.recordings import RecordingStore
from caseledger.plea import service, statement
from caseledger.plea.models import Plea

app = typer.Typer(
    help="The plea-leniency procedure (认罪认罚) with its safeguards.", no_args_is_help=True
)

FIELDS = (
    "status",
    "admitted_stage",
    "counsel_kind",
    "counsel_id",
    "consultations",
    "recommendation_kind",
    "definite_months",
    "range_low",
    "range_high",
    "penalty_type",
    "deviates",
    "leniency_excluded",
    "override",
    "court_decision",
    "rejection_ground",
    "quality_flags",
)


def _run(
    fn: Any,
    case_number: str,
    defendant: int,
    actor: str,
    role: str,
    agency: str,
    as_json: bool,
    *,
    store: bool = False,
    **kwargs: Any,
) -> None:
    who = make_actor(actor, role, agency)
    settings = get_settings()
    db = open_database(settings)
    if store:
        kwargs["store"] = RecordingStore(settings.recordings_path)

    def work(session):  # type: ignore[no-untyped-def]
        row: Plea | None = fn(
            session, actor=who, case_number=case_number, defendant_no=defendant, **kwargs
        )
        session.flush()
        return {
            "case_number": case_number,
            "defendant_no": defendant,
            **({k: getattr(row, k) for k in FIELDS} if row is not None else {}),
        }

    emit(
        db.run(work),
        as_json,
        lambda r: console.print(
            f"{r['case_number']} defendant {r['defendant_no']}: plea "
            f"{r.get('status', 'not started')}"
            + (
                f", recommendation {r['definite_months']} months {r['penalty_type']}"
                if r.get("definite_months") is not None
                else ""
            )
        ),
    )


@app.command("notify")
def notify(
    case_number: CaseArg,
    defendant: DefOpt,
    actor: ActorOpt,
    role: RoleOpt,
    agency: AgencyOpt,
    item: Annotated[list[str], typer.Option(help="What was explained (repeatable).")],
    at: AtOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record that the plea rules and rights were explained (CPL 120(2), 173(2))."""
    _run(
        service.notify_rights,
        case_number,
        defendant,
        actor,
        role,
        agency,
        as_json,
        items=item,
        at=at,
    )


@app.command("admit")
def admit(
    case_number: CaseArg,
    defendant: DefOpt,
    actor: ActorOpt,
    role: RoleOpt,
    agency: AgencyOpt,
    at: AtOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record that the defendant admits guilt and accepts punishment, at the current stage."""
    _run(service.admit_guilt, case_number, defendant, actor, role, agency, as_json, at=at)


@app.command("counsel")
def counsel(
    case_number: CaseArg,
    defendant: DefOpt,
    actor: ActorOpt,
    role: RoleOpt,
    agency: AgencyOpt,
    kind: Annotated[str, typer.Option(help="retained, duty_lawyer or appointed.")],
    lawyer: Annotated[str, typer.Option(help="The lawyer's id.")],
    office: Annotated[str, typer.Option(help="Law firm or legal aid office.")],
    at: AtOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record the defender or duty lawyer (CPL 33-36)."""
    _run(
        service.assign_counsel,
        case_number,
        defendant,
        actor,
        role,
        agency,
        as_json,
        kind=kind,
        lawyer_id=lawyer,
        office=office,
        at=at,
    )


@app.command("consult")
def consult(
    case_number: CaseArg,
    defendant: DefOpt,
    actor: ActorOpt,
    role: RoleOpt,
    agency: AgencyOpt,
    recording: Annotated[str, typer.Option(help="SHA-256 of the registered recording.")],
    participant: Annotated[list[str], typer.Option(help="ROLE:ID (repeatable).")],
    opinion: Annotated[str, typer.Option(help="The defence's opinion.")],
    proposed_months: Annotated[int | None, typer.Option(help="Proposal.")] = None,
    at: AtOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record a consultation on the recommendation; its recording must be stored."""
    _run(
        service.hold_consultation,
        case_number,
        defendant,
        actor,
        role,
        agency,
        as_json,
        store=True,
        participants=_participants(participant),
        defence_opinion=opinion,
        recording_sha256=recording,
        proposed_months=proposed_months,
        at=at,
    )


@app.command("override")
def override(
    case_number: CaseArg,
    defendant: DefOpt,
    actor: ActorOpt,
    role: RoleOpt,
    agency: AgencyOpt,
    reason: Annotated[str, typer.Option(help="The reasons.")],
    at: AtOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Grant leniency in an excluded case (attributed; flagged for quality review)."""
    _run(
        service.override_leniency,
        case_number,
        defendant,
        actor,
        role,
        agency,
        as_json,
        reason=reason,
        at=at,
    )


@app.command("sign")
def sign(
    case_number: CaseArg,
    defendant: DefOpt,
    actor: ActorOpt,
    role: RoleOpt,
    agency: AgencyOpt,
    counsel_present: Annotated[str, typer.Option(help="Id of the lawyer present.")],
    sentencing: Annotated[
        str,
        typer.Option(
            help="Sentencing input as JSON: crime, facts, "
            "circumstances (see `caseledger sentence`)."
        ),
    ],
    months: Annotated[int | None, typer.Option(help="Recommendation if it deviates.")] = None,
    deviation_reason: Annotated[str | None, typer.Option(help="Why it deviates.")] = None,
    not_required: Annotated[
        str | None,
        typer.Option(help="CPL 174(2) ground: disability, minor_representative_objects, other."),
    ] = None,
    not_required_reason: Annotated[str, typer.Option(help="Why no statement.")] = "",
    penalty: Annotated[
        str | None,
        typer.Option(help="Recommended penalty type, where no guideline covers the case."),
    ] = None,
    at: AtOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record the signed plea statement with the guideline recommendation (CPL 174)."""
    try:
        data = json.loads(sentencing)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"--sentencing is not JSON: {exc.msg}", field="sentencing") from None
    _run(
        statement.sign_statement,
        case_number,
        defendant,
        actor,
        role,
        agency,
        as_json,
        store=True,
        counsel_present=counsel_present,
        sentencing_input=data,
        definite_months=months,
        deviation_reason=deviation_reason,
        not_required=not_required,
        not_required_reason=not_required_reason,
        penalty_type=penalty,
        at=at,
    )


@app.command("withdraw")
def withdraw(
    case_number: CaseArg,
    defendant: DefOpt,
    actor: ActorOpt,
    role: RoleOpt,
    agency: AgencyOpt,
    reason: Annotated[str, typer.Option(help="Why.")],
    at: AtOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record the withdrawal of the plea before judgment."""
    _run(
        service.withdraw, case_number, defendant, actor, role, agency, as_json, reason=reason, at=at
    )


@app.command("revise")
def revise(
    case_number: CaseArg,
    defendant: DefOpt,
    actor: ActorOpt,
    role: RoleOpt,
    agency: AgencyOpt,
    months: Annotated[int, typer.Option(help="New recommendation.")],
    reason: Annotated[str, typer.Option(help="Why.")],
    at: AtOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Revise the recommendation at the court's request (CPL 201(2))."""
    _run(
        service.revise_recommendation,
        case_number,
        defendant,
        actor,
        role,
        agency,
        as_json,
        definite_months=months,
        reason=reason,
        at=at,
    )


@app.command("court-decision")
def court_decision(
    case_number: CaseArg,
    defendant: DefOpt,
    actor: ActorOpt,
    role: RoleOpt,
    agency: AgencyOpt,
    decision: Annotated[str, typer.Option(help="adopted, adjusted, rejected.")],
    ground: Annotated[str | None, typer.Option(help="CPL 201 ground.")] = None,
    at: AtOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record the court's decision on the recommendation (CPL 201)."""
    _run(
        service.court_decide,
        case_number,
        defendant,
        actor,
        role,
        agency,
        as_json,
        decision=decision,
        ground=ground,
        at=at,
    )
