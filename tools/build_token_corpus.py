"""Assemble the token-calibration corpus (tests/data/tokens/corpus.jsonl) from this machine.

Dev-time only: it reads files that ship with CPython, Debian and installed packages, plus
logs and test output captured from real programs into a folder (``--captured``, see
tests/data/tokens/README.md for the commands). Each sample is a run of whole lines from
one document, of a length drawn log-uniformly between 200 and 4,000 characters (the sizes
of tool results and pages). Seeded, so the same inputs give the same corpus. The exact
o200k_base and cl100k_base counts are stored beside each text, so the calibration test
runs without the exact tokenizer installed.

    python tools/build_token_corpus.py --captured /tmp/tokens-src
"""

from __future__ import annotations

import argparse
import email.parser
import glob
import gzip
import json
import os
import random
import subprocess
import sys
import sysconfig
from collections.abc import Callable, Iterator
from pathlib import Path

PER_CLASS = 40
MIN_CHARS, MAX_CHARS = 200, 4000
STDLIB = Path(sysconfig.get_paths()["stdlib"])
SITE = Path(sysconfig.get_paths()["purelib"])
BASE_SITE = STDLIB / "site-packages"  # the interpreter's own site-packages (more packages)
OUT = Path(__file__).resolve().parents[1] / "tests" / "data" / "tokens" / "corpus.jsonl"

Doc = tuple[str, str, str]  # (source label, license, text)
MAN_LICENSES = {  # from /usr/share/doc/<package>/copyright
    **dict.fromkeys(["ls", "cp", "sort", "chmod"], "GPL-3.0+ (coreutils)"),
    **dict.fromkeys(["find", "xargs"], "GFDL-1.3+ (findutils)"),
    "grep": "GPL-3.0+ (grep)",
    "sed": "GPL-3.0+ (sed)",
    "tar": "GPL-3.0+ (tar)",
    "gzip": "GPL-3.0+ (gzip)",
    "make": "GPL-3.0+ (make)",
    "git": "GPL-2.0 (git)",
    "ps": "LGPL-2.1+ (procps)",
}


def _man(page: str, lang: str = "C") -> str:
    env = dict(os.environ, MANWIDTH="80", LANG="C.UTF-8")
    args = ["man", "-P", "cat"] + ([] if lang == "C" else ["-L", lang]) + [page]
    out = subprocess.run(args, env=env, capture_output=True, check=False).stdout
    return subprocess.run(["col", "-bx"], input=out, capture_output=True).stdout.decode("utf-8")


def _man_pages(lang: str, section_dir: str, names: list[str]) -> list[str]:
    have = {Path(p).name.split(".")[0] for p in glob.glob(f"/usr/share/man/{section_dir}/man1/*")}
    return [n for n in names if n in have]


def code() -> Iterator[Doc]:
    mods = [
        "argparse",
        "asyncio/base_events",
        "collections/__init__",
        "csv",
        "dataclasses",
        "difflib",
        "email/message",
        "functools",
        "http/client",
        "inspect",
        "json/decoder",
        "logging/__init__",
        "pathlib",
        "shutil",
        "subprocess",
        "tarfile",
        "textwrap",
        "typing",
        "unittest/case",
        "zipfile",
    ]
    for m in mods:
        yield f"CPython 3.11 Lib/{m}.py", "PSF-2.0", (STDLIB / f"{m}.py").read_text()
    root = Path(__file__).resolve().parents[1] / "src" / "clawvm"
    yield "clawvm src/clawvm/_core.pyx", "MIT", (root / "_core.pyx").read_text()
    import numpy

    inc = Path(numpy.get_include()) / "numpy"
    for h in ("ndarraytypes.h", "npy_common.h", "ufuncobject.h"):
        yield f"numpy {numpy.__version__} include/numpy/{h}", "BSD-3-Clause", (inc / h).read_text()
    for sh, lic in (
        ("/usr/bin/ldd", "LGPL-2.1+ (glibc)"),
        ("/usr/sbin/update-ca-certificates", "GPL-2.0+ (ca-certificates)"),
        ("/usr/bin/zgrep", "GPL-3.0+ (gzip)"),
    ):
        if Path(sh).exists():
            yield f"Debian {sh} (shell script)", lic, Path(sh).read_text()


def prose() -> Iterator[Doc]:
    from pydoc_data.topics import topics

    for name in sorted(topics):
        if len(topics[name]) > 3000:
            yield (
                f"CPython 3.11 pydoc_data.topics[{name!r}] (the language reference)",
                "PSF-2.0",
                topics[name],
            )
    for page in _man_pages(
        "C",
        "",
        [
            "ls",
            "cp",
            "grep",
            "tar",
            "find",
            "sed",
            "ssh",
            "git",
            "rsync",
            "make",
            "gzip",
            "sort",
            "xargs",
            "chmod",
            "ps",
        ],
    ):
        yield (
            f"man 1 {page} (Debian 12)",
            MAN_LICENSES.get(page, "see its Debian copyright"),
            _man(page),
        )
    for mod in (
        "email/__init__",
        "asyncio/__init__",
        "unittest/__init__",
        "pickle",
        "doctest",
        "optparse",
    ):
        import ast

        doc = ast.get_docstring(ast.parse((STDLIB / f"{mod}.py").read_text()))
        if doc and len(doc) > 1200:
            yield f"CPython 3.11 Lib/{mod}.py module docstring", "PSF-2.0", doc


def markdown() -> Iterator[Doc]:
    for meta in sorted(glob.glob(str(BASE_SITE / "*.dist-info" / "METADATA"))):
        msg = email.parser.Parser().parsestr(Path(meta).read_text(errors="replace"))
        body = msg.get_payload()
        if "markdown" not in (msg.get("Description-Content-Type") or "") or len(body) < 3000:
            continue
        lic = msg.get("License-Expression") or (msg.get("License") or "").splitlines()[0:1]
        lic = lic if isinstance(lic, str) else (lic[0] if lic else "see package metadata")
        yield f"PyPI {msg['Name']} {msg['Version']} README (METADATA)", lic[:60], body


def json_docs() -> Iterator[Doc]:
    files = [
        ("boto3/data/s3/2006-03-01/resources-1.json", "boto3", "Apache-2.0"),
        ("boto3/data/ec2/2016-11-15/resources-1.json", "boto3", "Apache-2.0"),
        ("boto3/data/dynamodb/2012-08-10/resources-1.json", "boto3", "Apache-2.0"),
        (
            "jsonschema_specifications/schemas/draft7/metaschema.json",
            "jsonschema-specifications",
            "MIT",
        ),
    ]
    for rel, pkg, lic in files:
        p = BASE_SITE / rel
        if p.exists():
            yield f"{pkg} {rel}", lic, p.read_text()
    for p in sorted(glob.glob(str(BASE_SITE / "botocore/data/*/*/service-2.json.gz")))[:6]:
        yield f"botocore {Path(p).relative_to(BASE_SITE)}", "Apache-2.0", gzip.open(p, "rt").read()
    for name in ("iso_3166-1.json", "iso_639-3.json", "iso_4217.json"):
        p = Path("/usr/share/iso-codes/json") / name
        if p.exists():
            yield f"Debian iso-codes {name}", "LGPL-2.1+", p.read_text()
    for name in ("zoneinfo_data.json",):
        p = STDLIB / "test" / "test_zoneinfo" / "data" / name
        if p.exists():
            yield f"CPython 3.11 Lib/test/test_zoneinfo/data/{name}", "PSF-2.0", p.read_text()


def logs(captured: Path) -> Iterator[Doc]:
    for name, what in [
        ("dpkg.log", "/var/log/dpkg.log of this machine"),
        ("apt_term.log", "/var/log/apt/term.log of this machine"),
        ("apt_history.log", "/var/log/apt/history.log of this machine"),
        ("build_ext.log", "`python setup.py build_ext --inplace --force` of clawvm"),
        ("build_ext_failed.log", "the same with a too-old setuptools (a failed build)"),
        ("git_log_stat.log", "`git log --stat` of the clawvm repository"),
        ("grep_defs.log", "`grep -rn 'def \\|class ' src/` in clawvm"),
        ("grep_raise.log", "`grep -rn 'TODO\\|raise '` over clawvm and CPython's json package"),
        ("ls_la.log", "`ls -la /usr/lib/x86_64-linux-gnu`"),
        ("git_log_p.log", "`git log -p` of the clawvm repository"),
    ]:
        p = captured / name
        if p.exists():
            yield (
                f"captured: {what}",
                "output of programs run here (no license claimed)",
                p.read_text(errors="replace"),
            )


def test_output(captured: Path) -> Iterator[Doc]:
    for p in sorted(captured.glob("*.log")):
        if p.name.startswith(("pytest", "unittest", "regrtest")):
            yield (
                f"captured: {p.name} (pytest / unittest run of a real suite)",
                "test output (no license claimed)",
                p.read_text(errors="replace"),
            )


def cjk() -> Iterator[Doc]:
    seen: set[str] = set()
    for p in sorted(glob.glob(str(STDLIB / "test" / "cjkencodings" / "*-utf8.txt"))):
        text = Path(p).read_text()
        # one copy of each text; not the codec torture tests (random rare characters)
        if text in seen or Path(p).name.startswith(("cp949", "johab", "big5hkscs")):
            continue
        seen.add(text)
        yield f"CPython 3.11 Lib/test/cjkencodings/{Path(p).name}", "PSF-2.0", text
    for lang, d, lic in (
        ("zh_CN", "zh_CN", "GFDL-1.2+ (manpages-zh)"),
        ("ja", "ja", "per page, DFSG-free (manpages-ja)"),
    ):
        names = sorted(
            {Path(p).name.split(".")[0] for p in glob.glob(f"/usr/share/man/{d}/man1/*")}
        )
        random.Random(lang).shuffle(names)
        for n in names[:24]:
            text = _man(n, lang)
            if len(text) > 1500:
                yield f"Debian manpages-{lang.split('_')[0]} {n}(1)", lic, text


def _sample(doc: str, rng: random.Random) -> str:
    """Whole lines from a random start until a log-uniform target length is reached."""
    target = int(MIN_CHARS * (MAX_CHARS / MIN_CHARS) ** rng.random())
    lines = doc.splitlines(keepends=True)
    start = rng.randrange(len(lines))
    out: list[str] = []
    size = 0
    for ln in lines[start:]:
        if size + len(ln) > MAX_CHARS and out:
            break
        out.append(ln)
        size += len(ln)
        if size >= target:
            break
    text = "".join(out).strip("\n")
    return text if len(text) >= MIN_CHARS else ""


def build(captured: Path) -> list[dict[str, object]]:
    import bpe_openai

    encs = {n: bpe_openai.get_encoding(n) for n in ("o200k_base", "cl100k_base")}
    classes: dict[str, Callable[[], Iterator[Doc]]] = {
        "code": code,
        "prose": prose,
        "markdown": markdown,
        "json": json_docs,
        "logs": lambda: logs(captured),
        "test_output": lambda: test_output(captured),
        "cjk": cjk,
    }
    rows: list[dict[str, object]] = []
    for cls, load in classes.items():
        docs = [d for d in load() if len(d[2]) >= MIN_CHARS]
        rng = random.Random(f"clawvm-tokens-{cls}")
        rng.shuffle(docs)  # every source of the class, not only the first in file order
        n = 0
        while n < PER_CLASS:
            label, lic, doc = (
                docs[n] if n < len(docs) else rng.choices(docs, [len(d[2]) for d in docs])[0]
            )
            text = _sample(doc, rng)
            if not text or "\x00" in text:
                continue
            row: dict[str, object] = {
                "id": f"{cls}-{n + 1:02d}",
                "class": cls,
                "source": label,
                "license": lic,
                "text": text,
            }
            for name, enc in encs.items():
                row[name] = len(enc.encode(text, disallowed_special=()))
            rows.append(row)
            n += 1
        print(f"{cls}: {len(docs)} documents, {n} samples", file=sys.stderr)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--captured", type=Path, required=True, help="folder of captured logs and test output"
    )
    ap.add_argument("-o", "--out", type=Path, default=OUT)
    args = ap.parse_args()
    rows = build(args.captured)
    with open(args.out, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(
        f"{len(rows)} samples, {sum(len(str(r['text'])) for r in rows):,} characters -> {args.out}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
