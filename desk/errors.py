"""The DeskError family: every error a user can cause or meet.

Each error has a stable ``code`` (for logs, tests and the UI) and a message in
Vietnamese and English; ``str(err)`` gives the message in the current language.
Anything that is not a DeskError reaching a front end is a bug.
"""

from __future__ import annotations

from desk.i18n import t


class DeskError(Exception):
    code = "desk_error"

    def __init__(self, vi: str, en: str, *, code: str | None = None) -> None:
        super().__init__(en)
        self.vi = vi
        self.en = en
        if code is not None:
            self.code = code

    @property
    def message(self) -> str:
        return t(self.vi, self.en)

    def __str__(self) -> str:
        return self.message


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
