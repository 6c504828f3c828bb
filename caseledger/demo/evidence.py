"""Demo case for the evidence registry: a recorded interrogation and an excluded confession."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from caseledger.case import lifecycle, service
from caseledger.db import Database
from caseledger.demo.scenarios import COUNSEL, POLICE, PROSECUTOR, person_name


def evidence_case(db: Database, today: dt.date, rng: random.Random, root: Path) -> None:
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
        defendants=[
            service.NewDefendant(name=person_name(rng), age_at_offence=27, charges=["robbery"])
        ],
    ).case_number
