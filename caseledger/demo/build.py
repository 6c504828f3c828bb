"""``caseledger demo``: a fresh database filled through the real commands, then a summary.

The sample cases follow the lifecycle of DESIGN.md with realistic intervals inside the legal
time limits: several crimes, detention, arrest approved and refused, non-prosecution on each
ground, fast-track, summary and ordinary trials, an acquittal, appeals and a protest, a case
withdrawn and one still without a suspect, evidence with a recorded interrogation and an
excluded confession, and plea cases (see :mod:`caseledger.demo.plea`). Dates are counted back
from today so that some cases are still running (with their deadlines) and one detention has
overrun its limit on purpose. Deterministic for a given seed and day.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from caseledger import migrate
from caseledger.case import clock, queries, service
from caseledger.case.models import Case, Defendant
from caseledger.clikit import console
from caseledger.config import Settings, get_settings
from caseledger.db import Database
from caseledger.demo import synthetic as synthetic_part
from caseledger.demo.evidence import evidence_case
from caseledger.demo.plea import build_plea_cases
from caseledger.demo.scenarios import POLICE, POLICE_2, Scenario, person_name, scenarios
from caseledger.demo.synthetic import SyntheticPart
from caseledger.domains import load_all
from caseledger.ledger import checkpoint, keys
from caseledger.ledger import verify as verifier
from caseledger.plea.models import Plea


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
    pleas: dict[str, int]
    synthetic: SyntheticPart | None = None


def build(db: Database, *, today: dt.date, seed: int = 7, recordings: Path | None = None) -> None:
    """Fill ``db`` with the sample cases through the service commands."""
    rng = random.Random(seed)
    all_scenarios = scenarios()
    copies = 2  # each scenario twice, at different ages, for a few dozen cases
    for copy in range(copies):
        for i, sc in enumerate(all_scenarios):
            total = sum(step[0] for step in sc.steps) + 3
            start = today - dt.timedelta(days=total + rng.randint(5, 60) + copy * 40)
            if "overdue" in sc.tags:
                start = today - dt.timedelta(days=8 + copy)
            _run(db, sc, start, today, rng, (i + copy) % 2 == 1)
    if recordings is not None:
        evidence_case(db, today, rng, recordings)
        build_plea_cases(db, today, rng, recordings)
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
                    service.NewDefendant(
                        name=person_name(rng), age_at_offence=41, charges=["theft"]
                    )
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


def _run(
    db: Database, sc: Scenario, start: dt.date, today: dt.date, rng: random.Random, alt: bool
) -> None:
    age = sc.age + (rng.randint(0, 25) if alt else 0)
    people = [
        service.NewDefendant(name=person_name(rng), age_at_offence=age, charges=[sc.crime])
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


def run_demo(
    settings: Settings | None = None,
    *,
    today: dt.date | None = None,
    synthetic: int = synthetic_part.DEFENDANTS,
) -> DemoResult:
    """Build the demo under ``CASELEDGER_HOME/demo`` (replacing any earlier demo): the sample
    cases, then ``synthetic`` generated defendants through the ledger, exported into the demo's
    warehouse (none when 0)."""
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
    with db.read() as s:  # the sample cases (before the synthetic part)
        stages = dict(
            s.execute(select(Defendant.stage, func.count()).group_by(Defendant.stage)).all()
        )
        cases = s.execute(select(func.count()).select_from(Case)).scalar_one()
        defendants = sum(stages.values())
        late = queries.overdue(s, as_of=today)
        pleas = dict(s.execute(select(Plea.status, func.count()).group_by(Plea.status)).all())
        sample = s.execute(
            select(Case.case_number).order_by(Case.registered_on, Case.case_number).limit(1)
        ).scalar_one()
    part = synthetic_part.add(db, home, defendants=synthetic, today=today) if synthetic else None
    ckpt = db.run(lambda s: checkpoint.create(s, key_path=key_path, out_dir=home / "checkpoints"))
    with db.read() as s:
        report = verifier.verify(s, key_path=key_path, checkpoint_dir=home / "checkpoints")
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
        dict(sorted(pleas.items())),
        part,
    )


def render(r: DemoResult) -> None:
    console.print(
        f"[bold]caseledger demo[/]: {r.cases} sample cases, {r.defendants} defendants; "
        f"{r.events:,} hash-chained events in the ledger"
    )
    for stage, n in r.by_stage.items():
        console.print(f"  {stage:<28} {n}")
    console.print("plea procedures: " + ", ".join(f"{n} {status}" for status, n in r.pleas.items()))
    if r.synthetic is not None:
        p = r.synthetic
        console.print(
            f"synthetic: {p.defendants:,} generated defendants of {p.first_year} ({p.cases:,} "
            f"cases, {p.events:,} events, every plant) recorded through the same commands and "
            f"exported with the sample cases to {p.warehouse} in {p.seconds:.0f} s",
            highlight=False,
        )
    console.print(
        f"time limits passed: {r.overdue}; checkpoint #{r.checkpoint} signed over every chain; "
        f"verify: {'OK' if r.verified else 'BROKEN'}"
    )
    console.print("\nTry it (the demo has its own database and data directory):")
    for line in (
        f"export CASELEDGER_DATABASE_URL={r.database_url}",
        f"export CASELEDGER_HOME={r.home}",
        f"caseledger case show {r.sample_case}",
        "caseledger case list",
        "caseledger overdue",
        "caseledger verify",
        "caseledger recordings verify",
        "caseledger export    # the warehouse is current: nothing new to append",
        "caseledger audit     # data-integrity tests: the synthetic run's planted problems",
        "caseledger report --out report.html",
        "caseledger crimes",
        "CASELEDGER_ACTOR=police-0417 CASELEDGER_ROLE=investigator CASELEDGER_AGENCY=PSB110105 "
        f"caseledger case register --reported-on {dt.date.today()} --summary 'bicycle stolen' "
        "--defendant 张三 --charge theft",
    ):
        # Never wrapped: these lines are meant to be copied into a shell.
        console.print("  " + line, soft_wrap=True, highlight=False, markup=False)
