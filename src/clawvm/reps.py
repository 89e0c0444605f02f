"""Representation generators (docs/design.md §3): deterministic text for every rep of every type.

Reps are produced when a page is created or updated, never under budget pressure. The
defaults make no model calls; ``register_generator`` swaps one (an LLM summariser, an
LLMLingua-style compressor) for a page type. A pointer is ``[page:<id> <type> · meta]``
and always resolves back to its page (``parse_pointer`` / ``VM.resolve``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from clawvm._schema import PageType, Rep
from clawvm.errors import InvalidInputError, InvalidTypeError
from clawvm.pages import Page, path_of
from clawvm.tokens import Tokenizer

__all__ = [
    "DEFAULT_REGISTRY",
    "Generator",
    "Registry",
    "parse_pointer",
    "monotone_costs",
    "path_costs",
    "register_generator",
    "render",
]

Generator = Callable[[Page], str]

POINTER_RE = re.compile(r"\[page:([A-Za-z0-9][A-Za-z0-9._:/@+#=-]{0,127})[\s\]]")
_META_CHARS = 56
_LINE_CHARS = 160
_HEAD, _TAIL, _KEEP = 8, 4, 6
_DIRECTIVE_RE = re.compile(
    r"^\s*(?:[-*+•]|\d+[.)]|#+)\s+|\b(?:must|never|always|do not|don't|should|only|required?)\b",
    re.I,
)


# ------------------------------------------------------------------ text helpers
_JSON = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(", ", ": "))


def as_text(value: Any) -> str:
    """Strings as they are; anything else as compact, key-sorted JSON."""
    if isinstance(value, str):
        return value
    return _JSON.encode(value)


def clip(text: str, n: int) -> str:
    """One line of at most ``n`` characters (whitespace collapsed, ellipsis when cut)."""
    line = " ".join(text.split())
    return line if len(line) <= n else line[: n - 1].rstrip() + "…"


def head_tail(text: str, keep: Callable[[str], bool] | None = None) -> str:
    """Token-reduced text: first and last lines, plus middle lines ``keep`` marks as invariant."""
    lines = [ln.rstrip() for ln in text.splitlines() if ln.strip()]
    lines = [ln if len(ln) <= _LINE_CHARS else ln[: _LINE_CHARS - 1] + "…" for ln in lines]
    if len(lines) <= _HEAD + _TAIL + 1:
        return "\n".join(lines)
    middle = lines[_HEAD:-_TAIL]
    kept = [ln for ln in middle if keep is not None and keep(ln)][:_KEEP]
    omitted = len(middle) - len(kept)
    return "\n".join([*lines[:_HEAD], f"… {omitted} lines omitted …", *kept, *lines[-_TAIL:]])


def _pointer(page: Page, meta: str) -> str:
    meta = clip(meta, _META_CHARS)
    return f"[page:{page.id} {page.type.name.lower()}" + (f" · {meta}]" if meta else "]")


def _count(n: int, what: str) -> str:
    return f"{n} {what}" + ("" if n == 1 else "s")


# ------------------------------------------------------------------ bootstrap
def _bootstrap_full(p: Page) -> str:
    return as_text(p.content)


def _bootstrap_structured(p: Page) -> str:
    """The rule lines (bullets, numbered items, headings, must/never/always lines)."""
    lines = [ln.strip() for ln in as_text(p.content).splitlines() if ln.strip()]
    rules = [ln for ln in lines if _DIRECTIVE_RE.search(ln)]
    return "\n".join(rules or lines)


# ------------------------------------------------------------------ constraint
def _constraint_structured(p: Page) -> str:
    return f"constraint: {p.content['rule']}"


def _constraint_full(p: Page) -> str:
    extra = [f"{k}: {as_text(v)}" for k, v in sorted(p.content.items()) if k != "rule"]
    return "\n".join([_constraint_structured(p), *extra])


# ------------------------------------------------------------------ plan
def _plan_status(c: dict[str, Any]) -> str:
    steps = c["steps"]
    if c["done"]:
        return "done"
    return f"step {c['step'] + 1}/{len(steps)}" if steps else "no steps"


def _plan_full(p: Page) -> str:
    c = p.content
    out = [f"goal: {c['goal']}" + (" (done)" if c["done"] else "")]
    for i, step in enumerate(c["steps"]):
        mark = "x" if c["done"] or i < c["step"] else ">" if i == c["step"] else " "
        out.append(f"[{mark}] {i + 1}. {step}")
    out.extend(
        f"{k}: {as_text(v)}"
        for k, v in sorted(c.items())
        if k not in ("goal", "steps", "step", "done")
    )
    return "\n".join(out)


def _plan_structured(p: Page) -> str:
    c = p.content
    if c["done"] or not c["steps"]:
        return f"goal: {c['goal']}\nstatus: {_plan_status(c)}"
    return f"goal: {c['goal']}\n{_plan_status(c)}: {c['steps'][c['step']]}"


def _plan_pointer(p: Page) -> str:
    return _pointer(p, f"{_plan_status(p.content)} · {p.content['goal']}")


# ------------------------------------------------------------------ preference
def _preference_structured(p: Page) -> str:
    return f"{p.content['key']} = {clip(as_text(p.content.get('value')), 200)}"


def _preference_full(p: Page) -> str:
    c = p.content
    extra = [f"{k}: {as_text(v)}" for k, v in sorted(c.items()) if k not in ("key", "value")]
    return "\n".join([f"preference {c['key']} = {as_text(c.get('value'))}", *extra])


def _preference_compressed(p: Page) -> str:
    return head_tail(_preference_full(p))


def _preference_pointer(p: Page) -> str:
    return _pointer(p, p.content["key"])


# ------------------------------------------------------------------ evidence
# The evidence reps are made in one pass over the result's lines, by rules simple enough
# that the native renderer (``_render_core.evidence_texts``) makes the same text, byte for
# byte, and prices it from the result's per-line token units instead of counting it again.
#: Words that mark a line as an error line (ASCII, any case).
ERROR_WORDS = ("error", "exception", "traceback", "fail", "fatal", "panic", "denied", "not found")
#: File extensions that make a word without a ``/`` a path.
PATH_EXTS = frozenset(
    "py pyx js ts tsx go rs c h cpp java md json toml yaml yml txt sh sql html css".split()
)
_PATH_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./-")
_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_MAX_PATHS, _MAX_ERRORS = 8, 5


def is_error_line(line: str) -> bool:
    """Does ``line`` name a failure (one of ``ERROR_WORDS``, ASCII case ignored)?"""
    low = line.translate(_ASCII_LOWER)
    return any(w in low for w in ERROR_WORDS)


def _is_path(word: str) -> bool:
    slash = word.rfind("/")
    if slash >= 0:
        return any(ch in _WORD_CHARS for ch in word[slash + 1 :])
    dot = word.rfind(".")
    return (
        dot > 0
        and word[dot + 1 :] in PATH_EXTS
        and any(ch in _WORD_CHARS for ch in word[:dot])
    )


def find_paths(text: str) -> list[str]:
    """File paths in ``text``, first occurrence order: runs of ``[A-Za-z0-9_./-]`` (trailing
    dots dropped) that hold a ``/`` before a name, or end in a known extension."""
    out: dict[str, None] = {}
    i, n = 0, len(text)
    while i < n:
        if text[i] not in _PATH_CHARS:
            i += 1
            continue
        j = i
        while j < n and text[j] in _PATH_CHARS:
            j += 1
        word = text[i:j].rstrip(".")
        if word and _is_path(word):
            out[word] = None
        i = j
    return list(out)


def result_lines(text: str) -> list[str]:
    """The result's lines as ``"\n"`` splits them (a final newline ends the last line)."""
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return lines


def _cut(line: str) -> str:
    """A line of at most about 160 characters: cut after a word if one ends past the middle."""
    if len(line) <= _LINE_CHARS:
        return line
    for p in range(_LINE_CHARS - 1, _LINE_CHARS // 2 - 1, -1):
        if line[p] == " " and not line[p - 1].isspace():
            return line[:p] + " …"
    return line[: _LINE_CHARS - 1] + "…"


def evidence_bodies(page_id: str, call: str, result: str, exit: str | None) -> tuple[str, ...]:
    """The default evidence reps (full, compressed, structured, pointer) of one result.

    ``call`` is the tool and its arguments as text, ``exit`` the exit status as text (None:
    none). Compressed: the call, the first 8 and last 4 non-blank lines (each cut to about
    160 characters) and up to 6 error lines from between them. Structured: the call, exit
    status, size, up to 8 file paths and the first 5 error lines (cut as compressed cuts).
    Pointer: call, size, exit.
    """
    lines = result_lines(result)
    tail = [] if exit is None else [f"[exit {exit}]"]
    full = "\n".join([f"$ {call}", result, *tail])
    kept = [ln.rstrip() for ln in lines]
    kept = [ln for ln in kept if ln]
    if len(kept) <= _HEAD + _TAIL + 1:
        body = [_cut(ln) for ln in kept]
    else:
        middle = kept[_HEAD:-_TAIL]
        errs = [ln for ln in middle if is_error_line(ln)][:_KEEP]
        body = [
            *map(_cut, kept[:_HEAD]),
            f"… {len(middle) - len(errs)} lines omitted …",
            *map(_cut, errs),
            *map(_cut, kept[-_TAIL:]),
        ]
    short = clip(call, 120)
    compressed = "\n".join([f"$ {short}", "\n".join(body), *tail])
    out = [f"tool: {short}"]
    if exit is not None:
        out.append(f"exit: {exit}")
    out.append(f"size: {_count(len(lines), 'line')}, {_count(len(result), 'char')}")
    paths = find_paths(result)
    if paths:
        more = f" (+{len(paths) - _MAX_PATHS} more)" if len(paths) > _MAX_PATHS else ""
        out.append("paths: " + ", ".join(paths[:_MAX_PATHS]) + more)
    errors = [_cut(ln) for ln in kept if is_error_line(ln)][:_MAX_ERRORS]
    if errors:
        out.append("errors:")
        out.extend(errors)
    status = "" if exit is None else f" · exit {exit}"
    meta = clip(f"{clip(call, 32)} · {_count(len(lines), 'line')}{status}", _META_CHARS)
    pointer = f"[page:{page_id} evidence · {meta}]"
    return full, compressed, "\n".join(out), pointer


def evidence_parts(c: dict[str, Any]) -> tuple[str, str, str | None]:
    """(call, result, exit) of evidence content as the reps show them."""
    exit = c.get("exit")
    return _call(c), as_text(c.get("result", "")), None if exit is None else str(exit)


def _call(c: dict[str, Any]) -> str:
    args = c.get("args")
    return c["tool"] if args in (None, {}, [], "") else f"{c['tool']} {as_text(args)}"


def _evidence(rep: int) -> Generator:
    def generate(p: Page) -> str:
        return evidence_bodies(p.id, *evidence_parts(p.content))[rep]

    generate.__name__ = f"_evidence_{('full', 'compressed', 'structured', 'pointer')[rep]}"
    return generate


_evidence_full, _evidence_compressed, _evidence_structured, _evidence_pointer = (
    _evidence(0),
    _evidence(1),
    _evidence(2),
    _evidence(3),
)


# ------------------------------------------------------------------ segment
def _when(c: dict[str, Any]) -> str:
    parts = [f"turn {c['turn']}"] if c.get("turn") is not None else []
    if c.get("ts"):
        parts.append(str(c["ts"]))
    return " · ".join(parts)


def _segment_full(p: Page) -> str:
    c = p.content
    when = _when(c)
    return f"{c['speaker']}" + (f" ({when})" if when else "") + f": {c['text']}"


def _segment_compressed(p: Page) -> str:
    c = p.content
    text = c["text"]
    if len(text) > 480:
        text = text[:300].rstrip() + " … " + text[-120:].lstrip()
    when = _when(c)
    return f"{c['speaker']}" + (f" ({when})" if when else "") + f": {head_tail(text)}"


def _segment_structured(p: Page) -> str:
    c = p.content
    meta = " · ".join(x for x in (f"span {c['span']}", _when(c), c["speaker"]) if x)
    return f"{meta}: {clip(c['text'], 80)}"


def _segment_pointer(p: Page) -> str:
    c = p.content
    return _pointer(p, " · ".join(x for x in (c["speaker"], _when(c)) if x))


_DEFAULTS: dict[tuple[PageType, Rep], Generator] = {
    (PageType.BOOTSTRAP, Rep.STRUCTURED): _bootstrap_structured,
    (PageType.BOOTSTRAP, Rep.FULL): _bootstrap_full,
    (PageType.CONSTRAINT, Rep.STRUCTURED): _constraint_structured,
    (PageType.CONSTRAINT, Rep.FULL): _constraint_full,
    (PageType.PLAN, Rep.POINTER): _plan_pointer,
    (PageType.PLAN, Rep.STRUCTURED): _plan_structured,
    (PageType.PLAN, Rep.FULL): _plan_full,
    (PageType.PREFERENCE, Rep.POINTER): _preference_pointer,
    (PageType.PREFERENCE, Rep.STRUCTURED): _preference_structured,
    (PageType.PREFERENCE, Rep.COMPRESSED): _preference_compressed,
    (PageType.PREFERENCE, Rep.FULL): _preference_full,
    (PageType.EVIDENCE, Rep.POINTER): _evidence_pointer,
    (PageType.EVIDENCE, Rep.STRUCTURED): _evidence_structured,
    (PageType.EVIDENCE, Rep.COMPRESSED): _evidence_compressed,
    (PageType.EVIDENCE, Rep.FULL): _evidence_full,
    (PageType.SEGMENT, Rep.POINTER): _segment_pointer,
    (PageType.SEGMENT, Rep.STRUCTURED): _segment_structured,
    (PageType.SEGMENT, Rep.COMPRESSED): _segment_compressed,
    (PageType.SEGMENT, Rep.FULL): _segment_full,
}


class LazyReps(dict):  # type: ignore[type-arg]
    """A page's reps, generated on first use: a tool result priced at page-in needs no text.

    Reads as the complete dict of reps (``page.reps[Rep.FULL]``, ``in``, iteration, ``==``);
    the texts are made, and kept, the first time anything looks.
    """

    __slots__ = ("_make", "parts")

    def __init__(
        self, make: Callable[[], dict[Rep, str]], parts: tuple[str, str, str | None]
    ) -> None:
        super().__init__()
        self._make: Callable[[], dict[Rep, str]] | None = make
        #: the page's ``evidence_parts``, taken once: its lazy items are made from them
        self.parts = parts

    def _ready(self) -> None:
        if self._make is not None:
            make, self._make = self._make, None
            self.update(make())

    def __getitem__(self, rep: Rep) -> str:
        self._ready()
        return super().__getitem__(rep)  # type: ignore[no-any-return]

    def __contains__(self, rep: object) -> bool:
        self._ready()
        return super().__contains__(rep)

    def __iter__(self) -> Any:
        self._ready()
        return super().__iter__()

    def __len__(self) -> int:
        self._ready()
        return super().__len__()

    def __eq__(self, other: object) -> bool:
        self._ready()
        return dict(self.items()) == other

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        self._ready()
        return super().__repr__()

    def get(self, rep: Rep, default: Any = None) -> Any:
        self._ready()
        return super().get(rep, default)

    def keys(self) -> Any:
        self._ready()
        return super().keys()

    def values(self) -> Any:
        self._ready()
        return super().values()

    def items(self) -> Any:
        self._ready()
        return super().items()

    def copy(self) -> dict[Rep, str]:
        self._ready()
        return dict(super().items())

    @property
    def made(self) -> bool:
        """Whether the texts exist yet."""
        return self._make is None


def lazy_evidence_reps(
    page: Page, parts: tuple[str, str, str | None] | None = None
) -> LazyReps:
    """The default reps of an evidence page, made when first read; ``parts`` are its
    ``evidence_parts`` when already taken (kept as ``LazyReps.parts`` for its lazy items)."""
    page_id = page.id
    if parts is None:
        parts = evidence_parts(page.content)

    def make() -> dict[Rep, str]:
        from clawvm._render import FAST_EVIDENCE, kernels  # (it imports this module)

        if FAST_EVIDENCE:
            full, compressed, structured, pointer = kernels.evidence_texts(
                page_id, *parts, False
            )[0]
        else:
            full, compressed, structured, pointer = evidence_bodies(page_id, *parts)
        return {
            Rep.POINTER: pointer,
            Rep.STRUCTURED: structured,
            Rep.COMPRESSED: compressed,
            Rep.FULL: full,
        }

    return LazyReps(make, parts)


class Registry:
    """Generators per (page type, rep); starts with the deterministic defaults."""

    def __init__(self) -> None:
        self._fns: dict[tuple[PageType, Rep], Generator] = dict(_DEFAULTS)
        self._custom: set[PageType] = set()  # types with a generator of their own

    def register(self, page_type: PageType | str, rep: Rep | str, fn: Generator) -> None:
        """Replace the generator of one rep of one type (e.g. an LLM summariser)."""
        key = _key(page_type, rep)
        if key not in _DEFAULTS:
            raise InvalidInputError(
                "rep", f"{key[1].name.lower()} is off the path of {key[0].name.lower()}"
            )
        if not callable(fn):
            raise InvalidTypeError(
                "fn", f"expected a callable Page -> str, got {type(fn).__name__}"
            )
        self._fns[key] = fn
        self._note(key[0])

    def _note(self, page_type: PageType) -> None:
        if all(self._fns[(page_type, r)] is _DEFAULTS[(page_type, r)] for r in path_of(page_type)):
            self._custom.discard(page_type)
        else:
            self._custom.add(page_type)

    def unregister(self, page_type: PageType | str, rep: Rep | str) -> None:
        """Restore the default generator."""
        key = _key(page_type, rep)
        if key in _DEFAULTS:
            self._fns[key] = _DEFAULTS[key]
            self._note(key[0])

    def is_default(self, page_type: PageType) -> bool:
        """Whether every rep of ``page_type`` still has its default generator."""
        return page_type not in self._custom

    def generate(self, page: Page) -> dict[Rep, str]:
        """Every rep on the page's path; a pointer that would not resolve is an error."""
        out: dict[Rep, str] = {}
        for rep in path_of(page.type):
            text = self._fns[(page.type, rep)](page)
            if not isinstance(text, str):
                raise InvalidTypeError(
                    f"reps[{rep.name.lower()}]",
                    f"generator returned {type(text).__name__}, not str",
                )
            out[rep] = text
        if Rep.POINTER in out and parse_pointer(out[Rep.POINTER]) != page.id:
            raise InvalidInputError(
                "reps[pointer]", f"generated pointer does not resolve to {page.id!r}"
            )
        return out


def _key(page_type: PageType | str, rep: Rep | str) -> tuple[PageType, Rep]:
    try:
        t = PageType[page_type.upper()] if isinstance(page_type, str) else PageType(page_type)
        r = Rep[rep.upper()] if isinstance(rep, str) else Rep(rep)
    except (KeyError, ValueError):
        raise InvalidInputError(
            "page_type", f"unknown page type or rep: {page_type!r}, {rep!r}"
        ) from None
    return t, r


#: The registry VMs use unless given their own.
DEFAULT_REGISTRY = Registry()


def register_generator(page_type: PageType | str, rep: Rep | str, fn: Generator) -> None:
    """Replace a generator in ``DEFAULT_REGISTRY``: pages generated from now on use it."""
    DEFAULT_REGISTRY.register(page_type, rep, fn)


def parse_pointer(text: str) -> str | None:
    """The page id of the first ``[page:<id> ...]`` handle in ``text``, else None."""
    m = POINTER_RE.search(text + " ")
    return m.group(1) if m else None


def render(page: Page, rep: Rep, body: str, *, message: bool = False) -> str:
    """What the prompt carries for ``page`` at ``rep``: the body under a one-line header.

    A pointer is its own header. At full, a conversation ``message`` is the body alone
    (it reads as it was sent); other pages name themselves (``[page:<id>]``). A lower rep
    says it is degraded and names the page, so the model can page it in.
    """
    if rep == Rep.POINTER:
        return body
    if rep == Rep.FULL:
        return body if message else f"[page:{page.id}]\n{body}"
    return f"[page:{page.id} {rep.name.lower()} · degraded; page_in for full]\n{body}"


def path_costs(page: Page, texts: Mapping[Rep, str], tokenizer: Tokenizer) -> tuple[int, int, int, int]:
    """Engine costs (pointer, structured, compressed, full) of a page's rendered reps.

    Each rep on the path costs its token count but at least one token more than the rep
    below it, so every step up has a positive delta (a zero-cost step would sort ahead of
    its predecessor and never apply in the engine's single upgrade pass). Off-path: 0.
    """
    return monotone_costs(page.path, {rep: int(tokenizer.count(texts[rep])) for rep in page.path})


def monotone_costs(path: tuple[Rep, ...], counts: Mapping[Rep, int]) -> tuple[int, int, int, int]:
    """``path_costs`` from token counts already taken."""
    costs = [0, 0, 0, 0]
    last = 0
    for rep in path:
        last = max(int(counts[rep]), last + 1)
        costs[rep - 1] = last
    return costs[0], costs[1], costs[2], costs[3]
