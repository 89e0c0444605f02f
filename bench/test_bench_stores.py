"""Commit latency per store backend: one update, and a batch of 100 (SPEC §7)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from clawvm.journal import Journal, Validator
from clawvm.stores import DirectoryStore, MemoryStore, SQLiteStore


@pytest.fixture(params=["memory", "dir", "sqlite"])
def journal(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Journal]:
    kind = request.param
    if kind == "memory":
        store: Any = MemoryStore()
    elif kind == "dir":
        store = DirectoryStore(tmp_path / "store")
    else:
        store = SQLiteStore(tmp_path / "store.db")
    try:
        yield Journal(store, Validator(), session="bench")
    finally:
        store.close()


def test_commit_single(benchmark: Any, journal: Journal) -> None:
    counter = itertools.count()

    def commit_one() -> None:
        i = next(counter)
        journal.stage(f"k{i % 100}", "merge", {"n": i, "note": "a small update"})
        assert journal.commit()[0].accepted

    benchmark(commit_one)


def test_commit_batch100(benchmark: Any, journal: Journal) -> None:
    counter = itertools.count()

    def commit_batch() -> None:
        i = next(counter)
        for k in range(100):
            journal.stage(f"k{k}", "merge", {"n": i, "note": "a small update"})
        decisions = journal.commit()
        assert len(decisions) == 100 and all(d.accepted for d in decisions)

    benchmark(commit_batch)
