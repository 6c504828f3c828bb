"""``caseledger case ...``, ``caseledger overdue`` and ``caseledger crimes``: thin CLI over the
case services. Each command parses options, calls one service function and renders."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import typer

from caseledger.case import lifecycle, service, trial
from caseledger.case.models import Defendant
from caseledger.clikit import JsonOpt, console, emit
from caseledger.context import make_actor, open_database

app = typer.Typer(
    help="Register cases and record every legal act on a defendant.", no_args_is_help=True
)

CaseArg = Annotated[str, typer.Argument(help="Case number, e.g. PSB110105-2026-000001.")]
DefOpt = Annotated[int, typer.Option("--defendant", "-d", help="Defendant number in the case.")]
AtOpt = Annotated[
    str | None,
    typer.Option(
        "--at", help="When the act took place (YYYY-MM-DD or ISO date-time); default now."
    ),
]
ActorOpt = Annotated[
    str, typer.Option("--actor", envvar="CASELEDGER_ACTOR", help="Id of the official who decides.")
]
RoleOpt = Annotated[
    str,
    typer.Option(
        "--role",
        envvar="CASELEDGER_ROLE",
        help="Role of the official (investigator, prosecutor, judge ...).",
    ),
]
EvidenceOpt = Annotated[
    list[int] | None,
    typer.Option("--evidence", help="Number of an evidence item relied on (repeatable)."),
]
AgencyOpt = Annotated[
    str, typer.Option("--agency", envvar="CASELEDGER_AGENCY", help="Code of the official's agency.")
]


def _defendant_result(case_number: str, d: Defendant) -> dict[str, Any]:
    return {
        "case_number": case_number,
        "defendant_no": d.defendant_no,
        "stage": d.stage,
        "measure": d.measure,
        "version": d.version,
    }


def _render_defendant(result: dict[str, Any]) -> None:
    console.print(
        f"{result['case_number']} defendant {result['defendant_no']}: "
        f"stage [bold]{result['stage']}[/], measure [bold]{result['measure']}[/]"
    )


def _act(
    fn: Callable[..., Defendant],
    case_number: str,
    defendant: int,
    actor: str,
    role: str,
    agency: str,
    as_json: bool,
    **kwargs: Any,
) -> None:
    """Run one lifecycle command for a defendant and print its new state."""
    who = make_actor(actor, role, agency)
    db = open_database()

    def work(session):  # type: ignore[no-untyped-def]
        d = fn(session, actor=who, case_number=case_number, defendant_no=defendant, **kwargs)
        session.flush()
        return _defendant_result(case_number, d)

    emit(db.run(work), as_json, _render_defendant)


@app.command("register")
def register(
    reported_on: Annotated[str, typer.Option(help="Date the crime was reported (YYYY-MM-DD).")],
    summary: Annotated[str, typer.Option(help="What was reported.")],
    actor: ActorOpt,
    role: RoleOpt,
    agency: AgencyOpt,
    source: Annotated[
        str, typer.Option(help="report, complaint, surrender, discovered, transferred")
    ] = "report",
    defendant: Annotated[
        list[str] | None, typer.Option("--defendant", help="Name of a known suspect (repeatable).")
    ] = None,
    age: Annotated[
        list[int] | None,
        typer.Option("--age", help="Age at the offence, in the order of --defendant."),
    ] = None,
    charge: Annotated[
        list[str] | None,
        typer.Option("--charge", help="Crime code charged to every named suspect (repeatable)."),
    ] = None,
    at: AtOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Register a reported case (never refused) and print its case number."""
    who = make_actor(actor, role, agency)
    ages = list(age or [])
    people = [
        service.NewDefendant(
            name=name, age_at_offence=ages[i] if i < len(ages) else None, charges=list(charge or [])
        )
        for i, name in enumerate(defendant or [])
    ]
    db = open_database()
    case = db.run(
        lambda s: service.register_case(
            s,
            actor=who,
            reported_on=reported_on,
            summary=summary,
            source=source,
            at=at,
            defendants=people,
        )
    )
    emit(
        {"case_number": case.case_number, "case_id": case.case_id, "defendants": len(people)},
        as_json,
        lambda r: console.print(
            f"registered [bold]{r['case_number']}[/] with {r['defendants']} named suspect(s)"
        ),
    )


@app.command("add-defendant")
def add_defendant(
    case_number: CaseArg,
    name: Annotated[str, typer.Option(help="Name of the suspect (kept outside the hash chain).")],
    actor: ActorOpt,
    role: RoleOpt,
    agency: AgencyOpt,
    age: Annotated[int | None, typer.Option(help="Age at the offence.")] = None,
    charge: Annotated[
        list[str] | None, typer.Option("--charge", help="Crime code (repeatable).")
    ] = None,
    at: AtOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Identify a suspect in a registered case."""
    who = make_actor(actor, role, agency)
    nd = service.NewDefendant(name=name, age_at_offence=age, charges=list(charge or []))
    db = open_database()

    def work(session):  # type: ignore[no-untyped-def]
        d = service.add_defendant(session, actor=who, case_number=case_number, defendant=nd, at=at)
        session.flush()
        return _defendant_result(case_number, d)

    emit(db.run(work), as_json, _render_defendant)


@app.command("charge")
def charge_cmd(
    case_number: CaseArg,
    defendant: DefOpt,
    crime: Annotated[str, typer.Option(help="Crime code from `caseledger crimes`.")],
    actor: ActorOpt,
    role: RoleOpt,
    agency: AgencyOpt,
    at: AtOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record a suspected crime against a defendant."""
    _act(
        service.add_charge,
        case_number,
        defendant,
        actor,
        role,
        agency,
        as_json,
        crime_code=crime,
        at=at,
    )


def _measure_command(name: str, measure: str, doc: str) -> None:
    def command(
        case_number: CaseArg,
        defendant: DefOpt,
        actor: ActorOpt,
        role: RoleOpt,
        agency: AgencyOpt,
        at: AtOpt = None,
        as_json: JsonOpt = False,
    ) -> None:
        _act(
            lifecycle.impose_measure,
            case_number,
            defendant,
            actor,
            role,
            agency,
            as_json,
            measure=measure,
            at=at,
        )

    command.__doc__ = doc
    app.command(name)(command)


_measure_command(
    "detain", "criminal_detention", "Place a suspect under criminal detention (CPL 82)."
)
_measure_command("bail", "bail", "Grant bail pending trial (CPL 66-67).")
_measure_command("surveil", "residential_surveillance", "Order residential surveillance (CPL 74).")


@app.command("release")
def release(
    case_number: CaseArg,
    defendant: DefOpt,
    reason: Annotated[str, typer.Option(help="Why the measure ends.")],
    actor: ActorOpt,
    role: RoleOpt,
    agency: AgencyOpt,
    at: AtOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """End the current compulsory measure."""
    _act(
        lifecycle.release,
        case_number,
        defendant,
        actor,
        role,
        agency,
        as_json,
        reason=reason,
        at=at,
    )


@app.command("request-arrest")
def request_arrest(
    case_number: CaseArg,
    defendant: DefOpt,
    actor: ActorOpt,
    role: RoleOpt,
    agency: AgencyOpt,
    at: AtOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Ask the procuratorate to approve arrest (CPL 87)."""
    _act(lifecycle.request_arrest, case_number, defendant, actor, role, agency, as_json, at=at)


@app.command("arrest-decision")
def arrest_decision(
    case_number: CaseArg,
    defendant: DefOpt,
    actor: ActorOpt,
    role: RoleOpt,
    agency: AgencyOpt,
    approve: Annotated[
        bool, typer.Option("--approve/--refuse", help="Approve or refuse the arrest.")
    ],
    ground: Annotated[
        str | None,
        typer.Option(
            help="Refusal ground: no_crime, insufficient_evidence, no_necessity, minor_with_plea."
        ),
    ] = None,
    then: Annotated[
        str, typer.Option(help="After a refusal: none, bail or residential_surveillance.")
    ] = "none",
    at: AtOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Approve or refuse arrest (CPL 88-91)."""
    _act(
        lifecycle.decide_arrest,
        case_number,
        defendant,
        actor,
        role,
        agency,
        as_json,
        approved=approve,
        ground=ground,
        then_measure=then,
        at=at,
    )


@app.command("transfer")
def transfer(
    case_number: CaseArg,
    defendant: DefOpt,
    actor: ActorOpt,
    role: RoleOpt,
    agency: AgencyOpt,
    at: AtOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Transfer the case for prosecution review (CPL 162)."""
    _act(
        lifecycle.transfer_for_prosecution,
        case_number,
        defendant,
        actor,
        role,
        agency,
        as_json,
        at=at,
    )


@app.command("return")
def return_cmd(
    case_number: CaseArg,
    defendant: DefOpt,
    reason: Annotated[str, typer.Option(help="What must be investigated further.")],
    actor: ActorOpt,
    role: RoleOpt,
    agency: AgencyOpt,
    at: AtOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Return the case for supplementary investigation (at most twice, CPL 175)."""
    _act(
        lifecycle.return_for_supplementary_investigation,
        case_number,
        defendant,
        actor,
        role,
        agency,
        as_json,
        reason=reason,
        at=at,
    )


@app.command("resubmit")
def resubmit(
    case_number: CaseArg,
    defendant: DefOpt,
    actor: ActorOpt,
    role: RoleOpt,
    agency: AgencyOpt,
    at: AtOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Send the case back after supplementary investigation."""
    _act(lifecycle.resubmit, case_number, defendant, actor, role, agency, as_json, at=at)


@app.command("assess-evidence")
def assess_evidence(
    case_number: CaseArg,
    defendant: DefOpt,
    actor: ActorOpt,
    role: RoleOpt,
    agency: AgencyOpt,
    sufficient: Annotated[
        bool, typer.Option("--sufficient/--insufficient", help="The prosecutor's assessment.")
    ],
    reasoning: Annotated[str, typer.Option(help="Why: what the evidence does and does not show.")],
    at: AtOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record whether the evidence is reliable and sufficient; every prosecution decision
    rests on it, and a plea does not replace it (CPL art 55, 176)."""
    _act(
        lifecycle.assess_evidence,
        case_number,
        defendant,
        actor,
        role,
        agency,
        as_json,
        sufficient=sufficient,
        reasoning=reasoning,
        at=at,
    )


@app.command("prosecute")
def prosecute(
    case_number: CaseArg,
    defendant: DefOpt,
    actor: ActorOpt,
    role: RoleOpt,
    agency: AgencyOpt,
    evidence: EvidenceOpt = None,
    at: AtOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Decide to prosecute, citing the evidence relied on (CPL 176; never excluded items)."""
    _act(
        lifecycle.decide_prosecution,
        case_number,
        defendant,
        actor,
        role,
        agency,
        as_json,
        prosecute=True,
        evidence=evidence,
        at=at,
    )


@app.command("not-prosecute")
def not_prosecute(
    case_number: CaseArg,
    defendant: DefOpt,
    actor: ActorOpt,
    role: RoleOpt,
    agency: AgencyOpt,
    ground: Annotated[str, typer.Option(help="no_crime, insufficient_evidence or minor.")],
    at: AtOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Decide not to prosecute, on its ground (CPL 175(4), 177)."""
    _act(
        lifecycle.decide_prosecution,
        case_number,
        defendant,
        actor,
        role,
        agency,
        as_json,
        prosecute=False,
        ground=ground,
        at=at,
    )


@app.command("procedure")
def procedure(
    case_number: CaseArg,
    defendant: DefOpt,
    actor: ActorOpt,
    role: RoleOpt,
    agency: AgencyOpt,
    procedure: Annotated[str, typer.Option(help="fast_track, summary or ordinary.")],
    court_level: Annotated[str, typer.Option(help="basic, intermediate, high, supreme.")] = "basic",
    expected_months: Annotated[
        int | None, typer.Option(help="Sentence the court expects, in months.")
    ] = None,
    facts_clear: Annotated[
        bool | None,
        typer.Option("--facts-clear/--facts-unclear", help="Facts clear, evidence sufficient."),
    ] = None,
    pleaded: Annotated[
        bool | None,
        typer.Option("--pleaded/--not-pleaded", help="Admits guilt and accepts punishment."),
    ] = None,
    admits: Annotated[
        bool | None,
        typer.Option("--admits/--denies", help="Admits the crime, does not dispute the facts."),
    ] = None,
    agrees: Annotated[
        bool | None, typer.Option("--agrees/--objects", help="Agrees to the procedure.")
    ] = None,
    minor: Annotated[bool | None, typer.Option("--minor/--adult", help="Minor at trial.")] = None,
    disability: Annotated[
        bool, typer.Option(help="Blind, deaf, mute or limited capacity.")
    ] = False,
    major_social_impact: Annotated[bool, typer.Option()] = False,
    codefendant_dispute: Annotated[bool, typer.Option()] = False,
    civil_compensation_unsettled: Annotated[bool, typer.Option()] = False,
    defender_pleads_not_guilty: Annotated[bool, typer.Option()] = False,
    at: AtOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Choose the trial procedure; its legal conditions are checked (CPL 214-215, 222-223)."""
    facts = trial.ProcedureFacts(
        court_level=court_level,
        expected_sentence_months=expected_months,
        facts_clear_evidence_sufficient=facts_clear,
        pleaded=pleaded,
        admits_crime=admits,
        agrees_to_procedure=agrees,
        minor=minor,
        disability=disability,
        major_social_impact=major_social_impact,
        codefendant_dispute=codefendant_dispute,
        civil_compensation_unsettled=civil_compensation_unsettled,
        defender_pleads_not_guilty=defender_pleads_not_guilty,
    )
    _act(
        trial.assign_procedure,
        case_number,
        defendant,
        actor,
        role,
        agency,
        as_json,
        procedure=procedure,
        facts=facts,
        at=at,
    )


@app.command("convert")
def convert(
    case_number: CaseArg,
    defendant: DefOpt,
    actor: ActorOpt,
    role: RoleOpt,
    agency: AgencyOpt,
    to: Annotated[str, typer.Option(help="summary or ordinary.")],
    ground: Annotated[str, typer.Option(help="Why the procedure changes.")],
    at: AtOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Convert the trial to a fuller procedure (CPL 221, 226)."""
    _act(
        trial.convert_procedure,
        case_number,
        defendant,
        actor,
        role,
        agency,
        as_json,
        to=to,
        ground=ground,
        at=at,
    )


@app.command("judge")
def judge(
    case_number: CaseArg,
    defendant: DefOpt,
    actor: ActorOpt,
    role: RoleOpt,
    agency: AgencyOpt,
    verdict: Annotated[str, typer.Option(help="convicted, acquitted or exempted.")],
    penalty: Annotated[
        str | None,
        typer.Option(help="imprisonment, criminal_detention, public_surveillance, fine_only, ..."),
    ] = None,
    months: Annotated[int | None, typer.Option(help="Term in months.")] = None,
    probation: Annotated[bool, typer.Option(help="Suspended sentence (CL 72).")] = False,
    probation_months: Annotated[
        int | None, typer.Option(help="Probation period in months (CL 73).")
    ] = None,
    fine: Annotated[int | None, typer.Option(help="Fine in yuan.")] = None,
    served_on: Annotated[
        str | None, typer.Option(help="Date the judgment was served; default its date.")
    ] = None,
    evidence: EvidenceOpt = None,
    at: AtOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record the first-instance judgment (CPL 200)."""
    _act(
        trial.render_judgment,
        case_number,
        defendant,
        actor,
        role,
        agency,
        as_json,
        verdict=verdict,
        penalty_type=penalty,
        term_months=months,
        probation=probation,
        probation_months=probation_months,
        fine_yuan=fine,
        served_on=served_on,
        evidence=evidence,
        at=at,
    )


@app.command("appeal")
def appeal(
    case_number: CaseArg,
    defendant: DefOpt,
    actor: ActorOpt,
    role: RoleOpt,
    agency: AgencyOpt,
    kind: Annotated[
        str, typer.Option(help="appeal (defendant) or protest (procuratorate).")
    ] = "appeal",
    at: AtOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record an appeal or protest, within 10 days of service (CPL 230)."""
    _act(trial.file_appeal, case_number, defendant, actor, role, agency, as_json, kind=kind, at=at)


@app.command("appeal-decision")
def appeal_decision(
    case_number: CaseArg,
    defendant: DefOpt,
    actor: ActorOpt,
    role: RoleOpt,
    agency: AgencyOpt,
    outcome: Annotated[str, typer.Option(help="upheld, amended or remanded.")],
    verdict: Annotated[str | None, typer.Option(help="For amended: the new verdict.")] = None,
    penalty: Annotated[str | None, typer.Option(help="For amended: the new penalty type.")] = None,
    months: Annotated[int | None, typer.Option(help="For amended: the new term.")] = None,
    at: AtOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record the second-instance decision (CPL 236); no heavier sentence on the defendant's own
    appeal (CPL 237)."""
    _act(
        trial.decide_appeal,
        case_number,
        defendant,
        actor,
        role,
        agency,
        as_json,
        outcome=outcome,
        verdict=verdict,
        penalty_type=penalty,
        term_months=months,
        at=at,
    )


@app.command("final")
def final(
    case_number: CaseArg,
    defendant: DefOpt,
    actor: ActorOpt,
    role: RoleOpt,
    agency: AgencyOpt,
    at: AtOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record that the judgment took effect after the appeal window (CPL 259)."""
    _act(trial.declare_final, case_number, defendant, actor, role, agency, as_json, at=at)


@app.command("execute")
def execute(
    case_number: CaseArg,
    defendant: DefOpt,
    actor: ActorOpt,
    role: RoleOpt,
    agency: AgencyOpt,
    at: AtOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Deliver the offender for execution of the sentence (CPL 264)."""
    _act(trial.start_execution, case_number, defendant, actor, role, agency, as_json, at=at)


@app.command("extend")
def extend(
    case_number: CaseArg,
    defendant: DefOpt,
    actor: ActorOpt,
    role: RoleOpt,
    agency: AgencyOpt,
    limit: Annotated[str, typer.Option(help="Time limit id, as shown by `case show`.")],
    extension: Annotated[str, typer.Option(help="Extension id from the time-limit data.")],
    approver: Annotated[str, typer.Option(help="Who approved the extension.")],
    at: AtOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record an approved extension of a running time limit."""
    _act(
        lifecycle.extend_deadline,
        case_number,
        defendant,
        actor,
        role,
        agency,
        as_json,
        limit_id=limit,
        extension_id=extension,
        approver=approver,
        at=at,
    )


@app.command("close")
def close(
    case_number: CaseArg,
    actor: ActorOpt,
    role: RoleOpt,
    agency: AgencyOpt,
    reason: Annotated[str, typer.Option(help="no_crime, not_liable, concluded or merged.")],
    note: Annotated[str, typer.Option(help="Explanation kept with the decision.")],
    at: AtOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Close a case with its recorded reason (suspects under investigation are withdrawn)."""
    who = make_actor(actor, role, agency)
    db = open_database()
    case = db.run(
        lambda s: service.close_case(
            s, actor=who, case_number=case_number, reason=reason, note=note, at=at
        )
    )
    emit(
        {"case_number": case.case_number, "status": "closed", "reason": reason},
        as_json,
        lambda r: console.print(f"closed {r['case_number']} ({r['reason']})"),
    )
