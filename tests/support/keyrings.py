"""A headless desktop whose only keyring is keyrings.alt's plaintext file, for the tests of
Desk's encrypted key file (the client keyring that never falls back to plaintext)."""

from __future__ import annotations

import sys
from pathlib import Path

import keyring
import pytest
from keyrings.alt.file import PlaintextKeyring


def plaintext_keyring_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> keyring.backend.KeyringBackend:
    """Make keyrings.alt's plaintext file the only backend and give the test its own config
    folder (where Desk's encrypted key file is); returns the previous backend to put back."""
    previous = keyring.get_keyring()
    kr = PlaintextKeyring()
    kr.file_path = str(tmp_path / "keyring_pass.cfg")  # type: ignore[misc]
    keyring.set_keyring(kr)
    monkeypatch.delenv("DESK_ALLOW_PLAINTEXT_KEYRING", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    if sys.platform == "win32":
        # Windows has no XDG_CONFIG_HOME: platformdirs asks the shell for the user's
        # AppData folder, so the test points that lookup at its own folder.
        import platformdirs

        monkeypatch.setattr(platformdirs, "user_config_dir",
                            lambda name, *_a, **_k: str(tmp_path / "config" / name))
    return previous
