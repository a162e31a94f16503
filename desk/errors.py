"""The DeskError family: every error a user can cause or meet.

Each error has a stable ``code`` (for logs, tests and the UI) and a message in
Vietnamese and English (the protocol of :class:`signing.usertext.UserError`, shared
with ``SigningError``): ``err.message()`` and ``str(err)`` give it in the current
language. Anything that is not a UserError reaching a front end is a bug.
"""

from __future__ import annotations

from signing.usertext import UserError


class DeskError(UserError):
    code = "desk_error"


class ValidationError(DeskError):
    """Input that breaks a rule of Decree 30 / QCVN 102 or of the form."""

    code = "invalid"


class NotFoundError(DeskError):
    code = "not_found"


class StateError(DeskError):
    """A workflow step that the document's state does not allow."""

    code = "forbidden_step"


class PermissionDenied(DeskError):
    code = "permission_denied"


class ConflictError(DeskError):
    code = "conflict"


class StorageError(DeskError):
    """The data folder, database or blob store is damaged or unwritable."""

    code = "storage"
