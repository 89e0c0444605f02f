"""A harness loop on clawvm with a fake model (no network): swap `model` for your LLM client."""

import json
from types import SimpleNamespace as NS

from clawvm import VM, pages, paging_tool

FILES = {
    "src/vm.py": "\n".join(f"{i}: {'# TODO: tidy' if i == 7 else 'pass'}" for i in range(60)),
    "src/io.py": "\n".join(f"{i}: def read_{i}(path): return open(path).read()" for i in range(25)),
}
READ_FILE = {
    "type": "function",
    "function": {
        "name": "read_file",
        "parameters": {"type": "object", "properties": {"path": {"type": "string"}}},
    },
}
TOOLS = [READ_FILE, paging_tool("openai")]  # page_in: the model brings a [page:<id>] back


def model(messages: list, tools: list) -> NS:  # stands in for client.chat.completions.create
    """Replies shaped like the SDK's: read a file, read it again, read another, page one back."""
    model.turn = getattr(model, "turn", 0) + 1
    tool_results = [m["content"] for m in messages if m["role"] == "tool"]
    pointer = next((r for r in tool_results if r.startswith("[page:ev-1 ")), None)
    plan = {
        1: ("read_file", {"path": "src/vm.py"}),
        2: ("read_file", {"path": "src/vm.py"}),
        3: ("read_file", {"path": "src/io.py"}),
    }
    if model.turn in plan:
        name, args = plan[model.turn]
    elif pointer:  # src/vm.py's result was shortened to a pointer: ask for it again
        name, args = "page_in", {"page_id": "ev-1"}
    else:
        return NS(
            choices=[NS(message=NS(content="Line 7 of src/vm.py has the TODO.", tool_calls=None))]
        )
    call = NS(
        id=f"call_{model.turn}", type="function", function=NS(name=name, arguments=json.dumps(args))
    )
    return NS(choices=[NS(message=NS(content=None, tool_calls=[call]))])


vm = VM(900, system_prompt="You are a careful coding agent.", tool_schemas=TOOLS)
vm.tools.declare("read_file", read_only=True, resource="path")  # a repeat may be served
vm.session_start("demo")
vm.add_page(pages.bootstrap("agents", "- Always run the tests.\n- Never push to main."))
vm.post_user("Find the TODO in src/vm.py.")
newest: list[str] = []
for _ in range(8):
    prompt = vm.assemble(newest)  # rules, then the conversation as it fits; newest results full
    reply = model(prompt.openai(), TOOLS).choices[0].message
    vm.post_model(reply.content or "", tool_calls=reply.tool_calls or [])
    if not reply.tool_calls:
        break
    newest = []
    for call in reply.tool_calls:  # each result is sent back under its call's id
        name, args = call.function.name, call.function.arguments
        run = None if name == "page_in" else (lambda a=args: FILES[json.loads(a)["path"]])
        result = vm.tool_execute(name, args, run, call_id=call.id)  # page_in: the VM answers
        if result.page_id and not result.duplicate:
            newest.append(result.page_id)
vm.session_end()
print(vm.faults().as_dict())
