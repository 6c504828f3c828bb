"""``caseledger import``: bring a facts table or an event stream from another system into the
warehouse, row by row validated, all accepted rows committed at once, nothing twice.

Owns the order of work: recognise each file (:mod:`.sources`), refuse a file whose columns are
wrong, skip a file already imported (its SHA-256 is the batch id, kept in the manifest state
``import.batches``), check the rows (:mod:`.checks`), check them against the warehouse and
against each other (a defendant already there, an event's defendant, keys repeated across
files, the order of a defendant's events), write the rejects file, then append the accepted
rows in one :mod:`.transaction`. Facts files are handled before event streams, so an event may
name a defendant of the same import.

Idempotent twice over: a file imported before without rejects is skipped as a whole, and a
row whose key (``defendant_id``; ``defendant_id, seq``) is already in the warehouse is rejected
as a duplicate. A file imported before *with* rejects is checked again (what it lacked, such as
an event's defendant, may have arrived since): its rows already in the warehouse are counted as
imported before, not rejected, and the rest is judged afresh. A kill at any moment commits
nothing; the re-run imports everything once.

Must never: commit part of a file's accepted rows, write the warehouse outside a transaction,
or lose a rejected row without a line in the rejects file.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import polars as pl
import pyarrow as pa

from caseledger.errors import InvalidInput
from caseledger.warehouse import checks, crosschecks, rules, sources, transaction
from caseledger.warehouse.schema import PARTITION_KEY, TABLES
from caseledger.warehouse.sources import ROW, Source

STATE_KEY = "import"


class Progress(Protocol):
    def phase(self, name: str, total: int | None) -> None: ...

    def advance(self, n: int) -> None: ...


@dataclass(frozen=True)
class ImportRequest:
    files: tuple[Path, ...]
    warehouse: Path
    rejects: Path | None = None
    new_regions: bool = False


@dataclass
class FileReport:
    file: str
    table: str
    format: str
    sha256: str
    status: str  # imported | already imported | retried
    rows: int = 0
    imported: int = 0
    rejected: int = 0
    imported_before: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    imported_at: str | None = None


@dataclass
class ImportReport:
    warehouse: Path
    created: bool
    files: list[FileReport]
    rejects_file: Path | None
    rows: int
    imported: int
    rejected: int
    seconds: float

    @property
    def ok(self) -> bool:
        return self.rejected == 0


def default_rejects_path(first: Path) -> Path:
    """``<name>.rejects.csv`` next to the first input file."""
    return first.with_name(first.name.split(".")[0] + ".rejects.csv")


def run(req: ImportRequest, progress: Progress | None = None) -> ImportReport:
    """Import ``req.files`` into ``req.warehouse`` (created if missing); see the module doc."""
    start = time.perf_counter()
    if not req.files:
        raise InvalidInput("no file to import")
    srcs = [sources.open_source(Path(p)) for p in req.files]
    rejects_path = req.rejects or default_rejects_path(srcs[0].path)
    _check_writable(rejects_path)
    refused = [(i, s, p) for i, s in enumerate(srcs) for p in sources.column_problems(s)]
    if refused:
        _write_rejects(rejects_path, _file_rejects(refused))
        i, s, (col, _check, reason) = refused[0]
        raise InvalidInput(
            f"file refused, nothing imported: {reason}",
            file=str(s.path),
            column=col,
            rejects=str(rejects_path),
        )
    for s in srcs:
        _phase(progress, f"hash {s.path.name}", s.size)
        sources.content_hash(s, progress.advance if progress else None)
    existed = (Path(req.warehouse) / "_schema.json").exists()
    reports: list[FileReport] = []
    with transaction.open(req.warehouse, create=True) as tx:
        state = tx.state.setdefault(STATE_KEY, {"batches": {}})
        batches = state.setdefault("batches", {})
        todo: list[crosschecks.Work] = []
        seen: set[str] = set()
        for i, s in enumerate(srcs):
            rep = FileReport(str(s.path), s.table, s.format, s.sha256, "imported")
            reports.append(rep)
            done = batches.get(s.sha256)
            if s.sha256 in seen or (done is not None and not done.get("rejected")):
                rep.status = "already imported"
                rep.imported_at = (done or {}).get("at")
                continue
            seen.add(s.sha256)
            if done is not None:
                rep.status = "retried"
                rep.imported_at = done.get("at")
            todo.append(crosschecks.Work(s, i, retry=tuple((done or {}).get("transactions", ()))))
        facts = [w for w in todo if w.src.table == "defendants"]
        streams = [w for w in todo if w.src.table == "events"]
        for w in todo:
            _read(w, progress)
        _phase(progress, "check against the warehouse", None)
        crosschecks.check_defendants(tx, facts, req.new_regions)
        crosschecks.check_events(tx, streams, facts)
        rejected_rows = 0
        all_rejects = []
        for w in todo:
            rep = reports[w.index]
            bad = w.rejects[ROW].unique()
            accepted = w.rows.filter(~pl.col(ROW).is_in(bad.implode()))
            rep.rows = w.rows.height + len(w.src.bad_rows)
            if w.before.height:
                w.before = w.before.filter(~pl.col(ROW).is_in(bad.implode()))
                accepted = accepted.join(w.before, on=ROW, how="anti")
            rep.imported_before = w.before.height
            rep.imported = accepted.height
            rep.rejected = rep.rows - accepted.height - rep.imported_before
            rep.reasons = _reasons(w.rejects)
            rejected_rows += rep.rejected
            w.rows = accepted
            all_rejects.append(w.rejects.with_columns(pl.lit(str(w.src.path)).alias("file")))
        if rejected_rows:
            _write_rejects(rejects_path, pl.concat(all_rejects))
        _phase(progress, "write", sum(w.rows.height for w in todo) or None)
        for w in todo:
            _append(tx, w, progress)
            batches[w.src.sha256] = {
                "file": w.src.path.name,
                "table": w.src.table,
                "rows": reports[w.index].rows,
                "imported": reports[w.index].imported + reports[w.index].imported_before,
                "rejected": reports[w.index].rejected,
                "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "transactions": [*w.retry, tx.id],
            }
        _phase(progress, "commit", None)
    return ImportReport(
        warehouse=Path(req.warehouse),
        created=not existed,
        files=reports,
        rejects_file=rejects_path if any(r.rejected for r in reports) else None,
        rows=sum(r.rows for r in reports if r.status != "already imported"),
        imported=sum(r.imported for r in reports),
        rejected=sum(r.rejected for r in reports),
        seconds=round(time.perf_counter() - start, 2),
    )


def _phase(progress: Progress | None, name: str, total: int | None) -> None:
    if progress is not None:
        progress.phase(name, total)


def _check_writable(path: Path) -> None:
    parent = path.expanduser().absolute().parent
    if not parent.is_dir() or not os.access(parent, os.W_OK):
        raise InvalidInput("cannot write the rejects file there", rejects=str(path))


def _read(w: crosschecks.Work, progress: Progress | None) -> None:
    _phase(progress, f"check {w.src.path.name}", w.src.size)
    rows, rejects = [], []
    for chunk in sources.chunks(w.src, progress.advance if progress else None):
        typed, bad = checks.row_checks(w.src.table, chunk)
        rows.append(typed)
        rejects.append(bad)
    names = [ROW, *TABLES[w.src.table].schema.names]
    w.rows = pl.concat(rows) if rows else _empty(w.src.table)
    w.rejects = pl.concat(rejects) if rejects else checks.empty_rejects()
    if w.src.bad_rows:
        if w.src.format == "csv":  # rows were counted without the skipped records
            w.rows = sources.renumber(w.rows, w.src.bad_rows)
            w.rejects = sources.renumber(w.rejects, w.src.bad_rows)
        w.rejects = pl.concat([w.rejects, _bad_row_rejects(w.src)])
    key = rules.load().tables[w.src.table].key
    w.rejects = pl.concat([w.rejects, checks.duplicate_checks(w.rows, key)])
    if PARTITION_KEY not in w.rows.columns:
        w.rows = w.rows.with_columns(pl.lit(None, dtype=pl.Int32).alias(PARTITION_KEY))
    w.rows = w.rows.select([*names, PARTITION_KEY])


def _empty(table: str) -> pl.DataFrame:
    frame = pl.from_arrow(TABLES[table].schema.empty_table())
    assert isinstance(frame, pl.DataFrame)
    return frame.with_columns(pl.lit(None, dtype=pl.Int64).alias(ROW))


def _bad_row_rejects(src: Source) -> pl.DataFrame:
    return pl.DataFrame(
        {
            ROW: [b.row for b in src.bad_rows],
            "field": ["" for _ in src.bad_rows],
            "check": [b.check for b in src.bad_rows],
            "value": [b.value for b in src.bad_rows],
            "reason": [b.reason for b in src.bad_rows],
        },
        schema=checks.REJECT_SCHEMA,
    )


def _append(tx: transaction.Transaction, w: crosschecks.Work, progress: Progress | None) -> None:
    names = TABLES[w.src.table].schema.names
    for (year,), part in w.rows.partition_by(PARTITION_KEY, as_dict=True).items():
        table = part.select(names).to_arrow()
        table = pa.Table.from_arrays(table.columns, schema=TABLES[w.src.table].schema)
        tx.append(table=w.src.table, year=int(year), data=table)  # type: ignore[arg-type]
        if progress is not None:
            progress.advance(part.height)


def _reasons(rejects: pl.DataFrame) -> dict[str, int]:
    if not rejects.height:
        return {}
    counts = rejects.group_by("field", "check").agg(pl.col(ROW).n_unique().alias("n"))
    counts = counts.sort("field", "check")
    return {
        f"{r['field'] or '(row)'}: {r['check']}": int(r["n"]) for r in counts.iter_rows(named=True)
    }


def _file_rejects(refused: list[tuple[int, Source, tuple[str, str, str]]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "file": [str(s.path) for _, s, _ in refused],
            ROW: [None for _ in refused],
            "field": [p[0] for _, _, p in refused],
            "check": [p[1] for _, _, p in refused],
            "value": ["" for _ in refused],
            "reason": [p[2] for _, _, p in refused],
        },
        schema={"file": pl.String, **checks.REJECT_SCHEMA},
    )


def _write_rejects(path: Path, rejects: pl.DataFrame) -> None:
    """The rejects file, replaced atomically: ``file,row,field,check,value,reason``."""
    order = {name: i for i, name in enumerate(dict.fromkeys(rejects["file"].to_list()))}
    out = (
        rejects.with_columns(
            pl.col("file").replace_strict(order, return_dtype=pl.Int32).alias("_f")
        )
        .sort(["_f", ROW], nulls_last=False, maintain_order=True)
        .select(pl.col("file"), pl.col(ROW).alias("row"), "field", "check", "value", "reason")
        .unique(maintain_order=True)
    )
    path = path.expanduser().absolute()
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        out.write_csv(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        tmp.rename(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InvalidInput(
            f"cannot write the rejects file: {exc.strerror}", rejects=str(path)
        ) from None
