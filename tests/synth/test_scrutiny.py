"""Exclusion of evidence, retrials and case-quality reviews in the generated warehouse."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import polars as pl

from tests.synth.conftest import defendants, events

EXCL = pl.col("evidence_excluded") > 0
BAD = pl.col("review_grade").is_in(["flawed", "unqualified"])


def _share(d: pl.DataFrame, cond: pl.Expr) -> float:
    return float(d.select(cond.fill_null(False).cast(pl.Float64).mean()).item())


def test_exclusions_sit_where_the_evidence_is_contested(synth_run: Callable[..., Path]) -> None:
    d = defendants(synth_run())
    assert (d["transferred_on"].is_null() == d["evidence_excluded"].is_null()).all()
    t = d.filter(pl.col("transferred_on").is_not_null())
    overall = _share(t, EXCL)
    assert 0.0002 < overall < 0.005
    weak = t.filter(
        (pl.col("non_prosecution_ground") == "insufficient_evidence")
        | (pl.col("verdict") == "acquitted")
    )
    assert _share(weak, EXCL) > 3 * overall
    assert _share(t.filter(~pl.col("plea")), EXCL) > 5 * _share(t.filter(pl.col("plea")), EXCL)
    assert t.filter(EXCL & (pl.col("evidence_basis") == "confession_only")).height == 0


def test_retrials_follow_final_convictions(synth_run: Callable[..., Path]) -> None:
    d = defendants(synth_run())
    r = d.filter(pl.col("retrial_on").is_not_null())
    assert r["retrial_outcome"].null_count() == 0
    assert d.filter(pl.col("retrial_on").is_null())["retrial_outcome"].null_count() == d.height - (
        r.height
    )
    assert (r["verdict"] == "convicted").all()
    assert (r["retrial_on"] > r["final_on"]).all()
    share = r.height / d.filter(pl.col("verdict") == "convicted").height
    assert 0.0003 < share < 0.003
    assert set(r["retrial_outcome"]) == {"upheld", "amended", "acquitted"}


def test_reviews_sample_concluded_cases_and_grade_what_they_find(
    synth_run: Callable[..., Path],
) -> None:
    d = defendants(synth_run())
    rv = d.filter(pl.col("reviewed_on").is_not_null())
    assert rv["review_grade"].null_count() == 0
    assert rv["transferred_on"].null_count() == 0
    concluded = pl.coalesce("final_on", "prosecution_decided_on")
    assert rv.filter(pl.col("reviewed_on") <= concluded).height == 0
    t = d.filter(pl.col("transferred_on").is_not_null())
    reviewed = pl.col("reviewed_on").is_not_null()
    flagged = t.filter(pl.col("flag_count") > 0)
    plain = t.filter((pl.col("flag_count") == 0) & ~EXCL & (pl.col("verdict") != "acquitted"))
    assert _share(flagged, reviewed) > 2 * _share(plain, reviewed)
    assert 0.02 < _share(plain, reviewed) < 0.05
    assert _share(t.filter(EXCL), reviewed) > 0.3
    assert _share(rv.filter(EXCL), BAD) > 2 * _share(rv.filter(~EXCL), BAD)
    assert set(rv["review_grade"]) == {"excellent", "qualified", "flawed", "unqualified"}


def test_a_reviewer_finds_a_conviction_on_a_confession_alone(
    synth_run: Callable[..., Path],
) -> None:
    path = synth_run("confession_only")
    d = defendants(path)
    unit = json.loads((path / "_schema.json").read_text())["source"]["plants"]["confession_only"]
    co = d.filter(
        (pl.col("evidence_basis") == "confession_only") & pl.col("reviewed_on").is_not_null()
    )
    assert co.height > 0 and (co["prefecture_code"] == unit["prefecture_code"]).all()
    assert co["review_grade"].is_in(["flawed", "unqualified"]).all()
    clean = defendants(synth_run())
    assert clean.filter(pl.col("evidence_basis") == "confession_only").height == 0


def test_events_match_the_columns(synth_run: Callable[..., Path]) -> None:
    path = synth_run()
    d, e = defendants(path), events(path)
    counts = e.group_by("event_type").len()
    n = dict(zip(counts["event_type"], counts["len"], strict=True))
    assert n["evidence.exclusion_decided"] == d["evidence_excluded"].sum()
    assert n["judgment.retrial_decided"] == d["retrial_on"].count()
    assert n["quality.case_reviewed"] == d["reviewed_on"].count()
    reviews = e.filter(pl.col("event_type") == "quality.case_reviewed")
    assert set(reviews["actor_role"]) == {"quality_officer"}
    assert reviews["actor_id"].str.contains(r"^PRO\d{6}-Q\d{3}$").all()
    retrials = e.filter(pl.col("event_type") == "judgment.retrial_decided").join(
        d.select("defendant_id", "court_id", "judge_id"), on="defendant_id"
    )
    assert retrials.height > 0 and set(retrials["actor_role"]) == {"judge"}
    assert (retrials["agency_id"] == retrials["court_id"]).all()
    assert (retrials["actor_id"] != retrials["judge_id"]).all()
    assert retrials["actor_id"].str.starts_with(retrials["court_id"]).all()
    excl = e.filter(pl.col("event_type") == "evidence.exclusion_decided")
    assert set(excl["actor_role"]) <= {"prosecutor", "judge"}
    assert "defendant_statement" in set(excl["detail"])
    seq = e.sort("defendant_id", "seq").with_columns(
        pl.col("occurred_on").diff().over("defendant_id").dt.total_days().alias("step")
    )
    assert seq.filter(pl.col("step") < 0).height == 0
