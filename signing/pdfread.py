# mypy: disable-error-code="no-untyped-call"
# (pyHanko leaves many functions unannotated.)
"""A PDF reader that reads objects out of object streams in linear time.

pyHanko's reader (0.38) re-parses an object stream's header from the start for
every object it reads out of that stream, so reading all ``n`` objects of a
stream costs ``n²/2`` header entries. Real documents from the Government signing
service keep their structure tree (hundreds or thousands of small dictionaries)
in a few object streams, and every difference analysis reads all of them: this
was most of the 169 s of issue 12. :class:`DeskPdfReader` parses each object
stream's header once and keeps the object offsets; everything else (which
object stream an object lives in, decoding limits, non-strict tolerance of
damaged files) is pyHanko's.
"""

from __future__ import annotations

import re
from io import BytesIO
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.decode_limits import DecodePurpose
from pyhanko.pdf_utils.reader import HistoricalResolver, PdfFileReader

_PAIR = re.compile(rb"\s*(\d+)\s+(\d+)")


class _ObjStmIndex:
    __slots__ = ("data", "first", "offsets")

    def __init__(self, data: bytes, first: int, offsets: dict[int, int]) -> None:
        self.data = data
        self.first = first
        self.offsets = offsets


def _parse_index(stream: generic.StreamObject) -> _ObjStmIndex | None:
    """The (object number → offset) table of an object stream, or None if the
    header is not what the PDF specification describes (pyHanko then reads it
    its own tolerant way)."""
    try:
        count = int(stream["/N"])
        first = int(stream["/First"])
        data = stream.read_data(DecodePurpose.OBJECT_STREAM)
    except (KeyError, TypeError, ValueError):
        return None
    if count < 0 or first < 0 or first > len(data):
        return None
    offsets: dict[int, int] = {}
    pos = 0
    header = data[:first]
    for _ in range(count):
        m = _PAIR.match(header, pos)
        if m is None:
            return None
        objnum, offset = int(m.group(1)), int(m.group(2))
        offsets.setdefault(objnum, offset)  # pyHanko reads the first match too
        pos = m.end()
    return _ObjStmIndex(data, first, offsets)


class DeskPdfReader(PdfFileReader):
    """:class:`PdfFileReader` with a per-file cache of object stream headers."""

    def __init__(self, stream: Any, strict: bool = False) -> None:
        self._objstm_cache: dict[int, _ObjStmIndex | None] = {}
        super().__init__(stream, strict=strict)

    def _get_object_from_stream(self, idnum: int, stmnum: int, idx: int) -> Any:
        if self.strict:
            return super()._get_object_from_stream(idnum, stmnum, idx)
        try:
            index = self._objstm_cache[stmnum]
        except KeyError:
            stream = generic.Reference(stmnum, 0, self).get_object()
            index = None
            if isinstance(stream, generic.StreamObject) and stream.get("/Type") == "/ObjStm":
                index = _parse_index(stream)
            self._objstm_cache[stmnum] = index
        if index is None or idnum not in index.offsets:
            return super()._get_object_from_stream(idnum, stmnum, idx)
        buf = BytesIO(index.data)
        buf.seek(index.first + index.offsets[idnum])
        try:
            return generic.read_object(buf, generic.Reference(idnum, 0, self))
        except Exception:  # damaged entry: let pyHanko decide (it substitutes null)
            return super()._get_object_from_stream(idnum, stmnum, idx)


    def get_historical_resolver(self, revision: int) -> HistoricalResolver:
        cache = self._historical_resolver_cache
        try:
            return cache[revision]
        except KeyError:
            res = cache[revision] = _DeskHistoricalResolver(self, revision)
            return res


def open_reader(data: bytes) -> DeskPdfReader:
    """A non-strict reader over ``data`` (as pyHanko's, but linear in object streams)."""
    return DeskPdfReader(BytesIO(data), strict=False)


# --- who refers to what: pyHanko's usage map, computed without cloning every object -------------
#
# pyHanko's difference analysis asks, for an object overwritten by an update, every
# path through which the older revision reaches it (so that an approval of one path
# cannot smuggle in a change seen through another). Its own computation clones every
# object of the revision and walks them; for a structure-heavy document that is most
# of the verification time, once per revision. The map below is the same one (same
# traversal rules: /Parent never followed; the page tree entered only through its
# canonical path; structure elements entered only through the structure tree, where
# /P back-links are not followed; a path never revisits an object), computed over
# per-object edge lists that are cached by the object's position in the file, so an
# object unchanged between revisions is read and decomposed once.
# tests/signing/test_real_documents.py checks it against pyHanko's on every revision
# of the real sample.

_Edge = tuple[tuple[Any, ...], generic.Reference]


def _edges_of(obj: Any) -> tuple[_Edge, ...]:
    out: list[_Edge] = []
    stack: list[tuple[Any, tuple[Any, ...]]] = [(obj, ())]
    while stack:
        cur, rel = stack.pop()
        if isinstance(cur, generic.IndirectObject):
            out.append((rel, cur.reference))
        elif isinstance(cur, generic.DictionaryObject):
            for key in cur:
                if key == "/Parent":
                    continue
                stack.append((cur.raw_get(key), (*rel, key)))
        elif isinstance(cur, generic.ArrayObject):
            for ix, item in enumerate(cur):
                stack.append((item, (*rel, ix)))
    return tuple(out)


class _UsageMap:
    def __init__(self, resolver: HistoricalResolver) -> None:
        self.res = resolver
        self.reader = resolver.reader
        self.rev = resolver.revision
        self.xrefs = self.reader.xrefs
        store = self.reader.__dict__.setdefault("_desk_usage_store", {"raw": {}, "edges": {}})
        self.raw_cache: dict[Any, Any] = store["raw"]
        self.edge_cache: dict[Any, tuple[_Edge, ...]] = store["edges"]

    def _key(self, ref: generic.Reference) -> Any:
        marker = self.xrefs.get_historical_ref(ref, self.rev)
        return None if marker is None else (ref.idnum, ref.generation, marker)

    def raw(self, ref: generic.Reference) -> Any:
        key = self._key(ref)
        if key is None:
            return generic.NullObject()
        try:
            return self.raw_cache[key]
        except KeyError:
            pass
        try:
            last = self.xrefs.get_last_change(ref)
        except KeyError:
            last = None
        if last is not None and last <= self.rev:
            obj = self.reader.get_object(ref, transparent_decrypt=False)
        else:
            obj = self.reader.get_object(ref, self.rev, transparent_decrypt=False)
        self.raw_cache[key] = obj
        return obj

    def deref(self, value: Any) -> Any:
        return self.raw(value.reference) if isinstance(value, generic.IndirectObject) else value

    def edges(self, ref: generic.Reference) -> tuple[_Edge, ...]:
        key = self._key(ref)
        if key is None:
            return ()
        try:
            return self.edge_cache[key]
        except KeyError:
            edges = self.edge_cache[key] = _edges_of(self.raw(ref))
            return edges

    def page_tree(self) -> dict[generic.Reference, tuple[Any, ...]]:
        root = self.res.trailer_view.raw_get("/Root")
        root_obj = self.deref(root)
        pages_raw = root_obj.raw_get("/Pages")
        path: tuple[Any, ...] = ("/Root", "/Pages")
        nodes: dict[generic.Reference, tuple[Any, ...]] = {}
        if isinstance(pages_raw, generic.IndirectObject):
            nodes[pages_raw.reference] = path
        stack = [(self.deref(pages_raw), path)]
        while stack:
            node, node_path = stack.pop()
            for ix, kid in enumerate(self.deref(node.raw_get("/Kids"))):
                kid_path = (*node_path, "/Kids", ix)
                if isinstance(kid, generic.IndirectObject):
                    if kid.reference in nodes:
                        raise ValueError("circular page tree")
                    nodes[kid.reference] = kid_path
                kid_obj = self.deref(kid)
                if kid_obj.get("/Type", None) == "/Pages":
                    stack.append((kid_obj, kid_path))
        return nodes

    def struct_tree(self) -> set[generic.Reference]:
        root_obj = self.deref(self.res.trailer_view.raw_get("/Root"))
        if "/StructTreeRoot" not in root_obj:
            return set()
        found: set[generic.Reference] = set()
        stack = [self.deref(root_obj.raw_get("/StructTreeRoot"))]
        while stack:
            elem = stack.pop()
            if not isinstance(elem, generic.DictionaryObject) or "/K" not in elem:
                continue
            kids = self.deref(elem.raw_get("/K"))
            if not isinstance(kids, generic.ArrayObject):
                kids = (kids,)
            for kid in reversed(list(kids)):
                kid_ref = kid.reference if isinstance(kid, generic.IndirectObject) else None
                kid_obj = self.deref(kid)
                if not isinstance(kid_obj, generic.DictionaryObject):
                    continue
                if "/Type" in kid_obj and kid_obj.get("/Type") != "/StructElem":
                    continue
                if kid_ref is not None:
                    if kid_ref in found:
                        raise ValueError("circular structure tree")
                    found.add(kid_ref)
                stack.append(kid_obj)
        return found

    def compute(self) -> dict[generic.Reference, set[Any]]:
        from pyhanko.pdf_utils.reader import RawPdfPath

        page_tree = self.page_tree()
        struct_objs = self.struct_tree()
        collected: dict[generic.Reference, set[tuple[Any, ...]]] = {}
        seen: set[generic.Reference] = set()
        trailer_edges = _edges_of(self.res.trailer_view)

        def follow(edges: tuple[_Edge, ...], path: tuple[Any, ...], in_struct: bool) -> None:
            depth = len(path)
            for rel, child in edges:
                state = in_struct
                for i, key in enumerate(rel):
                    if not isinstance(key, str):
                        continue
                    if state and key == "/P":
                        break
                    if not state and key == "/K" and depth + i == 2 \
                            and (*path, *rel[:i]) == ("/Root", "/StructTreeRoot"):
                        state = True
                else:
                    visit(child, (*path, *rel), state)

        def visit(ref: generic.Reference, path: tuple[Any, ...], in_struct: bool) -> None:
            if ref in seen:
                return
            collected.setdefault(ref, set()).add(path)
            if page_tree.get(ref, path) != path:
                return
            if not in_struct and ref in struct_objs:
                return
            seen.add(ref)
            try:
                follow(self.edges(ref), path, in_struct)
            finally:
                seen.discard(ref)

        follow(trailer_edges, (), False)
        return {ref: {RawPdfPath(*p) for p in paths} for ref, paths in collected.items()}


class _DeskHistoricalResolver(HistoricalResolver):
    def _load_reverse_xref_cache(self) -> None:
        if self._indirect_object_access_cache is not None:
            return
        if self.reader.security_handler is not None:
            super()._load_reverse_xref_cache()
            return
        try:
            self._indirect_object_access_cache = _UsageMap(self).compute()
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
            super()._load_reverse_xref_cache()  # pyHanko decides what a malformed tree means
