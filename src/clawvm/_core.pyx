# cython: language_level=3
# distutils: language = c++
"""Native per-turn engine: the compiled twin of ``clawvm._core_py``.

Same API, same results, same errors as the reference; tests check both on random tables.
The selection rules are the reference's (see its docstrings and ``docs/selection.md``);
this module only makes them fast. The page table is a set of numpy columns indexed by
slot; the per-turn kernels run without Python objects over raw column pointers.

Speed comes from orders kept sorted across turns, because their keys only change when a
page is added, updated or removed (or the score mode changes):

* ``_prio``: every page by Phase 1 priority (-pin, type class, -base, seq);
* ``_prefetch``: pages with a pointer by the static prefetch key (-recompute, -base, seq);
* ``_hot``: pages with a non-zero predicted re-demand, by (-predicted, static key). Decay
  multiplies every value alike, so the order survives a turn nearly intact and an
  insertion sort repairs it;
* ``_steps``: every hull edge of every page (one per from-rep: ``hull_next`` depends on
  costs only) by its *static* key (-ratio, seq, to), the score taken with recency 0 and
  future 0, with a mask of the start reps whose hull chain passes through the edge.

Only pages with non-zero recency (``_active``) or an oracle future have another score
this turn: they are *dynamic*, and their hull edges are made per turn. Phase 2's upgrade
pass (see ``_upgrade_pass``) finds the first edge that does not fit (the *cut*) by a
weighted quickselect over the dynamic edges and prefix sums of the static ones, applies
everything before it at once, and walks only what can still do something after it,
merging the static order, the sorted dynamic edges and a small heap of retries.
"""

from cpython.long cimport PyLong_AsLongLongAndOverflow
from libc.math cimport INFINITY, isfinite
from libc.stdint cimport int32_t, int64_t, uint8_t, uint32_t, uint64_t
from libc.string cimport memcpy, memmove, memset
from libcpp.algorithm cimport sort
from libcpp.vector cimport vector

cimport numpy as cnp
import numpy as np

from clawvm import _core_py
from clawvm._schema import (
    COLUMNS,
    CRITICAL_SHARE as _CRITICAL_SHARE,
    EXACT_CELLS as _EXACT_CELLS,
    DEMAND_REISSUES_TOOL as _DEMAND_REISSUES_TOOL,
    FREE_SLOT as _FREE_SLOT,
    MAX_TOKENS as _MAX_TOKENS,
    N_OUTCOMES as _N_OUTCOMES,
    ORACLE_W_FUTURE as _ORACLE_W_FUTURE,
    PATH_MASK,
    PIN_BOOST as _PIN_BOOST,
    PREDICT_DECAY as _PREDICT_DECAY,
    PREDICT_FLOOR as _PREDICT_FLOOR,
    RECENCY_DECAY as _RECENCY_DECAY,
    RECENCY_FLOOR as _RECENCY_FLOOR,
    RECENCY_MODE_W_RECENCY as _RECENCY_MODE_W_RECENCY,
    RECENCY_MODE_W_RECOMPUTE as _RECENCY_MODE_W_RECOMPUTE,
    W_RECENCY as _W_RECENCY,
    W_RECOMPUTE as _W_RECOMPUTE,
    PageType,
    ScoreMode,
)
from clawvm.errors import InvalidInputError, InvariantViolation

cnp.import_array()

__all__ = ["Engine"]

# Codes mirrored from clawvm._schema (tests/test_schema.py checks they agree).
cdef enum:
    NONE = 0
    POINTER = 1
    FULL = 4
    BOOTSTRAP = 0
    CONSTRAINT = 1
    EVIDENCE = 4
    PIN_HARD = 2
    MODE_CLAWVM = 0
    MODE_LRU = 1
    MODE_RECENCY = 2
    MODE_ORACLE = 3
    HIT = 0
    PAGE_IN = 1
    POST_COMPACTION_BOOTSTRAP = 2
    PINNED_INVARIANT = 3
    DUPLICATE_TOOL = 4
    REFETCH = 5
    FREE = 255
    N_TYPES = 6
    NO_CEILING = 5      # above every rep
    # per-turn slot marks
    MARK_REQ = 7        # low bits: required rep
    MARK_UNMET = 8
    MARK_LISTED = 0x10  # Phase 1: a demanded page already listed for the search
    # Phase 2 rewrites the marks: 1 << a page's current step (a static page), or one of
    # these (none has a low bit, so an edge's start-step mask tests a mark with one AND)
    P2_DYNZERO = 0x20   # dynamic, value 0 this turn
    P2_DYNAMIC = 0x40   # dynamic, value > 0 this turn
    P2_SKIP = 0x80      # free or unmet
    P2_NOT_STATIC = 0xE0

#: Code values as this module sees them, for the agreement test.
SCHEMA = dict(NONE=NONE, POINTER=POINTER, FULL=FULL, BOOTSTRAP=BOOTSTRAP,
              CONSTRAINT=CONSTRAINT, EVIDENCE=EVIDENCE, PIN_HARD=PIN_HARD,
              MODE_LRU=MODE_LRU, MODE_RECENCY=MODE_RECENCY, MODE_ORACLE=MODE_ORACLE,
              PAGE_IN=PAGE_IN, POST_COMPACTION_BOOTSTRAP=POST_COMPACTION_BOOTSTRAP,
              PINNED_INVARIANT=PINNED_INVARIANT, DUPLICATE_TOOL=DUPLICATE_TOOL,
              REFETCH=REFETCH, FREE=FREE, N_OUTCOMES=_N_OUTCOMES,
              DEMAND_REISSUES_TOOL=_DEMAND_REISSUES_TOOL)

cdef double PIN_BOOST[3]
PIN_BOOST[:] = [_PIN_BOOST[0], _PIN_BOOST[1], _PIN_BOOST[2]]
cdef double W_REC = _W_RECENCY, W_RC = _W_RECOMPUTE
cdef double RM_REC = _RECENCY_MODE_W_RECENCY, RM_RC = _RECENCY_MODE_W_RECOMPUTE
cdef double W_FUT = _ORACLE_W_FUTURE, DECAY = _RECENCY_DECAY, REC_FLOOR = _RECENCY_FLOOR
cdef double P_DECAY = _PREDICT_DECAY, P_FLOOR = _PREDICT_FLOOR
cdef double CRIT_SHARE = _CRITICAL_SHARE
cdef int64_t EXACT_CELLS = _EXACT_CELLS
cdef int64_t MAX_BUDGET = 2 ** 62
cdef int64_t MAX_TOKENS = _MAX_TOKENS
cdef int64_t REISSUES = _DEMAND_REISSUES_TOOL
cdef Py_ssize_t NOGIL_MIN_SLOTS = 1024  # smaller tables keep the GIL for the turn

# Degradation paths: PATH[t][k] is the k-th rep of type t (k = 0 is none), PATH_LEN[t]
# the number of entries, STEP_OF[t][r] the index (level) of rep r on the path.
cdef uint8_t MASK[N_TYPES]
cdef uint8_t PATH[N_TYPES][5]
cdef uint8_t PATH_LEN[N_TYPES]
cdef uint8_t STEP_OF[N_TYPES][5]
# Phase 2's mark of a page of type byte t (FREE included) at rep r: 1 << its step, or
# P2_SKIP when the slot is free (a lookup, so the per-slot loop needs no branch).
cdef uint8_t STEP_BIT[256][8]
# The reps a slot of type byte t may be selected at, as bits: none, and its path's reps (a
# free slot: none only).
cdef uint8_t SELECTABLE[256]


cdef object _plain_page(object ptype, object tokens, object floor, object pin, object base,
                        object recompute):
    """``_core_py.check_page``'s result when every column is a plain, valid value (ints, a
    tuple of 4 ints, floats); None otherwise, and ``check_page`` takes over (other numeric
    types, or the typed error). The fast path of a harness adding one page."""
    cdef long t, f, p, c, last = 0
    cdef int r
    if (type(ptype) is not int or type(floor) is not int or type(pin) is not int
            or type(tokens) is not tuple or len(<tuple>tokens) != 4
            or type(base) is not float or type(recompute) is not float):
        return None
    for r in range(4):
        if type((<tuple>tokens)[r]) is not int:
            return None
    try:
        t, f, p = ptype, floor, pin
        if not 0 <= t < N_TYPES or not 0 <= p <= 2:
            return None
        if not 0 <= f <= 4 or (f != 0 and not MASK[t] >> f & 1):
            return None
        for r in range(4):
            c = (<tuple>tokens)[r]
            if not MASK[t] >> (r + 1) & 1:
                if c != 0:
                    return None
            elif c < last or c > MAX_TOKENS:
                return None
            else:
                last = c
    except OverflowError:  # a huge int: out of range anyway
        return None
    if not isfinite(<double>base) or not isfinite(<double>recompute) or <double>recompute < 0:
        return None
    return (t, tokens, f, p, base, recompute)


cdef void _init_paths():
    cdef int t, r, k
    for t in range(N_TYPES):
        MASK[t] = PATH_MASK[PageType(t)]
        k = 0
        PATH[t][0] = NONE
        STEP_OF[t][0] = 0
        for r in range(1, 5):
            STEP_OF[t][r] = 0
            if MASK[t] >> r & 1:
                k += 1
                PATH[t][k] = r
                STEP_OF[t][r] = k
        PATH_LEN[t] = k + 1
    for t in range(256):
        SELECTABLE[t] = (MASK[t] if t < N_TYPES else 0) | (1 << NONE)
        for r in range(8):
            STEP_BIT[t][r] = (1 << STEP_OF[t][r]) if t < N_TYPES and r < 5 else P2_SKIP


_init_paths()


cdef extern from *:
    """
    #include <algorithm>
    #include <cstdint>
    #include <vector>
    /* A sort key: three unsigned words compared in order, and what it sorts. */
    struct ClawKey { uint64_t a, b, c; uint32_t payload; int32_t delta; };
    static inline bool claw_key_less(const ClawKey& x, const ClawKey& y) {
        if (x.a != y.a) return x.a < y.a;
        if (x.b != y.b) return x.b < y.b;
        return x.c < y.c;
    }
    /* std::sort with an inlined comparator (a function pointer would not inline). */
    static inline void claw_sort(ClawKey* first, size_t n) {
        std::sort(first, first + n, [](const ClawKey& x, const ClawKey& y) {
            return claw_key_less(x, y);
        });
    }
    /* A min-heap of keys (the smallest key on top). */
    static inline void claw_heap_push(std::vector<ClawKey>& h, const ClawKey& k) {
        h.push_back(k);
        std::push_heap(h.begin(), h.end(), [](const ClawKey& x, const ClawKey& y) {
            return claw_key_less(y, x);
        });
    }
    static inline ClawKey claw_heap_pop(std::vector<ClawKey>& h) {
        std::pop_heap(h.begin(), h.end(), [](const ClawKey& x, const ClawKey& y) {
            return claw_key_less(y, x);
        });
        ClawKey k = h.back();
        h.pop_back();
        return k;
    }
    """
    ctypedef struct Key "ClawKey":
        uint64_t a
        uint64_t b
        uint64_t c
        uint32_t payload
        int32_t delta
    bint key_less "claw_key_less"(const Key& x, const Key& y) noexcept nogil
    void key_sort "claw_sort"(Key* first, size_t n) noexcept nogil
    void heap_push "claw_heap_push"(vector[Key]& h, const Key& k) noexcept nogil
    Key heap_pop "claw_heap_pop"(vector[Key]& h) noexcept nogil


cdef struct DynItem:
    # a dynamic hull edge during the cut search: ratio key, entry (slot << 2 | from
    # step), token delta; its target rep is ``_hull[entry].to``
    uint64_t a
    uint32_t payload
    int32_t delta


cdef struct HullEdge:
    # a page's hull edge from one step (no ceiling): token cost (and as a double, 0 when
    # it does not grow, so that a ratio divided by it is inf), ``_fit`` of the step, target
    # rep, target step, levels gained
    double per
    int32_t delta
    int32_t fit
    uint8_t to
    uint8_t kt
    uint8_t dl


cdef union Bits:
    double d
    uint64_t u


cdef inline double clawvm_score(double base, uint8_t pin, double rc, double rec) noexcept nogil:
    """A page's score in the clawvm mode (the oracle's without its future term)."""
    return base + PIN_BOOST[pin] + W_REC * rec + W_RC * rc


cdef inline double score_of(int mode, double base, uint8_t pin, double rc, double rec,
                            int32_t fut) noexcept nogil:
    """A page's score under ``mode`` (the reference's ``score``)."""
    cdef double score
    if mode == MODE_LRU:
        return rec
    if mode == MODE_RECENCY:
        return base + RM_REC * rec + RM_RC * rc
    score = clawvm_score(base, pin, rc, rec)
    if mode == MODE_ORACLE:
        score = score + W_FUT * <double>fut
    return score


cdef inline uint64_t desc_key(double x) noexcept nogil:
    cdef Bits v
    v.d = x + 0.0
    # ascending key: flip all bits of negatives, only the sign bit of positives
    return ~(v.u ^ ((<uint64_t>0 - (v.u >> 63)) | (<uint64_t>1 << 63)))


cdef uint64_t INF_KEY = desc_key(float("inf"))


cdef inline double key_ratio(uint64_t key) noexcept nogil:
    """Inverse of ``desc_key``."""
    cdef Bits v
    cdef uint64_t asc = ~key
    v.u = (asc ^ (<uint64_t>1 << 63)) if asc >> 63 else ~asc
    return v.d


cdef inline void raise_to(uint8_t* sel, uint32_t entry, uint8_t to) noexcept nogil:
    """The page of ``entry`` (slot << 2 | step) at ``to`` if that is higher."""
    cdef uint8_t* at = sel + (entry >> 2)
    if to > at[0]:
        at[0] = to


cdef void _erase_value(vector[int32_t]* v, int32_t value) noexcept nogil:
    cdef size_t i
    for i in range(v.size()):
        if v[0][i] == value:
            v.erase(v.begin() + i)
            return


cdef inline int type_class(uint8_t t) noexcept nogil:
    return 0 if t == BOOTSTRAP else (1 if t == CONSTRAINT else 2)


cdef inline uint8_t round_up(uint8_t t, int rep) noexcept nogil:
    cdef int r = rep if rep > 1 else 1
    while not (MASK[t] >> r & 1):
        r += 1
    return <uint8_t>r


cdef class Engine:
    """Per-turn policy engine over numpy page-table columns (native twin of the reference)."""

    # numpy columns (the owners) and raw pointers into them
    cdef object _tokens_a, _ptype_a, _floor_a, _pin_a, _base_a, _recompute_a, _recency_a
    cdef object _future_a, _predicted_a, _dirty_a, _version_a, _seq_a, _selection_a
    cdef object _counters_a
    cdef int32_t* tok
    cdef uint8_t* ptype_
    cdef uint8_t* floor_
    cdef uint8_t* pin_
    cdef double* base_
    cdef double* rc_
    cdef double* rec_
    cdef int32_t* fut_
    cdef double* pred_
    cdef uint8_t* dirty_
    cdef uint32_t* version_
    cdef int64_t* seq_
    cdef uint8_t* sel_
    cdef int64_t* counters_

    cdef readonly Py_ssize_t capacity, n_slots, n_pages
    cdef readonly int64_t tokens_used
    cdef readonly int score_mode
    cdef readonly bint auto_pin_hard, prefetch_pointers, evidence_pointers_resolve
    cdef readonly bint prefetch_prediction, upgrades
    cdef readonly object outcomes
    cdef int64_t _next_seq
    cdef vector[int32_t] _free
    cdef vector[int32_t] _unmet
    # cached orders (see the module docstring)
    cdef vector[int32_t] _prio
    cdef vector[int32_t] _prefetch
    cdef int64_t _ptr_total          # pointer costs of every page that has a pointer
    cdef vector[int32_t] _hot        # pages with non-zero predicted re-demand
    cdef bint _hot_sorted
    cdef vector[uint32_t] _steps     # static hull edges: slot << 2 | from step
    cdef vector[uint64_t] _step_a    # the edge's static ratio key
    cdef vector[uint8_t] _step_to    # the edge's target rep
    cdef vector[int32_t] _step_delta  # its token cost
    cdef vector[int32_t] _step_fit   # fewest tokens with which it can do anything
    cdef vector[uint8_t] _step_reach  # start steps whose hull chain passes through it
    cdef vector[int32_t] _zero       # pages whose static value is 0, by sequence number
    cdef vector[HullEdge] _hull      # per slot and from-step: hull edge (no ceiling)
    cdef vector[int32_t] _active     # pages with non-zero recency
    cdef vector[int32_t] _futures    # pages with a non-zero oracle future
    # per-turn scratch
    cdef vector[uint8_t] _mark
    cdef vector[uint8_t] _has_ptr    # per slot: 1 if its page has a pointer rep
    cdef vector[uint8_t] _start
    cdef vector[uint8_t] _kept
    cdef vector[uint8_t] _ceil
    cdef vector[DynItem] _dyn
    cdef vector[uint8_t] _dsel       # the cut search: dynamic pages' reps before it
    cdef vector[Key] _post
    cdef vector[Key] _heap
    cdef vector[Key] _keys
    cdef vector[int32_t] _by_seq     # every live page, by sequence number
    cdef vector[int32_t] _dzero      # this turn's dynamic pages of value 0
    cdef vector[int32_t] _dynlist    # this turn's dynamic pages of value > 0 ...
    cdef vector[double] _dynv        # ... and their values
    cdef vector[int32_t] _group
    cdef vector[double] _best
    cdef vector[double] _next_best
    cdef vector[uint8_t] _pick
    cdef vector[uint32_t] _live
    cdef vector[int64_t] _cum
    cdef size_t _n_live
    # The live static edges are kept across turns: ``_lmark`` holds the marks they were
    # found with, ``_step_at`` each edge's index in ``_steps`` (by slot << 2 | from step);
    # ``_live_ok`` is cleared whenever the static order changes.
    cdef vector[uint8_t] _lmark
    cdef vector[uint32_t] _step_at
    cdef vector[uint32_t] _live2
    cdef vector[int64_t] _cum2
    cdef vector[uint32_t] _chg
    cdef size_t _kept_live
    cdef bint _live_ok
    cdef double _cut_ratio
    cdef double _cut_spread  # how far the cut's ratio has moved between turns of late
    cdef bint _has_cut
    cdef int32_t _crit_s
    cdef uint8_t _crit_from, _crit_to

    def __init__(self, capacity=64, *, score_mode=0, auto_pin_hard=True,
                 prefetch_pointers=True, evidence_pointers_resolve=True,
                 prefetch_prediction=True, upgrades=True):
        cdef Py_ssize_t cap = _core_py._as_int("capacity", capacity)
        if cap < 1:
            raise InvalidInputError("capacity", f"must be >= 1, got {cap}")
        self._alloc(cap)
        self.n_slots = 0
        self.n_pages = 0
        self._next_seq = 0
        self._ptr_total = 0
        self._cut_spread = 0.05
        self._hot_sorted = True
        self._counters_a = np.zeros(_N_OUTCOMES, dtype=np.int64)
        self.counters_ = <int64_t*>cnp.PyArray_DATA(self._counters_a)
        self.outcomes = np.zeros(0, dtype=np.uint8)
        self.tokens_used = 0
        self.score_mode = 0
        self.auto_pin_hard = True
        self.prefetch_pointers = True
        self.evidence_pointers_resolve = True
        self.prefetch_prediction = True
        self.upgrades = True
        self.configure(score_mode=score_mode, auto_pin_hard=auto_pin_hard,
                       prefetch_pointers=prefetch_pointers,
                       evidence_pointers_resolve=evidence_pointers_resolve,
                       prefetch_prediction=prefetch_prediction, upgrades=upgrades)

    # ------------------------------------------------------------------ configuration
    def configure(self, *, score_mode=None, auto_pin_hard=None, prefetch_pointers=None,
                  evidence_pointers_resolve=None, prefetch_prediction=None, upgrades=None):
        """Change policy flags; ``None`` leaves a flag as it is."""
        if score_mode is not None:
            mode = _core_py._as_int("score_mode", score_mode)
            if mode not in ScoreMode._value2member_map_:
                raise InvalidInputError("score_mode", f"{mode} is not a ScoreMode")
            if mode != self.score_mode:
                self.score_mode = mode
                self._rebuild_steps()
        if auto_pin_hard is not None:
            self.auto_pin_hard = bool(auto_pin_hard)
        if prefetch_pointers is not None:
            self.prefetch_pointers = bool(prefetch_pointers)
        if evidence_pointers_resolve is not None:
            self.evidence_pointers_resolve = bool(evidence_pointers_resolve)
        if prefetch_prediction is not None:
            self.prefetch_prediction = bool(prefetch_prediction)
        if upgrades is not None:
            self.upgrades = bool(upgrades)

    # ------------------------------------------------------------------ storage
    cdef _alloc(self, Py_ssize_t cap):
        self.capacity = cap
        self._tokens_a = np.zeros((cap, 4), dtype=COLUMNS["tokens"])
        self._ptype_a = np.full(cap, _FREE_SLOT, dtype=COLUMNS["ptype"])
        self._floor_a = np.zeros(cap, dtype=COLUMNS["floor"])
        self._pin_a = np.zeros(cap, dtype=COLUMNS["pin"])
        self._base_a = np.zeros(cap, dtype=COLUMNS["base"])
        self._recompute_a = np.zeros(cap, dtype=COLUMNS["recompute"])
        self._recency_a = np.zeros(cap, dtype=COLUMNS["recency"])
        self._future_a = np.zeros(cap, dtype=COLUMNS["future"])
        self._predicted_a = np.zeros(cap, dtype=COLUMNS["predicted"])
        self._dirty_a = np.zeros(cap, dtype=COLUMNS["dirty"])
        self._version_a = np.zeros(cap, dtype=COLUMNS["version"])
        self._seq_a = np.zeros(cap, dtype=COLUMNS["seq"])
        self._selection_a = np.zeros(cap, dtype=COLUMNS["selection"])
        self._bind()
        self._mark.resize(cap, 0)
        self._has_ptr.resize(cap, 0)
        self._hull.resize(4 * cap)
        self._start.resize(cap, 0)
        self._kept.resize(cap, 0)
        self._ceil.resize(cap, 0)
        self._lmark.resize(cap, 0)
        self._step_at.resize(4 * cap, 0)

    cdef _bind(self):
        self.tok = <int32_t*>cnp.PyArray_DATA(self._tokens_a)
        self.ptype_ = <uint8_t*>cnp.PyArray_DATA(self._ptype_a)
        self.floor_ = <uint8_t*>cnp.PyArray_DATA(self._floor_a)
        self.pin_ = <uint8_t*>cnp.PyArray_DATA(self._pin_a)
        self.base_ = <double*>cnp.PyArray_DATA(self._base_a)
        self.rc_ = <double*>cnp.PyArray_DATA(self._recompute_a)
        self.rec_ = <double*>cnp.PyArray_DATA(self._recency_a)
        self.fut_ = <int32_t*>cnp.PyArray_DATA(self._future_a)
        self.pred_ = <double*>cnp.PyArray_DATA(self._predicted_a)
        self.dirty_ = <uint8_t*>cnp.PyArray_DATA(self._dirty_a)
        self.version_ = <uint32_t*>cnp.PyArray_DATA(self._version_a)
        self.seq_ = <int64_t*>cnp.PyArray_DATA(self._seq_a)
        self.sel_ = <uint8_t*>cnp.PyArray_DATA(self._selection_a)

    cdef list _columns(self):
        return [self._tokens_a, self._ptype_a, self._floor_a, self._pin_a, self._base_a,
                self._recompute_a, self._recency_a, self._future_a, self._predicted_a,
                self._dirty_a, self._version_a, self._seq_a, self._selection_a]

    cdef _grow(self, Py_ssize_t need):
        cdef Py_ssize_t cap = self.capacity
        while cap < need:
            cap *= 2
        if cap == self.capacity:
            return
        old = self._columns()
        n = self.n_slots
        self._alloc(cap)
        for a, b in zip(old, self._columns()):
            b[:n] = a[:n]

    @property
    def tokens(self): return self._tokens_a
    @property
    def ptype(self): return self._ptype_a
    @property
    def floor(self): return self._floor_a
    @property
    def pin(self): return self._pin_a
    @property
    def base(self): return self._base_a
    @property
    def recompute(self): return self._recompute_a
    @property
    def recency(self): return self._recency_a
    @property
    def future(self): return self._future_a
    @property
    def predicted(self): return self._predicted_a
    @property
    def dirty(self): return self._dirty_a
    @property
    def version(self): return self._version_a
    @property
    def seq(self): return self._seq_a
    @property
    def selection(self): return self._selection_a
    @property
    def counters(self): return self._counters_a

    @property
    def table_nbytes(self):
        """Bytes held by the page-table columns (capacity slots)."""
        return sum(getattr(self, name).nbytes for name in COLUMNS)

    @property
    def index_nbytes(self):
        """Bytes held by the cached orders and per-turn scratch (derived from the table)."""
        return (4 * (self._prio.capacity() + self._prefetch.capacity() + self._hot.capacity()
                     + self._by_seq.capacity() + self._dynlist.capacity()
                     + self._steps.capacity() + 2 * self._step_a.capacity()
                     + self._step_delta.capacity()
                     + self._step_fit.capacity() + self._zero.capacity() + self._active.capacity()
                     + self._futures.capacity() + self._free.capacity() + self._unmet.capacity()
                     + self._dzero.capacity() + self._group.capacity() + self._live.capacity())
                + self._step_to.capacity() + self._step_reach.capacity()
                + sizeof(HullEdge) * self._hull.capacity()
                + self._mark.capacity() + self._start.capacity() + self._kept.capacity()
                + self._ceil.capacity() + 8 * (self._cum.capacity() + self._cum2.capacity())
                + self._lmark.capacity()
                + 4 * (self._step_at.capacity() + self._live2.capacity() + self._chg.capacity())
                + sizeof(DynItem) * self._dyn.capacity() + self._dsel.capacity()
                + self._pick.capacity()
                + 8 * (self._dynv.capacity() + self._best.capacity() + self._next_best.capacity())
                + sizeof(Key) * (self._post.capacity() + self._heap.capacity()
                                 + self._keys.capacity()))

    # ------------------------------------------------------------------ scores and hulls
    cdef inline double _score(self, Py_ssize_t s, double rec, int32_t fut) noexcept nogil:
        return score_of(self.score_mode, self.base_[s], self.pin_[s], self.rc_[s], rec, fut)

    cdef inline double _value(self, Py_ssize_t s) noexcept nogil:
        """This turn's per-level value: max(score, 0)."""
        cdef double score = self._score(s, self.rec_[s], self.fut_[s])
        return score if score > 0.0 else 0.0

    cdef inline int64_t _cost(self, Py_ssize_t s, int rep) noexcept nogil:
        cdef int on = rep != NONE  # branchless: rep none reads column 0 and multiplies by 0
        return on * <int64_t>self.tok[4 * s + rep - on]

    cdef uint8_t _hull_next(self, Py_ssize_t s, uint8_t frm, uint8_t ceiling) noexcept nogil:
        """``hull_next`` of the reference: the best dlevel/dcost above ``frm`` below ``ceiling``."""
        cdef uint8_t t = self.ptype_[s]
        cdef int i = STEP_OF[t][frm], j
        cdef int64_t base = self._cost(s, frm), dl, dc, bdl = 0, bdc = 1
        cdef uint8_t best = frm, r
        for j in range(i + 1, PATH_LEN[t]):
            r = PATH[t][j]
            if r >= ceiling:
                break
            dl = j - i
            dc = self._cost(s, r) - base
            if best == frm or dl * bdc >= bdl * dc:
                best = r
                bdl = dl
                bdc = dc
        return best

    cdef inline Key _edge_key(self, Py_ssize_t s, uint8_t frm, uint8_t to, double v) noexcept nogil:
        """Sort key of the edge ``frm -> to`` of page ``s`` at per-level value ``v``."""
        cdef uint8_t t = self.ptype_[s]
        cdef int64_t dc = self._cost(s, to) - self._cost(s, frm)
        cdef Key key
        key.a = (desc_key(v * <double>(STEP_OF[t][to] - STEP_OF[t][frm]) / <double>dc)
                 if dc > 0 else INF_KEY)
        key.b = <uint64_t>self.seq_[s]
        key.c = (<uint64_t>to << 2) | STEP_OF[t][frm]  # target rep, then (unique) from-step
        key.payload = (<uint32_t>s << 2) | STEP_OF[t][frm]
        key.delta = <int32_t>dc
        return key

    cdef inline Key _static_key_at(self, size_t si) noexcept nogil:
        """Static key of the ``si``-th cached edge (value with recency 0 and future 0): the
        ``_edge_key`` it was indexed with."""
        cdef uint32_t entry = self._steps[si]
        cdef Key key
        key.a = self._step_a[si]
        key.b = <uint64_t>self.seq_[entry >> 2]
        key.c = (<uint64_t>self._step_to[si] << 2) | (entry & 3)
        key.payload = entry
        key.delta = self._step_delta[si]
        return key

    cdef inline int64_t _fit(self, Py_ssize_t s, uint8_t frm) noexcept nogil:
        """Fewest tokens with which an edge from ``frm`` can do anything: the next rep's
        extra cost (the edge itself, or a retry toward a rep between, needs at least that)."""
        cdef uint8_t t = self.ptype_[s]
        return self._cost(s, PATH[t][STEP_OF[t][frm] + 1]) - self._cost(s, frm)

    # ------------------------------------------------------------------ cached orders
    cdef inline Key _prio_key(self, int32_t s) noexcept nogil:
        cdef Key k
        k.a = <uint64_t>((2 - self.pin_[s]) * 4 + type_class(self.ptype_[s]))
        k.b = desc_key(self.base_[s])
        k.c = <uint64_t>self.seq_[s]
        k.payload = <uint32_t>s
        return k

    cdef inline Key _prefetch_key(self, int32_t s) noexcept nogil:
        cdef Key k
        k.a = desc_key(self.rc_[s])
        k.b = desc_key(self.base_[s])
        k.c = <uint64_t>self.seq_[s]
        k.payload = <uint32_t>s
        return k

    cdef inline Key _seq_key(self, int32_t s) noexcept nogil:
        cdef Key k
        k.a = <uint64_t>self.seq_[s]
        k.b = 0
        k.c = 0
        k.payload = <uint32_t>s
        return k

    cdef inline Key _order_key(self, int32_t s, int which) noexcept nogil:
        if which == 0:
            return self._prio_key(s)
        return self._prefetch_key(s) if which == 1 else self._seq_key(s)

    cdef size_t _order_pos(self, vector[int32_t]* order, int32_t s, int which) noexcept nogil:
        """Where page ``s`` belongs in ``order`` (0: priority, 1: prefetch, 2: sequence)."""
        cdef Key k = self._order_key(s, which)
        cdef size_t lo = 0, hi = order.size(), mid
        while lo < hi:
            mid = (lo + hi) >> 1
            if key_less(self._order_key(order[0][mid], which), k):
                lo = mid + 1
            else:
                hi = mid
        return lo

    cdef void _sorted_insert(self, vector[int32_t]* order, int32_t s, int which) noexcept nogil:
        order.insert(order.begin() + self._order_pos(order, s, which), s)

    cdef void _sorted_erase(self, vector[int32_t]* order, int32_t s, int which) noexcept nogil:
        cdef size_t at = self._order_pos(order, s, which)
        if at < order.size() and order[0][at] == s:
            order.erase(order.begin() + at)

    cdef inline bint _hot_less(self, int32_t x, int32_t y) noexcept nogil:
        """Prefetch order among pages with a predicted re-demand: -predicted, then static."""
        if self.pred_[x] != self.pred_[y]:
            return self.pred_[x] > self.pred_[y]
        return key_less(self._prefetch_key(x), self._prefetch_key(y))

    cdef inline bint _prefetch_less(self, int32_t x, int32_t y) noexcept nogil:
        """The whole prefetch order (``prefetch_order_key`` of the reference)."""
        if self.score_mode == MODE_ORACLE and self.fut_[x] != self.fut_[y]:
            return self.fut_[x] > self.fut_[y]
        if self.prefetch_prediction:
            return self._hot_less(x, y)
        return key_less(self._prefetch_key(x), self._prefetch_key(y))

    cdef void _sort_hot(self) noexcept nogil:
        """Insertion sort: after a turn ``_hot`` is nearly sorted, so this is about linear."""
        cdef size_t i, j
        cdef int32_t x
        cdef int32_t* h = self._hot.data()
        for i in range(1, self._hot.size()):
            x = h[i]
            j = i
            while j > 0 and self._hot_less(x, h[j - 1]):
                h[j] = h[j - 1]
                j -= 1
            h[j] = x
        self._hot_sorted = True

    cdef void _sort_group(self) noexcept nogil:
        """Insertion sort of the (small) scratch group by the whole prefetch order."""
        cdef size_t i, j
        cdef int32_t x
        cdef int32_t* g = self._group.data()
        for i in range(1, self._group.size()):
            x = g[i]
            j = i
            while j > 0 and self._prefetch_less(x, g[j - 1]):
                g[j] = g[j - 1]
                j -= 1
            g[j] = x

    cdef size_t _step_pos(self, const Key& k) noexcept nogil:
        """Where an edge with static key ``k`` belongs in the static edge order."""
        cdef size_t lo = 0, hi = self._steps.size(), mid
        while lo < hi:
            mid = (lo + hi) >> 1
            if key_less(self._static_key_at(mid), k):
                lo = mid + 1
            else:
                hi = mid
        return lo

    cdef void _page_edges(self, int32_t s, uint8_t* to, uint8_t* reach) noexcept nogil:
        """Per from-step k of page ``s``: its hull edge's target (the edge is kept in
        ``_hull``) and the mask of start steps whose hull chain passes through k."""
        cdef uint8_t t = self.ptype_[s]
        cdef int k, j, x, top = PATH_LEN[t] - 1
        cdef HullEdge* h
        for k in range(top):
            to[k] = self._hull_next(s, PATH[t][k], NO_CEILING)
            h = &self._hull[4 * s + k]
            h.to = to[k]
            h.kt = STEP_OF[t][to[k]]
            h.dl = <uint8_t>(h.kt - k)
            h.delta = <int32_t>(self._cost(s, to[k]) - self._cost(s, PATH[t][k]))
            h.fit = <int32_t>self._fit(s, PATH[t][k])
            h.per = <double>h.delta if h.delta > 0 else 0.0
            reach[k] = 0
        for j in range(top):
            x = j
            while x < top:
                reach[x] |= <uint8_t>(1 << j)
                x = STEP_OF[t][to[x]]

    cdef void _index_edges(self, int32_t s) noexcept nogil:
        """Add page ``s``'s hull edges to the static order (or the page to ``_zero``)."""
        cdef uint8_t t = self.ptype_[s]
        cdef uint8_t to[4]
        cdef uint8_t reach[4]
        cdef int k
        cdef size_t at
        cdef double v = self._score(s, 0.0, 0)
        cdef Key key
        self._live_ok = False
        self._page_edges(s, to, reach)
        if not v > 0.0:
            self._sorted_insert(&self._zero, s, 2)
            return
        for k in range(PATH_LEN[t] - 1):
            key = self._edge_key(s, PATH[t][k], to[k], v)
            at = self._step_pos(key)
            self._steps.insert(self._steps.begin() + at, key.payload)
            self._step_a.insert(self._step_a.begin() + at, key.a)
            self._step_to.insert(self._step_to.begin() + at, to[k])
            self._step_delta.insert(self._step_delta.begin() + at, key.delta)
            self._step_fit.insert(self._step_fit.begin() + at,
                                  <int32_t>self._fit(s, PATH[t][k]))
            self._step_reach.insert(self._step_reach.begin() + at, reach[k])

    cdef void _unindex_edges(self, int32_t s) noexcept nogil:
        """Remove page ``s``'s hull edges (call before its columns change)."""
        cdef uint8_t t = self.ptype_[s]
        cdef uint8_t to[4]
        cdef uint8_t reach[4]
        cdef int k
        cdef size_t at
        cdef double v = self._score(s, 0.0, 0)
        cdef Key key
        self._live_ok = False
        if not v > 0.0:
            self._sorted_erase(&self._zero, s, 2)
            return
        self._page_edges(s, to, reach)
        for k in range(PATH_LEN[t] - 1):
            key = self._edge_key(s, PATH[t][k], to[k], v)
            at = self._step_pos(key)
            if at < self._steps.size() and self._steps[at] == key.payload:
                self._steps.erase(self._steps.begin() + at)
                self._step_a.erase(self._step_a.begin() + at)
                self._step_to.erase(self._step_to.begin() + at)
                self._step_delta.erase(self._step_delta.begin() + at)
                self._step_fit.erase(self._step_fit.begin() + at)
                self._step_reach.erase(self._step_reach.begin() + at)

    cdef void _index_page(self, int32_t s) noexcept nogil:
        """Add a page's entries to the cached orders (its columns are already stored)."""
        self._sorted_insert(&self._prio, s, 0)
        if MASK[self.ptype_[s]] >> POINTER & 1:
            self._sorted_insert(&self._prefetch, s, 1)
            self._ptr_total += self.tok[4 * s]
        self._index_edges(s)
        self._hot_sorted = False

    cdef void _unindex_page(self, int32_t s) noexcept nogil:
        """Remove a page's entries (call before its columns change)."""
        self._sorted_erase(&self._prio, s, 0)
        if MASK[self.ptype_[s]] >> POINTER & 1:
            self._sorted_erase(&self._prefetch, s, 1)
            self._ptr_total -= self.tok[4 * s]
        self._unindex_edges(s)

    cdef void _rebuild_orders(self) noexcept nogil:
        """Sort every cached order from scratch (bulk adds)."""
        cdef Py_ssize_t s
        cdef size_t i
        self._keys.clear()
        for s in range(self.n_slots):
            if self.ptype_[s] != FREE:
                self._keys.push_back(self._prio_key(<int32_t>s))
        key_sort(self._keys.data(), self._keys.size())
        self._prio.resize(self._keys.size())
        for i in range(self._keys.size()):
            self._prio[i] = <int32_t>self._keys[i].payload
        self._keys.clear()
        self._ptr_total = 0
        for s in range(self.n_slots):
            if self.ptype_[s] != FREE and MASK[self.ptype_[s]] >> POINTER & 1:
                self._keys.push_back(self._prefetch_key(<int32_t>s))
                self._ptr_total += self.tok[4 * s]
        key_sort(self._keys.data(), self._keys.size())
        self._prefetch.resize(self._keys.size())
        for i in range(self._keys.size()):
            self._prefetch[i] = <int32_t>self._keys[i].payload
        self._keys.clear()
        for s in range(self.n_slots):
            if self.ptype_[s] != FREE:
                self._keys.push_back(self._seq_key(<int32_t>s))
        key_sort(self._keys.data(), self._keys.size())
        self._by_seq.resize(self._keys.size())
        for i in range(self._keys.size()):
            self._by_seq[i] = <int32_t>self._keys[i].payload
        self._hot_sorted = False
        self._rebuild_steps()

    cdef void _rebuild_steps(self) noexcept nogil:
        """The static edge order and ``_zero`` from scratch (bulk adds, score mode changes)."""
        cdef Py_ssize_t s
        cdef size_t i
        cdef int k
        cdef uint8_t t
        cdef uint8_t to[4]
        cdef uint8_t reach[4]
        cdef double v
        cdef Key key
        self._live_ok = False
        self._keys.clear()
        self._zero.clear()
        for s in range(self.n_slots):  # slots are not in sequence order: sorted below
            t = self.ptype_[s]
            if t == FREE:
                continue
            v = self._score(s, 0.0, 0)
            self._page_edges(<int32_t>s, to, reach)
            if not v > 0.0:
                self._zero.push_back(<int32_t>s)
                continue
            for k in range(PATH_LEN[t] - 1):
                key = self._edge_key(s, PATH[t][k], to[k], v)
                key.delta = (<int32_t>reach[k] << 8) | to[k]  # carried through the sort
                self._keys.push_back(key)
        key_sort(self._keys.data(), self._keys.size())
        self._steps.resize(self._keys.size())
        self._step_a.resize(self._keys.size())
        self._step_to.resize(self._keys.size())
        self._step_delta.resize(self._keys.size())
        self._step_fit.resize(self._keys.size())
        self._step_reach.resize(self._keys.size())
        for i in range(self._keys.size()):
            key = self._keys[i]
            s = key.payload >> 2
            t = self.ptype_[s]
            self._steps[i] = key.payload
            self._step_a[i] = key.a
            self._step_to[i] = <uint8_t>(key.delta & 0xFF)
            self._step_reach[i] = <uint8_t>(key.delta >> 8)
            self._step_delta[i] = <int32_t>(self._cost(s, self._step_to[i])
                                            - self._cost(s, PATH[t][key.payload & 3]))
            self._step_fit[i] = <int32_t>self._fit(s, PATH[t][key.payload & 3])
        self._keys.clear()
        self._keys.shrink_to_fit()  # sort scratch: do not keep 32 bytes per edge around
        self._keys.resize(self._zero.size())
        for i in range(self._zero.size()):
            self._keys[i] = self._seq_key(self._zero[i])
        key_sort(self._keys.data(), self._keys.size())
        for i in range(self._zero.size()):
            self._zero[i] = <int32_t>self._keys[i].payload
        self._keys.clear()
        self._keys.shrink_to_fit()

    # ------------------------------------------------------------------ validation
    cdef Py_ssize_t _check_slot(self, str field, object slot) except -1:
        cdef Py_ssize_t s = _core_py._as_int(field, slot)
        if not 0 <= s < self.n_slots or self.ptype_[s] == FREE:
            raise InvalidInputError(field, f"{s} is not a live page slot")
        return s

    # ------------------------------------------------------------------ page table
    cdef _store(self, Py_ssize_t s, tuple page):
        t, costs, f, p, b, rc = page
        self.ptype_[s] = t
        self._has_ptr[s] = MASK[<uint8_t>t] >> POINTER & 1
        for r in range(4):
            self.tok[4 * s + r] = costs[r]
        self.floor_[s] = f
        self.pin_[s] = p
        self.base_[s] = b
        self.rc_[s] = rc

    cdef Py_ssize_t _take_slot(self) except -1:
        cdef int32_t s
        if not self._free.empty():
            s = self._free.back()
            self._free.pop_back()
            return s
        if self.n_slots >= 2 ** 30:
            raise InvalidInputError("capacity", "the table holds at most 2**30 slots")
        self._grow(self.n_slots + 1)
        self.n_slots += 1
        return self.n_slots - 1

    cdef void _init_slot(self, Py_ssize_t s) noexcept:
        self.rec_[s] = 0.0
        self.fut_[s] = 0
        self.pred_[s] = 0.0
        self.dirty_[s] = 0
        self.version_[s] = 0
        self.sel_[s] = NONE
        self.seq_[s] = self._next_seq
        self._next_seq += 1
        self.n_pages += 1

    def add_page(self, ptype, tokens, floor, pin, base=0.0, recompute=0.0):
        """Add one page; ``tokens`` are the costs of (pointer, structured, compressed, full).

        Returns the page's slot. A cost off the type's path must be 0.
        """
        page = _plain_page(ptype, tokens, floor, pin, base, recompute)
        if page is None:  # not plain values: the checked path converts them or says why not
            page = _core_py.check_page(ptype, tokens, floor, pin, base, recompute)
        s = self._take_slot()
        self._store(s, page)
        self._init_slot(s)
        self._index_page(<int32_t>s)
        self._by_seq.push_back(<int32_t>s)  # the newest sequence number
        return s

    def add_pages(self, ptype, tokens, floor, pin, base, recompute):
        """Add many pages at once (``tokens`` has shape (n, 4)); all are validated first.

        Returns their slots as int32. Nothing is added when any page is invalid.
        """
        checked = _core_py.check_pages(ptype, tokens, floor, pin, base, recompute)
        n = len(checked)
        slots = np.zeros(n, dtype=np.int32)
        bulk = n > 16 and n * 8 > self.n_pages
        for i, page in enumerate(checked):
            s = self._take_slot()
            self._store(s, page)
            self._init_slot(s)
            if not bulk:
                self._index_page(<int32_t>s)
                self._by_seq.push_back(<int32_t>s)
            slots[i] = s
        if bulk:
            self._rebuild_orders()
        return slots

    def update_page(self, slot, tokens=None, floor=None, pin=None, base=None, recompute=None):
        """Change a page's costs or attributes; ``None`` keeps a value. The type is fixed."""
        s = self._check_slot("slot", slot)
        page = _core_py.check_page(
            int(self.ptype_[s]),
            [int(self.tok[4 * s + r]) for r in range(4)] if tokens is None else tokens,
            int(self.floor_[s]) if floor is None else floor,
            int(self.pin_[s]) if pin is None else pin,
            float(self.base_[s]) if base is None else base,
            float(self.rc_[s]) if recompute is None else recompute,
        )
        self._unindex_page(<int32_t>s)
        self._store(s, page)
        self._index_page(<int32_t>s)

    def remove_page(self, slot):
        """Free a slot; a later add may reuse it (with a new sequence number)."""
        s = self._check_slot("slot", slot)
        self._unindex_page(<int32_t>s)
        self._sorted_erase(&self._by_seq, <int32_t>s, 2)
        if self.rec_[s] != 0.0:
            _erase_value(&self._active, <int32_t>s)
        if self.fut_[s] != 0:
            _erase_value(&self._futures, <int32_t>s)
        if self.pred_[s] != 0.0:
            _erase_value(&self._hot, <int32_t>s)
        self.ptype_[s] = FREE
        self._has_ptr[s] = 0
        for r in range(4):
            self.tok[4 * s + r] = 0
        self.sel_[s] = NONE
        self.dirty_[s] = 0
        self.rec_[s] = 0.0
        self.fut_[s] = 0
        self.pred_[s] = 0.0
        self.n_pages -= 1
        self._free.push_back(<int32_t>s)

    # ------------------------------------------------------------------ dirty tracking
    def mark_dirty(self, slot):
        """The page's content changed since its last commit."""
        self.dirty_[self._check_slot("slot", slot)] = 1

    def mark_clean(self, slot, version):
        """The journal committed the page at ``version``: clear its dirty bit."""
        s = self._check_slot("slot", slot)
        v = _core_py._as_int("version", version)
        if not 0 <= v < 2 ** 32:
            raise InvalidInputError("version", f"must be in [0, 2**32), got {v}")
        self.dirty_[s] = 0
        self.version_[s] = v

    def dirty_slots(self):
        """Slots of dirty pages in sequence order (int32)."""
        cdef Py_ssize_t s
        cdef vector[Key] keys
        cdef Key k
        for s in range(self.n_slots):
            if self.ptype_[s] != FREE and self.dirty_[s]:
                k.a = <uint64_t>self.seq_[s]
                k.b = 0
                k.c = 0
                k.payload = <uint32_t>s
                keys.push_back(k)
        key_sort(keys.data(), keys.size())
        out = np.empty(keys.size(), dtype=np.int32)
        cdef int32_t[::1] view = out
        for s in range(<Py_ssize_t>keys.size()):
            view[s] = <int32_t>keys[s].payload
        return out

    def set_future(self, slots, counts):
        """Oracle input: demands for each page in the next h turns (every other page: 0)."""
        sl = _core_py._int_array("slots", slots)
        ct = _core_py._int_array("counts", counts)
        if len(ct) != len(sl):
            raise InvalidInputError(
                "counts", f"length {len(ct)} does not match slots length {len(sl)}"
            )
        for i in range(len(sl)):
            self._check_slot("slots", sl[i])
            if not 0 <= ct[i] < 2 ** 31:
                raise InvalidInputError("counts", f"must be in [0, 2**31), got {int(ct[i])}")
        memset(self.fut_, 0, self.capacity * sizeof(int32_t))
        for i in range(len(sl)):
            self.fut_[<Py_ssize_t>sl[i]] = <int32_t>ct[i]
        self._futures.clear()
        for s in sorted({int(x) for x in sl}):
            if self.fut_[s]:
                self._futures.push_back(<int32_t>s)

    # ------------------------------------------------------------------ per turn
    cdef object _demands(self, object slots, object reps, const int64_t** sp,
                         const int64_t** rp):
        """Validate demands; returns the arrays that own ``*sp`` and ``*rp``."""
        cdef Py_ssize_t i, n, s
        cdef int64_t r
        sl = self._int64_view(slots, "demand_slots")
        rl = self._int64_view(reps, "demand_reps")
        n = cnp.PyArray_DIM(sl, 0)
        if cnp.PyArray_DIM(rl, 0) != n:
            raise InvalidInputError(
                "demand_reps",
                f"length {cnp.PyArray_DIM(rl, 0)} does not match demand_slots length {n}")
        sp[0] = <const int64_t*>cnp.PyArray_DATA(sl)
        rp[0] = <const int64_t*>cnp.PyArray_DATA(rl)
        for i in range(n):
            s = sp[0][i]
            if not 0 <= s < self.n_slots or self.ptype_[s] == FREE:
                raise InvalidInputError("demand_slots", f"{sp[0][i]} is not a live page slot")
            r = rp[0][i]
            if not POINTER <= r <= FULL:
                raise InvalidInputError("demand_reps", f"{r} is not a rep from pointer to full")
        return (sl, rl)

    cdef cnp.ndarray _int64_view(self, object values, str field):
        if (cnp.PyArray_Check(values) and cnp.PyArray_TYPE(values) == cnp.NPY_INT64
                and cnp.PyArray_NDIM(values) == 1
                and cnp.PyArray_IS_C_CONTIGUOUS(values)):
            return <cnp.ndarray>values
        return np.ascontiguousarray(_core_py._int_array(field, values), dtype=np.int64)

    def scores(self):
        """The current score of every slot (0 for free slots), as float64."""
        out = np.zeros(self.n_slots, dtype=np.float64)
        cdef double[::1] view = out
        cdef Py_ssize_t s
        for s in range(self.n_slots):
            if self.ptype_[s] != FREE:
                view[s] = self._score(s, self.rec_[s], self.fut_[s])
        return out

    def account(self, demand_slots, demand_reps, demand_flags, bint after_compaction):
        """Classify this turn's demands against the *current* selection (docs/design.md §7).

        Call before ``select``. Writes one ``Outcome`` per demand to ``outcomes``, adds
        them to ``counters`` and returns the number of faults. Each demand adds 1 to the
        page's predicted re-demand (2 when it re-issues a tool).
        """
        cdef const int64_t* sp
        cdef const int64_t* rp
        owners = self._demands(demand_slots, demand_reps, &sp, &rp)
        fl = self._int64_view(demand_flags, "demand_flags")
        cdef Py_ssize_t n = cnp.PyArray_DIM(owners[0], 0)
        if cnp.PyArray_DIM(fl, 0) != n:
            raise InvalidInputError(
                "demand_flags",
                f"length {cnp.PyArray_DIM(fl, 0)} does not match demand_slots length {n}")
        cdef const int64_t* fp = <const int64_t*>cnp.PyArray_DATA(fl)
        out = np.zeros(n, dtype=np.uint8)
        cdef uint8_t* op = <uint8_t*>cnp.PyArray_DATA(out)
        cdef int64_t faults = 0
        cdef Py_ssize_t i, s
        cdef int r, sel, kind
        cdef uint8_t t
        with nogil:
            for i in range(n):
                s = sp[i]
                r = <int>rp[i]
                sel = self.sel_[s]
                t = self.ptype_[s]
                if sel >= r:
                    kind = HIT
                elif sel >= POINTER and (t != EVIDENCE or self.evidence_pointers_resolve):
                    kind = PAGE_IN
                elif t == BOOTSTRAP and after_compaction:
                    kind = POST_COMPACTION_BOOTSTRAP
                elif self.pin_[s] == PIN_HARD and sel < self.floor_[s]:
                    kind = PINNED_INVARIANT
                elif t == EVIDENCE and fp[i] & REISSUES:
                    kind = DUPLICATE_TOOL
                else:
                    kind = REFETCH
                if self.pred_[s] == 0.0:
                    self._hot.push_back(<int32_t>s)
                self.pred_[s] += 2.0 if fp[i] & REISSUES else 1.0
                self._hot_sorted = False
                op[i] = <uint8_t>kind
                self.counters_[kind] += 1
                faults += kind >= POST_COMPACTION_BOOTSTRAP
        self.outcomes = out
        return faults

    def select(self, budget, demand_slots, demand_reps, bint update_recency=True):
        """Choose one rep per page under ``budget`` tokens; returns tokens used.

        Phase 1, prefetch and Phase 2 as the reference defines them. The result is in
        ``selection``; required pages that did not fit are in ``unmet()``. With
        ``update_recency`` the end-of-turn update of recency and predicted re-demand runs.
        """
        cdef int64_t b = -1
        cdef int overflow = 1
        if type(budget) is int:  # in C: comparing Python ints costs more than small turns
            b = PyLong_AsLongLongAndOverflow(budget, &overflow)
        if overflow or not 0 <= b <= MAX_BUDGET:
            bi = _core_py._as_int("budget", budget)
            if not 0 <= bi <= MAX_BUDGET:
                raise InvalidInputError("budget", f"must be in [0, 2**62], got {bi}")
            b = bi
        cdef const int64_t* sp
        cdef const int64_t* rp
        owners = self._demands(demand_slots, demand_reps, &sp, &rp)
        cdef Py_ssize_t nd = cnp.PyArray_DIM(owners[0], 0)
        cdef bint ok
        if self.n_slots >= NOGIL_MIN_SLOTS:
            with nogil:
                ok = self._turn(b, sp, rp, nd, update_recency)
        else:  # releasing the GIL costs more than a small table's whole turn
            ok = self._turn(b, sp, rp, nd, update_recency)
        if not ok:
            self.check_invariants(b)  # raises with the reason
            raise InvariantViolation("the native check failed where check_invariants passed")
        return self.tokens_used

    cdef bint _turn(self, int64_t b, const int64_t* sp, const int64_t* rp, Py_ssize_t nd,
                    bint update_recency) noexcept nogil:
        """Select, check, update recency; returns whether the check passed."""
        self.tokens_used = b - self._select(b, sp, rp, nd)
        if not self._check(b):
            return False
        if update_recency:
            self._update_recency(sp, nd)
        return True

    cdef int64_t _select(self, int64_t budget, const int64_t* sp, const int64_t* rp,
                         Py_ssize_t nd) noexcept nogil:
        """Phase 1, prefetch, Phase 2; returns the tokens remaining."""
        cdef int64_t remaining = budget, taken = 0
        cdef Py_ssize_t i, s, n = self.n_slots, n_req = 0, done, h = 0
        cdef Py_ssize_t n_prio = self._prio.size()
        cdef uint8_t* mark = self._mark.data()
        cdef uint8_t want

        memset(self.sel_, NONE, n)
        memset(mark, 0, n)
        self._unmet.clear()

        # Phase 1: the required set, in priority order; what does not fit is unmet.
        if self.auto_pin_hard:  # hard pins lead the priority order: the first h pages
            for i in range(n_prio):
                s = self._prio[i]
                if self.pin_[s] != PIN_HARD:
                    break
                h = i + 1
                if self.floor_[s] != NONE:
                    mark[s] = self.floor_[s]
                    n_req += 1
        for i in range(nd):
            s = sp[i]
            want = round_up(self.ptype_[s], rp[i] if rp[i] > self.floor_[s] else self.floor_[s])
            if mark[s] == 0:
                n_req += 1
            if want > mark[s]:
                mark[s] = want
        if nd * 16 < n_prio - h:
            # Few demands in a long order: the hard pins' run (it holds every required hard
            # pin), then the other demanded pages, found in the order by binary search,
            # instead of walking the order up to the last one.
            for i in range(h):
                s = self._prio[i]
                if mark[s] & MARK_REQ:
                    remaining = self._require(s, remaining, &taken)
            self._group.clear()
            for i in range(nd):
                s = sp[i]
                if mark[s] & MARK_LISTED or (self.auto_pin_hard and self.pin_[s] == PIN_HARD):
                    continue
                mark[s] |= MARK_LISTED
                self._group.push_back(<int32_t>self._order_pos(&self._prio, <int32_t>s, 0))
            sort(self._group.begin(), self._group.end())
            for i in range(<Py_ssize_t>self._group.size()):
                remaining = self._require(self._prio[self._group[i]], remaining, &taken)
        else:
            done = 0
            i = 0
            while done < n_req:
                s = self._prio[i]
                i += 1
                if mark[s] & MARK_REQ:
                    done += 1
                    remaining = self._require(s, remaining, &taken)

        if self.prefetch_pointers:
            remaining = self._prefetch_pointers(remaining, self._ptr_total - taken)
        return self._phase2(remaining) if self.upgrades else remaining

    cdef inline int64_t _require(self, Py_ssize_t s, int64_t remaining,
                                 int64_t* taken) noexcept nogil:
        """Phase 1 for required page ``s``: its required rep if it fits, else unmet; adds
        its pointer's cost to ``taken`` (no longer waiting for a pointer)."""
        cdef uint8_t want = self._mark[s] & MARK_REQ
        cdef int64_t cost = self.tok[4 * s + want - 1]
        if MASK[self.ptype_[s]] >> POINTER & 1:
            taken[0] += self.tok[4 * s]
        if cost <= remaining:
            self.sel_[s] = want
            return remaining - cost
        self._mark[s] |= MARK_UNMET
        self._unmet.push_back(<int32_t>s)
        return remaining

    cdef inline int64_t _give_pointer(self, Py_ssize_t s, int64_t remaining) noexcept nogil:
        cdef int64_t cost
        if (self.sel_[s] == NONE and not (self._mark[s] & MARK_UNMET)
                and MASK[self.ptype_[s]] >> POINTER & 1):
            cost = self.tok[4 * s]
            if cost <= remaining:
                self.sel_[s] = POINTER
                remaining -= cost
        return remaining

    cdef int64_t _prefetch_pointers(self, int64_t remaining, int64_t waiting) noexcept nogil:
        """Prefetch: pointers for pages still at none, in the reference's prefetch order.

        When the pointers of every waiting page fit, order cannot matter and all are
        given. Otherwise three groups in key order: under the oracle, pages with a future
        (sorted here; few); then pages with a predicted re-demand (``_hot``); then the
        static order, skipping what the groups before took up.
        """
        cdef size_t i
        cdef Py_ssize_t s, n = self.n_slots
        cdef bint oracle = self.score_mode == MODE_ORACLE, predict = self.prefetch_prediction
        cdef uint8_t* sel = self.sel_
        cdef const uint8_t* mark = self._mark.data()
        cdef const uint8_t* has_ptr = self._has_ptr.data()
        cdef uint64_t w, m, p, ones = 0x0101010101010101, low7 = 0x7F7F7F7F7F7F7F7F
        if waiting <= remaining:  # per slot: at none, not unmet, with a pointer (POINTER is 1)
            s = 0
            while s + 8 <= n:  # eight slots at a time
                memcpy(&w, sel + s, 8)
                memcpy(&m, mark + s, 8)
                memcpy(&p, has_ptr + s, 8)
                # (((w & low7) + low7) | w) has a byte's top bit set when the byte is not 0
                w |= ~((((w & low7) + low7) | w) >> 7) & ~(m >> 3) & p & ones
                memcpy(sel + s, &w, 8)
                s += 8
            while s < n:
                if sel[s] == NONE and not (mark[s] & MARK_UNMET):
                    sel[s] = has_ptr[s]
                s += 1
            return remaining - waiting
        if oracle and not self._futures.empty():
            self._group.assign(self._futures.begin(), self._futures.end())
            self._sort_group()
            for i in range(self._group.size()):
                remaining = self._give_pointer(self._group[i], remaining)
        if predict:
            if not self._hot_sorted:
                self._sort_hot()
            for i in range(self._hot.size()):
                s = self._hot[i]
                if not (oracle and self.fut_[s] != 0):
                    remaining = self._give_pointer(s, remaining)
        for i in range(self._prefetch.size()):
            s = self._prefetch[i]
            if not ((predict and self.pred_[s] != 0.0) or (oracle and self.fut_[s] != 0)):
                remaining = self._give_pointer(s, remaining)
        return remaining

    # ------------------------------------------------------------------ Phase 2
    cdef int64_t _phase2(self, int64_t remaining) noexcept nogil:
        """The reference's ``_phase2``: the knapsack exactly when small, else the upgrade
        pass (perhaps again with the critical page raised first to each rep up to the
        critical edge's target), then zero-value upgrades; returns the tokens remaining."""
        cdef uint8_t* mark = self._mark.data()
        cdef const uint8_t* ptype = self.ptype_
        cdef const uint8_t* sel = self.sel_
        cdef Py_ssize_t s, n = self.n_slots
        cdef size_t i
        for s in range(n):  # 1 << each page's current step, or P2_SKIP (free)
            mark[s] = STEP_BIT[ptype[s]][sel[s]]
        for i in range(self._unmet.size()):  # Phase 1's unmet pages: P2_SKIP too
            mark[self._unmet[i]] = P2_SKIP
        self._classify_dynamic()
        if remaining < EXACT_CELLS and self._few_movable(remaining, EXACT_CELLS // (remaining + 1)):
            return self._zero_fill(self._exact_pass(remaining))
        return self._zero_fill(self._greedy(remaining))

    cdef void _classify_dynamic(self) noexcept nogil:
        """Pages with recency (or, under the oracle, a future) get this turn's value: marked
        P2_DYNAMIC (value > 0, listed with it in ``_dynlist``/``_dynv``) or P2_DYNZERO."""
        cdef uint8_t* mark = self._mark.data()
        cdef size_t j, n_active = self._active.size()
        cdef size_t n_dynamic = n_active
        if self.score_mode == MODE_ORACLE:
            n_dynamic += self._futures.size()
        cdef Py_ssize_t s
        cdef double score
        cdef size_t nv = 0, nz = 0
        # written through raw pointers, trimmed after (push_back's checks cost as much here)
        self._dzero.resize(n_dynamic)
        self._dynlist.resize(n_dynamic)
        self._dynv.resize(n_dynamic)
        cdef int32_t* dzero = self._dzero.data()
        cdef int32_t* dynlist = self._dynlist.data()
        cdef double* dynv = self._dynv.data()
        cdef const int32_t* active = self._active.data()
        cdef const int32_t* futures = self._futures.data()
        # the columns as locals: the byte stores to mark would make them reloaded each time
        cdef int mode = self.score_mode
        cdef const double* base = self.base_
        cdef const uint8_t* pin = self.pin_
        cdef const double* rc = self.rc_
        cdef const double* rec = self.rec_
        cdef const int32_t* fut = self.fut_
        for j in range(n_dynamic):
            s = active[j] if j < n_active else futures[j - n_active]
            if mark[s] & P2_NOT_STATIC:  # skipped, or already seen (in both lists)
                continue
            if mode == MODE_CLAWVM:  # unswitched for the usual mode
                score = clawvm_score(base[s], pin[s], rc[s], rec[s])
            else:
                score = score_of(mode, base[s], pin[s], rc[s], rec[s], fut[s])
            if score > 0.0:
                mark[s] = P2_DYNAMIC
                dynlist[nv] = <int32_t>s
                dynv[nv] = score
                nv += 1
            else:
                mark[s] = P2_DYNZERO
                dzero[nz] = <int32_t>s
                nz += 1
        self._dynlist.resize(nv)
        self._dynv.resize(nv)
        self._dzero.resize(nz)

    cdef bint _few_movable(self, int64_t left, Py_ssize_t limit) noexcept nogil:
        """At most ``limit`` valued pages whose next rep's extra cost fits ``left``
        (the reference's ``_movable``, stopping early)."""
        cdef uint8_t* mark = self._mark.data()
        cdef Py_ssize_t s, count = 0
        cdef uint8_t t, cur
        for s in range(self.n_slots):
            if mark[s] & (P2_SKIP | P2_DYNZERO) or not self._value(s) > 0.0:
                continue
            t = self.ptype_[s]
            cur = self.sel_[s]
            if (STEP_OF[t][cur] + 1 < PATH_LEN[t]
                    and self._cost(s, PATH[t][STEP_OF[t][cur] + 1]) - self._cost(s, cur) <= left):
                count += 1
                if count > limit:
                    return False
        return True

    cdef int64_t _exact_pass(self, int64_t remaining) noexcept nogil:
        """The reference's ``_exact_pass``: the small knapsack by dynamic programming."""
        cdef uint8_t* mark = self._mark.data()
        cdef Py_ssize_t s, cap = remaining, j, i, m
        cdef size_t k
        cdef uint8_t t, cur, r
        cdef int kk, k0
        cdef int64_t c
        cdef double v, g, cand
        cdef double* best
        cdef double* nxt
        cdef uint8_t* pick
        self._group.clear()  # the valued pages, by sequence number
        for k in range(self._by_seq.size()):
            s = self._by_seq[k]
            if not (mark[s] & (P2_SKIP | P2_DYNZERO)) and self._value(s) > 0.0:
                self._group.push_back(<int32_t>s)
        m = self._group.size()
        self._best.assign(cap + 1, 0.0)
        self._next_best.resize(cap + 1)
        self._pick.assign(m * (cap + 1), 0)
        best = self._best.data()
        nxt = self._next_best.data()
        pick = self._pick.data()
        for i in range(m):
            s = self._group[i]
            t = self.ptype_[s]
            cur = self.sel_[s]
            k0 = STEP_OF[t][cur]
            v = self._value(s)
            memcpy(nxt, best, (cap + 1) * sizeof(double))
            for kk in range(k0 + 1, PATH_LEN[t]):
                r = PATH[t][kk]
                c = self._cost(s, r) - self._cost(s, cur)
                if c > cap:
                    break
                g = v * <double>(kk - k0)
                for j in range(c, cap + 1):
                    cand = best[j - c] + g
                    if cand > nxt[j]:
                        nxt[j] = cand
                        pick[i * (cap + 1) + j] = r
            best, nxt = nxt, best
        j = cap
        for i in range(m - 1, -1, -1):
            r = pick[i * (cap + 1) + j]
            if r:
                s = self._group[i]
                c = self._cost(s, r) - self._cost(s, self.sel_[s])
                self.sel_[s] = r
                j -= c
                remaining -= c
        for i in range(m):  # a gain too small to change a floating-point sum still counts
            remaining = self._raise_within(self._group[i], remaining)
        return remaining

    cdef inline int64_t _raise_within(self, Py_ssize_t s, int64_t left) noexcept nogil:
        """Page ``s`` to the highest rep whose extra cost fits ``left``; returns what is left."""
        cdef uint8_t t = self.ptype_[s], frm = self.sel_[s], best = frm
        cdef int64_t base = self._cost(s, frm)
        cdef int k
        for k in range(STEP_OF[t][frm] + 1, PATH_LEN[t]):
            if self._cost(s, PATH[t][k]) - base > left:
                break
            best = PATH[t][k]
        self.sel_[s] = best
        return left - (self._cost(s, best) - base)

    cdef int64_t _greedy(self, int64_t remaining) noexcept nogil:
        """The reference's ``_greedy``: the upgrade pass, perhaps again with the critical
        page raised first; returns the tokens remaining."""
        cdef uint8_t* mark = self._mark.data()
        cdef Py_ssize_t s, n = self.n_slots
        cdef uint8_t t, to
        cdef int k
        cdef int64_t left, again, kept_left, forced
        cdef double best, worth, u
        cdef int32_t cs
        memcpy(self._start.data(), self.sel_, n)
        left = self._upgrade_pass(remaining)
        cs = self._crit_s
        if cs < 0:
            return left
        t = self.ptype_[cs]
        to = self._crit_to
        worth = self._value(cs) * <double>(STEP_OF[t][to] - STEP_OF[t][self._crit_from])
        best = self._utility(worth)
        if worth > CRIT_SHARE * best:
            memcpy(self._kept.data(), self.sel_, n)
            kept_left = left
            for k in range(STEP_OF[t][self._start[cs]] + 1, STEP_OF[t][to] + 1):
                forced = self._cost(cs, PATH[t][k]) - self._cost(cs, self._start[cs])
                if forced > remaining:
                    break
                memcpy(self.sel_, self._start.data(), n)
                self.sel_[cs] = PATH[t][k]
                for s in range(n):  # static pages' current steps again
                    if not (mark[s] & P2_NOT_STATIC):
                        mark[s] = 1 << STEP_OF[self.ptype_[s]][self.sel_[s]]
                again = self._upgrade_pass(remaining - forced)
                u = self._utility(-1.0)
                if u > best:
                    best = u
                    kept_left = again
                    memcpy(self._kept.data(), self.sel_, n)
            memcpy(self.sel_, self._kept.data(), n)
            left = kept_left
        return left

    cdef double _utility(self, double stop_at) noexcept nogil:
        """Sum of value x level over the valued pages in sequence order, as the reference
        adds it. With ``stop_at >= 0`` it stops once ``CRIT_SHARE * sum >= stop_at``: the
        sum only grows, so the comparison it feeds is already decided."""
        cdef double total = 0.0, v
        cdef size_t k
        cdef Py_ssize_t s
        cdef uint8_t* mark = self._mark.data()
        for k in range(self._by_seq.size()):
            s = self._by_seq[k]
            if mark[s] & P2_SKIP:
                continue
            v = self._value(s)
            if v > 0.0:
                total += v * <double>STEP_OF[self.ptype_[s]][self.sel_[s]]
                if stop_at >= 0.0 and CRIT_SHARE * total >= stop_at:
                    return total
        return total

    cdef int64_t _zero_fill(self, int64_t left) noexcept nogil:
        """Pages of value 0, by sequence number, rise to the highest rep that fits.

        Static ones come from ``_zero`` (already in sequence order), dynamic ones from this
        turn's ``_dzero``; merged by sequence number.
        """
        cdef uint8_t* mark = self._mark.data()
        cdef size_t i = 0, j = 0, nz = self._zero.size(), ndz = self._dzero.size()
        cdef Py_ssize_t s
        cdef int k
        if ndz > 1:
            self._keys.resize(ndz)
            for k in range(<int>ndz):
                self._keys[k] = self._seq_key(self._dzero[k])
            key_sort(self._keys.data(), ndz)
            for k in range(<int>ndz):
                self._dzero[k] = <int32_t>self._keys[k].payload
        while i < nz or j < ndz:
            if j >= ndz or (i < nz and self.seq_[self._zero[i]] < self.seq_[self._dzero[j]]):
                s = self._zero[i]
                i += 1
                if mark[s] & P2_NOT_STATIC:  # dynamic this turn, or unmet
                    continue
            else:
                s = self._dzero[j]
                j += 1
            left = self._raise_within(s, left)
        return left

    cdef inline bint _dyn_less(self, const DynItem& x, const DynItem& y) noexcept nogil:
        """Key order of two dynamic edges: ratio key, then sequence number, then target."""
        if x.a != y.a:
            return x.a < y.a
        return key_less(self._full_key(x), self._full_key(y))

    cdef inline size_t _partition(self, DynItem* dyn, size_t lo, size_t hi,
                                  const DynItem& pivot, int64_t* sumlt) noexcept nogil:
        """Branch-free Lomuto pass over dyn[lo:hi]: the edges ordered before ``pivot`` move
        to the front. Returns where the others start; ``sumlt`` gets the token deltas of
        those before."""
        cdef size_t i, store = lo
        cdef int64_t total = 0
        cdef DynItem tmp
        cdef bint lt
        for i in range(lo, hi):
            tmp = dyn[i]
            lt = self._dyn_less(tmp, pivot)
            dyn[i] = dyn[store]
            dyn[store] = tmp
            total += tmp.delta * lt
            store += lt
        sumlt[0] = total
        return store

    cdef inline Key _full_key(self, const DynItem& x) noexcept nogil:
        cdef Key k
        k.a = x.a
        k.b = <uint64_t>self.seq_[x.payload >> 2]
        k.c = (<uint64_t>self._hull[x.payload].to << 2) | (x.payload & 3)
        k.payload = x.payload
        k.delta = x.delta
        return k

    cdef size_t _static_rank(self, const Key& key) noexcept nogil:
        """Number of live static edges whose key sorts before ``key``."""
        cdef size_t lo = 0, hi = self._n_live, mid
        while lo < hi:
            mid = (lo + hi) >> 1
            if key_less(self._static_key_at(self._live[mid]), key):
                lo = mid + 1
            else:
                hi = mid
        return lo

    cdef void _push_retry(self, Py_ssize_t s, int64_t remaining) noexcept nogil:
        """The reference's ``_push_edge`` below the page's ceiling, unless nothing below the
        ceiling can ever fit again (tokens only shrink), which the reference would find by
        failing each such edge in turn without effect."""
        cdef uint8_t t = self.ptype_[s], frm = self.sel_[s], to
        cdef int k = STEP_OF[t][frm]
        if k + 1 >= PATH_LEN[t] or PATH[t][k + 1] >= self._ceil[s]:
            return
        if self._cost(s, PATH[t][k + 1]) - self._cost(s, frm) > remaining:
            return
        to = self._hull_next(s, frm, self._ceil[s])
        heap_push(self._heap, self._edge_key(s, frm, to, self._value(s)))

    cdef size_t _live_static(self) noexcept nogil:
        """The live static edges (those on their page's hull chain from its start step, as
        ``_mark`` says) into ``_live`` in static order, with prefix sums of their token
        deltas in ``_cum``; returns how many.

        Between turns only a few pages change start step or become dynamic or static, so
        the last result is patched: each edge of a page whose mark changed is added or
        dropped, and the runs between are copied with their sums shifted. After the static
        order changed (or with many changed pages) it is made from scratch.
        """
        cdef uint8_t* mark = self._mark.data()
        cdef uint8_t* lmark = self._lmark.data()
        cdef Py_ssize_t s, n = self.n_slots
        cdef size_t si, ns = self._steps.size(), nl, i, j, o, c, n_chg, lo_, hi_, mid_
        cdef const uint32_t* steps = self._steps.data()
        cdef const int32_t* step_delta = self._step_delta.data()
        cdef const uint8_t* reach = self._step_reach.data()
        cdef uint32_t* step_at = self._step_at.data()
        cdef uint32_t* live
        cdef uint32_t* live2
        cdef int64_t* cum
        cdef int64_t* cum2
        cdef int64_t total, offset
        cdef uint32_t entry
        cdef uint8_t t, m0, m1
        cdef uint64_t w0, w1
        cdef int k, run
        cdef bint ok, was
        if self._cum.size() < ns + 1:
            self._live.resize(ns + 1)
            self._cum.resize(ns + 1)
        if self._live_ok:  # the pages whose marks changed, and their edges that changed
            self._chg.clear()
            s = -1
            while s + 1 < n:
                s += 1
                if s & 7 == 0 and s + 8 <= n:  # eight marks at a time: most are unchanged
                    memcpy(&w0, lmark + s, 8)
                    memcpy(&w1, mark + s, 8)
                    if w0 == w1:
                        s += 7
                        continue
                m0 = lmark[s]
                m1 = mark[s]
                if m0 == m1:
                    continue
                t = self.ptype_[s]
                if t == FREE:
                    continue
                for k in range(PATH_LEN[t] - 1):
                    entry = (<uint32_t>s << 2) | <uint32_t>k
                    si = step_at[entry]
                    if si >= ns or steps[si] != entry:  # no static edges (value 0)
                        break
                    was = (reach[si] & m0) != 0
                    if was != ((reach[si] & m1) != 0):
                        self._chg.push_back(<uint32_t>si)
                if self._chg.size() > (ns >> 4) + 16:
                    self._live_ok = False  # many: cheaper from scratch
                    break
        if not self._live_ok:
            live = self._live.data()
            cum = self._cum.data()
            cum[0] = 0
            nl = 0
            total = 0
            for si in range(ns):
                ok = (reach[si] & mark[steps[si] >> 2]) != 0  # chain from its start step
                live[nl] = <uint32_t>si  # branch-free: written always, kept when ok
                total += step_delta[si] * ok
                nl += ok
                cum[nl] = total
                step_at[steps[si]] = <uint32_t>si
            memcpy(lmark, mark, n)
            self._kept_live = nl
            self._live_ok = True
            return nl
        n_chg = self._chg.size()
        nl = self._kept_live
        if n_chg == 0:
            memcpy(lmark, mark, n)
            return nl
        sort(self._chg.begin(), self._chg.end())
        if self._cum2.size() < ns + 1:
            self._live2.resize(ns + 1)
            self._cum2.resize(ns + 1)
        live = self._live.data()
        cum = self._cum.data()
        live2 = self._live2.data()
        cum2 = self._cum2.data()
        cum2[0] = 0
        i = 0  # in the old list
        o = 0  # in the new one; cum2[o] == cum[i] + offset
        offset = 0
        for c in range(n_chg + 1):
            if c < n_chg:
                si = self._chg[c]
                lo_ = i
                hi_ = nl
                while lo_ < hi_:  # first old entry at or after si
                    mid_ = (lo_ + hi_) >> 1
                    if live[mid_] < si:
                        lo_ = mid_ + 1
                    else:
                        hi_ = mid_
                j = lo_
            else:
                j = nl
            memcpy(live2 + o, live + i, (j - i) * sizeof(uint32_t))
            run = <int>(j - i)
            k = 0
            while k + 4 <= run:  # unrolled: the compiler does not vectorize this at -O2
                cum2[o + 1 + k] = cum[i + 1 + k] + offset
                cum2[o + 2 + k] = cum[i + 2 + k] + offset
                cum2[o + 3 + k] = cum[i + 3 + k] + offset
                cum2[o + 4 + k] = cum[i + 4 + k] + offset
                k += 4
            while k < run:
                cum2[o + 1 + k] = cum[i + 1 + k] + offset
                k += 1
            o += j - i
            i = j
            if c == n_chg:
                break
            if i < nl and live[i] == si:  # was live: dropped
                offset -= step_delta[si]
                i += 1
            else:  # added
                live2[o] = <uint32_t>si
                cum2[o + 1] = cum2[o] + step_delta[si]
                offset += step_delta[si]
                o += 1
        self._live.swap(self._live2)
        self._cum.swap(self._cum2)
        memcpy(lmark, mark, n)
        self._kept_live = o
        return o

    cdef size_t _dyn_edges(self, DynItem* dyn, size_t cap, double x_lo, uint64_t guess_hi,
                           size_t* n_c, int64_t* sum_a, int64_t* sum_b) noexcept nogil:
        """The dynamic hull edges around last turn's cut, split in three by key (along a
        chain the ratios fall, so each part is a run of the chain: the hull's slopes fall
        strictly, by more than 2**-33 relative with costs below 2**31, and the two roundings
        of a ratio move it by at most 2**-52).

        Edges whose ratio is above ``x_lo`` (keys before ``desc_key(x_lo)``) are applied
        at once: their page moves to the last one's target, their token deltas are summed
        into ``sum_a`` and the page's rep before goes to ``_dsel`` (in ``_dynlist`` order)
        in case the cut is among them after all. The others go to ``dyn``: keys before
        ``guess_hi`` from the front (how many is returned, their deltas in ``sum_b``), the
        rest from the back of its ``cap`` (how many in ``n_c``). With ``x_lo`` inf and
        ``guess_hi`` all ones (no guesses) every edge goes to the front, nothing is applied.
        """
        cdef const HullEdge* hull = self._hull.data()
        cdef const HullEdge* hp
        cdef uint8_t* sel = self.sel_
        cdef uint8_t* dsel = self._dsel.data()
        cdef const uint8_t* ptype = self.ptype_
        cdef const int32_t* dynlist = self._dynlist.data()
        cdef const double* dynv = self._dynv.data()
        cdef DynItem* pb = dyn
        cdef DynItem* pc = dyn + cap
        cdef size_t j
        cdef int64_t sa = 0, sb = 0
        cdef uint32_t entry
        cdef double score
        cdef uint8_t t, cur
        cdef int k, top
        cdef HullEdge h
        cdef DynItem item
        for j in range(self._dynlist.size()):
            entry = <uint32_t>dynlist[j] << 2
            score = dynv[j]
            t = ptype[dynlist[j]]
            top = PATH_LEN[t] - 1
            cur = sel[dynlist[j]]
            dsel[j] = cur
            k = STEP_OF[t][cur]
            hp = hull + entry
            while k < top:  # applied now (a cost that does not grow: ratio inf, first)
                h = hp[k]
                if not score * <double>h.dl / h.per > x_lo:
                    break
                sa += h.delta
                cur = h.to
                k = h.kt
            sel[dynlist[j]] = cur
            while k < top:  # between the guesses, then after the upper one
                h = hp[k]
                item.a = desc_key(score * <double>h.dl / h.per)
                item.payload = entry | <uint32_t>k
                item.delta = h.delta
                k = h.kt
                if item.a < guess_hi:
                    pb[0] = item
                    pb += 1
                    sb += h.delta
                else:
                    pc -= 1
                    pc[0] = item
        n_c[0] = dyn + cap - pc
        sum_a[0] = sa
        sum_b[0] = sb
        return pb - dyn

    cdef int64_t _upgrade_pass(self, int64_t remaining) noexcept nogil:
        """The reference's ``_upgrade_pass`` without sorting every edge; returns tokens left.

        Until the first edge that does not fit (the *cut*), every edge in key order whose
        page is at its from-rep applies (a page's hull edges come in chain order), so order
        only matters after the cut. The cut is found by a weighted quickselect over the
        dynamic edges plus prefix sums of the live static ones; everything before it is
        applied at once; after it, one exact pass merges the static order, the sorted
        dynamic edges that can still do something and a heap of retries (pages whose edge
        did not fit, each with its lowered ceiling). Records the cut edge in ``_crit_*``.
        """
        cdef uint8_t* ceil_ = self._ceil.data()
        cdef Py_ssize_t s, n = self.n_slots
        cdef size_t i, j, si, nd, lo, hi, mid, store, i_lo, i_hi
        cdef size_t nl, li, di, end, nb, nc, cap
        cdef uint8_t t
        cdef int src
        cdef int64_t below, sumlt, sum_a, sum_b
        cdef Key key, sk, best
        cdef DynItem pivot
        cdef Key lo_bound, hi_bound
        cdef bint have_hi, have_sk, have_crit, guessed
        cdef double x_lo, margin, ratio = 0.0
        cdef uint32_t* live
        cdef int64_t* cum
        cdef size_t n_dynamic
        cdef const uint32_t* steps
        cdef const int32_t* step_fit
        cdef const uint8_t* step_to
        cdef DynItem* dyn
        cdef uint8_t* sel = self.sel_
        cdef const HullEdge* hull = self._hull.data()

        # 1. live static edges in order, with prefix sums of their token deltas
        if self._dynlist.size() + self._dzero.size() == <size_t>self.n_pages:  # all dynamic
            nl = 0
            if self._cum.empty():  # cum[0] (always 0) is read below
                self._cum.resize(1, 0)
        else:
            nl = self._live_static()
        self._n_live = nl
        live = self._live.data()
        cum = self._cum.data()
        steps = self._steps.data()
        step_fit = self._step_fit.data()
        step_to = self._step_to.data()

        # 2. hull chains of dynamic pages from their current rep. Around last turn's cut
        # (it moves little between turns) two guesses: ratios above the cut's by twice the
        # margin (the lower key guess) and below it by the margin (the upper one), the margin
        # being how far the cut has moved of late (at most 25 %) plus 0.5 %; a cut found
        # before the lower guess costs a second walk, hence twice. What is before the lower
        # guess is applied as the chains are walked, unless the cut turns out to be there;
        # the rest is laid out in dyn as [between the guesses | from the upper one on].
        # Without guesses (or when the cut is before the lower one), every edge goes to
        # dyn. lo_bound: everything below it fits, all of dyn[:lo] is below it; hi_bound
        # (have_hi): the cut is below it, all of dyn[hi:] is at or above it.
        n_dynamic = self._dynlist.size()
        cap = 4 * n_dynamic  # at most 4 edges per page
        if self._dyn.size() < cap:
            self._dyn.resize(cap)
            self._dsel.resize(n_dynamic)
        dyn = self._dyn.data()
        lo = 0
        below = 0
        lo_bound.a = 0
        lo_bound.b = 0
        lo_bound.c = 0
        have_hi = False
        guessed = n_dynamic > 12 and self._has_cut
        if guessed:
            key.b = 0
            key.c = 0
            margin = min(self._cut_spread, 0.25) + 0.005
            x_lo = self._cut_ratio + 2.0 * margin * abs(self._cut_ratio)
            key.a = desc_key(self._cut_ratio - margin * abs(self._cut_ratio))
            nb = self._dyn_edges(dyn, cap, x_lo, key.a, &nc, &sum_a, &sum_b)
            memmove(dyn + nb, dyn + cap - nc, nc * sizeof(DynItem))
            nd = nb + nc
            hi = nd
            if sum_a + sum_b + cum[self._static_rank(key)] <= remaining:
                lo = nb
                below = sum_a + sum_b
                lo_bound = key
            else:
                hi_bound = key
                have_hi = True
                key.a = desc_key(x_lo)
                if sum_a + cum[self._static_rank(key)] <= remaining:
                    hi = nb
                    below = sum_a
                    lo_bound = key
                else:  # the cut is among the edges applied: back to the reps before
                    hi_bound = key
                    for j in range(n_dynamic):
                        sel[self._dynlist[j]] = self._dsel[j]
                    guessed = False
        if not guessed:
            nd = self._dyn_edges(dyn, cap, INFINITY, <uint64_t>0 - 1, &nc, &sum_a, &sum_b)
            hi = nd

        # 3. the cut: a weighted quickselect over dyn[lo:hi]
        while lo < hi:
            mid = lo + (hi - lo) // 2
            pivot = dyn[mid]
            dyn[mid] = dyn[hi - 1]
            store = self._partition(dyn, lo, hi - 1, pivot, &sumlt)
            dyn[hi - 1] = dyn[store]
            dyn[store] = pivot
            key = self._full_key(pivot)
            if below + sumlt + cum[self._static_rank(key)] + pivot.delta <= remaining:
                below += sumlt + pivot.delta
                lo = store + 1
                lo_bound = key
            else:
                hi = store
                hi_bound = key
                have_hi = True
        i_lo = self._static_rank(lo_bound)
        i_hi = self._static_rank(hi_bound) if have_hi else nl
        while i_lo < i_hi:  # the first static edge in between that does not fit
            mid = (i_lo + i_hi) >> 1
            if cum[mid + 1] + below > remaining:
                i_hi = mid
            else:
                i_lo = mid + 1
        li = i_lo

        # 4. the cut edge itself: the smallest key after the cut (the first that fails)
        have_crit = li < nl
        if have_crit:
            best = self._static_key_at(live[li])
        for i in range(lo, nd):
            if have_crit and dyn[i].a > best.a:
                continue
            key = self._full_key(dyn[i])
            if not have_crit or key_less(key, best):
                best = key
                have_crit = True
        self._crit_s = -1
        if have_crit:
            s = best.payload >> 2
            self._crit_s = <int32_t>s
            self._crit_from = PATH[self.ptype_[s]][best.payload & 3]
            self._crit_to = <uint8_t>(best.c >> 2)
            ratio = key_ratio(best.a)
            if self._has_cut and self._cut_ratio != 0.0:  # the band follows recent moves
                self._cut_spread = max(abs(ratio / self._cut_ratio - 1.0),
                                       0.95 * self._cut_spread)
            self._cut_ratio = ratio
        self._has_cut = have_crit and ratio - ratio == 0.0  # not inf: a guess for next turn

        # 5. everything before the cut is applied (what is before the lower guess already is)
        for i in range(lo):  # (a page's edges may come in any order here: the highest wins)
            raise_to(sel, dyn[i].payload, hull[dyn[i].payload].to)
        for i in range(li):  # (a static page's live edges come in chain order: the last wins)
            sel[steps[live[i]] >> 2] = step_to[live[i]]
        remaining -= below + cum[li]

        # 6. after the cut: one exact pass over what can still apply or retry
        self._post.clear()
        for i in range(lo, nd):
            if hull[dyn[i].payload].fit <= remaining:
                self._post.push_back(self._full_key(dyn[i]))
        key_sort(self._post.data(), self._post.size())
        memset(ceil_, NO_CEILING, n)
        self._heap.clear()
        end = self._post.size()
        di = 0
        have_sk = False
        while True:
            if not have_sk:  # next static edge that could do something
                while li < nl:
                    si = live[li]
                    s = steps[si] >> 2
                    if (step_fit[si] <= remaining
                            and self.sel_[s] == PATH[self.ptype_[s]][steps[si] & 3]):
                        break
                    li += 1
                if li < nl:
                    have_sk = True
                    sk = self._static_key_at(live[li])
            src = -1  # 0: static, 1: dynamic, 2: heap
            if have_sk:
                src = 0
                best = sk
            if di < end and (src < 0 or key_less(self._post[di], best)):
                src = 1
                best = self._post[di]
            if not self._heap.empty() and (src < 0 or key_less(self._heap[0], best)):
                src = 2
            if src < 0:
                break
            if src == 0:
                li += 1
                have_sk = False
            elif src == 1:
                di += 1
            else:
                best = heap_pop(self._heap)
            s = best.payload >> 2
            t = self.ptype_[s]
            if self.sel_[s] != PATH[t][best.payload & 3]:
                continue
            if best.delta <= remaining:
                self.sel_[s] = <uint8_t>(best.c >> 2)
                remaining -= best.delta
                if src != 2:
                    continue  # the page's next hull edge is in the static or dynamic order
            else:
                ceil_[s] = <uint8_t>(best.c >> 2)
            self._push_retry(s, remaining)
        return remaining

    cdef void _update_recency(self, const int64_t* sp, Py_ssize_t nd) noexcept nogil:
        """End of turn: recency and predicted re-demand decay (to 0 below their floors);
        each demanded page's recency +1, once.

        Only pages in ``_active`` have non-zero recency and only pages in ``_hot`` a
        predicted re-demand, so only they decay; ``_hot`` keeps its order.
        """
        cdef Py_ssize_t s, i
        cdef size_t j, kept = 0
        cdef double r
        cdef uint8_t* mark = self._mark.data()
        for j in range(self._active.size()):
            s = self._active[j]
            r = self.rec_[s] * DECAY
            if r < REC_FLOOR:
                self.rec_[s] = 0.0
            else:
                self.rec_[s] = r
                self._active[kept] = <int32_t>s
                kept += 1
        self._active.resize(kept)
        kept = 0
        for j in range(self._hot.size()):
            s = self._hot[j]
            r = self.pred_[s] * P_DECAY
            if r < P_FLOOR:
                self.pred_[s] = 0.0
            else:
                self.pred_[s] = r
                self._hot[kept] = <int32_t>s
                kept += 1
        self._hot.resize(kept)
        self._hot_sorted = False  # decay can make two values equal
        memset(mark, 0, self.n_slots)
        for i in range(nd):
            s = sp[i]
            if not mark[s]:
                mark[s] = 1
                if self.rec_[s] == 0.0:
                    self._active.push_back(<int32_t>s)
                self.rec_[s] += 1.0

    def unmet(self):
        """Required pages of the last ``select`` that did not fit, in priority order (int32)."""
        out = np.empty(self._unmet.size(), dtype=np.int32)
        cdef Py_ssize_t i
        for i in range(<Py_ssize_t>self._unmet.size()):
            out[i] = self._unmet[i]
        return out

    def evict_all(self):
        """Drop every page to ``none`` (a compaction or reset empties the context)."""
        memset(self.sel_, NONE, self.n_slots)
        self.tokens_used = 0

    cdef bint _check(self, int64_t budget) noexcept nogil:
        """Whether the selection keeps the selection invariants (``check_invariants`` then
        says which one broke)."""
        cdef int64_t total = 0
        cdef Py_ssize_t s
        cdef size_t i
        cdef uint32_t sel, ok = 1, seen = 0
        cdef const uint8_t* mark = self._mark.data()
        cdef const uint8_t* sel_ = self.sel_
        cdef const uint8_t* ptype_ = self.ptype_
        cdef const int32_t* tok = self.tok
        # how a mark says "unmet": Phase 2 rewrites marks (P2_SKIP); without it they are
        # Phase 1's, with the MARK_UNMET bit
        cdef uint8_t unmet_mask = 0xFF if self.upgrades else MARK_UNMET
        cdef uint8_t unmet_value = P2_SKIP if self.upgrades else MARK_UNMET
        for s in range(self.n_slots):  # every rep on its page's path (free: none); the sum
            sel = sel_[s]
            ok &= SELECTABLE[ptype_[s]] >> (sel & 7)  # bit 0 stays 1 while every rep is
            seen |= sel  # (and none is past 7)
            # rep r's cost is column r - 1 (none reads column 3, masked out)
            total += tok[4 * s + ((sel + 3) & 3)] & -<int32_t>(sel != NONE)
        if self.auto_pin_hard:  # hard pins at their floor or unmet: they lead the priority order
            for i in range(self._prio.size()):
                s = self._prio[i]
                if self.pin_[s] != PIN_HARD:
                    break
                if self.sel_[s] < self.floor_[s] and (mark[s] & unmet_mask) != unmet_value:
                    return False
        return (ok & 1) and seen < 8 and total == self.tokens_used and total <= budget

    def check_invariants(self, budget):
        """Raise ``InvariantViolation`` if the current selection breaks the selection
        invariants (see the reference)."""
        total = 0
        unmet = {int(self._unmet[i]) for i in range(self._unmet.size())}
        for s in range(self.n_slots):
            t = self.ptype_[s]
            sel = self.sel_[s]
            if t == FREE:
                if sel != NONE:
                    raise InvariantViolation(f"free slot {s} is selected at {sel}")
                continue
            if sel != NONE and not (MASK[t] >> sel & 1):
                raise InvariantViolation(f"slot {s} selected at rep {sel}, off its path")
            total += self._cost(s, sel)
            if (self.auto_pin_hard and self.pin_[s] == PIN_HARD and sel < self.floor_[s]
                    and s not in unmet):
                raise InvariantViolation(f"hard-pinned slot {s} below its floor and not unmet")
        if total != self.tokens_used or total > budget:
            raise InvariantViolation(
                f"tokens used {total} (recorded {self.tokens_used}) vs budget {budget}")
