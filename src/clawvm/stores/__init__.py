"""Durable stores behind one interface (see ``clawvm.stores.base``; design: docs/journal.md).

``open_store(url)`` picks a backend by URL scheme; see its docstring for the URL forms.
"""

from __future__ import annotations

import importlib
import math
import os
from urllib.parse import SplitResult, parse_qsl, unquote, urlsplit

from clawvm.errors import InvalidInputError, InvalidTypeError, StoreError
from clawvm.stores.base import (
    ApplyFn,
    Decision,
    JournalEntry,
    ReadResult,
    Record,
    Staged,
    Store,
    resume_scan,
    scan,
)
from clawvm.stores.directory import DirectoryStore
from clawvm.stores.memory import MemoryStore
from clawvm.stores.sqlite import BUSY_TIMEOUT_MS, SQLiteStore

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
    "resume_scan",
    "scan",
]


def open_store(url: str = DEFAULT_URL) -> Store:
    """Open the store a URL names.

    ============================================  ============================================
    URL                                           store
    ============================================  ============================================
    ``sqlite:///relative.db``                     SQLite file relative to the working directory
    ``sqlite:////abs/path.db``                    SQLite file at an absolute path
    ``sqlite:///~/state.db``                      SQLite file under the home directory
    ``sqlite://`` or ``sqlite://:memory:``        SQLite in memory
    ``dir://relative/dir``, ``dir:///abs/dir``    a workspace directory (``dir://~/ws`` too)
    ``postgresql://user@host:5432/db``            PostgreSQL (``pip install clawvm[postgres]``)
    ``memory://``                                 in-process, for tests
    ============================================  ============================================

    URLs are parsed with ``urllib.parse``. A path is percent-decoded (``%20`` is a space,
    ``%3F`` a literal ``?``, ``%23`` a ``#``; bytes that are not UTF-8 name the same bytes
    on disk) and a leading ``~`` or ``~user`` is expanded. Options go in the query string:
    ``sqlite:`` takes ``timeout=SECONDS``, how long a commit waits for another writer
    (default 30); ``postgresql:`` takes libpq's options plus ``schema=`` and
    ``table_prefix=`` (see ``clawvm.stores.postgres``); the others take none. A malformed
    URL, an unknown scheme or option raises ``InvalidInputError("url")``; a path that cannot
    be opened raises ``StoreError`` naming it.
    """
    if not isinstance(url, str):
        raise InvalidTypeError("url", f"expected str, got {type(url).__name__}")
    scheme, sep, _ = url.partition("://")
    if not sep:
        raise InvalidInputError("url", f"{url!r} has no scheme (e.g. {DEFAULT_URL!r})")
    scheme = scheme.lower()
    if scheme in ("postgresql", "postgres"):
        return _open_postgres(url)
    if scheme not in ("memory", "dir", "sqlite"):
        raise InvalidInputError(
            "url",
            f"unknown store scheme {scheme!r} in {url!r}; use memory, dir, sqlite or postgresql",
        )
    if any(ord(c) < 0x20 or c == "\x7f" for c in url):
        raise InvalidInputError("url", f"{url!r} holds control characters; percent-encode them")
    try:
        parts = urlsplit(url)
    except ValueError as e:
        raise InvalidInputError("url", f"{url!r}: {e}") from None
    if parts.fragment or url.endswith("#"):
        raise InvalidInputError("url", f"{url!r}: write a '#' in a path as %23")
    options = _options(url, parts, {"sqlite": ("timeout",)}.get(scheme, ()))
    if scheme == "memory":
        if parts.netloc or parts.path:
            raise InvalidInputError("url", f"memory:// takes no path, got {url!r}")
        return MemoryStore()
    if scheme == "dir":
        path = _path(parts.netloc + parts.path)
        if not path:
            raise InvalidInputError("url", "dir:// needs a path, e.g. dir:///srv/clawvm")
        return DirectoryStore(path)
    timeout_ms = _timeout_ms(url, options.get("timeout"))
    if (parts.netloc, parts.path) in (("", ""), (":memory:", ""), ("", "/:memory:")):
        return SQLiteStore(":memory:", busy_timeout_ms=timeout_ms)
    if parts.netloc or not parts.path.startswith("/") or parts.path == "/":
        raise InvalidInputError(
            "url", f"{url!r}: use sqlite:///relative.db or sqlite:////absolute/path.db"
        )
    return SQLiteStore(_path(parts.path[1:]), busy_timeout_ms=timeout_ms)


def _path(raw: str) -> str:
    """A URL path as a file system path: percent-decoded, ``~`` expanded."""
    return os.path.expanduser(unquote(raw, errors="surrogateescape"))


def _options(url: str, parts: SplitResult, allowed: tuple[str, ...]) -> dict[str, str]:
    try:
        pairs = parse_qsl(parts.query, keep_blank_values=True, strict_parsing=bool(parts.query))
    except ValueError as e:
        raise InvalidInputError("url", f"{url!r}: bad query string ({e})") from None
    options: dict[str, str] = {}
    for name, value in pairs:
        if name not in allowed:
            takes = ", ".join(allowed) or "no options"
            raise InvalidInputError(
                "url", f"{url!r}: unknown option {name!r} ({parts.scheme}:// takes {takes})"
            )
        if name in options:
            raise InvalidInputError("url", f"{url!r}: option {name!r} given twice")
        options[name] = value
    return options


def _timeout_ms(url: str, text: str | None) -> int:
    if text is None:
        return BUSY_TIMEOUT_MS
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not 0 <= seconds <= 86_400:
        raise InvalidInputError("url", f"{url!r}: timeout must be seconds in 0..86400")
    return round(seconds * 1000)


def _open_postgres(url: str) -> Store:
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
