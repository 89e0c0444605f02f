"""The official OpenAI and Anthropic SDKs, driven through the VM for 100 turns each.

A local HTTP server (loopback, no network) plays the provider: it checks every request the
way the APIs do (``tests/api_rules.py``: each tool result right after its call with the same
id, no orphan calls or results, Anthropic alternation, non-empty content, user first,
valid roles) and answers 400 otherwise, like the providers; a fake model answers with text
and tool calls: new reads, a read-only read repeated at once, writes, and the paging tool
whenever a result it saw is only a pointer. Skipped when the SDKs are not installed
(``pip install "clawvm[integration]"``).

Also: ``mypy --strict`` accepts the rendered prompts as the SDKs' parameter types.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from clawvm import VM, paging_tool
from clawvm import pages as P

TURNS = 100
COMPACT_AT = (30, 60, 90)
_POINTER = re.compile(r"^\[page:(ev-\d+) ")
_SCHEMA = {
    "read_file": {
        "type": "object",
        "properties": {"path": {"type": "string"}},
        "required": ["path"],
    },
    "write_file": {
        "type": "object",
        "properties": {"path": {"type": "string"}, "content": {"type": "string"}},
        "required": ["path", "content"],
    },
}


class FakeProvider:
    """Checks requests like the provider and plays a deterministic coding model."""

    def __init__(self, api_rules: Any) -> None:
        self.rules = api_rules
        self.problems: list[str] = []
        self.requests = 0
        self.turn = 0
        self.n_calls = 0
        self.paged: dict[str, int] = {}  # page id -> request that asked for it
        self.page_ins = 0
        self.repeats = 0
        self.last_read: str | None = None  # read since the last write

    # ------------------------------------------------------------ the model
    def decide(
        self, results: list[str], said_last: bool
    ) -> tuple[str, list[tuple[str, dict[str, Any]]]]:
        """(text, calls) for this turn, from the tool results the prompt shows."""
        t = self.turn
        self.turn += 1
        pointers = [m.group(1) for r in results if (m := _POINTER.match(r))]
        fresh = [p for p in pointers if p not in self.paged]
        if fresh and t % 3 == 0:
            self.paged[fresh[-1]] = self.requests
            self.page_ins += 1
            return "Let me look at that again.", [("page_in", {"page_id": fresh[-1]})]
        if t % 10 == 9 and not said_last:
            return f"Done with step {t}; the parser is fixed.", []
        if t % 7 == 1:
            path, self.last_read = self.last_read or f"src/mod{t}.py", None
            return "", [("write_file", {"path": path, "content": f"# v{t}\n" * 20})]
        if t % 7 in (3, 5) and self.last_read:  # the same read again, nothing changed since
            self.repeats += 1
            return "Reading it once more.", [("read_file", {"path": self.last_read})]
        self.last_read = f"src/mod{t}.py"
        return f"Reading module {t}.", [("read_file", {"path": self.last_read})]

    def _call_id(self, prefix: str) -> str:
        self.n_calls += 1
        return f"{prefix}{self.n_calls:05d}"

    # ------------------------------------------------------------ the wire
    def check_paged(self, contents: list[str]) -> None:
        """A page the model asked for is back at full in the next prompt (no pointer left)."""
        for pid, at in self.paged.items():
            if at == self.requests - 1 and any(c.startswith(f"[page:{pid} ") for c in contents):
                self.problems.append(
                    f"request {self.requests}: {pid} still a pointer after page_in"
                )

    def openai(self, body: dict[str, Any]) -> dict[str, Any]:
        msgs = body.get("messages")
        problems = self.rules.openai_problems(msgs)
        if problems:
            raise ValueError("; ".join(problems))
        contents = [m["content"] for m in msgs if m["role"] == "tool"]
        self.check_paged(contents)
        text, calls = self.decide(contents, msgs[-1]["role"] == "assistant")
        wire = [
            {
                "id": self._call_id("call_"),
                "type": "function",
                "function": {"name": name, "arguments": json.dumps(args)},
            }
            for name, args in calls
        ]
        message: dict[str, Any] = {"role": "assistant", "content": text or None}
        if wire:
            message["tool_calls"] = wire
        return {
            "id": f"chatcmpl-{self.requests}",
            "object": "chat.completion",
            "created": 0,
            "model": body["model"],
            "choices": [
                {"index": 0, "message": message, "finish_reason": "tool_calls" if wire else "stop"}
            ],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }

    def anthropic(self, body: dict[str, Any]) -> dict[str, Any]:
        msgs = body.get("messages")
        problems = self.rules.anthropic_problems(body.get("system"), msgs)
        if problems:
            raise ValueError("; ".join(problems))
        contents = [
            b["content"]
            for m in msgs
            for b in m["content"]
            if isinstance(b, dict) and b.get("type") == "tool_result"
        ]
        self.check_paged(contents)
        text, calls = self.decide(contents, msgs[-1]["role"] == "assistant")
        content: list[dict[str, Any]] = [{"type": "text", "text": text}] if text else []
        content += [
            {"type": "tool_use", "id": self._call_id("toolu_"), "name": name, "input": args}
            for name, args in calls
        ]
        return {
            "id": f"msg_{self.requests}",
            "type": "message",
            "role": "assistant",
            "model": body["model"],
            "content": content,
            "stop_reason": "tool_use" if calls else "end_turn",
            "stop_sequence": None,
            "usage": {"input_tokens": 1, "output_tokens": 1},
        }


@pytest.fixture
def provider(api_rules: Any) -> Iterator[tuple[FakeProvider, str]]:
    fake = FakeProvider(api_rules)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            try:
                if self.path.endswith("/chat/completions"):
                    reply, status = fake.openai(body), 200
                elif self.path.endswith("/messages"):
                    reply, status = fake.anthropic(body), 200
                else:
                    reply, status = {"error": {"message": f"no route {self.path}"}}, 404
            except ValueError as e:  # what the providers answer to a malformed request
                fake.problems.append(f"request {fake.requests}: {e}")
                reply = {
                    "type": "error",
                    "error": {"type": "invalid_request_error", "message": str(e)},
                }
                status = 400
            fake.requests += 1
            data = json.dumps(reply).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def harness_vm(tools: list[Any]) -> VM:
    """A VM under pressure: its budget is a fraction of what the 100 turns produce."""
    vm = VM(6000, system_prompt="You are a careful coding agent.", tool_schemas=tools)
    vm.tools.declare("read_file", read_only=True, resource="path")
    vm.tools.declare("write_file", resource="path")
    vm.session_start("sdk")
    vm.add_page(P.bootstrap("agents", "- Always run the tests.\n- Never push to main."))
    vm.add_page(P.plan("plan", "fix the parser", ["read", "patch", "test"]))
    vm.post_user("The parser drops trailing commas; please fix it.")
    return vm


def run_tool(name: str, args: dict[str, Any]) -> Any:
    if name == "read_file":
        return "\n".join(f"{args['path']}:{j}: def f{j}(x): return x + {j}" for j in range(30))
    return {"written": args.get("path"), "exit": 0}


def finish(vm: VM, fake: FakeProvider) -> None:
    everything = sum(p.tokens[-1] for p in vm.pages())
    assert everything > 4 * vm.page_budget  # real pressure: most of the session cannot be full
    vm.session_end()
    report = vm.faults()
    assert fake.problems == []
    assert fake.requests == TURNS
    assert report.total_faults == 0 and report.unmet == 0, report.as_dict()
    assert fake.page_ins >= 3 and report.page_ins >= fake.page_ins
    assert report.alerts == fake.repeats >= 8  # every repeated read was served
    assert 0 < vm.stats().prefix_reuse < 1


def test_openai_sdk_100_turns(
    provider: tuple[FakeProvider, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    openai = pytest.importorskip("openai", reason="pip install 'clawvm[integration]'")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    fake, url = provider
    client = openai.OpenAI(base_url=f"{url}/v1", api_key="test", max_retries=0, timeout=30)
    tools = [
        {"type": "function", "function": {"name": n, "parameters": s}} for n, s in _SCHEMA.items()
    ]
    tools.append(paging_tool("openai"))
    vm = harness_vm(tools)
    for turn in range(TURNS):
        if turn in COMPACT_AT:
            vm.compaction()
        prompt = vm.assemble()
        reply = client.chat.completions.create(model="fake", messages=prompt.openai(), tools=tools)
        msg = reply.choices[0].message
        vm.post_model(msg.content or "", tool_calls=msg.tool_calls or ())
        if not msg.tool_calls:
            vm.post_user(f"Thanks. Now step {turn + 1}.")
        for call in msg.tool_calls or ():
            name, args = call.function.name, call.function.arguments
            run = None if name == "page_in" else (lambda n=name, a=args: run_tool(n, json.loads(a)))
            vm.tool_execute(name, args, run, call_id=call.id)
    finish(vm, fake)


def test_anthropic_sdk_100_turns(
    provider: tuple[FakeProvider, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    anthropic = pytest.importorskip("anthropic", reason="pip install 'clawvm[integration]'")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    fake, url = provider
    client = anthropic.Anthropic(base_url=url, api_key="test", max_retries=0, timeout=30)
    tools = [{"name": n, "input_schema": s} for n, s in _SCHEMA.items()]
    tools.append(paging_tool("anthropic"))
    vm = harness_vm(tools)
    for turn in range(TURNS):
        if turn in COMPACT_AT:
            vm.compaction()
        prompt = vm.assemble()
        reply = client.messages.create(
            model="fake",
            max_tokens=512,
            system=prompt.anthropic_system(cache=True),
            messages=prompt.anthropic(cache=True),
            tools=tools,
        )
        text = "".join(b.text for b in reply.content if b.type == "text")
        uses = [b for b in reply.content if b.type == "tool_use"]
        vm.post_model(text, tool_calls=uses)
        if not uses:
            vm.post_user(f"Thanks. Now step {turn + 1}.")
        for use in uses:
            run = None if use.name == "page_in" else (lambda u=use: run_tool(u.name, u.input))
            vm.tool_execute(use.name, use.input, run, call_id=use.id)
    finish(vm, fake)


SNIPPET = """
from anthropic import Anthropic
from openai import OpenAI

from clawvm import VM, paging_tool


def call(vm: VM, oa: OpenAI, an: Anthropic) -> None:
    a = vm.assemble()
    oa.chat.completions.create(model="m", messages=a.openai(), tools=[paging_tool("openai")])
    an.messages.create(
        model="m",
        max_tokens=64,
        system=a.anthropic_system(cache=True),
        messages=a.anthropic(cache=True),
        tools=[vm.paging_tool("anthropic")],
    )
    an.messages.create(model="m", max_tokens=64, system=a.system, messages=a.anthropic())
    oa.responses.create(model="m", input=a.responses(), tools=[paging_tool("responses")])
"""
CONTROL = """
from typing import Any

from openai import OpenAI


def call(oa: OpenAI, messages: list[dict[str, Any]]) -> None:
    oa.chat.completions.create(model="m", messages=messages)
"""


def test_mypy_strict_accepts_prompts_as_sdk_parameters(tmp_path: Path) -> None:
    for module in ("mypy", "openai", "anthropic"):
        pytest.importorskip(module, reason="pip install 'clawvm[integration]'")
    (tmp_path / "snippet.py").write_text(SNIPPET)
    (tmp_path / "control.py").write_text(CONTROL)  # must be rejected: mypy really checks
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--follow-imports=silent",
            "--no-color-output",
            "--cache-dir",
            str(tmp_path / "cache"),
            "snippet.py",
            "control.py",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    errors = [ln for ln in run.stdout.splitlines() if ": error:" in ln]
    assert errors and all(ln.startswith("control.py:") for ln in errors), run.stdout
    shutil.rmtree(tmp_path / "cache", ignore_errors=True)
