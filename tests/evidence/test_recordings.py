"""The recording store: streamed, content-addressed, refuses mismatches, leaves no partial file."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from caseledger.errors import InvalidInput, PreconditionFailed
from caseledger.evidence import service
from caseledger.evidence.recordings import CHUNK, RecordingStore
from tests.factories import POLICE, day, register


class Endless(io.RawIOBase):
    """A readable stream of ``size`` pseudo-random bytes that never exists in memory whole."""

    def __init__(self, size: int) -> None:
        self.left = size
        self.block = os.urandom(1 << 20)

    def readable(self) -> bool:
        return True

    def readinto(self, buf) -> int:  # type: ignore[no-untyped-def]
        n = min(len(buf), self.left, len(self.block))
        buf[:n] = self.block[:n]
        self.left -= n
        return n


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_ingest_stores_under_the_hash_and_dedupes(tmp_path):
    store = RecordingStore(tmp_path)
    data = os.urandom(3 * CHUNK + 17)
    sha = hashlib.sha256(data).hexdigest()
    first = store.ingest(io.BytesIO(data), expected_sha256=sha, expected_size=len(data))
    assert (first.sha256, first.size, first.already_present) == (sha, len(data), False)
    assert first.path == tmp_path / "objects" / sha[:2] / sha[2:]
    assert first.path.read_bytes() == data
    again = store.ingest(io.BytesIO(data))
    assert again.already_present and len(_files(tmp_path)) == 1
    assert store.path_for(sha.upper()) == first.path
    assert store.has(sha) and store.size_of(sha) == len(data) and store.rehash(sha) == sha
    other = hashlib.sha256(b"other").hexdigest()
    assert not store.has(other) and store.size_of(other) is None and store.rehash(other) is None
    store.path_for(other).mkdir(parents=True)  # not a regular file
    assert store.size_of(other) is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"expected_sha256": "0" * 64}, "does not match"), ({"expected_size": 10}, "truncated")],
)
def test_mismatch_or_truncation_leaves_nothing(tmp_path, kwargs, message):
    store = RecordingStore(tmp_path)
    with pytest.raises(InvalidInput, match=message):
        store.ingest(io.BytesIO(b"x" * 1000), **kwargs)
    assert _files(tmp_path) == []


def test_a_failing_stream_leaves_nothing(tmp_path):
    class Broken(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def readinto(self, buf):  # type: ignore[no-untyped-def]
            raise ConnectionResetError("client went away")

    with pytest.raises(ConnectionResetError):
        RecordingStore(tmp_path).ingest(Broken())
    assert _files(tmp_path) == []


def test_killed_upload_leaves_only_a_temporary_file_removed_on_start(tmp_path):
    code = (
        "import os, sys\n"
        "from caseledger.evidence.recordings import RecordingStore\n"
        "class S:\n"
        "    n = 0\n"
        "    def readinto(self, b):\n"
        "        self.n += 1\n"
        "        if self.n == 3: os._exit(9)\n"
        "        b[:10] = b'0123456789'; return 10\n"
        f"RecordingStore(__import__('pathlib').Path({str(tmp_path)!r})).ingest(S())\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True)
    assert proc.returncode == 9
    leftovers = _files(tmp_path)
    assert [p.parent.name for p in leftovers] == ["tmp"]
    RecordingStore(tmp_path)  # start-up removes what the dead process left
    assert _files(tmp_path) == []


def test_names_from_users_never_reach_the_file_system(tmp_path):
    store = RecordingStore(tmp_path)
    for bad in ("../../etc/passwd", "/abs", "a\x00b", "AB" * 32 + "zz"):
        with pytest.raises(InvalidInput):
            store.path_for(bad)


def test_memory_stays_flat_while_streaming(tmp_path):
    tracemalloc.start()
    stored = RecordingStore(tmp_path).ingest(Endless(64 * 1024 * 1024))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert stored.size == 64 * 1024 * 1024
    assert peak < 3 * CHUNK  # one read buffer (plus the test source's own block)


def test_verify_finds_altered_missing_and_misplaced_files(tmp_path):
    store = RecordingStore(tmp_path)
    a = store.ingest(io.BytesIO(b"recording a"))
    b = store.ingest(io.BytesIO(b"recording b"))
    checked, damage = store.verify({a.sha256, b.sha256})
    assert (checked, damage) == (2, [])
    with open(a.path, "r+b") as fh:
        fh.write(b"R")
    b.path.unlink()
    (store.objects / "zz").mkdir()
    (store.objects / "zz" / "evil").write_bytes(b"")
    _, damage = store.verify({a.sha256, b.sha256})
    assert sorted(d.problem for d in damage) == ["altered", "misplaced", "missing"]


def test_registration_needs_the_stored_file(db, tmp_path):
    store = RecordingStore(tmp_path)
    number = register(db)
    kwargs = {
        "actor": POLICE,
        "store": store,
        "case_number": number,
        "defendant_no": 1,
        "media_type": "video/mp4",
        "duration_seconds": 1800,
        "purpose": "interrogation",
        "participants": [{"role": "investigator", "id": "police-1"}],
        "at": day(1),
    }
    with pytest.raises(PreconditionFailed, match="upload it first"):
        db.run(lambda s: service.register_recording(s, sha256="a" * 64, **kwargs))
    stored = store.ingest(io.BytesIO(b"interrogation video"))
    row = db.run(lambda s: service.register_recording(s, sha256=stored.sha256, **kwargs))
    assert (row.size_bytes, row.purpose) == (19, "interrogation")
    with pytest.raises(InvalidInput, match="already registered"):
        db.run(lambda s: service.register_recording(s, sha256=stored.sha256, **kwargs))
    with db.read() as s:
        assert service.verify_store(s, store).ok
    stored.path.unlink()
    with db.read() as s:
        report = service.verify_store(s, store)
    assert [d.problem for d in report.damage] == ["missing"]
