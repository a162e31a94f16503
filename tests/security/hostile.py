"""Hostile inputs for the security suite and bench/bench_hostile.py: packages and PDFs."""

from __future__ import annotations

import zlib
from datetime import date
from pathlib import Path

from sync.edxml import (
    AttachmentSource,
    Code,
    MessageHeader,
    Organization,
    OtherInfo,
    PromulgationInfo,
    write_package_file,
)


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF with a correct xref from numbered object bodies (object 1 is the catalog)."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def simple_pdf(text: str = "Van ban thu") -> bytes:
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ])


def deep_page_tree_pdf(depth: int = 101) -> bytes:
    """A page tree ``depth`` levels deep (pypdf raises LimitReachedError past 100)."""
    objs: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for level in range(depth):
        n = 2 + level
        parent = f"/Parent {n - 1} 0 R " if level else ""
        objs.append(f"<< /Type /Pages {parent}/Kids [{n + 1} 0 R] /Count 1 >>".encode())
    leaf = 2 + depth
    objs.append(f"<< /Type /Page /Parent {leaf - 1} 0 R /MediaBox [0 0 595 842] >>".encode())
    return _pdf(objs)


def javascript_pdf() -> bytes:
    """Opens with JavaScript, has a launch action and an embedded .exe."""
    exe = b"MZ" + b"\0" * 62
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R /Names << /EmbeddedFiles 6 0 R >> >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /AA << /O 5 0 R >> >>",
        b"<< /S /JavaScript /JS (app.alert\\('x'\\)) >>",
        b"<< /S /Launch /F (cmd.exe) >>",
        b"<< /Names [(setup.exe) 7 0 R] >>",
        b"<< /Type /Filespec /F (setup.exe) /EF << /F 8 0 R >> >>",
        b"<< /Type /EmbeddedFile /Length %d >>\nstream\n" % len(exe) + exe + b"\nendstream",
    ])


def flate_bomb_pdf(inflated_mb: int = 300) -> bytes:
    """One page whose content stream inflates to ``inflated_mb`` MB of spaces."""
    comp = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    data = b"".join(comp.compress(chunk) for _ in range(inflated_mb)) + comp.flush()
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
    ])


def edoc(folder: Path, sender: str, to: str, n: int, pdf: bytes | None = None,
         page_amount: int | None = 1, name: str = "van-ban.pdf") -> Path:
    """A valid edoc package from ``sender`` to ``to`` with one PDF."""
    folder.mkdir(parents=True, exist_ok=True)
    att = folder / f"att-{sender}-{n}.pdf"
    att.write_bytes(pdf if pdf is not None else simple_pdf(f"Van ban so {n}"))
    header = MessageHeader(
        from_=Organization(sender, f"Đơn vị {sender}"),
        to=(Organization(to),),
        document_id=f"{sender},2026/11/25,{n}/UBND",
        code=Code(str(n), "UBND"),
        promulgation_info=PromulgationInfo("Hạ Long", date(2026, 11, 25)),
        subject=f"Về việc thử nghiệm số {n}",
        other_info=OtherInfo(page_amount=page_amount),
    )
    path = folder / f"doc-{sender}-{n}.edxml"
    write_package_file(path, header, None, [AttachmentSource(att, name)])
    return path


def patched(path: Path, old: bytes, new: bytes) -> Path:
    """The same package with ``old`` replaced (the declared hashes cover attachments only)."""
    data = path.read_bytes()
    assert old in data, old
    out = path.with_name("hostile-" + path.name)
    out.write_bytes(data.replace(old, new, 1))
    return out


def page_amount_overflow(folder: Path, sender: str, to: str, n: int) -> Path:
    return patched(edoc(folder, sender, to, n), b"<edXML:PageAmount>1</edXML:PageAmount>",
                   b"<edXML:PageAmount>99999999999999999999999</edXML:PageAmount>")
