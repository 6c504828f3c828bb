"""A small warehouse made by hand (real Parquet through the real writer) and a plain-Python
oracle for every indicator, written independently of the Ibis definitions."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa

from caseledger.warehouse import schema as wschema
from caseledger.warehouse.writer import open_warehouse

Row = dict[str, Any]
D = dt.date
COUNTIES = [
    ("110101", "110100", "110000"),
    ("110102", "110100", "110000"),
    ("110201", "110200", "110000"),
    ("120101", "120100", "120000"),
]
GROUPS = ("property", "public_safety", "drugs")


def blank(**values: Any) -> Row:
    row: Row = dict.fromkeys(wschema.DEFENDANTS.schema.names)
    row.update(values)
    return row


def defendant(
    i: int,
    county: tuple[str, str, str],
    registered: dt.date,
    *,
    crime_group: str = "property",
    intermediate: bool = False,
    **values: Any,
) -> Row:
    """A defendant with ids, region and agencies filled; the rest from ``values``."""
    c, pref, prov = county
    row = blank(
        defendant_id=registered.year * 10**9 + i,
        case_id=registered.year * 10**9 + i,
        defendant_no=1,
        province_code=prov,
        prefecture_code=pref,
        county_code=c,
        police_agency_id=f"PSB{c}",
        investigator_id=f"PSB{c}-I0001",
        crime_code="theft",
        crime_group=crime_group,
        reported_on=registered,
        registered_on=registered,
        suspect_identified_on=registered,
        detained=False,
        arrest_requested=False,
        withdrawn=False,
        plea=False,
        custody_days=0,
        near_limit_count=0,
        overdue_count=0,
        flag_count=0,
    )
    row.update(values)
    if row["prosecuted"] is not None:
        row["procuratorate_id"] = f"PRO{pref if intermediate else c}"
    if row["verdict"] is not None:
        row["court_id"] = f"CRT{pref if intermediate else c}"
        row["court_level"] = "intermediate" if intermediate else "basic"
    return row


def random_rows(n: int, seed: int = 5) -> list[Row]:
    """``n`` defendants with every path of the lifecycle, drawn from a fixed seed."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        county = rng.choice(COUNTIES)
        reg = D(2024, 1, 1) + dt.timedelta(days=rng.randrange(0, 300))
        v: Row = {
            "reported_on": reg - dt.timedelta(days=rng.choice([0, 1, 3, 7, 8, 12, 40])),
            "suspect_identified_on": reg + dt.timedelta(days=rng.choice([-3, 0, 0, 2, 10])),
            "detained": rng.random() < 0.7,
            "near_limit_count": rng.choice([0, 0, 0, 1, 2]),
            "overdue_count": rng.choice([0, 0, 0, 0, 1]),
        }
        v["arrest_requested"] = v["detained"] and rng.random() < 0.8
        plea = rng.random() < 0.75
        v["plea"] = plea
        v["plea_stage"] = rng.choice(["investigation", "prosecution", "trial"]) if plea else None
        if v["arrest_requested"]:
            v["arrest_decided_on"] = reg + dt.timedelta(days=rng.randrange(3, 40))
            v["arrest_approved"] = rng.random() < 0.7
            if not v["arrest_approved"]:
                v["non_arrest_ground"] = rng.choice(
                    ["minor_with_plea", "no_necessity", "insufficient_evidence", "no_crime"]
                )
        v["pretrial_measure"] = (
            "arrest"
            if v.get("arrest_approved")
            else rng.choice(["bail", "residential_surveillance"])
        )
        v["custody_days"] = (
            rng.randrange(20, 150) if v["pretrial_measure"] == "arrest" else rng.choice([0, 3])
        )
        intermediate = rng.random() < 0.15
        if rng.random() < 0.06:
            v["withdrawn"] = True
            v["total_days"] = rng.randrange(5, 80)
        else:
            transferred = reg + dt.timedelta(days=rng.randrange(20, 120))
            decided = transferred + dt.timedelta(days=rng.randrange(5, 45))
            v.update(
                transferred_on=transferred,
                prosecution_decided_on=decided,
                supplementary_rounds=rng.choice([0, 0, 0, 1, 2]),
                evidence_items=rng.randrange(1, 9),
                evidence_basis=rng.choice(["corroborated"] * 5 + ["confession_only"]),
                evidence_excluded=rng.choice([0] * 8 + [1, 2]),
                prosecuted=rng.random() < 0.85,
            )
            if not v["prosecuted"]:
                v["non_prosecution_ground"] = rng.choice(
                    ["insufficient_evidence", "no_crime", "minor"]
                )
                if v["plea_stage"] == "trial":
                    v["plea_stage"] = "prosecution"
                v["total_days"] = (decided - reg).days
            else:
                if plea:
                    v["recommendation_type"] = rng.choice(["definite"] * 4 + ["range"])
                procedure = rng.choice(["fast_track", "summary", "ordinary"])
                accepted = decided + dt.timedelta(days=rng.randrange(1, 6))
                trial_days = rng.randrange(3, 60)
                judged = accepted + dt.timedelta(days=trial_days)
                verdict = rng.choice(["convicted"] * 17 + ["acquitted", "exempted"])
                final = judged + dt.timedelta(days=rng.randrange(10, 40))
                v.update(
                    procedure=procedure,
                    trial_accepted_on=accepted,
                    trial_days=trial_days,
                    trial_limit_days={"fast_track": 10, "summary": 20, "ordinary": 60}[procedure],
                    judgment_on=judged,
                    verdict=verdict,
                    appealed=rng.random() < 0.15,
                    final_on=final,
                    total_days=(final - reg).days,
                )
                if verdict == "convicted":
                    v["probation"] = rng.random() < 0.4
                    if rng.random() < 0.2:
                        v["retrial_on"] = final + dt.timedelta(days=rng.randrange(60, 400))
                        v["retrial_outcome"] = rng.choice(
                            ["upheld", "upheld", "amended", "acquitted"]
                        )
                if v.get("recommendation_type"):
                    decision = rng.choice(["adopted"] * 8 + ["adjusted", "rejected"])
                    v["court_decision"] = decision
                    v["recommendation_adopted"] = decision == "adopted"
        if v.get("total_days") is not None and rng.random() < 0.3:
            end = reg + dt.timedelta(days=v["total_days"])
            v["reviewed_on"] = end + dt.timedelta(days=rng.randrange(10, 90))
            v["review_grade"] = rng.choice(
                ["excellent", "qualified", "qualified", "flawed", "unqualified"]
            )
        rows.append(
            defendant(
                i,
                county,
                reg,
                crime_group=rng.choice(GROUPS),
                intermediate=intermediate,
                **v,
            )
        )
    return rows


def write(path: Path, rows: list[Row]) -> Path:
    """Write ``rows`` as a warehouse at ``path`` through the real writer (sorted, by year)."""
    by_year: dict[int, list[Row]] = {}
    for row in rows:
        by_year.setdefault(row["registered_on"].year, []).append(row)
    meta = {"generator": "tests/analytics hand-made fixture", "synthetic": True}
    with open_warehouse(path, meta) as writer:
        for year in sorted(by_year):
            part = sorted(
                by_year[year],
                key=lambda r: (r["county_code"], r["registered_on"], r["defendant_id"]),
            )
            table = pa.Table.from_pylist(part, schema=wschema.DEFENDANTS.schema)
            writer.write("defendants", year, table)
            writer.close_year(year)
    return path


# ---- the oracle: each indicator as (date, denominator, numerator) over plain dicts ---------


def _disposed_on(r: Row) -> dt.date | None:
    return None if r["total_days"] is None else r["registered_on"] + dt.timedelta(r["total_days"])


def _is(value: Any) -> bool:
    return value is True


DATE: dict[str, Callable[[Row], dt.date | None]] = {
    "registration": lambda r: r["registered_on"],
    "arrest_decision": lambda r: r["arrest_decided_on"],
    "prosecution_decision": lambda r: r["prosecution_decided_on"],
    "judgment": lambda r: r["judgment_on"],
    "disposition": _disposed_on,
    "retrial": lambda r: r["retrial_on"],
    "review": lambda r: r["reviewed_on"],
}

Pred = Callable[[Row], bool]


def _decided_arrest(r: Row) -> bool:
    return _is(r["arrest_requested"]) and r["arrest_approved"] is not None


def _refused(r: Row) -> bool:
    return _decided_arrest(r) and r["arrest_approved"] is False


def _decided(r: Row) -> bool:
    return r["prosecuted"] is not None


def _judged(r: Row) -> bool:
    return r["verdict"] is not None


def _convicted(r: Row) -> bool:
    return r["verdict"] == "convicted"


ORACLE: dict[str, tuple[str, Pred, Pred]] = {
    "criminal_detention_rate": ("registration", lambda r: True, lambda r: _is(r["detained"])),
    "pretrial_detention_rate": (
        "prosecution_decision",
        _decided,
        lambda r: r["pretrial_measure"] == "arrest",
    ),
    "non_arrest_rate": ("arrest_decision", _decided_arrest, _refused),
    "non_arrest_rate.plea": (
        "arrest_decision",
        lambda r: _decided_arrest(r) and r["plea_stage"] == "investigation",
        _refused,
    ),
    "non_prosecution_rate": ("prosecution_decision", _decided, lambda r: r["prosecuted"] is False),
    "plea_rate": ("prosecution_decision", _decided, lambda r: _is(r["plea"])),
    "definite_recommendation_share": (
        "prosecution_decision",
        lambda r: _decided(r) and r["recommendation_type"] is not None,
        lambda r: r["recommendation_type"] == "definite",
    ),
    "recommendation_adoption_rate": (
        "judgment",
        lambda r: _judged(r) and r["court_decision"] is not None,
        lambda r: r["court_decision"] == "adopted",
    ),
    "acquittal_rate": ("judgment", _judged, lambda r: r["verdict"] == "acquitted"),
    "appeal_rate": ("judgment", _judged, lambda r: _is(r["appealed"])),
    "appeal_rate.plea": ("judgment", lambda r: _judged(r) and r["plea"], lambda r: r["appealed"]),
    "appeal_rate.other": (
        "judgment",
        lambda r: _judged(r) and not r["plea"],
        lambda r: _is(r["appealed"]),
    ),
    "probation_rate": ("judgment", _convicted, lambda r: _is(r["probation"])),
    "probation_rate.plea": (
        "judgment",
        lambda r: _convicted(r) and r["plea"],
        lambda r: _is(r["probation"]),
    ),
    "probation_rate.other": (
        "judgment",
        lambda r: _convicted(r) and not r["plea"],
        lambda r: _is(r["probation"]),
    ),
    "fast_track_share": ("judgment", _judged, lambda r: r["procedure"] == "fast_track"),
    "fast_track_within_limit": (
        "judgment",
        lambda r: _judged(r) and r["procedure"] == "fast_track",
        lambda r: r["trial_days"] <= 10,
    ),
    "check.near_limit_closure": (
        "disposition",
        lambda r: r["total_days"] is not None,
        lambda r: r["near_limit_count"] >= 1,
    ),
    "check.overdue_stage": (
        "disposition",
        lambda r: r["total_days"] is not None,
        lambda r: r["overdue_count"] >= 1,
    ),
    "check.confession_only_conviction": (
        "judgment",
        _convicted,
        lambda r: r["evidence_basis"] == "confession_only",
    ),
    "check.long_custody_release": (
        "disposition",
        lambda r: (
            r["total_days"] is not None
            and (r["verdict"] == "acquitted" or r["prosecuted"] is False)
        ),
        lambda r: r["custody_days"] > 60,
    ),
    "check.two_supplementary_rounds": (
        "prosecution_decision",
        _decided,
        lambda r: r["supplementary_rounds"] >= 2,
    ),
    "check.registration_lag": (
        "registration",
        lambda r: True,
        lambda r: (r["registered_on"] - r["reported_on"]).days > 7,
    ),
    "check.suspect_known_at_registration": (
        "registration",
        lambda r: True,
        lambda r: r["suspect_identified_on"] <= r["registered_on"],
    ),
}
ORACLE["evidence_exclusion_rate"] = (
    "prosecution_decision",
    lambda r: _decided(r) and r["evidence_excluded"] is not None,
    lambda r: r["evidence_excluded"] > 0,
)
ORACLE["corrected_conviction_rate"] = (
    "retrial",
    lambda r: r["retrial_outcome"] is not None,
    lambda r: r["retrial_outcome"] in ("amended", "acquitted"),
)
for _g in ("excellent", "qualified", "flawed", "unqualified"):
    ORACLE[f"review_grade.{_g}"] = (
        "review",
        lambda r: r["review_grade"] is not None,
        lambda r, g=_g: r["review_grade"] == g,
    )
for _g in ("minor_with_plea", "no_necessity", "insufficient_evidence", "no_crime"):
    ORACLE[f"non_arrest_rate.{_g}"] = (
        "arrest_decision",
        _decided_arrest,
        lambda r, g=_g: _refused(r) and r["non_arrest_ground"] == g,
    )
for _g in ("insufficient_evidence", "no_crime", "minor"):
    ORACLE[f"non_prosecution_rate.{_g}"] = (
        "prosecution_decision",
        _decided,
        lambda r, g=_g: r["prosecuted"] is False and r["non_prosecution_ground"] == g,
    )
for _s in ("investigation", "prosecution", "trial"):
    ORACLE[f"plea_rate.{_s}"] = (
        "prosecution_decision",
        _decided,
        lambda r, s=_s: _is(r["plea"]) and r["plea_stage"] == s,
    )

AGENCY = {
    "criminal_detention_rate": "police_agency_id",
    "disposition_days": "police_agency_id",
}


def unit_of(row: Row, level: str, agency_column: str) -> str | None:
    if level == "national":
        return "all"
    column = {
        "province": "province_code",
        "prefecture": "prefecture_code",
        "county": "county_code",
        "police": "police_agency_id",
        "procuratorate": "procuratorate_id",
        "court": "court_id",
        "crime_group": "crime_group",
        "procedure": "procedure",
        "agency": agency_column,
    }[level]
    return row[column]


def period_of(day: dt.date, granularity: str) -> str:
    if granularity == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if granularity == "quarter":
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    if granularity == "year":
        return f"{day.year:04d}"
    return "all"


def oracle_rate(
    rows: list[Row], indicator: str, level: str, granularity: str, agency_column: str
) -> dict[tuple[str, str], tuple[int, int]]:
    """(unit, period) -> (numerator, denominator), counted row by row."""
    family, den, num = ORACLE[indicator]
    out: dict[tuple[str, str], list[int]] = {}
    for r in rows:
        day = DATE[family](r)
        if day is None or not den(r):
            continue
        unit = unit_of(r, level, agency_column)
        if unit is None:
            continue
        cell = out.setdefault((unit, period_of(day, granularity)), [0, 0])
        cell[1] += 1
        cell[0] += 1 if num(r) else 0
    return {k: (v[0], v[1]) for k, v in out.items()}


def oracle_days(
    rows: list[Row], level: str, granularity: str
) -> dict[tuple[str, str], tuple[int, int, int]]:
    """(unit, period) -> (defendants, median, 90th percentile) of total_days, nearest rank."""
    groups: dict[tuple[str, str], list[int]] = {}
    for r in rows:
        day = _disposed_on(r)
        unit = unit_of(r, level, "police_agency_id")
        if day is None or unit is None:
            continue
        groups.setdefault((unit, period_of(day, granularity)), []).append(r["total_days"])
    out = {}
    for key, values in groups.items():
        values.sort()
        n = len(values)

        def at(q: int, values: list[int] = values, n: int = n) -> int:
            rank = -(-q * n // 100)  # ceil(q n / 100)
            return values[rank - 1]

        out[key] = (n, at(50), at(90))
    return out
