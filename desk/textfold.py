"""Vietnamese text folding for search: case, diacritics and đ → d.

SQLite's unicode61 tokenizer removes combining marks but cannot fold đ/Đ, which
has no Unicode decomposition, so the application folds both the indexed text and
the query with the same function.
"""

from __future__ import annotations

import re
import unicodedata

_D_TABLE = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})


def fold(text: str) -> str:
    """Lower-case, strip diacritics and map đ→d. Idempotent."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFD", text.translate(_D_TABLE))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", stripped).lower()


_TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng
# The two spellings of a tone on "oa", "oe", "uy" ending a syllable: "hòa"/"hoà", "túy"/"tuý",
# "ủy"/"uỷ". Both are correct Vietnamese (the old and the new placement); the new one is kept.
_OLD_TONE_PLACE = re.compile(rf"([oOuU])([{_TONES}])([aAeEyY])(?![^\W\d_])")


def same_wording(a: object, b: object) -> bool:
    """Whether two field values say the same thing to a reader: Unicode form, runs of spaces,
    case and the tone's placement (old or new style) aside, and a final full stop ignored.
    "Về việc phòng, chống ma túy." and "về việc phòng, chống ma tuý" are the same wording."""
    return _wording(a) == _wording(b)


def _wording(v: object) -> str:
    text = unicodedata.normalize("NFD", str(v or ""))
    text = _OLD_TONE_PLACE.sub(lambda m: m[1] + m[3] + m[2] if m[1] in "oO" and m[3] in "aAeE"
                               or m[1] in "uU" and m[3] in "yY" else m[0], text)
    text = " ".join(unicodedata.normalize("NFC", text).split()).casefold()
    return text[:-1].rstrip() if text.endswith(".") else text
