"""Each plant plants exactly its problem; a clean run shows none.

Each detector is a plain query over the Parquet files returning the units that show one
problem, as an analyst would write it (shared/analytics.md §2).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from caseledger.errors import UnknownCode
from caseledger.synth import plants
from caseledger.synth.generator import SynthRequest, validate
from tests.synth.conftest import defendants


def late_registration(d: pl.DataFrame) -> set[str]:
    """Police agencies whose median report-to-registration lag exceeds ten days."""
    lag = (pl.col("registered_on") - pl.col("reported_on")).dt.total_days()
    out = d.group_by("police_agency_id").agg(lag.median().alias("lag")).filter(pl.col("lag") > 10)
    return set(out["police_agency_id"])


def deadline_bunching(d: pl.DataFrame) -> set[str]:
    """Courts (>= 30 trials) closing at least 40 % of trials in the last 3 days of the limit."""
    near = (pl.col("trial_days") >= pl.col("trial_limit_days") - 2).cast(pl.Float64)
    out = (
        d.filter(pl.col("trial_days").is_not_null())
        .group_by("court_id")
        .agg(near.mean().alias("share"), pl.len().alias("n"))
        .filter((pl.col("n") >= 30) & (pl.col("share") >= 0.4))
    )
    return set(out["court_id"])


def steady_zero_non_arrest(d: pl.DataFrame) -> set[str]:
    """Procuratorates with >= 40 arrest decisions, none refused, in a county registering on time."""
    lag = (pl.col("registered_on") - pl.col("reported_on")).dt.total_days()
    out = (
        d.filter(pl.col("arrest_requested"))
        .group_by("procuratorate_id")
        .agg(
            (~pl.col("arrest_approved")).sum().alias("refused"),
            pl.len().alias("n"),
            pl.col("arrest_decided_on").dt.month().n_unique().alias("months"),
            lag.median().alias("lag"),
        )
        .filter((pl.col("n") >= 40) & (pl.col("refused") == 0) & (pl.col("lag") <= 10))
    )
    assert (out["months"] >= 10).all()
    return set(out["procuratorate_id"])


def deviating_prosecutor(d: pl.DataFrame) -> set[str]:
    """Prosecutors (>= 20 definite recommendations) recommending 25 % above the guideline."""
    ratio = pl.col("recommended_months") / pl.col("guideline_months")
    out = (
        d.filter(pl.col("recommended_months").is_not_null() & (pl.col("guideline_months") > 0))
        .group_by("prosecutor_id")
        .agg(ratio.mean().alias("ratio"), pl.len().alias("n"))
        .filter((pl.col("n") >= 20) & (pl.col("ratio") > 1.25))
    )
    return set(out["prosecutor_id"])


def confession_only(d: pl.DataFrame) -> set[str]:
    """Prefectures with any conviction resting on a confession alone."""
    out = d.filter(
        (pl.col("verdict") == "convicted") & (pl.col("evidence_basis") == "confession_only")
    )
    return set(out["prefecture_code"].unique())


DETECTORS: dict[str, tuple[Callable[[pl.DataFrame], set[str]], str]] = {
    "under_recording": (late_registration, "police_agency_id"),
    "deadline_bunching": (deadline_bunching, "court_id"),
    "steady_zero_non_arrest": (steady_zero_non_arrest, "procuratorate_id"),
    "deviating_prosecutor": (deviating_prosecutor, "prosecutor_id"),
    "confession_only": (confession_only, "prefecture_code"),
}


def test_every_plant_has_a_detector() -> None:
    assert set(DETECTORS) == set(plants.PLANTS)


def test_clean_run_shows_no_problem(synth_run: Callable[..., Path]) -> None:
    d = defendants(synth_run())
    for name, (detect, _) in DETECTORS.items():
        assert detect(d) == set(), name


@pytest.mark.parametrize("plant", sorted(plants.PLANTS))
def test_plant_shows_exactly_its_problem(synth_run: Callable[..., Path], plant: str) -> None:
    path = synth_run(plant)
    d = defendants(path)
    manifest = json.loads((path / "_schema.json").read_text())
    unit = manifest["source"]["plants"][plant]
    for name, (detect, column) in DETECTORS.items():
        found = detect(d)
        if name == plant:
            assert found == {unit[column]}, (plant, found, unit)
        else:
            assert found == set(), (plant, name, found)


def test_under_recording_county_registers_only_sure_cases(synth_run: Callable[..., Path]) -> None:
    path = synth_run("under_recording")
    d = defendants(path)
    unit = json.loads((path / "_schema.json").read_text())["source"]["plants"]["under_recording"]
    here = d.filter(pl.col("police_agency_id") == unit["police_agency_id"])
    assert (here["suspect_identified_on"] <= here["registered_on"]).all()
    assert here["non_prosecution_ground"].null_count() == here.height
    arrested = (here["pretrial_measure"] == "arrest").mean()
    assert arrested > (d["pretrial_measure"] == "arrest").mean() + 0.2


def test_confession_only_evidence_events(synth_run: Callable[..., Path]) -> None:
    from tests.synth.conftest import events

    path = synth_run("confession_only")
    d = defendants(path).filter(pl.col("evidence_basis") == "confession_only")
    ev = events(path).filter(
        pl.col("defendant_id").is_in(d["defendant_id"].implode())
        & (pl.col("event_type") == "evidence.collected")
    )
    assert ev.height > 0 and set(ev["detail"]) == {"defendant_statement"}


def test_unknown_plant_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(UnknownCode) as err:
        validate(SynthRequest(defendants=10, years=1, seed=1, warehouse=tmp_path, plants=("x",)))
    assert "under_recording" in err.value.one_line()
