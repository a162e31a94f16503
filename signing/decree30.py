"""Decree 30/2020 App. I appearance specifications and where they go on a document.

The four kinds: the leader's signature image between title and name, the
organisation's seal overlapping it, and the text-only stamps of attachments and
electronic copies (top right of page 1). :func:`plan_appearance` turns one into a
pyHanko stamp style plus a widget placement for a given document.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.stamp.base import BaseStampStyle

from .appearance import ImageAsset, ImageStyle, TextLinesStyle, check_text_renderable
from .placement import (
    MM,
    Placement,
    leader_placement,
    page_size,
    seal_box,
    signature_widget,
    top_right_box,
)

LEADER_FIELD = "LanhDao"
SEAL_FIELD = "CoQuan"


@dataclass(frozen=True)
class LeaderAppearance:
    """The leader's signature image between the position title and the name."""

    image: ImageAsset
    title: str  # e.g. "CHỦ TỊCH"
    name: str | None = None  # defaults to the certificate holder's name
    page: int | None = None  # default: search from the last page backwards
    box: Placement | None = None  # explicit placement overrides the text search


@dataclass(frozen=True)
class SealAppearance:
    """The organisation's seal at actual size, overlapping ~1/3 of the leader's image."""

    image: ImageAsset
    leader_field: str = LEADER_FIELD
    size_mm: float | None = None  # diameter; default from the PNG's DPI, else 36 mm
    box: Placement | None = None


@dataclass(frozen=True)
class AttachmentAppearance:
    """Attachment/appendix in its own file: "số/ký hiệu" + ISO 8601 time, top right of page 1."""

    number: str  # e.g. "15/QĐ-UBND"


class CopyKind(enum.StrEnum):
    SAO_Y = "SAO Y"
    SAO_LUC = "SAO LỤC"
    TRICH_SAO = "TRÍCH SAO"


@dataclass(frozen=True)
class CopyAppearance:
    """Electronic copy: "SAO Y / SAO LỤC / TRÍCH SAO" + agency + ISO 8601 time."""

    kind: CopyKind
    agency: str


Appearance = LeaderAppearance | SealAppearance | AttachmentAppearance | CopyAppearance | None

def default_field(appearance: Appearance) -> str:
    if isinstance(appearance, LeaderAppearance):
        return LEADER_FIELD
    if isinstance(appearance, SealAppearance):
        return SEAL_FIELD
    if isinstance(appearance, AttachmentAppearance):
        return "VanThu"
    if isinstance(appearance, CopyAppearance):
        return "BanSao"
    return "ChuKySo"


def _seal_size(app: SealAppearance) -> tuple[float, float]:
    if app.size_mm:
        w_px, h_px = app.image.width_px, app.image.height_px
        d = app.size_mm * MM
        return (d, d * h_px / w_px) if w_px >= h_px else (d * w_px / h_px, d)
    if app.image.dpi:
        return app.image.natural_size_pt()
    d = 36 * MM
    return d, d * app.image.height_px / app.image.width_px


def _text_style(app: AttachmentAppearance | CopyAppearance) -> TextLinesStyle:
    if isinstance(app, AttachmentAppearance):
        lines: tuple[str, ...] = (app.number.replace("%", "%%"), "%(ts)s")
    else:
        lines = (app.kind.value, app.agency.replace("%", "%%"), "%(ts)s")
    for line in lines:
        check_text_renderable(line)
    return TextLinesStyle(lines=lines, font_size=10.0)


def plan_appearance(data: bytes, reader: PdfFileReader, app: Appearance, signer_name: str
                    ) -> tuple[BaseStampStyle | None, Placement | None]:
    """Stamp style and widget placement for an appearance on this document."""
    if app is None:
        return None, None
    if isinstance(app, LeaderAppearance):
        aspect = app.image.width_px / app.image.height_px
        place = app.box or leader_placement(data, app.title, app.name or signer_name, aspect, page=app.page)
        return ImageStyle(image=app.image), place
    if isinstance(app, SealAppearance):
        if app.box is not None:
            return ImageStyle(image=app.image), app.box
        leader = signature_widget(reader, app.leader_field, fallback_to_last_visible=True)
        w, h = _seal_size(app)
        return ImageStyle(image=app.image), Placement(leader.page, seal_box(leader.box, w, h))
    style = _text_style(app)
    w, h = style.box_size({})
    pw, ph = page_size(reader, 0)
    return style, Placement(0, top_right_box(pw, ph, w, h))


