"""Issue 11, item 4 (client): no silent fallback to a plaintext keyring."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from sync import secrets
from sync.errors import SecretMissing
from tests.support.keyrings import plaintext_keyring_only
from tests.support.windows import assert_private


@pytest.fixture
def plaintext_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A headless Linux box: the only backend keyring finds is keyrings.alt's plaintext file."""
    previous = plaintext_keyring_only(tmp_path, monkeypatch)
    monkeypatch.setattr(secrets, "_session_passphrase", None)
    yield tmp_path
    keyring.set_keyring(previous)


def test_the_secret_goes_to_an_encrypted_file_not_the_plaintext_keyring(
        plaintext_only: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DESK_KEYRING_PASSPHRASE", "cụm mật khẩu dài của văn thư")
    secret = "s3cr3t-" + "x" * 30
    secrets.store_secret("https://truc.example", "000.00.01.H49", secret)
    assert not (plaintext_only / "keyring_pass.cfg").exists() or \
        secret not in (plaintext_only / "keyring_pass.cfg").read_text()
    enc = next((plaintext_only / "config").rglob("secrets.enc.json"))
    assert secret not in enc.read_text()
    assert_private(enc)
    assert secrets.load_secret("https://truc.example", "000.00.01.H49") == secret
    assert "tệp mã hóa" in secrets.storage_description("vi")


def test_without_a_passphrase_or_terminal_it_refuses_clearly(plaintext_only: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DESK_KEYRING_PASSPHRASE", raising=False)
    monkeypatch.setattr("sys.stdin", None)
    with pytest.raises(SecretMissing) as ei:
        secrets.store_secret("https://truc.example", "000.00.01.H49", "x" * 30)
    assert "không lưu mật khẩu trục vào tệp không mã hóa" in str(ei.value)
