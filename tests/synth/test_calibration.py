"""The clean 200,000-defendant run reproduces every figure of calibration.yaml."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from caseledger.errors import RulePackInvalid
from caseledger.synth import calibration
from tests.synth.conftest import defendants

CAL = calibration.load()


def _rates(d: pl.DataFrame) -> dict[str, float]:
    decided = d.filter(pl.col("prosecuted").is_not_null())
    recs = d.filter(pl.col("recommendation_type").is_not_null())
    judged = d.filter(pl.col("verdict").is_not_null())
    appeal_plea = judged.filter(pl.col("plea"))["appealed"].mean()
    appeal_other = judged.filter(~pl.col("plea"))["appealed"].mean()
    reviewed = d.filter(pl.col("arrest_requested"))
    refused = (~pl.col("arrest_approved")).cast(pl.Float64)
    overall_na = reviewed.select(refused.mean()).item()
    plea_na = reviewed.filter(pl.col("plea_stage") == "investigation").select(refused.mean()).item()
    conv = d.filter(pl.col("verdict") == "convicted")
    fast = judged.filter(pl.col("procedure") == "fast_track")
    pleas = d.filter(pl.col("plea"))
    transferred = d.filter(pl.col("transferred_on").is_not_null())
    excluded_np = (pl.col("evidence_excluded") > 0) & (
        pl.col("non_prosecution_ground") == "insufficient_evidence"
    )
    return {
        "plea_rate": decided["plea"].mean(),
        "definite_recommendation_share": (recs["recommendation_type"] == "definite").mean(),
        "appeal_rate_plea": appeal_plea,
        "appeal_gap_non_plea": appeal_other - appeal_plea,
        "non_arrest_gap_plea": plea_na - overall_na,
        "probation_gap_plea": conv.filter(pl.col("plea"))["probation"].mean()
        - conv["probation"].mean(),
        "acquittal_rate": (judged["verdict"] == "acquitted").mean(),
        "simple_case_share": judged["procedure"].is_in(["fast_track", "summary"]).mean(),
        "fast_track_within_10_days": (fast["trial_days"] <= 10).mean(),
        "plea_insufficient_evidence_non_prosecution": pleas.select(
            (pl.col("non_prosecution_ground") == "insufficient_evidence").fill_null(False).mean()
        ).item(),
        "exclusion_non_prosecution": transferred.select(excluded_np.fill_null(False).mean()).item(),
        "retrial_acquittal_rate": (conv["retrial_outcome"] == "acquitted").fill_null(False).mean(),
    }  # type: ignore[dict-item]


def test_every_target_has_a_source_and_is_checked() -> None:
    assert set(CAL.targets) == set(calibration.REQUIRED_TARGETS)
    for target in CAL.targets.values():
        assert "seed" in target.source
    for assumption in CAL.assumptions.values():
        assert assumption.source.startswith("assumption")


@pytest.mark.parametrize("name", calibration.REQUIRED_TARGETS)
def test_target_holds(synth_run: Callable[..., Path], name: str) -> None:
    got = _rates(defendants(synth_run()))[name]
    target = CAL.targets[name]
    if target.minimum:
        assert got >= target.value, (name, got)
    else:
        assert abs(got - target.value) <= target.tolerance, (name, got, target.value)


def test_crime_mix_is_led_by_the_four_commonest(synth_run: Callable[..., Path]) -> None:
    top = defendants(synth_run())["crime_code"].value_counts(sort=True)["crime_code"][:4]
    assert set(top) == {"dangerous_driving", "theft", "fraud", "helping_information_network_crime"}


def test_durations_stay_within_the_base_time_limits(synth_run: Callable[..., Path]) -> None:
    d = defendants(synth_run())
    assert d.filter(pl.col("trial_days") > pl.col("trial_limit_days")).height == 0
    assert (
        d.filter((pl.col("arrest_decided_on") - pl.col("detained_on")).dt.total_days() > 10).height
        == 0
    )
    assert d["overdue_count"].sum() == 0
    assert d.filter(pl.col("review_days") > 30 + 2 * 60).height == 0


def test_invalid_calibration_names_the_key() -> None:
    with pytest.raises(RulePackInvalid) as err:
        calibration.parse("version: 1\ntargets: {}\nassumptions: {x: {value: 1}}\n")
    assert "key" in err.value.context
