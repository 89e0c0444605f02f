# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""Per-turn rendering, native twin of ``clawvm._render_py`` (same functions, same results).

The per-turn cost of a prompt is one pass over the stream order plus the message objects
themselves, which must be fresh every call; this module does both without the interpreter
in the loop. Every function here mirrors its namesake in ``_render_py`` line for line
(dict key order included), and tests compare the two on random streams.
"""

import numpy as np

cimport numpy as cnp
from cpython.ref cimport PyObject
from libc.stdint cimport int64_t, uint8_t

cnp.import_array()

__all__ = [
    "CONTINUES",
    "anthropic_messages",
    "anthropic_system",
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


def openai_messages(str system, list items):
    """Chat Completions messages: system, the stable user message, then the stream."""
    cdef list out = []
    cdef list calls
    cdef dict msg, wire
    cdef tuple it, call
    cdef long turn
    cdef Py_ssize_t i, n = len(items)
    sys_text = system_text(system, items)
    if sys_text:
        out.append({"role": "system", "content": sys_text})
    i = _stream_start(items)
    stable = _stable_text(items, i)
    if stable:
        out.append({"role": "user", "content": stable})
    while i < n:
        it = <tuple>items[i]
        i += 1
        if <long>it[0] == K_USER:
            out.append({"role": "user", "content": it[2]})
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
                out.append({"role": "tool", "tool_call_id": call[0], "content": it[2]})
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
    sys_text = system_text(system, items)
    if sys_text:
        out.append({"role": "system", "content": sys_text})
    i = _stream_start(items)
    stable = _stable_text(items, i)
    if stable:
        out.append({"role": "user", "content": stable})
    while i < n:
        it = <tuple>items[i]
        kind, turn, text, c = it[0], it[1], it[2], it[3]
        i += 1
        if c is None and results:
            out.extend(results)
            results = []
        if kind == K_USER:
            out.append({"role": "user", "content": text})
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
