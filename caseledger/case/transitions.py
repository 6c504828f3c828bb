"""The defendant state machine: one explicit table of legal acts and the stages they move between.

Commands look up their act here before anything else; the projector applies the same table, so
a stage can only ever be reached through a row of it. The table says which stage an act may
start from, which stage it leads to, who may perform it and which article allows it.
"""

from __future__ import annotations

from dataclasses import dataclass

from caseledger.auth.roles import Role
from caseledger.case.enums import Stage
from caseledger.errors import PermissionDenied, TransitionNotAllowed

S = Stage


@dataclass(frozen=True)
class Act:
    name: str
    sources: frozenset[Stage]
    roles: frozenset[Role]
    basis: str
    description: str


def _act(name: str, sources: set[Stage], roles: set[Role], basis: str, description: str) -> Act:
    return Act(name, frozenset(sources), frozenset(roles), basis, description)


_PRE_JUDGMENT = {
    S.investigation,
    S.arrest_review,
    S.prosecution_review,
    S.supplementary_investigation,
    S.awaiting_trial,
    S.trial,
}
_POLICE = {Role.investigator}
_PROSECUTOR = {Role.prosecutor}
_COURT = {Role.judge}

ACTS: dict[str, Act] = {
    a.name: a
    for a in [
        _act(
            "add_defendant",
            {S.investigation},
            _POLICE | _PROSECUTOR,
            "CPL art 109-112",
            "identify a suspect in a registered case",
        ),
        _act(
            "add_charge",
            {S.investigation, S.arrest_review, S.prosecution_review, S.supplementary_investigation},
            _POLICE | _PROSECUTOR,
            "CPL art 115, 176",
            "record a suspected crime",
        ),
        _act(
            "impose_detention",
            {S.investigation, S.supplementary_investigation},
            _POLICE,
            "CPL art 82",
            "place under criminal detention",
        ),
        _act(
            "impose_bail",
            _PRE_JUDGMENT,
            _POLICE | _PROSECUTOR | _COURT,
            "CPL art 66-67",
            "grant bail pending trial",
        ),
        _act(
            "impose_surveillance",
            _PRE_JUDGMENT,
            _POLICE | _PROSECUTOR | _COURT,
            "CPL art 74",
            "place under residential surveillance",
        ),
        _act(
            "release",
            _PRE_JUDGMENT | {S.judged, S.appeal},
            _POLICE | _PROSECUTOR | _COURT,
            "CPL art 96-99",
            "end the current compulsory measure",
        ),
        _act(
            "request_arrest",
            {S.investigation},
            _POLICE,
            "CPL art 87, 91",
            "ask the procuratorate to approve arrest",
        ),
        _act(
            "decide_arrest",
            {S.arrest_review},
            _PROSECUTOR,
            "CPL art 88-91",
            "approve or refuse the arrest",
        ),
        _act(
            "transfer_for_prosecution",
            {S.investigation},
            _POLICE,
            "CPL art 162",
            "transfer the case for prosecution review",
        ),
        _act(
            "return_for_supplementary_investigation",
            {S.prosecution_review},
            _PROSECUTOR,
            "CPL art 175(2)",
            "return the case for supplementary investigation",
        ),
        _act(
            "resubmit",
            {S.supplementary_investigation},
            _POLICE,
            "CPL art 175(3)",
            "send the case back after supplementary investigation",
        ),
        _act(
            "assess_evidence",
            {S.prosecution_review},
            _PROSECUTOR,
            "CPL art 55, 171, 176",
            "record whether the evidence is reliable and sufficient",
        ),
        _act(
            "decide_prosecution",
            {S.prosecution_review},
            _PROSECUTOR,
            "CPL art 176-177",
            "prosecute or decide not to prosecute",
        ),
        _act(
            "assign_procedure",
            {S.awaiting_trial},
            _COURT,
            "CPL art 214, 222",
            "choose the trial procedure",
        ),
        _act(
            "convert_procedure",
            {S.trial},
            _COURT,
            "CPL art 221, 226",
            "convert to another trial procedure",
        ),
        _act(
            "render_judgment", {S.trial}, _COURT, "CPL art 200", "give the first-instance judgment"
        ),
        _act(
            "file_appeal",
            {S.judged},
            {Role.judge, Role.defence_counsel, Role.prosecutor},
            "CPL art 227-230",
            "record an appeal or a protest",
        ),
        _act("decide_appeal", {S.appeal}, _COURT, "CPL art 236", "decide the appeal"),
        _act(
            "declare_final",
            {S.judged},
            _COURT,
            "CPL art 259",
            "record that the judgment took effect",
        ),
        _act(
            "start_execution",
            {S.final},
            _COURT,
            "CPL art 264",
            "deliver the offender for execution",
        ),
        _act(
            "decide_retrial",
            {S.final, S.executing},
            _COURT,
            "CPL art 252-258",
            "retry a final judgment (trial supervision)",
        ),
        _act(
            "withdraw",
            {S.investigation, S.arrest_review, S.supplementary_investigation},
            _POLICE,
            "CPL art 163",
            "withdraw the case against this person",
        ),
    ]
}


def check(act_name: str, stage: Stage, role: Role, **context: object) -> Act:
    """Refuse an act the current stage or the actor's role does not allow."""
    act = ACTS[act_name]
    if role not in act.roles and role is not Role.system:
        raise PermissionDenied(
            f"{act.description}: not an act of a {role.value}",
            rule=act.basis,
            allowed_roles=",".join(sorted(r.value for r in act.roles)),
            **context,
        )
    if stage not in act.sources:
        raise TransitionNotAllowed(
            f"cannot {act.description} while the defendant is at stage '{stage.value}'",
            rule=act.basis,
            allowed_from=",".join(sorted(s.value for s in act.sources)),
            **context,
        )
    return act
