"""Build the optional native extensions; everything else is declared in pyproject.toml.

Every module in ``EXTENSIONS`` has a pure-Python twin. When one fails to compile (no C++
compiler, ``CXX=false``...), the build goes on without it, says so once with the cause, and
records what it built in ``clawvm/_build_info.py`` so that the installed package runs the
twin without warning about it (``clawvm._engine.load_native``).

``CLAWVM_PURE_PYTHON=1``    build no extension (a py3-none-any wheel).
``CLAWVM_REQUIRE_NATIVE=1`` a failed compile is an error (wheels and CI ship the native core).
``CLAWVM_CYTHON_DEBUG=1``   bounds checks and line tracing back on.
Each takes 1/0, true/false or yes/no, in any case; anything else stops the build.
"""

import importlib.util
import os
import re
import shlex
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext
from setuptools.command.build_py import build_py
from setuptools.errors import CCompilerError, ExecError, PlatformError

ROOT = os.path.dirname(os.path.abspath(__file__))

#: The optional native extensions: (module, Cython source). One entry per extension.
EXTENSIONS = [
    ("clawvm._core", "src/clawvm/_core.pyx"),
    ("clawvm._text", "src/clawvm/_text.pyx"),
    ("clawvm._render_core", "src/clawvm/_render_core.pyx"),
]


def _env_flag(name):
    """The runtime's parser (src/clawvm/_flags.py, loaded by path: clawvm is not installed)."""
    path = os.path.join(ROOT, "src", "clawvm", "_flags.py")
    spec = importlib.util.spec_from_file_location("_clawvm_flags", path)
    flags = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(flags)
    try:
        return flags.env_flag(name)
    except ValueError as exc:
        sys.exit(f"clawvm build: {name}: {exc}")


REQUIRE_NATIVE = _env_flag("CLAWVM_REQUIRE_NATIVE")
DEBUG = _env_flag("CLAWVM_CYTHON_DEBUG")
if _env_flag("CLAWVM_PURE_PYTHON"):
    PURE_REASON = "CLAWVM_PURE_PYTHON was set at build time"
elif sys.implementation.name != "cpython":
    PURE_REASON = f"{sys.implementation.name} builds no extensions"
else:
    PURE_REASON = ""
if PURE_REASON and REQUIRE_NATIVE:
    sys.exit(f"clawvm build: CLAWVM_REQUIRE_NATIVE is set, but {PURE_REASON}")

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

HOW_TO_GET_NATIVE = (
    "To get the native engine, install a C++17 compiler (g++ or clang++; the Xcode command "
    "line tools on macOS; Visual Studio Build Tools on Windows) and reinstall. "
    "CLAWVM_REQUIRE_NATIVE=1 makes this failure an error instead."
)


def _cause(exc):
    """What failed, in one line: the program and its status rather than its 30 arguments."""
    text = " ".join(str(exc).split())
    found = re.search(r"'\['([^']+)'.*?(exit status -?\d+)", text) or re.search(
        r"command '([^']+)' failed with (exit code -?\d+)", text
    )
    if found:
        return f"the compiler `{found[1]}` failed ({found[2]})"
    return f"{type(exc).__name__}: {text}"


def _unusable_compiler():
    """Why ``CC``/``CXX`` as set cannot compile ("" if unset or usable).

    Setuptools compiles C++ with ``CXX`` but still reads ``CC`` for other steps, so a
    compiler switched off on purpose (``CC=false``) means "no compiler" for either.
    """
    for var in ("CC", "CXX"):
        value = os.environ.get(var, "").strip()
        if not value:
            continue
        command = shlex.split(value)
        try:
            ok = subprocess.run(
                [*command, "--version"], capture_output=True, timeout=60, check=False
            ).returncode == 0
        except (OSError, subprocess.SubprocessError):
            ok = False
        if not ok:
            return f"the compiler {var}={value!r} does not run"
    return ""


def _write_build_info(cmd, built, skipped):
    """Record what this build compiled, in the build tree and, for in-place builds, in src/."""
    text = (
        '"""How this copy of clawvm was built. Written by setup.py; read by clawvm._engine."""\n\n'
        "#: Native extension modules compiled into this build.\n"
        f"BUILT: tuple[str, ...] = {tuple(built)!r}\n"
        "#: Those left out, and why; their pure-Python twins run instead.\n"
        f"SKIPPED: dict[str, str] = {dict(skipped)!r}\n"
    )
    targets = [os.path.join(cmd.build_lib, "clawvm")]
    if getattr(cmd, "editable_mode", False) or getattr(cmd, "inplace", False):
        package_dir = cmd.get_finalized_command("build_py").get_package_dir("clawvm")
        targets.append(package_dir)
    for directory in targets:
        os.makedirs(directory, exist_ok=True)
        with open(os.path.join(directory, "_build_info.py"), "w", encoding="utf-8") as f:
            f.write(text)


class BuildPy(build_py):
    """Records the planned build (all extensions, or none when pure); build_ext corrects it."""

    def run(self):
        super().run()
        names = [name for name, _ in EXTENSIONS]
        skipped = dict.fromkeys(names, PURE_REASON) if PURE_REASON else {}
        _write_build_info(self, [] if PURE_REASON else names, skipped)


class OptionalBuildExt(build_ext):
    """Compiles what it can; a failed extension leaves its pure-Python twin, said once."""

    def run(self):
        self.failed = {}
        in_place = self.inplace or getattr(self, "editable_mode", False)
        super().run()
        built = [ext.name for ext in self.extensions if ext.name not in self.failed]
        _write_build_info(self, built, self.failed)
        for ext in self.extensions:
            if ext.name in self.failed:
                self._remove_stale(ext, in_place)
        if self.failed:  # one message for the whole build
            bar = "=" * 78
            lines = "".join(f"clawvm: {n} was not built: {why}\n" for n, why in self.failed.items())
            sys.stderr.write(
                f"\n{bar}\n{lines}"
                "clawvm: installing the pure-Python twins instead (the same results, but "
                "each turn runs hundreds of times slower).\n"
                f"clawvm: {HOW_TO_GET_NATIVE}\n{bar}\n\n"
            )

    def build_extension(self, ext):
        broken = _unusable_compiler()
        if broken:
            if REQUIRE_NATIVE:
                sys.exit(f"clawvm build: CLAWVM_REQUIRE_NATIVE is set, but {broken}")
            self.failed[ext.name] = broken
            return
        try:
            super().build_extension(ext)
        except (CCompilerError, ExecError, PlatformError) as exc:
            if REQUIRE_NATIVE:
                raise
            self.failed[ext.name] = _cause(exc)

    def _remove_stale(self, ext, in_place):
        """A copy from an earlier build must not outlive a failed one: the record would lie."""
        filename = self.get_ext_filename(self.get_ext_fullname(ext.name))
        paths = [os.path.join(self.build_lib, filename)]
        if in_place:
            package = ext.name.rpartition(".")[0]
            package_dir = self.get_finalized_command("build_py").get_package_dir(package)
            paths.append(os.path.join(package_dir, os.path.basename(filename)))
        for path in paths:
            if os.path.exists(path):
                os.remove(path)


ext_modules = []
if not PURE_REASON:
    import numpy
    from Cython.Build import cythonize

    extensions = [
        Extension(
            name,
            [source],
            language="c++",
            include_dirs=[numpy.get_include()],
            extra_compile_args=COMPILE_ARGS,
            define_macros=[("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")]
            + ([("CYTHON_TRACE_NOGIL", "1")] if DEBUG else []),
            optional=not REQUIRE_NATIVE,  # an in-place build then skips copying a failed one
        )
        for name, source in EXTENSIONS
    ]
    ext_modules = cythonize(extensions, compiler_directives=DIRECTIVES, annotate=DEBUG, force=True)

setup(ext_modules=ext_modules, cmdclass={"build_py": BuildPy, "build_ext": OptionalBuildExt})
