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
types, sidechains). Timestamps are ignored. Malformed input raises ``TraceError`` naming
the 1-based JSONL line (Claude Code) or message position (OpenAI).
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from clawvm.errors import ClawVMError
from clawvm.pages import Page, bootstrap, evidence, segment
from clawvm.replay.format import TraceError, dump_lines
from clawvm.reps import Registry, path_costs, render
from clawvm.tokens import Tokenizer, default_tokenizer
from clawvm.tools import signature

__all__ = ["from_claude_code", "from_openai"]

_REGISTRY = Registry()  # the deterministic defaults, whatever DEFAULT_REGISTRY holds now
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
            raise self.fail(f"tool call {call_id!r}: {exc}") from None
        self.events.append({"op": "tool", "name": name, "args": args})
        self.pending[call_id] = (name, args, sig)

    def result(self, call_id: str, text: str, error: bool = False) -> None:
        if call_id not in self.pending:
            raise self.fail(f"tool result for unknown call id {call_id!r}")
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
            raise self.fail(f"{where} needs a non-empty string {key!r}, got {value!r}")
        return value


def _read(path: str | os.PathLike[str]) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise TraceError(1, f"not UTF-8 text ({exc.reason})", Path(path).name) from None


def from_claude_code(source: str | os.PathLike[str] | Iterable[str], *,
                     tokenizer: Tokenizer | None = None) -> list[str]:
    """Trace lines for a Claude Code session JSONL, given as a path or as its lines."""
    if isinstance(source, (str, os.PathLike)):  # split on \n only: U+2028 may sit in strings
        name, lines = Path(source).name, _read(source).split("\n")
    else:
        name, lines = "claude-code", list(source)
    b = _Builder(tokenizer, name)
    session, skipped, boundary = None, 0, False  # boundary: the last line was compact_boundary
    last_id, in_reply = None, False  # the current model call's message.id; last line assistant?
    for b.line, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise b.fail(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
        if not isinstance(obj, dict):
            raise b.fail(f"expected a JSON object, got {type(obj).__name__}")
        kind, msg = obj.get("type"), obj.get("message")
        if kind not in ("user", "assistant", "system", "summary") or obj.get("isSidechain"):
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
    return b.finish(f"claude_code:{name}", session or Path(name).stem, skipped)


def from_openai(source: str | os.PathLike[str] | list[Any] | dict[str, Any], *,
                tokenizer: Tokenizer | None = None) -> list[str]:
    """Trace lines for an OpenAI-style chat: a JSON file, a message list or {"messages": [...]}."""
    name, session = "messages", "openai"
    obj: Any = source
    if isinstance(source, (str, os.PathLike)):
        name, session = Path(source).name, Path(source).stem
        try:
            obj = json.loads(_read(source))
        except json.JSONDecodeError as exc:
            problem = f"not valid JSON ({exc.msg} at column {exc.colno})"
            raise TraceError(exc.lineno, problem, name) from None
    if isinstance(obj, dict):
        session = obj["id"] if isinstance(obj.get("id"), str) else session
        obj = obj.get("messages")
    if not isinstance(obj, list):
        raise TraceError(1, "expected a list of messages or an object with a 'messages' list", name)
    b = _Builder(tokenizer, name)
    for b.line, m in enumerate(obj, start=1):
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
                    raise b.fail(f"a tool call needs a 'function' object, got {c!r}")
                cid = b.string(c, "id", "tool call")
                raw = fn.get("arguments")
                try:
                    args = raw if isinstance(raw, dict) else json.loads(raw or "{}")
                except (TypeError, json.JSONDecodeError):
                    raise b.fail(f"tool call {cid!r}: arguments must be a JSON string, "
                                 f"got {raw!r:.60}") from None
                b.call(cid, b.string(fn, "name", f"tool call {cid!r}"), args)
        elif role == "tool":
            b.result(b.string(m, "tool_call_id", "tool message"), b.plain(m.get("content"), "tool"))
        else:
            raise b.fail(f"unknown role {role!r} (expected system, developer, user, "
                         "assistant or tool)")
    return b.finish(f"openai:{name}", session, 0)
