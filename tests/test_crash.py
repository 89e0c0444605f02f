"""Crash safety: SIGKILL a committing process at random instants, then reopen.

A single-threaded "zygote" subprocess imports clawvm once and forks one worker per round,
so a round costs a fork, not an interpreter start. The worker commits batches of ``set``
and ``merge`` updates to 8 keys; every value carries its own version (``v``), its batch
id (``b``) and the batch's keys (``m``). After each kill the store is reopened and must
satisfy: every record's ``v`` equals its version (no torn or half-applied record), every
record equals the last accepted journal entry for its key, the journal is readable with
contiguous sequence numbers and each idempotency id once, every batch is all-or-nothing in
the journal and in the records, versions never go back, and every commit the worker saw
return is still there.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import select
import signal
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from clawvm.stores import open_store

pytestmark = pytest.mark.skipif(
    sys.platform == "win32", reason="needs fork and SIGKILL (POSIX only)"
)

KEYS = [f"k{i}" for i in range(8)]
SESSION = "crash"
STORES_PER_KIND = 4
KILLS_PER_STORE = 50  # 200 kills per backend

_ZYGOTE = r"""
import os, random, sys
from clawvm.journal import Journal, Validator
from clawvm.stores import open_store

KEYS = [f"k{i}" for i in range(8)]

def work(url, seed, rnd, out):
    rng = random.Random(seed)
    store = open_store(url)
    journal = Journal(store, Validator(), session="crash")
    pid = os.getpid()
    os.write(out, f"R {pid}\n".encode())
    batch = 0
    while True:
        batch += 1
        bid = rnd * 1_000_000 + batch
        keys = rng.sample(KEYS, rng.choice([1, 1, 1, 2, 3, 5, 8]))
        members = sorted(keys)
        for k in keys:
            got = store.get(k, "session", "crash")
            ver = got.record.version if got.record is not None else 0
            value = {"v": ver + 1, "b": bid, "m": members, "pad": "x" * rng.randint(0, 1500)}
            if ver == 0 or rng.random() < 0.5:
                journal.stage(k, "set", value, base_version=ver)
            else:
                journal.stage(k, "merge", value)
        if rng.random() < 0.2:  # a stale set: must be rejected and change nothing
            journal.stage(keys[0], "set", {"v": -1, "b": bid, "m": members}, base_version=99999)
        acked = [f"{d.record.key}={d.record.version}" for d in journal.commit() if d.accepted]
        os.write(out, ("C " + str(pid) + " " + ",".join(acked) + "\n").encode())

out = sys.stdout.fileno()
for line in sys.stdin:
    url, seed, rnd = line.split()
    pid = os.fork()
    if pid == 0:
        try:
            work(url, int(seed), int(rnd), out)
        except BaseException as e:
            os.write(2, f"worker failed: {e!r}\n".encode())
            os._exit(3)
        os._exit(0)
    os.write(out, f"P {pid}\n".encode())
    _, status = os.waitpid(pid, 0)
    os.write(out, f"X {pid} {status}\n".encode())
"""


class Zygote:
    """The forking helper process and a line reader over its stdout."""

    def __init__(self, stderr_path: Path) -> None:
        env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
        self.stderr_path = stderr_path
        self._err = open(stderr_path, "wb")  # noqa: SIM115 - closed in close()
        self.proc = subprocess.Popen(
            [sys.executable, "-W", "ignore", "-c", _ZYGOTE],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._err,
            env=env,
        )
        self._buf = b""
        self.worker: int | None = None  # the live worker's pid

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line.encode() + b"\n")
        self.proc.stdin.flush()

    def line(self, timeout: float = 20.0) -> str:
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buf:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([fd], [], [], max(left, 0))
            chunk = os.read(fd, 65536) if ready else b""
            if not chunk:
                raise AssertionError(f"zygote stopped or timed out; stderr: {self.errors()}")
            self._buf += chunk
        raw, self._buf = self._buf.split(b"\n", 1)
        return raw.decode()

    def errors(self) -> str:
        self._err.flush()
        return self.stderr_path.read_text(errors="replace")[-2000:]

    def close(self) -> None:
        """Stop the zygote; after a failed round also kill the worker it is waiting for."""
        if self.worker is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.worker, signal.SIGKILL)
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc.stdout.close()
        self._err.close()


def kill_round(z: Zygote, url: str, seed: int, rnd: int, rng: random.Random) -> dict[str, int]:
    """Start a worker, SIGKILL it at a random instant, return the versions it saw commit.

    In about half the rounds the worker first reports a few commits, so every store sees
    committed work however loaded the machine is (a fixed sleep alone may end before the
    first commit); the kill still lands at a random instant after that.
    """
    z.send(f"{url} {seed} {rnd}")
    ready: set[int] = set()
    while z.worker is None:  # the worker's "R" may overtake the zygote's "P"
        tag, who = z.line().split()
        assert tag in ("P", "R"), tag
        if tag == "P":
            z.worker = int(who)
        else:
            ready.add(int(who))
    pid = z.worker
    acked: dict[str, int] = {}
    if rng.random() < 0.15:  # kill while it opens (and repairs) the store
        time.sleep(rng.uniform(0, 0.004))
    else:
        while pid not in ready:
            tag, who = z.line().split()
            assert (tag, int(who)) == ("R", pid), (tag, who, z.errors())
            ready.add(pid)
        if rng.random() < 0.5:
            commits = 0
            while commits < 3:
                commits += _ack(z.line(), pid, acked)
        time.sleep(rng.uniform(0, 0.030))
    os.kill(pid, signal.SIGKILL)
    while True:
        line = z.line()
        if line.startswith("X "):
            tag, who, status = line.split(" ", 2)
            assert int(who) == pid, line
            z.worker = None
            assert os.WIFSIGNALED(int(status)) and os.WTERMSIG(int(status)) == signal.SIGKILL, (
                z.errors()
            )
            return acked
        _ack(line, pid, acked)


def _ack(line: str, pid: int, acked: dict[str, int]) -> int:
    """Record a worker's commit line ("C <pid> k=v,...") in ``acked``; 1 if it was one."""
    tag, who, *rest = line.split(" ", 2)
    assert int(who) == pid and tag in ("C", "R"), line
    if tag == "C" and rest and rest[0]:
        for item in rest[0].split(","):
            key, version = item.split("=")
            acked[key] = max(acked.get(key, 0), int(version))
    return int(tag == "C")


def check_record_files(where: Path) -> None:
    """Before any repair: every record file on disk is whole (atomic rename, never torn)."""
    for path in (where / "records").iterdir():
        if path.name.startswith("."):
            continue  # an abandoned temp file; swept on open
        rec = json.loads(path.read_bytes())
        assert rec["value"]["v"] == rec["version"], path


def check_journal_and_records(
    store: Any, keys: list[str], session: str, acked: dict[str, int], seen: dict[str, int], what: str
) -> None:
    """After a killed writer: each key's record is its journal's last accepted entry, whole,
    no older than what the writer was told or what an earlier check saw, and every batch is
    all-or-nothing in the journal and in the records. (tests/test_postgres.py uses it too.)
    """
    last: dict[str, Any] = {}
    batches: dict[int, set[str]] = defaultdict(set)
    members: dict[int, list[str]] = {}
    history = list(store.history())
    uids = [e.staged.uid for e in history]
    assert all(uids) and len(set(uids)) == len(uids), what  # every update journaled once
    for e in history:
        if e.accepted:
            assert e.record is not None and e.record.version == e.version, what
            prev = last.get(e.staged.key)
            assert e.version == (prev.version if prev else 0) + 1, (what, e.seq)  # no gaps
            last[e.staged.key] = e.record
            batches[e.staged.value["b"]].add(e.staged.key)
            members[e.staged.value["b"]] = e.staged.value["m"]
        else:
            assert e.reason == "DESTRUCTIVE_OP" and e.staged.value["v"] == -1, (what, e.seq)
    for bid, batch in batches.items():  # all-or-nothing in the journal
        assert sorted(batch) == members[bid], (what, bid)
    records = {}
    for key in keys:
        got = store.get(key, "session", session)
        if got.status == "no_match":
            assert key not in last and acked.get(key, 0) == 0 and seen[key] == 0, what
            continue
        assert got.status == "ok", (what, got)
        rec = got.record
        assert rec is not None
        assert rec.value["v"] == rec.version, (what, key)  # not torn, not half-applied
        assert rec.value["pad"] == "x" * len(rec.value["pad"]), (what, key)
        assert rec == last[key], (what, key)  # the record is the journal's last word
        assert rec.version >= acked.get(key, 0), (what, key)  # acknowledged = durable
        assert rec.version >= seen[key], (what, key)  # never goes back
        seen[key] = rec.version
        records[key] = rec
    for rec in records.values():  # all-or-nothing in the records
        for other in rec.value["m"]:
            assert records[other].value["b"] >= rec.value["b"], (what, rec.key, other)


def check_store(url: str, acked: dict[str, int], seen: dict[str, int], what: str) -> None:
    store = open_store(url)
    try:
        seqs = [e.seq for e in store.history()]
        assert seqs == list(range(1, len(seqs) + 1)), what
        check_journal_and_records(store, KEYS, SESSION, acked, seen, what)
        if url.startswith("sqlite"):
            assert store._db().execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        store.close()


@pytest.mark.parametrize("kind", ["dir", "sqlite"])
def test_sigkill_at_random_instants(kind: str, tmp_path: Path) -> None:
    seed = 20260426 + (kind == "sqlite")
    rng = random.Random(seed)
    zygote = Zygote(tmp_path / "zygote.err")
    kills = 0
    try:
        for n in range(STORES_PER_KIND):
            where = tmp_path / f"{kind}{n}"
            url = f"dir://{where}" if kind == "dir" else f"sqlite:///{where}.db"
            seen = dict.fromkeys(KEYS, 0)
            for rnd in range(1, KILLS_PER_STORE + 1):
                acked = kill_round(zygote, url, rng.randrange(2**31), rnd, rng)
                kills += 1
                what = f"seed={seed} store={n} round={rnd}"
                if kind == "dir":
                    check_record_files(where)
                check_store(url, acked, seen, what)
            assert sum(seen.values()) > KILLS_PER_STORE, "the worker barely committed"
    finally:
        zygote.close()
    assert kills == STORES_PER_KIND * KILLS_PER_STORE >= 200
