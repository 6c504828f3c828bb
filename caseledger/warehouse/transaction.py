"""Incremental, crash-safe changes to a warehouse: append rows, replace partitions, keep state.

A transaction builds the next version of the warehouse next to it (``.<name>.tmp-<pid>``, the
writer's temporary name): a hard link to every file it keeps, new Parquet files for what it
adds, and a new manifest. On a clean exit it flushes that tree to disk and swaps it in place of
the old one in one ``renameat2(RENAME_EXCHANGE)`` — the commit point — then removes the old
tree. Nothing under the warehouse path is ever modified in place, so:

- a reader sees only complete files, and the warehouse path always holds a complete version
  (the previous one until the swap, the new one after it);
- an exception, or a kill at any moment, leaves the previous version; the abandoned temporary
  tree is removed by the next writer (:func:`caseledger.warehouse.writer.recover`);
- writers exclude each other with the warehouse lock (``.<name>.lock``, ``flock``): a second
  writer waits up to ``wait`` seconds and then fails with a clear error.

Files are immutable and never renamed, so a kept file is a hard link to the same inode (no copy;
the old and new tree share it). The cost of a commit is one link per kept file plus the new
files. Rows are sorted and cut into row groups by the rules of :mod:`.schema`, like the writer.

Must never: change a file under the warehouse path in place, write outside the warehouse's
parent directory, or commit a version whose manifest disagrees with its files.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from caseledger.errors import InvalidInput
from caseledger.warehouse import writer
from caseledger.warehouse.schema import PARTITION_KEY, SCHEMA_VERSION, TABLES

Files = dict[str, dict[str, dict[str, int]]]  # table -> year -> file name -> rows


def _schema_of(name: str) -> pa.Schema:
    return TABLES[name].schema.with_metadata(
        {"caseledger.table": name, "caseledger.schema_version": str(SCHEMA_VERSION)}
    )


def _table(name: str) -> None:
    if name not in TABLES:
        raise InvalidInput(f"unknown warehouse table {name!r}", tables=", ".join(TABLES))


def _year(year: int) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not 1000 <= year <= 9999:
        raise InvalidInput("partition year must be a four-digit integer", year=year)
    return year


def conform(name: str, data: pa.Table) -> pa.Table:
    """``data`` with the columns of table ``name`` in schema order; refuses any other shape."""
    _table(name)
    schema = TABLES[name].schema
    missing = [f.name for f in schema if f.name not in data.column_names]
    extra = [c for c in data.column_names if c not in schema.names]
    if missing or extra:
        raise InvalidInput(
            "rows do not match the warehouse schema",
            table=name,
            missing=", ".join(missing) or None,
            unexpected=", ".join(extra) or None,
        )
    data = data.select(schema.names)
    for field, column in zip(schema, data.columns, strict=True):
        if column.type != field.type:
            raise InvalidInput(
                "rows do not match the warehouse schema",
                table=name,
                column=field.name,
                type=str(column.type),
                expected=str(field.type),
            )
    return pa.Table.from_arrays(data.columns, schema=schema)


def scan_files(target: Path) -> Files:
    """Every Parquet file of every table on disk, with its row count (from the file footer)."""
    out: Files = {name: {} for name in TABLES}
    for name in TABLES:
        base = target / name
        if not base.is_dir():
            continue
        for part in sorted(base.glob(f"{PARTITION_KEY}=*")):
            year = part.name.split("=", 1)[1]
            for f in sorted(part.glob("*.parquet")):
                out[name].setdefault(year, {})[f.name] = pq.ParquetFile(f).metadata.num_rows
    return out


def verify(target: Path) -> list[str]:
    """Disagreements between the manifest and the files on disk (empty when consistent)."""
    manifest = writer.read_manifest(target)
    problems = []
    listed: Files = manifest.get("files") or {}
    actual = scan_files(target)
    for name in TABLES:
        want, have = listed.get(name, {}), actual.get(name, {})
        for year in sorted(set(want) | set(have)):
            w, h = want.get(year, {}), have.get(year, {})
            if w != h:
                problems.append(f"{name}/year={year}: manifest lists {w}, disk holds {h}")
        totals = {y: sum(p.values()) for y, p in sorted(have.items())}
        if manifest.get("rows", {}).get(name, {}) != totals:
            problems.append(f"{name}: manifest row counts differ from the files")
    return problems


class Transaction:
    """One open transaction on a warehouse (see :func:`open`); not thread-safe."""

    def __init__(self, target: Path, manifest: dict[str, Any], exists: bool) -> None:
        self.path = target
        self.id = f"{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S}-{secrets.token_hex(4)}"
        self._manifest = manifest
        self._exists = exists
        self.state: dict[str, Any] = copy.deepcopy(manifest.get("state") or {})
        self._tmp = writer.temporary_path(target)
        self._files: Files = copy.deepcopy(manifest.get("files") or {}) if exists else {}
        if exists and not manifest.get("files"):
            self._files = scan_files(target)  # written before manifests listed their files
        self._staged: Files = {name: {} for name in TABLES}
        self._replaced: set[tuple[str, str]] = set()
        self._count = 0
        shutil.rmtree(self._tmp, ignore_errors=True)
        self._tmp.mkdir()

    @property
    def manifest(self) -> MappingProxyType[str, Any]:
        """The manifest as it was when the transaction began (read-only)."""
        return MappingProxyType(copy.deepcopy(self._manifest))

    def files(self, table: str) -> dict[int, list[Path]]:
        """The committed files of ``table`` by year, as they were when the transaction began."""
        _table(table)
        return {
            int(year): [self.path / table / f"{PARTITION_KEY}={year}" / n for n in sorted(names)]
            for year, names in sorted(self._files.get(table, {}).items())
        }

    def scan(
        self,
        table: str,
        columns: list[str] | None = None,
        *,
        defendant_ids: pa.Array | None = None,
    ) -> Iterator[tuple[int, pa.Table]]:
        """Committed rows of ``table`` file by file, as ``(year, rows)``.

        With ``defendant_ids``, only rows of those defendants are returned and row groups whose
        ``defendant_id`` statistics cannot hold one of them are skipped.
        """
        lo = hi = None
        if defendant_ids is not None:
            if len(defendant_ids) == 0:
                return
            lo, hi = pc.min_max(defendant_ids).values()
            lo, hi = lo.as_py(), hi.as_py()
        for year, paths in self.files(table).items():
            for path in paths:
                f = pq.ParquetFile(path)
                groups = list(range(f.metadata.num_row_groups))
                if defendant_ids is not None:
                    groups = [g for g in groups if _may_hold(f, g, lo, hi)]
                if not groups:
                    continue
                cols = columns
                if defendant_ids is not None and columns is not None:
                    cols = list(dict.fromkeys(["defendant_id", *columns]))
                rows = f.read_row_groups(groups, columns=cols)
                if defendant_ids is not None:
                    rows = rows.filter(pc.is_in(rows["defendant_id"], value_set=defendant_ids))
                    if columns is not None:
                        rows = rows.select(columns)
                if rows.num_rows:
                    yield year, rows

    def append(self, *, table: str, year: int, data: pa.Table) -> None:
        """Add ``data`` to partition ``year`` of ``table`` as one new file (sorted, row-grouped)."""
        data = conform(table, data)
        self._write(table, str(_year(year)), data)

    def replace(self, *, table: str, year: int, data: pa.Table) -> None:
        """Make ``data`` the whole content of partition ``year`` of ``table`` (empty: remove it)."""
        data = conform(table, data)
        key = str(_year(year))
        self._replaced.add((table, key))
        for name in self._staged[table].pop(key, {}):
            (self._tmp / table / f"{PARTITION_KEY}={key}" / name).unlink()
        self._write(table, key, data)

    def _write(self, table: str, year: str, data: pa.Table) -> None:
        if not data.num_rows:
            return
        spec = TABLES[table]
        data = data.sort_by([(c, "ascending") for c in spec.sort_by])
        self._count += 1
        name = f"part-{self.id}-{self._count}.parquet"
        path = self._tmp / table / f"{PARTITION_KEY}={year}" / name
        part = writer._PartitionFile(path, _schema_of(table), spec.row_group_rows)
        try:
            part.add(data.replace_schema_metadata(part.writer.schema.metadata))
        finally:
            part.close()
        self._staged[table].setdefault(year, {})[name] = part.rows

    def _commit(self) -> None:
        files: Files = {name: {} for name in TABLES}
        for name in TABLES:
            for year, parts in self._files.get(name, {}).items():
                if (name, year) not in self._replaced:
                    files[name][year] = dict(parts)
            for year, parts in self._staged[name].items():
                files[name].setdefault(year, {}).update(parts)
            files[name] = {y: p for y, p in files[name].items() if p}
        if self._exists:
            self._link_kept()
        source = self._manifest.get("source") if self._exists else {"created_by": "transaction"}
        manifest = writer.build_manifest(
            files=files,
            source=source,
            state=self.state,
            transaction={"id": self.id, "committed_at": dt.datetime.now(dt.UTC).isoformat()},
        )
        writer.write_manifest(self._tmp, manifest)
        writer.fsync_tree(self._tmp)
        writer.swap(self._tmp, self.path)

    def _link_kept(self) -> None:
        """Hard-link every file of the current version that the new one keeps."""
        for dirpath, _dirs, names in os.walk(self.path):
            here = Path(dirpath)
            rel = here.relative_to(self.path)
            parts = rel.parts
            replaced = (
                len(parts) == 2
                and parts[0] in TABLES
                and parts[1].startswith(f"{PARTITION_KEY}=")
                and (parts[0], parts[1].split("=", 1)[1]) in self._replaced
            )
            dest = self._tmp / rel
            dest.mkdir(parents=True, exist_ok=True)
            for n in names:
                if rel == Path(".") and n == writer.MANIFEST:
                    continue
                if replaced and n.endswith(".parquet"):
                    continue
                src = here / n
                if src.is_symlink():
                    os.symlink(os.readlink(src), dest / n)
                else:
                    os.link(src, dest / n)
        for table, year in self._replaced:  # a replaced partition left with no file disappears
            d = self._tmp / table / f"{PARTITION_KEY}={year}"
            if d.is_dir() and not any(d.iterdir()):
                d.rmdir()

    def _abort(self) -> None:
        shutil.rmtree(self._tmp, ignore_errors=True)


def _may_hold(f: pq.ParquetFile, group: int, lo: Any, hi: Any) -> bool:
    meta = f.metadata.row_group(group)
    for i in range(meta.num_columns):
        col = meta.column(i)
        if col.path_in_schema == "defendant_id":
            stats = col.statistics
            if stats is None or not stats.has_min_max:
                return True
            return not (stats.max < lo or stats.min > hi)
    return True


def _check_version(target: Path, manifest: dict[str, Any]) -> None:
    found = manifest.get("schema_version")
    if found != SCHEMA_VERSION:
        raise InvalidInput(
            f"the warehouse has schema version {found}, this caseledger writes version "
            f"{SCHEMA_VERSION}; regenerate it (caseledger synth) or write to a new directory",
            warehouse=str(target),
        )


@contextmanager
def open(path: Path, *, create: bool = False, wait: float = 0.0) -> Iterator[Transaction]:
    """A transaction on the warehouse at ``path``: committed when the block exits cleanly.

    ``create`` makes a new, empty warehouse (manifest with the current schema version) when
    ``path`` does not exist or is an empty directory. A warehouse of another schema version is
    refused. ``wait`` is how many seconds to wait for another writer's lock.
    """
    target = Path(path).expanduser().absolute()
    if not create and not target.is_dir():
        raise InvalidInput("no warehouse at this path", path=str(target))
    writer._check_target(target)
    with writer.lock(target, wait=wait):
        writer.recover(target)
        exists = writer.is_warehouse(target)
        if exists:
            manifest = writer.read_manifest(target)
            _check_version(target, manifest)
        elif create:
            if target.exists() and any(target.iterdir()):
                raise InvalidInput(
                    "refusing to write into a non-empty directory that is not a caseledger "
                    "warehouse",
                    path=str(target),
                )
            manifest = {}
        else:
            raise InvalidInput(
                "not a caseledger warehouse (no valid _schema.json)", path=str(target)
            )
        try:
            tx = Transaction(target, manifest, exists)
        except OSError as exc:
            raise InvalidInput(
                f"cannot write the warehouse: {exc.strerror}", path=str(target)
            ) from None
        try:
            yield tx
            tx._commit()
        except BaseException:
            tx._abort()
            raise
