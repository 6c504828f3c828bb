"""The registry: every indicator the issue asks for exists, is defined in full, and is
documented; the quality rules are data, validated on load."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from caseledger.analytics import indicators
from caseledger.analytics.indicators import docs, rules
from caseledger.errors import RulePackInvalid, UnknownCode

REQUIRED = [
    "disposition_days",
    "pretrial_detention_rate",
    "non_arrest_rate",
    "non_prosecution_rate.insufficient_evidence",
    "non_prosecution_rate.no_crime",
    "non_prosecution_rate.minor",
    "plea_rate.investigation",
    "plea_rate.prosecution",
    "plea_rate.trial",
    "definite_recommendation_share",
    "recommendation_adoption_rate",
    "appeal_rate.plea",
    "appeal_rate.other",
    "probation_rate.plea",
    "probation_rate.other",
    "acquittal_rate",
    "fast_track_share",
    "fast_track_within_limit",
]


def test_every_required_indicator_exists():
    assert set(REQUIRED) <= set(indicators.ids())


def test_every_check_of_the_rule_file_is_an_indicator():
    for cid in rules.CHECK_IDS:
        spec = indicators.get(f"check.{cid}")
        assert spec.rule is not None and spec.rule.rule_id.startswith("QC-")
        assert spec.rule.version >= 1 and spec.rule.threshold and spec.rule.source


def test_every_indicator_is_defined_in_full():
    for spec in indicators.all_indicators():
        assert spec.title and spec.definition.endswith(".") and spec.source
        assert spec.unit == "defendants"
        assert spec.family in indicators.FAMILIES
        assert spec.agency in indicators.AGENCY_COLUMNS
        assert spec.denominator.family == spec.family
        if spec.kind == "rate":
            assert spec.numerator is not None and spec.numerator.family == spec.family
        else:
            assert spec.quantiles and indicators.FAMILIES[spec.family].value is not None


def test_unknown_indicator():
    with pytest.raises(UnknownCode, match="unknown indicator 'nope'"):
        indicators.get("nope")


def test_the_fast_track_limit_comes_from_the_law_data():
    spec = indicators.get("fast_track_within_limit")
    assert "10 days" in spec.title and "CPL art 225" in spec.definition


def test_committed_docs_equal_the_generated_ones():
    assert docs.TARGET.read_text(encoding="utf-8") == docs.render(), (
        "docs/indicators.md is stale: python -m caseledger.analytics.indicators.docs"
    )
    text = docs.TARGET.read_text(encoding="utf-8")
    for spec in indicators.all_indicators():
        assert f"### `{spec.id}`" in text


BROKEN = {
    "missing_check.yaml": ("do not match the checks", lambda d: d["checks"].pop("overdue_stage")),
    "unknown_check.yaml": (
        "do not match the checks",
        lambda d: d["checks"].update(extra=d["checks"]["overdue_stage"]),
    ),
    "bad_threshold.yaml": (
        "checks.registration_lag.threshold.value",
        lambda d: d["checks"]["registration_lag"]["threshold"].update(value="seven"),
    ),
    "extra_key.yaml": (
        "checks.registration_lag.weight",
        lambda d: d["checks"]["registration_lag"].update(weight=2),
    ),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_rule_files_name_the_problem(tmp_path: Path, name: str):
    match, breaker = BROKEN[name]
    data = yaml.safe_load(rules.RULES_FILE.read_text(encoding="utf-8"))
    breaker(data)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(RulePackInvalid, match=match) as info:
        rules.load(path)
    assert info.value.context["file"] == str(path)
    assert (
        "key" in info.value.context
        or "missing" in info.value.context
        or ("unknown" in info.value.context)
    )
    if name.startswith("bad") or name.startswith("extra"):
        assert match in info.value.one_line()
