"""Run the generator: chunk by year and province, write the warehouse, report progress.

Determinism: each chunk draws from its own stream ``numpy.random.default_rng([seed, year,
province])`` (PCG64), so a chunk's rows do not depend on which other chunks ran or in what
order, and the same seed gives byte-identical Parquet files (same library versions). The
geography is fixed (``geography.GEOGRAPHY_SEED``); the planted units come from the seed.

Chunks are generated in two steps (``lifecycle.generate_steps``): a worker thread draws a batch
of chunks (about :data:`BATCH_DEFENDANTS` defendants of one year) up to their sentencing
requests, runs the sentencing engine once for the whole batch (it pays a fixed cost per crime
and pack period on every call), then finishes the chunks one at a time while the main thread
writes the previous one (pyarrow releases the GIL). The engine works row by row, so the batching
changes no value. Memory is bounded by one batch's requests, two chunks' tables (a chunk is a
province-year, ~8 % of a year at most) and the writer's row-group buffers.

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
from caseledger.synth.sentences import Guideline, Sentencer, crime_table
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
        self.sentencer = Sentencer(cal, self.table)
        self.crimes = lifecycle.crimes_for(cal, self.table, maxp, self.sentencer)
        self.geo = geography.build(req.defendants)
        self.plan = plants.make_plan(list(req.plants), self.geo, req.seed)
        self.ctx = tables.context(self.geo, codes, groups, self.sentencer.packs)
        prov_w = np.array([self.geo.county_weight[c].sum() for c in self.geo.province_counties])
        self.per_province = geography.apportion(req.defendants, prov_w)


def chunk_records(
    req: SynthRequest, year: int, province: int, *, cal: Calibration | None = None
) -> lifecycle.Records:
    """The records of one chunk of ``req`` (province index ``province``), exactly as ``run``
    generates them — with the sentencing engine's inputs in ``Records.sentencing``."""
    validate(req)
    setup = _Setup(req, cal or load())
    rng = np.random.default_rng([req.seed, year, province])
    return lifecycle.generate(
        rng=rng,
        geo=setup.geo,
        cal=setup.cal,
        crimes=setup.crimes,
        plan=setup.plan,
        year=year,
        province=province,
        n=int(setup.per_province[province]),
    )


def setup_for(req: SynthRequest, cal: Calibration | None = None) -> _Setup:
    """What a run of ``req`` needs (validated first); built once, used for every chunk."""
    validate(req)
    return _Setup(req, cal or load())


def all_records(setup: _Setup, req: SynthRequest) -> Iterator[tuple[int, int, lifecycle.Records]]:
    """Every chunk's records as ``(year, province, records)`` in storage order, with one engine
    call per batch as :func:`run` makes (the ledger output walks them)."""
    for keys in _batches(setup, req):
        batch = _Batch(setup, req.seed, keys)
        for year, province in keys:
            yield year, province, batch.records(year, province)


BATCH_DEFENDANTS = 500_000  # chunks whose sentences the engine computes in one call


class _Batch:
    """Chunks prepared up to their sentencing request, then the engine run once for all."""

    def __init__(self, setup: _Setup, seed: int, keys: list[tuple[int, int]]) -> None:
        self.setup = setup
        self.steps: dict[tuple[int, int], lifecycle.Steps] = {}
        self.requests: list[Guideline] = []
        for year, province in keys:
            rng = np.random.default_rng([seed, year, province])
            steps = lifecycle.generate_steps(
                rng=rng,
                geo=setup.geo,
                cal=setup.cal,
                crimes=setup.crimes,
                plan=setup.plan,
                year=year,
                province=province,
                n=int(setup.per_province[province]),
            )
            self.requests.append(next(steps))
            self.steps[(year, province)] = steps
        setup.sentencer.compute(self.requests)

    def records(self, year: int, province: int) -> lifecycle.Records:
        steps = self.steps.pop((year, province))
        return lifecycle.finish(steps, self.setup.sentencer, self.requests)

    def finish(self, year: int, province: int) -> tuple[pa.Table, pa.Table]:
        rec = self.records(year, province)
        ctx = self.setup.ctx
        return tables.defendants(rec, ctx, year, province), ev.events(rec, ctx, year, province)


def _batches(setup: _Setup, req: SynthRequest) -> list[list[tuple[int, int]]]:
    """Chunks (year, province) in storage order, grouped into batches of about
    :data:`BATCH_DEFENDANTS` defendants within one year."""
    out: list[list[tuple[int, int]]] = []
    for year in req.year_range():
        size = BATCH_DEFENDANTS
        for p in range(len(setup.per_province)):
            if not setup.per_province[p]:
                continue
            if size >= BATCH_DEFENDANTS:
                out.append([])
                size = 0
            out[-1].append((year, p))
            size += int(setup.per_province[p])
    return out


def _chunks(setup: _Setup, req: SynthRequest) -> Iterator[tuple[int, pa.Table, pa.Table]]:
    """Chunks in storage order. One worker thread prepares each batch and finishes its chunks
    one ahead of the writer (the main thread), so memory holds one batch's requests and at
    most two chunks' tables."""
    holder: dict[int, _Batch] = {}

    def prepare(i: int, keys: list[tuple[int, int]]) -> None:
        holder[i] = _Batch(setup, req.seed, keys)

    def finish(i: int, key: tuple[int, int], last: bool) -> tuple[pa.Table, pa.Table]:
        out = holder[i].finish(*key)
        if last:
            del holder[i]
        return out

    tasks: list[tuple[Any, ...]] = []
    for i, keys in enumerate(_batches(setup, req)):
        tasks.append((prepare, i, keys))
        tasks += [(finish, i, k, j == len(keys) - 1) for j, k in enumerate(keys)]
    with ThreadPoolExecutor(max_workers=1) as pool:
        queue: list[tuple[Any, Any]] = []  # (future, key or None)
        pos = 0

        def fill() -> None:
            nonlocal pos
            while pos < len(tasks) and sum(1 for _, k in queue if k is not None) < 2:
                fn, *args = tasks[pos]
                key = args[1] if fn is finish else None
                queue.append((pool.submit(fn, *args), key))
                pos += 1

        fill()
        while queue:
            future, key = queue.pop(0)
            result = future.result()
            fill()
            if key is not None:
                d, e = result
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
