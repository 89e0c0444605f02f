"""Token counting (docs/tokens.md): a calibrated offline estimate by default, exact on demand.

Counts are taken once per representation text when a page is created or updated, never
during selection. ``get_tokenizer`` picks one by name:

* ``"fast"`` (the default): ``FastTokenizer``, a native estimate of o200k_base counts
  calibrated on a mixed corpus (docs/tokens.md); no files, no model, no network. It is
  line-additive, so a rep made of whole lines can be priced from ``line_units`` of its source.
* ``"o200k_base"`` / ``"cl100k_base"``: exact counts of OpenAI's encodings, from ``bpe-openai``
  (``pip install 'clawvm[tokenizers]'``; its ranks are embedded, it never downloads), else
  from ``tiktoken`` when that encoding's file is already in the local cache.
* ``ScaledTokenizer`` adds a margin for providers whose tokenizer is not public.
"""

from __future__ import annotations

import math
import threading
import warnings
from collections.abc import Callable
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from clawvm.errors import ClawVMError, InvalidInputError, InvalidTypeError

if TYPE_CHECKING:
    from clawvm import _text_py as _text

    TEXT_IMPLEMENTATION: str
else:
    from clawvm._engine import load_native

    _text, _why = load_native("clawvm._text")  # warns only for a broken native build
    if _text is None:
        from clawvm import _text_py as _text

        TEXT_IMPLEMENTATION = "reference"
    else:
        TEXT_IMPLEMENTATION = "native"

__all__ = [
    "ENCODINGS",
    "TEXT_IMPLEMENTATION",
    "ExactTokenizer",
    "FastTokenizer",
    "ScaledTokenizer",
    "TiktokenTokenizer",
    "Tokenizer",
    "TokenizerUnavailableError",
    "default_tokenizer",
    "get_tokenizer",
]

#: OpenAI encodings with exact counts.
ENCODINGS = ("o200k_base", "cl100k_base")


@runtime_checkable
class Tokenizer(Protocol):
    """Anything with ``count(text) -> int`` (tokens the text costs in a prompt)."""

    def count(self, text: str) -> int: ...


class TokenizerUnavailableError(ClawVMError, RuntimeError):
    """A tokenizer's library or its encoding file is not available locally."""


def _str(text: object) -> str:
    if not isinstance(text, str):
        raise InvalidTypeError("text", f"expected str, got {type(text).__name__}")
    return text


class FastTokenizer:
    """The default: a native estimate of o200k_base counts, calibrated (docs/tokens.md).

    Per class of text (code, prose, Markdown, JSON, logs, test output, CJK) its median error
    on the calibration corpus is within +-5 % and it under-counts by more than 5 % on at most
    one text in twenty. Deterministic; about ten times faster than exact BPE.
    """

    name = "fast"
    #: ``units`` and ``line_units`` are in 1/SCALE of a token.
    SCALE = _text.SCALE

    def count(self, text: str) -> int:
        """Estimated tokens (0 for empty text, else at least 1)."""
        return _text.count(text)

    def units(self, text: str) -> int:
        """The estimate before rounding up, in 1/SCALE tokens."""
        return _text.units(text)

    def line_units(self, text: str) -> list[int]:
        """Units per line (each with its ``\\n``); they add up to ``units(text)`` exactly.

        The estimate never looks across a newline, so a text made of whole lines of another
        costs the sum of those lines' units: ``units(a + "\\n" + b) == units(a + "\\n") +
        units(b)``. Round the sum up to tokens with ``-(-sum // SCALE)``.
        """
        return _text.line_units(text)


class ExactTokenizer:
    """Exact counts of an OpenAI encoding from ``bpe-openai`` (ranks embedded; no download).

    Text is counted as ordinary text: ``<|endoftext|>`` and other special-token strings cost
    what they cost when a user types them. Results are memoised per text (``cache_size``).
    """

    def __init__(self, encoding: str = "o200k_base", cache_size: int = 4096) -> None:
        self.name = _encoding_name(encoding)
        self._count = lru_cache(maxsize=cache_size)(_with_valid_utf8(_bpe_openai(self.name)))

    def count(self, text: str) -> int:
        return self._count(text) if _str(text) else 0


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
        return self._count(text) if _str(text) else 0


class ScaledTokenizer:
    """``ceil(base.count(text) * factor)``: a margin for a provider without a public tokenizer.

    docs/tokens.md gives the factors measured against o200k_base and what they rest on.
    """

    def __init__(self, base: Tokenizer, factor: float, name: str | None = None) -> None:
        if not callable(getattr(base, "count", None)):
            raise InvalidTypeError("base", "expected an object with count(text) -> int")
        if isinstance(factor, bool) or not isinstance(factor, (int, float)):
            raise InvalidTypeError("factor", f"expected a number, got {type(factor).__name__}")
        if not (math.isfinite(factor) and 0 < factor <= 10):
            raise InvalidInputError("factor", f"expected 0 < factor <= 10, got {factor!r}")
        self.base, self.factor = base, float(factor)
        self.name = name or f"{getattr(base, 'name', 'tokenizer')}*{self.factor:g}"

    def count(self, text: str) -> int:
        return math.ceil(self.base.count(text) * self.factor - 1e-9)


def get_tokenizer(name: str = "fast") -> Tokenizer:
    """A tokenizer by name: ``"fast"`` (default estimate), ``"o200k_base"``, ``"cl100k_base"``.

    The exact encodings come from ``bpe-openai`` (the ``tokenizers`` extra), else from
    ``tiktoken`` with the encoding file already cached; otherwise
    ``TokenizerUnavailableError`` says what to install. Nothing is ever downloaded.
    """
    if not isinstance(name, str):
        raise InvalidTypeError("tokenizer", f"expected a name, got {type(name).__name__}")
    if name == "fast":
        return FastTokenizer()
    encoding = _encoding_name(name)
    try:
        return ExactTokenizer(encoding)
    except TokenizerUnavailableError as missing:
        try:
            return TiktokenTokenizer(encoding)
        except TokenizerUnavailableError:
            raise missing from None


def default_tokenizer() -> Tokenizer:
    """The tokenizer a VM uses when none is given: ``FastTokenizer`` (offline, no files)."""
    return FastTokenizer()


def _encoding_name(name: object) -> str:
    if not isinstance(name, str):
        raise InvalidTypeError("encoding", f"expected str, got {type(name).__name__}")
    if name not in ENCODINGS:
        known = ", ".join(("fast", *ENCODINGS))
        raise InvalidInputError("tokenizer", f"unknown tokenizer {name!r}; known: {known}")
    return name


@cache
def _bpe_openai(encoding: str) -> Callable[[str], int]:
    """One loaded tokenizer per encoding and process (about 75 ms and 130 MB each)."""
    try:
        import bpe_openai  # type: ignore[import-untyped, import-not-found, unused-ignore]
    except ImportError as e:
        raise TokenizerUnavailableError(
            f"exact {encoding} counts need bpe-openai: pip install 'clawvm[tokenizers]'"
        ) from e
    # bpe-openai reads its rank files with importlib.resources.open_binary, deprecated since
    # Python 3.11: its warning is no concern of a harness that runs with -W error
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        try:  # the Rust tokenizer itself counts without building a token list
            from bpe_openai import _bindings  # type: ignore[import-untyped, import-not-found, unused-ignore]

            return _bindings.tokenizer_for_encoding(encoding).count  # type: ignore[no-any-return]
        except (ImportError, AttributeError):
            enc = bpe_openai.get_encoding(encoding)
            return lambda text: len(enc.encode(text, disallowed_special=()))


def _with_valid_utf8(count: Callable[[str], int]) -> Callable[[str], int]:
    """Lone surrogates become U+FFFD first, as tiktoken does, so both give one answer."""

    def counted(text: str) -> int:
        try:
            return count(text)
        except UnicodeEncodeError:
            return count(text.encode("utf-16", "surrogatepass").decode("utf-16", "replace"))

    return counted


def _load_tiktoken(encoding: str) -> Any:
    try:
        import tiktoken
        import tiktoken.load as tk_load
    except ImportError as e:
        raise TokenizerUnavailableError(
            "tiktoken is not installed; `pip install 'clawvm[tokenizers]'` for exact counts "
            "or use FastTokenizer"
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
