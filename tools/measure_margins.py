"""Measure other providers' tokenizers against o200k_base on the calibration corpus.

Dev-time only. It needs tokenizers that ship inside packages on PyPI (nothing is fetched
at run time): ``mistral-common`` (Mistral's Tekken and SentencePiece tokenizers, in its
``data/`` folder) and ``tokenizers`` plus the ``tokenizer.json`` that the ``anthropic`` SDK
shipped up to 0.38 (the *legacy* Claude tokenizer; Anthropic says it is not accurate for
Claude 3 and later, whose tokenizer is not public):

    pip install mistral-common tokenizers
    pip download --no-deps anthropic==0.34.2
    unzip anthropic-0.34.2-*.whl anthropic/tokenizer.json
    python tools/measure_margins.py --claude-legacy anthropic/tokenizer.json

For each tokenizer and class it prints the median and 95th percentile of the ratio
(its count / o200k_base count), which is what a ``ScaledTokenizer`` factor has to cover.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from clawvm.tokens_calibration import load_corpus, percentile  # noqa: E402  (after sys.path)


def tokenizers(claude_legacy: Path | None) -> dict[str, Callable[[str], int]]:
    out: dict[str, Callable[[str], int]] = {}
    import mistral_common
    from mistral_common.tokens.tokenizers.sentencepiece import SentencePieceTokenizer
    from mistral_common.tokens.tokenizers.tekken import Tekkenizer

    data = Path(os.path.dirname(mistral_common.__file__)) / "data"
    tekken = Tekkenizer.from_file(str(data / "tekken_240911.json"))
    spm = SentencePieceTokenizer(str(data / "mistral_instruct_tokenizer_240323.model.v3"))
    out["mistral tekken_240911"] = lambda t: len(tekken.encode(t, bos=False, eos=False))
    out["mistral sentencepiece v3"] = lambda t: len(spm.encode(t, bos=False, eos=False))
    if claude_legacy is not None:
        from tokenizers import Tokenizer

        legacy = Tokenizer.from_file(str(claude_legacy))
        out["claude legacy (SDK <= 0.38)"] = lambda t: len(legacy.encode(t).ids)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claude-legacy", type=Path, help="anthropic SDK's tokenizer.json")
    ap.add_argument("--corpus", type=Path, default=ROOT / "tests/data/tokens/corpus.jsonl")
    args = ap.parse_args()
    samples = load_corpus(args.corpus)
    classes = sorted({s["class"] for s in samples})
    print("| tokenizer | " + " | ".join(classes) + " | all |")
    print("|---|" + "---|" * (len(classes) + 1))
    for name, count in tokenizers(args.claude_legacy).items():
        ratios: dict[str, list[float]] = {c: [] for c in classes}
        for s in samples:
            ratios[s["class"]].append(count(s["text"]) / s["o200k_base"])
        every = [r for rs in ratios.values() for r in rs]
        cells = [
            f"{percentile(ratios[c], 50):.2f} / {percentile(ratios[c], 95):.2f}" for c in classes
        ]
        cells.append(f"{percentile(every, 50):.2f} / {percentile(every, 95):.2f}")
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
