"""Active content and decompression bombs in a PDF, found without rendering it.

A document from outside may carry JavaScript, launch actions (run a program) or embedded
files (an .exe inside a "công văn"). Desk never runs them, but the clerk and the signer
must be told: the import and the signature panel show what :func:`scan_pdf` finds.

Every stream is inflated with a bounded decompressor that only counts bytes, so a 300 MB
flate bomb costs a few MB here; a bomb is reported and the file is then neither
rendered for OCR nor thumbnailed.
"""

from __future__ import annotations

import contextlib
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pypdf import PdfReader

MAX_STREAM_INFLATED = 100 << 20  # one stream
MAX_TOTAL_INFLATED = 400 << 20  # the whole file
MAX_OBJECTS = 200_000
_ACTIVE_ACTIONS = {"/JavaScript": "javascript", "/Launch": "launch", "/ImportData": "import_data",
                   "/SubmitForm": "submit_form", "/Rendition": "javascript"}


@dataclass
class PdfRisks:
    javascript: bool = False
    launch: bool = False
    embedded_files: list[str] = field(default_factory=list)
    other_actions: list[str] = field(default_factory=list)
    bomb: bool = False
    unreadable: str = ""  # why the scan could not finish ("" when it did)

    @property
    def active(self) -> bool:
        return self.javascript or self.launch or bool(self.embedded_files) or bool(self.other_actions)

    @property
    def risky(self) -> bool:
        return self.active or self.bomb

    def describe(self, lang: str = "vi") -> list[str]:
        vi = lang == "vi"
        out = []
        if self.javascript:
            out.append("chứa JavaScript" if vi else "contains JavaScript")
        if self.launch:
            out.append("có lệnh chạy chương trình (Launch)" if vi else "has a launch action (runs a program)")
        if self.embedded_files:
            names = ", ".join(self.embedded_files[:5])
            out.append(f"có tệp nhúng: {names}" if vi else f"has embedded files: {names}")
        for a in sorted(set(self.other_actions)):
            out.append(f"có hành động {a}" if vi else f"has a {a} action")
        if self.bomb:
            out.append("giải nén ra quá lớn (nghi là bom nén)" if vi else "inflates far too much (a decompression bomb?)")
        return out

    def as_dict(self) -> dict[str, Any]:
        return {"javascript": self.javascript, "launch": self.launch,
                "embedded_files": self.embedded_files, "other_actions": self.other_actions,
                "bomb": self.bomb}


def _inflated_size(raw: bytes, limit: int) -> int:
    """Bytes ``raw`` inflates to, counting in 1 MiB steps and stopping past ``limit``."""
    d = zlib.decompressobj()
    total = 0
    buf = raw
    try:
        while buf:
            total += len(d.decompress(buf, 1 << 20))
            if total > limit:
                return total
            buf = d.unconsumed_tail
            if not buf and not d.eof:
                break
        while not d.eof and total <= limit:  # output still pending inside the decompressor
            chunk = d.decompress(b"", 1 << 20)
            if not chunk:
                break
            total += len(chunk)
    except zlib.error:
        pass
    return total


def _filters(obj: Any) -> list[str]:
    f = obj.get("/Filter")
    if f is None:
        return []
    return [str(x) for x in f] if isinstance(f, list) else [str(f)]


def _visit(obj: Any, risks: PdfRisks, budget: list[int]) -> None:
    from pypdf.generic import DictionaryObject, StreamObject

    if not isinstance(obj, DictionaryObject):
        return
    action = obj.get("/S")
    if action is not None and str(action) in _ACTIVE_ACTIONS:
        kind = _ACTIVE_ACTIONS[str(action)]
        if kind == "javascript":
            risks.javascript = True
        elif kind == "launch":
            risks.launch = True
        else:
            risks.other_actions.append(str(action).lstrip("/"))
    if "/JS" in obj:
        risks.javascript = True
    if "/EF" in obj:
        name = obj.get("/UF") or obj.get("/F")
        risks.embedded_files.append(str(name) if isinstance(name, str) else "?")
    elif str(obj.get("/Type", "")) == "/EmbeddedFile" or str(obj.get("/Subtype", "")) == "/FileAttachment":
        budget.append(1)  # an embedded file whose name we may meet later
    if isinstance(obj, StreamObject) and "/FlateDecode" in _filters(obj):
        raw = getattr(obj, "_data", b"") or b""
        size = _inflated_size(bytes(raw), min(MAX_STREAM_INFLATED, budget[0]))
        budget[0] -= size
        if size > MAX_STREAM_INFLATED or budget[0] < 0:
            risks.bomb = True


def scan_pdf(path: Path | bytes) -> PdfRisks:
    """What active content a PDF (a file, or its bytes) carries, and whether it is a bomb."""
    from pypdf import PdfReader

    risks = PdfRisks()
    budget = [MAX_TOTAL_INFLATED]  # [0]: bytes still allowed to inflate; more: embedded streams seen
    try:
        import io

        # A file is read as needed (pypdf given a path would read it whole first).
        with contextlib.ExitStack() as stack:
            source = io.BytesIO(path) if isinstance(path, bytes) else stack.enter_context(path.open("rb"))
            _scan(PdfReader(source, strict=False), risks, budget)
    except Exception as exc:  # noqa: BLE001 - unreadable is reported, never fatal
        risks.unreadable = f"{type(exc).__name__}: {str(exc)[:200]}"
    if len(budget) > 1 and not risks.embedded_files:
        risks.embedded_files.append("?")
    risks.embedded_files = sorted(set(risks.embedded_files))
    return risks


def _scan(reader: PdfReader, risks: PdfRisks, budget: list[int]) -> None:
    from pypdf.generic import IndirectObject

    numbers: list[tuple[int, int]] = []
    for gen, objs in reader.xref.items():
        numbers += [(num, gen) for num in objs]
    numbers += [(num, 0) for num in reader.xref_objStm]
    for num, gen in numbers[:MAX_OBJECTS]:
        try:
            obj = IndirectObject(num, gen, reader).get_object()
        except Exception:  # noqa: BLE001 - one broken object hides nothing else
            continue
        _visit(obj, risks, budget)
        if risks.bomb:
            break
    # Dictionaries written inline (an OpenAction inside the catalog) are no objects of
    # their own: look at the catalog and its direct values too.
    root = reader.trailer.get("/Root")
    root = root.get_object() if root is not None else None
    if root is not None:
        _visit(root.get("/OpenAction").get_object() if root.get("/OpenAction") is not None else None,
               risks, budget)
        names = root.get("/Names")
        names = names.get_object() if names is not None else None
        if names is not None:
            if "/JavaScript" in names:
                risks.javascript = True
            if "/EmbeddedFiles" in names and not risks.embedded_files:
                risks.embedded_files.append("?")
        if "/AcroForm" in root and "/XFA" in root["/AcroForm"].get_object():
            risks.other_actions.append("XFA")
