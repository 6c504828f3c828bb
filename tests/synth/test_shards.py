"""Ledger work split over worker processes (:mod:`caseledger.synth.shards`): parts of real
registrations recorded in this process and in workers' scratch shards, merged into the target
as they commit; failures in a worker stop the run with whole cases only in the target; a
committed row changed later is refused (the seal); and the synth run's own choices: how many
workers, which provinces go together.

The parts here are toy work (cases registered through ``register_case``), so each test runs in
a second or two; the whole ``synth --ledger`` run through shards is checked against the
direct warehouse in ``test_ledger_output.py``.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import text

from caseledger import migrate
from caseledger.auth.roles import Role
from caseledger.case import service
from caseledger.db import Database
from caseledger.errors import CaseledgerError, InvalidInput
from caseledger.ledger import verify
from caseledger.ledger.envelope import Actor
from caseledger.synth import ledger, lifecycle, shards
from caseledger.synth.generator import SynthRequest
from caseledger.synth.geography import PROVINCES

ON = dt.date(2025, 3, 3)


def register_cases(
    db: Database,
    agency: str,
    n: int,
    fail_at: int | None = None,
    exit_at: int | None = None,
    *,
    progress,
) -> int:
    """Toy part: ``n`` cases registered by ``agency``, one batch each (module level, so a
    worker process can import it)."""
    actor = Actor(f"police-{agency}", Role.investigator, agency)
    for i in range(n):
        if exit_at == i:
            os._exit(7)
        reported = ON + dt.timedelta(days=1) if fail_at == i else ON
        with db.batch() as b:
            result = b.run(
                service.register_case,
                actor=actor,
                reported_on=reported,
                summary=f"toy case {i}",
                at=ON,
                defendants=[
                    service.NewDefendant(name=f"嫌疑人{i}", age_at_offence=30, charges=["theft"])
                ],
            )
        if isinstance(result, CaseledgerError):
            raise result
        progress(1)
    return n


@pytest.fixture
def target(tmp_path: Path) -> Database:
    db = Database(f"sqlite:///{tmp_path / 'target.db'}")
    migrate.upgrade(db.engine)
    yield db
    db.dispose()


def _numbers(db: Database) -> list[str]:
    with db.read() as s:
        return sorted(s.execute(text("SELECT case_number FROM cases")).scalars())


def _left_behind(tmp_path: Path) -> list[str]:
    return sorted(p.name for p in tmp_path.iterdir() if ".shards-" in p.name)


def test_more_parts_than_processes_are_taken_in_turn(target, tmp_path):
    parts = [(f"PSB11010{k}", 2 + k % 3) for k in range(7)]
    assert shards.run(target, register_cases, parts, processes=2) == sum(n for _, n in parts)
    _whole_cases_only(target, tmp_path, dict(parts))
    assert len(_numbers(target)) == sum(n for _, n in parts)
    assert _left_behind(tmp_path) == []


def test_every_part_lands_once_with_whole_chains_and_gap_free_serials(target, tmp_path):
    seen: list[int] = []
    parts = [("PSB110101", 4), ("PSB110102", 6), ("PSB110103", 3)]
    assert shards.run(target, register_cases, parts, progress=seen.append) == 13
    assert sum(seen) == 13  # the workers' progress reaches the caller
    numbers = _numbers(target)
    for agency, n in parts:
        assert [x for x in numbers if x.startswith(agency)] == [
            f"{agency}-2025-{k:06d}" for k in range(1, n + 1)
        ]
    with target.read() as s:
        ids = list(s.execute(text("SELECT id FROM events ORDER BY id")).scalars())
        defendants = s.execute(text("SELECT count(*) FROM defendants")).scalar_one()
    assert ids == list(range(1, len(ids) + 1)) and defendants == 13
    with target.read() as s:
        report = verify.verify(s, key_path=tmp_path / "no-key", checkpoint_dir=tmp_path / "none")
    assert report.ok and report.cases == 13 and report.events == len(ids)
    assert _left_behind(tmp_path) == []


def _whole_cases_only(db: Database, tmp_path: Path, limits: dict[str, int]) -> None:
    """Every case in ``db`` is whole (its defendant, a chain that verifies), and each agency's
    cases are a gap-free prefix of what its part would have registered."""
    numbers = _numbers(db)
    for agency, most in limits.items():
        mine = [x for x in numbers if x.startswith(agency)]
        assert mine == [f"{agency}-2025-{k:06d}" for k in range(1, len(mine) + 1)]
        assert len(mine) <= most
    with db.read() as s:
        report = verify.verify(s, key_path=tmp_path / "no-key", checkpoint_dir=tmp_path / "none")
        defendants = s.execute(text("SELECT count(*) FROM defendants")).scalar_one()
    assert report.ok and report.cases == len(numbers) == defendants


def test_a_refusal_in_a_worker_stops_the_run_with_whole_cases_only(target, tmp_path):
    parts = [("PSB110101", 3), ("PSB110102", 5, 2), ("PSB110103", 2)]
    with pytest.raises(InvalidInput, match="after the registration date") as caught:
        shards.run(target, register_cases, parts)
    assert caught.value.context["field"] == "reported_on"
    # Batches committed before the refusal may have landed: never the refused one or later.
    _whole_cases_only(target, tmp_path, {"PSB110101": 3, "PSB110102": 2, "PSB110103": 2})
    assert _left_behind(tmp_path) == []


def test_a_worker_that_dies_is_reported_by_its_exit_code(target, tmp_path):
    parts = [("PSB110101", 2), ("PSB110102", 4, None, 1)]
    with pytest.raises(shards.ShardFailed, match="exit code 7"):
        shards.run(target, register_cases, parts)
    _whole_cases_only(target, tmp_path, {"PSB110101": 2, "PSB110102": 1})
    assert _left_behind(tmp_path) == []


def test_a_worker_that_cannot_be_started_stops_the_run(target, tmp_path):
    # Workers are started from a thread while this process records its first part; a part
    # that cannot be sent to a worker (not picklable) fails the start, and the run.
    parts = [("PSB110101", 2), ("PSB110102", lambda: None)]
    with pytest.raises(shards.ShardFailed, match="could not be started"):
        shards.run(target, register_cases, parts)
    _whole_cases_only(target, tmp_path, {"PSB110101": 2})
    assert _left_behind(tmp_path) == []


def test_the_merge_refuses_rows_the_target_already_holds(target, tmp_path):
    # Both parts number cases of the same agency: the shard's serials collide with the target's.
    parts = [("PSB110101", 2), ("PSB110101", 2)]
    with pytest.raises(CaseledgerError, match="could not be merged") as caught:
        shards.run(target, register_cases, parts)
    assert "UNIQUE" in caught.value.context["reason"]
    assert _numbers(target) == ["PSB110101-2025-000001", "PSB110101-2025-000002"]
    assert _left_behind(tmp_path) == []


def touch_an_earlier_case(db: Database, *, progress) -> int:
    """Toy part that breaks the rule the merge relies on: its second batch changes a row the
    first batch committed."""
    register_cases(db, "PSB110102", 1, progress=progress)
    with db.batch() as b:
        b.session.execute(text("UPDATE cases SET summary = 'changed later'"))
    return 1


def test_a_committed_row_changed_later_is_refused_by_the_seal(target, tmp_path):
    with pytest.raises(shards.ShardFailed, match="earlier, committed batch"):
        shards.run(target, _dispatch, [("own",), ("touch",)])
    with target.read() as s:
        summaries = list(s.execute(text("SELECT summary FROM cases")).scalars())
    assert "changed later" not in summaries
    assert _left_behind(tmp_path) == []


def _dispatch(db: Database, which: str, *, progress) -> int:
    if which == "own":
        return register_cases(db, "PSB110101", 1, progress=progress)
    return touch_an_earlier_case(db, progress=progress)


def test_a_shard_with_a_checkpoint_is_not_merged(target, tmp_path):
    import sqlite3

    shard = tmp_path / "shard.db"
    shards._copy_schema(tmp_path / "target.db", shard)
    with sqlite3.connect(shard) as conn:
        conn.execute(
            "INSERT INTO checkpoints VALUES (1, 't', 0, 0, 'h', 'p', 'k', 's', 'sig', '[]')"
        )
    merger = shards._Merger(tmp_path / "target.db", [shard])
    try:
        with pytest.raises(CaseledgerError, match="does not copy"):
            merger.step(0)
    finally:
        merger.close()


def test_sharded_runs_need_a_sqlite_file():
    with pytest.raises(CaseledgerError, match="SQLite database file"):
        shards.run(Database("sqlite:///:memory:"), register_cases, [("PSB110101", 1)] * 2)


# -- the synth run's choices ----------------------------------------------------------------------


def _req(n: int, years: int = 1) -> SynthRequest:
    return SynthRequest(defendants=n, years=years, seed=1, warehouse=Path("unused"))


def test_how_many_workers_a_run_gets(tmp_path, monkeypatch):
    monkeypatch.setattr(shards, "available_cores", lambda: 4)
    file = Database(f"sqlite:///{tmp_path / 'x.db'}")
    assert ledger.workers_for(_req(1000), file, None) == 1  # small: one process
    assert ledger.workers_for(_req(3000, years=2), file, None) == 4  # one per core
    assert ledger.workers_for(_req(1000), file, 3) == 3  # asked
    assert ledger.workers_for(_req(1000), file, 500) == len(PROVINCES)
    with pytest.raises(InvalidInput, match="at least 1"):
        ledger.workers_for(_req(1000), file, 0)
    pg = Database("postgresql://postgres@127.0.0.1:5432/test")  # never connects here
    memory = Database("sqlite:///:memory:")
    assert ledger.workers_for(_req(100_000), pg, None) == 1
    assert ledger.workers_for(_req(100_000), memory, None) == 1
    with pytest.raises(InvalidInput, match="SQLite database file"):
        ledger.workers_for(_req(100_000), pg, 2)


def _chunk(year: int, province: int, n: int) -> tuple[int, int, lifecycle.Records]:
    return year, province, lifecycle.Records(n=n, cols={"x": np.zeros(n)}, sentencing=None)


def test_by_province_keeps_each_province_whole_largest_first():
    sizes = {0: 300, 1: 500, 2: 450, 3: 900, 4: 120, 5: 60}
    chunks = [_chunk(y, p, n) for y in (2021, 2022) for p, n in sizes.items()]
    groups = ledger.by_province(chunks)
    assert [g[0][1] for g in groups] == [3, 1, 2, 0, 4, 5]  # largest first
    assert all(len({c[1] for c in g}) == 1 and [c[0] for c in g] == [2021, 2022] for g in groups)
    assert sorted(id(c) for g in groups for c in g) == sorted(id(c) for c in chunks)
