"""Agency secrets at rest: sealed with AES-GCM under a key kept outside the database.

The key is a file readable only by the service user (0600): beside a SQLite database,
or where ``DESK_SERVER_KEY_FILE`` says (required in spirit for PostgreSQL, where the
database lives elsewhere; otherwise the per-user config folder). A copy of the database
alone (a backup, a dump, a stolen file) yields no usable secret.

A stored secret reads ``aesgcm1:<base64(nonce || ciphertext)>``; a row from before
(plain text) is sealed when the server starts (``seal_plaintext_secrets``).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import threading
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Engine, select, update

PREFIX = "aesgcm1:"
KEY_ENV = "DESK_SERVER_KEY_FILE"
_AAD = b"desk-agency-secret/1"
_keys: dict[str, bytes] = {}
_lock = threading.Lock()


def key_path(engine: Engine) -> Path:
    env = os.environ.get(KEY_ENV)
    if env:
        return Path(env)
    url = engine.url
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        db = Path(url.database)
        return db.with_name(db.name + ".key")
    import platformdirs

    safe = url.render_as_string(hide_password=True)
    tag = hashlib.sha256(safe.encode()).hexdigest()[:16]
    return Path(platformdirs.user_config_dir("desk-server", appauthor=False)) / f"secrets-{tag}.key"


def _private_dir(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        with contextlib.suppress(OSError):
            folder.chmod(0o700)


def _load_key(path: Path) -> bytes:
    with _lock:
        cached = _keys.get(str(path))
        if cached is not None:
            return cached
        if not path.exists():
            _private_dir(path.parent)
            key = AESGCM.generate_key(bit_length=256)
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass  # another process made it first: read theirs
            else:
                with os.fdopen(fd, "wb") as f:
                    f.write(base64.b64encode(key))
                    f.flush()
                    os.fsync(f.fileno())
        key = base64.b64decode(path.read_bytes().strip())
        if len(key) != 32:
            raise RuntimeError(f"The key file {path} is damaged (not a 256-bit key).")
        _keys[str(path)] = key
        return key


def seal_secret(engine: Engine, secret: str) -> str:
    key = _load_key(key_path(engine))
    nonce = os.urandom(12)
    ct = AESGCM(key).encrypt(nonce, secret.encode("utf-8"), _AAD)
    return PREFIX + base64.b64encode(nonce + ct).decode("ascii")


def open_secret(engine: Engine, stored: str) -> str:
    """The plain secret of a stored value ("" when it cannot be opened: nobody can sign with it)."""
    if not stored.startswith(PREFIX):
        return stored  # a row from before sealing; sealed at the next start
    try:
        raw = base64.b64decode(stored[len(PREFIX):])
        key = _load_key(key_path(engine))
        return AESGCM(key).decrypt(raw[:12], raw[12:], _AAD).decode("utf-8")
    except Exception:  # noqa: BLE001 - a wrong key or a damaged row authenticates nobody
        return ""


def seal_plaintext_secrets(engine: Engine) -> int:
    """Seal every secret still stored in plain text; returns how many."""
    from sync.server.db import agencies

    with engine.begin() as conn:
        rows = conn.execute(select(agencies.c.id, agencies.c.secret)).all()
        n = 0
        for r in rows:
            if not r.secret.startswith(PREFIX):
                conn.execute(update(agencies).where(agencies.c.id == r.id)
                             .values(secret=seal_secret(engine, r.secret)))
                n += 1
    return n


def make_private_files(*paths: Path) -> None:
    """Server files 0600 and folders 0700 (POSIX)."""
    if os.name != "posix":
        return
    for p in paths:
        try:
            if p.is_dir():
                p.chmod(0o700)
            elif p.exists():
                p.chmod(0o600)
        except OSError:
            pass
