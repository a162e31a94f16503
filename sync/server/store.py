"""Blob folder of the exchange server: packages, uploads in progress, temporary bodies.

A package is on disk (file and directory entry fsynced) before its database row is
committed, and the server answers only after that commit.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from desk.blobs import fsync_dir
from sync.server.errors import ApiError

CRLF = b"\r\n"


def too_large(limit: int) -> ApiError:
    return ApiError(
        "413",
        "too_large",
        f"Gói tin vượt giới hạn {limit} byte của máy chủ.",
        f"The package exceeds the server's limit of {limit} bytes.",
    )


@dataclass(frozen=True)
class Received:
    path: Path
    size: int  # without the trailing CRLF
    sha256: bytes  # of the content without the trailing CRLF


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.tmp = root / "tmp"
        self.docs = root / "docs"
        self.uploads = root / "uploads"
        for d in (self.tmp, self.docs, self.uploads):
            d.mkdir(parents=True, exist_ok=True)

    def doc_path(self, rel: str) -> Path:
        return self.docs / rel

    def upload_path(self, upload_id: str) -> Path:
        return self.uploads / upload_id

    def new_tmp(self) -> Path:
        return self.tmp / f"{uuid.uuid4().hex}.part"

    async def receive(self, chunks: AsyncIterator[bytes], limit: int) -> Received:
        """Write a request body to a temporary file, dropping one trailing CRLF (axis quirk)."""
        path = self.new_tmp()
        h = hashlib.sha256()
        size = 0
        held = b""
        try:
            with path.open("wb") as f:
                async for chunk in chunks:
                    if not chunk:
                        continue
                    data = held + chunk
                    held, data = data[-2:], data[:-2]
                    size += len(data)
                    if size > limit:
                        raise too_large(limit)
                    h.update(data)
                    f.write(data)
                if held != CRLF:
                    size += len(held)
                    h.update(held)
                    f.write(held)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return Received(path, size, h.digest())

    def commit(self, tmp: Path, doc_id: str) -> str:
        """Move a verified body into place durably; return its path relative to docs/."""
        rel = f"{doc_id[:2]}/{doc_id}.edxml"
        final = self.docs / rel
        final.parent.mkdir(exist_ok=True)
        with tmp.open("rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, final)
        fsync_dir(final.parent)
        return rel


def digest_without_crlf(path: Path) -> tuple[int, bytes]:
    """Size and SHA-256 of a file minus one trailing CRLF (the file is not changed)."""
    size = path.stat().st_size
    with path.open("rb") as f:
        if size >= 2:
            f.seek(size - 2)
            if f.read(2) == CRLF:
                size -= 2
        f.seek(0)
        h = hashlib.sha256()
        left = size
        while left > 0:
            chunk = f.read(min(1 << 20, left))
            if not chunk:
                break
            h.update(chunk)
            left -= len(chunk)
    return size, h.digest()
