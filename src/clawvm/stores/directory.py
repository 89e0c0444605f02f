"""A workspace-directory store: one JSON file per key plus a checksummed journal.

Layout under ``path``::

    journal.jsonl        one line per journal entry: "<crc32 hex> <canonical JSON>\\n"
    records/<sha256>.json one file per (scope, session, key): the committed record
    lock                 flock'ed by every reader (shared) and committer (exclusive)

The journal is the source of truth. Each accepted line carries the committed record, and
the last line of a commit batch carries ``"end": true``. A commit appends the batch's lines
in one write and fsyncs, then writes each record file (temp file, fsync, ``os.replace``,
fsync of the directory). A crash therefore leaves either a complete batch (its record
files are repaired from the journal on the next open or commit) or an incomplete one (a
torn last line and/or a batch without its end line), which is truncated away: the commit
never returned. A bad line that is *not* the tail is corruption, never a crash, and raises
``CorruptJournalError`` naming the line.

Every line carries its update's idempotency id; an index of id -> line (built while the
journal is read) answers a retried update from the journal. An OS error before the
journal write raises ``StoreError``; one during it raises ``CommitOutcomeUnknownError``
(the next commit settles the tail either way); one while writing record files after the
journal is durable is not an error: the files are repaired on the next commit or open.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import threading
import zlib
from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import quote

from clawvm.errors import (
    CommitOutcomeUnknownError,
    CorruptJournalError,
    StoreCorruptError,
    StoreError,
)
from clawvm.stores._util import (
    Slot,
    canonical,
    check_batch,
    entry_from_dict,
    entry_to_dict,
    judge,
    lookup_slot,
    no_record,
)
from clawvm.stores.base import ApplyFn, Decision, JournalEntry, ReadResult, Record, Scope, Staged

try:
    import fcntl
except ImportError:  # Windows: fall back to msvcrt byte-range locks (always exclusive)
    fcntl = None  # type: ignore[assignment]
    import msvcrt

JOURNAL = "journal.jsonl"
RECORDS = "records"
LOCK = "lock"


def _fsync_dir(path: str) -> None:
    """Make a rename or create in ``path`` durable (no-op where directories can't be opened)."""
    if sys.platform == "win32":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _pread(fd: int, n: int, offset: int) -> bytes:
    """``os.pread`` where it exists; seek + read elsewhere (callers hold the store lock)."""
    if hasattr(os, "pread"):
        return os.pread(fd, n, offset)
    os.lseek(fd, offset, os.SEEK_SET)  # pragma: no cover - Windows
    chunks = []
    while n > 0:
        chunk = os.read(fd, n)
        if not chunk:
            break
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def _parse_line(raw: bytes) -> dict[str, Any] | str:
    """A journal line's body, or why it is invalid."""
    crc_hex, sep, body = raw.partition(b" ")
    if not sep or len(crc_hex) != 8:
        return "no checksum"
    try:
        crc = int(crc_hex, 16)
    except ValueError:
        return "checksum is not hex"
    if zlib.crc32(body) != crc:
        return "checksum mismatch"
    try:
        obj = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        return f"not JSON ({e})"
    if not isinstance(obj, dict) or not isinstance(obj.get("seq"), int):
        return "not a journal entry"
    return obj


def _encode_line(body: dict[str, Any]) -> bytes:
    text = canonical(body).encode("utf-8")
    return b"%08x %s\n" % (zlib.crc32(text), text)


class DirectoryStore:
    """Files + journal in a directory; safe against SIGKILL at any instant and shared by
    processes on one machine (commits serialise on an exclusive file lock)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.path.abspath(os.fspath(path))
        self.url = "dir://" + quote(os.fsencode(self.path))
        self.journal_path = os.path.join(self.path, JOURNAL)
        self._records_dir = os.path.join(self.path, RECORDS)
        self._tlock = threading.RLock()
        self._records: dict[Slot, Record] = {}
        self._offset = 0  # bytes of the journal that hold complete batches we have read
        self._seq = 0
        self._unverified: set[Slot] = set()  # slots whose record file may lag the journal
        self._lines: dict[str, tuple[int, int]] = {}  # uid -> (offset, length) of its line
        self.truncated_bytes = 0  # torn tail bytes dropped (crash remnants), for reporting
        self.repaired_records = 0  # record files rewritten from the journal
        self.replayed = 0  # updates answered from the journal by their id
        self._lock_fd = self._journal_fd = -1
        try:
            os.makedirs(self._records_dir, exist_ok=True)
            self._lock_fd = os.open(os.path.join(self.path, LOCK), os.O_RDWR | os.O_CREAT, 0o644)
            flags = os.O_RDWR | os.O_CREAT | os.O_APPEND | getattr(os, "O_BINARY", 0)
            self._journal_fd = os.open(self.journal_path, flags, 0o644)
            with self._locked(exclusive=True):
                self._catch_up(exclusive=True)
                self._unverified = set(self._records)
                self._verify_records()
                self._sweep_temp_files()
            _fsync_dir(self.path)
        except BaseException as e:
            self._close_fds()
            if isinstance(e, OSError) and not isinstance(e, StoreError):
                raise _os_error(self.path, "cannot open", e) from e
            raise

    # --- locking ----------------------------------------------------------------------
    @contextlib.contextmanager
    def _locked(self, exclusive: bool) -> Iterator[None]:
        if self._lock_fd < 0:
            raise StoreError(f"{self.url}: store is closed")
        with self._tlock:
            if fcntl is not None:
                fcntl.flock(self._lock_fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
                try:
                    yield
                finally:
                    fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            else:  # pragma: no cover - Windows
                os.lseek(self._lock_fd, 0, os.SEEK_SET)
                msvcrt.locking(self._lock_fd, msvcrt.LK_LOCK, 1)
                try:
                    yield
                finally:
                    os.lseek(self._lock_fd, 0, os.SEEK_SET)
                    msvcrt.locking(self._lock_fd, msvcrt.LK_UNLCK, 1)

    # --- journal replay and record repair --------------------------------------------
    def _catch_up(self, exclusive: bool) -> None:
        """Apply complete batches appended since we last looked; drop a crash remnant."""
        size = os.fstat(self._journal_fd).st_size
        if size == self._offset:
            return
        if size < self._offset:
            raise StoreCorruptError(f"{self.journal_path}: shrank below its committed length")
        data = _pread(self._journal_fd, size - self._offset, self._offset)
        pos = done = 0
        seq = self._seq
        batch: list[JournalEntry] = []
        lines: list[tuple[str, tuple[int, int]]] = []
        while (nl := data.find(b"\n", pos)) >= 0:
            line_no = seq + len(batch) + 1
            body = _parse_line(data[pos:nl])
            if isinstance(body, str):
                if nl + 1 < len(data):
                    raise CorruptJournalError(self.journal_path, line_no, body)
                break  # a bad final line is a torn tail
            if body["seq"] != line_no:
                msg = f"seq {body['seq']} where {line_no} was expected"
                raise CorruptJournalError(self.journal_path, line_no, msg)
            try:
                batch.append(entry_from_dict(body))
            except (KeyError, TypeError, ValueError) as e:
                raise CorruptJournalError(self.journal_path, line_no, f"bad entry {e!r}") from None
            if batch[-1].staged.uid:
                lines.append((batch[-1].staged.uid, (self._offset + pos, nl + 1 - pos)))
            pos = nl + 1
            if body.get("end") is True:
                last: set[Slot] = set()
                for entry in batch:
                    if entry.record is not None:
                        slot = (entry.record.scope, entry.record.session, entry.record.key)
                        self._records[slot] = entry.record
                        last.add(slot)
                seq += len(batch)
                batch = []
                self._lines.update(lines)
                lines = []
                done = pos
                self._unverified |= last  # files of a crashed writer's batch may lag
        self._seq = seq
        self._offset += done
        if done < len(data) and exclusive:  # no writer is alive: this is a crash remnant
            os.ftruncate(self._journal_fd, self._offset)
            os.fsync(self._journal_fd)
            self.truncated_bytes += len(data) - done

    def _record_file(self, slot: Slot) -> str:
        name = hashlib.sha256(canonical(list(slot)).encode("utf-8")).hexdigest()
        return os.path.join(self._records_dir, name + ".json")

    def record_path(self, key: str, scope: Scope, session: str) -> str:
        """The file holding a key's committed record (it may not exist yet)."""
        return self._record_file(lookup_slot(key, scope, session))

    def _verify_records(self) -> None:
        """Rewrite record files that lag the journal (a crash between journal and files)."""
        stale: list[tuple[Slot, bytes]] = []
        for slot in sorted(self._unverified):
            want = _record_bytes(self._records[slot])
            path = self._record_file(slot)
            try:
                with open(path, "rb") as f:
                    have = f.read()
            except FileNotFoundError:
                have = b""
            if have == want:
                continue
            try:
                newer = json.loads(have)["version"] > self._records[slot].version
            except (ValueError, KeyError, TypeError):
                newer = False  # torn or foreign content: the journal wins
            if newer:
                raise StoreCorruptError(f"{path}: record is newer than the journal")
            stale.append((slot, want))
        self._write_records(stale)
        self.repaired_records += len(stale)
        self._unverified = set()

    def _write_records(self, items: list[tuple[Slot, bytes]]) -> None:
        """Atomically replace record files: temp file + fsync, rename, fsync directory."""
        if not items:
            return
        moves = []
        for slot, data in items:
            final = self._record_file(slot)
            tmp = os.path.join(self._records_dir, f".{os.path.basename(final)}.{os.getpid()}.tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0))
            try:
                os.write(fd, data)
                os.fsync(fd)
            finally:
                os.close(fd)
            moves.append((tmp, final))
        for tmp, final in moves:
            os.replace(tmp, final)
        _fsync_dir(self._records_dir)

    def _sweep_temp_files(self) -> None:
        for name in os.listdir(self._records_dir):
            if name.startswith(".") and name.endswith(".tmp"):
                os.unlink(os.path.join(self._records_dir, name))

    def _append(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            n = os.write(self._journal_fd, view)
            view = view[n:]
        os.fsync(self._journal_fd)

    def _journaled(self, batch: list[Staged]) -> dict[str, JournalEntry]:
        """The journal entries already written under the batch's ids."""
        found = {}
        for s in batch:
            where = self._lines.get(s.uid)
            if where is not None and s.uid not in found:
                body = _parse_line(_pread(self._journal_fd, where[1] - 1, where[0]))
                if isinstance(body, str):
                    raise StoreCorruptError(f"{self.journal_path}: line of {s.uid}: {body}")
                found[s.uid] = entry_from_dict(body)
        return found

    # --- public API -------------------------------------------------------------------
    def get(self, key: str, scope: Scope, session: str) -> ReadResult:
        slot = lookup_slot(key, scope, session)
        try:
            with self._locked(exclusive=False):
                self._catch_up(exclusive=False)
                rec = self._records.get(slot)
        except (OSError, StoreError) as e:
            return ReadResult("backend_error", reason=f"{self.path}: {e}")
        if rec is None:
            return no_record(slot)
        return ReadResult("ok", _copy(rec))

    def commit(self, batch: Sequence[Staged], apply: ApplyFn) -> list[Decision]:
        batch = check_batch(batch)
        try:
            with self._locked(exclusive=True):
                return self._commit_locked(batch, apply)
        except OSError as e:
            if isinstance(e, StoreError):
                raise
            raise _os_error(self.path, "commit failed, nothing written", e) from e

    def _commit_locked(self, batch: list[Staged], apply: ApplyFn) -> list[Decision]:
        self._catch_up(exclusive=True)
        if self._unverified:
            self._verify_records()
        decisions, fresh, changed = judge(batch, apply, self._records.get, self._journaled(batch))
        self.replayed += len(decisions) - len(fresh)
        if not fresh:
            return decisions
        lines = []
        for i, d in enumerate(fresh):
            body = entry_to_dict(self._seq + i + 1, d)
            if i == len(fresh) - 1:
                body["end"] = True
            lines.append(_encode_line(body))
        data = b"".join(lines)
        records = [(slot, _record_bytes(rec)) for slot, rec in changed.items()]
        try:
            self._append(data)  # durable from here on; record files are a derived view
        except OSError as e:  # some of it may be on disk: the next commit settles the tail
            raise CommitOutcomeUnknownError(
                f"{self.journal_path}: journal write failed, commit outcome unknown "
                f"({e.strerror or e}); committing the same updates again is safe"
            ) from e
        start = self._offset
        for d, line in zip(fresh, lines, strict=True):
            self._lines[d.staged.uid] = (start, len(line))
            start += len(line)
        self._offset += len(data)
        self._seq += len(fresh)
        self._records.update(changed)
        self._unverified = set(changed)
        with contextlib.suppress(OSError):  # left in _unverified: repaired on the next commit
            self._write_records(records)
            self._unverified = set()
        return decisions

    def history(self, key: str | None = None) -> Iterator[JournalEntry]:
        try:
            with self._locked(exclusive=False):
                self._catch_up(exclusive=False)
                data = _pread(self._journal_fd, self._offset, 0)
        except OSError as e:
            if isinstance(e, StoreError):
                raise
            raise _os_error(self.path, "cannot read the journal", e) from e
        entries = []
        for i, raw in enumerate(data.splitlines(), 1):
            body = _parse_line(raw)
            if isinstance(body, str):
                raise CorruptJournalError(self.journal_path, i, body)
            entry = entry_from_dict(body)
            if key is None or entry.staged.key == key:
                entries.append(entry)
        return iter(entries)

    def keys(self) -> list[tuple[Scope, str, str]]:
        try:
            with self._locked(exclusive=False):
                self._catch_up(exclusive=False)
                return sorted(self._records)  # type: ignore[arg-type]
        except OSError as e:
            if isinstance(e, StoreError):
                raise
            raise _os_error(self.path, "cannot read the journal", e) from e

    def _close_fds(self) -> None:
        for name in ("_journal_fd", "_lock_fd"):
            fd = getattr(self, name)
            if fd >= 0:
                os.close(fd)
                setattr(self, name, -1)

    def close(self) -> None:
        with self._tlock:
            self._close_fds()

    def __enter__(self) -> DirectoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _os_error(path: str, what: str, e: OSError) -> StoreError:
    """An OS error as a ``StoreError`` naming the store's path."""
    where = f" ({e.filename})" if e.filename and e.filename != path else ""
    return StoreError(f"{path}: {what}: {e.strerror or e}{where}")


def _record_bytes(rec: Record) -> bytes:
    body = {
        "key": rec.key,
        "scope": rec.scope,
        "session": rec.session,
        "value": rec.value,
        "version": rec.version,
        "ptype": rec.ptype,
    }
    return canonical(body).encode("utf-8")


def _copy(rec: Record) -> Record:
    value = json.loads(canonical(rec.value))
    return Record(rec.key, rec.scope, rec.session, value, rec.version, rec.ptype)
