"""``synth --ledger`` stops at the first refused act: the error names the act, the case and the
rule; the batch in progress is rolled back whole and the committed batches hold whole cases
(every chain verifies, every case has its defendants and its judgment's events or none)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import text

from caseledger import migrate
from caseledger.case import trial
from caseledger.db import Database
from caseledger.errors import SafeguardViolation
from caseledger.ledger import verify
from caseledger.synth import ledger
from caseledger.synth.generator import SynthRequest

REFUSE_AT = 30  # the judgment that is refused, counted from the start of the run


def test_a_refused_act_stops_the_run_and_leaves_whole_batches(tmp_path: Path, monkeypatch):
    real = trial.render_judgment
    calls = {"n": 0}

    def refusing(session, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == REFUSE_AT:
            raise SafeguardViolation(
                "refused by the test", rule="test rule", case=kwargs["case_number"]
            )
        return real(session, **kwargs)

    monkeypatch.setattr(trial, "render_judgment", refusing)
    monkeypatch.setattr(ledger, "CASES_PER_COMMIT", 20)
    db = Database(f"sqlite:///{tmp_path / 'ledger.db'}")
    migrate.upgrade(db.engine)
    req = SynthRequest(
        defendants=300, years=1, seed=3, warehouse=tmp_path / "unused", first_year=2021
    )
    with pytest.raises(ledger.GeneratorRefused, match="refused by the test") as caught:
        ledger.run(req, db, tmp_path / "recordings", workers=1, today=dt.date(2026, 11, 30))
    context = caught.value.context
    assert context["act"] == "refusing" and context["rule"] == "test rule"
    with db.read() as s:
        cases = s.execute(text("SELECT count(*) FROM cases")).scalar_one()
        without = s.execute(
            text(
                "SELECT count(*) FROM cases c WHERE NOT EXISTS "
                "(SELECT 1 FROM defendants d WHERE d.case_id = c.case_id)"
            )
        ).scalar_one()
        refused_case = s.execute(
            text("SELECT count(*) FROM cases WHERE case_number = :n"),
            {"n": context["case"]},
        ).scalar_one()
        report = verify.verify(s, key_path=tmp_path / "no-key", checkpoint_dir=tmp_path / "none")
    # Whole batches (of 20 cases, fewer at a province's end) landed before the refused one;
    # nothing of the refused batch did, and the run went no further.
    assert 0 < cases < 200 and without == 0 and refused_case == 0
    assert report.ok and report.cases == cases
    db.dispose()
