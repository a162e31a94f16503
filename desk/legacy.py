"""Legacy Vietnamese 8-bit encodings (TCVN3/ABC and VNI) found in old text layers and DOCX.

Documents typed with the .VnTime (TCVN3, also called ABC) or VNI-Times fonts keep
their text as Latin-1 code points that only look Vietnamese through those fonts:
"Céng hoµ x· héi chñ nghÜa ViÖt Nam" (TCVN3), "Coäng hoøa xaõ hoäi chuû nghóa
Vieät Nam" (VNI). They are detected by their tell-tale characters and converted
to Unicode (NFC). TCVN3 maps one byte to one letter; VNI writes a base letter
followed by one or two mark bytes.

TCVN3's upper-case accented letters live in a separate font (.VnTimeH) that
reuses the lower-case codes, so such text converts to lower case; only Ă Â Đ Ê
Ô Ơ Ư have their own codes.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desk.layout import Word

_TCVN3_LOWER = {
    "µ": "à", "¸": "á", "¶": "ả", "·": "ã", "¹": "ạ",
    "¨": "ă", "»": "ằ", "¾": "ắ", "¼": "ẳ", "½": "ẵ", "Æ": "ặ",
    "©": "â", "Ç": "ầ", "Ê": "ấ", "È": "ẩ", "É": "ẫ", "Ë": "ậ",
    "®": "đ",
    "Ì": "è", "Ð": "é", "Î": "ẻ", "Ï": "ẽ", "Ñ": "ẹ",
    "ª": "ê", "Ò": "ề", "Õ": "ế", "Ó": "ể", "Ô": "ễ", "Ö": "ệ",
    "×": "ì", "Ý": "í", "Ø": "ỉ", "Ü": "ĩ", "Þ": "ị",
    "ß": "ò", "ã": "ó", "á": "ỏ", "â": "õ", "ä": "ọ",
    "«": "ô", "å": "ồ", "è": "ố", "æ": "ổ", "ç": "ỗ", "é": "ộ",
    "¬": "ơ", "ê": "ờ", "í": "ớ", "ë": "ở", "ì": "ỡ", "î": "ợ",
    "ï": "ù", "ó": "ú", "ñ": "ủ", "ò": "ũ", "ô": "ụ",
    "\xad": "ư", "õ": "ừ", "ø": "ứ", "ö": "ử", "÷": "ữ", "ù": "ự",
    "ú": "ỳ", "ý": "ý", "û": "ỷ", "ü": "ỹ", "þ": "ỵ",
    "¡": "Ă", "¢": "Â", "§": "Đ", "£": "Ê", "¤": "Ô", "¥": "Ơ", "¦": "Ư",
}
_TCVN3 = str.maketrans(_TCVN3_LOWER)
# Characters that plain Vietnamese Unicode text never contains but TCVN3 text is full of.
_TCVN3_MARKERS = set("µ¸¶·¹¨»¾¼½Æ©ÇÈËÑ®ÌÎÏªÒÖ×ØÜÞß«åæç¬ëîï\xad÷þ¡¢§£¤¥¦")

# VNI: tone/shape marks written after the base letter.
_VNI_MARKS = {
    "ù": "\u0301", "ø": "\u0300", "û": "\u0309", "õ": "\u0303", "ï": "\u0323",
    "Ù": "\u0301", "Ø": "\u0300", "Û": "\u0309", "Õ": "\u0303", "Ï": "\u0323",
}
# Circumflex/breve combined with a tone, after a/e/o (lower and upper case).
_VNI_SHAPED = {
    "â": "\u0302", "á": "\u0302\u0301", "à": "\u0302\u0300", "å": "\u0302\u0309", "ã": "\u0302\u0303",
    "ä": "\u0302\u0323",
    "Â": "\u0302", "Á": "\u0302\u0301", "À": "\u0302\u0300", "Å": "\u0302\u0309", "Ã": "\u0302\u0303",
    "Ä": "\u0302\u0323",
}
_VNI_BREVE = {  # after a/A only
    "ê": "\u0306", "é": "\u0306\u0301", "è": "\u0306\u0300", "ú": "\u0306\u0309", "ü": "\u0306\u0303",
    "ë": "\u0306\u0323",
    "Ê": "\u0306", "É": "\u0306\u0301", "È": "\u0306\u0300", "Ú": "\u0306\u0309", "Ü": "\u0306\u0303",
    "Ë": "\u0306\u0323",
}
_VNI_SINGLE = {
    "ô": "ơ", "Ô": "Ơ", "ö": "ư", "Ö": "Ư", "ñ": "đ", "Ñ": "Đ",
    "ì": "ì", "í": "í", "æ": "ỉ", "ó": "ĩ", "ò": "ị",
    "Ì": "Ì", "Í": "Í", "Æ": "Ỉ", "Ó": "Ĩ", "Ò": "Ị",
    "î": "ỵ", "Î": "Ỵ",
}
_VNI_MARKERS = set("øùûõïØÙÛÕÏöÖñÑäÄåÅæÆ")

# Very common Vietnamese syllables, to tell a correct conversion from a wrong one.
_COMMON = {
    "của", "và", "các", "ngày", "tháng", "năm", "việt", "nam", "nghĩa", "độc", "lập", "tự", "hạnh",
    "phúc", "cộng", "hòa", "hoà", "xã", "hội", "chủ", "số", "về", "việc", "được", "theo", "trên", "có",
    "không", "những", "người", "nhân", "dân", "ủy", "uỷ", "ban", "quyết", "định", "để", "với", "thực",
    "hiện", "đơn", "vị", "tỉnh", "huyện", "cơ", "quan", "nhà", "nước", "trong", "này", "đã", "sở",
}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def tcvn3_to_unicode(text: str) -> str:
    return unicodedata.normalize("NFC", text.translate(_TCVN3))


def vni_to_unicode(text: str) -> str:
    out: list[str] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        nxt = text[i + 1] if i + 1 < n else ""
        if ch in "aAeEoO" and nxt in _VNI_SHAPED:
            out.append(ch + _VNI_SHAPED[nxt])
            i += 2
        elif ch in "aA" and nxt in _VNI_BREVE:
            out.append(ch + _VNI_BREVE[nxt])
            i += 2
        elif ch in _VNI_SINGLE:
            out.append(_VNI_SINGLE[ch])
            i += 1
        elif ch in _VNI_MARKS and out and out[-1][-1:].isalpha():
            out.append(_VNI_MARKS[ch])
            i += 1
        else:
            out.append(ch)
            i += 1
    return unicodedata.normalize("NFC", "".join(out))


def _score(text: str) -> int:
    return sum(1 for w in _WORD.findall(text.lower()) if w in _COMMON)


def _unicode_vietnamese(text: str) -> int:
    return sum(1 for ch in text if "\u1ea0" <= ch <= "\u1ef9" or ch in "ơưđƠƯĐ")


def detect(text: str) -> str | None:
    """"TCVN3", "VNI" or None (Unicode or not Vietnamese)."""
    sample = text[:20000]
    tcvn = sum(1 for ch in sample if ch in _TCVN3_MARKERS)
    vni = sum(1 for ch in sample if ch in _VNI_MARKERS)
    if max(tcvn, vni) < 5 or _unicode_vietnamese(sample) > max(tcvn, vni):
        return None
    base = _score(sample)
    as_tcvn = _score(tcvn3_to_unicode(sample)) if tcvn else -1
    as_vni = _score(vni_to_unicode(sample)) if vni else -1
    best = max(as_tcvn, as_vni)
    if best <= base or best < 2:
        return None
    return "TCVN3" if as_tcvn >= as_vni else "VNI"


def to_unicode(text: str) -> tuple[str, str | None]:
    """The text converted to Unicode, and the legacy encoding found (None when already Unicode)."""
    enc = detect(text)
    if enc == "TCVN3":
        return tcvn3_to_unicode(text), enc
    if enc == "VNI":
        return vni_to_unicode(text), enc
    return text, None


def convert_words_if_legacy(words: list[Word]) -> tuple[list[Word], str | None]:
    from dataclasses import replace

    enc = detect(" ".join(w.text for w in words))
    if enc is None:
        return words, None
    conv = tcvn3_to_unicode if enc == "TCVN3" else vni_to_unicode
    return [replace(w, text=conv(w.text)) for w in words], enc
