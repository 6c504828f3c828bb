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
import pyarrow.compute as pc
import pyarrow.parquet as pq

from caseledger.errors import InvalidInput
from caseledger.warehouse import checks, rules, sources, transaction
from caseledger.warehouse.schema import PARTITION_KEY, TABLES
from caseledger.warehouse.sources import ROW, Source

REJECT_COLUMNS = ["file", "row", "field", "check", "value", "reason"]
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


@dataclass
class _Work:
    """One file's rows on their way in."""

    src: Source
    index: int
    retry: tuple[str, ...] = ()  # transactions of an earlier import of the same file
    before: pl.DataFrame = field(default_factory=pl.DataFrame)
    rows: pl.DataFrame = field(default_factory=pl.DataFrame)
    rejects: pl.DataFrame = field(default_factory=checks.empty_rejects)


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
        todo: list[_Work] = []
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
            todo.append(_Work(s, i, retry=tuple((done or {}).get("transactions", ()))))
        facts = [w for w in todo if w.src.table == "defendants"]
        streams = [w for w in todo if w.src.table == "events"]
        for w in todo:
            _read(w, progress)
        _phase(progress, "check against the warehouse", None)
        _check_defendants(tx, facts, req.new_regions)
        _check_events(tx, streams, facts)
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


def _read(w: _Work, progress: Progress | None) -> None:
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


def _reject(
    frame: pl.DataFrame, fails: pl.Expr, fld: str, check: str, reason: pl.Expr, value: pl.Expr
) -> pl.DataFrame:
    assert check in checks.CHECKS, check
    hit = frame.filter(fails.fill_null(False))
    return hit.select(
        pl.col(ROW),
        pl.lit(fld).alias("field"),
        pl.lit(check).alias("check"),
        value.cast(pl.String).alias("value"),
        reason.alias("reason"),
    ).cast(checks.REJECT_SCHEMA)  # type: ignore[arg-type]


def _add(w: _Work, rejects: pl.DataFrame) -> None:
    if rejects.height:
        w.rejects = pl.concat([w.rejects, rejects])


def _across_files(works: list[_Work], key: tuple[str, ...]) -> None:
    """A key already in an earlier file of this import is a duplicate."""
    earlier: list[tuple[str, pl.DataFrame]] = []
    for w in works:
        for name, keys in earlier:
            hit = w.rows.join(keys, on=list(key), how="semi")
            _add(
                w,
                _reject(
                    hit,
                    pl.lit(True),
                    key[-1],
                    "duplicate",
                    pl.lit(f"{' and '.join(key)} also in {name} (this import)"),
                    pl.concat_str([pl.col(k).cast(pl.String) for k in key], separator=" "),
                ),
            )
        earlier.append((w.src.path.name, w.rows.select(key).drop_nulls().unique()))


def _ids(frames: list[pl.DataFrame]) -> pa.Array:
    ids = pl.concat([f.select("defendant_id") for f in frames])["defendant_id"]
    return ids.drop_nulls().unique().to_arrow()


def _scan(
    tx: transaction.Transaction, table: str, columns: list[str], ids: pa.Array
) -> pl.DataFrame:
    """Committed rows of these defendants with ``_year`` and ``_file`` (the file's name)."""
    parts = []
    for year, rows in tx.scan(table, columns, defendant_ids=ids, file_column="_file"):
        frame = pl.from_arrow(rows)
        assert isinstance(frame, pl.DataFrame)
        parts.append(frame.with_columns(pl.lit(year, dtype=pl.Int32).alias("_year")))
    if not parts:
        schema = {c: TABLES[table].schema.field(c).type for c in columns}
        frame = pl.from_arrow(pa.schema(schema).empty_table())
        assert isinstance(frame, pl.DataFrame)
        return frame.with_columns(
            pl.lit(None, dtype=pl.String).alias("_file"),
            pl.lit(None, dtype=pl.Int32).alias("_year"),
        )
    return pl.concat(parts)


def _split_before(w: _Work, hit: pl.DataFrame) -> pl.DataFrame:
    """Of the rows whose key is in the warehouse, keep aside (``w.before``) those an earlier
    import of this same file put there; return the others (duplicates)."""
    if not w.retry:
        return hit
    txn = pl.col("_file").str.extract(r"^part-(.+)-[0-9]+\.parquet$")
    mine = txn.is_in(list(w.retry)).fill_null(False)
    w.before = hit.filter(mine).select(ROW)
    return hit.filter(~mine)


def known_counties(tx: transaction.Transaction) -> set[str]:
    """The county codes of the warehouse's defendants (read from the files' dictionaries)."""
    out: set[str] = set()
    for paths in tx.files("defendants").values():
        for path in paths:
            f = pq.ParquetFile(path, read_dictionary=["county_code"])
            for g in range(f.metadata.num_row_groups):
                col = f.read_row_group(g, columns=["county_code"])["county_code"]
                for chunk in col.chunks:
                    values = chunk.dictionary if pa.types.is_dictionary(chunk.type) else chunk
                    out.update(v for v in pc.unique(values).to_pylist() if v is not None)
    return out


def _check_defendants(tx: transaction.Transaction, works: list[_Work], new_regions: bool) -> None:
    if not works:
        return
    _across_files(works, ("defendant_id",))
    ids = _ids([w.rows for w in works])
    there = _scan(tx, "defendants", ["defendant_id"], ids).unique("defendant_id")
    counties = set() if new_regions else known_counties(tx)
    for w in works:
        hit = _split_before(w, w.rows.join(there, on="defendant_id", how="inner"))
        _add(
            w,
            _reject(
                hit,
                pl.lit(True),
                "defendant_id",
                "duplicate",
                pl.concat_str(
                    pl.lit("already in the warehouse (year="),
                    pl.col("_year").cast(pl.String),
                    pl.lit(")"),
                ),
                pl.col("defendant_id"),
            ),
        )
        if counties:
            v = pl.col("county_code")
            _add(
                w,
                _reject(
                    w.rows,
                    v.is_not_null() & ~v.is_in(sorted(counties)) & v.str.contains(r"^[0-9]{6}$"),
                    "county_code",
                    "region",
                    pl.lit(
                        f"not among the {len(counties)} counties of the warehouse "
                        "(--new-regions accepts new ones)"
                    ),
                    v,
                ),
            )
        cohort = pl.col("registered_on").dt.year().cast(pl.Int32)
        w.rows = w.rows.with_columns(cohort.alias(PARTITION_KEY))


def _check_events(tx: transaction.Transaction, works: list[_Work], facts: list[_Work]) -> None:
    if not works:
        return
    key = ("defendant_id", "seq")
    _across_files(works, key)
    ids = _ids([w.rows for w in works])
    info_cols = ["defendant_id", "case_id", "county_code", "registered_on"]
    here = [
        w.rows.filter(~pl.col(ROW).is_in(w.rejects[ROW].unique().implode())).select(
            [*info_cols, pl.col(PARTITION_KEY).alias("_year")]
        )
        for w in facts
    ]
    rejected_here = [
        w.rows.filter(pl.col(ROW).is_in(w.rejects[ROW].unique().implode())).select("defendant_id")
        for w in facts
    ]
    all_ids = pl.Series("defendant_id", ids, dtype=pl.Int64)
    known = pl.concat(here) if here else None
    if known is not None:
        all_ids = all_ids.filter(~all_ids.is_in(known["defendant_id"].implode()))
    stored = _scan(tx, "defendants", info_cols, all_ids.to_arrow()).drop("_file")
    people = stored if known is None else pl.concat([known, stored], how="vertical_relaxed")
    people = people.unique("defendant_id", keep="first").rename(
        {**{c: f"_d_{c}" for c in info_cols[1:]}, "_year": "_d_year"}
    )
    dropped = (
        pl.concat(rejected_here)["defendant_id"] if rejected_here else pl.Series([], dtype=pl.Int64)
    )
    history = _scan(tx, "events", ["defendant_id", "seq", "occurred_on"], ids)
    stored_keys = history.select(*key, "_file").unique(list(key))
    for w in works:
        rows = w.rows.join(people, on="defendant_id", how="left")
        unknown = rows["_d_case_id"].is_null() & rows["defendant_id"].is_not_null()
        rows = rows.with_columns(pl.Series("_unknown", unknown))
        c = pl.col
        _add(
            w,
            _reject(
                rows,
                c("_unknown"),
                "defendant_id",
                "defendant",
                pl.when(c("defendant_id").is_in(dropped.implode()))
                .then(pl.lit("the defendant's row was rejected in this import"))
                .otherwise(pl.lit("unknown defendant (not in the warehouse or this import)")),
                c("defendant_id"),
            ),
        )
        for col, label in (("case_id", "case_id"), ("county_code", "county_code")):
            _add(
                w,
                _reject(
                    rows,
                    ~c("_unknown") & (c(col) != c(f"_d_{col}")),
                    col,
                    "defendant",
                    pl.concat_str(
                        pl.lit(f"does not match the defendant's {label} ("),
                        c(f"_d_{col}").cast(pl.String),
                        pl.lit(")"),
                    ),
                    c(col),
                ),
            )
        _add(
            w,
            _reject(
                rows,
                ~c("_unknown") & (c("occurred_on") < c("_d_registered_on")),
                "occurred_on",
                "order",
                pl.concat_str(
                    pl.lit("occurred_on is before the defendant's registered_on ("),
                    c("_d_registered_on").cast(pl.String),
                    pl.lit(")"),
                ),
                c("occurred_on"),
            ),
        )
        _add(
            w,
            _reject(
                rows,
                ~c("_unknown")
                & c(PARTITION_KEY).is_not_null()
                & (c(PARTITION_KEY) != c("_d_year")),
                PARTITION_KEY,
                "partition",
                pl.concat_str(
                    pl.lit("does not match the defendant's cohort year ("),
                    c("_d_year").cast(pl.String),
                    pl.lit(")"),
                ),
                c(PARTITION_KEY),
            ),
        )
        dup = _split_before(w, rows.join(stored_keys, on=list(key), how="inner"))
        _add(
            w,
            _reject(
                dup,
                pl.lit(True),
                "seq",
                "duplicate",
                pl.lit("defendant_id and seq already in the warehouse"),
                pl.concat_str(
                    [c("defendant_id").cast(pl.String), c("seq").cast(pl.String)], separator=" "
                ),
            ),
        )
        _add(w, _event_order(rows, history))
        w.rows = rows.with_columns(c("_d_year").alias(PARTITION_KEY)).select(w.rows.columns)


def _event_order(rows: pl.DataFrame, history: pl.DataFrame) -> pl.DataFrame:
    """An event may not be dated before the defendant's previous event (by ``seq``)."""
    c = pl.col
    cand = rows.filter(
        c("defendant_id").is_not_null() & c("seq").is_not_null() & c("occurred_on").is_not_null()
    )
    cand = cand.filter(~pl.struct("defendant_id", "seq").is_duplicated())
    cand = cand.join(history.select("defendant_id", "seq"), on=["defendant_id", "seq"], how="anti")
    both = pl.concat(
        [
            cand.select("defendant_id", "seq", "occurred_on", c(ROW)),
            history.select(
                "defendant_id", "seq", "occurred_on", pl.lit(None, dtype=pl.Int64).alias(ROW)
            ),
        ]
    ).sort("defendant_id", "seq")
    both = both.with_columns(
        c("occurred_on").shift(1).over("defendant_id").alias("_prev_on"),
        c("seq").shift(1).over("defendant_id").alias("_prev_seq"),
    )
    return _reject(
        both,
        c(ROW).is_not_null() & (c("occurred_on") < c("_prev_on")),
        "occurred_on",
        "order",
        pl.concat_str(
            pl.lit("occurred_on is before the defendant's previous event (seq "),
            c("_prev_seq").cast(pl.String),
            pl.lit(" on "),
            c("_prev_on").cast(pl.String),
            pl.lit(")"),
        ),
        c("occurred_on"),
    )


def _append(tx: transaction.Transaction, w: _Work, progress: Progress | None) -> None:
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
