"""``caseledger export``: the ledger into the warehouse — facts read from the chains, only new
events on later runs (and the result equal to a full export), a crash leaving the previous
warehouse, and refusals to mix ledgers. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from caseledger.case import lifecycle, service, trial
from caseledger.errors import InvalidInput
from caseledger.quality import service as quality
from caseledger.synth import generator as synth
from caseledger.synth.generator import SynthRequest
from caseledger.warehouse import export, ids, transaction, writer
from tests.factories import JUDGE, POLICE, PROSECUTOR, day, judged, register, to_trial
from tests.quality.test_review import OFFICER

EXE = Path(sys.executable).parent / "caseledger"


def _table(path: Path, name: str) -> pl.DataFrame:
    key = ["defendant_id", "seq"] if name == "events" else ["defendant_id"]
    return pl.read_parquet(path / name / "**" / "*.parquet", hive_partitioning=True).sort(key)


def _final(db, number, no=1):
    judged(db, number, no)
    db.run(
        lambda s: trial.declare_final(
            s, actor=JUDGE, case_number=number, defendant_no=no, at=day(61)
        )
    )


def test_facts_are_read_from_the_chain(db, tmp_path):
    number = register(db, defendants=2)
    _final(db, number, 1)
    db.run(
        lambda s: lifecycle.withdraw_defendant(
            s, actor=POLICE, case_number=number, defendant_no=2, reason="no_crime", at=day(3)
        )
    )
    db.run(
        lambda s: quality.review_case(
            s,
            actor=OFFICER,
            case_number=number,
            defendant_no=1,
            grade="flawed",
            reason="ok",
            at=day(80),
        )
    )
    report = export.run(db, tmp_path / "wh")
    assert report.full and report.defendants_replaced == 2
    d = _table(tmp_path / "wh", "defendants")
    one, two = d.row(0, named=True), d.row(1, named=True)
    if one["defendant_no"] != 1:
        one, two = two, one
    assert one["county_code"] == "110105" and one["province_code"] == "110000"
    assert (one["procedure"], one["verdict"], one["sentence_months"]) == (
        "fast_track",
        "convicted",
        8,
    )
    assert (one["registered_on"], one["judgment_on"], one["final_on"]) == (day(0), day(50), day(61))
    assert one["arrest_approved"] and one["pretrial_measure"] == "arrest"
    assert one["custody_days"] == 50  # criminal detention on day 0, arrest to the judgment
    assert (one["reviewed_on"], one["review_grade"]) == (day(80), "flawed")
    assert one["investigator_id"] == POLICE.id and one["prosecutor_id"] == PROSECUTOR.id
    assert two["withdrawn"] and two["transferred_on"] is None and two["evidence_excluded"] is None
    e = _table(tmp_path / "wh", "events")
    chain = e.filter(pl.col("defendant_id") == one["defendant_id"])
    assert chain["seq"].to_list() == list(range(1, chain.height + 1))
    assert chain["event_type"][0] == "case.registered"  # on the first defendant's chain
    assert set(chain["detail"].drop_nulls()) >= {"theft", "approved", "fast_track", "convicted"}
    # Ids of cases registered by hand: stable, above every synthetic id.
    assert one["case_id"] >= ids.HAND_BASE and one["case_id"] == two["case_id"]


def test_incremental_export_reads_only_new_events_and_equals_a_full_one(db, tmp_path):
    first = register(db)
    to_trial(db, first)
    pending = db.run(
        lambda s: (
            service.register_case(
                s, actor=POLICE, reported_on=day(1), summary="suspect unknown", at=day(1)
            ).case_number
        )
    )
    wh = tmp_path / "wh"
    r1 = export.run(db, wh)
    before = _table(wh, "events").height
    # New acts on a known defendant, a first defendant for the case without one, a new case.
    db.run(
        lambda s: trial.render_judgment(
            s,
            actor=JUDGE,
            case_number=first,
            defendant_no=1,
            verdict="convicted",
            penalty_type="imprisonment",
            term_months=8,
            at=day(50),
        )
    )
    db.run(
        lambda s: service.add_defendant(
            s,
            actor=POLICE,
            case_number=pending,
            defendant=service.NewDefendant(name="李四", charges=["fraud"]),
            at=day(4),
        )
    )
    register(db, crime="fraud", on=day(5))
    r2 = export.run(db, wh)
    assert not r2.full and r2.watermark_before == r1.watermark and r2.cases == 3
    # judgment (1) + the pending case's registration, defendant, charge (3) + new case (3)
    assert r2.events_appended == 7 == _table(wh, "events").height - before
    export.run(db, tmp_path / "full", full=True)
    for name in ("events", "defendants"):
        assert _table(wh, name).equals(_table(tmp_path / "full", name)), name
    assert export.run(db, wh).events_appended == 0


def test_a_crash_leaves_the_previous_warehouse(db, tmp_path, monkeypatch):
    number = register(db)
    wh = tmp_path / "wh"
    export.run(db, wh)
    manifest = (wh / writer.MANIFEST).read_text()
    to_trial(db, number)

    def crash(*args, **kwargs):
        raise RuntimeError("power cut")

    monkeypatch.setattr(export, "_merge", crash)  # fails after the events were staged
    with pytest.raises(RuntimeError):
        export.run(db, wh)
    monkeypatch.undo()
    assert (wh / writer.MANIFEST).read_text() == manifest  # watermark and rows as before
    assert not transaction.verify(wh)
    again = export.run(db, wh)
    assert again.events_appended == 7  # the acts of to_trial, exported now
    export.run(db, tmp_path / "full", full=True)
    assert _table(wh, "events").equals(_table(tmp_path / "full", "events"))


def test_refuses_a_warehouse_it_did_not_write(db, tmp_path):
    register(db)
    wh = tmp_path / "wh"
    synth.run(SynthRequest(defendants=30, years=1, seed=1, warehouse=wh))
    with pytest.raises(InvalidInput, match=r"written by caseledger\.synth"):
        export.run(db, wh)
    assert export.run(db, wh, full=True).full
    assert _table(wh, "defendants").height == 1  # the synthetic rows are gone
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine")
    with pytest.raises(InvalidInput, match="not a caseledger warehouse"):
        export.run(db, tmp_path / "other")


def test_export_through_the_cli(db, db_url, tmp_path):
    register(db)
    env = {"CASELEDGER_DATABASE_URL": db_url, "CASELEDGER_HOME": str(tmp_path / "home")}
    env["PATH"] = "/usr/bin:/bin"
    out = subprocess.run(
        [str(EXE), "export", "--json"], env=env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["events_appended"] == 3 and Path(report["warehouse"]).name == "warehouse"
    bad = subprocess.run(
        [str(EXE), "export", "--warehouse", str(tmp_path / "home" / "warehouse" / "_schema.json")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_synthetic_ids_round_trip():
    n = 2024_11_0000042
    assert ids.warehouse_id(ids.synthetic_case_uuid(n)) == n
    assert ids.warehouse_id(ids.synthetic_defendant_uuid(n)) == n
    hand = ids.warehouse_id("3f1c2a5e-0c1b-4d6e-9a0b-1c2d3e4f5a6b")
    assert ids.HAND_BASE <= hand < 2**63
    assert hand == ids.warehouse_id("3f1c2a5e-0c1b-4d6e-9a0b-1c2d3e4f5a6b")
