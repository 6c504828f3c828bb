"""Demo plea cases: a plea at each stage, a duty lawyer and a retained defender, a withdrawn plea,
a rejected recommendation, and a plea whose evidence was insufficient (non-prosecution)."""

from __future__ import annotations

import datetime as dt
import io
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from caseledger.case import lifecycle, service, trial
from caseledger.db import Database
from caseledger.demo.scenarios import JUDGE, POLICE, PROSECUTOR, SUFFICIENT, person_name
from caseledger.evidence import service as recordings
from caseledger.evidence.recordings import RecordingStore
from caseledger.plea import service as plea
from caseledger.plea import statement

FAST = trial.ProcedureFacts(
    facts_clear_evidence_sufficient=True,
    pleaded=True,
    admits_crime=True,
    agrees_to_procedure=True,
    expected_sentence_months=12,
)


class _Walk:
    """One defendant walked through commands, day by day from a start date."""

    def __init__(
        self,
        db: Database,
        store: RecordingStore,
        rng: random.Random,
        start: dt.date,
        crime: str,
        summary: str,
        age: int = 30,
    ) -> None:
        self.db, self.store, self.rng, self.day = db, store, rng, start
        self.number = db.run(
            lambda s: (
                service.register_case(
                    s,
                    actor=POLICE,
                    reported_on=start,
                    at=start,
                    summary=summary,
                    defendants=[
                        service.NewDefendant(
                            name=person_name(rng), age_at_offence=age, charges=[crime]
                        )
                    ],
                ).case_number
            )
        )

    def act(self, gap: int, fn: Callable[..., Any], actor: Any, **kwargs: Any) -> Any:
        self.day += dt.timedelta(days=gap)
        return self.db.run(
            lambda s: fn(
                s, actor=actor, case_number=self.number, defendant_no=1, at=self.day, **kwargs
            )
        )

    def consult(self, gap: int, lawyer: str, opinion: str) -> None:
        sha = self.store.ingest(io.BytesIO(self.rng.randbytes(64 * 1024))).sha256
        self.act(
            gap,
            recordings.register_recording,
            PROSECUTOR,
            store=self.store,
            sha256=sha,
            media_type="video/mp4",
            duration_seconds=self.rng.randint(900, 3600),
            purpose="plea_consultation",
            participants=[
                {"role": "prosecutor", "id": PROSECUTOR.id},
                {"role": "defence_counsel", "id": lawyer},
            ],
        )
        self.act(
            0,
            plea.hold_consultation,
            PROSECUTOR,
            store=self.store,
            participants=[
                {"role": "prosecutor", "id": PROSECUTOR.id},
                {"role": "defence_counsel", "id": lawyer},
            ],
            defence_opinion=opinion,
            recording_sha256=sha,
        )


def build_plea_cases(db: Database, today: dt.date, rng: random.Random, root: Path) -> None:
    store = RecordingStore(root)
    start = today - dt.timedelta(days=90)
    notify = {"items": ["leniency_rules", "consequences", "right_to_counsel", "duty_lawyer"]}

    # Plea during investigation, duty lawyer, fast-track, recommendation adopted, final.
    w = _Walk(db, store, rng, start, "theft", "stole an e-bike battery from a residential yard")
    w.act(0, lifecycle.impose_measure, POLICE, measure="criminal_detention")
    w.act(1, plea.notify_rights, POLICE, **notify)
    w.act(0, plea.admit_guilt, POLICE)
    w.act(2, lifecycle.impose_measure, POLICE, measure="bail")
    w.act(20, lifecycle.transfer_for_prosecution, POLICE)
    w.act(
        1,
        plea.assign_counsel,
        PROSECUTOR,
        kind="duty_lawyer",
        lawyer_id="duty-0032",
        office="district legal aid centre",
    )
    w.consult(2, "duty-0032", "agrees; asks that the returned battery be taken into account")
    row = w.act(
        1,
        statement.sign_statement,
        PROSECUTOR,
        store=store,
        counsel_present="duty-0032",
        sentencing_input={
            "crime": "theft",
            "facts": {"amount_yuan": 3800},
            "circumstances": [{"code": "restitution"}],
        },
    )
    w.act(1, lifecycle.assess_evidence, PROSECUTOR, sufficient=True, reasoning=SUFFICIENT)
    w.act(1, lifecycle.decide_prosecution, PROSECUTOR, prosecute=True)
    w.act(2, trial.assign_procedure, JUDGE, procedure="fast_track", facts=FAST)
    w.act(5, plea.court_decide, JUDGE, decision="adopted")
    months = row.definite_months
    w.act(
        0,
        trial.render_judgment,
        JUDGE,
        verdict="convicted",
        penalty_type="imprisonment" if months >= 6 else "criminal_detention",
        term_months=months,
    )
    w.act(12, trial.declare_final, JUDGE)

    # Plea at prosecution review, retained defender; the defendant withdraws before trial.
    w = _Walk(
        db,
        store,
        rng,
        start + dt.timedelta(days=5),
        "fraud",
        "sold fake concert tickets online to 14 buyers",
    )
    w.act(0, lifecycle.impose_measure, POLICE, measure="bail")
    w.act(25, lifecycle.transfer_for_prosecution, POLICE)
    w.act(1, plea.notify_rights, PROSECUTOR, **notify)
    w.act(0, plea.admit_guilt, PROSECUTOR)
    w.act(
        0,
        plea.assign_counsel,
        PROSECUTOR,
        kind="retained",
        lawyer_id="lawyer-5120",
        office="Jinghua law firm",
    )
    w.consult(3, "lawyer-5120", "agrees with the proposal")
    w.act(
        1,
        statement.sign_statement,
        PROSECUTOR,
        store=store,
        counsel_present="lawyer-5120",
        sentencing_input={"crime": "fraud", "facts": {"amount_yuan": 21000}},
    )
    w.act(
        4,
        plea.withdraw,
        PROSECUTOR,
        reason="the defendant now says the buyers knew the tickets were resale copies",
    )
    w.act(1, lifecycle.assess_evidence, PROSECUTOR, sufficient=True, reasoning=SUFFICIENT)
    w.act(1, lifecycle.decide_prosecution, PROSECUTOR, prosecute=True)
    w.act(3, trial.assign_procedure, JUDGE, procedure="ordinary")

    # A recommendation the court rejects: the defendant denies the facts in court.
    w = _Walk(
        db,
        store,
        rng,
        start + dt.timedelta(days=8),
        "intentional_injury",
        "hit a neighbour with a spade in a quarrel over a parking space",
    )
    w.act(0, lifecycle.impose_measure, POLICE, measure="bail")
    w.act(1, plea.notify_rights, POLICE, **notify)
    w.act(0, plea.admit_guilt, POLICE)
    w.act(20, lifecycle.transfer_for_prosecution, POLICE)
    w.act(
        1,
        plea.assign_counsel,
        PROSECUTOR,
        kind="duty_lawyer",
        lawyer_id="duty-0032",
        office="district legal aid centre",
    )
    w.consult(2, "duty-0032", "agrees; the victim has been compensated")
    w.act(
        1,
        statement.sign_statement,
        PROSECUTOR,
        store=store,
        counsel_present="duty-0032",
        sentencing_input={
            "crime": "intentional_injury",
            "facts": {"injury": "minor"},
            "circumstances": [{"code": "compensation_forgiveness"}],
        },
    )
    w.act(1, lifecycle.assess_evidence, PROSECUTOR, sufficient=True, reasoning=SUFFICIENT)
    w.act(1, lifecycle.decide_prosecution, PROSECUTOR, prosecute=True)
    w.act(2, trial.assign_procedure, JUDGE, procedure="fast_track", facts=FAST)
    w.act(4, plea.court_decide, JUDGE, decision="rejected", ground="denies_facts")
    w.act(
        0,
        trial.convert_procedure,
        JUDGE,
        to="ordinary",
        ground="the defendant denies the facts in court (CPL art 226)",
    )

    # Pleaded guilty during investigation, but the evidence is insufficient: not prosecuted.
    w = _Walk(
        db,
        store,
        rng,
        start + dt.timedelta(days=12),
        "theft",
        "accused of stealing from his employer's warehouse",
    )
    w.act(0, plea.notify_rights, POLICE, **notify)
    w.act(0, plea.admit_guilt, POLICE)
    w.act(25, lifecycle.transfer_for_prosecution, POLICE)
    w.act(
        10,
        lifecycle.assess_evidence,
        PROSECUTOR,
        sufficient=False,
        reasoning="only the confession; the stock records do not show the goods missing",
    )
    w.act(
        2, lifecycle.decide_prosecution, PROSECUTOR, prosecute=False, ground="insufficient_evidence"
    )

    # A plea first made at trial (no statement; the court decides, SPC-CPL-Interp art 356).
    w = _Walk(
        db,
        store,
        rng,
        start + dt.timedelta(days=15),
        "picking_quarrels",
        "smashed a shop window after being refused service",
    )
    w.act(0, lifecycle.impose_measure, POLICE, measure="bail")
    w.act(20, lifecycle.transfer_for_prosecution, POLICE)
    w.act(10, lifecycle.assess_evidence, PROSECUTOR, sufficient=True, reasoning=SUFFICIENT)
    w.act(1, lifecycle.decide_prosecution, PROSECUTOR, prosecute=True)
    w.act(3, trial.assign_procedure, JUDGE, procedure="ordinary")
    w.act(10, plea.notify_rights, JUDGE, **notify)
    w.act(0, plea.admit_guilt, JUDGE)
