"""The default token estimator in C: the native twin of ``clawvm._text_py``.

One pass over the string's code points (read in place, never copied or sliced), a few table
lookups per character, no Python objects inside the loop. The tables are the ones in
``clawvm._text_tables``, copied into C arrays at import; the character classes are the
``Py_UNICODE_IS*`` predicates behind ``str.isalpha()`` and friends, so both twins give the
same counts for every string. See ``_text_py`` for what the pieces and their costs are.

Other Cython modules can ``cimport`` :func:`units_of` (declared in ``_text.pxd``) to price a
slice of a string without creating it.
"""

from libc.stdint cimport int64_t, uint8_t, uint16_t, uint32_t, uint64_t
from libc.string cimport memset

from array import array

from clawvm import _text_py as _twin
from clawvm import _text_tables as _T
from clawvm.errors import InvalidTypeError

__all__ = ["SCALE", "count", "line_units", "units", "units_range"]

cdef extern from "Python.h":
    int PyUnicode_KIND(object o)
    const void* PyUnicode_DATA(object o)
    bint Py_UNICODE_ISALPHA(uint32_t ch) nogil
    bint Py_UNICODE_ISLOWER(uint32_t ch) nogil
    bint Py_UNICODE_ISUPPER(uint32_t ch) nogil
    bint Py_UNICODE_ISTITLE(uint32_t ch) nogil
    bint Py_UNICODE_ISSPACE(uint32_t ch) nogil
    bint Py_UNICODE_ISNUMERIC(uint32_t ch) nogil

SCALE = _T.SCALE

cdef enum:
    NL = 0
    SPACE = 1
    LOWER = 2
    UPPER = 3
    CASELESS = 4
    DIGIT = 5
    OTHER = 6
    WORD = 0
    DIGITS = 1
    PUNCT = 2
    BLANK = 3
    NONE = -1
    NCHAR = 60
    VOCAB_BITS = 15

# tables, filled from _text_tables at import
cdef unsigned char LATIN1_CLS[256]  # character class of U+0000..U+00FF
cdef unsigned char PAIR_CLS[128]
cdef unsigned char BUCKET[65]  # length bucket of 0..64 (65+ is 7)
cdef int PAIR[NCHAR * NCHAR]
cdef int NEWLINE[3]
cdef int BASE_WORD[48]
cdef int BASE_VOCAB[48]
cdef int UPPER_T[51]
cdef int BASE_PUNCT[8]
cdef int OTHER_PUNCT[8]
cdef int DIGIT_T[4]
cdef int SPACE_T[16]
cdef int INTL_PREFIX
cdef int INTL_RATE[7]
cdef int INTL_CHANGE[7]
cdef int VOCAB_MAX
# the common-word list: open addressing on the words' FNV-1a hashes, words kept for comparing.
# A slot is one word: the hash's high 32 bits, the word's length and its offset in
# VOCAB_CHARS (``_slot``), so a lookup reads one cache line of the table (0: empty).
cdef uint64_t VOCAB_MASK = (1 << VOCAB_BITS) - 1
cdef uint64_t VOCAB_SLOT[1 << VOCAB_BITS]
cdef const char* VOCAB_CHARS
_vocab_chars = b""  # keeps VOCAB_CHARS alive


cdef void _fill(int* dst, object src, Py_ssize_t size) except *:
    if len(src) != size:
        raise RuntimeError(f"_text_tables: expected {size} values, got {len(src)}")
    cdef Py_ssize_t i
    for i in range(size):
        dst[i] = src[i]


cdef void _load() except *:
    global INTL_PREFIX, VOCAB_MAX, VOCAB_CHARS, _vocab_chars
    cdef Py_ssize_t i
    cdef uint64_t h, slot, mask = VOCAB_MASK
    cdef unsigned int off = 0
    cdef const char* wc
    cdef Py_ssize_t x
    for i in range(65):
        BUCKET[i] = _twin._bucket(i) if i else 0
    for i in range(256):
        LATIN1_CLS[i] = _twin._cls(chr(i))
    for i in range(128):
        PAIR_CLS[i] = _twin._pair_class(chr(i))
    _fill(PAIR, _T.PAIR, NCHAR * NCHAR)
    _fill(NEWLINE, _T.NEWLINE, 3)
    _fill(BASE_WORD, _T.BASE_WORD, 48)
    _fill(BASE_VOCAB, _T.BASE_VOCAB, 48)
    _fill(UPPER_T, _T.UPPER, 51)
    _fill(BASE_PUNCT, _T.BASE_PUNCT, 8)
    _fill(OTHER_PUNCT, _T.OTHER_PUNCT, 8)
    _fill(DIGIT_T, _T.DIGIT, 4)
    _fill(SPACE_T, _T.SPACE, 16)
    _fill(INTL_RATE, _T.INTL_RATE, 7)
    _fill(INTL_CHANGE, _T.INTL_CHANGE, 7)
    INTL_PREFIX = _T.INTL_PREFIX
    VOCAB_MAX = _T.VOCAB_MAX
    words = _T.VOCAB.split()
    if 2 * len(words) > (1 << VOCAB_BITS):
        raise RuntimeError("_text_tables: the common-word list outgrew the hash table")
    _vocab_chars = "".join(words).encode("ascii")
    VOCAB_CHARS = _vocab_chars
    if len(_vocab_chars) >= (1 << 27) or max(map(len, words)) >= 32:
        raise RuntimeError("_text_tables: the common-word list outgrew the hash table's slots")
    memset(VOCAB_SLOT, 0, sizeof(VOCAB_SLOT))
    for w in words:
        wc = VOCAB_CHARS + off
        h = 0xCBF29CE484222325ULL
        for x in range(len(w)):
            h = (h ^ <unsigned char>wc[x]) * 0x100000001B3ULL
        slot = h & mask
        while VOCAB_SLOT[slot] != 0:
            slot = (slot + 1) & mask
        VOCAB_SLOT[slot] = _slot(h, len(w), off)
        off += len(w)


_load()


ctypedef fused ucs_t:
    uint8_t
    uint16_t
    uint32_t


cdef inline int _cls(uint32_t c) noexcept nogil:
    if c < 256:
        return LATIN1_CLS[c]
    if Py_UNICODE_ISALPHA(c):
        if Py_UNICODE_ISLOWER(c):
            return LOWER
        if Py_UNICODE_ISUPPER(c) or Py_UNICODE_ISTITLE(c):
            return UPPER
        return CASELESS
    if Py_UNICODE_ISSPACE(c):
        return SPACE
    if Py_UNICODE_ISNUMERIC(c):
        return DIGIT
    return OTHER


cdef inline bint _letter(int c) noexcept nogil:
    return c == LOWER or c == UPPER or c == CASELESS


cdef inline int _pair_cls(uint32_t c) noexcept nogil:
    return PAIR_CLS[c] if c < 128 else NCHAR - 1


cdef inline int _script(uint32_t o) noexcept nogil:
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


cdef inline int _bucket(Py_ssize_t n) noexcept nogil:
    return BUCKET[n] if n <= 64 else 7


cdef inline uint32_t _lower(uint32_t c) noexcept nogil:
    return c + 32 if 65 <= c <= 90 else c


cdef inline uint64_t _slot(uint64_t h, Py_ssize_t n, uint64_t off) noexcept nogil:
    """A table slot: the hash's high half, the word's length (< 32) and offset (< 2**27)."""
    return (h >> 32) << 32 | (<uint64_t>n) << 27 | off


cdef inline bint _in_vocab(const ucs_t* d, Py_ssize_t j, Py_ssize_t n, uint64_t h) noexcept nogil:
    """Is the ASCII word d[j:j+n] (any case) in the common-word list?"""
    cdef uint64_t slot = h & VOCAB_MASK, want = _slot(h, n, 0), v
    cdef uint64_t key_bits = ~((<uint64_t>1 << 27) - 1)  # hash half and length, not offset
    cdef Py_ssize_t x
    cdef const char* w
    v = VOCAB_SLOT[slot]
    while v != 0:
        if (v & key_bits) == want:
            w = VOCAB_CHARS + (v & ((<uint64_t>1 << 27) - 1))
            for x in range(n):
                if <char>_lower(d[j + x]) != w[x]:
                    break
            else:
                return True
        slot = (slot + 1) & VOCAB_MASK
        v = VOCAB_SLOT[slot]
    return False


cdef int64_t _pairs(const ucs_t* d, Py_ssize_t s, Py_ssize_t e) noexcept nogil:
    cdef int64_t total = 0
    cdef int a = _pair_cls(d[s]), b
    cdef Py_ssize_t i
    for i in range(s + 1, e):
        b = _pair_cls(d[i])
        total += PAIR[a * NCHAR + b]
        a = b
    return total


cdef inline int64_t _newline(int last) noexcept nogil:
    if last == WORD or last == DIGITS:
        return NEWLINE[0]
    return NEWLINE[1] if last == PUNCT else NEWLINE[2]


cdef int64_t _scan(
    const ucs_t* d, Py_ssize_t i, Py_ssize_t n, int64_t* lines, int64_t* nl_after
) noexcept nogil:
    """Units of d[i:n]; with ``lines``, also each line's units (its newline included); with
    ``nl_after``, what a newline appended to d[i:n] would add.

    One pass: a newline closes the line; a word's letters are classified and hashed (for
    the common-word lookup) in the same loop; boundary pairs and other scripts take a
    second pass over the piece only when they are what prices it.
    """
    cdef int64_t total = 0, line = 0
    cdef int c, nxt, prefix, last = NONE, sc, lsc, key
    cdef Py_ssize_t s, j, m, e, x, nline = 0, line_start = i
    cdef uint32_t ch, a, b
    cdef uint64_t h
    cdef bint ascii
    while i < n:
        s = i
        ch = d[i]
        if ch == 10:
            line += _newline(last)
            if lines != NULL:
                lines[nline] = line
                nline += 1
            total += line
            line = 0
            last = NONE
            i += 1
            line_start = i
            continue
        c = _cls(ch)
        nxt = _cls(d[i + 1]) if (c == SPACE or c == OTHER) and i + 1 < n else NL
        if _letter(c) or ((c == SPACE or c == OTHER) and ch != 13 and _letter(nxt)):
            if _letter(c):
                prefix = 0
            else:
                prefix = 1 if ch == 32 else 2
                i += 1
            j = i
            h = 0xCBF29CE484222325ULL
            ascii = True
            while i < n:  # [Lu Lt Lm Lo]* ...
                ch = d[i]
                c = _cls(ch)
                if c != UPPER and c != CASELESS:
                    break
                ascii = ascii and ch < 128
                h = (h ^ _lower(ch)) * 0x100000001B3ULL
                i += 1
            while i < n:  # ... then [Ll Lm Lo]*
                ch = d[i]
                c = _cls(ch)
                if c != LOWER and c != CASELESS:
                    break
                ascii = ascii and ch < 128
                h = (h ^ _lower(ch)) * 0x100000001B3ULL
                i += 1
            m = i
            e = m
            if e + 1 < n and d[e] == 39:  # an apostrophe: 's 't 'm 'd 're 've 'll, any case
                a = _lower(d[e + 1])
                b = _lower(d[e + 2]) if e + 2 < n else 0
                if (a == 114 and b == 101) or (a == 118 and b == 101) or (a == 108 and b == 108):
                    e += 3
                elif a == 115 or a == 116 or a == 109 or a == 100:
                    e += 2
            if not ascii:
                line += INTL_PREFIX if prefix != 0 else 0
                lsc = -1
                for x in range(j, m):
                    sc = _script(d[x])
                    line += INTL_RATE[sc]
                    if lsc >= 0 and sc != lsc:
                        line += INTL_CHANGE[sc]
                    lsc = sc
            elif _cls(d[j + 1] if m - j > 1 else d[j]) == UPPER:
                line += UPPER_T[prefix * 17 + (m - j if m - j < 16 else 16)]
            else:
                key = (0 if _cls(d[j]) == LOWER else 1) * 24 + _bucket(m - j) * 3 + prefix
                if 4 <= m - j <= VOCAB_MAX and _in_vocab(d, j, m - j, h):
                    line += BASE_VOCAB[key]
                    if prefix != 0:
                        line += PAIR[_pair_cls(d[s]) * NCHAR + _pair_cls(d[j])]
                else:
                    line += BASE_WORD[key] + _pairs(d, s, e)
            last = WORD
            i = e
        elif c == DIGIT:
            e = i + 1
            while e < n and e - i < 3 and _cls(d[e]) == DIGIT:
                e += 1
            line += DIGIT_T[e - i]
            last = DIGITS
            i = e
        elif c == OTHER or (ch == 32 and nxt == OTHER):
            ascii = ch < 128
            e = i + 1
            while e < n:
                ch = d[e]
                if _cls(ch) != OTHER:
                    break
                ascii = ascii and ch < 128
                e += 1
            while e < n and d[e] == 13:
                e += 1
            if ascii:
                line += BASE_PUNCT[_bucket(e - i)] + _pairs(d, i, e)
            else:
                line += OTHER_PUNCT[_bucket(e - i)]
            last = PUNCT
            i = e
        else:  # whitespace; a run before a non-space keeps its last char for the next piece
            ascii = ch == 32  # spaces only
            e = i + 1
            while e < n:
                ch = d[e]
                if ch == 10 or _cls(ch) != SPACE:
                    break
                ascii = ascii and ch == 32
                e += 1
            if e < n and d[e] != 10 and e - i >= 2:
                e -= 1
                if d[e] != 32:  # the char handed back was the only non-space?
                    ascii = True
                    for x in range(i, e):
                        if d[x] != 32:
                            ascii = False
                            break
            line += SPACE_T[(0 if ascii else 8) + _bucket(e - i)]
            last = BLANK
            i = e
    if lines != NULL and line_start < n:
        lines[nline] = line
    if nl_after != NULL:
        nl_after[0] = _newline(last)
    return total + line


cdef int64_t units_of(str text, Py_ssize_t start, Py_ssize_t end) noexcept:
    """Units of ``text[start:end]`` (0 <= start <= end <= len(text), not checked)."""
    cdef int kind = PyUnicode_KIND(text)
    cdef const void* d = PyUnicode_DATA(text)
    if kind == 1:
        return _scan(<const uint8_t*>d, start, end, NULL, NULL)
    if kind == 2:
        return _scan(<const uint16_t*>d, start, end, NULL, NULL)
    return _scan(<const uint32_t*>d, start, end, NULL, NULL)


cdef int64_t units_nl_of(str text, Py_ssize_t start, Py_ssize_t end) noexcept:
    """Units of ``text[start:end] + "\\n"`` (0 <= start <= end <= len(text), not checked)."""
    cdef int kind = PyUnicode_KIND(text)
    cdef const void* d = PyUnicode_DATA(text)
    cdef int64_t nl = 0, u
    if kind == 1:
        u = _scan(<const uint8_t*>d, start, end, NULL, &nl)
    elif kind == 2:
        u = _scan(<const uint16_t*>d, start, end, NULL, &nl)
    else:
        u = _scan(<const uint32_t*>d, start, end, NULL, &nl)
    return u + nl


cdef int64_t line_units_into(str text, int64_t* out, int64_t* nl_after) noexcept:
    """Units of ``text``; each line's units into ``out`` (``text.count("\\n") + 1`` entries),
    and into ``nl_after`` what a newline appended to ``text`` would add."""
    cdef int kind = PyUnicode_KIND(text)
    cdef const void* d = PyUnicode_DATA(text)
    cdef Py_ssize_t n = len(text)
    if kind == 1:
        return _scan(<const uint8_t*>d, 0, n, out, nl_after)
    if kind == 2:
        return _scan(<const uint16_t*>d, 0, n, out, nl_after)
    return _scan(<const uint32_t*>d, 0, n, out, nl_after)


cdef str _check(object text):
    if not isinstance(text, str):
        raise InvalidTypeError("text", f"expected str, got {type(text).__name__}")
    return <str>text


def units(text):
    """Estimated o200k_base tokens of ``text``, in 1/SCALE tokens."""
    cdef str t = _check(text)
    return units_of(t, 0, len(t))


def units_range(text, Py_ssize_t start, Py_ssize_t end):
    """``units(text[start:end])`` without slicing (bounds are clamped like a slice)."""
    cdef str t = _check(text)
    start, end, _ = slice(start, end).indices(len(t))
    return units_of(t, start, end) if start < end else 0


def count(text):
    """Estimated o200k_base tokens of ``text`` (0 for empty text, else at least 1)."""
    cdef str t = _check(text)
    cdef int64_t u = units_of(t, 0, len(t))
    return (u + _T.SCALE - 1) // _T.SCALE


def line_units(text):
    """Units per line (a line keeps its ``\\n``); they add up to ``units(text)`` exactly."""
    cdef str t = _check(text)
    cdef Py_ssize_t n = len(t), count = t.count("\n") + 1, i
    cdef int kind = PyUnicode_KIND(t)
    cdef const void* d = PyUnicode_DATA(t)
    cdef int64_t[::1] out = array("q", bytes(8 * count))
    if n == 0:
        return []
    if kind == 1:
        _scan(<const uint8_t*>d, 0, n, &out[0], NULL)
    elif kind == 2:
        _scan(<const uint16_t*>d, 0, n, &out[0], NULL)
    else:
        _scan(<const uint32_t*>d, 0, n, &out[0], NULL)
    if t[n - 1] == "\n":
        count -= 1
    return [out[i] for i in range(count)]
