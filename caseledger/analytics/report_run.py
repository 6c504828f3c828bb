"""Produce the quality report from a warehouse: what ``caseledger report`` runs.

Opens the warehouse (refusing a missing one or an unknown schema version), builds the cube of the
marginals the report reads (:mod:`.marginals`: one grouping-sets scan per date family, carrying
the measures of any :class:`Extension` on the same scan), closes the
warehouse, assembles the numbers (:mod:`.reporting`), renders HTML (:mod:`.report_pages`) or
JSON, and writes the file atomically (a temporary file, then a rename: never half a report).

Extensions are how other analyses join the report without this module knowing them: each adds
cube measures and, from the built cube, one or more HTML sections and a JSON part. The
data-integrity audit plugs in this way.

Must never: write anywhere but ``out``, or leave a partial file behind.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from caseledger.analytics import cube as cubes
from caseledger.analytics import marginals, report_pages, reporting, source
from caseledger.analytics.indicators.base import Family, Measure
from caseledger.analytics.report import Section
from caseledger.errors import InvalidInput

FORMATS = ("html", "json")


@dataclass(frozen=True)
class Extension:
    """A part of the report computed elsewhere. ``extra`` rides the cube's one scan;
    ``build(cube, warehouse)`` returns the part's HTML sections and its JSON value (stored
    under ``key`` in the report's ``extra``). ``warehouse`` is closed by then: use its path."""

    key: str
    build: Callable[[cubes.Cube, source.Warehouse], tuple[Sequence[Section], Any]]
    extra: Sequence[Measure | Family] = field(default_factory=tuple)


@dataclass(frozen=True)
class Produced:
    """What was written: the file, its format, its size, the report's year and timings."""

    out: Path
    format: str
    bytes: int
    year: int | None
    no_data: str | None
    funnels: int
    charts: int
    seconds: dict[str, float]


@contextmanager
def worker_pool(workers: int) -> Iterator[Executor | None]:
    """A pool of ``workers`` processes (spawned: safe beside DuckDB's and Spark's threads), or
    None for one."""
    if workers <= 1:
        yield None
        return
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        yield pool


def _check_out(out: Path, fmt: str) -> Path:
    if fmt not in FORMATS:
        raise InvalidInput(f"unknown format {fmt!r}", field="format", allowed=",".join(FORMATS))
    target = Path(out).expanduser()
    if target.is_dir():
        raise InvalidInput("the output is a directory; name a file", path=str(target))
    if not target.parent.is_dir():
        raise InvalidInput("the output's directory does not exist", path=str(target.parent))
    return target


def write_atomically(target: Path, text: str) -> int:
    """Write ``text`` to ``target`` through a temporary file in the same directory."""
    data = text.encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return len(data)


def produce(
    warehouse: str | Path,
    out: str | Path,
    *,
    fmt: str = "html",
    engine: str = "duckdb",
    options: reporting.ReportOptions | None = None,
    extensions: Sequence[Extension] = (),
    workers: int = 2,
    threads: int | None = None,
    memory_limit: str | None = None,
    spark: Any = None,
) -> Produced:
    """The report of ``warehouse`` written to ``out`` as ``fmt`` (html or json)."""
    target = _check_out(Path(out), fmt)
    opts = (options or reporting.ReportOptions()).checked()
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    wh = source.open_warehouse(
        warehouse, engine=engine, threads=threads, memory_limit=memory_limit, spark=spark
    )
    try:
        extra = [m for e in extensions for m in e.extra]
        grain = marginals.report_grain(opts.levels, opts.monitor_level)
        cube = marginals.build_marginal_cube(wh, grain, extra=extra)
    finally:
        wh.close()
    seconds["cube"] = time.perf_counter() - t0
    with worker_pool(workers) as pool:
        t = time.perf_counter()
        report = reporting.build_report(cube, opts, executor=pool)
        extra_sections: list[Section] = []
        for ext in extensions:
            parts, value = ext.build(cube, wh)
            extra_sections.extend(parts)
            report.extra[ext.key] = value
        seconds["numbers"] = time.perf_counter() - t
        t = time.perf_counter()
        charts = 0
        if fmt == "html":
            page = report_pages.render_page(report, executor=pool, extra=extra_sections)
            charts = page.count("<figure>")
        else:
            page = json.dumps(reporting.to_json(report), ensure_ascii=False, allow_nan=False)
        seconds["render"] = time.perf_counter() - t
    size = write_atomically(target, page)
    seconds["total"] = time.perf_counter() - t0
    return Produced(
        target,
        fmt,
        size,
        report.year,
        report.no_data,
        len(report.funnels),
        charts,
        {k: round(v, 3) for k, v in seconds.items()},
    )
