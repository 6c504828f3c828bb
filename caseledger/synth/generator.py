"""Run the generator: chunk by year and province, write the warehouse, report progress.

Determinism: each chunk draws from its own stream ``numpy.random.default_rng([seed, year,
province])`` (PCG64), so a chunk's rows do not depend on which other chunks ran or in what
order, and the same seed gives byte-identical Parquet files (same library versions). The
geography is fixed (``geography.GEOGRAPHY_SEED``); the planted units come from the seed.

Memory is bounded by one chunk (a province-year, ~8 % of a year at most) plus the writer's
row-group buffers. While the main thread writes a chunk (pyarrow releases the GIL), one worker
thread generates the next.

Must never: write anywhere but through :func:`caseledger.warehouse.writer.open_warehouse`, or
print — progress goes to the ``progress`` callback.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from caseledger.case import catalogue
from caseledger.errors import InvalidInput
from caseledger.synth import events as ev
from caseledger.synth import geography, lifecycle, plants, tables
from caseledger.synth.calibration import Calibration, load
from caseledger.synth.sentences import crime_table
from caseledger.warehouse.schema import SCHEMA_VERSION
from caseledger.warehouse.writer import open_warehouse

GENERATOR_VERSION = 1
MAX_DEFENDANTS = 50_000_000
MAX_YEARS = 50
Progress = Callable[[int], None]


@dataclass(frozen=True)
class SynthRequest:
    defendants: int
    years: int
    seed: int
    warehouse: Path
    plants: tuple[str, ...] = ()
    first_year: int | None = None

    def year_range(self) -> range:
        first = self.first_year if self.first_year is not None else 2024 - self.years + 1
        return range(first, first + self.years)


@dataclass
class SynthReport:
    warehouse: Path
    seed: int
    years: list[int]
    defendants: int
    events: int
    plants: dict[str, dict[str, str]]
    seconds: float
    rows_per_year: dict[int, dict[str, int]] = field(default_factory=dict)


def validate(req: SynthRequest) -> None:
    """Refuse impossible requests before any work, with one clear line each."""
    if not 1 <= req.defendants <= MAX_DEFENDANTS:
        raise InvalidInput(
            f"--defendants must be between 1 and {MAX_DEFENDANTS:,}", value=req.defendants
        )
    if not 1 <= req.years <= MAX_YEARS:
        raise InvalidInput(f"--years must be between 1 and {MAX_YEARS}", value=req.years)
    if not 0 <= req.seed < 2**63:
        raise InvalidInput("--seed must be a non-negative integer below 2^63", value=req.seed)
    first = req.year_range().start
    if not 1980 <= first <= 2100 - req.years + 1:
        raise InvalidInput("years must lie between 1980 and 2100", first_year=first)
    plants.make_plan(list(req.plants), geography.build(1), req.seed)


class _Setup:
    """Everything fixed for a run: calibration, catalogue, geography, plan, table context."""

    def __init__(self, req: SynthRequest, cal: Calibration) -> None:
        self.cal = cal
        rows = list(catalogue.catalogue().values())
        codes = [c.code for c in rows]
        groups = [c.crime_group for c in rows]
        maxp = [c.max_penalty for c in rows]
        self.table = crime_table(cal, codes, groups, maxp)
        self.crimes = lifecycle.crimes_for(cal, self.table, maxp)
        self.geo = geography.build(req.defendants)
        self.plan = plants.make_plan(list(req.plants), self.geo, req.seed)
        self.ctx = tables.context(self.geo, codes, groups)
        prov_w = np.array([self.geo.county_weight[c].sum() for c in self.geo.province_counties])
        self.per_province = geography.apportion(req.defendants, prov_w)


def setup_for(req: SynthRequest, cal: Calibration | None = None) -> _Setup:
    """What a run of ``req`` needs (validated first)."""
    validate(req)
    return _Setup(req, cal or load())


def records(setup: _Setup, seed: int, year: int, province: int) -> lifecycle.Records:
    """The records of one chunk (the same for the warehouse and the ledger output)."""
    n = int(setup.per_province[province])
    rng = np.random.default_rng([seed, year, province])
    return lifecycle.generate(
        rng=rng,
        geo=setup.geo,
        cal=setup.cal,
        crimes=setup.crimes,
        plan=setup.plan,
        year=year,
        province=province,
        n=n,
    )


def chunk_keys(setup: _Setup, req: SynthRequest) -> list[tuple[int, int]]:
    """(year, province) of every chunk, in output order."""
    return [
        (y, p)
        for y in req.year_range()
        for p in range(len(setup.per_province))
        if setup.per_province[p]
    ]


def _chunk(setup: _Setup, seed: int, year: int, province: int) -> tuple[pa.Table, pa.Table]:
    rec = records(setup, seed, year, province)
    return tables.defendants(rec, setup.ctx, year, province), ev.events(
        rec, setup.ctx, year, province
    )


def _chunks(setup: _Setup, req: SynthRequest) -> Iterator[tuple[int, pa.Table, pa.Table]]:
    keys = chunk_keys(setup, req)
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = [pool.submit(_chunk, setup, req.seed, *k) for k in keys[:1]]
        for i, key in enumerate(keys):
            done = pending.pop(0)
            if i + 1 < len(keys):
                pending.append(pool.submit(_chunk, setup, req.seed, *keys[i + 1]))
            d, e = done.result()
            yield key[0], d, e


def run(
    req: SynthRequest, *, progress: Progress | None = None, cal: Calibration | None = None
) -> SynthReport:
    """Generate ``req.defendants`` defendants a year for ``req.years`` years into the warehouse."""
    validate(req)
    start = time.perf_counter()
    setup = _Setup(req, cal or load())
    meta: dict[str, Any] = {
        "generator": "caseledger.synth",
        "generator_version": GENERATOR_VERSION,
        "schema_version": SCHEMA_VERSION,
        "seed": req.seed,
        "defendants_per_year": req.defendants,
        "years": list(req.year_range()),
        "plants": setup.plan.describe(setup.geo),
        "synthetic": True,
        "note": "synthetic data: regions, agencies, officials and people are invented",
    }
    total_events = 0
    rows: dict[int, dict[str, int]] = {}
    current: int | None = None
    with open_warehouse(req.warehouse, meta) as w:
        for year, d, e in _chunks(setup, req):
            if current is not None and year != current:
                w.close_year(current)
            current = year
            w.write("defendants", year, d)
            w.write("events", year, e)
            total_events += e.num_rows
            r = rows.setdefault(year, {"defendants": 0, "events": 0})
            r["defendants"] += d.num_rows
            r["events"] += e.num_rows
            if progress is not None:
                progress(d.num_rows)
    return SynthReport(
        warehouse=req.warehouse,
        seed=req.seed,
        years=list(req.year_range()),
        defendants=req.defendants * req.years,
        events=total_events,
        plants=setup.plan.describe(setup.geo),
        seconds=round(time.perf_counter() - start, 2),
        rows_per_year=rows,
    )
