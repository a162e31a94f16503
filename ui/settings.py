"""The app's settings: one typed object in ``settings.toml`` in the data folder.

Secrets never go here: the exchange server's credential is kept in the OS
keyring (through :mod:`sync.secrets`), and the server address and agency live in
``exchange.toml`` (:mod:`sync.connection`), which the sync engine reads too.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from desk.errors import StorageError


@dataclass
class Settings:
    language: str = "vi"
    current_user: str = ""  # username acting on this PC
    users_on_pc: list[str] = field(default_factory=list)  # people who use this PC
    token_modules: list[str] = field(default_factory=list)  # extra PKCS#11 libraries
    tsa_url: str = ""  # empty: the signing library's default
    trust_dir: str = ""  # folder of trusted root / intermediate certificates
    signature_image: str = ""  # the leader's signature PNG
    signing_level: str = "b-lta"
    signing_online: bool = True  # fetch timestamp / revocation data when signing
    first_run_done: bool = False

    @classmethod
    def load(cls, path: Path) -> Settings:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise StorageError(
                f"Tệp cấu hình {path} bị hỏng ({exc}); hãy sửa hoặc xóa tệp này để dùng cấu hình mặc định.",
                f"The settings file {path} is damaged ({exc}); fix or delete it to use the defaults.",
                code="bad_settings") from None
        known = {f.name: f for f in fields(cls)}
        values: dict[str, Any] = {}
        for name, value in data.items():
            default = getattr(cls(), name, None) if name in known else None
            if name in known and type(value) is type(default):
                values[name] = value
        return cls(**values)

    def save(self, path: Path) -> None:
        """Written to a temporary file and renamed, so a crash leaves the old file or the new."""
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        with tmp.open("w", encoding="utf-8", newline="\n") as fh:
            fh.write(dumps(asdict(self)))
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(path)


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    s = str(v).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{s}"'


def dumps(data: dict[str, Any]) -> str:
    """TOML for a flat table of str / bool / int / list values (all Settings needs)."""
    return "".join(f"{k} = {_value(v)}\n" for k, v in data.items())
