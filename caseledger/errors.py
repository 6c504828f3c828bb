"""Domain errors shared by every caseledger domain.

Services raise these; each interface (CLI, API, pages) has one handler that turns them into a
one-line message (CLI exit code 2), a JSON error or an HTML message. An error carries the context
a user needs to find the problem: the case number, the defendant, the rule broken, the field.
A service never raises an interface-specific exception.
"""

from __future__ import annotations

from typing import Any


class CaseledgerError(Exception):
    """Base of all expected, user-facing errors."""

    code = "error"

    def __init__(self, message: str, **context: Any) -> None:
        super().__init__(message)
        self.message = message
        self.context = {k: v for k, v in context.items() if v is not None}

    def one_line(self) -> str:
        """The message with its context, on one line, for the CLI and logs."""
        where = ", ".join(f"{k}={v}" for k, v in self.context.items())
        text = " ".join(self.message.split())
        return f"{text} [{where}]" if where else text

    def to_dict(self) -> dict[str, Any]:
        return {"error": self.code, "message": self.message, **self.context}


class InvalidInput(CaseledgerError):
    """A value is malformed, out of range or contradicts what is already recorded."""

    code = "invalid_input"


class UnknownCode(InvalidInput):
    """A code (crime, ground, procedure ...) is not in its catalogue."""

    code = "unknown_code"


def enum_value(enum: type, value: object, *, field: str, **context: Any) -> Any:
    """``enum(value)``, or an :class:`UnknownCode` naming the field and the allowed codes."""
    try:
        return enum(value)
    except ValueError:
        raise UnknownCode(
            f"unknown {field} {value!r}",
            field=field,
            allowed=",".join(m.value for m in enum),
            **context,
        ) from None


class NotFound(CaseledgerError):
    code = "not_found"


class TransitionNotAllowed(CaseledgerError):
    """The defendant's current stage does not allow the requested legal act."""

    code = "transition_not_allowed"


class PreconditionFailed(CaseledgerError):
    """A legal condition of the act does not hold (a time limit, a procedure condition ...)."""

    code = "precondition_failed"


class SafeguardViolation(CaseledgerError):
    """A procedural safeguard (counsel, recording, exclusion ...) would be bypassed."""

    code = "safeguard_violation"


class PermissionDenied(CaseledgerError):
    code = "permission_denied"


class ConcurrencyConflict(CaseledgerError):
    """Another writer appended to the same case chain first; re-read and retry."""

    code = "conflict"


class RulePackInvalid(CaseledgerError):
    """A law-as-data file (time limits, guidelines, catalogue) failed validation on load."""

    code = "rule_pack_invalid"


class ConfigurationError(CaseledgerError):
    code = "configuration_error"
