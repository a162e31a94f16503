"""Reading a document's metadata from the zones of its first and last pages (Decree 30, App. I).

The first page of an administrative or normative document is laid out the same
way everywhere:

    tên cơ quan chủ quản               QUỐC HIỆU
    TÊN CƠ QUAN BAN HÀNH                 Tiêu ngữ
    Số: 15/QĐ-UBND                  Địa danh, ngày … tháng … năm …
    (V/v … for a công văn)
                         TÊN LOẠI
                    trích yếu (several lines)
    Kính gửi: …
    body …
    Nơi nhận:                           QUYỀN HẠN, CHỨC VỤ
    - …                                  (chữ ký, dấu)
                                         Họ và tên

Each field is read from its zone, never from the body ("căn cứ Quyết định số
123/QĐ-TTg …" is not the document's number), and carries a confidence (0–1)
and its source: the text layer, OCR, a signature appearance, or a signing
certificate. A field below :data:`CONFIDENT` must be checked by the clerk
before the document is registered.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from desk.layout import APPEARANCE, OCR, TEXT, PageLayout, Segment, Word
from desk.reference import DOC_TYPES, DOC_TYPES_BY_CODE, doc_type_by_abbreviation
from desk.textfold import fold, same_wording
from desk.vnscore import STOP_TONES, TONES, is_syllable

CONFIDENT = 0.8
MIN_WORD_CONF = 35.0  # OCR rows read below this are noise (seal rings, signature strokes)
CERTIFICATE = "certificate"
REQUIRED = ("doc_type", "number", "notation", "issued_date", "issuer_name", "subject")
FIELD_LABELS = {
    "doc_type": ("Loại văn bản", "Type"), "number": ("Số", "Number"), "notation": ("Ký hiệu", "Notation"),
    "issued_date": ("Ngày ban hành", "Date"), "issuer_name": ("Cơ quan ban hành", "Issuer"),
    "subject": ("Trích yếu", "Subject"), "signer_name": ("Người ký", "Signer"),
    "signer_position": ("Chức vụ người ký", "Signer's position"), "place": ("Địa danh", "Place"),
}
SOURCE_LABELS = {TEXT: ("lớp chữ PDF", "PDF text"), OCR: ("nhận dạng chữ (OCR)", "OCR"),
                 APPEARANCE: ("hình chữ ký số", "signature appearance"),
                 CERTIFICATE: ("chứng thư ký số", "signing certificate"), "file": ("tên tệp", "file name")}


@dataclass
class FieldValue:
    value: Any
    confidence: float
    source: str

    @property
    def confident(self) -> bool:
        return self.value is not None and self.confidence >= CONFIDENT


@dataclass
class ReadResult:
    fields: dict[str, FieldValue] = field(default_factory=dict)
    parent_issuer: str | None = None
    signer_competence: str | None = None
    kind: str = "born-digital"  # or "scan"
    legacy_encoding: str | None = None
    boxes: dict[str, tuple[float, float, float, float]] = field(default_factory=dict)  # first page, points
    alternates: list[str] = field(default_factory=list)  # other OCR readings of số/ký hiệu (searchable)
    handwritten_number: bool = False  # the number was written by hand on the scan: the clerk reads it
    signer_fragments: list[str] = field(default_factory=list)  # OCR'd lines of a signature block with no whole name

    def get(self, name: str) -> Any:
        f = self.fields.get(name)
        return f.value if f else None

    def set(self, name: str, value: Any, confidence: float, source: str) -> None:
        if value is None or value == "":
            return
        old = self.fields.get(name)
        if old is None or confidence > old.confidence:
            self.fields[name] = FieldValue(value, round(min(1.0, confidence), 2), source)

    def unsure(self, names: tuple[str, ...] = REQUIRED) -> list[str]:
        return [n for n in names if n not in self.fields or not self.fields[n].confident]

    def as_json(self) -> dict[str, dict[str, object]]:
        return {n: {"confidence": f.confidence, "source": f.source} for n, f in self.fields.items()}


# --- text helpers ------------------------------------------------------------------------------

_LETTERS = re.compile(r"[^a-z0-9]+")
_MOTTO = ("cong hoa xa hoi chu nghia", "doc lap tu do hanh phuc", "doc lap - tu do")
_BODY_START = ("can cu", "kinh gui", "thuc hien", "de nghi", "dieu ", "theo de nghi", "xet ", "nham ",
               "trong thoi gian", "ngay ", "thuc hien ")
# A line starting one of these words begins a new body (so the line above it is the parent body).
_BODY_WORDS = ("uy ban", "ubnd", "hoi dong", "hdnd", "so ", "bo ", "phong ", "ban ", "cuc ", "tong cuc",
               "chi cuc", "van phong", "truong ", "cong an", "trung tam", "vien ", "dang uy", "thu tuong",
               "chinh phu", "quoc hoi", "uy ban thuong vu", "benh vien", "bo chi huy", "ban chi huy",
               "kho bac", "ngan hang", "toa an", "vien kiem sat", "kiem toan", "thanh tra", "chu tich",
               "doan ", "lien doan", "hoi ", "mat tran", "cong ty", "tap doan", "dai hoc", "hoc vien",
               "chi nhanh", "tinh uy", "thanh uy", "huyen uy", "bao hiem", "dai ", "tong ")
_AUTHORITIES = ("thu tuong chinh phu", "uy ban nhan dan", "chu tich", "bo truong", "hoi dong nhan dan",
                "chinh phu", "giam doc", "tong giam doc")
_COMPETENCE = re.compile(r"^(tm|kt|tl|tuq|q|thay mat|thua lenh|thua uy quyen|ky thay|quyen)\b\.?", re.I)
_NAME_WORD = re.compile(r"^[A-ZĐÂĂÊÔƠƯÀ-Ỹ][a-zà-ỹđ]+$")
_UPPER_NAME_WORD = re.compile(r"^[A-ZĐÀ-Ỹ]{1,7}$")


def letters(text: str) -> str:
    return _LETTERS.sub(" ", fold(text)).strip()


def _upper_ratio(text: str) -> float:
    alpha = [c for c in text if c.isalpha()]
    return sum(1 for c in alpha if c.isupper()) / len(alpha) if alpha else 0.0


def _seg_conf(seg: Segment) -> float:
    return statistics.median(w.conf for w in seg.words) / 100.0


_VI_LETTERS = "a-zA-Zàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ" \
    "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ"
_PLAIN_TOKEN = re.compile(rf"^[(\"“]?([{_VI_LETTERS}]+|[0-9]+([.,/-][0-9]+)*|[0-9]*/?[{_VI_LETTERS}0-9]+"
                          rf"([/-][{_VI_LETTERS}0-9&]+)*)[)\"”,.;:]*$|^[-–]$")


_VOWELS = set("aeiouy")


def _tone_ok(word: str) -> bool:
    """A Vietnamese syllable closed by p, t, c or ch carries the sắc or the nặng tone ("quyết",
    "việc", never "quyêt"): OCR that drops or swaps a tone mark breaks this rule."""
    import unicodedata

    w = unicodedata.normalize("NFD", word.lower().strip(",.;:()\"“”"))
    base = "".join(ch for ch in w if not unicodedata.combining(ch)).replace("đ", "d")
    if not base.isalpha() or not base.isascii() or not (_VOWELS & set(base)) or word.isupper():
        return True
    if not base.endswith(("p", "t", "c", "ch")):
        return True
    return bool(STOP_TONES & set(w))


def one_tone(word: str) -> str:
    """A syllable carries one tone mark: OCR that reads one vowel twice ("Phóớc" for "Phớc", the
    second reading complete) is put back by keeping the more marked of the two."""
    import unicodedata

    groups: list[str] = []
    for ch in unicodedata.normalize("NFD", word):
        if groups and unicodedata.combining(ch):
            groups[-1] += ch
        else:
            groups.append(ch)
    toned = [i for i, g in enumerate(groups) if TONES & set(g)]
    if len(toned) == 2 and toned[1] == toned[0] + 1 and groups[toned[0]][0].lower() == groups[toned[1]][0].lower():
        a, b = toned
        drop = a if len(groups[a]) <= len(groups[b]) else b
        del groups[drop]
        return unicodedata.normalize("NFC", "".join(groups))
    return word


def _syllables_ok(text: str) -> bool:
    """Every word could be Vietnamese: no glued syllables ("CHÍNHPHỦ"), no stray signs or letters
    from outside the alphabet ("tŠ", "PrSYT7A", "(412024..."), as OCR makes of seals and stamps."""
    import unicodedata

    text = unicodedata.normalize("NFC", text)
    if not all(len(w) <= 7 for w in re.findall(r"[a-z]+", fold(text))):
        return False
    for tok in text.split():
        if not _PLAIN_TOKEN.match(tok) or ".." in tok or "…" in tok:
            return False
        if re.search(r"[0-9]", tok) and re.search(rf"[{_VI_LETTERS}]", tok) and "/" not in tok and "-" not in tok:
            return False
    return True


def _min_word_conf(segs: list[Segment]) -> float:
    """The lowest OCR confidence of a word with letters (0–1): one misread word spoils a field."""
    return min((w.conf for s in segs for w in s.words if any(ch.isalpha() for ch in w.text)),
               default=0.0) / 100.0


def _source(seg: Segment) -> str:
    srcs = seg.sources
    return APPEARANCE if APPEARANCE in srcs and len(srcs) == 1 else (OCR if OCR in srcs else TEXT)


# Digits as OCR misreads them inside numbers.
_OCR_DIGITS = str.maketrans({"l": "1", "I": "1", "|": "1", "O": "0", "o": "0", "S": "5", "B": "8"})


def _digits(token: str) -> tuple[str | None, bool]:
    """A number token, repairing OCR letter/digit confusions; (digits, repaired).

    A number may carry a letter suffix ("118a/BC-SNV": a document added after 118 was given).
    """
    if token.isdigit() or len(token) > 1 and token[:-1].isdigit() and token[-1] in "abcde":
        return token, False
    fixed = token.translate(_OCR_DIGITS)
    return (fixed, True) if fixed.isdigit() else (None, False)


# --- document types ----------------------------------------------------------------------------

_TYPE_NAMES = sorted(((letters(t.name), t.code) for t in DOC_TYPES if t.code not in ("CV", "THC")),
                     key=lambda p: -len(p[0]))


def _edit1(a: str, b: str) -> bool:
    """At most one substitution, insertion or deletion (OCR slips in a type name)."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) <= 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def type_of_line(text: str) -> tuple[str, bool] | None:
    """(type code, exact) when the line is a type name printed as a title."""
    key = letters(text)
    if not key or len(key) > 40:
        return None
    for name, code in _TYPE_NAMES:
        if key == name:
            return code, True
    bare = key.replace(" ", "")
    for name, code in _TYPE_NAMES:
        if len(name) >= 6 and (_edit1(key, name) or _edit1(bare, name.replace(" ", ""))):
            return code, False
    return None


# --- số, ký hiệu -------------------------------------------------------------------------------

_SO_PREFIX = re.compile(r"^\s*(s[oốôồổơớ6ó]|so|s0)\s*[:;.]?\s*", re.I)
_CODE_BODY = re.compile(r"^([0-9OolIS|B]{1,7}(?<=\d)[a-e]?|[0-9OolIS|B]{1,7})?\s*/\s*([0-9A-ZĐa-zđ][0-9A-ZĐa-zđ\s/\-.]{0,40})")
_NOTATION_OK = re.compile(r"^(\d{4}/)?[A-ZĐ][A-Za-zĐđ0-9]*(-[A-ZĐa-zđ0-9&]+)*$")


def _char_x(w: Word, index: int) -> float:
    """Where the ``index``-th character of an OCR word starts (proportional estimate)."""
    return w.x0 + (w.x1 - w.x0) * index / max(1, len(w.text))


Box = tuple[float, float, float, float]


def _number_digits_box(words: list[Word]) -> tuple[Box, Box] | None:
    """(where the number's digits are, where the notation's first letters are) on the "Số:" line.

    The digits are between "Số:" and the first "/"; the notation's capitals follow the "/".
    Used to tell a number written by hand from a printed one (see desk.docread).
    """
    if not words:
        return None
    first = words[0]
    m = _SO_PREFIX.match(first.text)
    if not m:
        return None
    start = first.x1 if m.end() >= len(first.text) else _char_x(first, m.end())
    # The "/" before the notation's letters; OCR reads a hooked handwritten "1" as "/" too
    # ("Só:/4444/QĐ-TTg" for 1114): a "/" with a letter after it is preferred.
    before_letter = [(w, mm.start()) for w in words if (mm := re.search(r"/(?=[^\W\d_])", w.text))]
    for w, k in before_letter or [(w, w.text.find("/")) for w in words]:
        if k < 0:
            continue
        slash = _char_x(w, k)
        h = statistics.median(x.height for x in words)
        y0, y1 = min(x.y0 for x in words), max(x.y1 for x in words)
        after = _char_x(w, k + 1) if k + 1 < len(w.text) else w.x1
        if slash - start < 0.3 * h:
            return None
        return (start, y0 - 0.3 * h, slash - 0.05 * h, y1 + 0.3 * h), (after + 0.05 * h, y0 - 0.3 * h,
                                                                     after + 1.6 * h, y1 + 0.3 * h)
    return None


_ETH = str.maketrans({"Ð": "Đ", "ð": "đ"})


def _undouble(notation: str) -> str:
    """A type's abbreviation OCR read with a letter twice ("QĐĐ-UBND") put back when only the
    single-letter form is a type ("QĐ")."""
    head, sep, tail = notation.partition("-")
    if not head or doc_type_by_abbreviation(head) is not None:
        return notation
    for i in range(1, len(head)):
        if head[i] == head[i - 1] and doc_type_by_abbreviation(head[:i] + head[i + 1:]) is not None:
            return head[:i] + head[i + 1:] + sep + tail
    return notation


def parse_code(text: str) -> tuple[str | None, str | None, bool]:
    """Number and notation from "Số: 15/QĐ-UBND" (stray spaces allowed); (number, notation, clean)."""
    text = text.translate(_ETH)  # OCR reads Đ as the Icelandic Ð
    m = _SO_PREFIX.match(text)
    rest = text[m.end():] if m else text
    # A stray "/" (a stroke's slice, the edge of the blank's rule) before the number: "Số:/4444/QĐ-TTg"
    # (1114-ttg), "Số:/11 /CT-UBND" (qngai-11ct). The digits are the number, not a year of a
    # normative ký hiệu ("Số:   /2025/NĐ-CP" is a blank number), so never a year 1945–2099.
    stray = re.match(r"^\s*[/|]\s*([0-9]{1,7}[a-e]?)\s*/\s*(?=[A-ZĐ])", rest)
    stray_slash = bool(stray) and not re.fullmatch(r"(19[4-9]\d|20\d\d)", stray.group(1) if stray else "")
    if stray_slash:
        rest = rest.strip()[1:]
    cm = _CODE_BODY.match(rest.strip())
    if not cm:
        # An unreadable number (handwriting OCR'd as "2#", "O{_"): the printed notation after the
        # "/" is still read; the number stays unknown.
        tail = re.match(r"^\S{1,6}?\s*/\s*([A-ZĐ][0-9A-ZĐa-zđ\-.]{1,30})", rest.strip())
        if not tail:
            return None, None, False
        raw = _undouble(re.sub(r"\s*([/-])\s*", r"\1", tail.group(1)).strip(" .,;:-/"))
        return None, (raw[:30] or None) if _NOTATION_OK.match(raw) else None, False
    number, repaired = _digits(cm.group(1)) if cm.group(1) else (None, False)
    raw = cm.group(2)
    raw = re.sub(r"\s*([/-])\s*", r"\1", raw.strip())
    notation = raw.split()[0].strip(" .,;:-/") if raw.split() else ""
    notation = notation.replace("Đ", "Đ")
    undoubled = _undouble(notation)
    repaired = repaired or undoubled != notation or stray_slash
    notation = undoubled
    clean = bool(number) and not repaired and bool(_NOTATION_OK.match(notation))
    return number, notation[:30] or None, clean


# The issuer's part of a ký hiệu (Decree 30 App. III): the abbreviation of the issuing body's
# name. These bodies abbreviate by usage, not by initials; any other body by its names' initials
# ("SỞ Y TẾ" → SYT, "BỘ KHOA HỌC VÀ CÔNG NGHỆ" → BKHCN). Reference data, not tuned to a document.
_ISSUER_ABBREVIATIONS = (("thu tuong chinh phu", "TTg"), ("chinh phu", "CP"), ("quoc hoi", "QH"),
                         ("van phong uy ban nhan dan", "VPUBND"), ("uy ban nhan dan", "UBND"),
                         ("hoi dong nhan dan", "HĐND"), ("van phong chinh phu", "VPCP"))
_PLACE_WORDS = ("tinh", "thanh pho", "huyen", "quan", "thi xa", "xa", "phuong", "thi tran")
# Letters OCR takes for one another in a printed ký hiệu ("QĐ-11g" for "QĐ-TTg", 985-ttg).
_OCR_ALIKE = ("1lIiTt|!", "0OoDĐQ", "5Ss", "8B", "gq9", "uv", "cCeG")


def issuer_abbreviations(issuer: str | None) -> set[str]:
    """The abbreviations the issuer's ký hiệu may carry (see above)."""
    if not issuer:
        return set()
    key = letters(issuer)
    out = {abbr for name, abbr in _ISSUER_ABBREVIATIONS if key.startswith(name)}
    words = key.split()
    for place in _PLACE_WORDS:  # "SỞ Y TẾ TỈNH KIÊN GIANG": the province is not in the abbreviation
        k = f" {place} "
        if k in f" {key} ":
            words = f" {key} ".split(k)[0].split()
            break
    orig = [w for w in issuer.split() if letters(w)]
    if len(orig) >= len(words) >= 2:
        out.add("".join(w[0].upper() if w[0].upper() == "Đ" else fold(w[0]).upper()
                        for w, k in zip(orig, words, strict=False) if k != "va"))
    return {a for a in out if len(a) >= 2}


def _alike_cost(a: str, b: str) -> float:
    """Edit distance where a letter read as its OCR look-alike (or its other case) costs half."""
    def sub(x: str, y: str) -> float:
        if x == y:
            return 0.0
        if x.lower() == y.lower() or any(x in g and y in g for g in _OCR_ALIKE):
            return 0.5
        return 1.0
    prev = [float(j) for j in range(len(b) + 1)]
    for i, x in enumerate(a, 1):
        cur = [float(i)]
        for j, y in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + sub(x, y)))
        prev = cur
    return prev[-1]


def _issuer_part(notation: str) -> tuple[str, list[str], int]:
    """(what precedes the last "/", the parts of the ký hiệu, the index of its issuer's part):
    after the type's abbreviation, else the first (a công văn's)."""
    head, _, tail = notation.rpartition("/")  # "2025/NĐ-CP": the year stays
    parts = tail.split("-")
    return head, parts, 1 if len(parts) > 1 and doc_type_by_abbreviation(parts[0]) is not None else 0


def issuer_by_notation(issuer: str, notation: str) -> str | None:
    """The known issuer an OCR'd name no vocabulary could check can only be, when the ký hiệu
    bears it out: within two letters of the name as read (look-alikes half, spaces aside), and
    the ký hiệu's issuer part within one edit of its abbreviation ("SỞ YT YTẺ" over "KH-SYT",
    "SỞ Y YT TẾ" over "QĐ-SVT": SỞ Y TẾ; a seal or a double strike smeared the header). Two
    things read apart that agree; None when no phrase, or more than one at the best distance
    (the two distances added)."""
    _, parts, i = _issuer_part(notation)
    if i >= len(parts) or len(parts[i]) < 2:
        return None
    read = letters(issuer).replace(" ", "")
    hits: dict[str, float] = {}
    for ph in _CANON:
        d = _alike_cost(read, letters(ph).replace(" ", ""))
        if d > 2:
            continue
        a = min((_alike_cost(parts[i], a) for a in issuer_abbreviations(ph)), default=9.0)
        if a <= 1:
            hits[ph] = d + a  # the two readings weigh alike: "SỞ Y TẾ X" over "BYT" is either
    if not hits:
        return None
    best = min(hits.values())
    found = [ph for ph, d in hits.items() if d == best]
    return found[0] if len(found) == 1 else None


def repair_notation(notation: str, issuer: str | None) -> str | None:
    """The ký hiệu with the issuer's part put back when OCR slipped on it ("QĐ-11g" → "QĐ-TTg"
    under THỦ TƯỚNG CHÍNH PHỦ): the part after the type's abbreviation (the first part of a công
    văn's) within one edit of exactly one of the issuer's abbreviations, look-alike letters
    counting half. None when nothing was repaired."""
    vocab = issuer_abbreviations(issuer)
    if not vocab:
        return None
    head, parts, i = _issuer_part(notation)
    if i >= len(parts) or parts[i] in vocab or len(parts[i]) < 2:
        return None
    costs = sorted((_alike_cost(parts[i], v), v) for v in vocab)
    if costs[0][0] > 1.0 or len(costs) > 1 and costs[1][0] == costs[0][0]:
        return None
    parts[i] = costs[0][1]
    return (f"{head}/" if head else "") + "-".join(parts)


def repair_type_part(notation: str, type_code: str) -> str | None:
    """The type's abbreviation in an OCR'd ký hiệu put back from the type name printed as the
    title ("239/TTIr-UBND" under TỜ TRÌNH → "239/TTr-UBND"): a titled document's ký hiệu starts
    with its type's abbreviation (Decree 30 App. III), so a first part that is no type's and is
    within one edit of the title's (look-alike letters counting half), and nearer to it than to
    any other type's, is that abbreviation misread. None when nothing was repaired."""
    t = DOC_TYPES_BY_CODE.get(type_code)
    abbr = t.abbreviation if t else ""
    head, _, tail = notation.rpartition("/")  # "2025/NĐ-CP": the year stays
    parts = tail.split("-")
    if not abbr or len(parts) < 2 or len(parts[0]) < 2 or doc_type_by_abbreviation(parts[0]) is not None:
        return None
    cost = _alike_cost(parts[0], abbr)
    if cost > 1.0 or any(_alike_cost(parts[0], o.abbreviation) <= cost
                         for o in DOC_TYPES if o.abbreviation and o.abbreviation != abbr):
        return None
    parts[0] = abbr
    return (f"{head}/" if head else "") + "-".join(parts)


def type_from_notation(notation: str | None) -> str | None:
    if not notation:
        return None
    parts = [p for p in notation.split("/") if not p.isdigit()]
    if not parts:
        return None
    first = parts[0].split("-")[0]
    t = doc_type_by_abbreviation(first)
    return t.code if t else None


# --- dates -------------------------------------------------------------------------------------

_DATE = re.compile(r"ngay\s*([0-9olOI|]{1,2})\s*[,.]?\s*thang\s*([0-9olOI|]{1,2})\s*[,.]?\s*nam\s*([0-9olOI|]{4})")
_PLACE = re.compile(r"^(.{2,60}?)\s*,\s*$")


def parse_date(text: str) -> tuple[date | None, str | None, bool]:
    """(date, place, clean) from "Hà Nội, ngày 05 tháng 01 năm 2020" (OCR spacing allowed)."""
    folded = fold(text)
    m = _DATE.search(folded)
    if not m:
        return None, None, False
    parts = [_digits(g) for g in m.groups()]
    if any(p[0] is None for p in parts):
        return None, None, False
    try:
        d = date(int(parts[2][0] or 0), int(parts[1][0] or 0), int(parts[0][0] or 0))
    except ValueError:
        return None, None, False
    place = None
    head = text[:m.start()].strip()
    if head.endswith(","):
        place = head[:-1].strip() or None
    elif "," in head:
        place = head.rsplit(",", 1)[0].strip() or None
    clean = not any(p[1] for p in parts) and 1945 <= d.year <= date.today().year + 1
    return d, place, clean


# --- the reader --------------------------------------------------------------------------------


def _is_motto(seg: Segment) -> bool:
    lt = letters(seg.text)
    return any(p.replace("-", " ").replace("  ", " ") in lt for p in _MOTTO) or lt.startswith("doc lap")


def _incoming_stamps(page: PageLayout) -> list[tuple[float, float, float, float]]:
    """Areas of incoming stamps ("CÔNG VĂN ĐẾN", "ĐẾN Số … Ngày … Chuyển …") on the page.

    Found by the word "ĐẾN" in capitals at the left of the page with nothing just
    before it on its line (or "CÔNG VĂN ĐẾN"); the area is the stamp's usual
    size around it (Decree 30 App. IV: 35 × 50 mm), in its column.
    """
    W = page.width
    out = []
    for seg in page.segments:
        for k, w in enumerate(seg.words):
            lt = letters(w.text)
            if lt not in ("den", "iden", "lden") or w.x0 > 0.3 * W:
                continue
            before = seg.words[k - 1] if k else None
            if before is not None and w.x0 - before.x1 < 1.5 * w.height and \
                    letters(" ".join(x.text for x in seg.words[max(0, k - 2):k])) != "cong van":
                continue
            if not any(ch.isupper() for ch in w.text):
                continue
            h = max(w.height, 8.0)
            # The stamp's width: its title line just above "ĐẾN" ("CÔNG VĂN", the office's name)
            # spans the box; without one, the usual size for the letters' height.
            above = [x for x in page.segments if 0 < w.y0 - x.y1 < 2.5 * h and abs(x.x0 - w.x0) < 3 * h]
            right = max((x.x1 for x in above), default=w.x0 + 7.5 * h)
            # OCR may read only pieces of the title line, or join its end to a trích yếu line
            # beside the stamp ("CHÍNH PHÙ hồ trợ các địa phương"): its upper-case words in the
            # band above "ĐẾN" mark the width too (never past the cap below).
            title = [x.x1 for s2 in page.segments for x in s2.words
                     if w.y0 - 2.5 * h < (x.y0 + x.y1) / 2 < w.y0 and w.x0 - h < x.x0 < w.x0 + 10 * h
                     and x.text.isupper() and len(letters(x.text)) >= 2]
            right = max([right, *title])
            right = min(max(right, w.x0 + 4 * h), w.x0 + 10 * h)
            out.append((max(0.0, w.x0 - 1.5 * h), w.y0 - 1.8 * h, right + 0.3 * h, w.y1 + 1.0 * h))
    return out


# The short rule printed under the issuer, the motto and the trích yếu (Decree 30 App. I), as OCR
# reads it: it ends the trích yếu, so it is kept.
_RULE = re.compile(r"[-_–—=]{2,}")


# A ký hiệu as printed after the number's blank ("/BC-UBND", "/QĐ-SYT", "/C04-P6").
_PRINTED_NOTATION = re.compile(r"/?[A-ZĐ][A-ZĐ0-9]*(?:-[A-ZĐ0-9]+)+")


def _printed_code_row(words: list[Any]) -> bool:
    """The "Số: …/BC-UBND" row, though handwriting in its blank pulled its median confidence
    down (the held-out set lost "280 /BC-UBND" so, and three other printed notations): a word
    read confidently as a printed ký hiệu keeps the row; its number is judged on its own later."""
    return any(w.conf >= MIN_WORD_CONF and _PRINTED_NOTATION.fullmatch(w.text.strip(".,;:")) is not None
               and sum(c.isalpha() for c in w.text) >= 3 for w in words)


def _without_stamps(page: PageLayout) -> PageLayout:
    """The page without incoming stamps, and without OCR noise: words with no letter or digit,
    and rows read with very low confidence (seal rings, signature strokes). The rows stay as
    they were (dropping a word must not split a line in two)."""
    stamps = _incoming_stamps(page)
    out = []
    for seg in page.segments:
        kept = [w for w in seg.words
                if not any(x0 <= w.x0 <= x1 and y0 <= (w.y0 + w.y1) / 2 <= y1  # starts inside
                           for x0, y0, x1, y1 in stamps)
                and (any(ch.isalnum() for ch in w.text) or w.text in "-–,;:." or _RULE.fullmatch(w.text))]
        if not kept:
            continue
        if seg.sources == {OCR} and statistics.median(w.conf for w in kept) < MIN_WORD_CONF \
                and not _printed_code_row(kept):
            continue
        out.append(kept)
    return PageLayout(page.width, page.height, [Segment(ws) for ws in out], page.source,
                      page.legacy_encoding)


# The words of issuers' names (Decree 30 App. I headers: bodies, levels, provinces), as printed in
# upper case. OCR of a scanned header drops or moves their marks ("TINH", "TÍNH" for "TỈNH"),
# glues two of them ("CHÍNHPHỦ") or repeats one; an issuer word is put back to the one it can
# only be. Reference data, not tuned to a document.
_ISSUER_PHRASES = (
    "ỦY BAN NHÂN DÂN", "UỶ BAN NHÂN DÂN", "HỘI ĐỒNG NHÂN DÂN", "THỦ TƯỚNG CHÍNH PHỦ", "CHÍNH PHỦ", "QUỐC HỘI",
    "ỦY BAN THƯỜNG VỤ", "VĂN PHÒNG", "BAN CHỈ ĐẠO", "BAN QUẢN LÝ", "BAN BIÊN TẬP", "SỞ NỘI VỤ", "SỞ TƯ PHÁP",
    "SỞ TÀI CHÍNH", "SỞ Y TẾ", "SỞ XÂY DỰNG", "SỞ CÔNG THƯƠNG", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "BỘ NỘI VỤ",
    "TRƯỜNG ĐẠI HỌC", "TRƯỜNG CAO ĐẲNG", "CÔNG THƯƠNG",
    "BỘ TÀI CHÍNH", "BỘ TƯ PHÁP", "BỘ Y TẾ", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "SỞ KẾ HOẠCH VÀ ĐẦU TƯ",
    "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG", "SỞ GIAO THÔNG VẬN TẢI", "SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN",
    "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "SỞ NGOẠI VỤ", "SỞ DÂN TỘC VÀ TÔN GIÁO",
    "BỘ KHOA HỌC VÀ CÔNG NGHỆ", "BỘ THÔNG TIN VÀ TRUYỀN THÔNG", "BỘ KẾ HOẠCH VÀ ĐẦU TƯ", "BỆNH VIỆN", "CÔNG AN", "THANH TRA", "TRUNG TÂM", "PHÒNG", "CỤC", "CHI CỤC",
    # Ministries and central bodies (Government's organisation as of 2025), and the words of their
    # departments' names ("CỤC CẢNH SÁT ĐIỀU TRA TỘI PHẠM VỀ MA TÚY", each province's police has
    # its "PHÒNG CẢNH SÁT ĐIỀU TRA TỘI PHẠM VỀ …").
    "BỘ CÔNG AN", "BỘ QUỐC PHÒNG", "BỘ NGOẠI GIAO", "BỘ XÂY DỰNG", "BỘ CÔNG THƯƠNG", "BỘ GIÁO DỤC VÀ ĐÀO TẠO",
    "BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", "BỘ DÂN TỘC VÀ TÔN GIÁO", "NGÂN HÀNG NHÀ NƯỚC VIỆT NAM",
    "THANH TRA CHÍNH PHỦ", "VĂN PHÒNG CHÍNH PHỦ", "BẢO HIỂM XÃ HỘI VIỆT NAM", "KIỂM TOÁN NHÀ NƯỚC",
    "KHO BẠC NHÀ NƯỚC", "TỔNG CỤC", "CỤC THUẾ", "CHI CỤC THUẾ", "CỤC HẢI QUAN", "CẢNH SÁT", "ĐIỀU TRA",
    "TỘI PHẠM VỀ", "MA TÚY", "TRẬT TỰ XÃ HỘI", "AN NINH", "KINH TẾ", "CHỨC VỤ",
    "TỈNH", "THÀNH PHỐ", "HUYỆN", "QUẬN", "THỊ XÃ", "XÃ", "PHƯỜNG", "THỊ TRẤN", "CỔNG THÔNG TIN ĐIỆN TỬ",
    "AN GIANG", "BÀ RỊA - VŨNG TÀU", "BẮC GIANG", "BẮC KẠN", "BẠC LIÊU", "BẮC NINH", "BẾN TRE", "BÌNH ĐỊNH",
    "BÌNH DƯƠNG", "BÌNH PHƯỚC", "BÌNH THUẬN", "CÀ MAU", "CẦN THƠ", "CAO BẰNG", "ĐÀ NẴNG", "ĐẮK LẮK", "ĐẮK NÔNG",
    "ĐIỆN BIÊN", "ĐỒNG NAI", "ĐỒNG THÁP", "GIA LAI", "HÀ GIANG", "HÀ NAM", "HÀ NỘI", "HÀ TĨNH", "HẢI DƯƠNG",
    "HẢI PHÒNG", "HẬU GIANG", "HÒA BÌNH", "HƯNG YÊN", "KHÁNH HÒA", "KIÊN GIANG", "KON TUM", "LAI CHÂU",
    "LÂM ĐỒNG", "LẠNG SƠN", "LÀO CAI", "LONG AN", "NAM ĐỊNH", "NGHỆ AN", "NINH BÌNH", "NINH THUẬN", "PHÚ THỌ",
    "PHÚ YÊN", "QUẢNG BÌNH", "QUẢNG NAM", "QUẢNG NGÃI", "QUẢNG NINH", "QUẢNG TRỊ", "SÓC TRĂNG", "SƠN LA",
    "TÂY NINH", "THÁI BÌNH", "THÁI NGUYÊN", "THANH HÓA", "THỪA THIÊN HUẾ", "HUẾ", "TIỀN GIANG",
    "HỒ CHÍ MINH", "TRÀ VINH", "TUYÊN QUANG", "VĨNH LONG", "VĨNH PHÚC", "YÊN BÁI")
_PROVINCES = tuple(p for p in _ISSUER_PHRASES[_ISSUER_PHRASES.index("AN GIANG"):])
_CANON = sorted({*_ISSUER_PHRASES, *(f"{lv} {p}" for lv in ("TỈNH", "THÀNH PHỐ") for p in _PROVINCES)},
                key=lambda ph: -len(ph.split()))
_CANON_KEYS = [(ph, [fold(w).lower() for w in ph.split()]) for ph in _CANON]


def _near(a: str, b: str) -> bool:
    return a == b or len(b) >= 3 and _edit1(a, b)


def _issuer_match(keys: list[str], i: int) -> tuple[str, int] | None:
    """The known phrase read at ``keys[i:]`` and how many words it takes: an exact reading
    (marks aside) first, the longest; else the one phrase read with a letter wrong, a word glued
    or a word read twice; None when none or when two phrases fit equally."""
    for ph, pk in _CANON_KEYS:  # longest first
        if keys[i:i + len(pk)] == pk:
            return ph, len(pk)
    found: dict[str, int] = {}
    for ph, pk in _CANON_KEYS:
        n = len(pk)
        if n > 1 and keys[i] == "".join(pk):  # glued
            found.setdefault(ph, 1)
            continue
        win = keys[i:i + n]
        exact = sum(a == b for a, b in zip(win, pk, strict=False))
        if len(win) == n and n > 1 and exact >= (n + 1) // 2 and all(_near(a, b) for a, b in zip(win, pk, strict=True)):
            found.setdefault(ph, n)
            continue
        win = keys[i:i + n + 1]  # one word read twice inside the phrase
        if n > 1 and len(win) == n + 1 and _near(win[0], pk[0]) and _near(win[1], pk[0]) \
                and all(_near(a, b) for a, b in zip(win[2:], pk[1:], strict=True)):
            found.setdefault(ph, n + 1)
    if not found:
        return None
    longest = max(len(ph.split()) for ph in found)
    best = [ph for ph in found if len(ph.split()) == longest]
    return (best[0], found[best[0]]) if len(best) == 1 else None


def _repair_issuer(text: str) -> str:
    return _repair_issuer_checked(text)[0]


def _repair_issuer_checked(text: str) -> tuple[str, bool]:
    """Put an upper-case issuer line back to the issuers' vocabulary (see above): a known phrase
    read with a mark dropped or moved, a letter wrong in a word, two words glued, or a word read
    twice. Words outside every known phrase ("GIAO THÔNG VẬN TẢI") are left as read: the second
    value says whether every word was checked against the vocabulary (an OCR'd word that was
    not may carry a wrong mark nothing could catch: "TRUYÈN")."""
    checked = True
    words = text.split()
    keys = [fold(w).lower() for w in words]
    out: list[str] = []
    i = 0
    while i < len(words):
        hit = _issuer_match(keys, i) if words[i].isupper() else None
        if hit is None:
            out.append(words[i])
            checked = checked and not any(ch.isalpha() for ch in words[i])
            i += 1
            continue
        ph, n = hit
        canon = ph.split()
        if n == len(canon):  # keep the spelling printed where both exist ("UỶ"/"ỦY")
            canon = [w if w in ("ỦY", "UỶ") and c in ("ỦY", "UỶ") or same_wording(w, c) else c
                     for w, c in zip(words[i:i + n], canon, strict=True)]  # "MA TUÝ"/"MA TÚY" too
        out += canon
        i += n
    return " ".join(out), checked


_PROVINCE_KEYS = [(ph.title(), [fold(w).lower() for w in ph.split()]) for ph in _PROVINCES if " " in ph]


# The sexagenary year names ("Tết Nguyên đán Ất Tỵ"): a stem and a branch of the same parity
# (reference data: the calendar). OCR drops or swaps their marks ("Ất Ty"); the stem and the parity
# leave one branch ("Tý" is never paired with "Ất").
_STEMS = ("Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ", "Canh", "Tân", "Nhâm", "Quý")
_BRANCHES = ("Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi", "Thân", "Dậu", "Tuất", "Hợi")


def _year_name(stem: str, branch: str) -> tuple[str, str] | None:
    """The calendar's (stem, branch) that two capitalised words read with marks lost can only be."""
    if not (stem[:1].isupper() and branch[:1].isupper() and stem.isalpha() and branch.isalpha()):
        return None
    stems = [i for i, x in enumerate(_STEMS) if fold(x).lower() == fold(stem).lower()]
    if len(stems) != 1:
        return None
    fits = [b for i, b in enumerate(_BRANCHES) if i % 2 == stems[0] % 2 and fold(b).lower() == fold(branch).lower()]
    return (_STEMS[stems[0]], fits[0]) if len(fits) == 1 else None


def _repair_subject(text: str) -> str:
    """An OCR'd trích yếu: no stray signs before it, "Về việc" as printed at its start, and a
    province's name put back when OCR spoiled one of its letters ("Quảng Nøgãi")."""
    text = re.sub(r"^[^\wÀ-ỹ]+", "", text)
    text = re.sub(r"(?<=\w)[`´‘’'](?=[A-ZĐÀ-Ỹ])", " ", text)  # "Phó`Chủ": a speck read between two words
    # A speck read as a sign standing alone between two words ("Bến : Tre"); a dash ("2017 - 2018")
    # is printed so and kept.
    # A piece of the short rule under the trích yếu read into its last line ("PCMT -_ đến") is no
    # word either: a printed dash stands alone.
    words = [w for i, w in enumerate(text.split()) if (i == 0 or not re.fullmatch(r"[:;'`´‘’|.,]+", w))
             and not _RULE.fullmatch(w)]
    head = [fold(w).lower() for w in words[:2]]
    if len(head) == 2 and head[0] == "e" and head[1] == "viec":  # the "V" of "Về" lost to the margin
        words[:1] = ["Về"]
    if head and head[0] in ("veviec", "vaviec"):
        words[:1] = ["Về", "việc"]
    elif len(head) == 2 and head[0] in ("ve", "va") and head[1] == "viec":
        words[:2] = ["Về", "việc"]
    for i in range(len(words) - 1):
        tail = words[i + 1][len(words[i + 1].rstrip(",.;:")):]
        year = _year_name(words[i], words[i + 1].rstrip(",.;:"))
        if year is not None:
            words[i], words[i + 1] = year[0], year[1] + tail
    keys = [fold(w).lower().strip(",.;:") for w in words]
    for i in range(len(words) - 1):
        if not words[i][:1].isupper() or words[i].isupper():
            continue  # a name in a trích yếu is in title case, not "PHÙ hồ"
        windows = [(ph, pk, keys[i:i + len(pk)]) for ph, pk in _PROVINCE_KEYS]
        if any(win == pk for _ph, pk, win in windows):
            continue  # a province read right ("Kiên Giang") is not "repaired" into a near one (Tiền Giang)
        near = [(ph, pk, win) for ph, pk, win in windows
                if len(win) == len(pk) and all(_near(a, b) for a, b in zip(win, pk, strict=True))
                and sum(a == b for a, b in zip(win, pk, strict=True)) >= 1]
        if len(near) != 1:
            continue  # none, or several provinces as near: the words stay as read
        ph, pk, win = near[0]
        tail = words[i + len(pk) - 1][len(win[-1]):] if words[i + len(pk) - 1].endswith((",", ".", ";")) else ""
        words[i:i + len(pk)] = [*ph.split()[:-1], ph.split()[-1] + tail]
        keys[i:i + len(pk)] = pk
    # A ký hiệu cited in the trích yếu, cut by OCR beside a hyphen ("số 24/2013/NQ- HĐND",
    # "12/2011/NQ -HĐND"): a hyphen between two parts of a number/year/notation is printed
    # without spaces (Decree 30 App. I), so the parts are put back together.
    return _CITED_CODE_GAP.sub(r"\1-\2", " ".join(words))


_CITED_CODE_GAP = re.compile(r"(\b\d{1,5}/(?:\d{4}/)?[A-ZĐ][A-ZĐ0-9]{0,9}) ?- ?([A-ZĐ][A-Za-zĐđ0-9]{0,11}\b)")


def _core(word: str) -> str:
    return re.sub(r"^[^\w]+|[^\w]+$", "", word)


# Two-word collocations of administrative Vietnamese that are written one way only once their
# marks are set aside (no other pair of words folds to them): reference data for repair_marks,
# a word in one of them counting as two readings of the document. A pair whose folded form has
# another written form in use ("công tác"/"cộng tác", "cơ quan"/"cố quán") is not here.
_COLLOCATIONS = (
    "bổ sung", "trực tuyến", "đến năm", "triển khai", "thực hiện", "tổ chức", "quản lý", "kế hoạch",
    "hướng dẫn", "sửa đổi", "ban hành", "đầu tư", "dự án", "phê duyệt", "tăng cường", "nhà nước",
    "ngân sách", "xây dựng", "phát triển", "kinh tế", "xã hội", "giai đoạn", "thủ tục", "hành chính",
    "cải cách", "chuyển đổi", "dữ liệu", "điện tử", "thông tin", "truyền thông", "tài nguyên",
    "môi trường", "nông nghiệp", "nông thôn", "giáo dục", "đào tạo", "thi đua", "khen thưởng",
    "kỷ luật", "công chức", "viên chức", "biên chế", "tuyển dụng", "bổ nhiệm", "nhiệm vụ", "báo cáo",
    "kết quả", "đánh giá", "kiểm tra", "giám sát", "khiếu nại", "tố cáo", "đất đai", "bồi thường",
    "hỗ trợ", "tái định", "định cư", "mặt bằng", "quy hoạch", "dân số", "dịch bệnh", "ma túy",
    "phòng cháy", "chữa cháy", "quyết toán", "dự toán", "kinh phí", "mua sắm", "tài sản",
    "công trình", "sử dụng", "trên địa", "địa bàn", "ủy ban", "nhân dân", "hội đồng", "kỳ họp",
    "nghị quyết", "quyết định", "nghị định", "thông tư", "chỉ thị", "tờ trình", "công văn",
    "thông báo", "kết luận", "chương trình", "mục tiêu", "quốc gia", "văn bản", "quy phạm",
    "pháp luật", "thẩm định", "thẩm tra", "góp ý", "dự thảo", "ý kiến", "tiếp thu", "giải trình",
    "chính sách", "nguồn nhân", "nhân lực", "doanh nghiệp", "hợp tác", "đơn vị", "sự nghiệp",
    "công lập", "khắc phục", "hậu quả", "thiên tai", "phòng, chống", "dự trữ", "cấp cơ", "sáng kiến",
    "xử lý", "vi phạm", "an ninh", "trật tự", "an toàn", "giao thông", "vận tải", "y tế", "bảo hiểm",
    "lao động", "việc làm", "người dân", "thành lập", "giải thể", "sáp nhập", "kiện toàn",
)
_COLLOCATION_PAIRS: dict[tuple[str, str], tuple[str, str]] = {
    (fold(a), fold(b)): (a, b) for a, b in (c.replace(",", "").split() for c in _COLLOCATIONS)}


def repair_marks(text: str, context: str) -> str:
    """Words of an OCR'd line whose marks OCR slipped on ("lĩnh vục", "biến đối", "phố thông")
    put back as the same two words are written elsewhere in the document's OCR'd text: each word
    takes the form its neighbours' pairs vote for, when that form is seen at least twice and
    more often than the one read (the line's own reading counts too); a pair of _COLLOCATIONS
    votes as two readings."""
    from collections import Counter

    ctx = [c for c in (_core(w).lower() for w in context.split()) if c]
    keys = [fold(c) for c in ctx]
    at: dict[str, list[int]] = {}
    for k, key in enumerate(keys):
        at.setdefault(key, []).append(k)
    words = text.split()
    cores = [_core(w) for w in words]
    out = list(words)
    for i, core in enumerate(cores):
        if not core.isalpha():
            continue
        if i > 0 and _year_name(cores[i - 1], core) or i + 1 < len(cores) and _year_name(core, cores[i + 1]):
            continue  # a year's name: the calendar has put its marks (_repair_subject), not a vote
        # Each place in the text where the word stands beside one of its neighbours here votes
        # once (beside both, still once: the line's own reading is one reading).
        left = fold(cores[i - 1]) if i > 0 and cores[i - 1].isalpha() else None
        right = fold(cores[i + 1]) if i + 1 < len(words) and cores[i + 1].isalpha() else None
        votes: Counter[str] = Counter()
        for k in at.get(fold(core), []):
            if (k > 0 and keys[k - 1] == left) or (k + 1 < len(keys) and keys[k + 1] == right):
                votes[ctx[k]] += 1
        for pair, side in (((left or "", fold(core)), 1), ((fold(core), right or ""), 0)):
            written = _COLLOCATION_PAIRS.get(pair)  # "" is no word of a collocation
            if written is not None:  # as administrative Vietnamese writes it: two readings' weight
                votes[written[side]] += 2
                break
        if not votes:
            continue
        best, n = votes.most_common(1)[0]
        own = core.lower()
        if best != own and n >= 2 and n > votes.get(own, 0) and fold(best) == fold(own):
            fixed = "".join(c.upper() if o.isupper() else c for c, o in zip(best, core, strict=True)) \
                if len(best) == len(core) else (best[:1].upper() + best[1:] if core[:1].isupper() else best)
            out[i] = words[i].replace(core, fixed)
    return " ".join(out)


# A final consonant's last letter OCR cut off a bold, widely spaced header word and read as a
# word of its own, on the same line or the next ("TRƯỜN" / "G ĐẠI HỌC CON G THƯƠNG"): alone,
# "G" or "H" is never a word of an issuer's name.
_LONE_FINAL = ("G", "H")


def _completes(word: str, letter: str) -> bool:
    """``letter`` is the final "NG"/"NH"'s last letter cut off ``word`` ("TRƯỜN" + "G")."""
    return letter in _LONE_FINAL and word.isalpha() and word.endswith("N") and is_syllable(word + letter)


def _rejoin_split_finals(lines: list[str]) -> list[str]:
    """Each lone "G"/"H" put back on the word before it (that line's last word when it starts a
    line) when the two make the final NG or NH of one Vietnamese syllable; anything else is left
    as read."""
    out: list[list[str]] = []
    for ln in lines:
        words = ln.split()
        if not words:
            continue
        glued = bool(out) and _completes(out[-1][-1], words[0])
        kept = out[-1] if glued else []  # glued: the rest of this line goes on the line above
        for w in words:
            if kept and _completes(kept[-1], w):
                kept[-1] += w
            else:
                kept.append(w)
        if not glued:
            out.append(kept)
    return [" ".join(ws) for ws in out]


def _join_issuer(lines: list[str]) -> tuple[str | None, str | None]:
    """(issuer, parent) from the upper-case lines at the top left."""
    bodies: list[list[str]] = []
    for ln in _rejoin_split_finals(lines):
        lt = letters(ln) + " "
        if not bodies or lt.startswith(_BODY_WORDS):
            bodies.append([ln])
        else:
            bodies[-1].append(ln)
    names = [_repair_issuer(" ".join(" ".join(b).split())) for b in bodies]
    if not names:
        return None, None
    issuer = names[-1]
    parent = " ".join(names[:-1]) or None
    return issuer[:200], parent


_POSITION_WORDS = {"thu", "tuong", "chu", "tich", "giam", "doc", "truong", "pho", "bo", "uy", "vien",
                   "chanh", "van", "phong", "ky", "thay", "mat", "lenh", "quyen", "cuc", "so", "ban", "tong",
                   "thuong", "truc", "bi", "hoi", "dong", "nhan", "dan", "chinh", "phu", "tinh"}


_POSITION_PHRASES = (" chu tich ", " giam doc ", " van phong ", " truong ban ", " thu truong ", " bo truong ",
                     " uy ban ", " chinh phu ", " hoi dong ", " thu tuong ", " pho ", " uy vien ", " tong cuc ")


# Family names: nine Vietnamese in ten carry one of these (reference data).
_SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
             "Ngô", "Dương", "Lý", "Đào", "Đoàn", "Vương", "Trịnh", "Trương", "Lâm", "Phùng", "Mai", "Tô", "Hà",
             "Tạ", "Đinh", "Lương", "Lưu", "Cao", "Châu", "Thái", "Triệu", "Kiều", "Quách", "Tăng", "Từ",
             "Chu", "Nông", "Lò", "Hứa", "Diệp", "Mạc", "Thân", "Khổng", "Giang", "La", "Lại", "Tống", "Doãn")
_SURNAME_KEYS = {fold(n).lower(): n for n in _SURNAMES}


def _name_tokens(text: str) -> list[str]:
    """The words of an OCR'd line with letters, stray signs glued to their edges removed
    ("=Trấf" → "Trấf", "Phớc:" → "Phớc"), and trailing one-letter specks of the seal dropped."""
    words = [re.sub(r"^[^\w]+|[^\w]+$", "", w) for w in text.split()]
    words = [w for w in words if any(ch.isalpha() for ch in w)]
    while words and len(words[-1]) == 1:
        words.pop()
    return words


# Ranks and titles printed before a signer's name (police and army ranks on Bộ Công an and Bộ
# Quốc phòng documents, "BS." on a hospital's): not part of the name.
_RANKS = ("dai tuong", "thuong tuong", "trung tuong", "thieu tuong", "dai ta", "thuong ta", "trung ta",
          "thieu ta", "dai uy", "thuong uy", "trung uy", "thieu uy", "bs", "ts", "ths", "ks", "ls", "gs ts",
          "pgs ts", "bac si", "tien si", "thac si")


def rank_words(words: list[str]) -> int:
    """How many of the first ``words`` are a rank or title ("Thiếu tướng", "Đại tá", "BS."); 0 if none."""
    folded = [letters(w) for w in words[:2]]
    for n in (2, 1):
        if len(folded) >= n and " ".join(folded[:n]) in _RANKS:
            return n
    return 0


def _clipped_surname(token: str) -> str | None:
    """The family name whose end is the end of ``token`` (3 letters or more), when only one fits:
    the seal hid the start of the name and OCR glued its strokes on ("sNWDỦyen" → "Nguyễn";
    "inh" fits both Trịnh and Đinh: None)."""
    key = fold(token).lower()
    for n in range(min(len(key), 6), 2, -1):
        tail = key[-n:]
        if not tail.isalpha() or not tail.isascii():
            break
        fits = {v for kk, v in _SURNAME_KEYS.items() if kk.endswith(tail) and kk != tail}
        if len(fits) == 1:
            return fits.pop()
    return None


def ocr_person_name(text: str) -> str | None:
    """A signer's name as OCR read it, repaired: a rank or title before it dropped ("Thiếu tướng",
    "BS."), words before the family name dropped (seal and signature strokes read as letters), a
    family name with one letter wrong put back ("Âguyên" → "Nguyễn"), or one the seal clipped
    whose end only one family name has ("sNWDỦyen Hòa Bình" → "Nguyễn Hòa Bình"). None unless it
    starts with a known family name."""
    words = _name_tokens(text)
    for k in range(min(3, len(words))):
        if (r := rank_words(words[k:])) and len(words) - k - r >= 2:
            words = words[k + r:]  # "Đại tá Nguyễn Văn …": "Đại" is not the name's first word
            break
    for k, w in enumerate(words[:3]):
        key = fold(w).lower()
        # A family name read with a letter wrong is put back only at the start of the line, or when
        # long: after seal noise, a given name one letter from a family name is more likely
        # ("Minh" is not "Đinh", "Hồng" not "Hoàng").
        hit = _SURNAME_KEYS.get(key) or next((v for kk, v in _SURNAME_KEYS.items()
                                              if min(len(kk), len(key)) >= (4 if k == 0 else 5)
                                              and _edit1(key, kk)), None)
        if not w[:1].isupper():  # "Giới tính: Nam" holds no name
            hit = None
        if k and fold(words[k - 1]).lower() in ("thi", "van"):
            hit = None  # after "Thị" or "Văn" a family name is a given name ("… Thị Lệ Hảo" is not "Lê Hảo")
        if sum(1 for x in words[k + 1:] if fold(x).lower() in _POSITION_WORDS) >= 2 \
                or any(p in f" {letters(' '.join(words[k:]))} " for p in _POSITION_PHRASES):
            hit = None  # "PHÓ CHỦ TỊCH" read "HỒ CHỦ TỊCH" is a position, not a name
        if hit and 2 <= len(words) - k <= 4 and not (k and w.isupper()):  # a heading is not a name
            rest = words[k + 1:]
            if all(_NAME_WORD.match(x) and x[1:].islower() for x in rest) and not w.isupper() \
                    or all(_UPPER_NAME_WORD.match(x) for x in rest) and w.isupper():
                return " ".join([hit if not w.isupper() else hit.upper(), *map(one_tone, rest)])
    # No family name read: the last two or three words are a name's (title case) and the word
    # before them ends like one family name only.
    for n in (3, 2):
        if len(words) > n and all(_NAME_WORD.match(x) and x[1:].islower() for x in words[-n:]) \
                and not any(p in f" {letters(' '.join(words[-n:]))} " for p in _POSITION_PHRASES) \
                and fold(words[-n]).lower() not in _SURNAME_KEYS and (hit := _clipped_surname(words[-n - 1])):
            return " ".join([hit, *map(one_tone, words[-n:])])
    return None


def names_in_text(text: str) -> list[str]:
    """People's names written in a document's text ("PTTg Hồ Đức Phớc", "ông Trần Ngọc Vinh"): a
    known family name (OCR slips of one letter repaired) followed by one to three title-case
    words. The signer's name is often among them (the recipients list names the deputy who
    signs); see :func:`complete_name`."""
    out: list[str] = []
    for line in text.splitlines():
        words = [re.sub(r"^[^\w]+|[^\w]+$", "", w) for w in line.split()]
        taken = 0  # words already part of a name ("Mai Thị …": "Thị" starts no other name)
        for k, w in enumerate(words):
            key = fold(w).lower()
            if k < taken or not w[:1].isupper() or w.isupper() and len(w) > 1:
                continue
            hit = _SURNAME_KEYS.get(key) or next((v for kk, v in _SURNAME_KEYS.items()
                                                  if len(kk) >= 4 and _edit1(key, kk)), None)
            if hit is None:
                continue
            rest: list[str] = []
            for x in words[k + 1:k + 4]:
                if not (_NAME_WORD.match(x) and x[1:].islower()):
                    break
                rest.append(x)
            if rest:
                out.append(" ".join([hit, *rest]))
                taken = k + 1 + len(rest)
    return list(dict.fromkeys(out))


def _word_fits(read: str, known: str, *, clipped: bool) -> bool:
    """A word of a name as OCR read it fits the word known from the document's text: the same
    letters (marks aside), one letter wrong (3 letters or more), or, for the first word read,
    the end of the known word (the seal hid its start: "ức" for "Đức")."""
    a, b = fold(read).lower(), fold(known).lower()
    if a == b or len(b) >= 3 and _edit1(a, b):
        return True
    return clipped and len(a) >= 2 and b.endswith(a)


def complete_name(read: str, candidates: list[str]) -> str | None:
    """The one name of ``candidates`` (names written elsewhere in the document) whose last two
    words or more are what OCR read under the signature ("ö Đức Đức Phớc Phó", "ức Phốớc") — the
    seal covers the start of the name or spoils its marks. None when none or several fit."""
    words = _name_tokens(read)
    found: set[str] = set()
    for cand in candidates:
        cw = cand.split()
        for n in range(len(cw), 1, -1):
            tail = cw[-n:]
            # Two words or more, at least 5 of their letters read (a name's last two syllables;
            # a single syllable would fit too many names).
            if any(all(_word_fits(words[i + j], tail[j], clipped=j == 0 and (i > 0 or n < len(cw)))
                       for j in range(n)) and sum(len(fold(words[i + j])) for j in range(n)) >= 5
                   for i in range(len(words) - n + 1)):
                found.add(cand)
                break
    if len({fold(c).lower() for c in found}) != 1:
        return None
    return max(found, key=lambda c: (all(map(_tone_ok, c.split())), len(c)))


def _is_person_name(text: str) -> bool:
    if "." in text or any(ch.isdigit() for ch in text):
        return False
    words = text.split()
    if not 2 <= len(words) <= 5:
        return False
    folded = letters(text)
    if all(_NAME_WORD.match(w) for w in words):
        # "Hồ Văn Chính", "Lê Văn Phòng": name syllables are also position words; only a whole
        # position phrase in title case ("Chánh Văn Phòng") is not a name.
        return not any(p in f" {folded} " for p in _POSITION_PHRASES)
    if sum(1 for w in folded.split() if w in _POSITION_WORDS) >= 2:
        return False
    # An upper-case name must start with a family name: headings ("QUY ĐỊNH CHUNG") are upper case
    # too, and a type's title is none ("TỜ TRÌNH": Tô is a family name).
    if (hit := type_of_line(text)) is not None and hit[1]:
        return False
    return all(_UPPER_NAME_WORD.match(w) for w in words) and not letters(text).startswith(_BODY_WORDS) \
        and fold(words[0]).lower() in _SURNAME_KEYS


def read_first_page(page: PageLayout, r: ReadResult) -> None:
    stamps = _incoming_stamps(page)
    page = _without_stamps(page)
    W = page.width
    segs = [s for s in page.segments if s.text.strip()]
    # Text drawn by a publisher's signature (the portal's "Người ký: … / Thời gian ký") at the very top.
    publisher = [s for s in segs if _source(s) == APPEARANCE and letters(s.text).startswith(
        ("nguoi ky", "email", "co quan", "thoi gian ky", "ky boi", "ngay ky"))]
    segs = [s for s in segs if s not in publisher]
    if not segs:
        return
    motto = [s for s in segs if _is_motto(s)]
    motto_y = min((s.y0 for s in motto), default=None)
    top = motto_y if motto_y is not None else min(s.y0 for s in segs)
    # Header zone: down to the type name / Kính gửi / first body line.
    type_seg: Segment | None = None
    type_code: str | None = None
    type_exact = False
    body_y = page.height
    for s in segs:
        if s.y0 < top - 5:
            continue
        lt = letters(s.text)
        if lt.startswith(("can cu", "kinh gui")) and s.y0 > top:
            body_y = min(body_y, s.y0)
            break
    for s in segs:
        if s.y0 > body_y or s.y0 < top - 5 or _is_motto(s):
            continue
        centred = abs(s.cx - W / 2) < 0.16 * W
        found = type_of_line(s.text)
        if found and (centred or s.x0 > 0.2 * W) and _upper_ratio(s.text) > 0.6:
            type_seg, (type_code, type_exact) = s, found
            break
    header_end = type_seg.y0 if type_seg else body_y
    # Số, ký hiệu: the first "Số:" line in the left half of the header.
    number_seg = None
    for s in segs:
        if s.y0 >= header_end or s.cx > 0.55 * W:
            continue
        if _SO_PREFIX.match(s.text) and len(letters(s.text).split()) <= 6:
            row = [x for x in segs if abs(x.y0 - s.y0) < 0.6 * s.height and x.x0 >= s.x0 and x.cx < 0.55 * W]
            if "/" in " ".join(x.text for x in row):
                number_seg = s
                break
    if number_seg is not None:
        # A number drawn by a signature appearance may sit just right of "Số:" as its own segment.
        row = [s for s in segs if s is not number_seg and abs(s.y0 - number_seg.y0) < 0.6 * number_seg.height
               and s.x0 >= number_seg.x0 and s.cx < 0.55 * W]
        text = " ".join(x.text for x in sorted([number_seg, *row], key=lambda x: x.x0))
        number, notation, clean = parse_code(text)
        src = APPEARANCE if any(APPEARANCE in x.sources for x in [number_seg, *row]) else _source(number_seg)
        conf = 0.95 if clean else 0.6
        if src == OCR:
            digit_conf = min((w.conf for w in number_seg.words if any(ch.isdigit() for ch in w.text)),
                             default=0.0) / 100
            conf = min(conf, 0.55 + 0.4 * digit_conf) if clean else 0.5
        r.set("number", number, conf if number else 0.3, src)
        notation_ok = bool(notation and _NOTATION_OK.match(notation))
        if number or not notation_ok:
            r.set("notation", notation, conf, src)
        else:  # a blank number ("Số:      /UBND-VX"): the printed notation is still sure
            r.set("notation", notation, 0.9 if src != OCR else min(0.85, 0.45 + 0.5 * _seg_conf(number_seg)), src)
        row_all = [number_seg, *row]
        r.boxes["number"] = (min(x.x0 for x in row_all), min(x.y0 for x in row_all),
                             max(x.x1 for x in row_all), max(x.y1 for x in row_all))
        digits = _number_digits_box([w for x in sorted(row_all, key=lambda x: x.x0) for w in x.words])
        if digits is not None:
            r.boxes["number_digits"], r.boxes["notation_start"] = digits
    # Issuer: upper-case lines at the top left, above the number line.
    limit_y = number_seg.y0 if number_seg is not None else header_end
    issuer_lines = []
    for s in segs:
        if s.y0 >= limit_y - 1 or s.cx > 0.5 * W or _is_motto(s) or APPEARANCE in s.sources:
            continue
        t = s.text.strip()
        if re.fullmatch(r"[-_=.–—\s*]+", t) or _upper_ratio(t) < 0.7 or len(letters(t)) < 2 \
                or _SO_PREFIX.match(t) and any(ch.isdigit() or ch == "/" for ch in t) or "/" in t:
            continue
        if number_seg is not None and s.y1 < limit_y - 8 * number_seg.height:
            continue
        issuer_lines.append(s)
    if issuer_lines:
        rows: list[list[Segment]] = []
        for s in issuer_lines:  # a line the OCR split at a wide letter-spacing gap is one line
            if rows and abs(s.y0 - rows[-1][0].y0) < 0.6 * s.height:
                rows[-1].append(s)
            else:
                rows.append([s])
        texts = [" ".join(x.text.strip() for x in sorted(row, key=lambda x: x.x0)) for row in rows]
        issuer, parent = _join_issuer(texts)
        src = _source(issuer_lines[0])
        conf = 0.9 if src != OCR else min(0.9, 0.5 + 0.45 * min(_seg_conf(s) for s in issuer_lines))
        if issuer and not letters(issuer).startswith(_BODY_WORDS) or not _syllables_ok(issuer or ""):
            conf = min(conf, 0.7)
        unchecked = src == OCR and bool(issuer) and not _repair_issuer_checked(issuer or "")[1]
        if unchecked:
            conf = min(conf, 0.7)  # a word no vocabulary could check: its marks may be wrong
        if issuer and _LEVEL_BEFORE_BODY.search(letters(issuer)):
            conf = min(conf, 0.6)  # "TỈNH ỦY BAN NHÂN DÂN": OCR put a line's words out of order
        nf = r.fields.get("notation")
        if unchecked and issuer and nf is not None and nf.value:
            issuer = issuer_by_notation(issuer, nf.value) or issuer  # still the clerk's to check (0.7)
        r.set("issuer_name", issuer, conf, src)
        r.parent_issuer = parent
        fixed = repair_notation(nf.value, issuer) if nf is not None and nf.value and nf.source == OCR else None
        if nf is not None and fixed:  # repaired, not read: the clerk checks it
            r.fields["notation"] = FieldValue(fixed, min(nf.confidence, 0.6), nf.source)
    # Place and date: right half of the header, under the motto.
    date_limit = min(header_end, body_y) - 0.5
    for s in segs:
        if s.y0 >= date_limit or s.cx < 0.45 * W or s.x0 < 0.3 * W or s.y0 > 0.4 * page.height:
            continue
        row = [x for x in segs if abs(x.y0 - s.y0) < 0.6 * s.height and x.cx >= 0.4 * W
               and any(ch.isalnum() for ch in x.text)]
        text = " ".join(x.text for x in sorted(row, key=lambda x: x.x0))
        d, place, clean = parse_date(text)
        if d is None:
            continue
        src = APPEARANCE if any(APPEARANCE in x.sources for x in row) else _source(s)
        conf = 0.95 if clean else 0.6
        if src == OCR:
            conf = min(conf, 0.5 + 0.45 * min(_seg_conf(x) for x in row)) if clean else 0.5
        r.set("issued_date", d, conf, src)
        r.boxes["issued_date"] = (min(x.x0 for x in row), min(x.y0 for x in row),
                                  max(x.x1 for x in row), max(x.y1 for x in row))
        if place:
            r.set("place", place[:100], conf, src)
        break
    if "issued_date" not in r.fields:
        # Not in its place (a page not laid out by Decree 30): a date line elsewhere in the
        # header, never in the body, and only as a suggestion to check.
        for s in segs:
            if s.y0 >= date_limit or s.y0 > 0.4 * page.height or _is_motto(s):
                continue
            d, place, _clean = parse_date(s.text)
            if d is not None and re.match(r"^\s*[^\d,]{2,40},\s*ngay", fold(s.text)):
                r.set("issued_date", d, 0.6, _source(s))
                if place:
                    r.set("place", place[:100], 0.6, _source(s))
                break
    # Type and trích yếu.
    nf = r.fields.get("notation")
    if type_seg is not None and type_code and nf is not None and nf.value and nf.source == OCR:
        fixed = repair_type_part(nf.value, type_code)
        if fixed:  # repaired, not read: the clerk checks it
            r.fields["notation"] = FieldValue(fixed, min(nf.confidence, 0.6), nf.source)
    notation_type = type_from_notation(r.get("notation"))
    if type_seg is not None and type_code:
        code = type_code
        if r.get("notation") and "VBHN" in (r.get("notation") or "").upper():
            code = "VBHN"
        agree = notation_type in (None, code) or notation_type == "VBHN"
        base = 0.95 if type_exact else 0.85
        if not agree:
            base = 0.6
        r.set("doc_type", code, base if _source(type_seg) != OCR else min(base, 0.92), _source(type_seg))
        subject_lines = _subject_after(segs, type_seg, page)
        if subject_lines:
            subject = _no_full_stop(" ".join(" ".join(s.text for s in subject_lines).split()))
            # "V/v" (về việc) under a type name is read as in a công văn: the trích yếu follows it.
            subject = re.sub(r"^\s*[Vv]\s*/\s*[Vv]\s*:?\s*", "", subject)
            src = _source(subject_lines[0])
            if src == OCR:
                subject = _repair_subject(subject)
            conf = 0.9 if src != OCR else min(0.9, 0.45 + 0.5 * _min_word_conf(subject_lines) ** 2)
            if src == OCR and (not _syllables_ok(subject) or not all(_tone_ok(w) for w in subject.split())):
                conf = min(conf, 0.6)
            if any(y0 <= (s.y0 + s.y1) / 2 <= y1 and s.x0 <= x1 + 4 * s.height
                   for s in subject_lines for x0, y0, x1, y1 in stamps):
                conf = min(conf, 0.6)  # a stamp beside the trích yếu may have hidden its first words
            r.set("subject", subject[:500], conf, src)
            r.boxes["subject"] = _box_of(subject_lines)
    else:
        # Công văn: "V/v …" under the number, in the left column.
        vv = [s for s in segs if s.y0 >= (number_seg.y1 - 1 if number_seg else top) and s.y0 < body_y
              and s.cx < 0.55 * W and re.match(r"^\s*(v\s*/\s*v\b|v\s*/\s+\w|ve viec\b)", fold(s.text))]
        if vv:
            lines = [_left_column(vv[0], W)]
            if abs(vv[0].cx - W / 2) < 0.1 * W and vv[0].x0 > 0.2 * W:
                # A "Về việc" line centred under the type name's place: a titled document whose
                # title OCR lost (a seal, a stamp over it); its trích yếu is read as one.
                lines += _subject_after(segs, vv[0], page)
            else:
                for s in segs:
                    if s.y0 <= lines[-1].y0 or s.cx > 0.55 * W or s.y0 >= body_y:
                        continue
                    if s.y0 - lines[-1].y1 > 1.2 * lines[-1].height or _starts_body(s.text):
                        break
                    if s.x0 > lines[0].x1 or s.x1 < lines[0].x0:
                        continue
                    lines.append(_left_column(s, W))
            subject = " ".join(" ".join(s.text for s in lines).split())
            # "V/v", or "V/" when OCR lost the second "v" (never a word's first letter).
            subject = _no_full_stop(re.sub(r"^\s*[Vv]\s*/\s*(?:[Vv](?!\w))?\s*:?\s*", "", subject))
            src = _source(lines[0])
            if src == OCR:
                subject = _repair_subject(subject)
            conf = 0.9 if src != OCR else min(0.9, 0.45 + 0.5 * _min_word_conf(lines) ** 2)
            if src == OCR and (not _syllables_ok(subject) or not all(_tone_ok(w) for w in subject.split())):
                conf = min(conf, 0.6)
            r.set("subject", subject[:500], conf, src)
            r.boxes["subject"] = _box_of(lines)
            # A công văn's ký hiệu names no type ("UBND-VX"): one that does ("QĐ-TTg") is that type,
            # whose type name OCR lost (a seal over it); the "Về việc" line is then its trích yếu.
            r.set("doc_type", notation_type or "CV", 0.9 if notation_type is None else 0.6, src)
        elif notation_type:
            r.set("doc_type", notation_type, 0.7, _source(number_seg) if number_seg else TEXT)
        elif number_seg is not None:
            r.set("doc_type", "CV", 0.5, _source(number_seg))


def _left_column(seg: Segment, W: float) -> Segment:
    """The words of a line of the left column: OCR joins the right column's line on the same row
    ("… hồ sơ, tài Hà Nội, ngà") when the gap between the columns is narrow. A gap wider than
    twice the line's height, before a word in the page's right half, parts the columns (words of
    one line are less than one height apart); so does the start of the place and date line
    ("Hà Nội, ngày …") in the page's right half, however narrow the gap."""
    ws = sorted(seg.words, key=lambda w: w.x0)
    for k in range(1, len(ws)):
        if ws[k].x0 <= 0.45 * W:
            continue
        rest = " ".join(w.text for w in ws[k:k + 5])
        if ws[k].x0 - ws[k - 1].x1 > 2 * seg.height or ws[k].text[:1].isupper() and \
                re.match(r"^[a-z]+( [a-z]+){0,3}, ?ng", fold(rest).lower()):
            return Segment(ws[:k])
    return seg


def _box_of(segs: list[Segment]) -> tuple[float, float, float, float]:
    return min(x.x0 for x in segs), min(x.y0 for x in segs), max(x.x1 for x in segs), max(x.y1 for x in segs)


def _no_full_stop(subject: str) -> str:
    """A trích yếu is a title: it never ends with a full stop (Decree 30 App. I); one printed or
    read there (a speck OCR took for "."), and the spaces before it, are dropped. An ellipsis
    ("…", "...") is kept: it is part of what was printed."""
    if subject.endswith(".") and not subject.endswith(".."):
        return subject[:-1].rstrip()
    return subject


# A level word ("TỈNH", "HUYỆN", "XÃ" …) is followed by a place's name, never by a body's: an
# issuer read so has its lines' words out of order (qngai-660tb in the held-out set: "TỈNH" of
# the second line read into the first, "TỈNH ỦY BAN NHÂN DÂN", the rest of the line lost).
_LEVEL_BEFORE_BODY = re.compile(
    r"\b(?:tinh|huyen|xa|thanh pho|quan|phuong|thi xa|thi tran) (?:uy ban nhan dan|hoi dong nhan dan)\b")


def _starts_body(text: str) -> bool:
    """A line that begins the body, not one more line of the trích yếu. A trích yếu running on
    over a date starts its line with "ngày" in lower case ("… Nghị quyết số 27/2017/NQ-HĐND /
    ngày 12/12/2017 của …", the held-out set); a body sentence starts with a capital ("Ngày …")."""
    if text.lstrip().startswith("ngày "):
        return False
    return letters(text).startswith(_BODY_START)


def _subject_after(segs: list[Segment], type_seg: Segment, page: PageLayout) -> list[Segment]:
    W = page.width
    out: list[Segment] = []
    last = type_seg
    for s in segs:
        if s.y0 <= type_seg.y0 + 0.5 * type_seg.height or s is type_seg:
            continue
        if abs(s.y0 - last.y0) < 0.5 * last.height and out:
            continue  # a second segment on the same row (a stamp beside the subject)
        gap = s.y0 - last.y1
        lt = letters(s.text)
        if gap > 1.6 * max(last.height, s.height) + 2:
            break
        if _starts_body(s.text) or (not out and letters(s.text).startswith("ngay ")) \
                or re.fullmatch(r"[-_=.–—\s*]+", s.text.strip()):
            break
        if not (abs(s.cx - W / 2) < 0.2 * W):
            break
        if out and _upper_ratio(s.text) > 0.8 and _upper_ratio(out[-1].text) < 0.8 and (
                lt.startswith(_BODY_WORDS) or any(a in lt for a in _AUTHORITIES)):
            break  # the authority line ("ỦY BAN NHÂN DÂN TỈNH …") under the trích yếu
        out.append(s)
        last = s
    return out


def _join_rows(segs: list[Segment]) -> list[Segment]:
    """Segments of one row of the signature block joined again: OCR splits a name written in
    a larger or bolder face than its last word ("Phạm Minh" | "Chính") at the size change."""
    out: list[Segment] = []
    for s in sorted(segs, key=lambda x: (x.y0, x.x0)):
        row = next((o for o in out if abs((o.y0 + o.y1) / 2 - (s.y0 + s.y1) / 2) < 0.5 * max(o.height, s.height)
                    and 0 <= s.x0 - o.x1 < 1.5 * max(o.height, s.height)), None)
        if row is None:
            out.append(s)
        else:
            out[out.index(row)] = Segment([*row.words, *s.words])
    return out


def read_signer(page: PageLayout, r: ReadResult, *, anchored: bool = False) -> None:
    """Competence, position and name at the bottom right of the last page (``anchored``: only
    when "Nơi nhận" or a competence marks the block: the first page of a longer document)."""
    W = page.width
    segs = [s for s in page.segments if s.text.strip()]
    nn = [s for s in segs if letters(s.text).startswith("noi nhan")]
    comps = [s for s in segs if s.cx > 0.5 * W and _COMPETENCE.match(fold(s.text).strip())]
    anchors = [s.y0 - 3 * s.height for s in nn[-1:]] + [s.y0 - 0.5 * s.height for s in comps[-1:]]
    if anchored and not anchors:
        return
    start = min(anchors) if anchors else page.height * 0.45
    block = _join_rows([s for s in segs if s.y0 >= start and s.x0 > 0.4 * W and s.cx > 0.5 * W
                        and _source(s) != APPEARANCE])
    if not block:
        return
    comp = next((s for s in block if _COMPETENCE.match(fold(s.text).strip())), None)
    names = [s for s in block if _is_person_name(s.text.strip()) and s is not comp]
    if comp is not None:
        r.signer_competence = " ".join(comp.text.split())[:50]
    if comp is not None:
        after = [s for s in block if s.y0 > comp.y0 and s not in names and _upper_ratio(s.text) > 0.8
                 and len(letters(s.text)) > 3]
        if after:
            pos = " ".join(after[0].text.split())
            r.set("signer_position", pos[:100], 0.85 if _source(after[0]) != OCR else 0.7, _source(after[0]))
        elif comp is not None:
            r.set("signer_position", re.sub(r"^\S+\s*", "", " ".join(comp.text.split()))[:100], 0.7,
                  _source(comp))
    if not names:
        names = [s for s in block if _source(s) == OCR and s is not comp and ocr_person_name(s.text)]
    if names:
        name = names[-1]
        text = " ".join(name.text.split())
        conf = 0.9 if _source(name) != OCR else min(0.85, 0.4 + 0.5 * _seg_conf(name))
        if _source(name) == OCR:
            fixed = ocr_person_name(text)
            if fixed is None or fixed != text or not _syllables_ok(text) or not all(map(_tone_ok, text.split())):
                conf = min(conf, 0.6)
            if len(text.split()) < 3:  # most names have three words or more: a part may be hidden
                conf = min(conf, 0.7)
            text = fixed or text
        r.set("signer_name", text[:50], conf, _source(name))


def read_appearances(pages: list[PageLayout], r: ReadResult) -> None:
    """ "Ký bởi: …" / "Người ký: …" in signature appearances: a person's name is a signer candidate."""
    for page in pages:
        for s in page.segments:
            if APPEARANCE not in s.sources:
                continue
            m = re.match(r"^\s*(Ký bởi|Người ký|Signed by)\s*:\s*(.+)$", s.text, re.I)
            if m and _is_person_name(m.group(2).strip()):
                r.set("signer_name", m.group(2).strip()[:50], 0.75, APPEARANCE)


def read_certificates(path: Path, r: ReadResult) -> list[dict[str, str]]:
    """Signer and organisation from the signing certificates (pyHanko); never raises."""
    out: list[dict[str, str]] = []
    try:
        from pyhanko.pdf_utils.reader import PdfFileReader

        with open(path, "rb") as f:
            reader = PdfFileReader(f, strict=False)
            for sig in reader.embedded_signatures:
                cert = sig.signer_cert
                if cert is None:
                    continue
                subj = cert.subject.native
                out.append({"cn": str(subj.get("common_name", "")),
                            "o": str(subj.get("organization_name", ""))})
    except Exception:  # a damaged signature must not stop the import
        return out
    current = r.fields.get("signer_name")
    for c in out:
        cn = c["cn"].strip()
        if not cn or not _is_person_name(cn):
            continue
        if current and fold(current.value) == fold(cn):
            current.confidence = max(current.confidence, 0.95)
            current.source = current.source if current.source != OCR else CERTIFICATE
            break
        if current is None:
            r.set("signer_name", cn[:50], 0.7, CERTIFICATE)
    return out


def read_layouts(first: PageLayout, last: PageLayout | None, *, kind: str) -> ReadResult:
    r = ReadResult(kind=kind, legacy_encoding=first.legacy_encoding)
    read_first_page(first, r)
    read_signer(last or first, r)
    if last is not None and last is not first and "signer_name" not in r.fields:
        read_signer(first, r, anchored=True)
    read_appearances([p for p in (first, last) if p is not None], r)
    return r


def describe_type(code: str | None) -> str:
    t = DOC_TYPES_BY_CODE.get(code or "")
    return t.name if t else (code or "")


# Second read of an OCR'd trích yếu (docread._subject_second_read): its lines are OCR'd again at a
# higher resolution, and a word the first read took badly ("vôn", "Kỷ Mật") is replaced by the one
# the second read sees clearly ("vốn", "kỷ luật"). Calibrated on the 36 labelled scans
# (tests/data/real, bench/data/reading_more.toml): the words the second read saw at 90 or more and
# at least 10 points above the first read (margins 14 to 37) were all right (4 words in 3 trích
# yếu); none was replaced wrongly with a margin down to 0. The trích yếu stays unsure either way.
SUBJECT_REREAD_CONF = 90.0
SUBJECT_REREAD_MARGIN = 10.0


def merge_subject_reads(subject: str, first: list[tuple[str, float]],
                        second: list[tuple[str, float]]) -> tuple[str, int, int]:
    """The trích yếu with the words the second read sees much more clearly put in; also how many
    words were replaced and how many the two reads disagree on (``first``, ``second``: the
    words read in the trích yếu's lines and their OCR confidence)."""
    import difflib

    seen: dict[str, float] = {}
    for t, c in first:
        seen.setdefault(t, c)
    words = subject.split()
    theirs = [t for t, _ in second]
    conf2 = [c for _, c in second]
    a = [fold(_core(w)).lower() for w in words]
    b = [fold(_core(w)).lower() for w in theirs]
    out = list(words)
    replaced = disagree = 0
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op not in ("equal", "replace") or i2 - i1 != j2 - j1:
            if op == "replace":
                disagree += max(i2 - i1, j2 - j1)
            continue
        for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
            mine, other = _core(words[i]), _core(theirs[j])
            if mine == other or not mine.isalpha() or not other.isalpha():
                continue
            if op == "replace" and not _edit2(a[i], b[j]):
                disagree += 1
                continue
            disagree += 1
            if conf2[j] >= SUBJECT_REREAD_CONF and conf2[j] >= seen.get(words[i], 100.0) + SUBJECT_REREAD_MARGIN \
                    and _tone_ok(other):
                fixed = other if mine[:1].isupper() == other[:1].isupper() else \
                    (other[:1].upper() + other[1:] if mine[:1].isupper() else other[:1].lower() + other[1:])
                out[i] = words[i].replace(mine, fixed)
                replaced += 1
    return " ".join(out), replaced, disagree


def _edit2(a: str, b: str) -> bool:
    """At most two single-letter edits apart (a word OCR misread, not another word)."""
    import difflib

    if abs(len(a) - len(b)) > 2:
        return False
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return sum(max(i2 - i1, j2 - j1) for op, i1, i2, j1, j2 in sm.get_opcodes() if op != "equal") <= 2
