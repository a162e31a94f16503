# mypy: disable-error-code="no-untyped-call"
# (pyHanko and pyhanko-certvalidator leave many functions unannotated.)
"""Decree 30/2020 App. I signature appearances as pyHanko stamp styles.

* leader: the blue signature image (transparent PNG), nothing else;
* seal: the red seal image (transparent PNG) at its actual size;
* attachment / copy: no image; text lines in the bundled Times-compatible font,
  10 pt, black, with the signing time in ISO 8601 at Vietnam time (UTC+07:00).

Images are decoded and compressed once per process (:class:`ImageAsset`) and the
font once per character set (:mod:`signing.fonts`), so a batch pays only for
copying bytes into each document.
"""

from __future__ import annotations

import contextlib
import io
import threading
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from PIL import Image
from pyhanko.pdf_utils import generic, layout
from pyhanko.pdf_utils.content import AppearanceContent, ResourceType
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.stamp.base import BaseStampStyle
from pyhanko.stamp.text import TextStampStyle

from .errors import AppearanceError
from .fonts import FontProgram, stamp_font, text_ops

VN_TZ = timezone(timedelta(hours=7), "ICT")
#: pyHanko formats the signing time with this, and we parse it back (see TextLinesStyle).
_TS_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
MM = 72 / 25.4


def iso_vn(ts: datetime) -> str:
    """ISO 8601 in Vietnam time, seconds precision: 2026-11-25T15:04:05+07:00."""
    return ts.astimezone(VN_TZ).replace(microsecond=0).isoformat()


class ImageAsset:
    """A PNG decoded once; its PDF image XObject is rebuilt from cached bytes."""

    def __init__(self, data: bytes, name: str = "image") -> None:
        try:
            img = Image.open(io.BytesIO(data))
            img.load()
        except Exception as exc:
            raise AppearanceError(
                f"Không đọc được ảnh {name}: tệp không phải ảnh PNG hợp lệ.",
                f"Cannot read image {name}: not a valid PNG.",
            ) from exc
        dpi = img.info.get("dpi")
        self.dpi: float | None = float(dpi[0]) if dpi and dpi[0] else None
        rgba = img.convert("RGBA")
        self.width_px, self.height_px = rgba.size
        self._rgb = zlib.compress(rgba.convert("RGB").tobytes(), 6)
        alpha = rgba.getchannel("A")
        self._alpha = None if alpha.getextrema() == (255, 255) else zlib.compress(alpha.tobytes(), 6)
        self._per_writer: WeakKeyDictionary[Any, generic.IndirectObject] = WeakKeyDictionary()
        self._lock = threading.Lock()

    @classmethod
    def from_file(cls, path: str | Path) -> ImageAsset:
        try:
            return cls(Path(path).read_bytes(), Path(path).name)
        except OSError as exc:
            raise AppearanceError(f"Không đọc được tệp ảnh {path}.", f"Cannot read image file {path}.") from exc

    def natural_size_pt(self, default_dpi: float = 96.0) -> tuple[float, float]:
        dpi = self.dpi or default_dpi
        return self.width_px * 72 / dpi, self.height_px * 72 / dpi

    def _stream(self, data: bytes, gray: bool, smask: generic.IndirectObject | None) -> generic.StreamObject:
        d = generic.DictionaryObject({
            pdf_name("/Type"): pdf_name("/XObject"),
            pdf_name("/Subtype"): pdf_name("/Image"),
            pdf_name("/Width"): generic.NumberObject(self.width_px),
            pdf_name("/Height"): generic.NumberObject(self.height_px),
            pdf_name("/ColorSpace"): pdf_name("/DeviceGray" if gray else "/DeviceRGB"),
            pdf_name("/BitsPerComponent"): generic.NumberObject(8),
            pdf_name("/Filter"): pdf_name("/FlateDecode"),
        })
        if smask is not None:
            d[pdf_name("/SMask")] = smask
        return generic.StreamObject(d, encoded_data=data)

    def xobject(self, writer: Any) -> generic.IndirectObject:
        with self._lock:
            ref = self._per_writer.get(writer)
            if ref is None:
                smask = None
                if self._alpha is not None:
                    smask = writer.add_object(self._stream(self._alpha, True, None))
                ref = writer.add_object(self._stream(self._rgb, False, smask))
                self._per_writer[writer] = ref
        return ref


class _OpsAppearance(AppearanceContent):
    """An appearance whose operators are computed by a callback at render time."""

    def __init__(self, writer: Any, box: layout.BoxConstraints, draw: Any) -> None:
        super().__init__(box=box, writer=writer)
        self._draw = draw

    def render(self) -> bytes:
        result: bytes = self._draw(self)
        return result


@dataclass(frozen=True)
class ImageStyle(BaseStampStyle):
    """Draws one image scaled to fit the widget, centred, aspect kept."""

    image: ImageAsset | None = None
    border_width: int = 0

    def create_stamp(self, writer: Any, box: layout.BoxConstraints, text_params: dict[str, Any]) -> Any:
        image = self.image
        if image is None:
            raise AppearanceError("Thiếu ảnh chữ ký.", "Signature image missing.")

        def draw(content: _OpsAppearance) -> bytes:
            w, h = content.box.width, content.box.height
            iw, ih = image.width_px, image.height_px
            scale = min(w / iw, h / ih)
            dw, dh = iw * scale, ih * scale
            content.set_resource(ResourceType.XOBJECT, pdf_name("/Img"), image.xobject(writer))
            return b"q %g 0 0 %g %g %g cm /Img Do Q" % (dw, dh, (w - dw) / 2, (h - dh) / 2)

        return _OpsAppearance(writer, box, draw)


@dataclass(frozen=True)
class TextLinesStyle(TextStampStyle):
    """Lines of text, left-aligned, in the bundled font; ``%(ts)s`` is ISO 8601 VN time.

    Subclassing TextStampStyle makes pyHanko pass the signing time in
    ``text_params['ts']`` (the same instant written into the signature), formatted
    with ``_TS_FORMAT``; we parse it back and convert it to UTC+07:00.
    """

    lines: tuple[str, ...] = ()
    font_size: float = 10.0
    padding: float = 2.0
    border_width: int = 0
    timestamp_format: str = _TS_FORMAT
    font_path: str | None = field(default=None)

    def render_lines(self, text_params: dict[str, Any]) -> list[str]:
        params = dict(text_params)
        ts = params.get("ts")
        if isinstance(ts, str):
            with contextlib.suppress(ValueError):
                params["ts"] = iso_vn(datetime.strptime(ts, _TS_FORMAT))
        return [line % params for line in self.lines]

    def create_stamp(self, writer: Any, box: layout.BoxConstraints, text_params: dict[str, Any]) -> Any:
        font = stamp_font(self.font_path)
        lines = self.render_lines(text_params)
        size = self.font_size

        def draw(content: _OpsAppearance) -> bytes:
            joined = "\n".join(lines)
            content.set_resource(ResourceType.FONT, pdf_name("/F1"), font.font_ref(writer, joined))
            leading = size * 1.15
            top = content.box.height - self.padding - font.ascent * size / 1000
            placed = [(self.padding, top - i * leading, line) for i, line in enumerate(lines)]
            return text_ops(font, "F1", size, placed)

        return _OpsAppearance(writer, box, draw)

    def box_size(self, sample_params: dict[str, Any]) -> tuple[float, float]:
        """Width and height the widget needs for these lines."""
        font: FontProgram = stamp_font(self.font_path)
        params = {"ts": "2026-01-01T00:00:00+0700", **sample_params}
        lines = self.render_lines(params)
        width = max(font.text_width(line, self.font_size) for line in lines) if lines else 0
        height = (len(lines) - 1) * self.font_size * 1.15 + (font.ascent - font.descent) * self.font_size / 1000
        return width + 2 * self.padding + 1, height + 2 * self.padding


def check_text_renderable(text: str, font_path: str | None = None) -> None:
    missing = stamp_font(font_path).missing(text)
    if missing:
        chars = "".join(sorted(missing))
        raise AppearanceError(
            f"Phông chữ dấu không có các ký tự: {chars}",
            f"The stamp font lacks these characters: {chars}",
        )
