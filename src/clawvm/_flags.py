"""Yes/no switches from the environment, parsed one way at build time and at run time.

Standard library only: setup.py loads this file by path, before clawvm is installed, so that
``CLAWVM_PURE_PYTHON=no`` means the same to the build as to ``import clawvm``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

_WORDS = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}


def env_flag(name: str, environ: Mapping[str, str] | None = None) -> bool:
    """``name`` as a switch: 1/true/yes or 0/false/no in any case; unset or empty is off.

    Anything else raises ValueError: a typo such as ``CLAWVM_PURE_PYTHON=ture`` must not
    quietly pick an engine. The message names the value, not the variable (callers add it).
    """
    raw = (os.environ if environ is None else environ).get(name, "")
    word = raw.strip().lower()
    if not word:
        return False
    if word not in _WORDS:
        raise ValueError(f"{raw!r} is not a yes/no value: use 1/0, true/false or yes/no")
    return _WORDS[word]
