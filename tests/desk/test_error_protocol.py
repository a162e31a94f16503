"""One error and message protocol for every package (issue 14)."""

from __future__ import annotations

import pytest

from desk.errors import DeskError, StateError
from desk.i18n import language, set_language, t
from signing.errors import SigningError, WrongPin
from signing.usertext import UserError
from sync.errors import SyncError


@pytest.mark.parametrize("cls", [StateError, WrongPin, SyncError])
def test_every_family_speaks_the_same_protocol(cls: type[UserError]) -> None:
    err = cls("Sai mã PIN.", "Wrong PIN.")
    assert isinstance(err, UserError)
    assert err.code == cls.code and err.code
    assert err.message() == str(err) == "Sai mã PIN."
    assert err.message("en") == "Wrong PIN." and err.message("vi") == "Sai mã PIN."
    set_language("en")
    try:
        assert err.message() == str(err) == "Wrong PIN."
        assert t("có", "yes") == "yes"  # desk.i18n and the errors share one language
    finally:
        set_language("vi")
    assert language() == "vi"


def test_code_given_at_raise_time_wins() -> None:
    assert DeskError("a", "b", code="x").code == "x"
    assert SigningError("a", "b", code="y").code == "y"
    assert SigningError("a", "b").code == "signing.error"
