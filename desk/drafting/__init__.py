"""Drafting outgoing documents from Word templates (no Qt).

Public API::

    fill_template(template, values, out) -> list[str]          # placeholders left unfilled
    create_draft(session, store, data, template_code, actor, *, body="",
                 response_for_id=None, values=None, template_dir=None) -> Document
    checkout(office, doc_id) -> Path                            # <data>/work/<id>/du-thao-<id>.docx
    checkin(office, doc_id, actor) -> bool                      # True when a version was added
    versions(session, doc_id) -> list[DraftVersion]
    open_in_word_processor(path) -> Popen | None
    DraftWatcher(office, doc_id, actor, interval)               # .poll() / .start() / .stop() / .run()
    locate_blanks(pdf) -> BlankPlaces                           # where the number and date go

Conversion to PDF is in ``desk.convert``; the templates' generator in
``desk.drafting.templates`` (``python -m desk.drafting.templates``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desk.drafting.fill import fill_template
    from desk.drafting.places import BlankPlaces, Box, locate_blanks
    from desk.drafting.service import (
        DraftVersion,
        checkin,
        checkout,
        create_draft,
        versions,
        work_path,
    )
    from desk.drafting.templates import TEMPLATES, template_path, template_spec
    from desk.drafting.watch import DraftWatcher, EditorPresence, open_in_word_processor

# Loaded on first use, so `python -m desk.drafting.templates` and light callers stay light.
_HOME = {
    "fill_template": "fill", "BlankPlaces": "places", "Box": "places", "locate_blanks": "places",
    "DraftVersion": "service", "checkin": "service", "checkout": "service",
    "create_draft": "service", "versions": "service", "work_path": "service",
    "TEMPLATES": "templates", "template_path": "templates", "template_spec": "templates",
    "DraftWatcher": "watch", "EditorPresence": "watch", "open_in_word_processor": "watch",
}


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module 'desk.drafting' has no attribute {name!r}")
    return getattr(importlib.import_module(f"desk.drafting.{_HOME[name]}"), name)


__all__ = [
    "TEMPLATES",
    "BlankPlaces",
    "Box",
    "DraftVersion",
    "DraftWatcher",
    "EditorPresence",
    "checkin",
    "checkout",
    "create_draft",
    "fill_template",
    "locate_blanks",
    "open_in_word_processor",
    "template_path",
    "template_spec",
    "versions",
    "work_path",
]
