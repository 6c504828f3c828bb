"""``caseledger case retrial`` and ``caseledger case withdraw``: thin CLI over the retrial and
withdrawal commands (kept apart from ``commands.py`` to keep each module small)."""

from __future__ import annotations

from typing import Annotated

import typer

from caseledger.case import lifecycle, retrial
from caseledger.case.commands import (
    ActorOpt,
    AgencyOpt,
    AtOpt,
    CaseArg,
    DefOpt,
    RoleOpt,
    _act,
)
from caseledger.clikit import JsonOpt


def retrial_cmd(
    case_number: CaseArg,
    defendant: DefOpt,
    actor: ActorOpt,
    role: RoleOpt,
    agency: AgencyOpt,
    outcome: Annotated[str, typer.Option(help="upheld, amended or acquitted.")],
    initiated_by: Annotated[
        str, typer.Option("--initiated-by", help="petition, court or protest (CPL 252-254).")
    ],
    reason: Annotated[str, typer.Option(help="The reasons of the retrial decision.")],
    verdict: Annotated[str | None, typer.Option(help="For amended: the new verdict.")] = None,
    penalty: Annotated[str | None, typer.Option(help="For amended: the new penalty type.")] = None,
    months: Annotated[int | None, typer.Option(help="For amended: the new term.")] = None,
    probation: Annotated[bool, typer.Option(help="For amended: sentence suspended.")] = False,
    probation_months: Annotated[
        int | None, typer.Option(help="For amended: the probation period.")
    ] = None,
    fine: Annotated[int | None, typer.Option(help="For amended: the fine in yuan.")] = None,
    at: AtOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Retry a final judgment under trial supervision (CPL 252-258): upheld, amended or
    acquitted."""
    _act(
        retrial.decide_retrial,
        case_number,
        defendant,
        actor,
        role,
        agency,
        as_json,
        outcome=outcome,
        initiated_by=initiated_by,
        reason=reason,
        verdict=verdict,
        penalty_type=penalty,
        term_months=months,
        probation=probation,
        probation_months=probation_months,
        fine_yuan=fine,
        at=at,
    )


def withdraw_cmd(
    case_number: CaseArg,
    defendant: DefOpt,
    actor: ActorOpt,
    role: RoleOpt,
    agency: AgencyOpt,
    reason: Annotated[str, typer.Option(help="no_crime, not_liable or merged.")],
    at: AtOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Withdraw the case against one suspect before transfer (CPL 163); the case goes on."""
    _act(
        lifecycle.withdraw_defendant,
        case_number,
        defendant,
        actor,
        role,
        agency,
        as_json,
        reason=reason,
        at=at,
    )
