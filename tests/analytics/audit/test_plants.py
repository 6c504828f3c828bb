"""The audit on generated warehouses of 200,000 defendants: a clean run raises nothing, and
each planted problem is found by its test — at exactly the planted unit — with nothing else
raised except the documented overlap (docs/analytics.md, "Data-integrity audit").

The plant's unit is read from the manifest here, by the test; the audit itself never reads it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from caseledger.analytics.audit import render_section, run_audit
from caseledger.analytics.report import render_html
from caseledger.synth import plants

Found = set[tuple[str, str, str]]


def expected(plant: str, unit: str) -> tuple[Found, Found]:
    """(required, also allowed) findings of a plant whose unit is ``unit``."""
    if plant == "deadline_bunching":
        return {("deadline_bunching", "trial_limit", unit)}, set()
    if plant == "steady_zero_non_arrest":
        return {("underdispersion", "non_arrest_over_time", unit)}, set()
    if plant == "deviating_prosecutor":
        return {("guideline_deviation", "recommendations", unit)}, set()
    if plant == "confession_only":
        return {("confession_only", "convictions", unit)}, set()
    assert plant == "under_recording"
    # The plant also makes the county's procuratorate refuse no arrest and drop no prosecution
    # (only "sure" cases are registered): a zero run the under-dispersion test may see too.
    pro = "PRO" + unit.removeprefix("PSB")
    return (
        {("under_recording", "registration_gap", unit),
         ("under_recording", "sure_at_registration", unit)},
        {("underdispersion", "non_arrest_over_time", pro),
         ("underdispersion", "non_prosecution_over_time", pro)},
    )  # fmt: skip


def found(path: Path) -> Found:
    result = run_audit(path)
    return {(f.test, f.check, u) for f in result.findings for u in f.units}


def test_clean_run_raises_nothing(synth_warehouse: Callable[..., Path]) -> None:
    result = run_audit(synth_warehouse())
    assert result.defendants == 200_000
    assert result.findings == []
    assert [t.status for t in result.tests] == ["nothing found"] * 5
    for t in result.tests:
        for c in t.checks:
            assert c.units_tested > 100 and c.records > 10_000, (t.test, c.check)


@pytest.mark.parametrize("plant", sorted(plants.PLANTS))
def test_each_plant_is_found_at_its_unit_and_nothing_else(
    synth_warehouse: Callable[..., Path], plant: str
) -> None:
    path = synth_warehouse(plant)
    manifest = json.loads((path / "_schema.json").read_text())
    (unit,) = manifest["source"]["plants"][plant].values()
    required, allowed = expected(plant, unit)
    got = found(path)
    assert required <= got
    assert got - required <= allowed


def test_the_audit_reads_no_plant_plan(synth_warehouse: Callable[..., Path], tmp_path) -> None:
    """The same data without the manifest's plant list give the same findings."""
    path = synth_warehouse("deviating_prosecutor")
    copy = tmp_path / "warehouse"
    copy.mkdir()
    for item in path.iterdir():
        (copy / item.name).symlink_to(item)
    (copy / "_schema.json").unlink()
    manifest = json.loads((path / "_schema.json").read_text())
    manifest["source"].pop("plants")
    (copy / "_schema.json").write_text(json.dumps(manifest))
    assert found(copy) == found(path)


def test_the_section_lists_each_test_and_the_found_unit(synth_warehouse: Callable[..., Path]):
    result = run_audit(synth_warehouse("confession_only"))
    section = render_section(result)
    html = render_html("audit", [section])
    (finding,) = result.findings
    assert finding.units[0] in html
    assert html.count("ran, nothing found") == sum(
        1 for t in result.tests for c in t.checks if not c.units_flagged
    )
    assert "audit a sample of these records" in html
