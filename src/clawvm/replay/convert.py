"""Real transcripts to session traces (format v2): offline, deterministic (same input, same
bytes). ``from_claude_code`` reads a Claude Code session JSONL, ``from_openai`` an OpenAI
chat (messages), ``from_anthropic`` an Anthropic Messages transcript.

The rules — what becomes a bootstrap page, a constraint, the plan, a boundary, a write, a
mediated tool call, and what each model call demands — are in ``docs/transcripts.md``,
numbered; the comments below cite them. Costs are what ``clawvm._render.prepare`` makes of
each page in the place it renders, with the default generators and tokenizer (rule 11).

Input is read as traces are (``clawvm.replay.reader``: UTF-8, bounded lines, nesting,
integers and strings), from a path or an open binary stream. Malformed input raises
``TraceError`` naming the 1-based JSONL line (Claude Code), the line of a JSON document
where the problem or its message starts (OpenAI, Anthropic), or a message's position in a
list given in memory.
"""

from __future__ import annotations

import math
import os
import posixpath
import re
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any, cast

import xxhash

from clawvm._render import prepare
from clawvm._schema import PageType
from clawvm._stream import K_ASSIST, K_TOOL, K_USER, Call, Role, stable_role
from clawvm.errors import ClawVMError
from clawvm.pages import Page, bootstrap, constraint, evidence, plan, preference, segment
from clawvm.replay import reader
from clawvm.replay.format import TraceError, dump_lines, json_line, read_lines
from clawvm.replay.reader import show
from clawvm.reps import Registry
from clawvm.tokens import Tokenizer, default_tokenizer
from clawvm.tools import parse_args, render_id, signature

__all__ = ["from_anthropic", "from_claude_code", "from_openai"]

_REGISTRY = Registry()  # the deterministic defaults, whatever DEFAULT_REGISTRY holds now
_ARGS_DEPTH = reader.MAX_DEPTH - 2  # a trace's tool event holds args one level down
_KINDS = ("user", "assistant", "system", "summary")  # Claude Code line types converted
_RULE_FILE = re.compile(r"(CLAUDE|AGENTS)\.md|claudeMd")
_REMINDER = re.compile(r"\s*(<system-reminder>|Contents of )")
_CONTENTS = re.compile(r"^Contents of (\S+?)(?: \(.*?\))?:\s*$", re.M)
_STANDING = re.compile(  # rule 4
    r"^\s*(?:[-*]|\d+\.)?\s*(always|never|don't|do not|must not|must|from now on)\b", re.I)
_COMMAND = re.compile(r"^\s*(?:<command-name>\s*)?(/[a-z-]+)\b", re.I)
_COMPACT, _RESET = ("/compact",), ("/clear", "/reset", "/new")
_PLAN_TOOLS = ("TodoWrite", "todo_write", "update_plan", "write_todos")  # rule 5
_EDIT_TOOLS = ("Edit", "MultiEdit", "Write", "NotebookEdit")
_CC_READ = {"Read": ("file_path",), "NotebookRead": ("notebook_path",), "Grep": ("path",),
            "Glob": ("path",), "LS": ("path",)}  # rule 8
_CC_WEB = {"WebFetch": "url", "WebSearch": "query"}
_READ_VERB = re.compile(
    r"(get|read|list|search|find|fetch|lookup|query|view|show|describe)([_\-A-Z]|$)")
_PATH_ARGS = ("file_path", "notebook_path", "path", "file", "url", "id")
_LONG, _KEEP_CHARS = 240, 80  # rule 9
_CALL_ID = re.compile(r"[\x21-\x7e]{1,128}")


def short_args(value: Any) -> Any:
    """Arguments as a trace keeps them: strings over 240 characters cut to 80, with their
    length and hash (rule 9)."""
    if isinstance(value, str):
        if len(value) <= _LONG:
            return value
        h = xxhash.xxh64_hexdigest(value.encode("utf-8", "surrogatepass"))
        return f"{value[:_KEEP_CHARS]}… [{len(value)} chars · xxh64 {h}]"
    if isinstance(value, list):
        return [short_args(v) for v in value]
    if isinstance(value, dict):
        return {k: short_args(v) for k, v in value.items()}
    return value


def _memory_file(path: str) -> bool:
    """A file the agent keeps memory or rules in (rule 7)."""
    p = path.replace("\\", "/")
    name = posixpath.basename(p)
    if name in ("CLAUDE.md", "AGENTS.md", "MEMORY.md"):
        return True
    parts = p.split("/")[:-1]
    return name.endswith(".md") and ("memory" in parts or ".claude" in parts)


def _file_key(path: str) -> str:
    name = posixpath.basename(path.replace("\\", "/")) or "file"
    key = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return key or "file"


class _Builder:
    """Trace events from transcript items; ``line`` is the input position errors name."""

    def __init__(self, tokenizer: Tokenizer | None, name: str, harness: str) -> None:
        self.tok, self.name, self.line = tokenizer or default_tokenizer(), name, 0
        self.harness = harness  # "claude-code" or "generic": which tool table (rule 8)
        self.head: list[dict[str, Any]] = []  # bootstrap pages, ahead of everything
        self.events: list[dict[str, Any]] = []
        self.boot: dict[str, str] = {}  # file path (or "system") -> bootstrap page id
        self.memory: dict[str, str] = {}  # memory file path -> its page id (rule 7)
        self.texts: dict[str, str] = {}  # bootstrap / memory page id -> its text
        self.system_parts: list[str] = []
        self.replied = False  # a model call happened
        self.n_seg = self.n_ev = self.n_rule = self.n_turn = 0
        self.user: str | None = None  # latest user (or other) segment
        self.asst: str | None = None  # latest assistant segment
        self.fresh: list[str] = []  # results arrived since the last model call
        self.rules: list[str] = []  # constraint pages
        self.plan_active = False
        self.plan_made = False
        self.pending: dict[str, tuple[str, Any, str | None]] = {}  # call id -> name, args, raw

    def fail(self, problem: str) -> TraceError:
        return TraceError(self.line, problem, self.name)

    # ------------------------------------------------------------------ pages and costs
    def _costs(self, page: Page, role: Role) -> list[int]:
        try:
            bodies = _REGISTRY.generate(page)
            return list(prepare(page, role, bodies, self.tok)[1])
        except ClawVMError as exc:
            raise self.fail(f"page {page.id!r}: {exc}") from None

    def _make(self, ctor: Any, *args: Any, **kw: Any) -> Page:
        try:
            return cast(Page, ctor(*args, **kw))
        except ClawVMError as exc:
            raise self.fail(f"page {args[0]!r}: {exc}") from None

    def _page(self, page: Page, role: Role, out: list[dict[str, Any]] | None = None,
              **extra: Any) -> None:
        (self.events if out is None else out).append(
            {"op": "page", "id": page.id, "type": page.type.name.lower(),
             "tokens": self._costs(page, role), **extra})

    def _boot_page(self, key: str, pid: str, text: str) -> None:
        """A bootstrap page (rules 1-2): hard-pinned, project scope, durable already."""
        base, n = pid, 1
        while pid in self.texts:
            n += 1
            pid = f"{base}-{n}"
        self.boot[key] = pid
        self.texts[pid] = text
        page = self._make(bootstrap, pid, text)
        out = self.head if not self.replied else None
        self._page(page, stable_role(PageType.BOOTSTRAP, 0), out, scope="project", dirty=False)

    def system(self, text: str) -> None:
        """System text: before the first reply it is the bootstrap; after, a segment."""
        if not text.strip():
            return
        m = _CONTENTS.match(text.strip())
        if m and _RULE_FILE.search(m.group(1)):  # a rule file given as a system message
            self.rule_file(m.group(1), text)
        elif self.replied:
            self.segment(text, "other")
        else:
            self.system_parts.append(text)

    def rule_file(self, path: str, text: str) -> None:
        if path in self.boot:
            return
        self._boot_page(path, f"boot-{_file_key(path)}", text)

    def reminder(self, text: str) -> None:
        """A Claude Code reminder before the first reply: its rule files (rule 2)."""
        found = list(_CONTENTS.finditer(text))
        if not found:
            self._boot_page(f"reminder-{len(self.boot)}", "boot-reminder", text)
        for i, m in enumerate(found):
            end = found[i + 1].start() if i + 1 < len(found) else len(text)
            self.rule_file(m.group(1), text[m.start():end])

    def segment(self, text: str, speaker: str) -> str | None:
        if not text.strip():
            return None
        self.n_seg += 1
        pid = f"seg-{self.n_seg}"
        page = self._make(segment, pid, text, speaker=speaker, turn=self.n_turn)
        if speaker == "assistant":
            role, self.asst = Role(K_ASSIST, 0, 0), pid
        else:
            role, self.user = Role(K_USER, 0, context=speaker != "user"), pid
        self._page(page, role, speaker=speaker, utility=0.5 if speaker == "user" else 0.3)
        return pid

    def user_text(self, text: str) -> None:
        """A user message: a command (rule 6), standing rules (rule 4), the text itself."""
        m = _COMMAND.match(text)
        if m and m.group(1).lower() in _COMPACT + _RESET:
            if m.group(1).lower() in _COMPACT:
                self.compaction()
            else:
                self.reset()
            return
        if self.segment(text, "user") is None:
            return
        for line in text.splitlines():
            if _STANDING.match(line):
                self.n_rule += 1
                pid = f"rule-{self.n_rule}"
                page = self._make(constraint, pid, line.strip(" -*"))
                self._page(page, stable_role(PageType.CONSTRAINT, 0), utility=1.0)
                self.rules.append(pid)

    def assistant_text(self, text: str) -> None:
        self.segment(text, "assistant")

    # ------------------------------------------------------------------ model calls
    def model_call(self) -> None:
        """A turn before each model call: what the model needs (rules 3, 4, 5, 10)."""
        if not self.replied and self.system_parts:
            self._boot_page("system", "boot-system", "\n\n".join(self.system_parts))
        self.replied = True
        self.n_turn += 1
        wanted: dict[str, str] = {}
        for pid in [*self.boot.values(), *self.rules]:
            wanted[pid] = "structured"
        if self.plan_active:
            wanted["plan"] = "structured"
        if self.user is not None:
            wanted[self.user] = "full"
        if self.asst is not None:
            wanted.setdefault(self.asst, "structured")
        for pid in self.fresh:
            wanted[pid] = "full"
        self.events.append({"op": "turn", "demands": [{"page": p, "rep": r}
                                                      for p, r in wanted.items()]})
        self.fresh = []

    def compaction(self, summary: str | None = None) -> None:
        self.events.append({"op": "compaction"})
        self.user, self.asst, self.fresh = None, None, []
        if summary is not None:
            self.segment(summary, "other")

    def reset(self) -> None:
        self.events.append({"op": "reset"})
        self.user, self.asst, self.fresh = None, None, []

    # ------------------------------------------------------------------ tool calls
    def call(self, call_id: str, name: str, args: Any) -> None:
        if call_id in self.pending:
            raise self.fail(f"tool call id {show(call_id)} is used twice")
        value, raw = parse_args(args)
        self.pending[call_id] = (name, value, raw)

    def result(self, call_id: str, text: str, error: bool = False) -> None:
        """A call's result: its mediated tool event, the plan and memory writes it makes."""
        if call_id not in self.pending:
            raise self.fail(f"tool result for unknown call id {show(call_id)}")
        name, args, raw = self.pending.pop(call_id)
        kept = short_args(args)
        try:
            signature(name, kept)
        except ClawVMError as exc:
            raise self.fail(f"tool call {show(call_id)}: {exc}") from None
        if name in _PLAN_TOOLS and isinstance(args, dict):
            self.plan_update(args)
        self.memory_write(name, args)
        self.n_ev += 1
        pid = f"ev-{self.n_ev}"
        read_only, resource = self.classify(name, args)
        page = self._make(evidence, pid, text, tool=name, args=kept, exit=1 if error else None)
        call = Call(call_id, render_id(call_id), name, kept, raw if kept == args else None)
        tokens = self._costs(page, Role(K_TOOL, 0, 0, call))
        tool = _tool_name(name)
        self.events.append({
            "op": "tool", "name": tool, "args": kept,
            "call_id": call_id if _CALL_ID.fullmatch(call_id) else render_id(call_id),
            "read_only": read_only, "resource": resource, "page": pid, "tokens": tokens,
            "utility": 1.0, "recompute": round(1 + math.log10(max(len(text), 1)), 3),
        })
        self.fresh.append(pid)

    def classify(self, name: str, args: Any) -> tuple[bool, Any]:
        """Rule 8: whether the tool is read-only, and what the call reads or writes."""
        a = args if isinstance(args, dict) else {}

        def first(keys: Iterable[str]) -> str | None:
            for k in keys:
                if isinstance(a.get(k), str) and a[k]:
                    return str(a[k])
            return None

        if self.harness == "claude-code":
            if name in _CC_READ:
                return True, first(_CC_READ[name])
            if name in _CC_WEB:
                target = first((_CC_WEB[name],))
                return True, None if target is None else f"web/{target}"
            if name in _EDIT_TOOLS:
                return False, first(("file_path", "notebook_path"))
            return False, None
        return bool(_READ_VERB.match(name)), first(_PATH_ARGS)

    def plan_update(self, args: dict[str, Any]) -> None:
        """Rule 5: a todo tool's list is the plan page."""
        items = args.get("todos", args.get("plan"))
        if not isinstance(items, list):
            return
        steps, done = [], []
        for item in items:
            if not isinstance(item, dict):
                continue
            text = next((item[k] for k in ("content", "step", "title", "text")
                         if isinstance(item.get(k), str)), "")
            steps.append(text or "step")
            done.append(str(item.get("status", "")).lower() in ("completed", "done"))
        if not steps:
            return
        step = next((i for i, d in enumerate(done) if not d), len(steps) - 1)
        content = {"goal": steps[0], "steps": steps, "step": step, "done": all(done)}
        page = self._make(plan, "plan", content["goal"], steps, step=step, done=all(done))
        tokens = self._costs(page, stable_role(PageType.PLAN, 0))
        if not self.plan_made:
            self.plan_made = True
            self.events.append({"op": "page", "id": "plan", "type": "plan", "tokens": tokens,
                                "utility": 0.8})
        self.events.append({"op": "write", "page": "plan", "value": content, "tokens": tokens})
        self.plan_active = not all(done)

    def memory_write(self, name: str, args: Any) -> None:
        """Rule 7: an edit of a memory file writes its page."""
        if not isinstance(args, dict):
            return
        path = next((args[k] for k in ("file_path", "notebook_path", "path")
                     if isinstance(args.get(k), str)), None)
        if path is None or not _memory_file(path):
            return
        edits = name in _EDIT_TOOLS if self.harness == "claude-code" else not _READ_VERB.match(name)
        if not edits:
            return
        new = next((args[k] for k in ("content", "new_string", "new_source")
                    if isinstance(args.get(k), str)), None)
        if new is None and isinstance(args.get("edits"), list):
            new = "\n".join(str(e.get("new_string", "")) for e in args["edits"]
                            if isinstance(e, dict))
        new = new or ""
        pid = self.boot.get(path)
        if pid is not None:
            old = args.get("old_string")
            text = self.texts[pid]
            text = text.replace(old, new, 1) if isinstance(old, str) and old in text else (
                new if name == "Write" else f"{text}\n{new}")
            self.texts[pid] = text
            tokens = self._costs(self._make(bootstrap, pid, text or pid),
                                 stable_role(PageType.BOOTSTRAP, 0))
            self.events.append({"op": "write", "page": pid, "principal": "harness",
                                "value": {"edit": short_args(new)}, "tokens": tokens})
            return
        pid = self.memory.get(path) or f"mem-{_file_key(path)}"
        text = f"{self.texts.get(pid, '')}\n{new}".strip() or path
        page = self._make(preference, pid, path, text)
        tokens = self._costs(page, stable_role(PageType.PREFERENCE, 0))
        if path not in self.memory:
            self.memory[path] = pid
            self.events.append({"op": "page", "id": pid, "type": "preference",
                                "scope": "project", "tokens": tokens, "utility": 0.6})
        self.texts[pid] = text
        self.events.append({"op": "write", "page": pid, "principal": "harness",
                            "value": {"edit": short_args(new)}, "tokens": tokens})

    # ------------------------------------------------------------------ finishing
    def finish(self, source: str, session: str, skipped: int) -> list[str]:
        if self.n_turn == 0:  # rule 12
            raise TraceError(1, "no model call in this transcript (is it the right format?)",
                             self.name)
        events = [*self.head, *self.events, {"op": "session_end"}]
        header = {"session": session, "source": source, "skipped": skipped,
                  "tokenizer": str(getattr(self.tok, "name", type(self.tok).__name__))}
        return list(dump_lines(header, events))

    # ------------------------------------------------------------------ content
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
            if b.get("type") not in ("text", "input_text", "output_text"):
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


#: Where a transcript in the other chat format keeps its tool calls and results: a
#: converter meeting one would lose them, so it stops and names the right converter.
_OPENAI_TOOL_KEYS = ("tool_calls", "tool_call_id", "function_call")
_ANTHROPIC_TOOL_BLOCKS = ("tool_use", "tool_result")


def _not_openai(b: _Builder, m: dict[str, Any]) -> None:
    """Stop on an Anthropic tool block in an OpenAI chat message."""
    content = m.get("content")
    for blk in content if isinstance(content, list) else ():
        if isinstance(blk, dict) and blk.get("type") in _ANTHROPIC_TOOL_BLOCKS:
            raise b.fail(f"a {blk['type']!r} block is Anthropic's Messages format, not OpenAI "
                         "chat: convert this transcript with `clawvm convert anthropic`")


def _not_anthropic(b: _Builder, m: dict[str, Any]) -> None:
    """Stop on an OpenAI tool key in an Anthropic message."""
    for key in _OPENAI_TOOL_KEYS:
        if key in m:
            raise b.fail(f"{key!r} is OpenAI chat format, not Anthropic's Messages: convert "
                         "this transcript with `clawvm convert openai`")


def _tool_name(name: str) -> str:
    """A tool name as the trace takes it (``[A-Za-z0-9_-]``, at most 64)."""
    clean = re.sub(r"[^A-Za-z0-9_-]", "_", name)[:64]
    return clean or "tool"


# ---------------------------------------------------------------------- Claude Code
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
    b = _Builder(tokenizer, label, "claude-code")
    session, skipped, boundary = None, 0, False  # boundary: the last line was compact_boundary
    last_id, in_reply = None, False  # the current model call's message.id; last line assistant?
    for b.line, raw in lines:
        if not raw.strip():
            continue
        try:
            obj = json_line(raw, b.line)
        except TraceError as exc:
            raise b.fail(exc.problem) from None
        kind, msg = obj.get("type"), obj.get("message")
        if kind not in _KINDS or obj.get("isSidechain") or obj.get("isMeta"):
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
                b.segment(b.plain(blocks, "user"), "other")
            elif kind == "user":
                for blk in blocks:
                    if blk.get("type") == "tool_result":
                        cid = b.string(blk, "tool_use_id", "tool_result")
                        text = b.plain(blk.get("content"), "tool_result")
                        b.result(cid, text, bool(blk.get("is_error")))
                    elif blk.get("type") == "text":
                        text = b.plain([blk], "user")
                        if not b.replied and _REMINDER.match(text) and _RULE_FILE.search(text):
                            b.reminder(text)
                        else:
                            b.user_text(text)
            else:
                key = msg.get("id") if isinstance(msg.get("id"), str) else None
                if (key != last_id) if key is not None else not in_reply:
                    b.model_call()
                last_id = key or last_id
                for blk in blocks:
                    if blk.get("type") == "text":
                        b.assistant_text(b.plain([blk], "assistant"))
                    elif blk.get("type") == "tool_use":
                        cid = b.string(blk, "id", "tool_use")
                        b.call(cid, b.string(blk, "name", "tool_use"), blk.get("input", {}))
            in_reply, boundary = kind == "assistant", False
    return b.finish(f"claude_code:{name}", session or Path(name).stem, skipped)


# ---------------------------------------------------------------------- JSON documents
def _load(source: Any, name: str | None, session: str) -> tuple[Any, list[int] | None, str, str]:
    """(the document, the line each message starts on or None, label, session)."""
    label, lines = name or "messages", None
    obj: Any = source
    if isinstance(source, (str, os.PathLike)) or reader.is_stream(source):
        with reader.opened(source, name) as (stream, label):
            obj, lines = _document(stream, label)
        session = Path(label).stem
    return obj, lines, label, session


def _messages(obj: Any, label: str, session: str) -> tuple[list[Any], str, Any]:
    system = None
    if isinstance(obj, dict):
        session = obj["id"] if isinstance(obj.get("id"), str) else session
        system = obj.get("system")
        obj = obj.get("messages")
    if not isinstance(obj, list):
        raise TraceError(1, "expected a list of messages or an object with a 'messages' list",
                         label)
    return obj, session, system


def from_openai(source: str | os.PathLike[str] | IO[bytes] | list[Any] | dict[str, Any], *,
                tokenizer: Tokenizer | None = None, name: str | None = None) -> list[str]:
    """Trace lines for an OpenAI-style chat: a JSON file or binary stream, a message list or
    {"messages": [...]} (``name`` labels errors; default: the path or the stream's name)."""
    obj, lines, label, session = _load(source, name, "openai")
    msgs, session, _ = _messages(obj, label, session)
    b = _Builder(tokenizer, label, "generic")
    legacy = 0
    for b.line, m in zip(lines or range(1, len(msgs) + 1), msgs, strict=True):
        if not isinstance(m, dict):
            raise b.fail(f"a message must be an object, got {type(m).__name__}")
        _not_openai(b, m)
        role = m.get("role")
        if role in ("system", "developer"):
            b.system(b.plain(m.get("content"), role))
        elif role == "user":
            b.user_text(b.plain(m.get("content"), role))
        elif role == "assistant":
            b.model_call()
            b.assistant_text(b.plain(m.get("content"), role))
            calls = m.get("tool_calls") or []
            if not isinstance(calls, list):
                raise b.fail("assistant: tool_calls must be a list")
            fc = m.get("function_call")
            if isinstance(fc, dict):  # the legacy single call
                legacy += 1
                calls = [*calls, {"id": f"function-{legacy}", "function": fc}]
            for c in calls:
                fn = c.get("function") if isinstance(c, dict) else None
                if not isinstance(fn, dict):
                    raise b.fail(f"a tool call needs a 'function' object, got {show(c)}")
                cid = b.string(c, "id", "tool call")
                b.call(cid, b.string(fn, "name", f"tool call {show(cid)}"),
                       _arguments(b, cid, fn.get("arguments")))
        elif role == "tool":
            b.result(b.string(m, "tool_call_id", "tool message"), b.plain(m.get("content"), "tool"))
        elif role == "function":
            b.result(f"function-{legacy}", b.plain(m.get("content"), "function"))
        else:
            raise b.fail(f"unknown role {show(role)} (expected system, developer, user, "
                         "assistant, tool or function)")
    return b.finish(f"openai:{Path(label).name}", session, 0)


def _arguments(b: _Builder, cid: str, raw: Any) -> Any:
    """A call's arguments: an object, or OpenAI's JSON string, parsed within the limits."""
    if not isinstance(raw, (str, dict, type(None))):
        raise b.fail(f"tool call {show(cid)}: arguments must be a JSON string, got {show(raw)}")
    if isinstance(raw, dict):
        return raw
    try:
        return reader.loads(raw or "{}", _ARGS_DEPTH)
    except reader.JSONInputError as exc:
        raise b.fail(f"tool call {show(cid)}: arguments must be a JSON string: {exc}") from None


def from_anthropic(source: str | os.PathLike[str] | IO[bytes] | list[Any] | dict[str, Any], *,
                   tokenizer: Tokenizer | None = None, name: str | None = None) -> list[str]:
    """Trace lines for an Anthropic Messages transcript: a JSON file or binary stream, a
    message list or {"system": ..., "messages": [...]} (``name`` labels errors)."""
    obj, lines, label, session = _load(source, name, "anthropic")
    msgs, session, system = _messages(obj, label, session)
    b = _Builder(tokenizer, label, "generic")
    if system is not None:
        b.line = 1
        b.system(b.plain(system, "system"))
    for b.line, m in zip(lines or range(1, len(msgs) + 1), msgs, strict=True):
        if not isinstance(m, dict):
            raise b.fail(f"a message must be an object, got {type(m).__name__}")
        _not_anthropic(b, m)
        role = m.get("role")
        blocks = b.blocks(m.get("content"), str(role))
        if role == "user":
            for blk in blocks:
                if blk.get("type") == "tool_result":
                    cid = b.string(blk, "tool_use_id", "tool_result")
                    b.result(cid, b.plain(blk.get("content"), "tool_result"),
                             bool(blk.get("is_error")))
                else:
                    b.user_text(b.plain([blk], "user"))
        elif role == "assistant":
            b.model_call()
            for blk in blocks:
                if blk.get("type") == "text":
                    b.assistant_text(b.plain([blk], "assistant"))
                elif blk.get("type") == "tool_use":
                    cid = b.string(blk, "id", "tool_use")
                    args = blk.get("input", {})
                    b.call(cid, b.string(blk, "name", "tool_use"), args)
        else:
            raise b.fail(f"unknown role {show(role)} (expected user or assistant)")
    return b.finish(f"anthropic:{Path(label).name}", session, 0)


def _document(stream: IO[bytes], label: str) -> tuple[Any, list[int]]:
    """A JSON document held to the reader's limits, and the line where each message starts."""
    try:
        text = reader.read_document(stream)
        return reader.loads(text), reader.item_lines(text, "messages")
    except reader.InputLineError as exc:
        raise TraceError(exc.line, exc.problem, label) from None
    except reader.JSONInputError as exc:
        raise TraceError(exc.lineno, str(exc), label) from None
