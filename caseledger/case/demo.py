"""``caseledger demo``: a fresh database filled through the real commands, then a summary.

The sample cases follow the lifecycle of DESIGN.md with realistic intervals inside the legal
time limits: several crimes, detention, arrest approved and refused, non-prosecution on each
ground, fast-track, summary and ordinary trials, an acquittal, appeals and a protest, a case
withdrawn and one still without a suspect. Dates are counted back from today so that some cases
are still running (with their deadlines) and one detention has overrun its limit on purpose.
Deterministic for a given seed and day.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from caseledger import migrate
from caseledger.auth.roles import Role
from caseledger.case import clock, lifecycle, queries, service, trial
from caseledger.case.models import Case, Defendant
from caseledger.clikit import console
from caseledger.config import Settings, get_settings
from caseledger.db import Database
from caseledger.domains import load_all
from caseledger.ledger import checkpoint, keys
from caseledger.ledger import verify as verifier
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


def _scenarios() -> list[Scenario]:
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


@dataclass
class DemoResult:
    database_url: str
    home: str
    cases: int
    defendants: int
    events: int
    by_stage: dict[str, int]
    overdue: int
    checkpoint: int
    verified: bool
    sample_case: str


def build(db: Database, *, today: dt.date, seed: int = 7, recordings: Path | None = None) -> None:
    """Fill ``db`` with the sample cases through the service commands."""
    rng = random.Random(seed)
    scenarios = _scenarios()
    copies = 2  # each scenario twice, at different ages, for a few dozen cases
    for copy in range(copies):
        for i, sc in enumerate(scenarios):
            total = sum(step[0] for step in sc.steps) + 3
            start = today - dt.timedelta(days=total + rng.randint(5, 60) + copy * 40)
            if "overdue" in sc.tags:
                start = today - dt.timedelta(days=8 + copy)
            _run(db, sc, start, today, rng, (i + copy) % 2 == 1)
    if recordings is not None:
        _evidence_case(db, today, rng, recordings)
    # A report with no suspect identified yet: registered all the same (seed 000).
    db.run(
        lambda s: service.register_case(
            s,
            actor=POLICE_2,
            reported_on=today - dt.timedelta(days=4),
            summary="night-time break-in at a warehouse, suspect unknown",
            at=today - dt.timedelta(days=3),
        )
    )
    # A report that turned out not to be a crime: the case is closed with its reason.
    number = db.run(
        lambda s: (
            service.register_case(
                s,
                actor=POLICE_2,
                reported_on=today - dt.timedelta(days=40),
                summary="reported theft of a wallet",
                at=today - dt.timedelta(days=40),
                defendants=[
                    service.NewDefendant(name=_name(rng), age_at_offence=41, charges=["theft"])
                ],
            ).case_number
        )
    )
    db.run(
        lambda s: service.close_case(
            s,
            actor=POLICE_2,
            case_number=number,
            reason="no_crime",
            note="the wallet was found at the complainant's home",
            at=today - dt.timedelta(days=30),
        )
    )


def _name(rng: random.Random) -> str:
    return (
        rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
    )


def _run(
    db: Database, sc: Scenario, start: dt.date, today: dt.date, rng: random.Random, alt: bool
) -> None:
    age = sc.age + (rng.randint(0, 25) if alt else 0)
    people = [
        service.NewDefendant(name=_name(rng), age_at_offence=age, charges=[sc.crime])
        for _ in range(1 + sc.extra_defendants)
    ]
    number = db.run(
        lambda s: (
            service.register_case(
                s,
                actor=POLICE,
                reported_on=start - dt.timedelta(days=1),
                summary=sc.summary,
                at=start,
                defendants=people,
            ).case_number
        )
    )
    day = start
    for gap, fn, kwargs in sc.steps:
        day = day + dt.timedelta(days=gap)
        if day > today:
            return
        for no in range(1, len(people) + 1):
            db.run(
                lambda s, fn=fn, kwargs=kwargs, no=no, day=day: fn(
                    s, case_number=number, defendant_no=no, at=day, **kwargs
                )
            )


def _evidence_case(db: Database, today: dt.date, rng: random.Random, root: Path) -> None:
    """A robbery whose recorded interrogation stands and whose other confession is excluded."""
    import io

    from caseledger.evidence import items, service
    from caseledger.evidence.recordings import RecordingStore

    start = today - dt.timedelta(days=70)
    number = db.run(lambda s: service_register(s, start, rng))
    db.run(
        lambda s: lifecycle.impose_measure(
            s,
            actor=POLICE,
            case_number=number,
            defendant_no=1,
            measure="criminal_detention",
            at=start,
        )
    )
    store = RecordingStore(root)
    # A stand-in for the video file: the demo stores a small synthetic file, never a real one.
    video = rng.randbytes(256 * 1024)
    sha = store.ingest(io.BytesIO(video)).sha256
    db.run(
        lambda s: service.register_recording(
            s,
            actor=POLICE,
            store=store,
            case_number=number,
            defendant_no=1,
            sha256=sha,
            media_type="video/mp4",
            duration_seconds=5400,
            purpose="interrogation",
            participants=[{"role": "investigator", "id": POLICE.id}],
            at=start,
        )
    )
    for kwargs in (
        {
            "category": "defendant_statement",
            "description": "recorded first interrogation",
            "method": "interrogation in the detention centre",
            "recording_sha256": sha,
        },
        {
            "category": "defendant_statement",
            "description": "statement taken in a police car",
            "method": "questioning outside the detention centre",
        },
        {
            "category": "victim_statement",
            "description": "the rider's statement",
            "method": "hospital interview",
        },
    ):
        db.run(
            lambda s, kwargs=kwargs: items.collect(
                s,
                actor=POLICE,
                case_number=number,
                defendant_no=1,
                at=start + dt.timedelta(days=1),
                **kwargs,
            )
        )
    steps = [
        (lifecycle.request_arrest, POLICE, {}, 2),
        (lifecycle.decide_arrest, PROSECUTOR, {"approved": True}, 6),
        (lifecycle.transfer_for_prosecution, POLICE, {}, 40),
        (
            items.challenge,
            COUNSEL,
            {
                "item_no": 2,
                "ground": "the defendant says he was beaten in the police car; no recording exists",
            },
            42,
        ),
        (
            items.decide_exclusion,
            PROSECUTOR,
            {
                "item_no": 2,
                "excluded": True,
                "stage": "prosecution_review",
                "ground": "illegal methods cannot be ruled out (SPC-CPL-Interp art 74)",
            },
            50,
        ),
        (
            lifecycle.assess_evidence,
            PROSECUTOR,
            {
                "sufficient": True,
                "reasoning": "the recorded confession, the rider's statement and CCTV",
            },
            54,
        ),
        (lifecycle.decide_prosecution, PROSECUTOR, {"prosecute": True, "evidence": [1, 3]}, 55),
    ]
    for fn, actor, kwargs, offset in steps:
        db.run(
            lambda s, fn=fn, actor=actor, kwargs=kwargs, offset=offset: fn(
                s,
                actor=actor,
                case_number=number,
                defendant_no=1,
                at=start + dt.timedelta(days=offset),
                **kwargs,
            )
        )


def service_register(session, start: dt.date, rng: random.Random) -> str:  # type: ignore[no-untyped-def]
    return service.register_case(
        session,
        actor=POLICE,
        reported_on=start,
        at=start,
        summary="armed robbery of a delivery rider; the rider was seriously injured",
        defendants=[service.NewDefendant(name=_name(rng), age_at_offence=27, charges=["robbery"])],
    ).case_number


def run_demo(settings: Settings | None = None, *, today: dt.date | None = None) -> DemoResult:
    """Build the demo under ``CASELEDGER_HOME/demo`` (replacing any earlier demo)."""
    load_all()
    settings = settings or get_settings()
    home = settings.home / "demo"
    if home.exists():
        shutil.rmtree(home)
    home.mkdir(parents=True)
    url = f"sqlite:///{(home / 'caseledger.db').resolve()}"
    db = Database(url)
    migrate.upgrade(db.engine)
    key_path = home / "keys" / "checkpoint-ed25519.pem"
    keys.load_or_create_private(key_path)
    today = today or clock.today()
    build(db, today=today, recordings=home / "recordings")
    ckpt = db.run(lambda s: checkpoint.create(s, key_path=key_path, out_dir=home / "checkpoints"))
    with db.read() as s:
        report = verifier.verify(s, key_path=key_path, checkpoint_dir=home / "checkpoints")
        stages = dict(
            s.execute(select(Defendant.stage, func.count()).group_by(Defendant.stage)).all()
        )
        cases = s.execute(select(func.count()).select_from(Case)).scalar_one()
        defendants = sum(stages.values())
        late = queries.overdue(s, as_of=today)
        sample = s.execute(
            select(Case.case_number).order_by(Case.registered_on, Case.case_number).limit(1)
        ).scalar_one()
    db.dispose()
    return DemoResult(
        url,
        str(home.resolve()),
        cases,
        defendants,
        report.events,
        dict(sorted(stages.items())),
        len(late),
        ckpt.id,
        report.ok,
        sample,
    )


def render(r: DemoResult) -> None:
    console.print(
        f"[bold]caseledger demo[/]: {r.cases} cases, {r.defendants} defendants, "
        f"{r.events} hash-chained events"
    )
    for stage, n in r.by_stage.items():
        console.print(f"  {stage:<28} {n}")
    console.print(
        f"time limits passed: {r.overdue}; checkpoint #{r.checkpoint} signed; "
        f"verify: {'OK' if r.verified else 'BROKEN'}"
    )
    console.print("\nTry it (the demo has its own database and data directory):")
    console.print(f"  export CASELEDGER_DATABASE_URL={r.database_url}")
    console.print(f"  export CASELEDGER_HOME={r.home}")
    console.print(f"  caseledger case show {r.sample_case}")
    console.print("  caseledger case list")
    console.print("  caseledger overdue")
    console.print("  caseledger verify")
    console.print("  caseledger crimes")
    console.print(
        "  CASELEDGER_ACTOR=police-0417 CASELEDGER_ROLE=investigator "
        "CASELEDGER_AGENCY=PSB110105 caseledger case register --reported-on "
        f"{dt.date.today()} --summary 'bicycle stolen' --defendant 张三 --charge theft"
    )
