"""Build the native engine ``clawvm._core``; everything else is declared in pyproject.toml.

``CLAWVM_PURE_PYTHON=1`` builds without the extension (the reference engine is used).
``CLAWVM_CYTHON_DEBUG=1`` turns bounds checks and line tracing back on.
"""

import os
import sys

from setuptools import Extension, setup

PURE = bool(os.environ.get("CLAWVM_PURE_PYTHON")) or sys.implementation.name != "cpython"
DEBUG = bool(os.environ.get("CLAWVM_CYTHON_DEBUG"))

DIRECTIVES = dict(
    language_level=3,
    binding=True,
    embedsignature=True,
    autotestdict=False,
    boundscheck=DEBUG,
    initializedcheck=DEBUG,
    wraparound=False,
    nonecheck=False,
    cdivision=True,
    linetrace=DEBUG,
)

# Native and reference engines must round floating point identically: no FMA contraction.
if sys.platform == "win32":
    COMPILE_ARGS = ["/fp:precise", "/O2"]
else:
    COMPILE_ARGS = ["-O2", "-ffp-contract=off", "-fno-fast-math", "-std=c++17"]

ext_modules = []
if not PURE:
    import numpy
    from Cython.Build import cythonize

    ext = Extension(
        "clawvm._core",
        ["src/clawvm/_core.pyx"],
        language="c++",
        include_dirs=[numpy.get_include()],
        extra_compile_args=COMPILE_ARGS,
        define_macros=[("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")]
        + ([("CYTHON_TRACE_NOGIL", "1")] if DEBUG else []),
    )
    render = Extension(  # the per-turn renderer (twin: clawvm._render_py)
        "clawvm._render_core",
        ["src/clawvm/_render_core.pyx"],
        language="c++",
        include_dirs=[numpy.get_include()],
        extra_compile_args=COMPILE_ARGS,
        define_macros=[("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")],
    )
    ext_modules = cythonize(
        [ext, render], compiler_directives=DIRECTIVES, annotate=DEBUG, force=True
    )

setup(ext_modules=ext_modules)
