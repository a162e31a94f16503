"""Build the bundled stamp font ``resources/fonts/DeskSerif-Regular.ttf``.

Decree 30 App. I asks for Times New Roman 10 pt in the text-only stamps. Times New
Roman cannot be redistributed, so Desk bundles a font with the same metrics:
Liberation Serif 2.x (SIL OFL 1.1, metric-compatible with Times New Roman).

Two changes are made, both needed by the signing code:

* the units per em are rescaled from 2048 to 1000, because pyHanko and our own
  appearance writer emit glyph widths in font units and PDF expects 1/1000 em
  (toolchain probe §0.1);
* the glyph set is cut to Latin, Latin-1, Latin Extended-A/B, combining marks,
  Vietnamese (U+1EA0–U+1EF9) and common punctuation, which keeps the file small.

OFL 1.1 lets a modified version be bundled with software, but a modified version
may not use a Reserved Font Name ("Liberation", "Tinos"), so the result is renamed
"Desk Serif". The licence travels with the font (resources/fonts/OFL.txt).

Run: ``python -m signing.fontbuild SOURCE.ttf OUT.ttf``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.ttLib.scaleUpem import scale_upem

FAMILY = "Desk Serif"
POSTSCRIPT_NAME = "DeskSerif-Regular"

#: Unicode ranges kept in the bundled font.
UNICODE_RANGES: tuple[tuple[int, int], ...] = (
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1
    (0x0100, 0x024F),  # Latin Extended-A/B (Ơ ơ Ư ư Đ đ)
    (0x0300, 0x0323),  # combining marks used by NFD Vietnamese
    (0x1EA0, 0x1EF9),  # Vietnamese precomposed letters
    (0x2010, 0x2027),  # dashes, quotes, bullet, ellipsis
    (0x2030, 0x203A),
    (0x20AB, 0x20AB),  # đồng sign
    (0x2116, 0x2116),  # numero sign
)


def _rename(font: TTFont) -> None:
    """Replace the family names (OFL: no Reserved Font Name on a derivative)."""
    names = {
        1: FAMILY,
        3: f"{POSTSCRIPT_NAME};Desk;derived from Liberation Serif 2.1.5",
        4: f"{FAMILY} Regular",
        6: POSTSCRIPT_NAME,
        16: FAMILY,
    }
    table = font["name"]
    for record in list(table.names):
        if record.nameID in names:
            table.setName(names[record.nameID], record.nameID, record.platformID,
                          record.platEncID, record.langID)
    # Keep the copyright (0), licence (13, 14); add a description (10).
    table.setName(
        "Liberation Serif 2.1.5 rescaled to 1000 units/em and subset for Desk; "
        "Reserved Font Names Liberation and Tinos are not used.",
        10, 3, 1, 0x409,
    )


def build(source: Path, target: Path) -> None:
    font = TTFont(source)
    scale_upem(font, 1000)
    unicodes = [cp for lo, hi in UNICODE_RANGES for cp in range(lo, hi + 1)]
    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.layout_features = ["*"]
    options.hinting = False  # the stamp is rendered at print size; hints only add bytes
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    _rename(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    font.save(target)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m signing.fontbuild SOURCE.ttf OUT.ttf", file=sys.stderr)
        return 2
    build(Path(args[0]), Path(args[1]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
