# mypy: disable-error-code="no-untyped-call"
# (pyHanko and pyhanko-certvalidator leave many functions unannotated.)
"""Embedding the bundled stamp font into PDFs, cheaply and once per batch.

pyHanko's GlyphAccumulator subsets the TrueType font with fontTools for every
signature, which costs more than the signature itself (toolchain probe §3). Here
the font is parsed once per process and each subset (keyed by the set of
characters) is built and compressed once; writing it into another document only
copies the cached bytes. Glyph IDs are kept (``retain_gids``), so the text
encoding (Identity-H, CID = GID) does not depend on the subset.
"""

from __future__ import annotations

import hashlib
import io
import os
import sys
import threading
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from fontTools import subset as ft_subset
from fontTools.ttLib import TTFont
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name

#: Characters every subset carries, so stamp texts that differ only in digits,
#: times or document numbers share one cached subset across a batch.
BASE_CHARS = frozenset(chr(c) for c in range(0x20, 0x7F))

FONT_FILE = "DeskSerif-Regular.ttf"


def font_dir() -> Path:
    """The bundled fonts: DESK_FONT_DIR, else the frozen bundle's, the wheel's, the checkout's.

    Found by path, as signing imports nothing of desk (desk/resources.py has the same
    three layouts).
    """
    env = os.environ.get("DESK_FONT_DIR")
    if env:
        return Path(env)
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources" / "fonts"
    root = Path(__file__).resolve().parent.parent
    packaged = root / "desk" / "_resources" / "fonts"
    if packaged.is_dir():
        return packaged
    return root / "resources" / "fonts"


@dataclass(frozen=True)
class _Subset:
    font_file: bytes  # FlateDecode-compressed TrueType program
    font_file_length1: int
    to_unicode: bytes  # compressed ToUnicode CMap
    widths: generic.ArrayObject
    tag: str  # six capital letters naming the subset (PDF 9.6.4)


class FontProgram:
    """A parsed TrueType font (1000 units/em) with cached subsets."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._raw = path.read_bytes()
        font = TTFont(io.BytesIO(self._raw))
        if font["head"].unitsPerEm != 1000:
            # PDF glyph widths (and pyHanko) assume 1000 units/em: a system font such as
            # Windows' Times New Roman (2048) is rescaled once, in memory.
            from fontTools.ttLib.scaleUpem import scale_upem

            scale_upem(font, 1000)
            out = io.BytesIO()
            font.save(out)
            self._raw = out.getvalue()
            font = TTFont(io.BytesIO(self._raw))
        self.cmap: dict[int, int] = {cp: font.getGlyphID(name) for cp, name in font.getBestCmap().items()}
        hmtx = font["hmtx"]
        self.advance: dict[int, int] = {font.getGlyphID(n): hmtx[n][0] for n in font.getGlyphOrder()}
        head, os2, hhea = font["head"], font["OS/2"], font["hhea"]
        self.ascent = int(hhea.ascent)
        self.descent = int(hhea.descent)
        self.cap_height = int(getattr(os2, "sCapHeight", 0) or self.ascent)
        self.bbox = (head.xMin, head.yMin, head.xMax, head.yMax)
        self.ps_name = font["name"].getDebugName(6) or "DeskSerif-Regular"
        self._subsets: dict[frozenset[str], _Subset] = {}
        self._lock = threading.Lock()
        self._per_writer: WeakKeyDictionary[Any, dict[frozenset[str], generic.IndirectObject]] = (
            WeakKeyDictionary()
        )

    # -- measuring and encoding -------------------------------------------------
    def gid(self, ch: str) -> int:
        return self.cmap.get(ord(ch), 0)

    def text_width(self, text: str, size: float) -> float:
        return sum(self.advance.get(self.gid(ch), 0) for ch in text) * size / 1000.0

    def encode(self, text: str) -> bytes:
        """Hex string operand for Tj under Identity-H."""
        return b"<" + "".join(f"{self.gid(ch):04x}" for ch in text).encode("ascii") + b">"

    def missing(self, text: str) -> set[str]:
        return {ch for ch in text if ord(ch) not in self.cmap and ch not in "\r\n"}

    # -- subsets ------------------------------------------------------------------
    def _build_subset(self, chars: frozenset[str]) -> _Subset:
        font = TTFont(io.BytesIO(self._raw))
        options = ft_subset.Options()
        options.retain_gids = True
        options.notdef_outline = True
        options.name_IDs = []
        options.layout_features = []
        options.drop_tables += ["GSUB", "GPOS", "GDEF", "kern", "FFTM"]
        subsetter = ft_subset.Subsetter(options)
        subsetter.populate(unicodes=[ord(c) for c in chars])
        subsetter.subset(font)
        out = io.BytesIO()
        font.save(out)
        program = out.getvalue()
        gids = sorted({self.gid(c) for c in chars} - {0})
        widths = generic.ArrayObject()
        for g in gids:
            widths.append(generic.NumberObject(g))
            widths.append(generic.ArrayObject([generic.NumberObject(self.advance.get(g, 0))]))
        digest = hashlib.sha1("".join(sorted(chars)).encode("utf-8")).digest()
        tag = "".join(chr(65 + b % 26) for b in digest[:6])
        return _Subset(zlib.compress(program, 6), len(program),
                       zlib.compress(self._to_unicode(chars), 6), widths, tag)

    def _to_unicode(self, chars: Iterable[str]) -> bytes:
        pairs = sorted({(self.gid(c), c) for c in chars if self.gid(c)})
        lines = [
            "/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
            "/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
            "1 begincodespacerange <0000> <FFFF> endcodespacerange",
        ]
        for start in range(0, len(pairs), 100):
            chunk = pairs[start:start + 100]
            lines.append(f"{len(chunk)} beginbfchar")
            for gid, ch in chunk:
                utf16 = ch.encode("utf-16-be").hex().upper()
                lines.append(f"<{gid:04X}> <{utf16}>")
            lines.append("endbfchar")
        lines += ["endcmap CMapName currentdict /CMap defineresource pop end end"]
        return "\n".join(lines).encode("ascii")

    def subset(self, text: str) -> tuple[frozenset[str], _Subset]:
        chars = frozenset(BASE_CHARS | (set(text) - {"\n", "\r"}))
        with self._lock:
            cached = self._subsets.get(chars)
            if cached is None:
                cached = self._subsets[chars] = self._build_subset(chars)
        return chars, cached

    # -- PDF objects ------------------------------------------------------------------
    def font_ref(self, writer: Any, text: str) -> generic.IndirectObject:
        """A Type0 font object in ``writer`` able to show ``text`` (shared per writer)."""
        chars, sub = self.subset(text)
        per = self._per_writer.setdefault(writer, {})
        ref = per.get(chars)
        if ref is not None:
            return ref
        font_file = generic.StreamObject(
            {pdf_name("/Length1"): generic.NumberObject(sub.font_file_length1),
             pdf_name("/Filter"): pdf_name("/FlateDecode")},
            encoded_data=sub.font_file,
        )
        base_name = pdf_name(f"/{sub.tag}+{self.ps_name}")
        descriptor = generic.DictionaryObject({
            pdf_name("/Type"): pdf_name("/FontDescriptor"),
            pdf_name("/FontName"): base_name,
            pdf_name("/Flags"): generic.NumberObject(6),  # serif, symbolic (CID font)
            pdf_name("/FontBBox"): generic.ArrayObject(generic.NumberObject(v) for v in self.bbox),
            pdf_name("/ItalicAngle"): generic.NumberObject(0),
            pdf_name("/Ascent"): generic.NumberObject(self.ascent),
            pdf_name("/Descent"): generic.NumberObject(self.descent),
            pdf_name("/CapHeight"): generic.NumberObject(self.cap_height),
            pdf_name("/StemV"): generic.NumberObject(80),
            pdf_name("/FontFile2"): writer.add_object(font_file),
        })
        cid_font = generic.DictionaryObject({
            pdf_name("/Type"): pdf_name("/Font"),
            pdf_name("/Subtype"): pdf_name("/CIDFontType2"),
            pdf_name("/BaseFont"): base_name,
            pdf_name("/CIDSystemInfo"): generic.DictionaryObject({
                pdf_name("/Registry"): generic.TextStringObject("Adobe"),
                pdf_name("/Ordering"): generic.TextStringObject("Identity"),
                pdf_name("/Supplement"): generic.NumberObject(0),
            }),
            pdf_name("/FontDescriptor"): writer.add_object(descriptor),
            pdf_name("/CIDToGIDMap"): pdf_name("/Identity"),
            pdf_name("/DW"): generic.NumberObject(500),
            pdf_name("/W"): sub.widths,
        })
        to_unicode = generic.StreamObject(
            {pdf_name("/Filter"): pdf_name("/FlateDecode")}, encoded_data=sub.to_unicode)
        type0 = generic.DictionaryObject({
            pdf_name("/Type"): pdf_name("/Font"),
            pdf_name("/Subtype"): pdf_name("/Type0"),
            pdf_name("/BaseFont"): base_name,
            pdf_name("/Encoding"): pdf_name("/Identity-H"),
            pdf_name("/DescendantFonts"): generic.ArrayObject([writer.add_object(cid_font)]),
            pdf_name("/ToUnicode"): writer.add_object(to_unicode),
        })
        new_ref: generic.IndirectObject = writer.add_object(type0)
        per[chars] = new_ref
        return new_ref


def system_times() -> Path | None:
    """Windows' Times New Roman (``%WINDIR%\\Fonts\\times.ttf``) when present."""
    if sys.platform != "win32" or os.environ.get("DESK_FONT_DIR"):
        return None
    fonts = Path(os.environ.get("WINDIR") or os.environ.get("SYSTEMROOT") or r"C:\Windows") / "Fonts"
    cand = fonts / "times.ttf"
    return cand if cand.is_file() else None


@lru_cache(maxsize=4)
def stamp_font(path: str | None = None) -> FontProgram:
    """The stamp font, parsed once per process: Times New Roman where the system has it
    (Decree 30 names it), else the bundled Times-metric DeskSerif."""
    if path:
        return FontProgram(Path(path))
    return FontProgram(system_times() or font_dir() / FONT_FILE)


def text_ops(font: FontProgram, resource_name: str, size: float, lines: list[tuple[float, float, str]],
             rgb: tuple[float, float, float] = (0, 0, 0)) -> bytes:
    """Content-stream operators drawing each (x, y, text) line."""
    parts = [b"BT", b"%g %g %g rg" % rgb]
    for x, y, text in lines:
        parts.append(b"/%s %g Tf 1 0 0 1 %g %g Tm %s Tj" % (
            resource_name.encode("ascii"), size, x, y, font.encode(text)))
    parts.append(b"ET")
    return b" ".join(parts)
