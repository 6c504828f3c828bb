"""``caseledger synth --ledger``: generated defendants recorded through the real commands.

The same records as the warehouse output (:func:`caseledger.synth.generator.all_records`,
deterministic for a seed; kept in memory, which suits ledger-sized runs) are walked act by act
(:mod:`caseledger.synth.acts`) through the service commands, called in one write transaction
per batch of cases (:meth:`caseledger.db.Database.write`): every command makes every check it
makes for a user, and appends hash-chained events. (Not :meth:`~caseledger.db.Database.batch`,
which keeps an undo log per command so that a refused one can be taken back alone: here the
first refusal stops the run and rolls its batch back whole, and the log cost 6 % of the CPU.)
The ledger then holds what ``caseledger export`` turns into the same warehouse as
``synth --warehouse``.

A large run into a SQLite file uses every core: one part per province, taken by this process
(straight into the database) and by worker processes (each through the same commands into a
scratch shard, merged into the database batch by batch; :mod:`caseledger.synth.shards`). A
small run, or one into PostgreSQL, is recorded by this process alone.

A refused command means the generator drew a history the law does not allow: the run stops at
once and the error names the case, the defendant and the rule. The batch in progress is rolled
back; committed (and merged) batches hold whole cases only.

Before writing, the run checks that no act would be dated in the future (acts of a cohort run
up to several years after registration: retrials, reviews) and that the ledger does not already
hold synthetic cases of these years (the ids would collide).

Must never: write anything but through the service commands and the recordings store (a
shard's rows reach the database only by the merge, verbatim).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import select

from caseledger.case import clock, service
from caseledger.case.models import Case
from caseledger.db import Database
from caseledger.errors import CaseledgerError, InvalidInput, PreconditionFailed
from caseledger.evidence.recordings import RecordingStore
from caseledger.ledger import store as ledger_store
from caseledger.synth import acts, generator, lifecycle, shards
from caseledger.synth.generator import SynthRequest
from caseledger.synth.geography import PROVINCES
from caseledger.synth.tables import Context
from caseledger.warehouse import ids

Progress = Callable[[int], None]
CASES_PER_COMMIT = 250
# Below this many defendants a run stays in one process: starting a worker costs about half a
# second, which a small run does not win back (1,000 defendants: 2.6-2.9 s either way; 2,000:
# 3.4 s on two cores against 5-6 s in one process, 2026-11-30).
MIN_SHARDED_DEFENDANTS = 2_000
YEARS_BACK = 4  # a cohort's acts run up to about four years after registration (retrials)


class GeneratorRefused(PreconditionFailed):
    """A generated act was refused by its command: the generator drew an illegal history."""

    code = "generator_refused"


@dataclass
class LedgerReport:
    database: str
    seed: int
    years: list[int]
    defendants: int
    cases: int
    events: int
    plants: dict[str, dict[str, str]]
    seconds: float
    events_per_second: float
    workers: int = 1


def default_first_year(years: int, today: dt.date) -> int:
    """The first cohort year when none is given: the run ends ``YEARS_BACK`` years ago."""
    return today.year - YEARS_BACK - years + 1


_RETURNS = ("r1_returned", "r1_back", "r2_returned", "r2_back")


def _date_columns(rec: lifecycle.Records) -> list[np.ndarray]:
    """Every date of the records (days since 1970; ``NULL`` where the act did not happen)."""
    return [
        v
        for k, v in rec.cols.items()
        if v.dtype == np.int32 and (k.endswith("_on") or k in _RETURNS)
    ]


def last_act(chunks: list[tuple[int, int, lifecycle.Records]]) -> dt.date:
    """The date of the run's last act."""
    last = 0
    for _year, _province, rec in chunks:
        for col in _date_columns(rec):
            valid = col[col != lifecycle.NULL]
            if valid.size:
                last = max(last, int(valid.max()))
    return acts.day(last)


def _check_free(db: Database, req: SynthRequest) -> None:
    years = req.year_range()
    lo = ids.synthetic_case_uuid(years.start * 1_000_000_000)
    hi = ids.synthetic_case_uuid(years.stop * 1_000_000_000)
    with db.read() as s:
        taken = s.execute(
            select(Case.case_number).where(Case.case_id >= lo, Case.case_id < hi).limit(1)
        ).scalar_one_or_none()
    if taken is not None:
        raise InvalidInput(
            "the ledger already holds synthetic cases of these years; use a fresh database",
            case=taken,
            years=f"{years.start}-{years.stop - 1}",
        )


def workers_for(req: SynthRequest, db: Database, asked: int | None) -> int:
    """How many processes record the run: ``asked``, or by default one per core for a SQLite
    file and a run of at least :data:`MIN_SHARDED_DEFENDANTS`; always one on PostgreSQL (one
    process writes straight into it) and never more than provinces."""
    if asked is not None and asked < 1:
        raise InvalidInput("--workers must be at least 1", workers=asked)
    provinces = len(PROVINCES)
    if shards.sqlite_file(db) is None:
        if asked is not None and asked > 1:
            raise InvalidInput(
                "--workers above 1 needs a SQLite database file (each worker records into its "
                "own scratch file, merged into it)",
                workers=asked,
            )
        return 1
    if asked is not None:
        return min(asked, provinces)
    if req.defendants * req.years < MIN_SHARDED_DEFENDANTS:
        return 1
    return max(1, min(shards.available_cores(), provinces))


def by_province(
    chunks: list[tuple[int, int, lifecycle.Records]],
) -> list[list[tuple[int, int, lifecycle.Records]]]:
    """The chunks grouped by province, every year of a province in one group (so each agency's
    case serials are counted in one place), largest group first (the processes of a sharded
    run take them in this order: the small ones last even out the end); storage order within
    a group."""
    size: dict[int, int] = {}
    for _year, province, rec in chunks:
        size[province] = size.get(province, 0) + rec.n
    order = sorted(size, key=lambda p: (-size[p], p))
    return [[c for c in chunks if c[1] == province] for province in order]


def walk(
    db: Database,
    chunks: list[tuple[int, int, lifecycle.Records]],
    ctx: Context,
    recordings: Path,
    *,
    progress: Progress | None = None,
) -> int:
    """Every act of ``chunks`` through the service commands into ``db``, a batch of
    :data:`CASES_PER_COMMIT` cases per transaction; return the cases recorded."""
    store = acts.Placeholders(RecordingStore(recordings))
    agencies = ctx.agencies.to_pylist()
    officials = ctx.officials.to_pylist()
    cases = 0
    for year, province, rec in chunks:
        case_walk = acts.CaseWalk(
            rec, ctx, year, province, store, agencies=agencies, officials=officials
        )
        all_cases = case_walk.cases()
        for lo in range(0, len(all_cases), CASES_PER_COMMIT):
            part = all_cases[lo : lo + CASES_PER_COMMIT]
            # One transaction, the commands called in it directly: the first refusal stops the
            # run and rolls the whole batch back, so no command needs the undo log that
            # Database.batch keeps for refusing one command alone.
            with db.write() as session:

                def run_act(fn: Callable[..., Any], /, **kwargs: Any) -> Any:
                    try:
                        return fn(session, **kwargs)
                    except CaseledgerError as exc:
                        raise GeneratorRefused(
                            f"the generator drew an act the law refuses: {exc.message}",
                            act=fn.__name__,
                            **exc.context,
                        ) from None

                case_ids, serials = case_walk.registrations(part)
                service.read_ahead_registrations(session, case_ids=case_ids, serials=serials)
                for members in part:
                    case_walk.walk_case(run_act, members)
            cases += len(part)
            if progress is not None:
                progress(sum(len(m) for m in part))
    return cases


def run(
    req: SynthRequest,
    db: Database,
    recordings: Path,
    *,
    progress: Progress | None = None,
    today: dt.date | None = None,
    workers: int | None = None,
) -> LedgerReport:
    """Record ``req``'s defendants in ``db`` through the service commands, in ``workers``
    processes (see :func:`workers_for` and :mod:`caseledger.synth.shards`)."""
    start = time.perf_counter()
    jobs = workers_for(req, db, workers)
    if jobs > 1:
        shards.start_server()  # it loads while this process generates the records
    setup = generator.setup_for(req)
    today = today or clock.today()
    # Ledger-sized runs keep their records in memory: generated once, checked, then walked.
    chunks = list(generator.all_records(setup, req))
    last = last_act(chunks)
    if last > today:
        raise InvalidInput(
            f"acts of these cohorts run until {last}, after today: the ledger records acts as "
            "they happened, never in the future; choose an earlier --first-year",
            first_year=req.year_range().start,
            last_act=last.isoformat(),
        )
    _check_free(db, req)
    with db.read() as s:
        before = ledger_store.event_count(s)
    if jobs > 1:
        parts = [(group, setup.ctx, recordings) for group in by_province(chunks)]
        cases = shards.run(db, walk, parts, processes=jobs, progress=progress)
    else:
        cases = walk(db, chunks, setup.ctx, recordings, progress=progress)
    with db.read() as s:
        events = ledger_store.event_count(s) - before
    seconds = time.perf_counter() - start
    return LedgerReport(
        database=db.engine.url.render_as_string(hide_password=True),
        seed=req.seed,
        years=list(req.year_range()),
        defendants=req.defendants * req.years,
        cases=cases,
        events=events,
        plants=setup.plan.describe(setup.geo),
        seconds=round(seconds, 2),
        events_per_second=round(events / seconds, 1) if seconds else 0.0,
        workers=jobs,
    )
