# mypy: disable-error-code="no-untyped-call"
# (pyHanko and pyhanko-certvalidator leave many functions unannotated.)
"""Desk's policy for changes made after a signature.

pyHanko's default rules class a comment added after an ordinary (approval)
signature as an unsafe change; PDF and the common readers allow comments there.
Desk's decision: comments (sticky notes, highlights, underlines, ink, simple
shapes, free text) added after an approval signature are acceptable and reported
as "changed after signing: comments only"; everything else that is not form
filling, a new signature or LTV data is an unsafe change. Stamp, file-attachment,
sound and redaction annotations are not comments here: they can carry or hide
content.

Only comment objects created in the new revision are approved, with the page
(whose only change must be its /Annots list) and any fresh objects the comment
needs (appearance streams, popups). Reusing or overwriting an older object is
never explained by this rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import HistoricalResolver
from pyhanko.sign.diff_analysis import (
    DEFAULT_DIFF_POLICY,
    ModificationLevel,
    QualifiedWhitelistRule,
    ReferenceUpdate,
    StandardDiffPolicy,
)

COMMENT_SUBTYPES = frozenset({
    "/Text", "/Popup", "/Highlight", "/Underline", "/StrikeOut", "/Squiggly", "/Caret",
    "/FreeText", "/Ink", "/Square", "/Circle", "/Line", "/Polygon", "/PolyLine",
})


def _pages(node: Any, depth: int = 0) -> Iterator[tuple[generic.Reference, Any]]:
    if depth > 32:
        return
    for kid in node.get("/Kids", []):
        obj = kid.get_object()
        if obj.get("/Type") == "/Pages":
            yield from _pages(obj, depth + 1)
        else:
            yield kid.reference, obj


def _annot_refs(page: Any) -> list[generic.Reference] | None:
    raw = page.raw_get("/Annots") if "/Annots" in page else None
    if raw is None:
        return []
    arr = raw.get_object()
    refs = []
    for item in arr:
        if not isinstance(item, generic.IndirectObject):
            return None
        refs.append(item.reference)
    return refs


def _is_fresh(old: HistoricalResolver, ref: generic.Reference) -> bool:
    return old.reader.xrefs.get_historical_ref(ref, old.revision) is None


def _fresh_deps(obj: Any, old: HistoricalResolver, seen: set[generic.Reference]) -> Iterator[generic.Reference]:
    """Fresh objects reachable from ``obj`` (appearance streams, their resources)."""
    stack = [obj]
    while stack:
        cur = stack.pop()
        if isinstance(cur, generic.IndirectObject):
            ref = cur.reference
            if ref in seen or not _is_fresh(old, ref):
                continue
            seen.add(ref)
            yield ref
            stack.append(cur.get_object())
        elif isinstance(cur, generic.DictionaryObject):
            for key in cur:
                if key in ("/P", "/Parent"):
                    continue  # back-links to the page / parent annotation
                stack.append(cur.raw_get(key))
        elif isinstance(cur, generic.ArrayObject):
            stack.extend(cur)


def _same_except_annots(old_page: Any, new_page: Any) -> bool:
    keys = (set(old_page) | set(new_page)) - {"/Annots"}
    return all(old_page.raw_get(k) ==
               new_page.raw_get(k)
               if k in old_page and k in new_page else False for k in keys)


class CommentRule(QualifiedWhitelistRule):
    """Approve comment annotations added to pages (level ANNOTATIONS)."""

    def apply_qualified(self, old: HistoricalResolver, new: HistoricalResolver
                        ) -> Iterable[tuple[ModificationLevel, ReferenceUpdate]]:
        try:
            old_pages = dict(_pages(old.root["/Pages"]))
            new_pages = list(_pages(new.root["/Pages"]))
        except (KeyError, AttributeError):
            return
        for page_ref, new_page in new_pages:
            old_page = old_pages.get(page_ref)
            if old_page is None:
                continue
            before, after = _annot_refs(old_page), _annot_refs(new_page)
            if before is None or after is None or not set(before) <= set(after):
                continue
            added = [r for r in after if r not in before]
            comments = [r for r in added if _is_fresh(old, r)
                        and new(r).get("/Subtype") in COMMENT_SUBTYPES]
            if not comments:
                continue
            seen: set[generic.Reference] = set()
            for ref in comments:
                yield ModificationLevel.ANNOTATIONS, ReferenceUpdate(ref)
                seen.add(ref)
                yield from ((ModificationLevel.ANNOTATIONS, ReferenceUpdate(d))
                            for d in _fresh_deps(new(ref), old, seen))
            if len(comments) == len(added) and _same_except_annots(old_page, new_page):
                yield ModificationLevel.ANNOTATIONS, ReferenceUpdate(page_ref)
                raw = new_page.raw_get("/Annots")
                if isinstance(raw, generic.IndirectObject):
                    yield ModificationLevel.ANNOTATIONS, ReferenceUpdate(raw.reference)


#: pyHanko's default rules plus comments after approval signatures: the per-signature
#: policy Desk used before issue 12 (kept for bench/bench_verify_real.py's baseline).
#: Verification now uses :mod:`signing.revisions`, which adds these rules to its own.
DESK_DIFF_POLICY = StandardDiffPolicy(
    global_rules=[*DEFAULT_DIFF_POLICY.global_rules, CommentRule()],
    form_rule=DEFAULT_DIFF_POLICY.form_rule,
)
