"""Read an import file — CSV, Parquet or JSONL — into chunks of raw rows with their numbers.

Owns the file formats: how a file's table is recognised (a file with an ``event_type`` column is
an event stream and goes to ``events``; any other is a facts table for ``defendants``), what a
row number means, and the problems that concern the file as a whole (a missing, unknown or
repeated column; not UTF-8; not a table at all). Values are left as they are in the file (CSV
and JSONL: text) — :mod:`.checks` converts and judges them.

Row numbers: CSV — the record's number after the header, blank lines not counted (row *n* is on
line *n* + 1 when no field spans lines); Parquet — the row's position from 1; JSONL — the line
number. A CSV record with the wrong number of fields, or a JSONL line that is not a JSON object,
is a row-level problem (see :class:`BadRow`); the other rows are read.

Must never: loop in Python over the rows of a well-formed file, or hold more than one chunk of
a file's raw text beyond what the caller keeps.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import orjson
import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from caseledger.errors import InvalidInput
from caseledger.warehouse.schema import PARTITION_KEY, TABLES

ROW = "_row"
CHUNK_ROWS = 262_144
BLOCK_BYTES = 4 << 20
JSON_BLOCK_BYTES = 32 << 20
FORMATS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet", ".jsonl": "jsonl"}
FORMATS |= {".ndjson": "jsonl", ".json": "jsonl"}
Progress = Callable[[int], None]


@dataclass(frozen=True)
class BadRow:
    """A row that could not be read as a row at all (its values are unknown)."""

    row: int
    check: str
    reason: str
    value: str = ""


@dataclass
class Source:
    """One input file: its format, size, content hash and the table it feeds."""

    path: Path
    format: str
    size: int
    table: str = "defendants"
    columns: list[str] = field(default_factory=list)
    sha256: str = ""
    bad_rows: list[BadRow] = field(default_factory=list)


def _fail(message: str, path: Path, **context: Any) -> InvalidInput:
    return InvalidInput(message, file=str(path), **context)


def open_source(path: Path) -> Source:
    """Recognise the file's format and table from its name and its header."""
    if not path.is_file():
        raise _fail("no such file", path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise _fail("unknown file type; expected .csv, .parquet or .jsonl", path)
    src = Source(path=path, format=fmt, size=path.stat().st_size)
    src.columns = _header(src)
    src.table = "events" if "event_type" in src.columns else "defendants"
    return src


def _header(src: Source) -> list[str]:
    try:
        if src.format == "parquet":
            return list(pq.read_schema(src.path).names)
        with open(src.path, "rb") as fh:
            if src.format == "csv":
                first = fh.readline()
                head = first.decode("utf-8-sig").rstrip("\r\n")
                return next(csv.reader([head]), [])
            for line in fh:
                if line.strip():
                    obj = orjson.loads(line)
                    return list(obj) if isinstance(obj, dict) else []
            return []
    except (OSError, UnicodeDecodeError, orjson.JSONDecodeError, pa.ArrowException) as exc:
        raise _fail(f"cannot read the file: {_first_line(exc)}", src.path) from None


def _first_line(exc: BaseException) -> str:
    return (str(exc) or type(exc).__name__).splitlines()[0]


def content_hash(src: Source, progress: Progress | None = None) -> str:
    """SHA-256 of the file's bytes (the import batch id)."""
    h = hashlib.sha256()
    with open(src.path, "rb") as fh:
        while block := fh.read(8 << 20):
            h.update(block)
            if progress:
                progress(len(block))
    src.sha256 = h.hexdigest()
    return src.sha256


def column_problems(src: Source) -> list[tuple[str, str, str]]:
    """``(column, check, reason)`` for each file-level column problem (the file is refused)."""
    names = TABLES[src.table].schema.names
    out = []
    seen = set()
    for col in src.columns:
        if col in seen:
            out.append((col, "column", "column appears more than once in the header"))
        seen.add(col)
    if src.format != "jsonl":
        for col in names:
            if col not in seen:
                out.append((col, "column", f"column missing from the file ({src.table} table)"))
    for col in src.columns if src.format != "jsonl" else []:  # JSONL: other keys are ignored
        if col not in names and col != PARTITION_KEY:
            out.append((col, "column", f"unknown column for the {src.table} table"))
    return out


class _Counting(io.RawIOBase):
    """A binary file that reports how many bytes have been read from it."""

    def __init__(self, fh: BinaryIO, progress: Progress | None) -> None:
        self.fh, self.progress = fh, progress

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = self.fh.readinto(buffer)
        if n and self.progress:
            self.progress(n)
        return n or 0


def chunks(src: Source, progress: Progress | None = None) -> Iterator[pl.DataFrame]:
    """The file's rows in chunks: the file's columns (as read) plus ``_row``."""
    if src.format == "csv":
        yield from _csv(src, progress)
    elif src.format == "parquet":
        yield from _parquet(src, progress)
    else:
        yield from _jsonl(src, progress)


def _with_rows(table: pa.Table | pl.DataFrame, first: int) -> pl.DataFrame:
    frame = table if isinstance(table, pl.DataFrame) else pl.from_arrow(table, rechunk=False)
    assert isinstance(frame, pl.DataFrame)
    return frame.with_row_index(ROW, offset=first).with_columns(pl.col(ROW).cast(pl.Int64))


def _csv(src: Source, progress: Progress | None) -> Iterator[pl.DataFrame]:
    invalid: list[int] = []

    def on_invalid(row: Any) -> str:
        invalid.append(row.actual_columns)
        return "skip"

    convert = pacsv.ConvertOptions(
        column_types={c: pa.string() for c in src.columns},
        null_values=[""],
        strings_can_be_null=True,
        quoted_strings_can_be_null=True,
    )
    parse = pacsv.ParseOptions(newlines_in_values=True, invalid_row_handler=on_invalid)
    read = pacsv.ReadOptions(block_size=BLOCK_BYTES, use_threads=True)
    delivered = 0
    pending: list[pa.RecordBatch] = []
    with open(src.path, "rb") as raw:
        if raw.read(3) != b"\xef\xbb\xbf":
            raw.seek(0)
        elif progress:
            progress(3)
        try:
            reader = pacsv.open_csv(
                _Counting(raw, progress),  # type: ignore[arg-type]
                read_options=read,
                parse_options=parse,
                convert_options=convert,
            )
            for batch in reader:
                pending.append(batch)
                if sum(b.num_rows for b in pending) >= CHUNK_ROWS:
                    table = pa.Table.from_batches(pending)
                    pending = []
                    yield _with_rows(table, delivered + 1)
                    delivered += table.num_rows
        except pa.ArrowInvalid as exc:
            raise _fail(f"not a readable CSV file: {_first_line(exc)}", src.path) from None
    if pending:
        table = pa.Table.from_batches(pending)
        yield _with_rows(table, delivered + 1)
    if invalid:
        src.bad_rows = _locate_bad_records(src)


def _locate_bad_records(src: Source) -> list[BadRow]:
    """Find the records with the wrong number of fields (slow path, only for broken files)."""
    width = len(src.columns)
    bad = []
    with open(src.path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        next(reader, None)
        n = 0
        for record in reader:
            if not record:
                continue
            n += 1
            if len(record) != width:
                text = ",".join(record)
                bad.append(
                    BadRow(
                        row=n,
                        check="fields",
                        reason=f"has {len(record)} fields, the header has {width}",
                        value=text[:80],
                    )
                )
    return bad


def renumber(frame: pl.DataFrame, bad_rows: list[BadRow]) -> pl.DataFrame:
    """Shift the delivered rows' numbers past the records that were skipped as unreadable."""
    if not bad_rows or not frame.height:
        return frame
    skipped = np.array(sorted(b.row for b in bad_rows), dtype=np.int64)
    # delivered row r follows skipped record s_j (j from 1) iff r > s_j - j
    gaps = skipped - np.arange(1, skipped.size + 1)
    rows = frame[ROW].to_numpy()
    shift = np.searchsorted(gaps, rows, side="left")
    return frame.with_columns(pl.Series(ROW, rows + shift, dtype=pl.Int64))


def _parquet(src: Source, progress: Progress | None) -> Iterator[pl.DataFrame]:
    try:
        f = pq.ParquetFile(src.path)
        first = 1
        for batch in f.iter_batches(batch_size=CHUNK_ROWS):
            table = pa.Table.from_batches([batch])
            yield _with_rows(table, first)
            first += table.num_rows
            if progress:
                progress(int(src.size * table.num_rows / max(f.metadata.num_rows, 1)))
    except (OSError, pa.ArrowException) as exc:
        raise _fail(f"not a readable Parquet file: {_first_line(exc)}", src.path) from None


def _jsonl(src: Source, progress: Progress | None) -> Iterator[pl.DataFrame]:
    names = TABLES[src.table].schema.names
    schema = {c: pl.String for c in names}
    line0 = 1
    with open(src.path, "rb") as fh:
        carry = b""
        while True:
            block = fh.read(JSON_BLOCK_BYTES)
            if progress and block:
                progress(len(block))
            data = carry + block
            if block:
                cut = data.rfind(b"\n") + 1
                if cut == 0:
                    carry = data
                    continue
                data, carry = data[:cut], data[cut:]
            elif not data:
                break
            else:
                carry = b""
            frame, lines = _json_block(src, data, line0, schema)
            line0 += lines
            if frame.height:
                yield frame
            if not block:
                break


def _json_block(
    src: Source, data: bytes, line0: int, schema: dict[str, Any]
) -> tuple[pl.DataFrame, int]:
    """Rows of one block of whole lines, numbered by line; returns (rows, lines consumed)."""
    buf = np.frombuffer(data, dtype=np.uint8)
    ends = np.flatnonzero(buf == 10)
    if not data.endswith(b"\n"):
        ends = np.append(ends, len(data))
    starts = np.concatenate([[0], ends[:-1] + 1])
    line_numbers = np.arange(line0, line0 + ends.size, dtype=np.int64)
    nonblank = _nonblank(buf, starts, ends)
    try:
        frame = pl.read_ndjson(io.BytesIO(data), schema=schema)
        rows = line_numbers[nonblank]
        if frame.height != rows.size:
            raise pl.exceptions.ComputeError("line count differs")
    except (pl.exceptions.PolarsError, ValueError):
        return _json_slow(src, data, starts, ends, line_numbers, schema), ends.size
    return frame.with_columns(pl.Series(ROW, rows, dtype=pl.Int64)), ends.size


def _nonblank(buf: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """True for lines holding something other than whitespace."""
    space = np.isin(buf, np.frombuffer(b" \t\r\n", dtype=np.uint8))
    solid = np.concatenate([[0], np.cumsum(~space)])
    return (solid[ends] - solid[starts]) > 0


def _json_slow(
    src: Source,
    data: bytes,
    starts: np.ndarray,
    ends: np.ndarray,
    numbers: np.ndarray,
    schema: dict[str, Any],
) -> pl.DataFrame:
    """Parse line by line to find the lines that are not JSON objects (broken files only)."""
    good: list[bytes] = []
    rows: list[int] = []
    for s, e, n in zip(starts.tolist(), ends.tolist(), numbers.tolist(), strict=True):
        line = data[s:e]
        if not line.strip():
            continue
        try:
            obj = orjson.loads(line)
        except orjson.JSONDecodeError:
            src.bad_rows.append(BadRow(int(n), "json", "not valid JSON", _text(line)))
            continue
        if not isinstance(obj, dict):
            src.bad_rows.append(BadRow(int(n), "json", "not a JSON object", _text(line)))
            continue
        good.append(line)
        rows.append(int(n))
    if not good:
        return pl.DataFrame(schema=schema | {ROW: pl.Int64})
    frame = pl.read_ndjson(io.BytesIO(b"\n".join(good)), schema=schema)
    return frame.with_columns(pl.Series(ROW, rows, dtype=pl.Int64))


def _text(line: bytes) -> str:
    return line.decode("utf-8", "replace").strip()[:80]
