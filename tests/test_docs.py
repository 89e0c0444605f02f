"""The design documents: every ``docs/<file>.md §N`` that code or docs cite exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import clawvm

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
HEADING = re.compile(r"^#{2,3} (\d+(?:\.\d+)?)\.? ", re.M)
CITED = re.compile(r"docs/([\w-]+)\.md §(\d+(?:\.\d+)?)")
IN_DOCS = re.compile(r"(?:([\w-]+)\.md )?§(\d+(?:\.\d+)?)")


def _sections(name: str) -> set[str]:
    path = DOCS / f"{name}.md"
    return set(HEADING.findall(path.read_text(encoding="utf-8"))) if path.exists() else set()


def _cited_in_code() -> list[tuple[str, str, str]]:
    roots = [Path(clawvm.__file__).parent, ROOT / "tests", ROOT / "bench", ROOT / "README.md"]
    files = [f for r in roots if r.exists() for f in ([r] if r.is_file() else r.rglob("*"))]
    return [
        (str(f), name, section)
        for f in files
        if f.suffix in {".py", ".pyx", ".pyi", ".md"}
        for name, section in CITED.findall(f.read_text(encoding="utf-8", errors="replace"))
    ]


@pytest.fixture(autouse=True)
def _need_docs() -> None:
    if not DOCS.is_dir():
        pytest.skip("no docs/ next to the tests")


def test_the_index_links_every_design_document() -> None:
    index = (DOCS / "README.md").read_text(encoding="utf-8")
    for doc in sorted(DOCS.glob("*.md")):
        if doc.name != "README.md":
            assert f"]({doc.name})" in index, doc.name


def test_sections_are_numbered_once() -> None:
    for doc in sorted(DOCS.glob("*.md")):
        numbers = HEADING.findall(doc.read_text(encoding="utf-8"))
        assert len(numbers) == len(set(numbers)), doc.name


def test_every_section_the_code_cites_exists() -> None:
    missing = [(f, n, s) for f, n, s in _cited_in_code() if s not in _sections(n)]
    assert not missing, missing


def test_every_section_the_docs_cite_exists() -> None:
    missing = []
    for doc in sorted(DOCS.glob("*.md")):
        if doc.name == "README.md":  # its table lists design.md's sections by bare number
            continue
        for name, section in IN_DOCS.findall(doc.read_text(encoding="utf-8")):
            target = name or doc.stem
            if (DOCS / f"{target}.md").exists() and section not in _sections(target):
                missing.append((doc.name, target, section))
    assert not missing, missing
