"""Real transcripts to session traces (``format`` v1): offline, deterministic (same input, same
bytes). ``from_claude_code`` reads a Claude Code session JSONL, ``from_openai`` a chat list.

* Bootstrap: system prompts before the first reply (OpenAI ``system``/``developer``; Claude
  Code ``system`` lines whose ``message.role`` is ``system``) and Claude Code user text
  blocks before the first reply that start ``<system-reminder>``/``Contents of`` and name
  CLAUDE.md/AGENTS.md/claudeMd form one page ``boot`` (hard pin).
* Texts become segment pages ``seg-NNNN``, speaker ``user``, ``assistant``, ``summary`` (a
  Claude Code ``isCompactSummary`` message) or ``system`` (a system message after a reply).
* A tool call emits a ``tool`` event; its result becomes evidence ``ev-NNNN`` (tool {name,
  args}, utility 1.0, recompute 1 + log10(result chars), exit 1 if an error result). A call
  whose ``tools.signature`` matches earlier evidence is a repeat: no second page, and its
  new result is not recorded.
* A ``turn`` precedes each model call: each assistant message (OpenAI), each new
  ``message.id`` or run of assistant lines (Claude Code writes a line per content block).
  It demands the latest non-assistant segment at full, the previous assistant segment at
  structured, then at full each evidence page whose result arrived since the last call.
* ``compact_boundary`` lines and ``isCompactSummary`` messages emit one ``compaction`` per
  compaction; older pages are no longer demanded. The trace ends with ``session_end``.

Token costs: the default rep generators, rendered as the VM renders them, counted by the
tokenizer (default: offline) with ``reps.path_costs``, as the VM does. Header:
``session``, ``source``, ``tokenizer``, ``skipped`` (Claude Code lines not converted: unknown
types, sidechains). Timestamps are ignored.

Input is read as traces are (``clawvm.replay.reader``: UTF-8, bounded lines, nesting,
integers and strings), from a path or an open binary stream. Malformed input raises
``TraceError`` naming the 1-based JSONL line (Claude Code), the line of a JSON document
where the problem or its message starts (OpenAI), or a message's position in a list given
in memory.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any, cast

from clawvm.errors import ClawVMError
from clawvm.pages import Page, bootstrap, evidence, segment
from clawvm.replay import reader
from clawvm.replay.format import TraceError, dump_lines, json_line, read_lines
from clawvm.replay.reader import show
from clawvm.reps import Registry, path_costs, render
from clawvm.tokens import Tokenizer, default_tokenizer
from clawvm.tools import signature

__all__ = ["from_claude_code", "from_openai"]

_REGISTRY = Registry()  # the deterministic defaults, whatever DEFAULT_REGISTRY holds now
_ARGS_DEPTH = reader.MAX_DEPTH - 2  # a trace page holds args two levels down: tool.args
_KINDS = ("user", "assistant", "system", "summary")  # Claude Code line types converted
_MEMORY = re.compile(r"\s*(<system-reminder>|Contents of )(?s:.*?)((CLAUDE|AGENTS)\.md|claudeMd)")


class _Builder:
    """Trace events from transcript items; ``line`` is the input position errors name."""

    def __init__(self, tokenizer: Tokenizer | None, name: str) -> None:
        self.tok, self.name, self.line = tokenizer or default_tokenizer(), name, 0
        self.events: list[dict[str, Any]] = []
        self.boot: list[str] = []
        self.replied = False  # a model call happened: no more bootstrap text
        self.n_seg = self.n_ev = self.n_turn = 0
        self.user: str | None = None  # latest user/summary/system segment
        self.asst: str | None = None  # latest assistant segment
        self.fresh: list[str] = []  # evidence arrived since the last model call
        self.by_sig: dict[str, str] = {}  # signature -> evidence page
        self.pending: dict[str, tuple[str, Any, str]] = {}  # call id -> name, args, signature

    def fail(self, problem: str) -> TraceError:
        return TraceError(self.line, problem, self.name)

    def _page(self, ctor: Callable[..., Page], pid: str, body: Any,
              extra: dict[str, Any] | None = None, **kw: Any) -> None:
        try:
            page = ctor(pid, body, **kw)
            bodies = _REGISTRY.generate(page)
        except ClawVMError as exc:
            raise self.fail(f"page {pid!r}: {exc}") from None
        texts = {rep: render(page, rep, bodies[rep]) for rep in page.path}
        self.events.append({"op": "page", "id": pid, "type": page.type.name.lower(),
                            "tokens": list(path_costs(page, texts, self.tok)), **(extra or {})})

    def _boot(self) -> None:
        """Before the first model call: the bootstrap page, moved to the head of the trace."""
        if self.boot and not self.replied:
            self._page(bootstrap, "boot", "\n\n".join(self.boot), {"pin": "hard"})
            self.events.insert(0, self.events.pop())

    def system(self, text: str) -> None:
        if self.replied:
            self.text(text, "system")
        elif text.strip():
            self.boot.append(text)

    def text(self, text: str, speaker: str) -> None:
        if not text.strip():
            return
        self.n_seg += 1
        pid = f"seg-{self.n_seg:04d}"
        self._page(segment, pid, text, speaker=speaker, turn=self.n_turn)
        if speaker == "assistant":
            self.asst = pid
        else:
            self.user = pid

    def model_call(self) -> None:
        self._boot()
        self.replied = True
        self.n_turn += 1
        wanted: dict[str | None, str] = {self.user: "full", self.asst: "structured"}
        wanted.update(dict.fromkeys(self.fresh, "full"))
        demands = [{"page": p, "rep": rep} for p, rep in wanted.items() if p is not None]
        self.events.append({"op": "turn", "demands": demands})
        self.fresh = []

    def call(self, call_id: str, name: str, args: Any) -> None:
        try:
            sig = signature(name, args)
        except ClawVMError as exc:
            raise self.fail(f"tool call {show(call_id)}: {exc}") from None
        self.events.append({"op": "tool", "name": name, "args": args})
        self.pending[call_id] = (name, args, sig)

    def result(self, call_id: str, text: str, error: bool = False) -> None:
        if call_id not in self.pending:
            raise self.fail(f"tool result for unknown call id {show(call_id)}")
        name, args, sig = self.pending.pop(call_id)
        pid = self.by_sig.get(sig)
        if pid is None:  # a first call: its result becomes a page
            self.n_ev += 1
            pid = self.by_sig[sig] = f"ev-{self.n_ev:04d}"
            extra = {"utility": 1.0, "recompute": round(1 + math.log10(max(len(text), 1)), 3),
                     "tool": {"name": name, "args": args}}
            self._page(evidence, pid, text, extra, tool=name, args=args, exit=1 if error else None)
        self.fresh.append(pid)

    def compaction(self) -> None:
        self.events.append({"op": "compaction"})
        self.user, self.asst, self.fresh = None, None, []

    def finish(self, source: str, session: str, skipped: int) -> list[str]:
        self._boot()
        self.events.append({"op": "session_end"})
        header = {"session": session, "source": source, "skipped": skipped,
                  "tokenizer": str(getattr(self.tok, "name", type(self.tok).__name__))}
        return list(dump_lines(header, self.events))

    def blocks(self, content: Any, where: str) -> list[dict[str, Any]]:
        """Message content as blocks: a string is one text block, null none."""
        if isinstance(content, str):
            return [{"type": "text", "text": content}]
        if content is None:
            return []
        if not isinstance(content, list) or not all(isinstance(b, dict) for b in content):
            raise self.fail(f"{where}: content must be a string or a list of objects, "
                            f"got {type(content).__name__}")
        return content

    def plain(self, content: Any, where: str) -> str:
        """The text of string-or-blocks content; a non-text block as ``[its type]``."""
        parts = []
        for b in self.blocks(content, where):
            if b.get("type") != "text":
                parts.append(f"[{b.get('type')}]")
            elif isinstance(b.get("text"), str):
                parts.append(b["text"])
            else:
                raise self.fail(f"{where}: a text block needs a string 'text'")
        return "\n".join(parts)

    def string(self, obj: dict[str, Any], key: str, where: str) -> str:
        value = obj.get(key)
        if not isinstance(value, str) or not value:
            raise self.fail(f"{where} needs a non-empty string {key!r}, got {show(value)}")
        return value


def from_claude_code(source: str | os.PathLike[str] | IO[bytes] | Iterable[str], *,
                     tokenizer: Tokenizer | None = None, name: str | None = None) -> list[str]:
    """Trace lines for a Claude Code session JSONL: a path, a binary stream or its lines
    (``name`` labels errors; default: the path, the stream's name or "claude-code")."""
    if isinstance(source, (str, os.PathLike)) or reader.is_stream(source):
        with reader.opened(source, name) as (stream, label):  # lines end at \n only
            return _claude_code(read_lines(stream, label), tokenizer, label)
    lines = cast(Iterable[str], source)  # not a path, not a stream: what is left
    return _claude_code(enumerate(lines, start=1), tokenizer, name or "claude-code")


def _claude_code(lines: Iterable[tuple[int, str]], tokenizer: Tokenizer | None,
                 label: str) -> list[str]:
    name = Path(label).name
    b = _Builder(tokenizer, label)
    session, skipped, boundary = None, 0, False  # boundary: the last line was compact_boundary
    last_id, in_reply = None, False  # the current model call's message.id; last line assistant?
    known = False  # a line of a kind Claude Code writes: is this a Claude Code session at all?
    for b.line, raw in lines:
        if not raw.strip():
            continue
        try:
            obj = json_line(raw, b.line)
        except TraceError as exc:
            raise b.fail(exc.problem) from None
        kind, msg = obj.get("type"), obj.get("message")
        known = known or kind in _KINDS
        if kind not in _KINDS or obj.get("isSidechain"):
            skipped += 1
            continue
        if session is None and isinstance(obj.get("sessionId"), str):
            session = obj["sessionId"]
        if kind == "system" and obj.get("subtype") == "compact_boundary":
            b.compaction()
            boundary = True
        elif kind == "system" and isinstance(msg, dict) and msg.get("role") == "system":
            b.system(b.plain(msg.get("content"), "system"))
        elif kind in ("user", "assistant"):
            if not isinstance(msg, dict):
                raise b.fail(f"a {kind} line needs a 'message' object")
            blocks = b.blocks(msg.get("content"), kind)
            if kind == "user" and obj.get("isCompactSummary"):
                if not boundary:
                    b.compaction()
                b.text(b.plain(blocks, "user"), "summary")
            elif kind == "user":
                for blk in blocks:
                    if blk.get("type") == "tool_result":
                        cid = b.string(blk, "tool_use_id", "tool_result")
                        text = b.plain(blk.get("content"), "tool_result")
                        b.result(cid, text, bool(blk.get("is_error")))
                    elif blk.get("type") == "text":
                        text = b.plain([blk], "user")
                        if not b.replied and _MEMORY.match(text):
                            b.system(text)
                        else:
                            b.text(text, "user")
            else:
                key = msg.get("id") if isinstance(msg.get("id"), str) else None
                if (key != last_id) if key is not None else not in_reply:
                    b.model_call()
                last_id = key or last_id
                for blk in blocks:
                    if blk.get("type") == "text":
                        b.text(b.plain([blk], "assistant"), "assistant")
                    elif blk.get("type") == "tool_use":
                        cid = b.string(blk, "id", "tool_use")
                        b.call(cid, b.string(blk, "name", "tool_use"), blk.get("input", {}))
            in_reply, boundary = kind == "assistant", False
    if skipped and not known:
        raise TraceError(1, "not a Claude Code session: no line has type "
                            f"{', '.join(_KINDS)}", label)
    return b.finish(f"claude_code:{name}", session or Path(name).stem, skipped)


def from_openai(source: str | os.PathLike[str] | IO[bytes] | list[Any] | dict[str, Any], *,
                tokenizer: Tokenizer | None = None, name: str | None = None) -> list[str]:
    """Trace lines for an OpenAI-style chat: a JSON file or binary stream, a message list or
    {"messages": [...]} (``name`` labels errors; default: the path or the stream's name)."""
    label, session, lines = name or "messages", "openai", None
    obj: Any = source
    if isinstance(source, (str, os.PathLike)) or reader.is_stream(source):
        with reader.opened(source, name) as (stream, label):
            obj, lines = _document(stream, label)
        session = Path(label).stem
    if isinstance(obj, dict):
        session = obj["id"] if isinstance(obj.get("id"), str) else session
        obj = obj.get("messages")
    if not isinstance(obj, list):
        raise TraceError(1, "expected a list of messages or an object with a 'messages' list",
                         label)
    name = Path(label).name
    b = _Builder(tokenizer, label)
    for b.line, m in zip(lines or range(1, len(obj) + 1), obj, strict=True):
        if not isinstance(m, dict):
            raise b.fail(f"a message must be an object, got {type(m).__name__}")
        role = m.get("role")
        if role in ("system", "developer"):
            b.system(b.plain(m.get("content"), role))
        elif role == "user":
            b.text(b.plain(m.get("content"), role), "user")
        elif role == "assistant":
            b.model_call()
            b.text(b.plain(m.get("content"), role), "assistant")
            calls = m.get("tool_calls") or []
            if not isinstance(calls, list):
                raise b.fail("assistant: tool_calls must be a list")
            for c in calls:
                fn = c.get("function") if isinstance(c, dict) else None
                if not isinstance(fn, dict):
                    raise b.fail(f"a tool call needs a 'function' object, got {show(c)}")
                cid = b.string(c, "id", "tool call")
                raw = fn.get("arguments")
                if not isinstance(raw, (str, dict, type(None))):
                    raise b.fail(f"tool call {show(cid)}: arguments must be a JSON string, "
                                 f"got {show(raw)}")
                try:
                    args = raw if isinstance(raw, dict) else reader.loads(raw or "{}", _ARGS_DEPTH)
                except reader.JSONInputError as exc:
                    raise b.fail(f"tool call {show(cid)}: arguments must be a JSON string: "
                                 f"{exc}") from None
                b.call(cid, b.string(fn, "name", f"tool call {show(cid)}"), args)
        elif role == "tool":
            b.result(b.string(m, "tool_call_id", "tool message"), b.plain(m.get("content"), "tool"))
        else:
            raise b.fail(f"unknown role {show(role)} (expected system, developer, user, "
                         "assistant or tool)")
    return b.finish(f"openai:{name}", session, 0)


def _document(stream: IO[bytes], label: str) -> tuple[Any, list[int]]:
    """A JSON document held to the reader's limits, and the line where each message starts."""
    try:
        text = reader.read_document(stream)
        return reader.loads(text), reader.item_lines(text, "messages")
    except reader.InputLineError as exc:
        raise TraceError(exc.line, exc.problem, label) from None
    except reader.JSONInputError as exc:
        raise TraceError(exc.lineno, str(exc), label) from None
