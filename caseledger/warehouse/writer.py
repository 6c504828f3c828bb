"""Write a whole warehouse atomically: Parquet files under a temporary directory, then a swap.

Owns the on-disk layout — ``<table>/year=YYYY/part-*.parquet`` (hive partitioning, the year is
in the directory name and not in the file), zstd compression, row groups of the table's target
size (only the last row group of a file may be smaller), and the manifest ``_schema.json`` at
the root — the writers' lock (``.<name>.lock`` next to the warehouse) and the swap that replaces
the previous warehouse in one step, so a crash at any point leaves either the old warehouse or
the new one, never a mixture. Incremental changes (append, replace a partition) go through
:mod:`caseledger.warehouse.transaction`, which builds on the same lock and swap.

Rows arrive in the order they must be stored (the caller sorts each chunk and hands chunks over
in sort order); the writer only buffers them into row groups.

Must never: reorder or alter rows, write outside the target's parent directory, or delete a
directory that is not a caseledger warehouse.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import json
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from caseledger.errors import ConcurrencyConflict, InvalidInput
from caseledger.warehouse.schema import PARTITION_KEY, SCHEMA_VERSION, TABLES, manifest_tables

MANIFEST = "_schema.json"
FORMAT = "caseledger-warehouse"
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


class _PartitionFile:
    """One open Parquet file (table × year) with its buffer of not yet written rows."""

    def __init__(self, path: Path, schema: pa.Schema, row_group_rows: int) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.writer = pq.ParquetWriter(
            path,
            schema,
            compression="zstd",
            use_dictionary=True,
            write_statistics=True,
        )
        self.row_group_rows = row_group_rows
        self.buffer: list[pa.Table] = []
        self.buffered = 0
        self.rows = 0

    def add(self, table: pa.Table) -> None:
        self.buffer.append(table)
        self.buffered += table.num_rows
        if self.buffered >= self.row_group_rows:
            self._flush(final=False)

    def _flush(self, final: bool) -> None:
        if not self.buffered:
            return
        data = pa.concat_tables(self.buffer)
        full = (data.num_rows // self.row_group_rows) * self.row_group_rows
        cut = data.num_rows if final else full
        if cut:
            self.writer.write_table(data.slice(0, cut), row_group_size=self.row_group_rows)
            self.rows += cut
        rest = data.slice(cut)
        self.buffer = [rest] if rest.num_rows else []
        self.buffered = rest.num_rows

    def close(self) -> None:
        if self.writer.is_open:
            self._flush(final=True)
            self.writer.close()


class WarehouseWriter:
    """Collects tables partition by partition in a temporary directory (see ``open_warehouse``)."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.files: dict[tuple[str, int], _PartitionFile] = {}

    def write(self, table_name: str, year: int, data: pa.Table) -> None:
        """Append rows (already sorted) to the ``year`` partition of ``table_name``."""
        table = TABLES[table_name]
        if data.schema != table.schema:
            raise InvalidInput(
                "rows do not match the warehouse schema", table=table_name, year=year
            )
        key = (table_name, year)
        part = self.files.get(key)
        if part is None:
            schema = table.schema.with_metadata(
                {"caseledger.table": table_name, "caseledger.schema_version": str(SCHEMA_VERSION)}
            )
            path = self.tmp / table_name / f"{PARTITION_KEY}={year}" / "part-0.parquet"
            part = self.files[key] = _PartitionFile(path, schema, table.row_group_rows)
        part.add(data.replace_schema_metadata(part.writer.schema.metadata))

    def close_year(self, year: int) -> None:
        """Finish every file of ``year`` (frees its buffers)."""
        for key in [k for k in self.files if k[1] == year]:
            self.files[key].close()

    def _finish(self, meta: dict[str, Any]) -> None:
        files: dict[str, dict[str, dict[str, int]]] = {name: {} for name in TABLES}
        for (name, year), part in sorted(self.files.items()):
            part.close()
            files[name][str(year)] = {part.path.name: part.rows}
        write_manifest(self.tmp, build_manifest(files=files, source=meta, state={}))
        fsync_tree(self.tmp)


def build_manifest(
    *, files: dict[str, dict[str, dict[str, int]]], source: Any, state: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    """The manifest for a warehouse holding ``files`` (table -> year -> file name -> rows)."""
    rows = {
        name: {year: sum(parts.values()) for year, parts in sorted(files.get(name, {}).items())}
        for name in TABLES
    }
    return {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "tables": manifest_tables(),
        "rows": rows,
        "files": {name: dict(sorted(files.get(name, {}).items())) for name in TABLES},
        "source": source,
        "state": state,
        **extra,
    }


def write_manifest(directory: Path, manifest: dict[str, Any]) -> None:
    """Write ``_schema.json`` into ``directory`` durably: a temporary file, fsync, rename."""
    text = json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    tmp = directory / f".{MANIFEST}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    tmp.rename(directory / MANIFEST)


def fsync_path(path: Path) -> None:
    """Flush a file's or a directory's contents to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_tree(root: Path) -> None:
    """Flush every file and directory under ``root`` (deepest first), then ``root`` itself."""
    for dirpath, _dirs, names in os.walk(root, topdown=False):
        for name in names:
            fsync_path(Path(dirpath) / name)
        fsync_path(Path(dirpath))


def is_warehouse(path: Path) -> bool:
    """True when ``path`` holds a caseledger warehouse manifest."""
    try:
        data = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("format") == FORMAT


def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest of the warehouse at ``path``."""
    if not is_warehouse(path):
        raise InvalidInput("not a caseledger warehouse (no valid _schema.json)", path=str(path))
    result: dict[str, Any] = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    return result


def lock_path(target: Path) -> Path:
    """The lock file of the warehouse at ``target`` (next to it, so it survives the swap)."""
    return target.parent / f".{target.name}.lock"


@contextmanager
def lock(target: Path, *, wait: float = 0.0) -> Iterator[None]:
    """Hold the exclusive writer lock of ``target`` (``flock``; released if the process dies).

    Waits up to ``wait`` seconds for another writer to finish, then raises
    :class:`~caseledger.errors.ConcurrencyConflict` naming that writer's process id.
    """
    path = lock_path(target)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise InvalidInput(
            f"cannot create the warehouse lock file: {exc.strerror}", path=str(path)
        ) from None
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "unknown"
                    raise ConcurrencyConflict(
                        "the warehouse is being written by another process; "
                        "try again when it has finished",
                        warehouse=str(target),
                        pid=holder,
                    ) from None
                time.sleep(0.05)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directories in one system call (Linux ``renameat2``); False if unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    res = fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(res == 0)


def recover(target: Path) -> None:
    """Undo an interrupted swap and remove stale temporary directories next to ``target``.

    Call it only while holding :func:`lock` (another writer's temporary directory looks stale).
    """
    parent = target.parent
    if not parent.is_dir():
        return
    olds = sorted(parent.glob(f".{target.name}.old-*"))
    if olds and not target.exists() and is_warehouse(olds[-1]):
        olds[-1].rename(target)
    for stale in [*parent.glob(f".{target.name}.old-*"), *parent.glob(f".{target.name}.tmp-*")]:
        shutil.rmtree(stale, ignore_errors=True)


def _check_target(target: Path) -> None:
    if target.exists():
        if not target.is_dir():
            raise InvalidInput("warehouse path exists and is not a directory", path=str(target))
        if any(target.iterdir()) and not is_warehouse(target):
            raise InvalidInput(
                "refusing to replace a non-empty directory that is not a caseledger warehouse",
                path=str(target),
            )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidInput(
            f"cannot create the warehouse directory: {exc.strerror}", path=str(target)
        ) from None
    if not os.access(target.parent, os.W_OK | os.X_OK):
        raise InvalidInput("warehouse directory is not writable", path=str(target.parent))


def temporary_path(target: Path) -> Path:
    """Where the next version of ``target`` is built (removed by :func:`recover` if abandoned)."""
    return target.parent / f".{target.name}.tmp-{os.getpid()}"


def swap(tmp: Path, target: Path) -> None:
    """Put the complete tree ``tmp`` in place of ``target`` in one step; remove the old tree."""
    if not target.exists():
        tmp.rename(target)
        fsync_path(target.parent)
        return
    if _exchange(tmp, target):
        fsync_path(target.parent)
        shutil.rmtree(tmp, ignore_errors=True)  # the old version; recover() retries
        return
    old = target.parent / f".{target.name}.old-{os.getpid()}"
    target.rename(old)
    tmp.rename(target)
    fsync_path(target.parent)
    shutil.rmtree(old, ignore_errors=True)


@contextmanager
def open_warehouse(target: Path, meta: dict[str, Any]) -> Iterator[WarehouseWriter]:
    """Write a new warehouse at ``target``; it replaces the old one only if the block succeeds.

    ``meta`` (JSON-ready; e.g. the generator's parameters) goes into the manifest. The
    temporary directory sits next to ``target`` so the final rename stays on one file system.
    """
    target = target.expanduser().absolute()
    _check_target(target)
    with lock(target):
        recover(target)
        tmp = temporary_path(target)
        shutil.rmtree(tmp, ignore_errors=True)
        try:
            tmp.mkdir()
        except OSError as exc:
            raise InvalidInput(
                f"cannot write the warehouse: {exc.strerror}", path=str(target)
            ) from None
        writer = WarehouseWriter(tmp)
        try:
            yield writer
            writer._finish(meta)
            swap(tmp, target)
        except BaseException:
            for part in writer.files.values():
                if part.writer.is_open:
                    part.writer.close()
            shutil.rmtree(tmp, ignore_errors=True)
            raise
