"""Guideline sentences come from the sentencing engine where a pack covers the crime.

The generator draws the facts, runs the vectorised engine over a batch of chunks and writes
``guideline_months``; regenerating one chunk alone (its own engine call) must give the same
rows, and the per-case engine on the same facts the same months.
"""

from __future__ import annotations

import datetime as dt
import itertools
from importlib import resources
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from caseledger.errors import InvalidInput, RulePackInvalid
from caseledger.sentencing import engine
from caseledger.sentencing.compiled import default_library
from caseledger.synth import calibration, facts, tables
from caseledger.synth.generator import SynthRequest, _Setup, chunk_records, run
from tests.synth.conftest import defendants

PENALTY = {"imprisonment": "imprisonment", "detention": "criminal_detention",
           "surveillance": "public_surveillance"}  # fmt: skip


@pytest.fixture(scope="module")
def two_years(tmp_path_factory: pytest.TempPathFactory) -> tuple[SynthRequest, Path]:
    """2021 (the pack came into force mid-year) and 2024 (SG2024-II crimes mid-year)."""
    path = tmp_path_factory.mktemp("sent") / "wh"
    req = SynthRequest(defendants=30_000, years=4, seed=11, warehouse=path, first_year=2021)
    run(req)
    return req, path


def test_the_per_case_engine_gives_the_same_guideline(
    two_years: tuple[SynthRequest, Path],
) -> None:
    req, path = two_years
    d = defendants(path)
    checked = 0
    for year, province in ((2024, 18), (2022, 9)):
        rec = chunk_records(req, year, province)
        setup_ctx = _Setup(req, calibration.load()).ctx
        mine = tables.defendants(rec, setup_ctx, year, province)
        ids = pl.from_arrow(mine)["defendant_id"].implode()
        stored = d.filter(pl.col("defendant_id").is_in(ids)).sort("defendant_id")
        # The chunk alone (its own engine call) equals the batched run, column for column.
        assert pl.from_arrow(mine).equals(stored.drop("year"))
        cases = facts.case_inputs(rec.sentencing, rec.n)
        engine_rows = np.flatnonzero([c is not None for c in cases])
        assert engine_rows.size > 100
        assert (rec["guideline_pack"][engine_rows[rec["prosecuted"][engine_rows]]] == 0).all()
        rng = np.random.default_rng(year)
        sample = rng.choice(engine_rows[rec["prosecuted"][engine_rows]], 150, replace=False)
        for i in sample:
            result = engine.compute(cases[i])
            assert result["recommendation"]["definite_months"] == rec["guideline_months"][i]
            assert stored["guideline_months"][int(i)] == rec["guideline_months"][i]
            assert stored["guideline_pack"][int(i)] == result["pack"] == "cn-fj"
            if rec["verdict"][i] == 0 and rec["court_decision"][i] != 2:
                want = PENALTY[result["recommendation"]["penalty_type"]]
                assert stored["penalty_type"][int(i)] == want
            checked += 1
    assert checked == 300


def test_plea_stage_sets_the_discount(two_years: tuple[SynthRequest, Path]) -> None:
    req, _ = two_years
    rec = chunk_records(req, 2024, 18)
    inputs = rec.sentencing
    assert inputs is not None
    pleas = inputs.filter(pl.col("plea_stage").is_not_null()).head(200)
    lower = 0
    for row in pleas.iter_rows(named=True):
        months = {}
        for stage in ("investigation", "prosecution", "trial", None):
            case = facts.case_input({**row, "plea_stage": stage})
            months[stage] = engine.compute(case)["proposed_months"]
        order = [months[s] for s in ("investigation", "prosecution", "trial", None)]
        assert all(a <= b + 1e-9 for a, b in itertools.pairwise(order)), months
        lower += months["investigation"] < months[None] - 1e-9
    assert lower > 120  # the rest sit at the tier minimum either way


def test_the_fallback_covers_only_what_no_pack_covers(two_years: tuple[SynthRequest, Path]) -> None:
    _, path = two_years
    d = defendants(path).filter(pl.col("prosecuted"))
    lib = default_library()
    plan = facts.plan(calibration.load(), lib)
    covered = d.select(
        "crime_code", "transferred_on", pl.col("guideline_pack").is_not_null().alias("engine")
    ).unique()
    for crime, on, used_engine in covered.iter_rows():
        try:
            in_force = crime in lib.select("CN-FJ", on).crimes
        except InvalidInput:  # no pack in force that day
            in_force = False
        assert used_engine == (in_force and crime in plan.crimes), (crime, on)
    share = d["guideline_pack"].is_not_null().mean()
    assert share is not None and share > 0.5
    early = d.filter(pl.col("transferred_on") < dt.date(2021, 7, 1))
    assert early.height > 0 and early["guideline_pack"].null_count() == early.height


def test_recidivists_get_no_probation(two_years: tuple[SynthRequest, Path]) -> None:
    req, _ = two_years
    rec = chunk_records(req, 2023, 18)
    inputs = rec.sentencing
    assert inputs is not None
    rows = inputs.filter(pl.col("c_recidivist").is_not_null())["row"].to_numpy()
    convicted = rows[rec["verdict"][rows] == 0]
    assert convicted.size > 10
    assert not rec["probation"][convicted].any()
    assert np.isin(rec["penalty_type"][convicted], (0, 1, 3)).all()


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("pickpocketing: true", "pickpocket: true", "sentencing_facts"),
        ("injury: death}", "injury: dead}", "sentencing_facts"),
        ("      attempt: {", "      attempted: {", "sentencing_circumstances"),
        ("value: CN-FJ", "value: CN-XX", "sentencing_jurisdiction"),
    ],
)
def test_facts_outside_the_pack_are_refused(old: str, new: str, key: str) -> None:
    text = resources.files("caseledger.synth").joinpath("calibration.yaml").read_text("utf-8")
    assert old in text
    with pytest.raises(RulePackInvalid) as err:
        facts.plan(calibration.parse(text.replace(old, new, 1)), default_library())
    assert key in err.value.context["key"]
    assert "calibration.yaml" in err.value.one_line()
