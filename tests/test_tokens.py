"""Token counting: the default estimate, exact OpenAI encodings, margins, never downloading."""

from __future__ import annotations

import sys
import types

import pytest

from clawvm import tokens
from clawvm.errors import InvalidInputError, InvalidTypeError
from clawvm.tokens import (
    ExactTokenizer,
    FastTokenizer,
    ScaledTokenizer,
    TiktokenTokenizer,
    Tokenizer,
    TokenizerUnavailableError,
    default_tokenizer,
    get_tokenizer,
)


def _exact_or_skip(encoding: str = "o200k_base") -> ExactTokenizer:
    pytest.importorskip("bpe_openai", reason="exact counts need the tokenizers extra (bpe-openai)")
    return ExactTokenizer(encoding)


def test_default_tokenizer_is_fast_and_satisfies_the_protocol() -> None:
    tok = default_tokenizer()
    assert isinstance(tok, FastTokenizer) and isinstance(tok, Tokenizer)
    assert isinstance(get_tokenizer(), FastTokenizer) and get_tokenizer("fast").name == "fast"


@pytest.mark.parametrize("name", ["o200k", "gpt-4o", "FAST", "", "claude"])
def test_unknown_tokenizer_name_is_a_typed_error(name: str) -> None:
    with pytest.raises(InvalidInputError, match="unknown tokenizer"):
        get_tokenizer(name)


@pytest.mark.parametrize("name", [None, 3, b"o200k_base"])
def test_tokenizer_name_must_be_text(name: object) -> None:
    with pytest.raises(InvalidTypeError):
        get_tokenizer(name)  # type: ignore[arg-type]


def test_fast_counts_are_deterministic() -> None:
    text = "def f(x):\n    return x * 2  # double\n"
    assert FastTokenizer().count(text) == FastTokenizer().count(text) == tokens._text.count(text)


def test_fast_counts_grow_with_text() -> None:
    tok = FastTokenizer()
    short = "grep -n TODO src/clawvm/vm.py"
    assert 0 < tok.count(short) < tok.count(short * 3) <= 3 * tok.count(short) + 2


def test_fast_line_units_price_a_rep_made_of_whole_lines() -> None:
    tok = FastTokenizer()
    result = "".join(f"tests/test_{i}.py::test_case PASSED [{i:3d}%]\n" for i in range(40))
    per_line = tok.line_units(result)
    lines = result.splitlines(keepends=True)
    head_tail = "".join(lines[:8] + lines[-4:])
    assert tok.units(head_tail) == sum(per_line[:8]) + sum(per_line[-4:])
    assert tok.count(head_tail) == -(-(sum(per_line[:8]) + sum(per_line[-4:])) // tok.SCALE)


def test_fast_rejects_non_text() -> None:
    with pytest.raises(InvalidTypeError):
        FastTokenizer().count(b"bytes")  # type: ignore[arg-type]


# ------------------------------------------------------------------ exact (bpe-openai)
def test_exact_counts_known_strings() -> None:
    tok = _exact_or_skip()
    assert tok.name == "o200k_base"
    assert tok.count("hello world") == 2
    assert tok.count("") == 0
    # special-token strings are ordinary text in a prompt
    assert tok.count("<|endoftext|>") > 1


def test_exact_cl100k_differs_from_o200k_where_the_vocabularies_do() -> None:
    o200k, cl100k = _exact_or_skip("o200k_base"), _exact_or_skip("cl100k_base")
    text = "这是一个用于测试的中文句子，包含一些常见的词语。"
    assert cl100k.name == "cl100k_base"
    assert cl100k.count(text) > o200k.count(text) > 0


def test_exact_handles_lone_surrogates_like_tiktoken() -> None:
    tok = _exact_or_skip()
    assert tok.count("a\ud800b") == tok.count("a\ufffdb")


def test_exact_rejects_non_text_even_when_empty() -> None:
    tok = _exact_or_skip()
    for bad in (b"", None, b"x"):
        with pytest.raises(InvalidTypeError):
            tok.count(bad)  # type: ignore[arg-type]


def test_exact_is_memoised_per_text() -> None:
    tok = _exact_or_skip()
    text = "the same tool result, counted twice"
    assert tok.count(text) == tok.count(text)
    assert tok._count.cache_info().hits >= 1


def test_get_tokenizer_prefers_bpe_openai() -> None:
    _exact_or_skip()
    tok = get_tokenizer("o200k_base")
    assert isinstance(tok, ExactTokenizer) and tok.name == "o200k_base"


def _no_exact_libraries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "bpe_openai", None)
    monkeypatch.setitem(sys.modules, "tiktoken", None)
    tokens._bpe_openai.cache_clear()


def test_missing_exact_libraries_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    _no_exact_libraries(monkeypatch)
    with pytest.raises(TokenizerUnavailableError, match=r"clawvm\[tokenizers\]"):
        get_tokenizer("o200k_base")
    with pytest.raises(TokenizerUnavailableError, match="bpe-openai"):
        ExactTokenizer("cl100k_base")
    tokens._bpe_openai.cache_clear()


def test_get_tokenizer_falls_back_to_a_local_tiktoken_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _no_exact_libraries(monkeypatch)
    tk = _fake_tiktoken(monkeypatch, "/cache/o200k_base.tiktoken")
    tok = get_tokenizer("o200k_base")
    assert isinstance(tok, TiktokenTokenizer) and tok.name == "tiktoken:o200k_base"
    assert tk.reads == ["/cache/o200k_base.tiktoken"]
    tokens._bpe_openai.cache_clear()


# ------------------------------------------------------------------ margins
def test_scaled_tokenizer_rounds_the_scaled_count_up() -> None:
    base = FastTokenizer()
    text = "a tool result with a handful of words in it"
    scaled = ScaledTokenizer(base, 1.2, name="anthropic-margin")
    assert scaled.count(text) == -(-base.count(text) * 12 // 10)
    assert scaled.count("") == 0 and scaled.name == "anthropic-margin"
    assert ScaledTokenizer(base, 1.0).count(text) == base.count(text)


@pytest.mark.parametrize("factor", [0, -1.0, float("nan"), float("inf"), 11])
def test_scaled_tokenizer_rejects_a_bad_factor(factor: float) -> None:
    with pytest.raises(InvalidInputError, match="factor"):
        ScaledTokenizer(FastTokenizer(), factor)


def test_scaled_tokenizer_rejects_bad_types() -> None:
    with pytest.raises(InvalidTypeError, match="factor"):
        ScaledTokenizer(FastTokenizer(), "1.2")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="factor"):
        ScaledTokenizer(FastTokenizer(), True)
    with pytest.raises(InvalidTypeError, match="base"):
        ScaledTokenizer(object(), 1.2)  # type: ignore[arg-type]


# ------------------------------------------------------------------ tiktoken, never downloading
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
    with pytest.raises(InvalidTypeError):
        tok.count(b"")  # type: ignore[arg-type]


def test_a_vm_takes_a_tokenizer_by_name() -> None:
    from clawvm import VM

    assert isinstance(VM(1000, tokenizer="fast").tokenizer, FastTokenizer)
    with pytest.raises(InvalidInputError):
        VM(1000, tokenizer="no-such-encoding")
    try:
        exact = VM(1000, tokenizer="o200k_base", system_prompt="hello world")
    except TokenizerUnavailableError:
        pytest.skip("no exact o200k_base tokenizer installed (pip install 'clawvm[tokenizers]')")
    assert exact.fixed_tokens >= exact.tokenizer.count("hello world") == 2
