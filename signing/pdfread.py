# mypy: disable-error-code="no-untyped-call"
# (pyHanko leaves many functions unannotated.)
"""A PDF reader that reads objects out of object streams in linear time.

pyHanko's reader (0.38) re-parses an object stream's header from the start for
every object it reads out of that stream, so reading all ``n`` objects of a
stream costs ``n²/2`` header entries. Real documents from the Government signing
service keep their structure tree (hundreds or thousands of small dictionaries)
in a few object streams, and every difference analysis reads all of them: this
was most of the 169 s of issue 12. :class:`DeskPdfReader` parses each object
stream's header once and keeps the object offsets; everything else (which
object stream an object lives in, decoding limits, non-strict tolerance of
damaged files) is pyHanko's.
"""

from __future__ import annotations

import re
from io import BytesIO
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.decode_limits import DecodePurpose
from pyhanko.pdf_utils.reader import PdfFileReader

_PAIR = re.compile(rb"\s*(\d+)\s+(\d+)")


class _ObjStmIndex:
    __slots__ = ("data", "first", "offsets")

    def __init__(self, data: bytes, first: int, offsets: dict[int, int]) -> None:
        self.data = data
        self.first = first
        self.offsets = offsets


def _parse_index(stream: generic.StreamObject) -> _ObjStmIndex | None:
    """The (object number → offset) table of an object stream, or None if the
    header is not what the PDF specification describes (pyHanko then reads it
    its own tolerant way)."""
    try:
        count = int(stream["/N"])
        first = int(stream["/First"])
        data = stream.read_data(DecodePurpose.OBJECT_STREAM)
    except (KeyError, TypeError, ValueError):
        return None
    if count < 0 or first < 0 or first > len(data):
        return None
    offsets: dict[int, int] = {}
    pos = 0
    header = data[:first]
    for _ in range(count):
        m = _PAIR.match(header, pos)
        if m is None:
            return None
        objnum, offset = int(m.group(1)), int(m.group(2))
        offsets.setdefault(objnum, offset)  # pyHanko reads the first match too
        pos = m.end()
    return _ObjStmIndex(data, first, offsets)


class DeskPdfReader(PdfFileReader):
    """:class:`PdfFileReader` with a per-file cache of object stream headers."""

    def __init__(self, stream: Any, strict: bool = False) -> None:
        self._objstm_cache: dict[int, _ObjStmIndex | None] = {}
        super().__init__(stream, strict=strict)

    def _get_object_from_stream(self, idnum: int, stmnum: int, idx: int) -> Any:
        if self.strict:
            return super()._get_object_from_stream(idnum, stmnum, idx)
        try:
            index = self._objstm_cache[stmnum]
        except KeyError:
            stream = generic.Reference(stmnum, 0, self).get_object()
            index = None
            if isinstance(stream, generic.StreamObject) and stream.get("/Type") == "/ObjStm":
                index = _parse_index(stream)
            self._objstm_cache[stmnum] = index
        if index is None or idnum not in index.offsets:
            return super()._get_object_from_stream(idnum, stmnum, idx)
        buf = BytesIO(index.data)
        buf.seek(index.first + index.offsets[idnum])
        try:
            return generic.read_object(buf, generic.Reference(idnum, 0, self))
        except Exception:  # damaged entry: let pyHanko decide (it substitutes null)
            return super()._get_object_from_stream(idnum, stmnum, idx)


def open_reader(data: bytes) -> DeskPdfReader:
    """A non-strict reader over ``data`` (as pyHanko's, but linear in object streams)."""
    return DeskPdfReader(BytesIO(data), strict=False)
