"""Typed errors: one place decides how a failure reads on the CLI and over HTTP.

Every error names the field at fault (when there is one) and a reason a user can act on.
The CLI prints ``error: <field>: <reason>`` on one stderr line and exits with ``exit_code``;
the API answers RFC 9457 problem+json with ``status``.
"""

from __future__ import annotations


class TiroError(Exception):
    """Base of every error tiro raises on purpose."""

    status: int = 400
    exit_code: int = 1
    title: str = "Error"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def one_line(self) -> str:
        """The stderr line: field first so a user sees where to look."""
        text = " ".join(self.message.split())
        return f"{self.field}: {text}" if self.field else text

    def problem(self) -> dict[str, object]:
        """RFC 9457 problem details body."""
        body: dict[str, object] = {
            "type": f"urn:tiro:error:{type(self).__name__}",
            "title": self.title,
            "status": self.status,
            "detail": self.message,
        }
        if self.field:
            body["field"] = self.field
        return body


class BadRequest(TiroError):
    """The request is malformed as a whole (not one field's value)."""

    status, exit_code, title = 400, 2, "Bad request"


class InvalidInput(TiroError):
    """A field's value is out of its domain (negative volume, unknown code, bad date)."""

    status, exit_code, title = 422, 2, "Invalid input"


class Unauthorized(TiroError):
    """No valid token was presented."""

    status, exit_code, title = 401, 5, "Unauthorized"


class Forbidden(TiroError):
    """The token is valid but its role does not allow the action."""

    status, exit_code, title = 403, 5, "Forbidden"


class NotFound(TiroError):
    """The named thing (parameter path, site, loan, user) does not exist."""

    status, exit_code, title = 404, 3, "Not found"


class Conflict(TiroError):
    """The action contradicts the current state (overdraw, wrong workflow step)."""

    status, exit_code, title = 409, 4, "Conflict"


class PayloadTooLarge(TiroError):
    """An upload past its route's size cap (refused before it is read into memory)."""

    status, exit_code, title = 413, 2, "Payload too large"


class DatabaseNotReady(TiroError):
    """The database lacks a table the command needs: it was never migrated, or is older."""

    status, exit_code, title = 503, 6, "Database not ready"


class ParameterNotFound(NotFound):
    """A parameter path that is not a leaf of the tree."""


class ParameterDateError(InvalidInput):
    """A date before a parameter's first value: never a silent zero."""


class ParameterFileError(TiroError):
    """A parameter YAML file that breaks the tree's rules (found by the loader or lint)."""

    status, exit_code, title = 500, 6, "Parameter file error"
