"""The demo's synthetic part: a small national run recorded through the ledger, then exported.

The hand-written scenarios show single cases; the analytics need many. So the demo also walks a
few thousand generated defendants (with every planted problem, so the analytics have something
to find) through the real commands (``caseledger synth --ledger``) into the demo's ledger and
exports the ledger into the demo's warehouse (``caseledger export``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from caseledger.db import Database
from caseledger.synth import ledger, plants
from caseledger.synth.generator import SynthRequest
from caseledger.warehouse import export

DEFENDANTS = 3_000
SEED = 7


@dataclass
class SyntheticPart:
    defendants: int
    cases: int
    events: int
    first_year: int
    plants: dict[str, dict[str, str]]
    warehouse: str
    warehouse_events: int
    warehouse_defendants: int
    seconds: float


def add(
    db: Database, home: Path, *, defendants: int, today: dt.date, seed: int = SEED
) -> SyntheticPart:
    """Record ``defendants`` synthetic defendants in ``db`` and export to ``home/warehouse``."""
    first = ledger.default_first_year(1, today)
    req = SynthRequest(
        defendants=defendants,
        years=1,
        seed=seed,
        warehouse=home / "warehouse",
        plants=tuple(sorted(plants.PLANTS)),
        first_year=first,
    )
    recorded = ledger.run(req, db, home / "recordings", today=today)
    out = export.run(db, home / "warehouse")
    return SyntheticPart(
        defendants=recorded.defendants,
        cases=recorded.cases,
        events=recorded.events,
        first_year=first,
        plants=recorded.plants,
        warehouse=str(out.warehouse),
        warehouse_events=out.events_appended,
        warehouse_defendants=out.defendants_replaced,
        seconds=round(recorded.seconds + out.seconds, 1),
    )
