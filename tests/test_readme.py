"""The README's Python snippets run as written (in a scratch directory)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).parent.parent / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)


def test_readme_has_snippets() -> None:
    assert len(BLOCKS) >= 2


@pytest.mark.parametrize("code", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_readme_snippet_runs(code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    exec(compile(code, str(README), "exec"), {"__name__": "__readme__"})


def test_quick_start_matches_ci() -> None:
    """The test command CI runs is the README's."""
    text = README.read_text(encoding="utf-8")
    assert 'pip install ".[test]" && python -m pytest' in text
    ci = README.parent / ".ci" / "run"
    if not ci.exists():  # wheel tests run from a copy without .ci/
        pytest.skip("no .ci/run next to the README")
    script = ci.read_text(encoding="utf-8")
    assert 'pip install ".[test]"' in script and "\npython -m pytest\n" in script
