from libc.stdint cimport int64_t

# Units (1/SCALE tokens) of text[start:end] as if it were its own string; no bounds checks,
# no slicing. For native page-in: price reps and substrings without creating them.
cdef int64_t units_of(str text, Py_ssize_t start, Py_ssize_t end) noexcept
