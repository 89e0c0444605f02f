"""The default estimate stays calibrated against o200k_base; the corpus's exact counts stay true."""

from __future__ import annotations

import gzip
import hashlib
import importlib.resources
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from clawvm import _text_py
from clawvm.tokens import FastTokenizer
from clawvm.tokens_calibration import (
    calibrate,
    format_table,
    load_corpus,
    percentile,
    violations,
)

ROOT = Path(__file__).resolve().parents[1]
CORPUS = load_corpus(ROOT / "tests" / "data" / "tokens" / "corpus.jsonl")
CLASSES = {"code", "prose", "markdown", "json", "logs", "test_output", "cjk"}


def test_corpus_has_every_class_with_sources_and_exact_counts() -> None:
    by_class: dict[str, int] = {}
    for s in CORPUS:
        by_class[s["class"]] = by_class.get(s["class"], 0) + 1
        assert s["source"] and s["license"] and s["id"].startswith(s["class"])
        assert s["o200k_base"] > 0 and s["cl100k_base"] > 0 and len(s["text"]) >= 200
    assert set(by_class) == CLASSES and min(by_class.values()) >= 40
    assert len({s["id"] for s in CORPUS}) == len(CORPUS)


@pytest.mark.parametrize("impl", ["native", "reference"])
def test_default_estimator_is_within_the_calibration_bounds(impl: str) -> None:
    count = FastTokenizer().count if impl == "native" else _text_py.count
    table = calibrate(CORPUS, count)
    assert {r.cls for r in table} == CLASSES
    assert violations(table) == [], "\n" + format_table(table)


@pytest.mark.parametrize("factor", [0.9, 1.1])
def test_the_bounds_catch_an_estimator_that_drifted(factor: float) -> None:
    fast = FastTokenizer()
    drifted = calibrate(CORPUS, lambda text: round(fast.count(text) * factor))
    assert violations(drifted)


def test_percentile_interpolates_between_ranks() -> None:
    assert percentile([3.0, 1.0, 2.0], 50) == 2.0
    assert percentile([0.0, 10.0], 5) == pytest.approx(0.5)
    assert percentile([4.0], 5) == 4.0


def test_readme_shows_the_current_calibration_table() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert format_table(calibrate(CORPUS)) in readme


# ------------------------------------------------------------------ exact references
@pytest.fixture(scope="module")
def official(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Any]:
    """OpenAI's own tokenizer (tiktoken) for an encoding, built from bpe-openai's embedded rank
    file after checking it against the hash tiktoken pins for the official file; no fetching."""
    tiktoken = pytest.importorskip("tiktoken", reason="the official cross-check needs tiktoken")
    pytest.importorskip("bpe_openai", reason="exact counts need the tokenizers extra")
    from tiktoken.load import load_tiktoken_bpe
    from tiktoken_ext import openai_public

    folder = tmp_path_factory.mktemp("ranks")

    def load(name: str) -> Any:
        def embedded(url: str, expected_hash: str | None = None) -> dict[bytes, int]:
            data = importlib.resources.files("bpe_openai.data") / f"{name}.tiktoken.gz"
            raw = gzip.decompress(data.read_bytes())
            assert hashlib.sha256(raw).hexdigest() == expected_hash, f"{name}: not OpenAI's file"
            (folder / name).write_bytes(raw)
            return load_tiktoken_bpe(str(folder / name), expected_hash)  # type: ignore[no-any-return]

        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(openai_public, "load_tiktoken_bpe", embedded)
            return tiktoken.Encoding(**getattr(openai_public, name)())

    return load


@pytest.mark.parametrize("encoding", ["o200k_base", "cl100k_base"])
def test_stored_exact_counts_are_what_the_exact_tokenizer_says(encoding: str) -> None:
    pytest.importorskip("bpe_openai", reason="exact counts need the tokenizers extra (bpe-openai)")
    from clawvm.tokens import get_tokenizer

    exact = get_tokenizer(encoding)
    stale = [s["id"] for s in CORPUS if exact.count(s["text"]) != s[encoding]]
    assert stale == []


@pytest.mark.parametrize("encoding", ["o200k_base", "cl100k_base"])
def test_exact_mode_matches_openais_tokenizer_on_the_corpus(
    official: Callable[[str], Any], encoding: str
) -> None:
    from clawvm.tokens import get_tokenizer

    exact, reference = get_tokenizer(encoding), official(encoding)
    differ = [
        s["id"]
        for s in CORPUS
        if exact.count(s["text"]) != len(reference.encode(s["text"], disallowed_special=()))
    ]
    assert differ == []
