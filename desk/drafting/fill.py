"""Fill ``{{placeholders}}`` in a Word template, wherever Word has put them.

Word splits text into runs as a user edits (spell-check marks, revision ids,
formatting changes), so ``{{so}}`` may arrive as ``{{`` ``so`` ``}}`` in three
runs, inside a hyperlink or a tracked insertion. The filler therefore works on
all the ``w:t`` text nodes of a paragraph at once: it finds each placeholder in
their joined text and rewrites the nodes it spans, keeping the formatting of the
node where the placeholder starts.

Rules:
* A value's line breaks become Word line breaks (``w:br``), tabs become ``w:tab``.
* A *block* placeholder (``noi_dung``, ``noi_nhan``, ``can_cu``) that is alone in
  its paragraph becomes one paragraph per line, each with that paragraph's format.
* A paragraph holding only a placeholder whose value is empty is removed (an
  absent parent body, no competence prefix), unless it is the last one of a cell.
* Placeholders without a value are left as they are and reported, so nothing a
  user typed into a template disappears silently.
"""

from __future__ import annotations

import copy
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from docx import Document as open_document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from desk.errors import ValidationError

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
BLOCK_PLACEHOLDERS = frozenset({"noi_dung", "noi_nhan", "can_cu"})
_W_P, _W_T, _W_TC = qn("w:p"), qn("w:t"), qn("w:tc")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# Characters XML 1.0 cannot carry (a pasted form feed would make Word refuse the file).
_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def open_docx(path: Path) -> Any:
    """Open a .docx with a clear error when it is missing or not a Word document."""
    path = Path(path)
    if not path.is_file():
        raise ValidationError(f"Không tìm thấy tệp mẫu {path}.", f"Template not found: {path}.",
                              code="no_file")
    if not zipfile.is_zipfile(path):
        raise ValidationError(f"Tệp {path.name} không phải tài liệu Word (.docx) hoặc đã bị hỏng.",
                              f"{path.name} is not a Word (.docx) document or is damaged.",
                              code="bad_docx")
    try:
        return open_document(str(path))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors …
        raise ValidationError(f"Không đọc được tệp Word {path.name} ({type(exc).__name__}).",
                              f"Cannot read the Word file {path.name} ({type(exc).__name__}).",
                              code="bad_docx") from exc


def _owner(node: Any) -> Any:
    parent = node.getparent()
    while parent is not None and parent.tag != _W_P:
        parent = parent.getparent()
    return parent


def _texts(p: Any) -> list[Any]:
    # Only this paragraph's own text, not that of a text box anchored in it.
    return [t for t in p.iter(_W_T) if _owner(t) is p]


def paragraph_text(p: Any) -> str:
    return "".join(t.text or "" for t in _texts(p))


def _replace_spans(p: Any, values: Mapping[str, str]) -> None:
    texts = _texts(p)
    strings = [t.text or "" for t in texts]
    original = list(strings)
    starts, pos = [], 0
    for s in strings:
        starts.append(pos)
        pos += len(s)
    joined = "".join(strings)
    matches = [m for m in PLACEHOLDER.finditer(joined) if m.group(1) in values]

    def node_at(offset: int) -> int:
        i = len(starts) - 1
        while i > 0 and (starts[i] > offset or not original[i]):
            i -= 1
        return i

    for m in reversed(matches):
        i, j = node_at(m.start()), node_at(m.end() - 1)
        value = values[m.group(1)]
        if i == j:
            s = strings[i]
            strings[i] = s[:m.start() - starts[i]] + value + s[m.end() - starts[i]:]
        else:
            strings[i] = strings[i][:m.start() - starts[i]] + value
            for k in range(i + 1, j):
                strings[k] = ""
            strings[j] = strings[j][m.end() - starts[j]:]
    for t, s in zip(texts, strings, strict=True):
        if (t.text or "") != s:
            t.text = s
            t.set(_XML_SPACE, "preserve")
    for t in texts:
        if t.text and ("\n" in t.text or "\t" in t.text):
            _split_breaks(t)


def _split_breaks(t: Any) -> None:
    """Turn "\\n" and "\\t" inside a text node into sibling w:br / w:tab elements."""
    parts = re.split(r"([\n\t])", t.text)
    t.text = parts[0]
    anchor = t
    for part in parts[1:]:
        if part in ("\n", "\t"):
            el = OxmlElement("w:br" if part == "\n" else "w:tab")
        elif part:
            el = OxmlElement("w:t")
            el.text = part
            el.set(_XML_SPACE, "preserve")
        else:
            continue
        anchor.addnext(el)
        anchor = el


_ARTICLE = re.compile(r"^(Điều \d+[a-zđ]?\.)")


def _bold_article(p: Any) -> None:
    """App. I §II.6đ: "Điều 1." is bold; the rest of the line keeps its own format."""
    texts = [t for t in _texts(p) if t.text]
    if not texts:
        return
    t = texts[0]
    m = _ARTICLE.match(t.text)
    run = t.getparent()
    if m is None or run.tag != qn("w:r"):
        return
    head = copy.deepcopy(run)
    for el in list(head):
        if el.tag not in (qn("w:rPr"),):
            head.remove(el)
    rpr = head.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        head.insert(0, rpr)
    bold = rpr.find(qn("w:b"))
    if bold is not None:
        bold.attrib.pop(qn("w:val"), None)
    else:
        bold = OxmlElement("w:b")
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is not None:
            fonts.addnext(bold)
        else:
            rpr.insert(0, bold)
    label = OxmlElement("w:t")
    label.text = m.group(1)
    head.append(label)
    t.text = t.text[m.end():]
    t.set(_XML_SPACE, "preserve")
    run.addprevious(head)


def _sole_placeholder(p: Any) -> str | None:
    m = PLACEHOLDER.fullmatch(paragraph_text(p).strip())
    return m.group(1) if m else None


def _remove(p: Any) -> None:
    parent = p.getparent()
    if parent.tag == _W_TC and len(parent.findall(_W_P)) == 1:
        for t in _texts(p):
            t.text = ""
        return
    parent.remove(p)


def _fill_paragraph(p: Any, values: Mapping[str, str]) -> None:
    name = _sole_placeholder(p)
    if name is not None and name in values:
        value = values[name]
        if value == "":
            _remove(p)
            return
        if name in BLOCK_PLACEHOLDERS:
            original = copy.deepcopy(p)
            lines = value.split("\n")
            _replace_spans(p, {name: lines[0]})
            _bold_article(p)
            anchor = p
            for line in lines[1:]:
                clone = copy.deepcopy(original)
                _replace_spans(clone, {name: line})
                _bold_article(clone)
                anchor.addnext(clone)
                anchor = clone
            return
    if "{" in paragraph_text(p):
        _replace_spans(p, values)


def _parts(doc: Any) -> Iterator[Any]:
    yield doc.element.body
    seen = set()
    for section in doc.sections:
        for hf in (section.header, section.first_page_header, section.even_page_header,
                   section.footer, section.first_page_footer, section.even_page_footer):
            if hf.is_linked_to_previous:
                continue
            el = hf._element
            if id(el) not in seen:
                seen.add(id(el))
                yield el


def placeholders_in(doc: Any) -> list[str]:
    """The placeholder names left in a document, in order, each once."""
    found: dict[str, None] = {}
    for part in _parts(doc):
        for p in part.iter(_W_P):
            for m in PLACEHOLDER.finditer(paragraph_text(p)):
                found.setdefault(m.group(1))
    return list(found)


def clean_value(value: str) -> str:
    return _BAD_XML.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def fill_document(doc: Any, values: Mapping[str, str]) -> list[str]:
    clean = {k: clean_value(v) for k, v in values.items()}
    for part in _parts(doc):
        for p in list(part.iter(_W_P)):
            if p.getparent() is not None:
                _fill_paragraph(p, clean)
    return placeholders_in(doc)


def fill_template(template: Path, values: dict[str, str], out: Path) -> list[str]:
    """Write ``template`` with its placeholders filled to ``out``.

    Returns the names of placeholders that had no value and were left in place
    (empty when the template is fully filled).
    """
    doc = open_docx(template)
    left = fill_document(doc, values)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(out))
    return left


def document_text(path: Path) -> str:
    """All paragraph text of a .docx (body, tables, headers), one paragraph per line."""
    doc = open_docx(path)
    return "\n".join(_iter_lines(doc))


def _iter_lines(doc: Any) -> Iterable[str]:
    for part in _parts(doc):
        for p in part.iter(_W_P):
            yield paragraph_text(p)
