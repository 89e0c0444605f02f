"""The policies a replay compares: the paper's six, two variants, two peers.

Each is a ``clawvm.policy.Policy`` (switches over the one VM and engine) and, for the peers,
a selector that chooses the context instead of the engine (``clawvm.replay.peers``):

* ``retrieval``, ``retrieval_cached``, ``lru``, ``clawvm``, ``oracle``: docs/evaluation.md §4;
* ``compaction_hybrid``: prefetch and writeback at compaction only, recency scoring;
* ``compaction_threshold``: the same, but its flush runs at a soft threshold below the
  compaction threshold, so a jump past both skips it (the threshold-jump race);
* ``clawvm_headroom``: clawvm with ``VM(cache_headroom=0.2)``, which keeps the prompt's
  prefix for provider prompt caches (docs/rendering.md §5);
* ``trim_last`` (LangChain's ``trim_messages``) and ``clear_tool_uses`` (Anthropic's
  context editing): no pins, no pointers that resolve, untyped recall — what a harness
  built on them gets. They keep the whole history client-side, so a compaction in the
  trace (the source harness's) loses nothing under them; a reset or session end without a
  memory flush loses what was not committed, as under the baselines.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from clawvm._table import Selector
from clawvm.errors import InvalidInputError
from clawvm.policy import ABLATIONS, POLICIES, Policy
from clawvm.replay import peers

__all__ = ["CRIPPLED", "PAPER", "PEERS", "REPLAY_POLICIES", "ReplayPolicy", "get"]


@dataclass(frozen=True, slots=True)
class ReplayPolicy:
    """A named policy for replays: the VM's switches and, for a peer, its selector."""

    name: str
    policy: Policy
    selector: Selector | None = None
    cache_headroom: float = 0.0  # ``VM(cache_headroom=...)``


def _named(name: str, policy: Policy, selector: Selector | None = None,
           cache_headroom: float = 0.0) -> ReplayPolicy:
    return ReplayPolicy(name, dataclasses.replace(policy, name=name), selector, cache_headroom)


_HYBRID = dataclasses.replace(POLICIES["compaction_hybrid"], flush_on_threshold_only=False)
#: A peer keeps the whole history client-side and never compacts: a compaction in the trace
#: (the source harness's) destroys nothing under it; a reset or a session end does.
_PEER = dataclasses.replace(POLICIES["retrieval"], writeback_at_compaction=True)

#: The paper's six (docs/evaluation.md §4), in the order of its Table 4.
PAPER = ("retrieval", "retrieval_cached", "compaction_hybrid", "lru", "clawvm", "oracle")
#: What users would pick instead.
PEERS = ("trim_last", "clear_tool_uses")

REPLAY_POLICIES: dict[str, ReplayPolicy] = {
    "retrieval": _named("retrieval", POLICIES["retrieval"]),
    "retrieval_cached": _named("retrieval_cached", POLICIES["retrieval_cached"]),
    "compaction_hybrid": _named("compaction_hybrid", _HYBRID),
    "compaction_threshold": _named(
        "compaction_threshold", dataclasses.replace(_HYBRID, flush_on_threshold_only=True)
    ),
    "lru": _named("lru", POLICIES["lru"]),
    "clawvm": _named("clawvm", POLICIES["clawvm"]),
    "oracle": _named("oracle", POLICIES["oracle"]),
    "clawvm_headroom": _named("clawvm_headroom", POLICIES["clawvm"], cache_headroom=0.2),
    "trim_last": _named("trim_last", _PEER, peers.trim_last),
    "clear_tool_uses": _named("clear_tool_uses", _PEER, peers.clear_tool_uses()),
}

#: ClawVM with one mechanism removed outright: what the crippled-engine checks run.
CRIPPLED: dict[str, Policy] = {
    "clawvm-no-phase2": POLICIES["clawvm"].without("phase2"),
    "clawvm-no-prefetch": POLICIES["clawvm"].without("prefetch"),
    "clawvm-no-writeback": dataclasses.replace(
        POLICIES["clawvm"], name="clawvm-no-writeback", writeback_at_compaction=False,
        writeback_at_reset=False, writeback_at_session_end=False),
}


def get(name: str) -> ReplayPolicy:
    """A replay policy by name: one of ``REPLAY_POLICIES``, ``CRIPPLED`` or
    ``clawvm-no-<ablation>`` (``clawvm.policy.ABLATIONS``)."""
    if name in REPLAY_POLICIES:
        return REPLAY_POLICIES[name]
    if name in CRIPPLED:
        return ReplayPolicy(name, CRIPPLED[name])
    if name.startswith("clawvm-no-") and name[len("clawvm-no-"):] in ABLATIONS:
        p = POLICIES["clawvm"].without(name[len("clawvm-no-"):])
        return ReplayPolicy(p.name, p)
    raise InvalidInputError("policy", f"{name!r} is not one of {sorted(REPLAY_POLICIES)}")
