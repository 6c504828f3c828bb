"""Every kind of bad facts row gives its exact reject, and only that row is held back.

Each case takes the synthetic facts file, spoils one row (two for a duplicate) the way another
system might, imports the whole file and expects exactly the listed rejects for that row, the
other rows imported, exit code 2 and one line on stderr.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseledger.case import catalogue
from tests.warehouse.conftest import Cli, read, rejects_of, rows_of, write_rows

Row = dict[str, str]
Expected = list[tuple[str, str, str]]  # field, check, reason
Case = Callable[[list[Row]], tuple[list[int], Expected]]


def day(text: str, delta: int) -> str:
    return (dt.date.fromisoformat(text) + dt.timedelta(days=delta)).isoformat()


def first(rows: list[Row], test: Callable[[Row], bool]) -> int:
    return next(i for i, r in enumerate(rows) if test(r))


def set_(i_test: Callable[[Row], bool], expected: Callable[[Row], Expected], **values: str) -> Case:
    """Spoil the first row passing ``i_test`` by setting ``values`` (callables get the row)."""

    def case(rows: list[Row]) -> tuple[list[int], Expected]:
        i = first(rows, i_test)
        want = expected(dict(rows[i]))
        for k, v in values.items():
            rows[i][k] = v(rows[i]) if callable(v) else v  # type: ignore[operator]
        return [i], want

    return case


def anyone(_: Row) -> bool:
    return True


def other_group(r: Row) -> str:
    return next(g for g in catalogue.CRIME_GROUPS if g != r["crime_group"])


def other_prefecture(r: Row) -> str:
    return r["county_code"][:2] + ("98" if r["county_code"][2:4] != "98" else "97") + "00"


def duplicate(rows: list[Row]) -> tuple[list[int], Expected]:
    rows[8]["defendant_id"] = rows[3]["defendant_id"]
    reason = "defendant_id repeated in this import: 2 rows (rows 4, 9)"
    return [3, 8], [("defendant_id", "duplicate", reason)]


CASES: dict[str, Case] = {
    "not an integer": set_(
        anyone, lambda r: [("custody_days", "type", "not an integer")], custody_days="12 days"
    ),
    "too large for int16": set_(
        anyone, lambda r: [("defendant_no", "type", "too large for int16")], defendant_no="40000"
    ),
    "not a date": set_(
        anyone,
        lambda r: [("registered_on", "type", "not a date (expected YYYY-MM-DD)")],
        registered_on="2024-02-30",
    ),
    "not a boolean": set_(
        anyone, lambda r: [("detained", "type", "not true or false")], detained="yes"
    ),
    "missing required value": set_(
        anyone, lambda r: [("reported_on", "required", "missing value (required)")], reported_on=""
    ),
    "unknown crime": set_(
        anyone,
        lambda r: [("crime_code", "crime_code", "unknown crime code (see caseledger crimes)")],
        crime_code="piracy",
    ),
    "crime group not the catalogue's": set_(
        anyone,
        lambda r: [
            (
                "crime_group",
                "crime_group",
                f"does not match the catalogue ({r['crime_code']} is {r['crime_group']})",
            )
        ],
        crime_group=other_group,  # type: ignore[arg-type]
    ),
    "unknown crime group": set_(
        anyone,
        lambda r: [
            (
                "crime_group",
                "crime_group",
                "unknown crime group; expected one of: " + ", ".join(catalogue.CRIME_GROUPS),
            )
        ],
        crime_group="violent",
    ),
    "unknown province": set_(
        anyone,
        lambda r: [("county_code", "region", "unknown province prefix 99 (GB/T 2260)")],
        county_code="999901",
    ),
    "not a county code": set_(
        anyone,
        lambda r: [
            ("county_code", "region", "not a county code (six digits PPCCXX, CC and XX not 00)")
        ],
        county_code=lambda r: r["prefecture_code"],  # type: ignore[arg-type]
    ),
    "prefecture of another county": set_(
        anyone,
        lambda r: [
            (
                "prefecture_code",
                "region",
                f"does not match county_code (expected {r['county_code'][:4]}00)",
            )
        ],
        prefecture_code=other_prefecture,  # type: ignore[arg-type]
    ),
    "registered before reported": set_(
        anyone,
        lambda r: [
            ("registered_on", "order", f"registered_on is before reported_on ({r['reported_on']})")
        ],
        registered_on=lambda r: day(r["reported_on"], -1),  # type: ignore[arg-type]
    ),
    "final before judgment": set_(
        lambda r: bool(r["final_on"]),
        lambda r: [("final_on", "order", f"final_on is before judgment_on ({r['judgment_on']})")],
        final_on=lambda r: day(r["judgment_on"], -1),  # type: ignore[arg-type]
    ),
    "date out of range": set_(
        anyone,
        lambda r: [("reported_on", "range", "outside 1980-01-01 to 2100-12-31")],
        reported_on="1979-12-31",
    ),
    "duplicate id in the file": duplicate,
    "unknown measure": set_(
        anyone,
        lambda r: [
            (
                "pretrial_measure",
                "vocabulary",
                "unknown value; expected one of: arrest, bail, residential_surveillance",
            )
        ],
        pretrial_measure="house_arrest",
    ),
    "third supplementary investigation": set_(
        lambda r: bool(r["transferred_on"]),
        lambda r: [
            (
                "supplementary_rounds",
                "range",
                "more than 2 (CPL art 175(3)-(4): supplementary investigation at most twice)",
            )
        ],
        supplementary_rounds="3",
    ),
    "detention date without detention": set_(
        lambda r: r["detained"] == "false",
        lambda r: [("detained_on", "presence", "must be empty unless detained is true")],
        detained_on=lambda r: r["registered_on"],  # type: ignore[arg-type]
    ),
    "detention without its date": set_(
        lambda r: r["detained"] == "true",
        lambda r: [("detained_on", "presence", "required when detained is true")],
        detained_on="",
    ),
    "investigator of another police": set_(
        anyone,
        lambda r: [
            (
                "investigator_id",
                "agency",
                f"not an official of police_agency_id {r['police_agency_id']}",
            )
        ],
        investigator_id=lambda r: "PSB" + other_prefecture(r)[:4] + "01-I0001",  # type: ignore[arg-type]
    ),
    "court of another region": set_(
        lambda r: r["court_level"] == "basic",
        lambda r: [
            (
                "court_id",
                "agency",
                f"not the county's or the prefecture's court (CRT{r['county_code']} or "
                f"CRT{r['county_code'][:4]}00)",
            ),
            ("judge_id", "agency", "not an official of court_id CRT" + other_prefecture(r)),
        ],
        court_id=lambda r: "CRT" + other_prefecture(r),  # type: ignore[arg-type]
    ),
    "negative exclusions": set_(
        lambda r: bool(r["evidence_excluded"]),
        lambda r: [("evidence_excluded", "range", "less than 0")],
        evidence_excluded="-1",
    ),
    "more exclusions than items": set_(
        lambda r: bool(r["evidence_excluded"]),
        lambda r: [
            (
                "evidence_items",
                "order",
                f"evidence_items is less than evidence_excluded ({int(r['evidence_items']) + 1})",
            )
        ],
        evidence_excluded=lambda r: str(int(r["evidence_items"]) + 1),  # type: ignore[arg-type]
    ),
    "unknown retrial outcome": set_(
        lambda r: bool(r["final_on"]) and not r["retrial_on"],
        lambda r: [
            (
                "retrial_outcome",
                "vocabulary",
                "unknown value; expected one of: upheld, amended, acquitted",
            )
        ],
        retrial_on=lambda r: day(r["final_on"], 200),  # type: ignore[arg-type]
        retrial_outcome="pardoned",
    ),
    "retrial before the judgment is final": set_(
        lambda r: bool(r["final_on"]) and not r["retrial_on"],
        lambda r: [("retrial_on", "order", f"retrial_on is before final_on ({r['final_on']})")],
        retrial_on=lambda r: day(r["final_on"], -1),  # type: ignore[arg-type]
        retrial_outcome="amended",
    ),
    "grade without a review": set_(
        lambda r: not r["reviewed_on"],
        lambda r: [("review_grade", "presence", "must be empty unless reviewed_on is given")],
        review_grade="flawed",
    ),
    "unknown review grade": set_(
        lambda r: bool(r["reviewed_on"]),
        lambda r: [
            (
                "review_grade",
                "vocabulary",
                "unknown value; expected one of: excellent, qualified, flawed, unqualified",
            )
        ],
        review_grade="bad",
    ),
    "unknown sentencing pack": set_(
        lambda r: bool(r["guideline_months"]),
        lambda r: [
            ("guideline_pack", "catalogue", "unknown sentencing pack; expected one of: cn-fj")
        ],
        guideline_pack="cn-xx",
    ),
}


@pytest.fixture(scope="module")
def facts(files: dict[str, Path]) -> list[Row]:
    return rows_of(files["csv"])


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_bad_row_gives_its_reject(
    cli: Cli, facts: list[Row], tmp_path: Path, name: str
) -> None:
    rows = [dict(r) for r in facts]
    spoiled, expected = CASES[name](rows)
    src = write_rows(tmp_path / "facts.csv", rows)
    wh = tmp_path / "wh"
    result = cli("import", src, "--warehouse", wh, code=2)
    n = len(spoiled)
    rejects_file = tmp_path / "facts.rejects.csv"
    assert result.stderr.strip().splitlines() == [
        f"error: {n} of {len(rows):,} rows rejected, {len(rows) - n:,} imported "
        f"[rejects={rejects_file}]"
    ]
    got = rejects_of(rejects_file)
    assert {int(r["row"]) for r in got} == {i + 1 for i in spoiled}
    assert sorted({(r["field"], r["check"], r["reason"]) for r in got}) == sorted(expected)
    assert all(r["file"] == str(src) for r in got)
    ids = read(wh, "defendants")["defendant_id"]
    want = {int(r["defendant_id"]) for i, r in enumerate(rows) if i not in spoiled}
    assert set(ids.to_list()) == want and ids.len() == len(want)


def test_a_year_column_must_match_the_cohort(cli: Cli, facts: list[Row], tmp_path: Path) -> None:
    rows = [dict(r, year=r["registered_on"][:4]) for r in facts[:40]]
    rows[6]["year"] = "1999"
    write_rows(tmp_path / "f.csv", rows)
    cli("import", tmp_path / "f.csv", "--warehouse", tmp_path / "wh", "--quiet", code=2)
    (reject,) = rejects_of(tmp_path / "f.rejects.csv")
    cohort = rows[6]["registered_on"][:4]
    assert (reject["row"], reject["field"], reject["reason"]) == (
        "7",
        "year",
        f"does not match the year of registered_on ({cohort})",
    )


SPOILERS: dict[str, tuple[str, str]] = {
    "custody_days": ("x", "type"),
    "crime_code": ("piracy", "crime_code"),
    "county_code": ("000000", "region"),
    "reported_on": ("", "required"),
    "plea": ("perhaps", "type"),
    "verdict": ("guilty", "vocabulary"),
    "total_days": ("-5", "range"),
    "police_agency_id": ("police", "format"),
}


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    spoil=st.dictionaries(
        st.integers(min_value=0, max_value=199), st.sampled_from(sorted(SPOILERS)), max_size=12
    )
)
def test_rejected_rows_are_exactly_the_spoiled_ones(
    cli: Cli, facts: list[Row], tmp_path_factory: pytest.TempPathFactory, spoil: dict[int, str]
) -> None:
    tmp = tmp_path_factory.mktemp("prop")
    rows = [dict(r) for r in facts[:200]]
    for i, col in spoil.items():
        rows[i][col] = SPOILERS[col][0]
    write_rows(tmp / "f.csv", rows)
    cli("import", tmp / "f.csv", "--warehouse", tmp / "wh", "--quiet", code=2 if spoil else 0)
    got = rejects_of(tmp / "f.rejects.csv")
    assert {(int(r["row"]) - 1, r["field"]) for r in got if r["field"] in spoil.values()} == {
        (i, col) for i, col in spoil.items()
    }
    assert {int(r["row"]) - 1 for r in got} == set(spoil)
    for i, col in spoil.items():  # the spoiled field's own check is among its reasons
        checks = {r["check"] for r in got if int(r["row"]) - 1 == i and r["field"] == col}
        assert SPOILERS[col][1] in checks
    stored = read(tmp / "wh", "defendants") if (tmp / "wh" / "defendants").exists() else None
    kept = {int(r["defendant_id"]) for i, r in enumerate(rows) if i not in spoil}
    assert set(stored["defendant_id"].to_list() if stored is not None else []) == kept
    assert pl.Series(list(kept)).len() == (stored.height if stored is not None else 0)
