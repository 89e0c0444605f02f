"""Token counting: the offline default and the never-download tiktoken wrapper."""

from __future__ import annotations

import sys
import types

import pytest

from clawvm.errors import InvalidTypeError
from clawvm.tokens import (
    FastTokenizer,
    TiktokenTokenizer,
    Tokenizer,
    TokenizerUnavailableError,
    default_tokenizer,
)


def test_default_tokenizer_is_fast_and_satisfies_the_protocol() -> None:
    tok = default_tokenizer()
    assert isinstance(tok, FastTokenizer) and isinstance(tok, Tokenizer)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", 0),
        ("hello world", 2),  # a single space merges into the next word
        ("internationalization", 5),  # long words cost ~4 chars per token
        ("1234567", 3),  # digits in groups of three
        ("a, b.", 4),
        ("line one\n\nline two", 5),  # a newline run is one token
        ("日本語", 3),  # other scripts: about one per character
    ],
)
def test_fast_counts_approximate_bpe(text: str, expected: int) -> None:
    assert FastTokenizer().count(text) == expected


def test_fast_counts_are_deterministic_and_cached() -> None:
    tok = FastTokenizer(cache_size=8)
    text = "def f(x):\n    return x * 2  # double\n"
    assert tok.count(text) == tok.count(text) == FastTokenizer().count(text)
    assert tok._count.cache_info().hits == 1


def test_fast_counts_grow_with_text() -> None:
    tok = FastTokenizer()
    short = "grep -n TODO src/clawvm/vm.py"
    assert 0 < tok.count(short) < tok.count(short * 3) <= 3 * tok.count(short) + 2


def test_fast_rejects_non_text() -> None:
    with pytest.raises(InvalidTypeError):
        FastTokenizer().count(b"bytes")  # type: ignore[arg-type]


def test_tiktoken_missing_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "tiktoken", None)
    with pytest.raises(TokenizerUnavailableError, match="not installed"):
        TiktokenTokenizer()


def _fake_tiktoken(monkeypatch: pytest.MonkeyPatch, blob: str) -> types.ModuleType:
    """A stand-in tiktoken whose get_encoding reads ``blob`` through tiktoken.load.read_file."""
    tk = types.ModuleType("tiktoken")
    load = types.ModuleType("tiktoken.load")
    reads: list[str] = []

    def read_file(path: str) -> bytes:
        reads.append(path)
        return b"ok"

    class Encoding:
        def encode(self, text: str, disallowed_special: object = ()) -> list[int]:
            return list(range(len(text.split())))

    def get_encoding(name: str) -> Encoding:
        load.read_file(blob)
        return Encoding()

    load.read_file = read_file  # type: ignore[attr-defined]
    tk.load = load  # type: ignore[attr-defined]
    tk.get_encoding = get_encoding  # type: ignore[attr-defined]
    tk.reads = reads  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tiktoken", tk)
    monkeypatch.setitem(sys.modules, "tiktoken.load", load)
    return tk


def test_tiktoken_never_downloads(monkeypatch: pytest.MonkeyPatch) -> None:
    tk = _fake_tiktoken(
        monkeypatch, "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken"
    )
    original = tk.load.read_file
    with pytest.raises(TokenizerUnavailableError, match="TIKTOKEN_CACHE_DIR"):
        TiktokenTokenizer("cl100k_base")
    assert tk.reads == [] and tk.load.read_file is original  # nothing fetched; patch undone


def test_tiktoken_uses_local_encoding_files(monkeypatch: pytest.MonkeyPatch) -> None:
    tk = _fake_tiktoken(monkeypatch, "/cache/cl100k_base.tiktoken")
    tok = TiktokenTokenizer()
    assert tk.reads == ["/cache/cl100k_base.tiktoken"]
    assert tok.count("three word text") == 3 and tok.count("") == 0
    assert tok.name == "tiktoken:cl100k_base"


def test_real_tiktoken_when_cached() -> None:
    pytest.importorskip("tiktoken")
    try:
        tok = TiktokenTokenizer()
    except TokenizerUnavailableError:
        pytest.skip("cl100k_base is not in the local tiktoken cache")
    assert tok.count("hello world") == 2
