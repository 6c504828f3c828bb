"""Synthetic regions, agencies and officials.

Codes imitate GB/T 2260: a six-digit code ``PPCCXX`` for a county, ``PPCC00`` for its
prefecture and ``PP0000`` for its province. The 31 province prefixes are the real GB/T 2260
ones so that codes look familiar, but every prefecture and county code, every size and every
agency is **synthetic**: no figure in the warehouse describes a real place.

Agencies: police ``PSB<county>``, procuratorates ``PRO<county>`` (basic) and
``PRO<prefecture>`` (branch level), courts ``CRT<county>`` (basic) and ``CRT<prefecture>``
(intermediate). Officials: ``<agency>-I0001`` investigators, ``-P001`` prosecutors, ``-J001``
judges, ``-Q001`` case-quality officers (of the procuratorates), with head-counts scaled to the
expected case load.

The layout is drawn from a fixed seed (:data:`GEOGRAPHY_SEED`), so every run — whatever its
``--seed`` — uses the same regions; only the volume-dependent head-counts change with ``N``.

Must never: use real place names or real statistics per place.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

GEOGRAPHY_SEED = 2260
PROVINCES = (
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
    50, 51, 52, 53, 54, 61, 62, 63, 64, 65,
)  # fmt: skip
CASES_PER_INVESTIGATOR = 40
CASES_PER_PROSECUTOR = 120
CASES_PER_JUDGE = 150
CASES_PER_QUALITY_OFFICER = 2000  # concluded cases a case-management officer oversees a year


@dataclass(frozen=True)
class Officials:
    """Ids of one kind of official, flattened.

    Agency ``a`` owns ``ids[start[a] : start[a] + count[a]]``.
    """

    ids: pa.Array
    start: np.ndarray
    count: np.ndarray

    def draw(self, rng: np.random.Generator, agency: np.ndarray) -> np.ndarray:
        """Global index into ``ids`` of one official of each given agency, uniformly."""
        local = (rng.random(agency.size) * self.count[agency]).astype(np.int64)
        return self.start[agency] + local


@dataclass(frozen=True)
class Geography:
    county_code: pa.Array  # strings, one per county
    prefecture_code: pa.Array  # strings, one per prefecture
    province_code: pa.Array  # strings, one per province
    county_prefecture: np.ndarray  # county -> prefecture index
    county_province: np.ndarray  # county -> province index
    county_weight: np.ndarray  # share of national volume, sums to 1
    province_counties: list[np.ndarray]  # province -> its county indices (sorted by code)
    agency_ids: dict[str, pa.Array]  # PSB/PRO/CRT by county; PRO2/CRT2 by prefecture; CRT3 high
    investigators: Officials  # by county police
    prosecutors: Officials  # by county procuratorate, then prefecture ones (offset n_counties)
    judges: Officials  # by county court, then intermediate courts (offset n_counties), then
    # high courts (offset n_counties + prefectures; they hear appeals and retrials only)
    quality_officers: Officials  # by procuratorate, as ``prosecutors`` (case-management office)

    @property
    def n_counties(self) -> int:
        return len(self.county_code)


def _officials(prefix: list[str], tag: str, per_year: np.ndarray, per_official: int) -> Officials:
    count = np.maximum(2, np.ceil(per_year / per_official)).astype(np.int64)
    start = np.concatenate([[0], np.cumsum(count)[:-1]]).astype(np.int64)
    width = 4 if tag == "I" else 3
    ids = [
        f"{p}-{tag}{i + 1:0{width}d}" for p, c in zip(prefix, count, strict=True) for i in range(c)
    ]
    return Officials(ids=pa.array(ids, pa.string()), start=start, count=count)


def build(defendants_per_year: int) -> Geography:
    """The synthetic country; head-counts sized for ``defendants_per_year``."""
    rng = np.random.default_rng(GEOGRAPHY_SEED)
    counties: list[str] = []
    prefectures: list[str] = []
    c_pref: list[int] = []
    c_prov: list[int] = []
    prov_counties: list[np.ndarray] = []
    for p_idx, prov in enumerate(PROVINCES):
        first = len(counties)
        for pf in range(1, int(rng.integers(6, 17)) + 1):
            prefectures.append(f"{prov:02d}{pf:02d}00")
            for ct in range(1, int(rng.integers(4, 15)) + 1):
                counties.append(f"{prov:02d}{pf:02d}{ct:02d}")
                c_pref.append(len(prefectures) - 1)
                c_prov.append(p_idx)
        prov_counties.append(np.arange(first, len(counties)))
    weight = rng.lognormal(0.0, 0.6, len(counties))
    weight /= weight.sum()
    pref_arr = np.asarray(c_pref)
    per_year = weight * defendants_per_year
    pref_year = np.bincount(pref_arr, weights=per_year, minlength=len(prefectures))
    agencies = {
        "PSB": pa.array([f"PSB{c}" for c in counties]),
        "PRO": pa.array([f"PRO{c}" for c in counties]),
        "CRT": pa.array([f"CRT{c}" for c in counties]),
        "PRO2": pa.array([f"PRO{p}" for p in prefectures]),
        "CRT2": pa.array([f"CRT{p}" for p in prefectures]),
        "CRT3": pa.array([f"CRT{p:02d}0000" for p in PROVINCES]),
    }
    # Branch procuratorates and intermediate courts handle only a few per cent of cases.
    pref_load = np.maximum(pref_year * 0.05, 1.0)
    return Geography(
        county_code=pa.array(counties),
        prefecture_code=pa.array(prefectures),
        province_code=pa.array([f"{p:02d}0000" for p in PROVINCES]),
        county_prefecture=pref_arr,
        county_province=np.asarray(c_prov),
        county_weight=weight,
        province_counties=prov_counties,
        agency_ids=agencies,
        investigators=_officials(
            [f"PSB{c}" for c in counties], "I", per_year, CASES_PER_INVESTIGATOR
        ),
        prosecutors=_officials(
            [f"PRO{c}" for c in counties] + [f"PRO{p}" for p in prefectures],
            "P",
            np.concatenate([per_year, pref_load]),
            CASES_PER_PROSECUTOR,
        ),
        judges=_officials(
            [f"CRT{c}" for c in counties]
            + [f"CRT{p}" for p in prefectures]
            + [f"CRT{p:02d}0000" for p in PROVINCES],
            "J",
            np.concatenate([per_year, pref_load, np.ones(len(PROVINCES))]),
            CASES_PER_JUDGE,
        ),
        quality_officers=_officials(
            [f"PRO{c}" for c in counties] + [f"PRO{p}" for p in prefectures],
            "Q",
            np.concatenate([per_year, pref_load]),
            CASES_PER_QUALITY_OFFICER,
        ),
    )


def apportion(total: int, weights: np.ndarray) -> np.ndarray:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder method)."""
    exact = weights / weights.sum() * total
    base = np.floor(exact).astype(np.int64)
    short = total - int(base.sum())
    if short:
        order = np.argsort(-(exact - base), kind="stable")[:short]
        base[order] += 1
    return base


def check_capacity(defendants_per_year: int) -> bool:
    """True when ids fit: a province's serials must stay below 10^7 (see ``lifecycle``)."""
    return math.ceil(defendants_per_year * 0.2) < 10_000_000
