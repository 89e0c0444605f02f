"""Counting the tokens of a 2 KB tool result: the native estimate, its twin, exact BPE.

The tool result is real pytest output (test_output-11 of the calibration corpus) cut at a line
end near 2 KB. Same-run ratios are printed after the module (``-s``). Budgets: the native
estimate <= 20 us median; the native page-in pricing (every rep's text and count, as a new
tool result page needs them: ``evidence_texts``) <= 25 us.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.resources
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from clawvm import _text_py
from clawvm.tokens import TEXT_IMPLEMENTATION, FastTokenizer, get_tokenizer
from clawvm.tokens_calibration import load_corpus

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "tokens" / "corpus.jsonl"
BUDGET = {"test_count_native": 20e-6, "test_pagein_native": 25e-6}
MEDIANS: dict[str, float] = {}


def _tool_result(size: int = 2048) -> str:
    text = next(s["text"] for s in load_corpus(CORPUS) if s["id"] == "test_output-11")
    cut = text.rfind("\n", 0, size)
    return text[:cut + 1]


TOOL_RESULT = _tool_result()


def _run(benchmark: Any, hold_budget: Callable[[Any], None], fn: Callable[[str], Any]) -> None:
    benchmark(fn, TOOL_RESULT)
    hold_budget(benchmark)
    if not benchmark.enabled or benchmark.stats is None:
        return
    median = MEDIANS[benchmark.name] = benchmark.stats.stats.median
    budget = BUDGET.get(benchmark.name)
    if budget is not None:
        budget *= float(os.environ.get("CLAWVM_BENCH_SLACK", "1"))
        assert median <= budget, f"median {median * 1e6:.1f} us over {budget * 1e6:.0f} us"


def test_count_native(benchmark: Any, hold_budget: Callable[[Any], None]) -> None:
    if TEXT_IMPLEMENTATION != "native":
        pytest.skip("native estimator not built")
    _run(benchmark, hold_budget, FastTokenizer().count)


def test_line_units_native(benchmark: Any, hold_budget: Callable[[Any], None]) -> None:
    if TEXT_IMPLEMENTATION != "native":
        pytest.skip("native estimator not built")
    _run(benchmark, hold_budget, FastTokenizer().line_units)


def test_pagein_native(benchmark: Any, hold_budget: Callable[[Any], None]) -> None:
    """What a new tool result page costs to price: its reps' texts (those above pointer
    made later, when shown) and counts, from one scan (``_render.prepare_evidence``)."""
    from clawvm._render import FAST_EVIDENCE, kernels

    if not FAST_EVIDENCE or TEXT_IMPLEMENTATION != "native":
        pytest.skip("native render core not built")
    _run(benchmark, hold_budget,
         lambda text: kernels.evidence_texts("tr-1", "pytest -k traceback", text, "1", True, False))


def test_count_reference(benchmark: Any, hold_budget: Callable[[Any], None]) -> None:
    _run(benchmark, hold_budget, _text_py.count)


def test_count_exact_bpe_openai(benchmark: Any, hold_budget: Callable[[Any], None]) -> None:
    pytest.importorskip("bpe_openai", reason="exact counts need the tokenizers extra")
    tok = get_tokenizer("o200k_base")
    _run(benchmark, hold_budget, tok._count.__wrapped__)  # type: ignore[attr-defined]


def test_count_exact_tiktoken(
    benchmark: Any, hold_budget: Callable[[Any], None], tmp_path: Path
) -> None:
    tiktoken = pytest.importorskip("tiktoken", reason="tiktoken not installed")
    pytest.importorskip("bpe_openai", reason="the o200k_base ranks come from bpe-openai here")
    from tiktoken.load import load_tiktoken_bpe
    from tiktoken_ext import openai_public

    def embedded(url: str, expected_hash: str | None = None) -> dict[bytes, int]:
        data = importlib.resources.files("bpe_openai.data") / "o200k_base.tiktoken.gz"
        raw = gzip.decompress(data.read_bytes())
        assert hashlib.sha256(raw).hexdigest() == expected_hash
        (tmp_path / "o200k").write_bytes(raw)
        return load_tiktoken_bpe(str(tmp_path / "o200k"), expected_hash)  # type: ignore[no-any-return]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(openai_public, "load_tiktoken_bpe", embedded)
        enc = tiktoken.Encoding(**openai_public.o200k_base())
    _run(benchmark, hold_budget, lambda t: len(enc.encode(t, disallowed_special=())))


@pytest.fixture(scope="module", autouse=True)
def print_ratios() -> Iterator[None]:
    """After the module: same-run ratios against the native estimate (shown with ``-s``)."""
    yield
    base = MEDIANS.get("test_count_native")
    if not base:
        return
    print(f"\ncounting {len(TOOL_RESULT)} characters ({TOOL_RESULT.count(chr(10))} lines):")
    for name, median in sorted(MEDIANS.items(), key=lambda kv: kv[1]):
        print(f"  {name:28s} {median * 1e6:9.2f} us  {median / base:7.1f}x native")
