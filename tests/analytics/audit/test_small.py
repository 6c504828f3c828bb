"""Each test on a small hand-built warehouse: a clean one gives nothing, a planted unit is
found and only it, with the numbers worked out by hand."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest

from caseledger.analytics.audit import run_audit
from tests.analytics import warehouse_fixture as wf
from tests.analytics.audit import small

D = dt.date

PLANTS = {
    "deadline_bunching": ("deadline_bunching", "trial_limit", f"CRT{small.code(small.PLANTED)}"),
    "steady_zero": ("underdispersion", "non_arrest_over_time", f"PRO{small.code(small.PLANTED)}"),
    "under_recording": ("under_recording", "registration_gap", f"PSB{small.code(small.PLANTED)}"),
    "deviating_prosecutor": (
        "guideline_deviation", "recommendations", f"PRO{small.code(small.PLANTED)}-P001",
    ),
    "confession_only": ("confession_only", "convictions", small.county(small.PLANTED)[1]),
}  # fmt: skip


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return small.build(tmp_path_factory.mktemp("small") / "clean")


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return small.build(tmp_path_factory.mktemp("small") / "planted", frozenset(PLANTS))


def test_clean_small_warehouse_gives_no_finding(clean):
    result = run_audit(clean)
    assert result.findings == []
    assert {t.status for t in result.tests} == {"nothing found"}
    assert all(c.units_tested > 0 for t in result.tests for c in t.checks)


def test_each_planted_unit_is_found_and_only_it(planted):
    result = run_audit(planted)
    found = {(f.test, f.check, u) for f in result.findings for u in f.units}
    for f in result.findings:  # listed by code, never by a statistic
        assert f.units == sorted(f.units) == [e.unit for e in f.evidence]
    expected = set(PLANTS.values())
    assert expected <= found
    # The one extra, by design: the under-recorded cases also come with a 100 % "sure" mix.
    extra = found - expected
    assert extra == {("under_recording", "sure_at_registration", PLANTS["under_recording"][2])}


def test_bunching_numbers_against_a_plain_python_oracle(planted):
    (f,) = run_audit(planted, tests=["deadline_bunching"]).findings
    (e,) = f.evidence
    near = window = mine_near = mine_window = 0
    for r in small.rows(frozenset(PLANTS)):
        if r["trial_days"] is None:
            continue
        left = r["trial_limit_days"] - r["trial_days"]
        if 0 <= left < 10:
            near += 1
            window += left < 3
            if r["court_id"] == e.unit:
                mine_near += 1
                mine_window += left < 3
    assert (e.records, e.observed) == (mine_near, mine_window)
    assert e.expected == pytest.approx(mine_near * window / near)
    assert f.units == [e.unit] == [PLANTS["deadline_bunching"][2]]


def test_deviation_band_against_the_pack_rule_by_hand(planted):
    (f,) = run_audit(planted, tests=["guideline_deviation"]).findings
    (e,) = f.evidence
    # cn-fj: guidelines under 36 months get a range 6 months wide (±3), within the ±20 %
    # judicial margin, rounded half up (docs/sentencing.md, the pack's policy).
    # Expected: per guideline sentence, the unit's recommendations × the national share.
    out: dict[int, int] = {}
    n: dict[int, int] = {}
    mine: dict[int, int] = {}
    mine_out = 0
    for r in small.rows(frozenset(PLANTS)):
        if r["recommended_months"] is None:
            continue
        g, rec = r["guideline_months"], r["recommended_months"]
        lo = min(max(g - 3, math.floor(0.8 * g + 0.5)), g)
        hi = max(min(g + 3, math.floor(1.2 * g + 0.5)), g)
        bad = not lo <= rec <= hi
        n[g], out[g] = n.get(g, 0) + 1, out.get(g, 0) + bad
        if r["prosecutor_id"] == e.unit:
            mine[g] = mine.get(g, 0) + 1
            mine_out += bad
    assert (e.records, e.observed) == (sum(mine.values()), mine_out)
    assert e.expected == pytest.approx(sum(k * out[g] / n[g] for g, k in mine.items()))


def test_tests_without_their_records_say_no_data(tmp_path):
    """Only registrations (nothing reached a procuratorate or court): explicit 'no data'."""
    rows = [
        wf.defendant(i, small.county(i % 4), D(2024, 3, 1) + dt.timedelta(days=i % 90))
        for i in range(1, 200)
    ]
    result = run_audit(wf.write(tmp_path / "warehouse", rows))
    status = {t.test: (t.status, t.no_data) for t in result.tests}
    assert status["under_recording"][0] == "nothing found"
    for name in ("deadline_bunching", "underdispersion", "guideline_deviation", "confession_only"):
        assert status[name][0] == "no data" and status[name][1], name
    assert result.findings == []
