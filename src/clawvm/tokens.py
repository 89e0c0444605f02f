"""Token counting (SPEC §2.2): a pluggable tokenizer whose default needs no network or model.

Counts are taken once per representation text when a page is created or updated, never
during selection, so a tokenizer only has to be deterministic, not fast per turn.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Any, Protocol, runtime_checkable

from clawvm.errors import ClawVMError, InvalidTypeError

__all__ = [
    "FastTokenizer",
    "TiktokenTokenizer",
    "Tokenizer",
    "TokenizerUnavailableError",
    "default_tokenizer",
]


@runtime_checkable
class Tokenizer(Protocol):
    """Anything with ``count(text) -> int`` (tokens the text costs in a prompt)."""

    def count(self, text: str) -> int: ...


class TokenizerUnavailableError(ClawVMError, RuntimeError):
    """A tokenizer's library or its encoding file is not available locally."""


# letters | digits | whitespace | one punctuation run (underscores count as punctuation)
_PIECE = re.compile(r"([^\W\d_]+)|(\d+)|(\s+)|([^\w\s]+|_+)")


def _approx(text: str) -> int:
    """BPE-like estimate: short words 1 token, long words ~4 chars each, digits in 3s."""
    n = 0
    for word, digits, space, punct in _PIECE.findall(text):
        if word:
            if word.isascii():
                n += 1 if len(word) <= 6 else -(-len(word) // 4)
            else:  # CJK and other scripts: about one token per character
                n += len(word)
        elif digits:
            n += -(-len(digits) // 3)
        elif space:
            if space != " ":  # a single space merges into the next word
                n += 1
        else:
            n += -(-len(punct) // 2)
    return n


class FastTokenizer:
    """The default: a deterministic regex approximation of cl100k-style BPE counts.

    Within about ±20% of tiktoken on English prose and code; always >= 1 for non-empty text.
    Results are memoised per text (``cache_size`` entries, LRU).
    """

    name = "fast"

    def __init__(self, cache_size: int = 4096) -> None:
        self._count = lru_cache(maxsize=cache_size)(_approx)

    def count(self, text: str) -> int:
        if not isinstance(text, str):
            raise InvalidTypeError("text", f"expected str, got {type(text).__name__}")
        return self._count(text) if text else 0


_NO_DOWNLOAD = threading.Lock()


class TiktokenTokenizer:
    """Exact counts with ``tiktoken``, only if it and its encoding file are already local.

    Never downloads: while the encoding loads, tiktoken's remote reads are refused, so a
    missing cache file (see ``TIKTOKEN_CACHE_DIR``) raises ``TokenizerUnavailableError``.
    """

    def __init__(self, encoding: str = "cl100k_base", cache_size: int = 4096) -> None:
        if not isinstance(encoding, str):
            raise InvalidTypeError("encoding", f"expected str, got {type(encoding).__name__}")
        self.name = f"tiktoken:{encoding}"
        self._enc = _load_tiktoken(encoding)
        self._count = lru_cache(maxsize=cache_size)(self._encode_len)

    def _encode_len(self, text: str) -> int:
        return len(self._enc.encode(text, disallowed_special=()))

    def count(self, text: str) -> int:
        if not isinstance(text, str):
            raise InvalidTypeError("text", f"expected str, got {type(text).__name__}")
        return self._count(text) if text else 0


def _load_tiktoken(encoding: str) -> Any:
    try:
        import tiktoken
        import tiktoken.load as tk_load
    except ImportError as e:
        raise TokenizerUnavailableError(
            "tiktoken is not installed; `pip install clawvm[tiktoken]` or use FastTokenizer"
        ) from e
    remote = ("http://", "https://", "az://", "gs://", "s3://")
    original = tk_load.read_file

    def local_only(blobpath: str) -> bytes:
        if blobpath.startswith(remote):
            raise TokenizerUnavailableError(
                f"tiktoken encoding {encoding!r} is not in the local cache and clawvm never "
                "downloads; fetch it once and point TIKTOKEN_CACHE_DIR at it"
            )
        return original(blobpath)  # type: ignore[no-any-return]

    with _NO_DOWNLOAD:
        tk_load.read_file = local_only
        try:
            return tiktoken.get_encoding(encoding)
        except TokenizerUnavailableError:
            raise
        except (ValueError, OSError, KeyError) as e:
            raise TokenizerUnavailableError(f"tiktoken encoding {encoding!r}: {e}") from e
        finally:
            tk_load.read_file = original


def default_tokenizer() -> Tokenizer:
    """The tokenizer a VM uses when none is given: ``FastTokenizer`` (offline, no files)."""
    return FastTokenizer()
