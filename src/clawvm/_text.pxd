from libc.stdint cimport int64_t

# Units (1/SCALE tokens) of text[start:end] as if it were its own string; no bounds checks,
# no slicing. For native page-in: price reps and substrings without creating them.
cdef int64_t units_of(str text, Py_ssize_t start, Py_ssize_t end) noexcept

# Units of text[start:end] + "\n" (the newline's cost depends on what ends the line).
cdef int64_t units_nl_of(str text, Py_ssize_t start, Py_ssize_t end) noexcept

# Units of ``text``, each line's units into ``out`` (it must hold text.count("\n") + 1
# entries) and into ``nl_after`` what a newline appended to ``text`` would add: price a text
# made of whole lines of another from one scan.
cdef int64_t line_units_into(str text, int64_t* out, int64_t* nl_after) noexcept
