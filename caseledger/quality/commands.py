"""``caseledger quality ...``: record and list case-quality reviews (thin over the service)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from caseledger.case.commands import ActorOpt, AgencyOpt, AtOpt, CaseArg, DefOpt, RoleOpt
from caseledger.case.service import get_case_defendant
from caseledger.clikit import JsonOpt, console, emit
from caseledger.context import make_actor, open_database
from caseledger.quality import service

app = typer.Typer(help="Case-quality reviews of individual cases.", no_args_is_help=True)


@app.command("review")
def review(
    case_number: CaseArg,
    defendant: DefOpt,
    actor: ActorOpt,
    role: RoleOpt,
    agency: AgencyOpt,
    grade: Annotated[str, typer.Option(help="excellent, qualified, flawed or unqualified.")],
    reason: Annotated[str, typer.Option(help="The reasons for the grade.")],
    at: AtOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Grade the handling of one defendant's case, with reasons (a quality_officer's act)."""
    who = make_actor(actor, role, agency)
    db = open_database()

    def work(session):  # type: ignore[no-untyped-def]
        service.review_case(
            session,
            actor=who,
            case_number=case_number,
            defendant_no=defendant,
            grade=grade,
            reason=reason,
            at=at,
        )
        return {"case_number": case_number, "defendant_no": defendant, "grade": grade}

    emit(
        db.run(work),
        as_json,
        lambda r: console.print(
            f"{r['case_number']} defendant {r['defendant_no']}: reviewed, [bold]{r['grade']}[/]"
        ),
    )


@app.command("reviews")
def reviews(case_number: CaseArg, defendant: DefOpt, as_json: JsonOpt = False) -> None:
    """Every review of one defendant's case, oldest first."""
    db = open_database()
    with db.read() as s:
        _case, d = get_case_defendant(s, case_number, defendant)
        rows: list[dict[str, Any]] = [
            {
                "reviewed_on": r.reviewed_on.isoformat(),
                "grade": r.grade,
                "reason": r.reason,
                "reviewer": r.reviewer_id,
                "agency": r.agency_code,
            }
            for r in service.reviews_of(s, d)
        ]

    def render(items: list[dict[str, Any]]) -> None:
        if not items:
            console.print("no reviews")
        for r in items:
            console.print(
                f"{r['reviewed_on']}  [bold]{r['grade']}[/]  by {r['reviewer']} ({r['agency']}): "
                f"{r['reason']}",
                highlight=False,
            )

    emit(rows, as_json, render)
