"""Guideline packs: the shipped ones are valid and labelled; each broken pack gives its error."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from caseledger.errors import InvalidInput, RulePackInvalid
from caseledger.sentencing.compiled import Library
from caseledger.sentencing.packs import GUIDELINES

BROKEN = sorted((Path(__file__).parent / "broken").glob("*.yaml"))
REQUIRED_CRIMES = {
    "theft", "fraud", "dangerous_driving", "intentional_injury", "robbery", "traffic_accident",
    "drug_trafficking", "helping_information_network_crime", "picking_quarrels", "opening_casino",
}  # fmt: skip


def _header(path: Path, name: str) -> str:
    m = re.search(rf"^# {name}: (.*)$", path.read_text(encoding="utf-8"), re.M)
    assert m, f"{path.name} lacks '# {name}:'"
    return m.group(1)


@pytest.mark.parametrize("path", BROKEN, ids=[p.stem for p in BROKEN])
def test_broken_pack_gives_its_error(path: Path, tmp_path: Path) -> None:
    shutil.copy(path, tmp_path / path.name)
    with pytest.raises(RulePackInvalid) as info:
        Library([GUIDELINES, tmp_path])
    err = info.value
    assert _header(path, "expect") in err.message
    assert err.context["file"] == path.name
    key = _header(path, "key")
    if key != "None":
        assert err.context.get("key", "").endswith(key) or key in err.message


def test_shipped_packs_load(lib: Library) -> None:
    assert set(lib.packs) == {"cn-national", "cn-fj"}
    assert lib.packs["cn-national"].abstract
    assert lib.jurisdictions == ["CN-FJ"]


def test_required_crimes_and_at_least_15(lib: Library) -> None:
    view = lib.select("CN-FJ", dt.date(2024, 9, 1))
    assert set(view.crimes) >= REQUIRED_CRIMES
    assert len(view.crimes) >= 15


def test_every_figure_has_source_confidence_and_dates(lib: Library) -> None:
    pack = lib.packs["cn-fj"]
    for code, crime in pack.crimes.items():
        assert crime.src and crime.conf in {"C", "C17", "R"}, code
        for tier in crime.tiers:
            for item in (tier.statutory, tier.start, *tier.increments):
                assert item is not None and item.doc in pack.documents, (code, tier.id)
        for name, th in crime.thresholds.items():
            assert th.doc in pack.documents, (code, name)
    for code, circ in pack.circumstances.items():
        assert circ.min_pct is not None and circ.doc in pack.documents, code
    for name, setting in pack.policy.items():
        assert setting.doc in pack.documents, name
    assert pack.valid_from == dt.date(2021, 7, 1)


def test_plea_ladder_is_labelled_local_practice_not_national(lib: Library) -> None:
    view = lib.select(None, dt.date(2024, 9, 1))
    assert view.ladder == {"investigation": 30, "prosecution": 20, "trial": 10}
    assert view.ladder_cite.provenance == "local_practice"
    assert view.ladder_cite.conf == "R"


def test_not_obtained_starting_points_are_assumed_with_reasoning(lib: Library) -> None:
    view = lib.select(None, dt.date(2024, 9, 1))
    for code in ("helping_information_network_crime", "opening_casino"):
        for tier in view.crimes[code].tiers:
            assert tier.start_cite.provenance == "assumed"
            assert tier.start_cite.conf == "R"
            assert tier.start_cite.note and "not obtained" in tier.start_cite.note
            assert tier.stat_lo <= tier.start_lo <= tier.start_hi <= tier.stat_hi


def test_provincial_thresholds_inside_national_ranges(lib: Library) -> None:
    national = lib.packs["cn-national"].crimes
    for code, crime in lib.packs["cn-fj"].crimes.items():
        for name, th in crime.thresholds.items():
            rng = national[code].thresholds[name].range
            if rng and th.value is not None:
                assert rng[0] <= th.value <= rng[1], (code, name)


def test_sg2024_crimes_start_on_2024_07_01(lib: Library) -> None:
    before = lib.select(None, dt.date(2024, 6, 30))
    after = lib.select(None, dt.date(2024, 7, 1))
    new = {"illegal_business_operation", "helping_information_network_crime", "opening_casino"}
    assert new.isdisjoint(before.crimes) and new <= set(after.crimes)
    assert before.period[1] == dt.date(2024, 6, 30) and after.period[0] == dt.date(2024, 7, 1)


def test_no_pack_before_sg2021(lib: Library) -> None:
    with pytest.raises(InvalidInput) as info:
        lib.select(None, dt.date(2021, 6, 30))
    assert info.value.context["field"] == "as_of"
    assert "2021-07-01" in info.value.context["allowed"]


def test_second_province_requires_jurisdiction(tmp_path: Path) -> None:
    text = (GUIDELINES / "cn-fj.yaml").read_text(encoding="utf-8")
    text = text.replace("pack: cn-fj", "pack: xx-test").replace(
        "jurisdiction: CN-FJ", "jurisdiction: XX"
    )
    text = text.replace(
        'large: {value: 2000, src: "FJ-IR 盗窃 数额较大"',
        'large: {value: 3000, src: "FJ-IR 盗窃 数额较大"',
    )
    (tmp_path / "xx.yaml").write_text(text, encoding="utf-8")
    lib = Library([GUIDELINES, tmp_path])
    with pytest.raises(InvalidInput) as info:
        lib.select(None, dt.date(2024, 1, 1))
    assert info.value.context == {"field": "jurisdiction", "allowed": "CN-FJ, XX"}
    xx = lib.select("XX", dt.date(2024, 1, 1))
    assert xx.pack == "xx-test" and xx.crimes["theft"].thresholds["large"][0] == 3000
    assert lib.select("CN-FJ", dt.date(2024, 1, 1)).crimes["theft"].thresholds["large"][0] == 2000
