"""Which exchange server an office talks to (URL + agency ID; the secret is in the keyring)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from sync.client import ExchangeClient
from sync.errors import SyncError
from sync.secrets import load_secret

FILE_NAME = "exchange.toml"


@dataclass(frozen=True)
class Connection:
    url: str
    agency: str
    verify: bool | str = True  # False, True, or a CA bundle path
    insecure: bool = False  # plain http:// to another computer, asked for explicitly
    pin_sha256: str = ""  # the server certificate's SHA-256, when pinned

    def client(self) -> ExchangeClient:
        return ExchangeClient(
            self.url, self.agency, load_secret(self.url, self.agency), verify=self.verify,
            insecure=self.insecure, pin_sha256=self.pin_sha256 or None,
        )


def _quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def save_connection(home: Path, conn: Connection) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    path = home / FILE_NAME
    verify = conn.verify if isinstance(conn.verify, bool) else _quote(conn.verify)
    text = f"url = {_quote(conn.url)}\nagency = {_quote(conn.agency)}\nverify = {str(verify).lower() if isinstance(verify, bool) else verify}\n"
    if conn.insecure:
        text += "insecure = true\n"
    if conn.pin_sha256:
        text += f"pin_sha256 = {_quote(conn.pin_sha256)}\n"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8", newline="\n")
    tmp.replace(path)
    return path


def load_connection(home: Path) -> Connection:
    path = home / FILE_NAME
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SyncError(
            "Chưa kết nối trục liên thông; hãy chạy: desk exchange connect URL --agency MÃ.",
            "Not connected to an exchange server; run: desk exchange connect URL --agency ID.",
            code="not_connected",
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise SyncError(
            f"Tệp {path} bị hỏng: {exc}.", f"{path} is damaged: {exc}.", code="bad_settings"
        ) from None
    return Connection(str(data["url"]), str(data["agency"]), data.get("verify", True),
                      bool(data.get("insecure", False)), str(data.get("pin_sha256", "")))
