"""Property tests: random sequences of legal commands never reach an illegal state, and the
projections equal a rebuild from the events (and rebuilding twice changes nothing)."""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from caseledger.case import lifecycle, service, trial
from caseledger.case.enums import CUSTODIAL, Stage
from caseledger.case.models import Defendant
from caseledger.case.transitions import ACTS
from caseledger.db import Database
from caseledger.errors import CaseledgerError
from caseledger.ledger import projection
from caseledger.ledger.models import Event
from tests.factories import COUNSEL, FAST_TRACK, JUDGE, POLICE, PROSECUTOR, register

ACTIONS: list[tuple[str, Any, Any, dict[str, Any]]] = [
    ("impose_detention", lifecycle.impose_measure, POLICE, {"measure": "criminal_detention"}),
    ("impose_bail", lifecycle.impose_measure, PROSECUTOR, {"measure": "bail"}),
    ("release", lifecycle.release, POLICE, {"reason": "released"}),
    ("request_arrest", lifecycle.request_arrest, POLICE, {}),
    ("decide_arrest", lifecycle.decide_arrest, PROSECUTOR, {"approved": True}),
    (
        "decide_arrest",
        lifecycle.decide_arrest,
        PROSECUTOR,
        {"approved": False, "ground": "no_necessity", "then_measure": "bail"},
    ),
    ("transfer_for_prosecution", lifecycle.transfer_for_prosecution, POLICE, {}),
    (
        "return_for_supplementary_investigation",
        lifecycle.return_for_supplementary_investigation,
        PROSECUTOR,
        {"reason": "more"},
    ),
    ("resubmit", lifecycle.resubmit, POLICE, {}),
    (
        "assess_evidence",
        lifecycle.assess_evidence,
        PROSECUTOR,
        {"sufficient": True, "reasoning": "r"},
    ),
    (
        "assess_evidence",
        lifecycle.assess_evidence,
        PROSECUTOR,
        {"sufficient": False, "reasoning": "r"},
    ),
    ("decide_prosecution", lifecycle.decide_prosecution, PROSECUTOR, {"prosecute": True}),
    (
        "decide_prosecution",
        lifecycle.decide_prosecution,
        PROSECUTOR,
        {"prosecute": False, "ground": "minor"},
    ),
    (
        "assign_procedure",
        trial.assign_procedure,
        JUDGE,
        {"procedure": "fast_track", "facts": FAST_TRACK},
    ),
    ("assign_procedure", trial.assign_procedure, JUDGE, {"procedure": "ordinary"}),
    ("convert_procedure", trial.convert_procedure, JUDGE, {"to": "ordinary", "ground": "g"}),
    (
        "render_judgment",
        trial.render_judgment,
        JUDGE,
        {"verdict": "convicted", "penalty_type": "imprisonment", "term_months": 30},
    ),
    ("render_judgment", trial.render_judgment, JUDGE, {"verdict": "acquitted"}),
    ("file_appeal", trial.file_appeal, COUNSEL, {"kind": "appeal"}),
    ("decide_appeal", trial.decide_appeal, JUDGE, {"outcome": "upheld"}),
    ("decide_appeal", trial.decide_appeal, JUDGE, {"outcome": "remanded"}),
    ("declare_final", trial.declare_final, JUDGE, {}),
    ("start_execution", trial.start_execution, JUDGE, {}),
]

PROJECTED = ["cases", "defendants", "charges", "deadlines"]


def snapshot(db: Database) -> dict[str, list[tuple]]:
    """Every projection row, without surrogate ids (sequences are not part of the state)."""
    out: dict[str, list[tuple]] = {}
    with db.read() as s:
        for table in projection.projection_tables():
            cols = [c for c in table.columns if c.name != "id"]
            rows = s.execute(select(*cols)).all()
            out[table.name] = sorted(tuple(str(v) for v in r) for r in rows)
    return out


def _fresh(tmp_path_factory, template) -> Database:
    base = tmp_path_factory.mktemp("prop")
    shutil.copy(template, base / "db.sqlite")
    return Database(f"sqlite:///{base / 'db.sqlite'}")


steps = st.lists(
    st.tuples(st.integers(0, len(ACTIONS) - 1), st.integers(1, 2), st.integers(0, 15)),
    min_size=1,
    max_size=30,
)


@given(plan=steps)
def test_random_commands_never_reach_an_illegal_state(plan, tmp_path_factory, sqlite_template):
    db = _fresh(tmp_path_factory, sqlite_template)
    try:
        start = dt.date(2025, 6, 1)
        number = register(db, defendants=2, on=start)
        day = start
        for index, who, gap in plan:
            _name, fn, actor, kwargs = ACTIONS[index]
            day = day + dt.timedelta(days=gap)
            # A refusal writes nothing; the invariants below check what was written.
            with contextlib.suppress(CaseledgerError):
                db.run(
                    lambda s, fn=fn, actor=actor, kwargs=kwargs, who=who, day=day: fn(
                        s, actor=actor, case_number=number, defendant_no=who, at=day, **kwargs
                    )
                )
        _check_invariants(db)
        before = snapshot(db)
        db.run(projection.rebuild)
        assert snapshot(db) == before, "rebuild differs from the incremental projections"
        db.run(projection.rebuild)
        assert snapshot(db) == before, "rebuild is not idempotent"
    finally:
        db.dispose()


EVENT_ACT = {
    "arrest.requested": "request_arrest",
    "arrest.decided": "decide_arrest",
    "prosecution.transferred": "transfer_for_prosecution",
    "prosecution.returned": "return_for_supplementary_investigation",
    "prosecution.resubmitted": "resubmit",
    "prosecution.decided": "decide_prosecution",
    "prosecution.evidence_assessed": "assess_evidence",
    "trial.procedure_assigned": "assign_procedure",
    "trial.procedure_converted": "convert_procedure",
    "judgment.rendered": "render_judgment",
    "appeal.filed": "file_appeal",
    "appeal.decided": "decide_appeal",
    "judgment.final": "declare_final",
    "execution.started": "start_execution",
}


def _check_invariants(db: Database) -> None:
    """Replay each defendant's events through the transition table; check derived facts."""
    import json

    with db.read() as s:
        defendants = s.execute(select(Defendant)).scalars().all()
        for d in defendants:
            stage = Stage.investigation
            events = (
                s.execute(
                    select(Event).where(Event.defendant_id == d.defendant_id).order_by(Event.seq)
                )
                .scalars()
                .all()
            )
            dates = [e.occurred_at for e in events]
            assert dates == sorted(dates), "acts out of date order"
            for e in events:
                act = EVENT_ACT.get(e.event_type)
                if act is None:
                    continue
                assert stage in ACTS[act].sources, f"{act} from {stage}"
                p = json.loads(e.payload)
                stage = _next_stage(act, p, stage)
            assert stage.value == d.stage
            assert d.returns <= 2
            if Stage(d.stage) in (Stage.not_prosecuted, Stage.withdrawn, Stage.executing):
                assert d.measure == "none"
            if d.verdict in ("acquitted", "exempted"):
                assert d.measure not in CUSTODIAL
            if Stage(d.stage) in (Stage.judged, Stage.appeal, Stage.final, Stage.executing):
                assert d.verdict is not None
            if d.probation:
                assert d.term_months is not None and d.term_months <= 36


def _next_stage(act: str, p: dict[str, Any], stage: Stage) -> Stage:
    table = {
        "request_arrest": Stage.arrest_review,
        "decide_arrest": Stage.investigation,
        "transfer_for_prosecution": Stage.prosecution_review,
        "return_for_supplementary_investigation": Stage.supplementary_investigation,
        "resubmit": Stage.prosecution_review,
        "assign_procedure": Stage.trial,
        "convert_procedure": Stage.trial,
        "render_judgment": Stage.judged,
        "file_appeal": Stage.appeal,
        "declare_final": Stage.final,
        "start_execution": Stage.executing,
    }
    if act == "assess_evidence":
        return stage
    if act == "decide_prosecution":
        return Stage.awaiting_trial if p["prosecute"] else Stage.not_prosecuted
    if act == "decide_appeal":
        return Stage.trial if p["outcome"] == "remanded" else Stage.final
    return table[act]


def test_rebuild_equals_incremental_on_each_store(db):
    from tests.factories import judged

    numbers = [register(db, defendants=2), register(db, crime="fraud")]
    judged(db, numbers[0], no=1)
    judged(db, numbers[1], no=1, probation=True, probation_months=12)
    db.run(
        lambda s: service.close_case(
            s,
            actor=POLICE,
            case_number=register(db),
            reason="no_crime",
            note="n",
            at=dt.date(2026, 2, 1),
        )
    )
    before = snapshot(db)
    assert db.run(projection.rebuild) > 0
    assert snapshot(db) == before
