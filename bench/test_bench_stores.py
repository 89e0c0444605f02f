"""Commit latency per store backend: one update, and a batch of 100.

PostgreSQL runs beside the others when a server is available (see tests/test_postgres.py:
CLAWVM_TEST_POSTGRES_URL, else .ci/postgres.sh when PostgreSQL is installed), else it is
skipped with the reason.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from clawvm.journal import Journal, Validator
from clawvm.stores import DirectoryStore, MemoryStore, SQLiteStore, open_store


@pytest.fixture(params=["memory", "dir", "sqlite", "postgres"])
def journal(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Journal]:
    kind = request.param
    with contextlib.ExitStack() as stack:
        if kind == "memory":
            store: Any = MemoryStore()
        elif kind == "dir":
            store = DirectoryStore(tmp_path / "store")
        elif kind == "sqlite":
            store = SQLiteStore(tmp_path / "store.db")
        else:  # a fresh schema, dropped afterwards
            pg = request.getfixturevalue("postgres_helpers")
            store = open_store(stack.enter_context(pg.fresh_schema(pg.require_postgres())))
        stack.callback(store.close)
        yield Journal(store, Validator(), session="bench")


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
