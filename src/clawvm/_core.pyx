# cython: language_level=3
# distutils: language = c++
"""Native per-turn engine: the compiled twin of ``clawvm._core_py`` (SPEC §3.2-§3.3, §5).

Same API, same results, same errors as the reference; tests check both on random tables.
The page table is a set of numpy columns indexed by slot. The per-turn kernels run
without the GIL over raw column pointers.

Speed comes from three orders kept sorted across turns, because their keys only change
when a page is added, updated or removed (or the score mode changes):

* ``_prio``: every page by Phase 1 priority (-pin, type class, -base, seq);
* ``_prefetch``: pages with a pointer by (-recompute, -base, seq);
* ``_steps``: every upgrade step of every page by its *static* Phase 2 key
  (-score/delta, seq, to), the score taken with recency 0 and future 0.

Only pages with non-zero recency (kept in ``_active``) or an oracle future have another
score this turn: they are *dynamic*. Phase 2 (see ``_phase2``) finds the first step that
does not fit by a weighted quickselect over the dynamic steps and prefix sums of the static
ones, applies everything before it, and sorts only the steps that can still fit after it.
Per turn that is linear in the table plus a sort of a few steps, not a sort of all steps.
"""

from libc.stdint cimport int32_t, int64_t, uint8_t, uint32_t, uint64_t
from libc.string cimport memset
from libcpp.vector cimport vector

cimport numpy as cnp
import numpy as np

from clawvm import _core_py
from clawvm._schema import (
    COLUMNS,
    DEMAND_REISSUES_TOOL as _DEMAND_REISSUES_TOOL,
    FREE_SLOT as _FREE_SLOT,
    N_OUTCOMES as _N_OUTCOMES,
    ORACLE_W_FUTURE as _ORACLE_W_FUTURE,
    PATH_MASK,
    PIN_BOOST as _PIN_BOOST,
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
    # per-turn slot marks
    MARK_REQ = 7        # low bits: required rep
    MARK_UNMET = 8
    # Phase 2 rewrites the marks: a page's current step index, or one of these
    P2_DYNAMIC = 254
    P2_SKIP = 255       # free or unmet

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
cdef int64_t MAX_BUDGET = 2 ** 62
cdef int64_t REISSUES = _DEMAND_REISSUES_TOOL
cdef Py_ssize_t NOGIL_MIN_SLOTS = 1024  # smaller tables keep the GIL for the turn

# Degradation paths: PATH[t][k] is the k-th rep of type t (k = 0 is none), PATH_LEN[t]
# the number of entries, STEP_OF[t][r] the index of rep r on the path.
cdef uint8_t MASK[N_TYPES]
cdef uint8_t PATH[N_TYPES][5]
cdef uint8_t PATH_LEN[N_TYPES]
cdef uint8_t STEP_OF[N_TYPES][5]


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


_init_paths()


cdef extern from *:
    """
    #include <algorithm>
    #include <cstdint>
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
    """
    ctypedef struct Key "ClawKey":
        uint64_t a
        uint64_t b
        uint64_t c
        uint32_t payload
        int32_t delta
    bint key_less "claw_key_less"(const Key& x, const Key& y) noexcept nogil
    void key_sort "claw_sort"(Key* first, size_t n) noexcept nogil


cdef struct DynItem:
    # a dynamic step during the cut search: its ratio key, entry and token delta
    uint64_t a
    uint32_t payload
    int32_t delta


cdef union Bits:
    double d
    uint64_t u


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
    cdef object _future_a, _dirty_a, _version_a, _seq_a, _selection_a, _counters_a
    cdef int32_t* tok
    cdef uint8_t* ptype_
    cdef uint8_t* floor_
    cdef uint8_t* pin_
    cdef double* base_
    cdef double* rc_
    cdef double* rec_
    cdef int32_t* fut_
    cdef uint8_t* dirty_
    cdef uint32_t* version_
    cdef int64_t* seq_
    cdef uint8_t* sel_
    cdef int64_t* counters_

    cdef readonly Py_ssize_t capacity, n_slots, n_pages
    cdef readonly int64_t tokens_used
    cdef readonly int score_mode
    cdef readonly bint auto_pin_hard, prefetch_pointers, evidence_pointers_resolve
    cdef readonly object outcomes
    cdef int64_t _next_seq
    cdef vector[int32_t] _free
    cdef vector[int32_t] _unmet
    # cached orders (see the module docstring) and per-turn scratch
    cdef vector[int32_t] _prio
    cdef vector[int32_t] _prefetch
    cdef vector[uint32_t] _steps
    cdef vector[int32_t] _step_delta
    cdef vector[uint8_t] _step_lo
    cdef vector[uint8_t] _mark
    cdef vector[DynItem] _dyn
    cdef vector[Key] _post
    cdef vector[uint32_t] _live
    cdef vector[int64_t] _cum
    cdef size_t _n_live
    cdef vector[int32_t] _active   # pages with non-zero recency
    cdef vector[int32_t] _futures  # pages with a non-zero oracle future
    cdef double _cut_ratio
    cdef bint _has_cut
    cdef vector[Key] _keys

    def __init__(self, capacity=64, *, score_mode=0, auto_pin_hard=True,
                 prefetch_pointers=True, evidence_pointers_resolve=True):
        cdef Py_ssize_t cap = _core_py._as_int("capacity", capacity)
        if cap < 1:
            raise InvalidInputError("capacity", f"must be >= 1, got {cap}")
        self._alloc(cap)
        self.n_slots = 0
        self.n_pages = 0
        self._next_seq = 0
        self._counters_a = np.zeros(_N_OUTCOMES, dtype=np.int64)
        self.counters_ = <int64_t*>cnp.PyArray_DATA(self._counters_a)
        self.outcomes = np.zeros(0, dtype=np.uint8)
        self.tokens_used = 0
        self.score_mode = 0
        self.auto_pin_hard = True
        self.prefetch_pointers = True
        self.evidence_pointers_resolve = True
        self.configure(score_mode=score_mode, auto_pin_hard=auto_pin_hard,
                       prefetch_pointers=prefetch_pointers,
                       evidence_pointers_resolve=evidence_pointers_resolve)

    # ------------------------------------------------------------------ configuration
    def configure(self, *, score_mode=None, auto_pin_hard=None, prefetch_pointers=None,
                  evidence_pointers_resolve=None):
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
        self._dirty_a = np.zeros(cap, dtype=COLUMNS["dirty"])
        self._version_a = np.zeros(cap, dtype=COLUMNS["version"])
        self._seq_a = np.zeros(cap, dtype=COLUMNS["seq"])
        self._selection_a = np.zeros(cap, dtype=COLUMNS["selection"])
        self._bind()
        self._mark.resize(cap, 0)

    cdef _bind(self):
        self.tok = <int32_t*>cnp.PyArray_DATA(self._tokens_a)
        self.ptype_ = <uint8_t*>cnp.PyArray_DATA(self._ptype_a)
        self.floor_ = <uint8_t*>cnp.PyArray_DATA(self._floor_a)
        self.pin_ = <uint8_t*>cnp.PyArray_DATA(self._pin_a)
        self.base_ = <double*>cnp.PyArray_DATA(self._base_a)
        self.rc_ = <double*>cnp.PyArray_DATA(self._recompute_a)
        self.rec_ = <double*>cnp.PyArray_DATA(self._recency_a)
        self.fut_ = <int32_t*>cnp.PyArray_DATA(self._future_a)
        self.dirty_ = <uint8_t*>cnp.PyArray_DATA(self._dirty_a)
        self.version_ = <uint32_t*>cnp.PyArray_DATA(self._version_a)
        self.seq_ = <int64_t*>cnp.PyArray_DATA(self._seq_a)
        self.sel_ = <uint8_t*>cnp.PyArray_DATA(self._selection_a)

    cdef _grow(self, Py_ssize_t need):
        cdef Py_ssize_t cap = self.capacity
        while cap < need:
            cap *= 2
        if cap == self.capacity:
            return
        old = [self._tokens_a, self._ptype_a, self._floor_a, self._pin_a, self._base_a,
               self._recompute_a, self._recency_a, self._future_a, self._dirty_a,
               self._version_a, self._seq_a, self._selection_a]
        n = self.n_slots
        self._alloc(cap)
        new = [self._tokens_a, self._ptype_a, self._floor_a, self._pin_a, self._base_a,
               self._recompute_a, self._recency_a, self._future_a, self._dirty_a,
               self._version_a, self._seq_a, self._selection_a]
        for a, b in zip(old, new):
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
        """Bytes held by the cached orders and per-slot scratch (derived from the table)."""
        return (4 * (self._prio.capacity() + self._prefetch.capacity() + self._steps.capacity()
                     + self._free.capacity() + self._unmet.capacity())
                + self._mark.capacity() + 4 * self._step_delta.capacity() + 4 * self._live.capacity()
                + 8 * self._cum.capacity() + sizeof(DynItem) * self._dyn.capacity()
                + sizeof(Key) * (self._post.capacity() + self._keys.capacity()))

    # ------------------------------------------------------------------ cached orders
    cdef inline double _score(self, Py_ssize_t s, double rec, int32_t fut) noexcept nogil:
        cdef int mode = self.score_mode
        cdef double score
        if mode == MODE_LRU:
            return rec
        if mode == MODE_RECENCY:
            return self.base_[s] + RM_REC * rec + RM_RC * self.rc_[s]
        score = self.base_[s] + PIN_BOOST[self.pin_[s]] + W_REC * rec + W_RC * self.rc_[s]
        if mode == MODE_ORACLE:
            score = score + W_FUT * <double>fut
        return score

    cdef inline int64_t _cost(self, Py_ssize_t s, int rep) noexcept nogil:
        cdef int on = rep != NONE  # branchless: rep none reads column 0 and multiplies by 0
        return on * <int64_t>self.tok[4 * s + rep - on]

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

    cdef inline Key _step_key(self, uint32_t entry, double score) noexcept nogil:
        """Key of step ``entry`` (slot << 2 | k: path[k] -> path[k + 1]) at ``score``."""
        cdef int32_t s = <int32_t>(entry >> 2)
        cdef uint8_t t = self.ptype_[s]
        cdef int k = entry & 3
        cdef uint8_t to = PATH[t][k + 1]
        cdef int64_t delta = self._cost(s, to) - self._cost(s, PATH[t][k])
        cdef Key key
        cdef Bits inf
        if delta > 0:
            key.a = desc_key(score / <double>delta + 0.0)
        else:
            inf.u = <uint64_t>0x7FF0000000000000
            key.a = desc_key(inf.d)
        key.b = <uint64_t>self.seq_[s]
        key.c = to
        key.payload = entry
        key.delta = <int32_t>delta
        return key

    cdef inline Key _static_step_key(self, uint32_t entry) noexcept nogil:
        return self._step_key(entry, self._score(entry >> 2, 0.0, 0))

    cdef inline Key _order_key(self, int32_t s, int which) noexcept nogil:
        return self._prio_key(s) if which == 0 else self._prefetch_key(s)

    cdef size_t _order_pos(self, vector[int32_t]* order, int32_t s, int which) noexcept nogil:
        """Where page ``s`` belongs in ``order`` (0: priority, 1: prefetch), by binary search."""
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

    cdef size_t _step_pos(self, uint32_t entry) noexcept nogil:
        """Where step ``entry`` belongs in the static step order, by binary search."""
        cdef Key k = self._static_step_key(entry)
        cdef size_t lo = 0, hi = self._steps.size(), mid
        while lo < hi:
            mid = (lo + hi) >> 1
            if key_less(self._static_step_key(self._steps[mid]), k):
                lo = mid + 1
            else:
                hi = mid
        return lo

    cdef void _step_insert(self, uint32_t entry) noexcept nogil:
        cdef size_t at = self._step_pos(entry)
        self._steps.insert(self._steps.begin() + at, entry)
        self._step_delta.insert(self._step_delta.begin() + at, <int32_t>self._delta(entry))
        self._step_lo.insert(self._step_lo.begin() + at, self._step_floor(entry))

    cdef void _step_erase(self, uint32_t entry) noexcept nogil:
        cdef size_t at = self._step_pos(entry)
        if at < self._steps.size() and self._steps[at] == entry:
            self._steps.erase(self._steps.begin() + at)
            self._step_delta.erase(self._step_delta.begin() + at)
            self._step_lo.erase(self._step_lo.begin() + at)

    cdef void _index_page(self, int32_t s) noexcept nogil:
        """Add a page's entries to the cached orders (its columns are already stored)."""
        cdef uint8_t t = self.ptype_[s]
        cdef int k
        self._sorted_insert(&self._prio, s, 0)
        if MASK[t] >> POINTER & 1:
            self._sorted_insert(&self._prefetch, s, 1)
        for k in range(PATH_LEN[t] - 1):
            self._step_insert((<uint32_t>s << 2) | <uint32_t>k)

    cdef uint8_t _step_floor(self, uint32_t entry) noexcept nogil:
        """The lowest current step from which step ``entry`` is reachable in static order.

        Step k can apply only if every step from the page's current one up to k comes
        before it; a step j <= k that sorts before step j - 1 breaks that chain, so a
        page must already be at step j or above. Returns the largest such j (0 if none).
        """
        cdef uint32_t base = entry & ~(<uint32_t>3)
        cdef int j, k = entry & 3
        cdef uint8_t lo = 0
        for j in range(1, k + 1):
            if key_less(self._static_step_key(base | <uint32_t>j),
                        self._static_step_key(base | <uint32_t>(j - 1))):
                lo = j
        return lo

    cdef void _unindex_page(self, int32_t s) noexcept nogil:
        """Remove a page's entries (call before its columns change)."""
        cdef uint8_t t = self.ptype_[s]
        cdef int k
        self._sorted_erase(&self._prio, s, 0)
        if MASK[t] >> POINTER & 1:
            self._sorted_erase(&self._prefetch, s, 1)
        for k in range(PATH_LEN[t] - 1):
            self._step_erase((<uint32_t>s << 2) | <uint32_t>k)

    cdef void _rebuild_orders(self) noexcept nogil:
        """Sort all three cached orders from scratch (bulk adds)."""
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
        for s in range(self.n_slots):
            if self.ptype_[s] != FREE and MASK[self.ptype_[s]] >> POINTER & 1:
                self._keys.push_back(self._prefetch_key(<int32_t>s))
        key_sort(self._keys.data(), self._keys.size())
        self._prefetch.resize(self._keys.size())
        for i in range(self._keys.size()):
            self._prefetch[i] = <int32_t>self._keys[i].payload
        self._rebuild_steps()

    cdef void _rebuild_steps(self) noexcept nogil:
        cdef Py_ssize_t s
        cdef size_t i
        cdef int k
        cdef uint8_t t
        self._keys.clear()
        for s in range(self.n_slots):
            t = self.ptype_[s]
            if t == FREE:
                continue
            for k in range(PATH_LEN[t] - 1):
                self._keys.push_back(self._static_step_key((<uint32_t>s << 2) | <uint32_t>k))
        key_sort(self._keys.data(), self._keys.size())
        self._steps.resize(self._keys.size())
        self._step_delta.resize(self._keys.size())
        self._step_lo.resize(self._keys.size())
        for i in range(self._keys.size()):
            self._steps[i] = self._keys[i].payload
            self._step_delta[i] = <int32_t>self._delta(self._keys[i].payload)
            self._step_lo[i] = self._step_floor(self._keys[i].payload)
        self._keys.clear()
        self._keys.shrink_to_fit()  # sort scratch: do not keep 32 bytes per step around

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
        page = _core_py.check_page(ptype, tokens, floor, pin, base, recompute)
        s = self._take_slot()
        self._store(s, page)
        self._init_slot(s)
        self._index_page(<int32_t>s)
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
        if self.rec_[s] != 0.0:
            _erase_value(&self._active, <int32_t>s)
        if self.fut_[s] != 0:
            _erase_value(&self._futures, <int32_t>s)
        self.ptype_[s] = FREE
        for r in range(4):
            self.tok[4 * s + r] = 0
        self.sel_[s] = NONE
        self.dirty_[s] = 0
        self.rec_[s] = 0.0
        self.fut_[s] = 0
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
            raise InvalidInputError("counts", f"length {len(ct)} does not match slots length {len(sl)}")
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
        """Classify this turn's demands against the *current* selection (SPEC §5).

        Call before ``select``. Writes one ``Outcome`` per demand to ``outcomes``, adds
        them to ``counters`` and returns the number of faults.
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
                op[i] = <uint8_t>kind
                self.counters_[kind] += 1
                faults += kind >= POST_COMPACTION_BOOTSTRAP
        self.outcomes = out
        return faults

    def select(self, budget, demand_slots, demand_reps, bint update_recency=True):
        """Choose one rep per page under ``budget`` tokens (SPEC §3.2); returns tokens used.

        The result is in ``selection``; required pages that did not fit are in ``unmet()``.
        With ``update_recency`` the recency update of the turn runs after selection.
        """
        cdef int64_t b
        if type(budget) is int and 0 <= budget <= MAX_BUDGET:
            b = budget
        else:
            bi = _core_py._as_int("budget", budget)
            if not 0 <= bi <= MAX_BUDGET:
                raise InvalidInputError("budget", f"must be in [0, 2**62], got {bi}")
            b = bi
        cdef const int64_t* sp
        cdef const int64_t* rp
        owners = self._demands(demand_slots, demand_reps, &sp, &rp)
        cdef Py_ssize_t nd = cnp.PyArray_DIM(owners[0], 0)
        cdef int64_t bad
        if self.n_slots >= NOGIL_MIN_SLOTS:
            with nogil:
                bad = self._turn(b, sp, rp, nd, update_recency)
        else:  # releasing the GIL costs more than a small table's whole turn
            bad = self._turn(b, sp, rp, nd, update_recency)
        if bad != -1:
            self.check_invariants(b)  # raises with the reason
        return self.tokens_used

    cdef int64_t _turn(self, int64_t b, const int64_t* sp, const int64_t* rp, Py_ssize_t nd,
                       bint update_recency) noexcept nogil:
        """Select, check, update recency; returns -1 or what ``_check`` found."""
        cdef int64_t bad
        self.tokens_used = b - self._select(b, sp, rp, nd)
        bad = self._check(b)
        if bad == -1 and update_recency:
            self._update_recency(sp, nd)
        return bad

    cdef int64_t _select(self, int64_t budget, const int64_t* sp, const int64_t* rp,
                         Py_ssize_t nd) noexcept nogil:
        """The two phases; returns the tokens remaining."""
        cdef int64_t remaining = budget, cost
        cdef Py_ssize_t i, s, n = self.n_slots, n_req = 0, done
        cdef uint8_t* mark = self._mark.data()
        cdef uint8_t want

        memset(self.sel_, NONE, n)
        memset(mark, 0, n)
        self._unmet.clear()

        # Phase 1: the required set, in priority order; what does not fit is unmet.
        if self.auto_pin_hard:  # hard pins lead the priority order
            for i in range(<Py_ssize_t>self._prio.size()):
                s = self._prio[i]
                if self.pin_[s] != PIN_HARD:
                    break
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
        done = 0
        i = 0
        while done < n_req:
            s = self._prio[i]
            i += 1
            want = mark[s] & MARK_REQ
            if want == 0:
                continue
            done += 1
            cost = self.tok[4 * s + want - 1]
            if cost <= remaining:
                self.sel_[s] = want
                remaining -= cost
            else:
                mark[s] |= MARK_UNMET
                self._unmet.push_back(<int32_t>s)

        # Prefetch: pointers make eviction recoverable.
        if self.prefetch_pointers:
            for i in range(<Py_ssize_t>self._prefetch.size()):
                s = self._prefetch[i]
                if self.sel_[s] == NONE and not (mark[s] & MARK_UNMET):
                    cost = self.tok[4 * s]
                    if cost <= remaining:
                        self.sel_[s] = POINTER
                        remaining -= cost

        return self._phase2(remaining)

    cdef inline int64_t _delta(self, uint32_t entry) noexcept nogil:
        cdef Py_ssize_t s = entry >> 2
        cdef uint8_t t = self.ptype_[s]
        cdef int k = entry & 3
        return self._cost(s, PATH[t][k + 1]) - self._cost(s, PATH[t][k])

    cdef inline void _raise_to(self, uint32_t entry) noexcept nogil:
        cdef Py_ssize_t s = entry >> 2
        cdef uint8_t to = PATH[self.ptype_[s]][(entry & 3) + 1]
        if to > self.sel_[s]:
            self.sel_[s] = to

    cdef inline bint _dyn_less(self, const DynItem& x, const DynItem& y) noexcept nogil:
        """Key order of two dynamic steps: ratio key, then sequence number, then target."""
        if x.a != y.a:
            return x.a < y.a
        return key_less(self._full_key(x), self._full_key(y))

    cdef inline Key _full_key(self, const DynItem& x) noexcept nogil:
        cdef Key k
        cdef Py_ssize_t s = x.payload >> 2
        k.a = x.a
        k.b = <uint64_t>self.seq_[s]
        k.c = PATH[self.ptype_[s]][(x.payload & 3) + 1]
        k.payload = x.payload
        k.delta = x.delta
        return k

    cdef size_t _static_rank(self, const Key& key) noexcept nogil:
        """Number of live static steps whose key sorts before ``key``."""
        cdef size_t lo = 0, hi = self._n_live, mid
        while lo < hi:
            mid = (lo + hi) >> 1
            if key_less(self._static_step_key(self._steps[self._live[mid]]), key):
                lo = mid + 1
            else:
                hi = mid
        return lo

    cdef int64_t _phase2(self, int64_t remaining) noexcept nogil:
        """Phase 2 without sorting every candidate; returns the tokens remaining.

        The reference sorts all steps and makes one pass. Until the first step that does
        not fit (the *cut*), every step whose page is exactly one step below it is
        applied, so order only matters after the cut. Steps of a page that sort before
        an earlier step of the same page can never apply (the page is not below them
        when they come), so they are dropped. The cut is found by a weighted quickselect
        over the dynamic steps plus prefix sums of the static ones; after it, only steps
        that still fit are sorted and passed over exactly as the reference does.
        """
        cdef uint8_t* mark = self._mark.data()
        cdef Py_ssize_t s, n = self.n_slots
        cdef size_t i, si, ns = self._steps.size(), nd, lo, hi, mid, store, i_lo, i_hi
        cdef size_t nl, li, di, end
        cdef uint8_t t, cur, m
        cdef int k, mode = self.score_mode
        cdef uint32_t entry
        cdef int64_t total, below, sumlt, delta
        cdef double score
        cdef Key key, sk
        cdef DynItem pivot, tmp
        cdef Key lo_bound, hi_bound
        cdef bint have_hi, ok
        cdef int guesses
        cdef uint64_t guess_hi, guess_lo
        cdef uint32_t* live
        cdef int64_t* cum
        cdef size_t j, n_active, n_dynamic
        cdef const uint8_t* step_lo
        cdef uint8_t cm
        cdef const uint32_t* steps
        cdef const int32_t* step_delta
        cdef int64_t c, last
        cdef uint64_t a
        cdef DynItem* dyn
        cdef bint have_sk, lt

        # 1. steps of dynamic pages (live chains only); next-step marks for static pages
        for s in range(n):  # each page's current step index, or P2_SKIP
            t = self.ptype_[s]
            mark[s] = P2_SKIP if t == FREE or mark[s] & MARK_UNMET else STEP_OF[t][self.sel_[s]]
        nd = 0
        n_active = self._active.size()
        n_dynamic = n_active + (self._futures.size() if mode == MODE_ORACLE else 0)
        if self._dyn.size() < 4 * n_dynamic:  # at most 4 steps per page
            self._dyn.resize(4 * n_dynamic)
        dyn = self._dyn.data()
        for j in range(n_dynamic):
            s = self._active[j] if j < n_active else self._futures[j - n_active]
            cur = mark[s]
            if cur >= P2_DYNAMIC:
                continue
            mark[s] = P2_DYNAMIC
            t = self.ptype_[s]
            score = self._score(s, self.rec_[s], self.fut_[s])
            last = self._cost(s, PATH[t][cur])
            for k in range(cur, PATH_LEN[t] - 1):
                c = self.tok[4 * s + PATH[t][k + 1] - 1]
                delta = c - last
                last = c
                a = desc_key(score / <double>delta + 0.0) if delta > 0 else INF_KEY
                if k > cur and a < dyn[nd - 1].a:  # sorts before its own predecessor: dead
                    break
                dyn[nd].a = a
                dyn[nd].payload = (<uint32_t>s << 2) | <uint32_t>k
                dyn[nd].delta = <int32_t>delta
                nd += 1

        # 2. live static steps in order, with prefix sums of their token deltas
        if self._cum.size() < ns + 1:
            self._live.resize(ns + 1)
            self._cum.resize(ns + 1)
        live = self._live.data()
        cum = self._cum.data()
        cum[0] = 0
        nl = 0
        total = 0
        steps = self._steps.data()
        step_delta = self._step_delta.data()
        step_lo = self._step_lo.data()
        for si in range(ns):
            entry = steps[si]
            s = entry >> 2
            cm = mark[s]  # current step; P2_DYNAMIC and P2_SKIP fail the test
            ok = (cm <= (entry & 3)) & (cm >= step_lo[si])
            live[nl] = <uint32_t>si  # branch-free: written always, kept when ok
            total += step_delta[si] * ok
            nl += ok
            cum[nl] = total
        self._n_live = nl

        # 3. the cut: weighted quickselect over the dynamic steps. Two guesses around the
        # last turn's cut first (it moves little between turns), then plain quickselect.
        lo = 0
        hi = nd
        below = 0
        lo_bound.a = 0  # everything below lo_bound fits; all of dyn[:lo] is below it
        lo_bound.b = 0
        lo_bound.c = 0
        have_hi = False  # the cut is below hi_bound; all of dyn[hi:] is at or above it
        guesses = 0
        if nd > 32 and self._has_cut:
            guess_hi = desc_key(self._cut_ratio - 0.05 * abs(self._cut_ratio))
            guess_lo = desc_key(self._cut_ratio + 0.05 * abs(self._cut_ratio))
            guesses = 2
        while lo < hi:
            if guesses:  # a virtual pivot: a key, not an element
                pivot.a = guess_hi if guesses == 2 else guess_lo
                guesses -= 1
                store = lo
                sumlt = 0
                for i in range(lo, hi):
                    tmp = dyn[i]
                    lt = tmp.a < pivot.a
                    dyn[i] = dyn[store]
                    dyn[store] = tmp
                    sumlt += tmp.delta * lt
                    store += lt
                key.a = pivot.a
                key.b = 0
                key.c = 0
                if below + sumlt + cum[self._static_rank(key)] <= remaining:
                    below += sumlt
                    lo = store
                    lo_bound = key
                    guesses = 0
                else:
                    hi = store
                    hi_bound = key
                    have_hi = True
                continue
            mid = lo + (hi - lo) // 2
            pivot = dyn[mid]
            dyn[mid] = dyn[hi - 1]
            store = lo
            sumlt = 0
            for i in range(lo, hi - 1):  # branch-free Lomuto partition
                tmp = dyn[i]
                lt = self._dyn_less(tmp, pivot)
                dyn[i] = dyn[store]
                dyn[store] = tmp
                sumlt += tmp.delta * lt
                store += lt
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
        while i_lo < i_hi:  # the first static step in between that does not fit
            mid = (i_lo + i_hi) >> 1
            if cum[mid + 1] + below > remaining:
                i_hi = mid
            else:
                i_lo = mid + 1
        li = i_lo
        # remember where the cut fell, for next turn's guesses
        self._has_cut = True
        if li < nl:
            entry = self._steps[live[li]]
            self._cut_ratio = key_ratio(self._static_step_key(entry).a)
        elif lo < nd:
            self._cut_ratio = key_ratio(dyn[lo].a)
        else:
            self._has_cut = False
        if self._cut_ratio != self._cut_ratio or self._cut_ratio - self._cut_ratio != 0.0:
            self._has_cut = False  # inf: no useful guess

        # 4. everything before the cut is applied
        for i in range(lo):
            self._raise_to(dyn[i].payload)
        for i in range(li):
            self._raise_to(self._steps[live[i]])
        remaining -= below + cum[li]

        # 5. after the cut: one exact pass over the steps that can still fit
        self._post.clear()
        for i in range(lo, nd):
            if dyn[i].delta <= remaining:
                self._post.push_back(self._full_key(dyn[i]))
        key_sort(self._post.data(), self._post.size())
        end = self._post.size()
        di = 0
        have_sk = False
        while True:
            if not have_sk:  # next static step that could apply (order-independent skip)
                while li < nl:
                    si = live[li]
                    entry = self._steps[si]
                    s = entry >> 2
                    if (self._step_delta[si] <= remaining
                            and self.sel_[s] == PATH[self.ptype_[s]][entry & 3]):
                        break
                    li += 1
                if li < nl:
                    have_sk = True
                    if di < end:
                        sk = self._static_step_key(self._steps[live[li]])
            if have_sk and (di >= end or key_less(sk, self._post[di])):
                entry = self._steps[live[li]]
                li += 1
                have_sk = False
            elif di < end:
                entry = self._post[di].payload
                di += 1
            else:
                break
            s = entry >> 2
            if self.sel_[s] == PATH[self.ptype_[s]][entry & 3]:
                delta = self._delta(entry)
                if delta <= remaining:
                    self.sel_[s] = PATH[self.ptype_[s]][(entry & 3) + 1]
                    remaining -= delta
        return remaining

    cdef void _update_recency(self, const int64_t* sp, Py_ssize_t nd) noexcept nogil:
        """Every page's recency x DECAY (0 below the floor); each demanded page +1 once.

        Only pages in ``_active`` have non-zero recency, so only they decay.
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

    cdef int64_t _check(self, int64_t budget) noexcept nogil:
        """-1 when the selection keeps SPEC §3.2's invariants, else the offending slot
        (or n_slots for a token-total mismatch)."""
        cdef int64_t total = 0
        cdef Py_ssize_t s
        cdef uint8_t t, sel
        cdef uint8_t* mark = self._mark.data()
        for s in range(self.n_slots):
            t = self.ptype_[s]
            sel = self.sel_[s]
            if t == FREE:
                if sel != NONE:
                    return s
                continue
            if sel != NONE and not (MASK[t] >> sel & 1):
                return s
            total += self._cost(s, sel)
            if (self.auto_pin_hard and self.pin_[s] == PIN_HARD and sel < self.floor_[s]
                    and mark[s] != P2_SKIP):
                return s
        if total != self.tokens_used or total > budget:
            return self.n_slots
        return -1

    def check_invariants(self, budget):
        """Raise ``InvariantViolation`` if the current selection breaks SPEC §3.2's invariants."""
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
