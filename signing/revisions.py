# mypy: disable-error-code="no-untyped-call"
# (pyHanko leaves many functions unannotated.)
"""What changed after each signature: every incremental update analysed once.

A PDF signed ``n`` times carries ``n`` or more revisions. pyHanko's difference
analysis runs per signature, comparing the signed revision with every later one,
so a document with 6 signatures and 7 revisions costs 21 comparisons, each of
which walks every object of the older revision (and each validation call repeats
it). Here each update is compared once with the revision just before it (``k-1 →
k``), newest first; a signature's verdict is the fold over the updates after the
revision it signed. Comparing consecutive revisions checks every intermediate
state: an object created after the signature and changed again later must be
justified against the revision that created it, where pyHanko would treat it as
new. pyHanko's one base-dependent rule (a ``/VRI`` entry of the DSS may never
change) is replaced by :class:`DSSRule`, since an archive timestamp renewal
legitimately refreshes a VRI entry between two consecutive revisions.

The analysis stops early: once an update is unsafe, every signature made before
it is unsafe, so older updates are not examined. It is bounded: past a time
budget the remaining updates are reported as not analysed (never minutes).

The rules (see ``signing/README.md``, "Changes after signing") are pyHanko's
default rules plus:

* new signature fields may be created after a certification signature that
  allows form filling and signing (Acrobat accepts this; pyHanko's default is
  stricter than Acrobat);
* the logical structure tree (``/StructTreeRoot``: tags for accessibility) may be
  rewritten: an updated object is accepted only if, in the older revision, it is
  reachable *only* through ``/StructTreeRoot`` and is not a stream; a new object
  only if it is a structure element, a number-tree node or a plain array. None of
  these is ever drawn;
* comments after approval signatures (:mod:`signing.diffpolicy`).

Every accepted object is tagged with the rule that accepted it, so the result
names the changes: later signatures, number and date filled, comments, long-term
validation data, document structure only. Unexplained objects are named by what
they would change on screen (page content replaced, page added, image or font
redefined, annotation drawn over the page).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import HistoricalResolver, PdfFileReader
from pyhanko.sign.diff_analysis import (
    DEFAULT_DIFF_POLICY,
    FieldMDPRule,
    FormUpdatingRule,
    GenericFieldModificationRule,
    ModificationLevel,
    QualifiedWhitelistRule,
    ReferenceUpdate,
    SigFieldCreationRule,
    SigFieldModificationRule,
    StandardDiffPolicy,
    SuspiciousModification,
)
from pyhanko.sign.diff_analysis.rules.file_structure_rules import ObjectStreamRule, XrefStreamRule
from pyhanko.sign.diff_analysis.rules.metadata_rules import DocInfoRule, MetadataUpdateRule
from pyhanko.sign.fields import MDPPerm

from .diffpolicy import CommentRule
from .formfields import DAY_FIELD, MONTH_FIELD, NUMBER_FIELD

Msg = tuple[str, str, str]  # (code, vi, en)

#: Named kinds of allowed change, in the order they are shown.
KIND_TEXT: dict[str, tuple[str, str]] = {
    "signatures": ("ký thêm (các chữ ký sau)", "later signatures"),
    "number_date": ("điền số và ngày văn bản", "number and date filled"),
    "form_fill": ("điền biểu mẫu", "form fields filled"),
    "comments": ("thêm ghi chú", "comments added"),
    "ltv": ("bổ sung dữ liệu kiểm tra dài hạn (dấu thời gian, thông tin thu hồi)",
            "long-term validation data added (timestamps, revocation data)"),
    "structure": ("chỉ thay đổi cấu trúc tài liệu (thẻ cấu trúc, thông tin mô tả)",
                  "document structure only (structure tags, document information)"),
}
_KIND_ORDER = tuple(KIND_TEXT)
_KIND_LEVEL = {"signatures": ModificationLevel.FORM_FILLING, "number_date": ModificationLevel.FORM_FILLING,
               "form_fill": ModificationLevel.FORM_FILLING, "comments": ModificationLevel.ANNOTATIONS,
               "ltv": ModificationLevel.LTA_UPDATES, "structure": ModificationLevel.LTA_UPDATES}
CLERK_FIELDS = frozenset({NUMBER_FIELD, DAY_FIELD, MONTH_FIELD})

#: What an unexplained change would do on screen.
UNSAFE_TEXT: dict[str, tuple[str, str]] = {
    "page_content": ("nội dung trang bị thay thế", "page content replaced"),
    "page_added": ("trang bị thêm hoặc bớt", "a page added or removed"),
    "resource_redefined": ("hình ảnh, hình vẽ hoặc phông chữ bị định nghĩa lại (tấn công “shadow”)",
                           "an image, drawing or font redefined (shadow attack)"),
    "annotation": ("chú thích vẽ đè lên trang", "an annotation drawn over the page"),
    "form": ("trường biểu mẫu bị xóa hoặc sửa trái phép", "form fields deleted or changed in a way not allowed"),
    "other": ("đối tượng khác của tài liệu bị thay đổi", "other document objects changed"),
}

_SYNTAX, _STRUCTURE = "syntax", "structure"


# --- the structure-tree rule ------------------------------------------------------------------


def _in_struct_tree(path: Any) -> bool:
    parts = tuple(path)
    return len(parts) >= 2 and parts[0] == "/Root" and parts[1] == "/StructTreeRoot"


_STRUCT_TYPES = frozenset({"/StructElem", "/StructTreeRoot", "/OBJR", "/MCR"})
_TREE_NODE_KEYS = frozenset({"/Nums", "/Kids", "/Limits", "/Names"})
_DRAWABLE_KEYS = frozenset({"/Subtype", "/Rect", "/AP", "/FT", "/Resources", "/Contents", "/MediaBox", "/BBox"})


def _structural(obj: Any) -> bool:
    """A new object that can only serve the structure tree (never drawn)."""
    if isinstance(obj, generic.StreamObject):
        return False
    if isinstance(obj, generic.ArrayObject):
        return True  # an array is inert unless an approved container points at it
    if not isinstance(obj, generic.DictionaryObject):
        return False
    if _DRAWABLE_KEYS & set(obj.keys()):
        return False  # an annotation, field, page or resource dressed up as a structure element
    kind = obj.get("/Type")
    if kind in _STRUCT_TYPES:
        return True
    if kind is None and "/S" in obj and "/P" in obj:  # /Type is optional on StructElem
        return True
    keys = set(obj.keys())
    return bool(keys) and keys <= _TREE_NODE_KEYS


class StructTreeRule(QualifiedWhitelistRule):
    """Accept rewrites of the logical structure tree (it is never rendered)."""

    def apply_qualified(self, old: HistoricalResolver, new: HistoricalResolver
                        ) -> Iterable[tuple[ModificationLevel, ReferenceUpdate]]:
        try:
            new_root = new.root
        except Exception:
            return
        if "/StructTreeRoot" not in new_root:
            return
        xrefs = old.reader.xrefs
        for ref in new.explicit_refs_in_revision():
            try:
                obj = new(ref)
            except Exception:
                continue
            if isinstance(obj, generic.StreamObject):
                continue
            if xrefs.get_historical_ref(ref, old.revision) is None:
                if _structural(obj):
                    yield ModificationLevel.LTA_UPDATES, ReferenceUpdate(ref)
                continue
            usages = old._get_usages_of_ref(ref)
            if not usages or not all(_in_struct_tree(p) for p in usages):
                continue
            try:
                if isinstance(old(ref), generic.StreamObject):
                    continue
            except Exception:
                continue
            yield ModificationLevel.LTA_UPDATES, ReferenceUpdate(ref)


class DSSRule(QualifiedWhitelistRule):
    """Accept updates of the Document Security Store (``/Root/DSS``: certificates,
    OCSP responses, CRLs and the per-signature ``/VRI`` entries; never rendered).

    pyHanko's DSS rule refuses a ``/VRI`` entry that changes between two revisions,
    which happens when an archive timestamp renewal refreshes the validation data of a
    signature; compared with consecutive revisions that is an ordinary LTV update. An
    overwritten object is accepted only if the older revision reaches it only through
    ``/Root/DSS`` and it is not a stream; a new object only if the new DSS refers to it.
    """

    def apply_qualified(self, old: HistoricalResolver, new: HistoricalResolver
                        ) -> Iterable[tuple[ModificationLevel, ReferenceUpdate]]:
        try:
            dss = new.root.raw_get("/DSS")
        except (KeyError, Exception):
            return
        reachable: set[generic.Reference] = set()
        stack: list[tuple[Any, int]] = [(dss, 0)]
        while stack:
            cur, depth = stack.pop()
            if depth > 8:
                continue
            if isinstance(cur, generic.IndirectObject):
                if cur.reference in reachable:
                    continue
                reachable.add(cur.reference)
                cur = cur.get_object()
                if isinstance(cur, generic.StreamObject):
                    continue  # DER data: nothing inside to follow
            if isinstance(cur, generic.DictionaryObject):
                stack.extend((cur.raw_get(k), depth + 1) for k in cur)
            elif isinstance(cur, generic.ArrayObject):
                stack.extend((v, depth + 1) for v in cur)
        xrefs = old.reader.xrefs
        for ref in new.explicit_refs_in_revision():
            if xrefs.get_historical_ref(ref, old.revision) is None:
                if ref in reachable:
                    yield ModificationLevel.LTA_UPDATES, ReferenceUpdate(ref)
                continue
            usages = old._get_usages_of_ref(ref)
            if not usages or not all(tuple(p)[:2] == ("/Root", "/DSS") for p in usages):
                continue
            try:
                if isinstance(old(ref), generic.StreamObject) or isinstance(new(ref), generic.StreamObject):
                    continue
            except Exception:
                continue
            yield ModificationLevel.LTA_UPDATES, ReferenceUpdate(ref)


# --- tagging: which rule accepted which object --------------------------------------------------


class _Sink:
    def __init__(self) -> None:
        self.tags: dict[generic.Reference, set[str]] = {}
        self.fields: dict[generic.Reference, set[tuple[str, str]]] = {}

    def clear(self) -> None:
        self.tags.clear()
        self.fields.clear()

    def add(self, ref: generic.Reference, tag: str) -> None:
        self.tags.setdefault(ref, set()).add(tag)

    def kinds(self, refs: set[generic.Reference]) -> set[str]:
        """Tags of the objects this revision actually wrote (rules also vouch for untouched ones)."""
        return {t for r, tags in self.tags.items() if r in refs for t in tags}

    def filled(self, refs: set[generic.Reference]) -> set[str]:
        return {name for r, pairs in self.fields.items() if r in refs for tag, name in pairs if tag == "form_fill"}


class _TaggedRule(QualifiedWhitelistRule):
    def __init__(self, rule: QualifiedWhitelistRule, tag: str, sink: _Sink) -> None:
        self.rule, self.tag, self.sink = rule, tag, sink

    def apply_qualified(self, old: HistoricalResolver, new: HistoricalResolver
                        ) -> Iterator[tuple[ModificationLevel, ReferenceUpdate]]:
        for level, upd in self.rule.apply_qualified(old, new):
            self.sink.add(upd.updated_ref, self.tag)
            yield level, upd


class _TaggedFieldRule(FieldMDPRule):
    def __init__(self, rule: FieldMDPRule, tag: str, sink: _Sink) -> None:
        self.rule, self.tag, self.sink = rule, tag, sink

    def apply(self, context: Any) -> Iterator[tuple[ModificationLevel, Any]]:
        for level, upd in self.rule.apply(context):
            self.sink.add(upd.updated_ref, self.tag)
            if upd.field_name is not None:
                self.sink.fields.setdefault(upd.updated_ref, set()).add((self.tag, upd.field_name))
            yield level, upd


def _policy(sink: _Sink) -> StandardDiffPolicy:
    tags = {DocInfoRule: _STRUCTURE, MetadataUpdateRule: _STRUCTURE, XrefStreamRule: _SYNTAX,
            ObjectStreamRule: _SYNTAX}
    rules: list[QualifiedWhitelistRule] = []
    for rule in DEFAULT_DIFF_POLICY.global_rules:
        inner = getattr(rule, "rule", None)  # as_qualified() wraps the plain rule
        key = type(inner) if inner is not None else type(rule)
        if key.__name__.startswith("DSS"):
            continue  # replaced by DSSRule (see there)
        rules.append(_TaggedRule(rule, tags.get(key, _SYNTAX), sink))
    rules.append(_TaggedRule(DSSRule(), "ltv", sink))
    rules.append(_TaggedRule(StructTreeRule(), _STRUCTURE, sink))
    rules.append(_TaggedRule(CommentRule(), "comments", sink))
    form_rule = FormUpdatingRule(field_rules=[
        _TaggedFieldRule(SigFieldCreationRule(allow_new_visible_after_certify=True), "signatures", sink),
        _TaggedFieldRule(SigFieldModificationRule(), "signatures", sink),
        _TaggedFieldRule(GenericFieldModificationRule(), "form_fill", sink),
    ])
    return StandardDiffPolicy(global_rules=rules, form_rule=form_rule)


# --- results ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RevisionChange:
    """What one incremental update (revision ``k-1`` → ``k``) did."""

    revision: int
    level: ModificationLevel | None  # None: unsafe
    kinds: frozenset[str] = frozenset()
    changed_fields: frozenset[str] = frozenset()  # every changed field (for FieldMDP locks)
    filled_fields: frozenset[str] = frozenset()  # non-signature fields filled in
    unsafe: tuple[str, ...] = ()  # UNSAFE_TEXT codes
    detail: str = ""


@dataclass(frozen=True)
class SignatureChanges:
    """The changes made after one signature, folded over the later updates."""

    modification: str  # "none" | "ltv_updates" | "form_filling" | "annotations" | "unsafe" | "unchecked"
    kinds: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    problems: tuple[Msg, ...] = ()

    def named(self, lang: str = "vi") -> list[str]:
        out = []
        for kind in self.kinds:
            vi, en = KIND_TEXT[kind]
            text = en if lang == "en" else vi
            if kind == "form_fill" and self.fields:
                text += f" ({', '.join(self.fields)})"
            out.append(text)
        return out


_LEVEL_NAME = {
    ModificationLevel.NONE: "none",
    ModificationLevel.LTA_UPDATES: "ltv_updates",
    ModificationLevel.FORM_FILLING: "form_filling",
    ModificationLevel.ANNOTATIONS: "annotations",
}


@dataclass
class RevisionAnalysis:
    total_revisions: int
    changes: dict[int, RevisionChange] = field(default_factory=dict)
    seconds: float = 0.0

    def for_signature(self, signed_revision: int, docmdp: MDPPerm | None = None,
                      fieldmdp: Any = None) -> SignatureChanges:
        later = range(signed_revision + 1, self.total_revisions)
        if not later:
            return SignatureChanges("none")
        for k in reversed(later):  # the analysis stops at the newest unsafe update
            change = self.changes.get(k)
            if change is not None and change.level is None:
                return SignatureChanges("unsafe", problems=(_unsafe_msg(change),))
        level = ModificationLevel.NONE
        kinds: set[str] = set()
        fields: set[str] = set()
        filled: set[str] = set()
        for k in later:
            change = self.changes.get(k)
            if change is None or change.level is None:
                return SignatureChanges("unchecked", problems=(_unchecked(),))
            level = max(level, change.level)
            kinds |= change.kinds
            fields |= change.changed_fields
            filled |= change.filled_fields
        problems: list[Msg] = []
        allowed = {MDPPerm.NO_CHANGES: ModificationLevel.LTA_UPDATES,
                   MDPPerm.FILL_FORMS: ModificationLevel.FORM_FILLING,
                   MDPPerm.ANNOTATE: ModificationLevel.ANNOTATIONS}.get(docmdp) if docmdp else None
        if allowed is not None and level > allowed:
            beyond = [k for k in _ordered(kinds) if _KIND_LEVEL[k] > allowed] or _ordered(kinds)
            problems.append(("modified", "Chữ ký chứng thực của văn bản không cho phép thay đổi đã có "
                             f"sau khi ký: {', '.join(KIND_TEXT[k][0] for k in beyond)}.",
                             "The certifying signature does not allow a change made after it: "
                             f"{', '.join(KIND_TEXT[k][1] for k in beyond)}."))
        if fieldmdp is not None:
            locked = sorted(f for f in fields if fieldmdp.is_locked(f))
            if locked:
                problems.append(("modified", f"Trường đã bị khóa khi ký nhưng vẫn bị sửa: {', '.join(locked)}.",
                                 f"Fields locked by the signature were changed: {', '.join(locked)}."))
        if problems:
            return SignatureChanges("unsafe", problems=tuple(problems))
        shown = _ordered(kinds)
        if "form_fill" in shown and filled and filled <= CLERK_FIELDS:
            shown[shown.index("form_fill")] = "number_date"
        return SignatureChanges(_LEVEL_NAME[level], tuple(shown),
                                tuple(sorted(filled)) if "form_fill" in shown else ())


def _ordered(kinds: Iterable[str]) -> list[str]:
    return [k for k in _KIND_ORDER if k in set(kinds)]


def _unchecked() -> Msg:
    return ("changes_unchecked",
            "Chưa phân tích hết các lần cập nhật sau khi ký (vượt giới hạn thời gian kiểm tra): "
            "chưa khẳng định được nội dung không bị thay đổi.",
            "Not every update after signing could be analysed within the time limit: "
            "Desk cannot confirm the content is unchanged.")


def _unsafe_msg(change: RevisionChange) -> Msg:
    codes = change.unsafe or ("other",)
    vi = "; ".join(UNSAFE_TEXT[c][0] for c in codes)
    en = "; ".join(UNSAFE_TEXT[c][1] for c in codes)
    return ("modified",
            f"Nội dung văn bản bị thay đổi sau khi ký (lần cập nhật thứ {change.revision}): {vi}.",
            f"The document's content was changed after signing (update {change.revision}): {en}.")


# --- naming unexplained changes -------------------------------------------------------------------

_FONT_KEYS = frozenset({"/FontFile", "/FontFile2", "/FontFile3", "/CharProcs", "/DescendantFonts"})


def _classify(ref: generic.Reference, old: HistoricalResolver, new: HistoricalResolver) -> str:
    fresh = old.reader.xrefs.get_historical_ref(ref, old.revision) is None
    try:
        obj = new(ref)
    except Exception:
        return "other"
    paths = [] if fresh else [tuple(p) for p in old._get_usages_of_ref(ref)]
    keys = {k for p in paths for k in p if isinstance(k, str)}
    if isinstance(obj, generic.DictionaryObject):
        kind, sub = obj.get("/Type"), obj.get("/Subtype")
        if kind == "/Pages" or (kind == "/Page" and fresh):
            return "page_added"
        if kind == "/Page":
            old_obj = old(ref)
            if _raw(old_obj, "/Contents") != _raw(obj, "/Contents"):
                return "page_content"
            if _raw(old_obj, "/Annots") != _raw(obj, "/Annots"):
                return "annotation"
            return "resource_redefined"
        if kind == "/Annot" or (sub is not None and "/Rect" in obj):
            return "annotation"
        if kind in ("/Font", "/FontDescriptor", "/XObject") or sub in ("/Image", "/Form") \
                or _FONT_KEYS & set(obj.keys()):
            # a new one is only drawn through something else that changed (named there)
            return "new_resource" if fresh else "resource_redefined"
    if "/Contents" in keys:
        return "page_content"
    if keys & {"/Resources", "/XObject", "/Font", "/ExtGState", "/Pattern", "/Shading"}:
        return "resource_redefined"
    if "/Annots" in keys:
        return "annotation"
    if "/Kids" in keys and any("/Pages" in p for p in paths):
        return "page_added"
    return "other"


def _raw(obj: Any, key: str) -> Any:
    return obj.raw_get(key) if key in obj else None


def _identical(old: HistoricalResolver, new: HistoricalResolver, ref: generic.Reference) -> bool:
    if old.reader.xrefs.get_historical_ref(ref, old.revision) is None:
        return False
    try:
        a, b = old(ref), new(ref)
    except Exception:
        return False
    if isinstance(a, generic.StreamObject) or isinstance(b, generic.StreamObject):
        if not (isinstance(a, generic.StreamObject) and isinstance(b, generic.StreamObject)):
            return False
        return dict(a) == dict(b) and a.encoded_data == b.encoded_data
    return bool(a == b)


def _analyse_pair(policy: StandardDiffPolicy, sink: _Sink, old: HistoricalResolver, new: HistoricalResolver,
                  created_sig: Any) -> RevisionChange:
    sink.clear()
    k = new.revision
    written = set(new.explicit_refs_in_revision())
    try:
        result = policy.apply(old, new)
    except SuspiciousModification as exc:
        explained = set(sink.tags)
        unexplained = [r for r in written
                       if r not in explained and not _identical(old, new, r)]
        found = {_classify(r, old, new) for r in unexplained}
        if found != {"new_resource"}:
            found.discard("new_resource")
        codes = sorted({"resource_redefined" if c == "new_resource" else c for c in found},
                       key=list(UNSAFE_TEXT).index)
        if not codes:
            codes = ["form"] if "field" in str(exc).lower() else ["other"]
        return RevisionChange(k, None, unsafe=tuple(codes), detail=str(exc)[:500])
    except Exception as exc:  # a damaged revision: unsafe, never a crash
        return RevisionChange(k, None, unsafe=("other",), detail=f"{type(exc).__name__}: {exc}"[:500])
    kinds = sink.kinds(written) - {_SYNTAX}
    if created_sig is not None and "signatures" in kinds \
            and getattr(created_sig, "sig_object_type", None) == "/DocTimeStamp":
        kinds.discard("signatures")
        kinds.add("ltv")
    filled = frozenset(sink.filled(written))
    if not filled:
        kinds.discard("form_fill")  # the generic rule also re-approves untouched fields
    return RevisionChange(k, result.modification_level, frozenset(kinds),
                          frozenset(result.changed_form_fields) | filled, filled)


def analyse_revisions(reader: PdfFileReader, signatures: Sequence[Any], *,
                      budget_seconds: float = 20.0) -> RevisionAnalysis:
    """Analyse every update made after the first signature, once, newest first.

    Stops at the first unsafe update (everything signed before it is unsafe) and
    when ``budget_seconds`` have passed (the rest is reported as not analysed).
    """
    start = time.monotonic()
    total = reader.xrefs.total_revisions
    analysis = RevisionAnalysis(total)
    if not signatures:
        return analysis
    first = min(s.signed_revision for s in signatures)
    created = {s.signed_revision: s for s in signatures}
    sink = _Sink()
    policy = _policy(sink)
    cache = getattr(reader, "_historical_resolver_cache", None)
    for k in range(total - 1, first, -1):
        if time.monotonic() - start >= budget_seconds:
            break
        old = reader.get_historical_resolver(k - 1)
        new = reader.get_historical_resolver(k)
        change = _analyse_pair(policy, sink, old, new, created.get(k))
        analysis.changes[k] = change
        if isinstance(cache, dict):
            # Memory stays bounded by two revisions: revision k is not needed again
            # (k-1 is the "new" side of the next comparison).
            cache.pop(k, None)
        if change.level is None:
            break
    analysis.seconds = time.monotonic() - start
    return analysis
