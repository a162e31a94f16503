"""Unpack ``application/zip`` attachments safely.

The axis SDK zips attachments before base64 (its sample does). A zip from another
office is hostile input: names may climb out of the target folder, entries may be
symlinks, and a few KB may inflate to gigabytes. Each limit below is checked on the
bytes actually inflated, never on the sizes the zip declares.
"""

from __future__ import annotations

import shutil
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from sync.edxml.rules import safe_attachment_name
from sync.errors import EdxmlError, edxml_error


@dataclass(frozen=True)
class ZipLimits:
    max_entries: int = 1000
    max_total_bytes: int = 2 << 30
    max_ratio: int = 200  # inflated / compressed, per entry and for the whole zip
    ratio_floor: int = 1 << 20  # the whole zip's ratio is judged once this much came out
    entry_ratio_floor: int = 64 << 10  # an entry's ratio is judged once this much came out


def _bad(code: str, vi: str, en: str) -> EdxmlError:
    return edxml_error(code, vi, en)


def _entry_parts(name: str) -> list[str]:
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        raise _bad(
            "edxml_zip_traversal",
            f"Tệp nén chứa đường dẫn tuyệt đối: {name!r}.",
            f"The zip holds an absolute path: {name!r}.",
        )
    parts = [p for p in PurePosixPath(name.replace("\\", "/")).parts if p not in ("", ".")]
    if any(p == ".." for p in parts):
        raise _bad(
            "edxml_zip_traversal",
            f"Tệp nén chứa đường dẫn trỏ ra ngoài: {name!r}.",
            f"The zip holds a path that climbs out: {name!r}.",
        )
    for p in parts:
        safe_attachment_name(p)
    return parts


def extract_zip(archive: Path, dest: Path, limits: ZipLimits | None = None) -> list[Path]:
    """Extract ``archive`` into ``dest`` (which must be empty or new); return the files.

    On any error, whatever was extracted is removed.
    """
    lim = limits or ZipLimits()
    dest.mkdir(parents=True, exist_ok=True)
    root = dest.resolve()
    out: list[Path] = []
    try:
        with zipfile.ZipFile(archive) as zf:
            infos = zf.infolist()
            if len(infos) > lim.max_entries:
                raise _bad(
                    "edxml_zip_bomb",
                    f"Tệp nén có quá nhiều mục ({len(infos)}).",
                    f"The zip has too many entries ({len(infos)}).",
                )
            total = 0
            compressed = 0
            for info in infos:
                if stat.S_ISLNK(info.external_attr >> 16):
                    raise _bad(
                        "edxml_zip_traversal",
                        f"Tệp nén chứa liên kết tượng trưng: {info.filename!r}.",
                        f"The zip holds a symbolic link: {info.filename!r}.",
                    )
                parts = _entry_parts(info.filename)
                if info.is_dir() or not parts:
                    continue
                target = root.joinpath(*parts)
                if root not in target.resolve().parents:
                    raise _bad(
                        "edxml_zip_traversal",
                        f"Mục {info.filename!r} trỏ ra ngoài thư mục giải nén.",
                        f"Entry {info.filename!r} points outside the target folder.",
                    )
                target.parent.mkdir(parents=True, exist_ok=True)
                compressed += max(info.compress_size, 1)
                total += _inflate(zf, info, target, lim, total, compressed)
                out.append(target)
    except zipfile.BadZipFile as exc:
        _remove(out)
        raise _bad("edxml_zip_bad", f"Tệp nén hỏng: {exc}.", f"Damaged zip: {exc}.") from None
    except BaseException:
        _remove(out)
        raise
    return out


def _inflate(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, lim: ZipLimits, done: int,
    compressed: int,
) -> int:
    """Inflate one entry; ``done`` bytes came out of the entries before, ``compressed`` went in.

    The ratio is judged for the entry (once 64 KiB came out) and for the whole zip so far,
    so a thousand 1 MiB entries of zeros are caught as surely as one 1 GiB entry.
    """
    written = 0
    with zf.open(info) as src, target.open("xb") as dst:
        while chunk := src.read(64 << 10):
            written += len(chunk)
            too_big = done + written > lim.max_total_bytes
            entry_bomb = written > lim.entry_ratio_floor and written / max(info.compress_size, 1) > lim.max_ratio
            total_bomb = done + written > lim.ratio_floor and (done + written) / compressed > lim.max_ratio
            if too_big or entry_bomb or total_bomb:
                dst.close()
                target.unlink(missing_ok=True)
                raise _bad(
                    "edxml_zip_bomb",
                    "Tệp nén giải ra quá lớn (nghi là bom nén).",
                    "The zip inflates too much (a zip bomb?).",
                )
            dst.write(chunk)
    return written


def _remove(paths: list[Path]) -> None:
    for p in paths:
        if p.is_dir():
            shutil.rmtree(p, ignore_errors=True)
        else:
            p.unlink(missing_ok=True)
