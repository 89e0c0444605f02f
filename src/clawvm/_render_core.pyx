# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""Per-turn rendering, native twin of ``clawvm._render_py`` (same functions, same results).

The per-turn cost of a prompt is one pass over the stream order plus the message objects
themselves, which must be fresh every call; this module does both without the interpreter
in the loop. Every function here mirrors its namesake in ``_render_py`` line for line
(dict key order included), and tests compare the two on random streams.
"""

import numpy as np

cimport numpy as cnp
from cpython.dict cimport PyDict_Copy
from cpython.ref cimport PyObject
from libc.stdint cimport int64_t, uint8_t, uint16_t, uint32_t
from libc.stdlib cimport free, malloc

from clawvm._text cimport line_units_into, units_nl_of, units_of

cnp.import_array()

__all__ = [
    "CONTINUES",
    "anthropic_messages",
    "anthropic_system",
    "demand_arrays",
    "openai_messages",
    "responses_items",
    "system_text",
    "turn_items",
]

# The kinds of ``clawvm._stream``.
cdef enum:
    K_SYS = 0
    K_STABLE = 1
    K_USER = 2
    N_REPS = 5

CONTINUES = "[earlier conversation omitted]"

# Message templates: a copy of a small dict clones its key table instead of inserting each
# key again (most of a prompt's cost is its fresh message objects; measured with callgrind,
# a copy wins for these two and loses for Anthropic's blocks and nested call dicts).
# Never handed out.
cdef dict _USER = {"role": "user", "content": None}
cdef dict _TOOL = {"role": "tool", "tool_call_id": None, "content": None}


cdef inline dict _user(object text):
    cdef dict msg = PyDict_Copy(_USER)
    msg["content"] = text
    return msg


cdef void* _data(cnp.ndarray a, int typenum, Py_ssize_t n, str name) except NULL:
    """The data of a C-contiguous 1-d array of ``typenum`` with at least ``n`` entries."""
    if (
        cnp.PyArray_TYPE(a) != typenum
        or cnp.PyArray_NDIM(a) != 1
        or not cnp.PyArray_IS_C_CONTIGUOUS(a)
        or cnp.PyArray_DIM(a, 0) < n
    ):
        raise ValueError(f"turn_items: {name} must be a contiguous 1-d array of {n}+ entries")
    return cnp.PyArray_DATA(a)


def demand_arrays(object demands, dict slot_of, dict rep_of):
    """A turn's demands as (slots, reps) int64 arrays, or None: see ``_render_py``."""
    cdef Py_ssize_t n = len(demands), i = 0
    cdef object d, pid, want, rep, slot
    slots = np.empty(n, dtype=np.int64)
    reps = np.empty(n, dtype=np.int64)
    cdef int64_t* sv = <int64_t*>cnp.PyArray_DATA(slots)
    cdef int64_t* rv = <int64_t*>cnp.PyArray_DATA(reps)
    for d in demands:
        if i >= n:
            return None
        if type(d) is str:
            pid = d
            rep = 4
        elif type(d) is tuple and len(<tuple>d) == 2:
            pid = (<tuple>d)[0]
            want = (<tuple>d)[1]
            if type(want) is bool or type(pid) is not str:
                return None
            try:
                rep = rep_of.get(want)
            except TypeError:  # unhashable
                return None
            if rep is None:
                return None
        else:
            return None
        slot = slot_of.get(pid)
        if slot is None:
            return None
        sv[i] = slot
        rv[i] = rep
        i += 1
    return (slots, reps) if i == n else None


def turn_items(
    cnp.ndarray order,
    cnp.ndarray selection,
    cnp.ndarray code,
    cnp.ndarray tok,
    cnp.ndarray rtok,
    cnp.ndarray turn,
    cnp.ndarray items,
    cnp.ndarray prev_codes,
    cnp.ndarray prev_turns,
    object make,
):
    """(resident items in stream order, page tokens shared with the previous prompt's start,
    this prompt's item codes and turns): see ``_render_py.turn_items``."""
    cdef Py_ssize_t n = cnp.PyArray_DIM(order, 0), n_prev = cnp.PyArray_DIM(prev_codes, 0)
    cdef Py_ssize_t cap = cnp.PyArray_DIM(turn, 0), n_sel = cnp.PyArray_DIM(selection, 0)
    cdef const int64_t* o = <const int64_t*>_data(order, cnp.NPY_INT64, n, "order")
    cdef const uint8_t* sel = <const uint8_t*>_data(selection, cnp.NPY_UINT8, 0, "selection")
    cdef const int64_t* cd = <const int64_t*>_data(code, cnp.NPY_INT64, cap * N_REPS, "code")
    cdef const int64_t* tr = <const int64_t*>_data(turn, cnp.NPY_INT64, cap, "turn")
    cdef const int64_t* tk = <const int64_t*>_data(tok, cnp.NPY_INT64, cap * N_REPS, "tok")
    cdef const int64_t* rt = <const int64_t*>_data(rtok, cnp.NPY_INT64, cap * N_REPS, "rtok")
    cdef PyObject** it = <PyObject**>_data(items, cnp.NPY_OBJECT, cap * N_REPS, "items")
    cdef const int64_t* pc = <const int64_t*>_data(prev_codes, cnp.NPY_INT64, n_prev, "prev")
    cdef const int64_t* pt = <const int64_t*>_data(prev_turns, cnp.NPY_INT64, n_prev, "prev")
    cdef Py_ssize_t k, m = 0
    cdef int64_t s, f, c, t, shared = 0, run_turn = -1, run_rtok = 0
    cdef uint8_t r
    cdef bint same = True
    cdef list out = []
    codes = np.empty(n, dtype=np.int64)
    turns = np.empty(n, dtype=np.int64)
    cdef int64_t* cv = <int64_t*>cnp.PyArray_DATA(codes)
    cdef int64_t* tv = <int64_t*>cnp.PyArray_DATA(turns)
    for k in range(n):
        s = o[k]
        if s < 0 or s >= cap or s >= n_sel:
            raise ValueError(f"turn_items: slot {s} out of range")
        r = sel[s]
        if r == 0:
            continue
        if r >= N_REPS:
            raise ValueError(f"turn_items: rep {r} out of range")
        f = s * N_REPS + r
        if <object>it[f] is Ellipsis:  # not made yet: the page is shown above pointer
            make(s, r)
        out.append(<object>it[f])
        c = cd[f]
        t = tr[s]
        cv[m] = c
        tv[m] = t
        if same:
            if m < n_prev and pc[m] == c:
                shared += tk[f]
                if t != run_turn:
                    run_turn = t
                    run_rtok = 0
                run_rtok += rt[f]
            else:
                same = False
                if t >= 0 and t == run_turn:
                    shared -= run_rtok
        m += 1
    if same and m < n_prev and pt[m] >= 0 and pt[m] == run_turn:
        shared -= run_rtok
    return out, int(shared), codes[:m], turns[:m]


cpdef str system_text(str system, list items):
    """The system prompt and the rule pages (bootstrap, constraints), as one text."""
    cdef list parts = [system] if system else []
    cdef tuple it
    for it in items:
        if <long>it[0] != K_SYS:
            break
        parts.append(it[2])
    return "\n\n".join(parts)


cdef Py_ssize_t _stream_start(list items):
    cdef Py_ssize_t i = 0, n = len(items)
    while i < n and <long>(<tuple>items[i])[0] <= K_STABLE:
        i += 1
    return i


cdef str _stable_text(list items, Py_ssize_t end):
    cdef list parts = []
    cdef Py_ssize_t i
    cdef tuple it
    for i in range(end):
        it = <tuple>items[i]
        if <long>it[0] == K_STABLE:
            parts.append(it[2])
    return "\n\n".join(parts)


cdef Py_ssize_t _opening(str system, list items, list out) except -1:
    """Append the system message and the stable user message (OpenAI and Responses open the
    same way); returns where the stream starts."""
    cdef Py_ssize_t i
    sys_text = system_text(system, items)
    if sys_text:
        out.append({"role": "system", "content": sys_text})
    i = _stream_start(items)
    stable = _stable_text(items, i)
    if stable:
        out.append({"role": "user", "content": stable})
    return i


def openai_messages(str system, list items):
    """Chat Completions messages: system, the stable user message, then the stream."""
    cdef list out = []
    cdef list calls
    cdef dict msg, wire, fn, result
    cdef tuple it, call
    cdef long turn
    cdef Py_ssize_t i, n = len(items)
    i = _opening(system, items, out)
    while i < n:
        it = <tuple>items[i]
        i += 1
        if <long>it[0] == K_USER:
            out.append(_user(it[2]))
            continue
        turn = it[1]
        msg = {"role": "assistant"}
        out.append(msg)
        calls = None
        while True:
            if it[3] is None:
                msg["content"] = it[2]
            else:
                call = <tuple>it[3]
                fn = {"name": call[1], "arguments": call[2]}
                wire = {"id": call[0], "type": "function", "function": fn}
                if calls is None:
                    calls = [wire]
                    msg["tool_calls"] = calls
                else:
                    calls.append(wire)
                result = PyDict_Copy(_TOOL)
                result["tool_call_id"] = call[0]
                result["content"] = it[2]
                out.append(result)
            if i == n or <long>(<tuple>items[i])[1] != turn:
                break
            it = <tuple>items[i]
            i += 1
    if not out:  # the API rejects an empty list
        out.append({"role": "user", "content": CONTINUES})
    return out


def responses_items(str system, list items):
    """Responses API ``input`` items: messages, ``function_call`` and ``function_call_output``."""
    cdef list out = []
    cdef list results = []
    cdef tuple it, call
    cdef object c
    cdef long kind, turn
    cdef Py_ssize_t i, n = len(items)
    i = _opening(system, items, out)
    while i < n:
        it = <tuple>items[i]
        kind, turn, text, c = it[0], it[1], it[2], it[3]
        i += 1
        if c is None and results:
            out.extend(results)
            results = []
        if kind == K_USER:
            out.append(_user(text))
        elif c is None:
            out.append({"role": "assistant", "content": text})
        else:
            call = <tuple>c
            out.append(
                {"type": "function_call", "call_id": call[0], "name": call[1], "arguments": call[2]}
            )
            results.append({"type": "function_call_output", "call_id": call[0], "output": text})
        if results and (i == n or <long>(<tuple>items[i])[1] != turn):
            out.extend(results)
            results = []
    if not out:
        out.append({"role": "user", "content": CONTINUES})
    return out


cdef object _copy_json(object value):
    """A fresh copy of plain JSON (containers new, strings and numbers shared)."""
    if isinstance(value, dict):
        return {k: _copy_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy_json(v) for v in value]
    return value


def anthropic_system(str system, list items, bint cache):
    """Messages API ``system`` as text blocks; ``cache`` marks the last one for caching."""
    cdef list blocks = [{"type": "text", "text": system}] if system.strip() else []
    cdef tuple it
    for it in items:
        if <long>it[0] != K_SYS:
            break
        blocks.append({"type": "text", "text": it[2]})
    if cache and blocks:
        blocks[len(blocks) - 1]["cache_control"] = {"type": "ephemeral"}
    return blocks


def anthropic_messages(list items, bint cache):
    """Messages API ``messages``: strictly alternating, starting with a user message."""
    cdef list out = []
    cdef list said, results, stable
    cdef tuple it, call
    cdef object c
    cdef long kind, turn
    cdef Py_ssize_t i, j, n = len(items)
    i = _stream_start(items)
    stable = []
    for j in range(i):
        it = <tuple>items[j]
        if <long>it[0] == K_STABLE:
            stable.append({"type": "text", "text": it[2]})
    stable_end = stable[len(stable) - 1] if stable else None  # (later user blocks may join)
    if stable:
        out.append({"role": "user", "content": stable})
    while i < n:
        it = <tuple>items[i]
        kind, turn, text, c = it[0], it[1], it[2], it[3]
        i += 1
        if kind == K_USER:
            block = {"type": "text", "text": text}
            if out and out[len(out) - 1]["role"] == "user":
                out[len(out) - 1]["content"].append(block)
            else:
                out.append({"role": "user", "content": [block]})
            continue
        said = []
        results = []
        while True:
            if c is None:
                said.append({"type": "text", "text": text})
            else:
                call = <tuple>c
                use = {"type": "tool_use", "id": call[0], "name": call[1]}
                use["input"] = _copy_json(call[3])
                said.append(use)
                results.append({"type": "tool_result", "tool_use_id": call[0], "content": text})
            if i == n or <long>(<tuple>items[i])[1] != turn:
                break
            it = <tuple>items[i]
            kind, turn, text, c = it[0], it[1], it[2], it[3]
            i += 1
        if out and out[len(out) - 1]["role"] == "assistant":
            out[len(out) - 1]["content"].extend(said)
        else:
            out.append({"role": "assistant", "content": said})
        if results:
            out.append({"role": "user", "content": results})
    if not out or out[0]["role"] != "user":
        out.insert(0, {"role": "user", "content": [{"type": "text", "text": CONTINUES}]})
    if cache:
        if stable_end is not None:
            stable_end["cache_control"] = {"type": "ephemeral"}
        last = out[len(out) - 1]["content"]
        last[len(last) - 1]["cache_control"] = {"type": "ephemeral"}
    return out


# ------------------------------------------------------------------ evidence page-in
# ``evidence_texts`` makes a tool result's reps and prices them from one scan of the result:
# the token estimate is line-additive, so a text made of whole lines of the result costs the
# sum of those lines' units (``_text.line_units_into``) plus its own new lines, counted alone.

cdef extern from "Python.h":
    int PyUnicode_KIND(object o)
    const void* PyUnicode_DATA(object o)
    bint Py_UNICODE_ISSPACE(uint32_t ch) nogil

from libc.string cimport memchr, memcmp

from clawvm import _text_tables as _T
from clawvm.reps import ERROR_WORDS, PATH_EXTS

cdef int64_t SCALE = _T.SCALE
cdef frozenset _EXTS = PATH_EXTS
cdef tuple _ERRS = tuple(w.encode("ascii") for w in ERROR_WORDS)

cdef enum:
    LINE_CHARS = 160
    HEAD = 8
    TAIL = 4
    KEEP = 6
    MAX_PATHS = 8
    MAX_ERRORS = 5


cdef struct Line:
    Py_ssize_t start, end, rend  # [start, end) without its newline; rend: whitespace stripped
    bint has_nl
    int err  # names a failure (1) or not (0); -1 until asked (``_err``)


cdef inline uint32_t _low(uint32_t c) noexcept nogil:
    return c + 32 if 65 <= c <= 90 else c


cdef const char* ERR_WORD[8]
cdef Py_ssize_t ERR_LEN[8]
cdef uint8_t ERR_PAIR[26 * 26]  # per pair of ASCII letters: a bit for each error word it starts
cdef Py_ssize_t N_ERR = len(_ERRS)
if N_ERR > 8 or not all(_w[:2].isalpha() and _w.islower() for _w in _ERRS):
    raise RuntimeError("reps.ERROR_WORDS outgrew the native table")
for _i in range(26 * 26):
    ERR_PAIR[_i] = 0
for _i, _w in enumerate(_ERRS):
    ERR_WORD[_i] = _w
    ERR_LEN[_i] = len(_w)
    ERR_PAIR[(_w[0] - 97) * 26 + _w[1] - 97] |= 1 << _i

ctypedef fused ucs_t:
    uint8_t
    uint16_t
    uint32_t


cdef uint8_t CLS[128]  # per ASCII character: what it is to a path
cdef enum:
    C_PATH = 1  # [A-Za-z0-9_./-]
    C_WORD = 2  # [A-Za-z0-9_]
    C_DOT = 4
    C_SLASH = 8
for _i in range(128):
    _c = chr(_i)
    CLS[_i] = (
        (C_PATH if (_c.isascii() and (_c.isalnum() or _c in "_./-")) else 0)
        | (C_WORD if (_c.isascii() and (_c.isalnum() or _c == "_")) else 0)
        | (C_DOT if _c == "." else 0)
        | (C_SLASH if _c == "/" else 0)
    )


cdef bint _error_line(const ucs_t* d, Py_ssize_t s, Py_ssize_t e) noexcept nogil:
    """``reps.is_error_line`` of d[s:e]: one of ERROR_WORDS, ASCII case ignored. Each
    position is looked up by the pair of characters it starts; only a pair that starts an
    error word is compared further."""
    cdef Py_ssize_t i, x, w, m
    cdef const char* p
    cdef uint32_t a, b, bits
    for i in range(s, e - 1):
        a = _low(d[i]) - 97  # (wraps around below 'a')
        b = _low(d[i + 1]) - 97
        if a >= 26 or b >= 26:
            continue
        bits = ERR_PAIR[a * 26 + b]
        w = 0
        while bits:
            if bits & 1:
                p = ERR_WORD[w]
                m = ERR_LEN[w]
                if e - i >= m:
                    for x in range(2, m):
                        if _low(d[i + x]) != <uint32_t><unsigned char>p[x]:
                            break
                    else:
                        return True
            bits >>= 1
            w += 1
    return False


cdef bint _err(int kind, const void* d, Line* line) noexcept:
    """Does ``line`` name a failure? Judged the first time it is asked (few lines are)."""
    if line.err < 0:
        if line.rend <= line.start:
            line.err = 0
        elif kind == 1:
            line.err = _error_line(<const uint8_t*>d, line.start, line.rend)
        elif kind == 2:
            line.err = _error_line(<const uint16_t*>d, line.start, line.rend)
        else:
            line.err = _error_line(<const uint32_t*>d, line.start, line.rend)
    return line.err


cdef inline uint8_t _cls(uint32_t c) noexcept nogil:
    return CLS[c] if c < 128 else 0


cdef Py_ssize_t _lines(
    const ucs_t* d, Py_ssize_t n, Line* lines, Py_ssize_t* runs
) noexcept nogil:
    """Split d[0:n] into ``lines`` (stripped ends) and find the path candidates
    of ``reps.find_paths``: (start, end, last slash, last dot) per run into ``runs``, -1
    ended. Returns the number of lines."""
    cdef Py_ssize_t i = 0, s, e, j, k, nlines = 0, nruns = 0, slash, dot
    cdef uint32_t c
    cdef uint8_t t
    cdef bint ok
    while i < n:
        s = i
        while i < n:
            c = d[i]
            if c == 10:
                break
            if c >= 128 or not (CLS[c] & C_PATH):
                i += 1
                continue
            j = i  # a run of path characters
            slash = dot = -1
            while j < n:
                c = d[j]
                if c >= 128:
                    break
                t = CLS[c]
                if not (t & C_PATH):
                    break
                if t & C_SLASH:
                    slash = j
                elif t & C_DOT:
                    dot = j
                j += 1
            e = j
            while e > i and d[e - 1] == 46:
                e -= 1
            if dot >= e:
                dot = -1
                for k in range(i, e):
                    if d[k] == 46:
                        dot = k
            ok = False
            if slash >= 0:
                for k in range(slash + 1, e):
                    if _cls(d[k]) & C_WORD:
                        ok = True
                        break
            elif dot > i:
                for k in range(i, dot):
                    if _cls(d[k]) & C_WORD:
                        ok = True
                        break
            if ok:
                runs[4 * nruns] = i
                runs[4 * nruns + 1] = e
                runs[4 * nruns + 2] = slash
                runs[4 * nruns + 3] = dot
                nruns += 1
            i = j
        e = i
        while e > s and Py_UNICODE_ISSPACE(d[e - 1]):
            e -= 1
        lines[nlines].start = s
        lines[nlines].end = i
        lines[nlines].rend = e
        lines[nlines].has_nl = i < n
        lines[nlines].err = -1
        nlines += 1
        i += 1
    runs[4 * nruns] = -1
    return nlines


cdef list _paths(str text, const Py_ssize_t* runs):
    """``reps.find_paths`` from the candidate runs ``_lines`` found (a run that repeats the
    last path found, as a tool's output lines often do, is known without slicing it)."""
    cdef dict out = {}
    cdef Py_ssize_t r = 0, s, e, last = -1, size = PyUnicode_KIND(text)
    cdef const char* d = <const char*>PyUnicode_DATA(text)
    while runs[r] >= 0:
        s, e = runs[r], runs[r + 1]
        if (
            last >= 0
            and e - s == runs[last + 1] - runs[last]
            and memcmp(d + s * size, d + runs[last] * size, (e - s) * size) == 0
        ):
            pass
        elif runs[r + 2] >= 0 or text[runs[r + 3] + 1 : e] in _EXTS:
            out[text[s:e]] = None
            last = r
        r += 4
    return list(out)


cdef str _clip(str text, Py_ssize_t n):
    cdef str line = " ".join(text.split())
    return line if len(line) <= n else line[: n - 1].rstrip() + "…"


cdef str _plural(Py_ssize_t n, str what):
    return f"{n} {what}" if n == 1 else f"{n} {what}s"


cdef bint _blank(int kind, const void* d, Py_ssize_t n) noexcept:
    """Is the string all whitespace (``not text.strip()``)?"""
    cdef Py_ssize_t i
    for i in range(n):
        if kind == 1:
            if not Py_UNICODE_ISSPACE((<const uint8_t*>d)[i]):
                return False
        elif kind == 2:
            if not Py_UNICODE_ISSPACE((<const uint16_t*>d)[i]):
                return False
        elif not Py_UNICODE_ISSPACE((<const uint32_t*>d)[i]):
            return False
    return True


cdef inline int64_t _units(str text):
    return units_of(text, 0, len(text))


cdef int64_t U_CUT = units_of(" …", 0, 2)  # the mark after a line cut after a word
cdef int64_t U_CUT_NL = units_of(" …\n", 0, 3)


cdef int64_t _line(
    str result,
    int kind,
    const void* d,
    const Line* lines,
    const int64_t* lu,
    int64_t nl_after,
    Py_ssize_t k,
    bint followed,
    list out,
) except -1:
    """Units of result line ``k`` as a rep shows it (stripped, cut as ``reps._cut`` cuts),
    with a newline after it when ``followed``; its text appended to ``out`` unless None.
    Priced from the line's units where it is the line itself, else from the result in place."""
    cdef Py_ssize_t s = lines[k].start, e = lines[k].rend, p
    cdef int64_t u
    if e - s <= LINE_CHARS:
        if e == lines[k].end and followed and lines[k].has_nl:
            u = lu[k]
        elif e == lines[k].end and followed:  # the result's last line, without its newline
            u = lu[k] + nl_after
        elif e == lines[k].end and not lines[k].has_nl:
            u = lu[k]
        else:
            u = units_nl_of(result, s, e) if followed else units_of(result, s, e)
        if out is not None:
            out.append(result[s:e])
        return u
    for p in range(LINE_CHARS - 1, LINE_CHARS // 2 - 1, -1):
        if _char(kind, d, s + p) == 32 and not Py_UNICODE_ISSPACE(_char(kind, d, s + p - 1)):
            if out is not None:  # cut after a word: the cut mark is priced alone
                out.append(result[s : s + p] + " …")
            return units_of(result, s, s + p) + (U_CUT_NL if followed else U_CUT)
    line = result[s : s + LINE_CHARS - 1] + "…"
    if out is not None:
        out.append(line)
    return units_nl_of(line, 0, len(line)) if followed else units_of(line, 0, len(line))


cdef inline uint32_t _char(int kind, const void* d, Py_ssize_t i) noexcept:
    if kind == 1:
        return (<const uint8_t*>d)[i]
    if kind == 2:
        return (<const uint16_t*>d)[i]
    return (<const uint32_t*>d)[i]


cdef Py_ssize_t _newlines(int kind, const void* d, Py_ssize_t n) noexcept:
    """``text.count("\\n")`` of the string's data."""
    cdef Py_ssize_t count = 0, i
    cdef const char* p = <const char*>d
    cdef const char* end = p + n
    if kind == 1:
        while True:
            p = <const char*>memchr(p, 10, end - p)
            if p == NULL:
                return count
            count += 1
            p += 1
    for i in range(n):
        count += _char(kind, d, i) == 10
    return count


cdef inline int64_t _tokens(int64_t units) noexcept:
    return (units + SCALE - 1) // SCALE


def evidence_texts(
    str page_id, str call, str result, object exit, bint message, bint build=True
):
    """A tool result's default reps and what they render as and cost, from one scan.

    Returns (bodies, texts, counts): ``bodies`` the reps (full, compressed, structured,
    pointer) as ``reps.evidence_bodies`` makes them; ``texts`` and ``counts`` per rep
    (pointer, structured, compressed, full) what the prompt shows in a context role or,
    with ``message``, as a tool call's result (see ``_render.prepare``), and its tokens.
    ``exit`` is the exit status as text or None. Without ``build`` only the pointer's text
    is made (bodies are None, other texts None): a page-in needs the costs, and the texts
    are made when the page is first shown above pointer.
    """
    cdef int kind = PyUnicode_KIND(result)
    cdef const void* d = PyUnicode_DATA(result)
    cdef Py_ssize_t n = len(result), nl = _newlines(kind, d, n), nlines, k, m
    cdef Py_ssize_t nkept = 0, omitted = 0
    cdef int64_t total, nl_after, u
    cdef Line* lines = <Line*>malloc((nl + 1) * sizeof(Line))
    cdef int64_t* lu = <int64_t*>malloc((nl + 1) * sizeof(int64_t))
    cdef Py_ssize_t* kept = <Py_ssize_t*>malloc((nl + 1) * sizeof(Py_ssize_t))
    cdef Py_ssize_t* runs = <Py_ssize_t*>malloc((2 * n + 4) * sizeof(Py_ssize_t))
    if lines == NULL or lu == NULL or kept == NULL or runs == NULL:
        free(lines)
        free(lu)
        free(kept)
        free(runs)
        raise MemoryError()
    try:
        total = line_units_into(result, lu, &nl_after)
        # lines, their stripped ends and error flags; the non-blank ones in ``kept``
        if kind == 1:
            nlines = _lines(<const uint8_t*>d, n, lines, runs)
        elif kind == 2:
            nlines = _lines(<const uint16_t*>d, n, lines, runs)
        else:
            nlines = _lines(<const uint32_t*>d, n, lines, runs)
        for k in range(nlines):
            if lines[k].rend > lines[k].start:
                kept[nkept] = k
                nkept += 1
        tail = None if exit is None else f"[exit {exit}]"
        short = _clip(call, 120)
        # ---- full
        full = text_full = None
        if message:
            if tail is None:
                text_full, u_full = result, total
            elif n:
                u_full = total + nl_after + _units(tail)
            else:
                text_full, u_full = tail, _units(tail)
            if tail is None and _blank(kind, d, n):
                text_full = f"[page:{page_id} empty]"
                u_full = _units(text_full)
            elif build and text_full is None:
                text_full = f"{result}\n{tail}"
        else:
            head = f"[page:{page_id}]\n$ {call}\n"
            u_full = _units(head) + total + (0 if tail is None else nl_after + _units(tail))
        if build:
            full = f"$ {call}\n{result}" if tail is None else f"$ {call}\n{result}\n{tail}"
            if not message:
                text_full = f"[page:{page_id}]\n{full}"
        # ---- compressed: which kept lines, then text and units line by line
        body = []
        order = []  # per body line: the result line it shows, or -1 for the omission note
        if nkept <= HEAD + TAIL + 1:
            order = [kept[k] for k in range(nkept)]
        else:
            order = [kept[k] for k in range(HEAD)]
            errs = []
            for k in range(HEAD, nkept - TAIL):
                if len(errs) == KEEP:
                    break
                if _err(kind, d, &lines[kept[k]]):
                    errs.append(kept[k])
            order.append(-1)
            order.extend(errs)
            order.extend([kept[k] for k in range(nkept - TAIL, nkept)])
            omitted = nkept - HEAD - TAIL - len(errs)
        chead = f"[page:{page_id} compressed · degraded; page_in for full]\n$ {short}\n"
        u = _units(chead)
        m = len(order)
        for j in range(m):
            k = order[j]
            followed = j + 1 < m or tail is not None
            if k < 0:
                line = f"… {omitted} lines omitted …"
                u += units_nl_of(line, 0, len(line)) if followed else _units(line)
                if build:
                    body.append(line)
            else:
                u += _line(
                    result, kind, d, lines, lu, nl_after, k, followed, body if build else None
                )
        if tail is not None:
            u += _units(tail) if m else _units("\n" + tail)
        compressed = text_comp = None
        if build:
            compressed = f"$ {short}\n" + "\n".join(body) + ("" if tail is None else "\n" + tail)
            text_comp = chead + compressed[len(short) + 3 :]
        u_comp = u
        # ---- structured: a head counted as text, then error lines priced in place
        out = [f"[page:{page_id} structured · degraded; page_in for full]", f"tool: {short}"]
        if exit is not None:
            out.append(f"exit: {exit}")
        out.append(f"size: {_plural(nlines, 'line')}, {_plural(n, 'char')}")
        paths = _paths(result, runs)
        if paths:
            more = f" (+{len(paths) - MAX_PATHS} more)" if len(paths) > MAX_PATHS else ""
            out.append("paths: " + ", ".join(paths[:MAX_PATHS]) + more)
        errors = []
        for k in range(nkept):
            if len(errors) == MAX_ERRORS:
                break
            if _err(kind, d, &lines[kept[k]]):
                errors.append(kept[k])
        if errors:
            out.append("errors:")
        shead = "\n".join(out)
        u = units_nl_of(shead, 0, len(shead)) if errors else _units(shead)
        body = []
        for j in range(len(errors)):
            u += _line(
                result,
                kind,
                d,
                lines,
                lu,
                nl_after,
                errors[j],
                j + 1 < len(errors),
                body if build else None,
            )
        u_struct = u
        structured = text_struct = None
        if build:
            text_struct = shead + "\n" + "\n".join(body) if errors else shead
            structured = text_struct[text_struct.index("\n") + 1 :]
        # ---- pointer
        status = "" if exit is None else f" · exit {exit}"
        meta = _clip(f"{_clip(call, 32)} · {_plural(nlines, 'line')}{status}", 56)
        pointer = f"[page:{page_id} evidence · {meta}]"
        text_ptr = (
            f"[page:{page_id} result · {_plural(nlines, 'line')}{status}]" if message else pointer
        )
        counts = (_tokens(_units(text_ptr)), _tokens(u_struct), _tokens(u_comp), _tokens(u_full))
        if not build:
            return None, (text_ptr, None, None, None), counts
        bodies = (full, compressed, structured, pointer)
        return bodies, (text_ptr, text_struct, text_comp, text_full), counts
    finally:
        free(lines)
        free(lu)
        free(kept)
        free(runs)
