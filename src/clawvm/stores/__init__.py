"""Durable stores behind one interface (see ``clawvm.stores.base``).

``open_store(url)`` picks a backend by URL scheme:

* ``memory://`` — in-process, for tests;
* ``dir://PATH`` (relative) or ``dir:///abs/path`` — a workspace directory;
* ``sqlite:///PATH`` (relative), ``sqlite:////abs/path`` or ``sqlite://:memory:``;
* ``postgresql://…`` / ``postgres://…`` — PostgreSQL (needs the ``postgres`` extra).
"""

from __future__ import annotations

import importlib

from clawvm.errors import InvalidInputError, InvalidTypeError, StoreError
from clawvm.stores.base import (
    ApplyFn,
    Decision,
    JournalEntry,
    ReadResult,
    Record,
    Staged,
    Store,
)
from clawvm.stores.directory import DirectoryStore
from clawvm.stores.memory import MemoryStore
from clawvm.stores.sqlite import SQLiteStore

DEFAULT_URL = "sqlite:///clawvm.db"

__all__ = [
    "DEFAULT_URL",
    "ApplyFn",
    "Decision",
    "DirectoryStore",
    "JournalEntry",
    "MemoryStore",
    "ReadResult",
    "Record",
    "SQLiteStore",
    "Staged",
    "Store",
    "open_store",
]


def open_store(url: str = DEFAULT_URL) -> Store:
    """Open the store a URL names; an unknown scheme raises ``InvalidInputError("url")``."""
    if not isinstance(url, str):
        raise InvalidTypeError("url", f"expected str, got {type(url).__name__}")
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise InvalidInputError("url", f"{url!r} has no scheme (e.g. {DEFAULT_URL!r})")
    scheme = scheme.lower()
    if scheme == "memory":
        if rest:
            raise InvalidInputError("url", f"memory:// takes no path, got {url!r}")
        return MemoryStore()
    if scheme == "dir":
        if not rest:
            raise InvalidInputError("url", "dir:// needs a path, e.g. dir:///srv/clawvm")
        return DirectoryStore(rest)
    if scheme == "sqlite":
        if rest in ("", ":memory:", "/:memory:"):
            return SQLiteStore(":memory:")
        if not rest.startswith("/") or rest == "/":
            raise InvalidInputError(
                "url", f"{url!r}: use sqlite:///relative.db or sqlite:////absolute/path.db"
            )
        return SQLiteStore(rest[1:])
    if scheme in ("postgresql", "postgres"):
        try:
            module = importlib.import_module("clawvm.stores.postgres")
        except ModuleNotFoundError as e:
            if e.name is not None and e.name.startswith("psycopg"):
                raise StoreError(
                    f"{url.split('@')[-1]!r}: PostgreSQL needs psycopg; "
                    "install it with `pip install clawvm[postgres]`"
                ) from e
            raise StoreError("the PostgreSQL backend is not available in this build") from e
        return module.PostgresStore(url)  # type: ignore[no-any-return]
    raise InvalidInputError(
        "url", f"unknown store scheme {scheme!r} in {url!r}; use memory, dir, sqlite or postgresql"
    )
