"""Content-addressed storage of audio-video recordings (interrogations, plea consultations).

Files live under ``CASELEDGER_RECORDINGS_DIR`` (default ``CASELEDGER_HOME/recordings``) as
``objects/ab/cdef…`` where ``abcdef…`` is the SHA-256 of the content, so a stored path can only
ever be a hash (names supplied by users never reach the file system). Ingest streams the input
in fixed-size chunks into a temporary file while hashing, fsyncs it, checks the declared hash and
size, and only then renames it into place: a failed, truncated or killed upload leaves at most a
temporary file, which the next start removes. Memory use does not depend on the file's size.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from caseledger.errors import InvalidInput

CHUNK = 4 * 1024 * 1024
_HEX = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Stored:
    sha256: str
    size: int
    path: Path
    already_present: bool


@dataclass(frozen=True)
class Damage:
    sha256: str
    problem: str  # "missing", "altered", "misplaced"
    detail: str


def check_hash(value: str, *, field: str = "sha256") -> str:
    value = value.strip().lower()
    if not _HEX.match(value):
        raise InvalidInput("a SHA-256 is 64 hexadecimal characters", field=field)
    return value


class RecordingStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.objects = root / "objects"
        self._objects = os.fspath(self.objects)
        self.tmp = root / "tmp"
        self.objects.mkdir(parents=True, exist_ok=True)
        self.tmp.mkdir(parents=True, exist_ok=True)
        self.remove_abandoned()

    def path_for(self, sha256: str) -> Path:
        return Path(self._file(sha256))

    def _file(self, sha256: str) -> str:
        # As text: a plea's recordings are looked up and re-hashed at several of its acts, and
        # joining Path objects cost more than the system calls.
        sha256 = check_hash(sha256)
        return f"{self._objects}{os.sep}{sha256[:2]}{os.sep}{sha256[2:]}"

    def has(self, sha256: str) -> bool:
        return self.size_of(sha256) is not None

    def size_of(self, sha256: str) -> int | None:
        """The stored file's size in bytes (None when no regular file is stored under it)."""
        try:
            st = os.stat(self._file(sha256))
        except FileNotFoundError:
            return None
        return st.st_size if stat.S_ISREG(st.st_mode) else None

    def remove_abandoned(self) -> int:
        """Delete temporary files of uploads whose process is gone (killed mid-upload)."""
        removed = 0
        for tmp in self.tmp.glob("upload-*.part"):
            pid = tmp.name.split("-")[1]
            if pid.isdigit() and (int(pid) == os.getpid() or _alive(int(pid))):
                continue  # an upload still in progress
            tmp.unlink(missing_ok=True)
            removed += 1
        return removed

    def ingest(
        self,
        source: BinaryIO,
        *,
        expected_sha256: str | None = None,
        expected_size: int | None = None,
    ) -> Stored:
        """Stream ``source`` into the store; refuse it if hash or size differ from the declared."""
        if expected_sha256 is not None:
            expected_sha256 = check_hash(expected_sha256, field="expected_sha256")
        tmp = self.tmp / f"upload-{os.getpid()}-{os.urandom(6).hex()}.part"
        digest = hashlib.sha256()
        size = 0
        buf = bytearray(CHUNK)
        view = memoryview(buf)
        try:
            with open(tmp, "wb") as out:
                readinto = getattr(source, "readinto", None)
                while True:
                    if readinto is not None:
                        n = readinto(buf)
                        if not n:
                            break
                        chunk = view[:n]
                    else:
                        data = source.read(CHUNK)
                        if not data:
                            break
                        chunk, n = memoryview(data), len(data)
                    digest.update(chunk)
                    out.write(chunk)
                    size += n
                out.flush()
                os.fsync(out.fileno())
            sha = digest.hexdigest()
            if expected_size is not None and size != expected_size:
                raise InvalidInput(
                    f"upload truncated or padded: {size} bytes received, {expected_size} declared",
                    field="size",
                )
            if expected_sha256 is not None and sha != expected_sha256:
                raise InvalidInput(
                    "the content does not match its declared SHA-256; nothing was stored",
                    field="sha256",
                    declared=expected_sha256,
                    actual=sha,
                )
            final = self.path_for(sha)
            if final.is_file():
                tmp.unlink()
                return Stored(sha, size, final, True)
            final.parent.mkdir(exist_ok=True)
            os.replace(tmp, final)
            _fsync_dir(final.parent)
            return Stored(sha, size, final, False)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    def ingest_file(self, path: Path, **kwargs: object) -> Stored:
        try:
            with open(path, "rb", buffering=0) as fh:
                return self.ingest(fh, **kwargs)  # type: ignore[arg-type]
        except FileNotFoundError:
            raise InvalidInput("no such file", file=str(path)) from None

    def hashes(self) -> Iterator[str]:
        for sub in sorted(self.objects.iterdir()):
            if sub.is_dir():
                for f in sorted(sub.iterdir()):
                    yield sub.name + f.name

    def rehash(self, sha256: str) -> str | None:
        """The SHA-256 of the stored file's current content (None when it is missing)."""
        path = self._file(sha256)
        try:
            with open(path, "rb", buffering=0) as fh:
                digest = hashlib.sha256()
                # A buffer no larger than the file: allocating 4 MiB cost a small recording
                # (a plea consultation's is checked at every statement) a millisecond.
                buf = bytearray(max(1, min(CHUNK, os.fstat(fh.fileno()).st_size + 1)))
                view = memoryview(buf)
                while n := fh.readinto(buf):
                    digest.update(view[:n])
                return digest.hexdigest()
        except FileNotFoundError:
            return None

    def verify(self, referenced: set[str]) -> tuple[int, list[Damage]]:
        """Re-hash every stored file; report altered ones and referenced ones that are missing."""
        damage: list[Damage] = []
        checked = 0
        present = set()
        for name in self.hashes():
            if not _HEX.match(name):
                damage.append(Damage(name, "misplaced", "a file whose name is not a SHA-256"))
                continue
            present.add(name)
            actual = self.rehash(name)
            checked += 1
            if actual != name:
                damage.append(Damage(name, "altered", f"content now hashes to {actual}"))
        for name in sorted(referenced - present):
            damage.append(Damage(name, "missing", "recorded in the ledger but not in the store"))
        return checked, damage


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
