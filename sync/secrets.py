"""The agency secret lives in the OS keyring, never in the database or a settings file.

Headless machines and the tests use a file backend from keyrings.alt (the tests
point it at a temporary folder); a desktop uses the platform's own keyring.
"""

from __future__ import annotations

import contextlib

import keyring
import keyring.errors

from sync.errors import SecretMissing

SERVICE_PREFIX = "desk-exchange:"


def _service(server_url: str) -> str:
    return SERVICE_PREFIX + server_url.rstrip("/").lower()


def store_secret(server_url: str, agency_id: str, secret: str) -> None:
    try:
        keyring.set_password(_service(server_url), agency_id, secret)
    except keyring.errors.KeyringError as exc:
        raise SecretMissing(
            f"Không lưu được mật khẩu trục vào kho khóa của hệ điều hành: {exc}.",
            f"Cannot store the exchange secret in the OS keyring: {exc}.",
            code="keyring_unavailable",
        ) from None


def load_secret(server_url: str, agency_id: str) -> str:
    try:
        secret = keyring.get_password(_service(server_url), agency_id)
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
    return secret


def delete_secret(server_url: str, agency_id: str) -> None:
    with contextlib.suppress(keyring.errors.PasswordDeleteError):
        keyring.delete_password(_service(server_url), agency_id)
