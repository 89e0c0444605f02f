"""A harness loop on clawvm with a fake model (no network): swap `model` for your LLM client."""

from clawvm import VM, pages


def model(messages: list[dict]) -> tuple[str, str, dict]:  # e.g. client.chat.completions.create
    return f"read {len(messages)} messages; searching", "grep", {"pattern": "TODO", "path": "src/"}


vm = VM(4000, system_prompt="You are a careful coding agent.")
vm.session_start("demo")
vm.add_page(pages.bootstrap("agents", "- Always run the tests.\n- Never push to main."))
vm.add_page(pages.constraint("py310", "Code must run on Python 3.10."))
demands: list[str] = []
for turn in range(4):
    prompt = vm.assemble(demands)  # the prompt: pinned rules + what fits the budget
    text, tool, args = model(prompt.openai())
    vm.post_model(text)
    result = vm.tool_execute(tool, args, lambda: "src/vm.py:12: # TODO tidy")  # repeats are served
    demands = [result.page_id]
    if turn == 1:
        vm.compaction()  # dirty pages are written back first; the rules stay resident
vm.session_end()
print(vm.faults().as_dict())
