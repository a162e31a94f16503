"""Read edXML packages safely and in constant memory.

The parser is expat driven by hand: a DOCTYPE (and with it every entity
declaration, so no XXE and no billion laughs) is refused outright, and the text of
each ``ContentTransferEncoded`` element is base64-decoded piece by piece into a file
while it is hashed, so a 200 MB attachment never sits in memory. Everything else
(the header) is small and is kept as a little tree, then mapped onto the model.

On any error every file the parse wrote is removed: hostile input stores nothing.
"""

from __future__ import annotations

import binascii
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from xml.parsers import expat

from sync.edxml.bounds import check_package_bounds
from sync.edxml.mapping import package_from_tree
from sync.edxml.model import DESK_NS, NS, Attachment, Package
from sync.edxml.rules import check_content_id, safe_attachment_name
from sync.edxml.tree import Node
from sync.errors import EdxmlError, edxml_error

READ_CHUNK = 1 << 20
FEED_CHUNK = 1 << 16  # expat is fed this much at a time, so a hostile token is seen early
_B64_WS = str.maketrans("", "", " \t\r\n")


@dataclass(frozen=True)
class ParseLimits:
    max_attachments: int = 500
    max_attachment_bytes: int = 4 << 30
    max_header_chars: int = 8 << 20  # all text outside attachments
    max_depth: int = 64
    max_elements: int = 200_000
    # Bytes expat may hold for one unfinished token (a tag with its attributes, a comment,
    # a processing instruction): expat keeps a token whole before any callback sees it.
    max_token_bytes: int = 1 << 20


class _B64Sink:
    """Decode base64 text fed in arbitrary pieces; write, count and hash the bytes."""

    def __init__(self, out: IO[bytes] | None, limit: int) -> None:
        self.out = out
        self.limit = limit
        self.pending = ""
        self.size = 0
        self.hash = hashlib.sha256()
        self.ended = False  # padding seen: nothing may follow

    def feed(self, text: str) -> None:
        text = text.translate(_B64_WS)
        if not text:
            return
        if self.ended:
            raise _bad_base64()
        data = self.pending + text
        cut = len(data) - len(data) % 4
        self.pending = data[cut:]
        if cut:
            self._decode(data[:cut])

    def _decode(self, block: str) -> None:
        try:
            raw = binascii.a2b_base64(block.encode("ascii"), strict_mode=True)
        except (binascii.Error, UnicodeEncodeError) as exc:
            raise _bad_base64() from exc
        if block.endswith("="):
            self.ended = True
        self.size += len(raw)
        if self.size > self.limit:
            raise edxml_error(
                "edxml_too_large",
                f"Tệp đính kèm vượt giới hạn {self.limit} byte.",
                f"An attachment exceeds the limit of {self.limit} bytes.",
            )
        self.hash.update(raw)
        if self.out is not None:
            self.out.write(raw)

    def finish(self) -> None:
        if self.pending:
            raise _bad_base64()


def _bad_base64() -> EdxmlError:
    return edxml_error(
        "edxml_bad_base64",
        "Nội dung tệp đính kèm không phải base64 hợp lệ.",
        "An attachment's content is not valid base64.",
    )


def _refuse_dtd(*_args: Any) -> Any:
    raise edxml_error(
        "edxml_dtd_refused",
        "Gói tin chứa khai báo DOCTYPE/thực thể; bị từ chối vì lý do an toàn.",
        "The package contains a DOCTYPE/entity declaration; refused for safety.",
    )


class _Reader:
    def __init__(self, attachment_dir: Path | None, limits: ParseLimits) -> None:
        self.dir = attachment_dir
        self.limits = limits
        self.stack: list[Node] = []
        self.root: Node | None = None
        self.elements = 0
        self.header_chars = 0
        self.sink: _B64Sink | None = None
        self.sink_file: IO[bytes] | None = None
        self.sink_path: Path | None = None
        self.written: list[Path] = []
        self.attachments: list[Attachment] = []
        self.names: set[str] = set()

    # expat callbacks -------------------------------------------------------------
    def _count(self, n: int) -> None:
        """Everything outside attachment content counts against one budget."""
        self.header_chars += n
        if self.header_chars > self.limits.max_header_chars:
            raise edxml_error(
                "edxml_too_large",
                "Phần tiêu đề của gói tin quá lớn.",
                "The package header is too large.",
            )

    def comment(self, data: str) -> None:
        self._count(len(data))

    def pi(self, target: str, data: str) -> None:
        self._count(len(target) + len(data))

    def xml_decl(self, _version: str | None, encoding: str | None, _standalone: int) -> None:
        if encoding is not None and encoding.strip().lower().replace("_", "-") not in ("utf-8", "utf8"):
            raise edxml_error(
                "edxml_bad_encoding",
                f"Gói tin khai báo bảng mã {encoding[:40]!r}; chỉ chấp nhận UTF-8.",
                f"The package declares the encoding {encoding[:40]!r}; only UTF-8 is accepted.",
            )

    def start(self, name: str, attrs: dict[str, str]) -> None:
        ns, _, local = name.rpartition(" ")
        self._count(len(name) + sum(len(k) + len(v) for k, v in attrs.items()))
        if self.stack:
            _check_singleton(self.stack[-1], ns, local)
        self.elements += 1
        if self.elements > self.limits.max_elements or len(self.stack) >= self.limits.max_depth:
            raise edxml_error(
                "edxml_too_complex",
                "Gói tin có quá nhiều phần tử hoặc lồng quá sâu.",
                "The package has too many elements or is nested too deeply.",
            )
        node = Node(local, ns, attrs)
        if self.root is None:
            if ns != NS or local != "edXML":
                raise edxml_error(
                    "edxml_wrong_root",
                    f"Phần tử gốc phải là edXML trong không gian tên {NS}.",
                    f"The root element must be edXML in the namespace {NS}.",
                )
            self.root = node
        else:
            self.stack[-1].children.append(node)
        self.stack.append(node)
        if (
            local == "ContentTransferEncoded"
            and len(self.stack) >= 2
            and self.stack[-2].tag == "Attachment"
        ):
            self._open_sink()

    def end(self, _name: str) -> None:
        node = self.stack.pop()
        if self.sink is not None and node.tag == "ContentTransferEncoded":
            self.sink.finish()
            node.stream = (self.sink.size, self.sink.hash.hexdigest(), self.sink_path)
            if self.sink_file is not None:
                self.sink_file.flush()
                os.fsync(self.sink_file.fileno())
                self.sink_file.close()
            self.sink = None
            self.sink_file = None
        elif node.tag == "Attachment" and self.stack and self.stack[-1].tag == "AttachmentEncoded":
            self._close_attachment(node)

    def chars(self, data: str) -> None:
        if self.sink is not None:
            self.sink.feed(data)
            return
        self._count(len(data))
        if self.stack:
            self.stack[-1].text.append(data)

    # attachments -------------------------------------------------------------------
    def _open_sink(self) -> None:
        if len(self.attachments) >= self.limits.max_attachments:
            raise edxml_error(
                "edxml_too_many_attachments",
                "Gói tin có quá nhiều tệp đính kèm.",
                "The package has too many attachments.",
            )
        if self.sink is not None:
            raise _bad_base64()
        if self.dir is not None:
            self.sink_path = self.dir / f".attachment-{len(self.attachments)}.part"
            self.sink_file = self.sink_path.open("xb")
            self.written.append(self.sink_path)
        self.sink = _B64Sink(self.sink_file, self.limits.max_attachment_bytes)

    def _close_attachment(self, node: Node) -> None:
        cte = node.child("ContentTransferEncoded")
        if cte is None or cte.stream is None:
            raise edxml_error(
                "edxml_attachment_empty",
                "Tệp đính kèm thiếu nội dung (ContentTransferEncoded).",
                "An attachment has no content (ContentTransferEncoded).",
            )
        size, digest, tmp = cte.stream
        name = safe_attachment_name(node.text_of("AttachmentName"))
        cid = check_content_id(node.text_of("ContentId"))
        _check_declared(node, name, size, digest)
        if name in self.names:
            raise edxml_error(
                "edxml_duplicate_name",
                f"Hai tệp đính kèm trùng tên: {name}.",
                f"Two attachments have the same name: {name}.",
            )
        self.names.add(name)
        final: Path | None = None
        if tmp is not None and self.dir is not None:
            final = self.dir / name
            # safe_attachment_name already refuses separators; this guards the invariant.
            if final.resolve().parent != self.dir.resolve():
                raise edxml_error(
                    "edxml_unsafe_name",
                    f"Tên tệp đính kèm không an toàn: {name!r}.",
                    f"Unsafe attachment name: {name!r}.",
                )
            tmp.rename(final)
            self.written.append(final)
        self.attachments.append(
            Attachment(
                content_id=cid,
                name=name,
                content_type=node.text_of("ContentType"),
                description=node.text_of("Description"),
                size=size,
                sha256=digest,
                path=final,
            )
        )

    def cleanup(self) -> None:
        if self.sink_file is not None:
            self.sink_file.close()
        for p in self.written:
            p.unlink(missing_ok=True)


def _check_declared(node: Node, name: str, size: int, digest: str) -> None:
    declared_size = node.attrs.get(f"{DESK_NS} size")
    declared_hash = node.attrs.get(f"{DESK_NS} sha256")
    if declared_size is not None and declared_size.strip() != str(size):
        raise edxml_error(
            "edxml_size_mismatch",
            f"Tệp {name}: kích thước khai báo {declared_size} khác kích thước thực {size}.",
            f"Attachment {name}: declared size {declared_size} differs from the real size {size}.",
        )
    if declared_hash is not None and declared_hash.strip().lower() != digest:
        raise edxml_error(
            "edxml_hash_mismatch",
            f"Tệp {name}: mã băm SHA-256 khai báo không khớp nội dung.",
            f"Attachment {name}: the declared SHA-256 does not match its content.",
        )


# Elements whose children may each appear once (QCVN 102): a second From, Subject,
# DocumentId … would leave "which one counts?" to the reader (the first won before).
_SINGLETON_PARENTS = frozenset({
    "edXML", "edXMLEnvelope", "edXMLHeader", "MessageHeader", "Status", "From", "To", "Code",
    "PromulgationInfo", "DocumentType", "SignerInfo", "OtherInfo", "ResponseFor", "StaffInfo",
    "Attachment", "Bussiness", "BussinessDocumentInfo", "TraceHeader", "Receiver",
    "ReplacementInfo", "edXMLBody", "Reference",
})
_REPEATS = frozenset({("MessageHeader", "To"), ("MessageHeader", "ResponseFor")})


def _check_singleton(parent: Node, ns: str, local: str) -> None:
    if ns != NS or parent.ns != NS or parent.tag not in _SINGLETON_PARENTS:
        return
    if (parent.tag, local) in _REPEATS:
        return
    if any(c.tag == local and c.ns == ns for c in parent.children):
        raise edxml_error(
            "edxml_duplicate_element",
            f"Phần tử {parent.tag}/{local} xuất hiện hai lần; gói tin bị từ chối.",
            f"The element {parent.tag}/{local} appears twice; the package is refused.",
        )


def _make_parser(r: _Reader) -> Any:
    # The document's own encoding declaration is checked (xml_decl); UTF-8 is imposed so
    # that expat never asks Python for a codec named by the sender.
    p = expat.ParserCreate(encoding="UTF-8", namespace_separator=" ")
    p.buffer_text = True
    p.buffer_size = 1 << 16
    p.ordered_attributes = False
    p.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    p.StartDoctypeDeclHandler = _refuse_dtd
    p.EntityDeclHandler = _refuse_dtd
    p.UnparsedEntityDeclHandler = _refuse_dtd
    p.ExternalEntityRefHandler = _refuse_dtd
    p.StartElementHandler = r.start
    p.EndElementHandler = r.end
    p.CharacterDataHandler = r.chars
    p.CommentHandler = r.comment
    p.ProcessingInstructionHandler = r.pi
    p.XmlDeclHandler = r.xml_decl
    return p


def _chunks(stream: IO[bytes]) -> Iterator[bytes]:
    while chunk := stream.read(READ_CHUNK):
        yield chunk


def parse_stream(
    stream: IO[bytes],
    attachment_dir: Path | None = None,
    limits: ParseLimits | None = None,
) -> Package:
    """Parse a package from a binary stream.

    With ``attachment_dir`` the attachments are written there under their (checked)
    names; without it they are only decoded, measured and hashed.
    """
    r = _Reader(attachment_dir, limits or ParseLimits())
    p = _make_parser(r)
    fed = 0
    try:
        for chunk in _chunks(stream):
            if fed == 0 and chunk[:2] in (b"\xff\xfe", b"\xfe\xff"):
                r.xml_decl(None, "UTF-16", -1)
            for i in range(0, len(chunk), FEED_CHUNK):
                piece = chunk[i : i + FEED_CHUNK]
                p.Parse(piece, False)
                fed += len(piece)
                # expat holds an unfinished token (a 200 MB attribute, comment or tag
                # name) whole before any callback can count it: bound what it holds.
                if fed - max(p.CurrentByteIndex, 0) > r.limits.max_token_bytes + FEED_CHUNK:
                    raise edxml_error(
                        "edxml_too_large",
                        "Gói tin có một thẻ, thuộc tính hoặc chú thích quá lớn.",
                        "The package has a tag, attribute or comment that is too large.",
                    )
        p.Parse(b"", True)
        if r.root is None:
            raise edxml_error("edxml_malformed", "Tệp rỗng.", "The file is empty.")
        pkg = package_from_tree(r.root, tuple(r.attachments))
        try:
            check_package_bounds(pkg)
        except EdxmlError as exc:
            # Well-formed but out of bounds: the receiver can still name the document in its 02.
            exc.document_id = str(getattr(pkg.header, "document_id", ""))[:200]  # type: ignore[attr-defined]
            raise
        return pkg
    except expat.ExpatError as exc:
        r.cleanup()
        raise edxml_error(
            "edxml_malformed",
            f"Gói tin không phải XML hợp lệ (dòng {exc.lineno}, cột {exc.offset}): {expat.ErrorString(exc.code)}.",
            f"The package is not well-formed XML (line {exc.lineno}, column {exc.offset}): {expat.ErrorString(exc.code)}.",
        ) from None
    except (LookupError, ValueError, RecursionError, MemoryError) as exc:
        r.cleanup()
        raise edxml_error(
            "edxml_malformed",
            f"Gói tin không đọc được ({type(exc).__name__}).",
            f"The package cannot be read ({type(exc).__name__}).",
        ) from None
    except BaseException:
        r.cleanup()
        raise


def parse_file(
    path: Path, attachment_dir: Path | None = None, limits: ParseLimits | None = None
) -> Package:
    try:
        with path.open("rb") as f:
            return parse_stream(f, attachment_dir, limits)
    except OSError as exc:
        raise edxml_error(
            "edxml_unreadable",
            f"Không đọc được tệp {path}: {exc.strerror}.",
            f"Cannot read {path}: {exc.strerror}.",
        ) from None


def parse_bytes(data: bytes, attachment_dir: Path | None = None) -> Package:
    import io

    return parse_stream(io.BytesIO(data), attachment_dir)
