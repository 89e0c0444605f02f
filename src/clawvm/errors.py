"""Typed errors. Each names the offending field and value, so a harness can report it as is."""

from __future__ import annotations


class ClawVMError(Exception):
    """Base class of every error clawvm raises on purpose."""


class InvalidInputError(ClawVMError, ValueError):
    """A value is out of range or inconsistent; ``field`` names which one."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


class InvalidTypeError(ClawVMError, TypeError):
    """A value has the wrong Python type or dtype; ``field`` names which one."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


class InvariantViolation(ClawVMError, RuntimeError):
    """An engine invariant failed after selection. This is a bug in clawvm, never bad input."""


class SessionError(ClawVMError, RuntimeError):
    """A call that needs an open session was made before ``session_start`` or after
    ``session_end``; there is no implicit shared session."""


class UnknownPageError(ClawVMError, KeyError):
    """A page id that the VM does not know."""

    def __str__(self) -> str:  # KeyError quotes its argument; we want the message as written
        return str(self.args[0]) if self.args else "unknown page"


class StoreError(ClawVMError, OSError):
    """A durable store failed to do what was asked (closed, locked out, unreachable)."""


class StoreCorruptError(StoreError):
    """A store's files are not what clawvm wrote; they are left untouched for inspection."""


class StoreSchemaError(StoreCorruptError):
    """A database holds tables clawvm did not create, or a schema version this clawvm does
    not read. It is refused before anything is written to it."""


class CommitOutcomeUnknownError(StoreError):
    """The store lost contact after a commit may have reached it, and could not find out
    whether it did. Retrying the same staged updates is safe: every update carries an
    idempotency id, and a store applies each id at most once (a retry of an update that did
    commit returns its recorded decision)."""


class CorruptJournalError(StoreCorruptError):
    """A journal line other than a torn tail fails its checksum; ``line`` is 1-based."""

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(f"{path}: line {line}: {message}")
        self.path = path
        self.line = line
