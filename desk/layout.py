"""Words with their positions on the page, from a PDF's text layer or from OCR.

Decree 30 fixes where each part of a document sits on the page (App. I), so the
metadata reader works on positioned words, not on the text stream (whose order
differs between producers and mixes the two header columns). This module turns
a page into *segments*: runs of words on one text line with no wide gap between
them, so the left and right header columns become separate segments.

Sources:
* the PDF's text layer through pdfium, after flattening the page's annotations
  into it, so the text drawn inside signature appearances (the number and the
  date a signing service writes into the clerk's fields, "Ký bởi: …") is read in
  its place; words inside a signature widget are marked ``appearance``;
* Tesseract's TSV output for scans (word boxes and word confidences).

Coordinates are PDF points with the origin at the top left of the page.
"""

from __future__ import annotations

import statistics
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from desk.legacy import convert_words_if_legacy

TEXT = "text"  # the PDF's text layer
APPEARANCE = "appearance"  # text drawn inside a signature widget
OCR = "ocr"


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    source: str = TEXT
    conf: float = 100.0  # OCR confidence 0–100; 100 for the text layer
    bold: bool = False

    @property
    def height(self) -> float:
        return max(0.1, self.y1 - self.y0)


@dataclass(slots=True)
class Segment:
    """Words on one line with no wide gap between them."""

    words: list[Word]
    text: str = ""
    x0: float = 0.0
    y0: float = 0.0
    x1: float = 0.0
    y1: float = 0.0

    def __post_init__(self) -> None:
        self.words.sort(key=lambda w: w.x0)
        self.text = " ".join(w.text for w in self.words)
        self.x0 = min(w.x0 for w in self.words)
        self.x1 = max(w.x1 for w in self.words)
        self.y0 = min(w.y0 for w in self.words)
        self.y1 = max(w.y1 for w in self.words)

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def height(self) -> float:
        return statistics.median(w.height for w in self.words)

    @property
    def sources(self) -> set[str]:
        return {w.source for w in self.words}

    @property
    def min_conf(self) -> float:
        return min(w.conf for w in self.words)

    @property
    def bold(self) -> bool:
        return all(w.bold for w in self.words)


@dataclass
class PageLayout:
    width: float
    height: float
    segments: list[Segment] = field(default_factory=list)
    source: str = TEXT  # TEXT or OCR
    legacy_encoding: str | None = None  # "TCVN3" / "VNI" when converted

    @property
    def text(self) -> str:
        return "\n".join(s.text for s in self.segments)

    def char_count(self) -> int:
        return sum(len(w.text) for s in self.segments for w in s.words if w.source == TEXT)

    def garbled(self) -> bool:
        """The text layer is not Vietnamese text (a scanning app's OCR layer with a broken font
        encoding, desk.vnscore): the page is read as an image. Legacy encodings were converted
        before (pdf_layouts), so they are not garbled."""
        from desk.vnscore import score_words

        return self.source == TEXT and score_words(
            (w.text for s in self.segments for w in s.words if w.source == TEXT),
            any_case=self.legacy_encoding == "TCVN3").garbled

    def without_text_layer(self) -> PageLayout:
        """The page with its text layer's words dropped (the words drawn in signature
        appearances kept)."""
        words = [w for s in self.segments for w in s.words if w.source != TEXT]
        return PageLayout(self.width, self.height, segments_from_words(words), self.source, self.legacy_encoding)


def segments_from_words(words: list[Word]) -> list[Segment]:
    """Group words into lines (by vertical overlap), then split lines at wide gaps."""
    if not words:
        return []
    rows: list[list[Word]] = []
    for w in sorted(words, key=lambda w: ((w.y0 + w.y1) / 2, w.x0)):
        cy = (w.y0 + w.y1) / 2
        if rows:
            last = rows[-1]
            ly0 = statistics.median(x.y0 for x in last)
            ly1 = statistics.median(x.y1 for x in last)
            if ly0 - 0.15 * w.height <= cy <= ly1 + 0.15 * w.height:
                last.append(w)
                continue
        rows.append([w])
    out: list[Segment] = []
    for row in rows:
        row.sort(key=lambda w: w.x0)
        h = statistics.median(w.height for w in row)
        gap_limit = max(2.2 * h, 12.0)
        current = [row[0]]
        for k, w in enumerate(row[1:], 1):
            gap = w.x0 - current[-1].x1
            if gap > gap_limit or w.source != current[-1].source and \
                    APPEARANCE in (w.source, current[-1].source) and gap > 0.6 * h or \
                    gap > 0.5 * h and _starts_motto(row, k):
                out.append(Segment(current))
                current = [w]
            else:
                current.append(w)
        out.append(Segment(current))
    out.sort(key=lambda s: (s.y0, s.x0))
    return out


def _starts_motto(row: list[Word], k: int) -> bool:
    """The national motto ("CỘNG HÒA XÃ HỘI …") begins at word k: a column boundary."""
    from desk.textfold import fold

    head = fold(" ".join(w.text for w in row[k:k + 3]))
    return head.startswith(("cong hoa xa", "doc lap - tu", "doc lap tu"))


# --- the PDF text layer -------------------------------------------------------------------------


def appearance_words(path: Path, pages: list[int] | None = None) -> dict[int, list[Word]]:
    """Words drawn inside widget annotations (signature appearances), placed in their boxes.

    The text of each widget's normal appearance is extracted (pypdf) and laid out line by
    line inside the widget's rectangle: its place on the page is what the zone reader needs
    (a number drawn in the clerk's field next to "Số:", "Ký bởi: …" under the signer's
    position). pdfium's own flattening misplaces some signers' appearances, so it is not used.
    """
    from pypdf import PageObject, PdfReader
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    out: dict[int, list[Word]] = {}
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            reader.decrypt("")
        wanted = range(len(reader.pages)) if pages is None else pages
        for i in wanted:
            if not 0 <= i < len(reader.pages):
                continue
            page = reader.pages[i]
            top_y = float(page.mediabox.top)
            left_x = float(page.mediabox.left)
            for ref in page.get("/Annots") or []:
                annot = ref.get_object()
                if annot.get("/Subtype") != "/Widget" or "/AP" not in annot or "/Rect" not in annot:
                    continue
                ap = annot["/AP"]
                if "/N" not in ap:
                    continue
                tmp = PageObject.create_blank_page(width=10, height=10)
                tmp[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): DictionaryObject(
                    {NameObject("/FmAp"): ap.raw_get("/N")})})
                content = DecodedStreamObject()
                content.set_data(b"q /FmAp Do Q")
                tmp[NameObject("/Contents")] = content
                try:
                    text = tmp.extract_text() or ""
                except Exception:  # one odd appearance must not stop the others
                    continue
                lines = [ln.strip() for ln in unicodedata.normalize("NFC", text).splitlines() if ln.strip()]
                if not lines:
                    continue
                x0, y0, x1, y1 = (float(v) for v in annot["/Rect"])
                x0, x1 = sorted((x0, x1))
                y0, y1 = sorted((y0, y1))
                top = top_y - y1  # top-left origin
                box_h = (y1 - y0) / len(lines)
                for k, line in enumerate(lines):
                    toks = line.split()
                    total = sum(len(t) for t in toks) + len(toks) - 1
                    # One line stays one segment: characters no wider than half the line height.
                    char_w = min(max(1.0, x1 - x0) / max(total, 1), 0.5 * box_h)
                    cursor = x0 - left_x
                    for t in toks:
                        w = char_w * len(t)
                        out.setdefault(i, []).append(Word(t, cursor, top + k * box_h, cursor + w,
                                                          top + (k + 1) * box_h * 0.9, APPEARANCE))
                        cursor += w + char_w
    except Exception:  # damaged annotations: the page text is still read
        return out
    return out


def _inside(x: float, y: float, rects: list[tuple[float, float, float, float]]) -> bool:
    return any(r[0] - 1 <= x <= r[2] + 1 and r[1] - 1 <= y <= r[3] + 1 for r in rects)


def words_from_textpage(textpage: object, height: float,
                        widget_rects: list[tuple[float, float, float, float]]) -> list[Word]:
    import pypdfium2.raw as c

    tp = textpage
    n = tp.count_chars()  # type: ignore[attr-defined]
    if n <= 0:
        return []
    text = tp.get_text_range(0, n)  # type: ignore[attr-defined]
    if len(text) != n:  # surrogate pairs or generated characters: read one by one
        text = "".join((tp.get_text_range(i, 1) or " ")[:1] for i in range(n))  # type: ignore[attr-defined]
    words: list[Word] = []
    chars: list[tuple[str, float, float, float, float, bool]] = []

    def flush() -> None:
        if not chars:
            return
        # NFC: some producers write a letter and its tone as two characters ("ô" + U+0301 for
        # "ố"); every reader (the "Số:" prefix, the issuer vocabulary, search) expects one.
        t = unicodedata.normalize("NFC", "".join(ch[0] for ch in chars))
        x0 = min(ch[1] for ch in chars)
        x1 = max(ch[3] for ch in chars)
        y0 = min(ch[2] for ch in chars)
        y1 = max(ch[4] for ch in chars)
        src = APPEARANCE if _inside((x0 + x1) / 2, (y0 + y1) / 2, widget_rects) else TEXT
        words.append(Word(t, x0, y0, x1, y1, src, 100.0, sum(ch[5] for ch in chars) * 2 > len(chars)))
        chars.clear()

    raw_tp = tp.raw  # type: ignore[attr-defined]
    for i, ch in enumerate(text):
        if ch.isspace() or ch in "\x00\ufffe\uffff":
            flush()
            continue
        left, bottom, right, top = tp.get_charbox(i, loose=True)  # type: ignore[attr-defined]
        if right - left <= 0 and top - bottom <= 0:
            flush()
            continue
        y0, y1 = height - top, height - bottom
        if chars:
            prev = chars[-1]
            h = max(0.1, prev[4] - prev[2])
            if left - prev[3] > 0.35 * h or left < prev[1] - 0.5 * h or abs((y0 + y1) / 2 - (prev[2] + prev[4]) / 2) > 0.6 * h:
                flush()
        weight = c.FPDFText_GetFontWeight(raw_tp, i)
        chars.append((ch, left, y0, right, y1, weight >= 600))
    flush()
    return words


def pdf_layouts(path: Path, pages: list[int] | None = None) -> tuple[int, list[PageLayout]]:
    """(page count, layouts of the given pages (all when None)) from the text layer."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        count = len(pdf)
        wanted = range(count) if pages is None else [p for p in pages if 0 <= p < count]
        widgets = appearance_words(path, list(wanted))
        out = []
        for i in wanted:
            page = pdf[i]
            width, height = page.get_size()
            tp = page.get_textpage()
            try:
                words = words_from_textpage(tp, height, [])
            finally:
                tp.close()
                page.close()
            words += widgets.get(i, [])
            words, enc = convert_words_if_legacy(words)
            out.append(PageLayout(width, height, segments_from_words(words), TEXT, enc))
        return count, out
    finally:
        pdf.close()
