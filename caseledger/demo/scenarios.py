"""The sample lifecycles of the demo: actors, and one scenario per kind of case.

Each scenario is a crime, a summary and a list of (days after the previous act, command,
arguments); the builder runs them through the real service commands.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from caseledger.auth.roles import Role
from caseledger.case import lifecycle, trial
from caseledger.ledger.envelope import Actor

POLICE = Actor("police-0417", Role.investigator, "PSB110105")
POLICE_2 = Actor("police-0932", Role.investigator, "PSB110108")
PROSECUTOR = Actor("pros-0211", Role.prosecutor, "PRO110105")
JUDGE = Actor("judge-0058", Role.judge, "CRT110105")
APPEAL_JUDGE = Actor("judge-1203", Role.judge, "CRT110100")
COUNSEL = Actor("lawyer-7781", Role.defence_counsel, "BAR110000")

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超"]

Step = tuple[int, Callable[..., Any], dict[str, Any]]
SUFFICIENT = "facts clear; evidence reliable and sufficient (CPL art 55)"


@dataclass
class Scenario:
    crime: str
    summary: str
    steps: list[Step]
    age: int = 30
    extra_defendants: int = 0
    tags: list[str] = field(default_factory=list)


def _fast_track(months: int, penalty: str = "imprisonment", probation: bool = False) -> list[Step]:
    facts = trial.ProcedureFacts(
        expected_sentence_months=months,
        facts_clear_evidence_sufficient=True,
        pleaded=True,
        admits_crime=True,
        agrees_to_procedure=True,
    )
    judgment: dict[str, Any] = {
        "verdict": "convicted",
        "penalty_type": penalty,
        "term_months": months,
    }
    if probation:
        judgment.update(
            probation=True, probation_months=max(12 if penalty == "imprisonment" else 2, months)
        )
    return [
        (2, trial.assign_procedure, {"procedure": "fast_track", "facts": facts, "actor": JUDGE}),
        (7, trial.render_judgment, {**judgment, "actor": JUDGE}),
        (12, trial.declare_final, {"actor": JUDGE}),
        (3, trial.start_execution, {"actor": JUDGE}),
    ]


def scenarios() -> list[Scenario]:
    P, PR, J = POLICE, PROSECUTOR, JUDGE
    detain = (0, lifecycle.impose_measure, {"measure": "criminal_detention", "actor": P})
    bail = (1, lifecycle.impose_measure, {"measure": "bail", "actor": P})
    transfer = (25, lifecycle.transfer_for_prosecution, {"actor": P})
    assess = (
        15,
        lifecycle.assess_evidence,
        {"sufficient": True, "actor": PR, "reasoning": SUFFICIENT},
    )
    prosecute = (5, lifecycle.decide_prosecution, {"prosecute": True, "actor": PR})
    request = (3, lifecycle.request_arrest, {"actor": P})
    approve = (6, lifecycle.decide_arrest, {"approved": True, "actor": PR})
    ordinary = trial.ProcedureFacts(court_level="basic")
    summary_facts = trial.ProcedureFacts(
        facts_clear_evidence_sufficient=True,
        admits_crime=True,
        agrees_to_procedure=True,
        expected_sentence_months=10,
    )
    out: list[Scenario] = []
    for months in (2, 3, 4):
        out.append(
            Scenario(
                "dangerous_driving",
                "drunk driving stopped at a checkpoint, blood alcohol 182 mg/100 ml",
                [
                    bail,
                    (20, lifecycle.transfer_for_prosecution, {"actor": P}),
                    (
                        4,
                        lifecycle.assess_evidence,
                        {"sufficient": True, "actor": PR, "reasoning": SUFFICIENT},
                    ),
                    (4, lifecycle.decide_prosecution, {"prosecute": True, "actor": PR}),
                    *_fast_track(months, "criminal_detention", probation=months == 2),
                ],
            )
        )
    for months in (8, 10):
        out.append(
            Scenario(
                "theft",
                "pickpocketing on bus line 52, phone worth 4,800 yuan",
                [
                    detain,
                    (2, lifecycle.release, {"reason": "bail granted", "actor": P}),
                    bail,
                    transfer,
                    assess,
                    prosecute,
                    *_fast_track(months, probation=months == 8),
                ],
            )
        )
    out.append(
        Scenario(
            "helping_information_network_crime",
            "sold four bank cards used to launder telecom-fraud proceeds",
            [
                detain,
                request,
                approve,
                (55, lifecycle.transfer_for_prosecution, {"actor": P}),
                assess,
                prosecute,
                *_fast_track(12),
            ],
            age=22,
        )
    )
    out.append(
        Scenario(
            "fraud",
            "online investment fraud, 36 victims, 1.2 million yuan",
            [
                detain,
                (25, lifecycle.request_arrest, {"actor": P}),
                approve,
                (58, lifecycle.transfer_for_prosecution, {"actor": P}),
                (
                    25,
                    lifecycle.return_for_supplementary_investigation,
                    {"reason": "trace the flow of funds", "actor": PR},
                ),
                (28, lifecycle.resubmit, {"actor": P}),
                assess,
                prosecute,
                (
                    3,
                    trial.assign_procedure,
                    {"procedure": "ordinary", "facts": ordinary, "actor": J},
                ),
                (
                    50,
                    trial.render_judgment,
                    {
                        "verdict": "convicted",
                        "penalty_type": "imprisonment",
                        "term_months": 126,
                        "fine_yuan": 200000,
                        "actor": J,
                    },
                ),
                (6, trial.file_appeal, {"kind": "appeal", "actor": COUNSEL}),
                (45, trial.decide_appeal, {"outcome": "upheld", "actor": APPEAL_JUDGE}),
                (5, trial.start_execution, {"actor": J}),
            ],
            extra_defendants=1,
        )
    )
    out.append(
        Scenario(
            "intentional_injury",
            "fight outside a restaurant, one victim with a fractured skull",
            [
                detain,
                request,
                (
                    6,
                    lifecycle.decide_arrest,
                    {
                        "approved": False,
                        "ground": "no_necessity",
                        "then_measure": "bail",
                        "actor": PR,
                    },
                ),
                transfer,
                assess,
                prosecute,
                (
                    3,
                    trial.assign_procedure,
                    {"procedure": "summary", "facts": summary_facts, "actor": J},
                ),
                (
                    15,
                    trial.render_judgment,
                    {
                        "verdict": "convicted",
                        "penalty_type": "imprisonment",
                        "term_months": 10,
                        "probation": True,
                        "probation_months": 12,
                        "actor": J,
                    },
                ),
                (12, trial.declare_final, {"actor": J}),
                (3, trial.start_execution, {"actor": J}),
            ],
        )
    )
    out.append(
        Scenario(
            "intentional_injury",
            "assault at a construction site; the accused denies being present",
            [
                detain,
                request,
                approve,
                transfer,
                assess,
                prosecute,
                (
                    3,
                    trial.assign_procedure,
                    {"procedure": "ordinary", "facts": ordinary, "actor": J},
                ),
                (55, trial.render_judgment, {"verdict": "acquitted", "actor": J}),
                (12, trial.declare_final, {"actor": J}),
            ],
            tags=["acquittal"],
        )
    )
    out.append(
        Scenario(
            "robbery",
            "robbery of a delivery rider at knifepoint",
            [
                detain,
                request,
                approve,
                transfer,
                assess,
                prosecute,
                (
                    3,
                    trial.assign_procedure,
                    {"procedure": "ordinary", "facts": ordinary, "actor": J},
                ),
                (
                    45,
                    trial.render_judgment,
                    {
                        "verdict": "convicted",
                        "penalty_type": "imprisonment",
                        "term_months": 54,
                        "actor": J,
                    },
                ),
                (8, trial.file_appeal, {"kind": "appeal", "actor": COUNSEL}),
                (
                    40,
                    trial.decide_appeal,
                    {
                        "outcome": "amended",
                        "verdict": "convicted",
                        "penalty_type": "imprisonment",
                        "term_months": 42,
                        "actor": APPEAL_JUDGE,
                    },
                ),
                (4, trial.start_execution, {"actor": J}),
            ],
            age=19,
        )
    )
    out.append(
        Scenario(
            "drug_trafficking",
            "sold 12 g of methamphetamine to an undercover officer",
            [
                detain,
                request,
                approve,
                transfer,
                assess,
                prosecute,
                (
                    3,
                    trial.assign_procedure,
                    {"procedure": "ordinary", "facts": ordinary, "actor": J},
                ),
                (
                    40,
                    trial.render_judgment,
                    {
                        "verdict": "convicted",
                        "penalty_type": "imprisonment",
                        "term_months": 36,
                        "actor": J,
                    },
                ),
                (7, trial.file_appeal, {"kind": "protest", "actor": PR}),
                (
                    50,
                    trial.decide_appeal,
                    {
                        "outcome": "amended",
                        "verdict": "convicted",
                        "penalty_type": "imprisonment",
                        "term_months": 90,
                        "actor": APPEAL_JUDGE,
                    },
                ),
            ],
        )
    )
    out.append(
        Scenario(
            "picking_quarrels",
            "harassed stall owners at a night market",
            [
                bail,
                transfer,
                (
                    12,
                    lifecycle.assess_evidence,
                    {"sufficient": True, "reasoning": SUFFICIENT, "actor": PR},
                ),
                (
                    3,
                    lifecycle.decide_prosecution,
                    {"prosecute": False, "ground": "minor", "actor": PR},
                ),
            ],
        )
    )
    out.append(
        Scenario(
            "theft",
            "suspected theft of a bicycle; owner later found it",
            [
                bail,
                transfer,
                (
                    7,
                    lifecycle.assess_evidence,
                    {
                        "sufficient": True,
                        "reasoning": "the facts are proven but the bicycle was never taken",
                        "actor": PR,
                    },
                ),
                (
                    3,
                    lifecycle.decide_prosecution,
                    {"prosecute": False, "ground": "no_crime", "actor": PR},
                ),
            ],
        )
    )
    out.append(
        Scenario(
            "opening_casino",
            "ran a mahjong gambling den in a rented flat",
            [
                detain,
                request,
                approve,
                transfer,
                (
                    25,
                    lifecycle.return_for_supplementary_investigation,
                    {"reason": "identify the gamblers", "actor": PR},
                ),
                (28, lifecycle.resubmit, {"actor": P}),
                (
                    25,
                    lifecycle.return_for_supplementary_investigation,
                    {"reason": "bank records of the stakes", "actor": PR},
                ),
                (28, lifecycle.resubmit, {"actor": P}),
                (
                    17,
                    lifecycle.assess_evidence,
                    {
                        "sufficient": False,
                        "reasoning": "no witness or record links the suspect to the stakes "
                        "after two supplementary investigations",
                        "actor": PR,
                    },
                ),
                (
                    3,
                    lifecycle.decide_prosecution,
                    {"prosecute": False, "ground": "insufficient_evidence", "actor": PR},
                ),
            ],
        )
    )
    out.append(
        Scenario(
            "traffic_accident",
            "collision at a crossing, one pedestrian killed",
            [
                bail,
                transfer,
                assess,
                prosecute,
                (
                    3,
                    trial.assign_procedure,
                    {"procedure": "summary", "facts": summary_facts, "actor": J},
                ),
                (
                    12,
                    trial.convert_procedure,
                    {
                        "to": "ordinary",
                        "ground": "the defendant now disputes the facts",
                        "actor": J,
                    },
                ),
                (
                    40,
                    trial.render_judgment,
                    {
                        "verdict": "convicted",
                        "penalty_type": "imprisonment",
                        "term_months": 30,
                        "probation": True,
                        "probation_months": 36,
                        "actor": J,
                    },
                ),
            ],
        )
    )
    out.append(
        Scenario(
            "theft",
            "burglary of a ground-floor flat",
            [detain, request, approve, (20, lifecycle.transfer_for_prosecution, {"actor": P})],
        )
    )
    out.append(Scenario("fraud", "fake ticket sales on a second-hand platform", [detain, request]))
    out.append(
        Scenario(
            "theft",
            "shoplifting; detained, arrest request not yet sent",
            [detain],
            tags=["overdue"],
        )
    )
    return out


def person_name(rng: random.Random) -> str:
    return (
        rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
    )
