"""The agency secret lives in the OS keyring, never in the database or a settings file.

A desktop uses the platform's own keyring (Windows Credential Manager, protected by
DPAPI; macOS Keychain; Secret Service). Where the only backend left is the plaintext
file of keyrings.alt (a Linux box without a Secret Service), Desk never falls back to
it silently: it keeps the secret in its own encrypted file (AES-GCM, key derived with
scrypt from a passphrase asked once per session, or ``DESK_KEYRING_PASSPHRASE``), and
:func:`storage_description` says which is in use. ``DESK_ALLOW_PLAINTEXT_KEYRING=1``
lets a deliberately chosen plaintext keyring be used (the test suite's temporary ones).
"""

from __future__ import annotations

import base64
import contextlib
import os
import sys
from pathlib import Path
from typing import Any

import keyring
import keyring.errors

from sync.errors import SecretMissing

SERVICE_PREFIX = "desk-exchange:"


def _service(server_url: str) -> str:
    return SERVICE_PREFIX + server_url.rstrip("/").lower()


def _plaintext(kr: object) -> bool:
    names = {f"{type(k).__module__}.{type(k).__name__}" for k in getattr(kr, "backends", [kr])}
    unsafe = {"keyrings.alt.file.PlaintextKeyring", "keyring.backends.fail.Keyring",
              "keyring.backends.null.Keyring"}
    return not names or names <= unsafe


def _backend() -> Any:
    kr = keyring.get_keyring()
    if _plaintext(kr) and os.environ.get("DESK_ALLOW_PLAINTEXT_KEYRING") != "1":
        return EncryptedFileStore()
    return kr


def storage_description(lang: str = "vi") -> str:
    """Where the secret is kept, in words for Settings and ``desk exchange connect``."""
    b = _backend()
    if isinstance(b, EncryptedFileStore):
        return (f"tệp mã hóa {b.path} (mật khẩu mở khóa hỏi một lần mỗi phiên)" if lang == "vi" else
                f"encrypted file {b.path} (its passphrase is asked once per session)")
    name = type(b).__name__
    return f"kho khóa của hệ điều hành ({name})" if lang == "vi" else f"the OS keyring ({name})"


_session_passphrase: str | None = None  # in memory only, for this process (the session)
LOCKED = "keyring_locked"  # SecretMissing.code: the encrypted file needs its passphrase
WRONG_PASSPHRASE = "keyring_wrong_passphrase"


def _wrong_passphrase() -> SecretMissing:
    return SecretMissing("Sai mật khẩu mở tệp khóa của Desk; chưa thử lại, hãy nhập lại.",
                         "Wrong passphrase for Desk's key file; nothing was retried, enter it again.",
                         code=WRONG_PASSPHRASE)


def passphrase_needed() -> bool:
    """True when the secret is in Desk's encrypted file and this session has no passphrase yet
    (a front end then asks for it once, and hands it to :func:`unlock`)."""
    if _session_passphrase is not None or os.environ.get("DESK_KEYRING_PASSPHRASE"):
        return False
    return isinstance(_backend(), EncryptedFileStore)


def passphrase_is_new() -> bool:
    """True when Desk's encrypted file holds nothing yet: the passphrase given now will be its key."""
    return not EncryptedFileStore().has_items()


def unlock(passphrase: str) -> None:
    """Check ``passphrase`` against Desk's encrypted file and keep it for this session.

    A wrong one raises SecretMissing (``WRONG_PASSPHRASE``) and is not kept: it is never
    tried again by itself. On a file that holds nothing yet, any non-empty passphrase
    becomes its key.
    """
    global _session_passphrase
    if not passphrase:
        raise SecretMissing("Chưa nhập mật khẩu mở tệp khóa.", "No passphrase was entered.", code=LOCKED)
    EncryptedFileStore().check_passphrase(passphrase)
    _session_passphrase = passphrase


def forget_passphrase() -> None:
    """Drop this session's passphrase (the next use of the encrypted file asks again)."""
    global _session_passphrase
    _session_passphrase = None


class EncryptedFileStore:
    """Secrets in one file, each sealed with AES-GCM under a key derived (scrypt) from a passphrase."""

    def __init__(self) -> None:
        import platformdirs

        self.path = Path(platformdirs.user_config_dir("Desk", appauthor=False)) / "secrets.enc.json"

    def _key(self, salt: bytes) -> bytes:
        global _session_passphrase
        if _session_passphrase is None:
            env = os.environ.get("DESK_KEYRING_PASSPHRASE")
            if env:
                _session_passphrase = env
            elif sys.stdin is not None and sys.stdin.isatty():
                import getpass

                _session_passphrase = getpass.getpass(
                    "Mật khẩu mở tệp khóa của Desk (hỏi một lần mỗi phiên): ")
            else:
                raise SecretMissing(
                    "Máy này không có kho khóa an toàn của hệ điều hành; Desk không lưu mật khẩu trục "
                    "vào tệp không mã hóa. Hãy nhập mật khẩu mở tệp khóa của Desk trong ứng dụng, đặt "
                    "DESK_KEYRING_PASSPHRASE hoặc chạy trong cửa sổ lệnh.",
                    "This computer has no secure OS keyring; Desk does not keep the exchange secret in "
                    "a plain file. Enter the passphrase of Desk's key file in the app, set "
                    "DESK_KEYRING_PASSPHRASE or run it from a terminal.",
                    code=LOCKED)
        return self._derive(_session_passphrase, salt)

    @staticmethod
    def _derive(passphrase: str, salt: bytes) -> bytes:
        from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

        return Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(passphrase.encode())

    def has_items(self) -> bool:
        try:
            return bool(self._load()["items"])
        except (OSError, ValueError, KeyError):
            return False

    def check_passphrase(self, passphrase: str) -> None:
        """Raise SecretMissing (WRONG_PASSPHRASE) unless ``passphrase`` opens the file's secrets."""
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        data = self._load()
        if not data["items"]:
            return
        key = self._derive(passphrase, base64.b64decode(data["salt"]))
        name, raw = next(iter(data["items"].items()))
        blob = base64.b64decode(raw)
        try:
            AESGCM(key).decrypt(blob[:12], blob[12:], name.encode())
        except InvalidTag:
            raise _wrong_passphrase() from None

    def _load(self) -> dict[str, Any]:
        import json

        if not self.path.exists():
            return {"salt": base64.b64encode(os.urandom(16)).decode(), "items": {}}
        return dict(json.loads(self.path.read_text(encoding="utf-8")))

    def set_password(self, service: str, username: str, password: str) -> None:
        import json

        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        data = self._load()
        key = self._key(base64.b64decode(data["salt"]))
        if data["items"]:  # never seal a new secret under another key than the others'
            assert _session_passphrase is not None
            try:
                self.check_passphrase(_session_passphrase)
            except SecretMissing:
                forget_passphrase()
                raise
        nonce = os.urandom(12)
        ct = AESGCM(key).encrypt(nonce, password.encode(), f"{service}\0{username}".encode())
        data["items"][f"{service}\0{username}"] = base64.b64encode(nonce + ct).decode()
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = self.path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(json.dumps(data))
        os.replace(tmp, self.path)

    def get_password(self, service: str, username: str) -> str | None:
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        data = self._load()
        raw = data["items"].get(f"{service}\0{username}")
        if raw is None:
            return None
        blob = base64.b64decode(raw)
        try:
            key = self._key(base64.b64decode(data["salt"]))
            return AESGCM(key).decrypt(blob[:12], blob[12:], f"{service}\0{username}".encode()).decode()
        except InvalidTag:
            forget_passphrase()  # not kept: the next use asks again, nothing retries it
            raise _wrong_passphrase() from None

    def delete_password(self, service: str, username: str) -> None:
        import json

        data = self._load()
        if data["items"].pop(f"{service}\0{username}", None) is not None:
            self.path.write_text(json.dumps(data), encoding="utf-8")


def store_secret(server_url: str, agency_id: str, secret: str) -> None:
    try:
        _backend().set_password(_service(server_url), agency_id, secret)
    except keyring.errors.KeyringError as exc:
        raise SecretMissing(
            f"Không lưu được mật khẩu trục vào kho khóa của hệ điều hành: {exc}.",
            f"Cannot store the exchange secret in the OS keyring: {exc}.",
            code="keyring_unavailable",
        ) from None


def load_secret(server_url: str, agency_id: str) -> str:
    try:
        secret = _backend().get_password(_service(server_url), agency_id)
    except keyring.errors.KeyringError as exc:
        raise SecretMissing(
            f"Không đọc được kho khóa của hệ điều hành: {exc}.",
            f"Cannot read the OS keyring: {exc}.",
            code="keyring_unavailable",
        ) from None
    if not secret:
        raise SecretMissing(
            f"Chưa có mật khẩu trục cho đơn vị {agency_id}; hãy chạy: desk exchange connect {server_url} --agency {agency_id}.",
            f"No exchange secret for agency {agency_id}; run: desk exchange connect {server_url} --agency {agency_id}.",
        )
    return str(secret)


def delete_secret(server_url: str, agency_id: str) -> None:
    with contextlib.suppress(keyring.errors.PasswordDeleteError):
        _backend().delete_password(_service(server_url), agency_id)
