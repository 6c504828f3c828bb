"""Checks of an import against the warehouse and across its files.

Owns what a row alone cannot tell: a key already in an earlier file of the same import, a
defendant already in the warehouse (or put there by an earlier run of the same file, which is
not a duplicate), a county the warehouse has never seen, and for events: the defendant (in the
warehouse or in this import's facts), its case, county and registration date, the event's
place in the defendant's chain (``seq``) and the date of the event before it. All vectorised
(joins over Polars frames); the warehouse is read through the transaction, never written.

Must never: reject a row without a reason, or read rows the transaction does not show.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from caseledger.warehouse import checks, transaction
from caseledger.warehouse.schema import PARTITION_KEY, TABLES
from caseledger.warehouse.sources import ROW, Source


@dataclass
class Work:
    """One file's rows on their way in."""

    src: Source
    index: int
    retry: tuple[str, ...] = ()  # transactions of an earlier import of the same file
    before: pl.DataFrame = field(default_factory=pl.DataFrame)
    rows: pl.DataFrame = field(default_factory=pl.DataFrame)
    rejects: pl.DataFrame = field(default_factory=checks.empty_rejects)


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


def _add(w: Work, rejects: pl.DataFrame) -> None:
    if rejects.height:
        w.rejects = pl.concat([w.rejects, rejects])


def _across_files(works: list[Work], key: tuple[str, ...]) -> None:
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


def _split_before(w: Work, hit: pl.DataFrame) -> pl.DataFrame:
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


def check_defendants(tx: transaction.Transaction, works: list[Work], new_regions: bool) -> None:
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


def check_events(tx: transaction.Transaction, works: list[Work], facts: list[Work]) -> None:
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
