"""What each toolbar action does: open its dialog (non-modal to the event loop, via ``open()``),
then run the service in the background and refresh the screens.

Each function returns the dialog it opened (or None), so tests can drive the real widgets.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QDialog

from desk.office import Office
from desk.services import actions
from desk.workflow import can
from ui import messages
from ui.actionhost import ActionHost
from ui.i18n import tr
from ui.ops import Changes, Op

DOCS = Changes(documents=True)


def _current(win: ActionHost) -> int | None:
    return win.list_page.current_id()


# --- clerk -------------------------------------------------------------------------------------


def import_files(win: ActionHost, paths: list[Any] | None = None) -> QDialog:
    from ui.dialogs.import_dialog import ImportDialog, ImportResult, import_work

    dlg = ImportDialog(win)
    if paths:
        dlg.add(paths)

    def accepted() -> None:
        files, then_register = dlg.files.paths(), dlg.register_after.isChecked()

        def done(result: ImportResult) -> None:
            if result.failures:
                messages.warning("\n".join(f"{n}: {m}" for n, m in result.failures), win)
            if then_register and result.document_ids:
                _register_chain(win, list(result.document_ids))

        Op(win, import_work(win.ctx, files), title=tr("Importing…"), changes=DOCS).success(done).run()

    dlg.accepted.connect(accepted)
    dlg.open()
    return dlg


def _register_chain(win: ActionHost, ids: list[int]) -> None:
    if ids:
        dlg = register(win, ids[0])
        if dlg is not None:
            dlg.finished.connect(lambda _r: _register_chain(win, ids[1:]))


def register(win: ActionHost, doc_id: int | None = None) -> QDialog | None:
    from ui.dialogs.register_dialog import RegisterDialog, register_work

    doc_id = doc_id or _current(win)
    if doc_id is None:
        return None
    dlg = RegisterDialog(win.ctx, doc_id, win)
    win.last_dialog = dlg

    def accepted() -> None:
        def done(reg: Any) -> None:
            win.statusBar().showMessage(
                tr("Registered as incoming number {n}/{year}.").format(n=reg.label, year=reg.year), 8000)

        Op(win, register_work(win.ctx, doc_id, dlg.form()), title=tr("Registering…"),
           cancellable=False, changes=DOCS).success(done).run()

    dlg.accepted.connect(accepted)
    dlg.open()
    return dlg


def present(win: ActionHost) -> QDialog | None:
    from ui.dialogs.routing_dialogs import PresentDialog, present_work

    hits = [h for h in win.list_page.selected_hits() if can(h, "present")]
    if not hits:
        return None
    dlg = PresentDialog(win.ctx, win)
    win.last_dialog = dlg

    def accepted() -> None:
        leader, note = dlg.values()
        Op(win, present_work(win.ctx, [h.id for h in hits], leader, note), title=tr("Presenting…"),
           cancellable=False, changes=DOCS).run()

    dlg.accepted.connect(accepted)
    dlg.open()
    return dlg


def release(win: ActionHost) -> QDialog | None:
    from ui.signing_dialogs import ReleaseDialog

    hit = win.list_page.current_hit()
    if hit is None or not can(hit, "release"):
        return None
    dlg = ReleaseDialog(win.ctx, hit.id, win)
    win.last_dialog = dlg
    dlg.open()
    return dlg


# --- leader ---------------------------------------------------------------------------------------


def approve(win: ActionHost) -> QDialog | None:
    """A head of unit forwards a reviewed draft to the leader for signature (note optional)."""
    from ui.dialogs.common import TextDialog

    hit = win.list_page.current_hit()
    if hit is None or not can(hit, "approve"):
        return None
    dlg = TextDialog(win, tr("Approve the draft"), tr("Note (optional):"), tr("Approve"), required=False)
    win.last_dialog = dlg
    office, actor_id, doc_id = win.ctx.office, win.ctx.user_id, hit.id

    def accepted() -> None:
        note = dlg.value() or None
        Op(win, lambda _op: actions.approve(office, doc_id, actor_id, note), title=tr("Approving…"),
           cancellable=False, changes=DOCS).run()

    dlg.accepted.connect(accepted)
    dlg.open()
    return dlg


def assign(win: ActionHost) -> QDialog | None:
    from ui.dialogs.routing_dialogs import AssignDialog, assign_work

    doc_id = _current(win)
    if doc_id is None:
        return None
    dlg = AssignDialog(win.ctx, win)
    win.last_dialog = dlg

    def accepted() -> None:
        try:
            targets = dlg.targets()
        except Exception as exc:  # a ValidationError from AssignTarget
            messages.error(exc, win)
            return
        note = dlg.note.toPlainText().strip() or None
        Op(win, assign_work(win.ctx, doc_id, targets, dlg.deadline_value(), note), title=tr("Assigning…"),
           cancellable=False, changes=DOCS).run()

    dlg.accepted.connect(accepted)
    dlg.open()
    return dlg


def sign_selected(win: ActionHost) -> QDialog | None:
    from ui.signing_dialogs import SignDialog

    ids = [h.id for h in win.list_page.selected_hits() if can(h, "sign")]
    if not ids:
        return None
    dlg = SignDialog(win.ctx, ids, win)
    win.last_dialog = dlg
    dlg.open()
    return dlg


def signing_session(win: ActionHost) -> QDialog | None:
    from ui.signing_dialogs import SigningSessionDialog

    dlg = SigningSessionDialog(win.ctx, win)
    win.last_dialog = dlg
    dlg.open()
    return dlg


# --- specialist -----------------------------------------------------------------------------------


_TEXT_SERVICES: dict[str, Callable[[Office, int, int | None, str, int | None], actions.Changed]] = {
    "progress": lambda o, d, a, text, pct: actions.report_progress(o, d, a, int(pct or 0), text),
    "opinion": lambda o, d, a, text, _pct: actions.add_opinion(o, d, a, text),
    "finish": lambda o, d, a, text, _pct: actions.finish(o, d, a, text or None),
    "return": lambda o, d, a, text, _pct: actions.return_to_leader(o, d, a, text),
}


def _text_action(win: ActionHost, title: str, prompt: str, ok: str, service: str, *,
                 required: bool = True, percent: int | None = None) -> QDialog | None:
    from ui.dialogs.common import TextDialog

    doc_id = _current(win)
    if doc_id is None:
        return None
    dlg = TextDialog(win, title, prompt, ok, required=required, percent=percent)
    win.last_dialog = dlg

    def accepted() -> None:
        text, pct = dlg.value(), dlg.percent.value() if dlg.percent else None
        office, actor_id, run = win.ctx.office, win.ctx.user_id, _TEXT_SERVICES[service]
        Op(win, lambda _op: run(office, doc_id, actor_id, text, pct), title=title, cancellable=False,
           changes=DOCS).run()

    dlg.accepted.connect(accepted)
    dlg.open()
    return dlg


def report_progress(win: ActionHost) -> QDialog | None:
    return _text_action(win, tr("Record progress"), tr("What was done:"), tr("Save"), "progress", percent=50)


def opinion(win: ActionHost) -> QDialog | None:
    return _text_action(win, tr("Give an opinion"), tr("Opinion:"), tr("Send"), "opinion")


def finish(win: ActionHost) -> QDialog | None:
    return _text_action(win, tr("Finish handling"), tr("Result (optional):"), tr("Finish"), "finish",
                        required=False)


def return_to_leader(win: ActionHost) -> QDialog | None:
    return _text_action(win, tr("Return to the leader"), tr("Reason:"), tr("Return"), "return")


# --- settings --------------------------------------------------------------------------------------


def settings(win: ActionHost) -> QDialog:
    from ui.dialogs.settings_dialog import SettingsDialog

    dlg = SettingsDialog(win.ctx, win)
    win.last_dialog = dlg
    dlg.accepted.connect(win.sync_status.forget_engine)
    dlg.open()
    return dlg
