"""Fit the default estimator's tables (src/clawvm/_text_tables.py) against o200k_base.

Dev-time only; needs ``bpe-openai`` (the exact tokenizer with its embedded ranks). Everything
is fitted on the committed corpus (tests/data/tokens/corpus.jsonl), so the result depends on
nothing else on the machine:

1. the common-word list: lowercase ASCII words of 4+ letters that are single o200k tokens
   (with or without a leading space) among the first ``VOCAB_RANKS`` ranks;
2. every piece of every sample (the estimator's own pre-tokenizer) is encoded alone; for
   ASCII pieces the token boundaries give, per pair of adjacent characters, the
   probability of a boundary there; bases, length tables and per-script rates are the
   mean exact cost of their pieces (per-script rates by ridge regression towards a prior);
3. a newline's cost by what ends its line is its marginal cost in o200k (the newline
   usually merges into punctuation and blank lines);
4. two scales, one for the tables of other scripts and one for everything else, chosen to
   keep every class's median error within +-5 % and its 5th percentile at or above -5 %
   with the widest margin.

    python tools/fit_token_tables.py            # rewrites src/clawvm/_text_tables.py
"""

from __future__ import annotations

import base64
import gzip
import importlib
import importlib.resources
import json
import re
import statistics
import sys
import textwrap
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
CORPUS = ROOT / "tests" / "data" / "tokens" / "corpus.jsonl"
TABLES = ROOT / "src" / "clawvm" / "_text_tables.py"
VOCAB_RANKS = 50_000
SCALE = 1000


def o200k_ranks() -> dict[bytes, int]:
    data = importlib.resources.files("bpe_openai.data") / "o200k_base.tiktoken.gz"
    raw = gzip.decompress(data.read_bytes())
    return {base64.b64decode(t): int(n) for t, n in (ln.split() for ln in raw.splitlines() if ln)}


def common_words(ranks: dict[bytes, int]) -> list[str]:
    pat = re.compile(rb" ?[A-Za-z]{4,}$")
    return sorted(
        {t.strip().decode().lower() for t, n in ranks.items() if n < VOCAB_RANKS and pat.match(t)}
    )


def write_tables(t: dict[str, Any], scale: float, intl_scale: float, words: list[str]) -> None:
    def q(xs: Any, floor: int = 0, s: float = scale) -> str:
        vals = [max(floor, int(round(x * s * SCALE))) for x in np.ravel(xs)]
        lines = [", ".join(map(str, vals[i : i + 16])) for i in range(0, len(vals), 16)]
        return "(\n    " + ",\n    ".join(lines) + ",\n)"

    wl = textwrap.wrap(" ".join(words), width=99)
    out = f'''"""Calibrated tables of the default token estimate (tools/fit_token_tables.py).

Costs are integers in 1/SCALE of an o200k_base token, already multiplied by the calibration
scales ({scale:.4f}; other scripts {intl_scale:.4f}). Do not edit by hand: rerun the fit.
"""

SCALE = {SCALE}
#: newline after a word or digits, after punctuation, after nothing or whitespace
NEWLINE = {q(t["newline"], 1)}
#: boundary cost per pair of adjacent ASCII characters, [60 * a + b]; classes: a-z (case
#: folded) 0-25, the 32 ASCII marks in string.punctuation order 26-57, space 58, other 59
PAIR = {q(t["pair"])}
#: ASCII words outside the common-word list: [case * 24 + length bucket * 3 + prefix]
BASE_WORD = {q(t["base_word"], 1)}
#: ASCII words in the common-word list, same index
BASE_VOCAB = {q(t["base_vocab"], 1)}
#: all-caps ASCII words: [prefix * 17 + min(length, 16)]
UPPER = {q(t["upper"], 1)}
#: ASCII punctuation runs by length bucket; other punctuation runs by length bucket
BASE_PUNCT = {q(t["base_punct"], 1)}
OTHER_PUNCT = {q(t["other_punct"], 1)}
#: digit groups by length (1-3)
DIGIT = {q(t["digit"], 1)}
#: whitespace runs: [0 spaces only / 8 other whitespace + length bucket]
SPACE = {q(t["space"], 1)}
#: other scripts: a prefix, a rate per character and a cost per change of script, by script
#: (ASCII, hiragana, katakana, Han, Hangul, other below U+3400, rare)
INTL_PREFIX = {int(round(t["intl"][0] * intl_scale * SCALE))}
INTL_RATE = {q(t["intl"][1:8], 1, intl_scale)}
INTL_CHANGE = {q(t["intl"][8:15], 0, intl_scale)}
#: common words: lowercase ASCII single tokens of o200k_base ranked below {VOCAB_RANKS:,}
VOCAB_MAX = {max(map(len, words))}
VOCAB = """
{chr(10).join(wl)}
"""
'''
    TABLES.write_text(out)


def fit(rows: list[dict[str, Any]], enc: Any, words: set[str]) -> dict[str, Any]:
    from clawvm import _text_py as X

    tok_cache: dict[str, int] = {}

    def tok(s: str) -> int:
        if s not in tok_cache:
            tok_cache[s] = len(enc.encode(s, disallowed_special=()))
        return tok_cache[s]

    def bounds(s: str) -> set[int]:
        out, o = set(), 0
        for t in enc.encode(s, disallowed_special=()):
            o += len(enc.decode_single_token_bytes(t))
            out.add(o)
        return out

    pair_b = np.zeros((60, 60))
    pair_n = np.zeros((60, 60))
    word_items, vocab_items, punct_items = [], [], []
    means: dict[str, defaultdict[int, list[int]]] = {
        k: defaultdict(list) for k in ("upper", "other_punct", "digit", "space")
    }
    intl_rows, intl_y = [], []
    newline: list[list[int]] = [[], [], []]
    for r in rows:
        text = r["text"]
        lines = text.split("\n")
        prev_last = ""
        for li, line in enumerate(lines):
            ps = list(X.pieces(line))
            for p in ps:
                s = line[p.start : p.end]
                n = tok(s)
                if p.kind == X.WORD:
                    j = p.start + (p.prefix != X.NO_PREFIX)
                    w = line[j : j + p.letters]
                    if not w.isascii():
                        row = [1.0 if p.prefix else 0.0] + [0.0] * 14
                        last = -1
                        for ch in w:
                            sc = X._script(ord(ch))
                            row[1 + sc] += 1
                            if last >= 0 and sc != last:
                                row[8 + sc] += 1
                            last = sc
                        intl_rows.append(row)
                        intl_y.append(n)
                    elif (len(w) == 1 and w.isupper()) or (len(w) > 1 and w[1].isupper()):
                        means["upper"][p.prefix * 17 + min(len(w), 16)].append(n)
                    else:
                        key = (0 if w[0].islower() else 1) * 24 + X._bucket(len(w)) * 3 + p.prefix
                        if len(w) >= 4 and w.lower() in words:
                            vocab_items.append((key, s, n, p.prefix))
                        else:
                            word_items.append((key, s, n))
                            if p.end - p.start == len(w) + (p.prefix != X.NO_PREFIX):
                                _count_pairs(X, s, bounds(s), pair_b, pair_n)
                elif p.kind == X.PUNCT:
                    if s.isascii():
                        punct_items.append((X._bucket(len(s)), s, n))
                        _count_pairs(X, s, bounds(s), pair_b, pair_n)
                    else:
                        means["other_punct"][X._bucket(len(s))].append(n)
                elif p.kind == X.DIGITS:
                    means["digit"][len(s)].append(n)
                else:
                    spaces = s.count(" ") == len(s)
                    means["space"][(0 if spaces else 8) + X._bucket(len(s))].append(n)
            if li == len(lines) - 1:
                break
            if ps:  # the newline's marginal cost after this line's last piece
                last = ps[-1]
                s = line[last.start : last.end]
                ctx = 0 if last.kind in (X.WORD, X.DIGITS) else (1 if last.kind == X.PUNCT else 2)
                newline[ctx].append(tok(s + "\n") - tok(s))
                prev_last = s
            else:  # a blank line: its newline joins the previous one
                newline[2].append(tok(prev_last + "\n\n") - tok(prev_last + "\n"))
                prev_last = prev_last + "\n"
    pair = (pair_b + 0.5) / (pair_n + 1.5)

    def pairs(s: str) -> float:
        cl = [X._pair_class(ch) for ch in s]
        return float(sum(pair[a, b] for a, b in zip(cl, cl[1:])))

    def mean_by(items: list[tuple[Any, ...]], size: int, default: float, cost: Any) -> list[float]:
        acc: defaultdict[int, list[float]] = defaultdict(list)
        for it in items:
            acc[it[0]].append(it[2] - cost(it))
        return [statistics.mean(acc[k]) if acc[k] else default for k in range(size)]

    def mean_table(d: defaultdict[int, list[int]], size: int, default: float) -> list[float]:
        return [statistics.mean(d[k]) if d[k] else default for k in range(size)]

    a, y = np.array(intl_rows), np.array(intl_y, float)
    prior = np.array([0.5, 0.3, 0.6, 0.7, 0.75, 0.8, 1.0, 1.5] + [0.0] * 7)
    lam = 30.0
    intl = np.linalg.solve(a.T @ a + lam * np.eye(len(prior)), a.T @ y + lam * prior)
    return {
        "pair": pair,
        "base_word": mean_by(word_items, 48, 1.0, lambda it: pairs(it[1])),
        "base_vocab": mean_by(
            vocab_items, 48, 1.0, lambda it: pairs(it[1][:2]) if it[3] != X.NO_PREFIX else 0.0
        ),
        "base_punct": mean_by(punct_items, 8, 1.0, lambda it: pairs(it[1])),
        "upper": mean_table(means["upper"], 51, 1.0),
        "other_punct": mean_table(means["other_punct"], 8, 1.0),
        "digit": [0.0] + mean_table(means["digit"], 4, 1.0)[1:],
        "space": mean_table(means["space"], 16, 1.0),
        "intl": np.clip(intl, 0.0, None),
        "newline": [statistics.mean(v) if v else 1.0 for v in newline],
    }


def _count_pairs(X: Any, s: str, bnd: set[int], pb: np.ndarray, pn: np.ndarray) -> None:
    cl = [X._pair_class(ch) for ch in s]
    for i in range(1, len(s)):
        pn[cl[i - 1], cl[i]] += 1
        pb[cl[i - 1], cl[i]] += i in bnd


def split_units(rows: list[dict[str, Any]]) -> list[tuple[str, int, int, int]]:
    """(class, exact, units of other-script words, all other units) per sample."""
    import clawvm._text_py as X

    out = []
    for r in rows:
        text, intl = r["text"], 0
        for line in text.split("\n"):
            for p in X.pieces(line):
                j = p.start + (p.prefix != X.NO_PREFIX)
                if p.kind == X.WORD and not line[j : j + p.letters].isascii():
                    intl += X.piece_units(line, p)
        out.append((r["class"], r["o200k_base"], intl, X.units(text) - intl))
    return out


def margin(units: list[tuple[str, int, int, int]], s_other: float, s_intl: float) -> float:
    """The smallest distance of any class's median or 5th percentile to its bound."""
    errs: defaultdict[str, list[float]] = defaultdict(list)
    for cls, exact, intl, other in units:
        est = -(-int(s_intl * intl + s_other * other) // SCALE)
        errs[cls].append((est - exact) / exact)
    return min(min(0.05 - statistics.median(e), percentile(e, 5) + 0.05) for e in errs.values())


def percentile(values: list[float], q: int) -> float:
    from clawvm.tokens_calibration import percentile as pct

    return pct(values, q)


def reload_twin() -> None:
    import clawvm._text_py
    import clawvm._text_tables

    importlib.reload(clawvm._text_tables)
    importlib.reload(clawvm._text_py)


def main() -> None:
    import bpe_openai

    rows = [json.loads(ln) for ln in CORPUS.read_text(encoding="utf-8").splitlines()]
    enc = bpe_openai.get_encoding("o200k_base")
    words = common_words(o200k_ranks())
    if not TABLES.exists():  # bootstrap: the twin imports the tables module
        write_tables(defaultdict(lambda: np.zeros(3600), intl=np.zeros(15)), 1.0, 1.0, words)
    reload_twin()
    tables = fit(rows, enc, set(words))
    write_tables(tables, 1.0, 1.0, words)
    reload_twin()
    units = split_units(rows)
    grid = [
        (margin(units, a / 1000, b / 1000), a / 1000, b / 1000)
        for a in range(960, 1101, 2)
        for b in range(900, 1301, 5)
    ]
    best, s_other, s_intl = max(grid)
    print(f"scales {s_other:.3f} / other scripts {s_intl:.3f}: margin {best:.2%}", file=sys.stderr)
    write_tables(tables, s_other, s_intl, words)
    reload_twin()
    import clawvm._text_py
    from clawvm.tokens_calibration import calibrate, format_table

    print(format_table(calibrate(rows, clawvm._text_py.count)), file=sys.stderr)


if __name__ == "__main__":
    main()
