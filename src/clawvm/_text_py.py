"""The default token estimator in plain Python: the readable twin of ``clawvm._text``.

It splits text into the pieces o200k_base's pre-tokenizer would make (letters with one
optional leading space or punctuation mark, CamelCase split, contractions kept; digits in
threes; punctuation runs; whitespace runs leaving one space for the next word) and prices
each piece from calibrated tables (``_text_tables``, written by tools/fit_token_tables.py):

* a lowercase or Capitalised ASCII word in the common-word list costs a base by case,
  length and prefix; any other ASCII word or punctuation run costs a base plus, for every
  pair of adjacent characters, the probability that o200k puts a token boundary there;
* an all-caps word costs a table entry by length; digits one per group;
* other scripts cost a rate per character by script (kana, Han, Hangul...) plus a cost for
  every change of script inside the piece;
* whitespace by run length; a newline by what ends its line (after a word it is a token of
  its own, after punctuation or on a blank line o200k almost always merges it).

Pieces never cross a newline, so the estimate is *line-additive*: ``units(a + "\\n" + b) ==
units(a + "\\n") + units(b)`` for any ``a`` and ``b``, and ``sum(line_units(t)) == units(t)``.
Costs are integers in 1/``SCALE`` of a token, so both twins agree exactly; ``count`` rounds
the total up. Character classes come from ``str.isalpha`` / ``islower`` / ``isupper`` /
``istitle`` / ``isspace`` / ``isnumeric``, which the native twin calls as ``Py_UNICODE_IS*``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from clawvm import _text_tables as T
from clawvm.errors import InvalidTypeError

__all__ = ["SCALE", "count", "line_units", "units", "units_range"]

SCALE: int = T.SCALE

# character classes
NL, SPACE, LOWER, UPPER, CASELESS, DIGIT, OTHER = range(7)
# piece kinds
WORD, DIGITS, PUNCT, BLANK = range(4)
# prefixes of a word piece
NO_PREFIX, SPACE_PREFIX, MARK_PREFIX = range(3)

_PUNCT = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
_NCHAR = 60  # pair-table classes: 26 letters (case folded), 32 ASCII marks, space, other
_CONTRACTIONS = ("re", "ve", "ll")  # two-letter ones; 's 't 'm 'd are one letter


def _cls(ch: str) -> int:
    if ch == "\n":
        return NL
    if ch.isalpha():
        if ch.islower():
            return LOWER
        if ch.isupper() or ch.istitle():
            return UPPER
        return CASELESS
    if ch.isspace():
        return SPACE
    if ch.isnumeric():
        return DIGIT
    return OTHER


def _ascii_lower(ch: str) -> str:
    return chr(ord(ch) + 32) if "A" <= ch <= "Z" else ch


def _pair_class(ch: str) -> int:
    o = ord(ch)
    if 97 <= o <= 122:
        return o - 97
    if 65 <= o <= 90:
        return o - 65
    if o == 32:
        return 58
    i = _PUNCT.find(ch) if o < 128 else -1
    return 26 + i if i >= 0 else 59


def _script(o: int) -> int:
    """0 ASCII, 1 hiragana, 2 katakana, 3 Han, 4 Hangul, 5 other below U+3400, 6 rare."""
    if o < 0x80:
        return 0
    if 0x3040 <= o <= 0x309F:
        return 1
    if 0x30A0 <= o <= 0x30FF:
        return 2
    if 0x4E00 <= o <= 0x9FFF:
        return 3
    if 0xAC00 <= o <= 0xD7AF or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F:
        return 4
    return 5 if o < 0x3400 else 6


def _bucket(n: int) -> int:
    """Length bucket 0..7: 1, 2, 3-4, 5-8, 9-16, 17-32, 33-64, 65+."""
    return min(7, (n - 1).bit_length())


_VOCAB = frozenset(T.VOCAB.split())


class Piece(NamedTuple):
    """One pre-token of a line: ``text[start:end]`` and what prices it."""

    kind: int  # WORD, DIGITS, PUNCT or BLANK
    start: int
    end: int
    prefix: int = NO_PREFIX  # words: none, a space, or another mark/whitespace
    letters: int = 0  # words: letters after the prefix, before a contraction


def pieces(text: str, start: int = 0, end: int | None = None) -> Iterator[Piece]:
    """The pieces of ``text[start:end]``, newlines excluded (each ends a line)."""
    n = len(text) if end is None else end
    i = start
    while i < n:
        c = _cls(text[i])
        if c == NL:
            i += 1
            continue
        nxt = _cls(text[i + 1]) if i + 1 < n else NL
        if c in (LOWER, UPPER, CASELESS) or (
            c in (SPACE, OTHER) and text[i] != "\r" and nxt in (LOWER, UPPER, CASELESS)
        ):
            prefix = NO_PREFIX if c in (LOWER, UPPER, CASELESS) else (
                SPACE_PREFIX if text[i] == " " else MARK_PREFIX
            )
            j = i if prefix == NO_PREFIX else i + 1
            k = j  # [Lu Lt Lm Lo]* then [Ll Lm Lo]+, or [Lu Lt Lm Lo]+ then [Ll Lm Lo]*
            while k < n and _cls(text[k]) in (UPPER, CASELESS):
                k += 1
            m = k
            while m < n and _cls(text[m]) in (LOWER, CASELESS):
                m += 1
            e = m
            if e + 1 < n and text[e] == "'":  # 's 't 'm 'd 're 've 'll, any case
                a = _ascii_lower(text[e + 1])
                if e + 2 < n and a + _ascii_lower(text[e + 2]) in _CONTRACTIONS:
                    e += 3
                elif a in ("s", "t", "m", "d"):
                    e += 2
            yield Piece(WORD, i, e, prefix, m - j)
            i = e
        elif c == DIGIT:
            e = i + 1
            while e < n and e - i < 3 and _cls(text[e]) == DIGIT:
                e += 1
            yield Piece(DIGITS, i, e)
            i = e
        elif c == OTHER or (text[i] == " " and nxt == OTHER):
            e = i + 1
            while e < n and _cls(text[e]) == OTHER:
                e += 1
            while e < n and text[e] == "\r":
                e += 1
            yield Piece(PUNCT, i, e)
            i = e
        else:  # whitespace; a run before a non-space keeps its last char for the next piece
            e = i + 1
            while e < n and _cls(text[e]) == SPACE:
                e += 1
            if e < n and text[e] != "\n" and e - i >= 2:
                e -= 1
            yield Piece(BLANK, i, e)
            i = e


def _pairs(text: str, start: int, end: int) -> int:
    pc = T.PAIR
    total = 0
    a = _pair_class(text[start])
    for i in range(start + 1, end):
        b = _pair_class(text[i])
        total += pc[a * _NCHAR + b]
        a = b
    return total


def piece_units(text: str, p: Piece) -> int:
    """The calibrated cost of one piece, in 1/SCALE tokens."""
    s, e = p.start, p.end
    if p.kind == WORD:
        j = s if p.prefix == NO_PREFIX else s + 1
        word = text[j : j + p.letters]
        if word.isascii():
            n = p.letters
            if (n == 1 and word.isupper()) or (n > 1 and word[1].isupper()):
                return T.UPPER[p.prefix * 17 + min(n, 16)]
            key = (0 if word[0].islower() else 1) * 24 + _bucket(n) * 3 + p.prefix
            if 4 <= n <= T.VOCAB_MAX and word.lower() in _VOCAB:
                head = _pairs(text, s, s + 2) if p.prefix != NO_PREFIX else 0
                return T.BASE_VOCAB[key] + head
            return T.BASE_WORD[key] + _pairs(text, s, e)
        cost = T.INTL_PREFIX if p.prefix != NO_PREFIX else 0
        last = -1
        for ch in word:
            sc = _script(ord(ch))
            cost += T.INTL_RATE[sc]
            if last >= 0 and sc != last:
                cost += T.INTL_CHANGE[sc]
            last = sc
        return cost
    if p.kind == DIGITS:
        return T.DIGIT[e - s]
    if p.kind == PUNCT:
        if text[s:e].isascii():
            return T.BASE_PUNCT[_bucket(e - s)] + _pairs(text, s, e)
        return T.OTHER_PUNCT[_bucket(e - s)]
    spaces_only = text.count(" ", s, e) == e - s
    return T.SPACE[(0 if spaces_only else 8) + _bucket(e - s)]


def _newline_units(last: int) -> int:
    """A newline after a word or digits is its own token; after marks or nothing it merges."""
    if last in (WORD, DIGITS):
        return T.NEWLINE[0]
    return T.NEWLINE[1] if last == PUNCT else T.NEWLINE[2]


def _line_units(text: str, start: int, end: int) -> Iterator[int]:
    """Units of each line of ``text[start:end]``, a line's newline included in its cost."""
    i = start
    while i < end:
        nl = text.find("\n", i, end)
        stop = end if nl < 0 else nl
        total = 0
        last = -1
        for p in pieces(text, i, stop):
            total += piece_units(text, p)
            last = p.kind
        if nl >= 0:
            total += _newline_units(last)
            i = nl + 1
        else:
            i = end
        yield total


def _check(text: object) -> str:
    if not isinstance(text, str):
        raise InvalidTypeError("text", f"expected str, got {type(text).__name__}")
    return text


def units(text: str) -> int:
    """Estimated o200k_base tokens of ``text``, in 1/SCALE tokens."""
    _check(text)
    return sum(_line_units(text, 0, len(text)))


def units_range(text: str, start: int, end: int) -> int:
    """``units(text[start:end])`` without slicing (bounds are clamped like a slice)."""
    _check(text)
    start, end, _ = slice(start, end).indices(len(text))
    return sum(_line_units(text, start, end)) if start < end else 0


def count(text: str) -> int:
    """Estimated o200k_base tokens of ``text`` (0 for empty text, else at least 1)."""
    return -(-units(text) // SCALE)


def line_units(text: str) -> list[int]:
    """Units per line (a line keeps its ``\\n``); they add up to ``units(text)`` exactly."""
    _check(text)
    return list(_line_units(text, 0, len(text)))
