"""The main window: navigation, the list, the detail pane, the actions, the sync status."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from desk import workflow
from desk.search import Hit
from ui import workflow_actions as wa
from ui.actionhost import ActionHost
from ui.context import AppContext
from ui.detail import DetailPane
from ui.i18n import tr
from ui.icons import icon
from ui.listmodel import Row
from ui.listpage import ListPage
from ui.nav import NavTree, default_view
from ui.ops import Changes, OpContext, get_bus, query


def actions_for(hit: Hit | Row) -> set[str]:
    return set(workflow.allowed_actions(hit))


class MainWindow(ActionHost):
    first_list_shown = Signal()
    counts_updated = Signal()

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self._first_list = False
        self._deadlines_told = False
        self.last_dialog: QWidget | None = None  # the dialog an action opened (tests drive it)
        self.setWindowTitle(tr("Desk — electronic office"))
        self.setWindowIcon(icon("desk"))
        self.resize(1440, 860)
        self.nav = NavTree()
        self.list_page = ListPage(ctx)
        self.detail = DetailPane(ctx)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.list_page)
        self._pages: dict[str, QWidget] = {}
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(self.stack)
        self.splitter.addWidget(self.detail)
        self.splitter.setSizes([220, 800, 420])
        self.splitter.setStretchFactor(1, 1)
        self.setCentralWidget(self.splitter)
        self.user_combo = QComboBox()
        self.user_combo.setAccessibleName(tr("User"))
        self.user_combo.setMinimumWidth(200)
        self._make_actions()
        self._make_statusbar()
        self.nav.view_chosen.connect(self.show_view)
        self.list_page.document_selected.connect(self._selected)
        self.list_page.list_shown.connect(self._list_shown)
        self.list_page.activated.connect(lambda _i: self.detail.tabs.setCurrentWidget(self.detail.pdf))
        get_bus().changed.connect(self._changed)
        self.user_combo.currentIndexChanged.connect(self._user_changed)
        self._fill_users()
        self._apply_role()
        self._deadline_timer = QTimer(self)
        self._deadline_timer.setInterval(60_000)
        self._deadline_timer.timeout.connect(self.refresh_counts)
        self._deadline_timer.start()

    # --- actions -------------------------------------------------------------------------------

    def _action(self, name: str, text: str, shortcut: str | QKeySequence.StandardKey | None,
                slot: Callable[[], Any], tip: str = "") -> QAction:
        a = QAction(icon(name), text, self)
        if shortcut is not None:
            a.setShortcut(QKeySequence(shortcut))
        a.setToolTip(f"{tip or text} ({a.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})"
                     if shortcut is not None else tip or text)
        a.triggered.connect(slot)
        self.addAction(a)
        return a

    def _make_actions(self) -> None:
        self.act_import = self._action("import", tr("Import"), "Ctrl+I", lambda: wa.import_files(self),
                                       tr("Import PDF files as incoming documents"))
        self.act_register = self._action("register-doc", tr("Register"), "Ctrl+R",
                                         lambda: wa.register(self), tr("Register in the incoming book"))
        self.act_present = self._action("present", tr("Present"), "Ctrl+T", lambda: wa.present(self),
                                        tr("Present to a leader"))
        self.act_release = self._action("outgoing", tr("Release"), "Ctrl+E", lambda: wa.release(win=self),
                                        tr("Number, seal with the organisation's signature and send"))
        self.act_approve = self._action("finish", tr("Approve"), "Ctrl+Shift+A", lambda: wa.approve(self),
                                        tr("Forward the draft to the leader for signature"))
        self.act_assign = self._action("assign", tr("Assign"), "Ctrl+G", lambda: wa.assign(self),
                                       tr("Assign for handling"))
        self.act_sign = self._action("sign", tr("Sign"), "Ctrl+K", lambda: wa.sign_selected(self),
                                     tr("Sign the selected documents with your token"))
        self.act_session = self._action("sign", tr("Signing session"), "Ctrl+Shift+K",
                                        lambda: wa.signing_session(self),
                                        tr("Go through the documents waiting for your signature"))
        self.act_progress = self._action("progress", tr("Progress"), "Ctrl+U",
                                         lambda: wa.report_progress(self), tr("Record progress"))
        self.act_opinion = self._action("opinion", tr("Opinion"), "Ctrl+Y", lambda: wa.opinion(self),
                                        tr("Give an opinion"))
        self.act_finish = self._action("finish", tr("Finish"), "Ctrl+D", lambda: wa.finish(self),
                                       tr("Finish handling"))
        self.act_return = self._action("return", tr("Return"), "Ctrl+Shift+R",
                                       lambda: wa.return_to_leader(self), tr("Return to the leader"))
        self.act_sync = self._action("sync-online", tr("Sync"), "F9", lambda: self.sync_status.sync_now(),
                                     tr("Exchange documents with the server now"))
        self.act_refresh = self._action("refresh", tr("Refresh"), QKeySequence.StandardKey.Refresh,
                                        self.refresh_all)
        self.act_settings = self._action("settings", tr("Settings"), "Ctrl+,", lambda: wa.settings(self))
        self.act_find = self._action("search", tr("Find"), QKeySequence.StandardKey.Find, self._focus_search)
        tb = QToolBar(tr("Actions"))
        tb.setObjectName("actions")
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
        for a in (self.act_import, self.act_register, self.act_present, self.act_release, self.act_assign,
                  self.act_approve, self.act_sign, self.act_session, self.act_progress, self.act_opinion,
                  self.act_finish, self.act_return):
            tb.addAction(a)
        tb.addSeparator()
        tb.addAction(self.act_sync)
        tb.addAction(self.act_refresh)
        tb.addAction(self.act_settings)
        spacer = QWidget()
        spacer.setSizePolicy(spacer.sizePolicy().horizontalPolicy().Expanding,
                             spacer.sizePolicy().verticalPolicy())
        tb.addWidget(spacer)
        tb.addWidget(QLabel(tr("User:") + " "))
        tb.addWidget(self.user_combo)
        self.addToolBar(tb)

    def _make_statusbar(self) -> None:
        from ui.syncstatus import SyncStatusWidget

        self.sync_status = SyncStatusWidget(self.ctx, self)
        self.deadline_label = QLabel()
        self.statusBar().addWidget(self.deadline_label)
        self.statusBar().addPermanentWidget(self.sync_status)

    def _focus_search(self) -> None:
        if self.stack.currentWidget() is not self.list_page:
            self.nav.select("search")
        self.list_page.search.setFocus()
        self.list_page.search.selectAll()

    # --- users and roles -------------------------------------------------------------------------

    def _fill_users(self) -> None:
        from desk.reference import Role

        self.user_combo.blockSignals(True)
        self.user_combo.clear()
        people = self.ctx.people()
        on_pc = set(self.ctx.settings.users_on_pc)
        shown = [p for p in people if p.username in on_pc] or people
        for p in shown:
            roles = ", ".join(Role(r).label for r in sorted(p.roles))
            self.user_combo.addItem(icon("user"), f"{p.full_name} — {roles}", p.username)
        u = self.ctx.user()
        if u is not None:
            self.user_combo.setCurrentIndex(max(0, self.user_combo.findData(u.username)))
        self.user_combo.blockSignals(False)

    def _user_changed(self, _i: int) -> None:
        username = self.user_combo.currentData()
        if username:
            self.ctx.set_user(username)
            self._apply_role()

    def _apply_role(self) -> None:
        u = self.ctx.user()
        roles = u.roles if u else frozenset()
        self.nav.build(roles)
        self.refresh_counts()
        self.nav.select(default_view(roles))
        self._update_actions()

    # --- views -------------------------------------------------------------------------------------

    def show_view(self, key: str) -> None:
        if key in ("registers", "stats"):
            page = self._pages.get(key)
            if page is None:
                page = self._make_page(key)
                self._pages[key] = page
                self.stack.addWidget(page)
            self.stack.setCurrentWidget(page)
            refresh = getattr(page, "refresh", None)
            if refresh:
                refresh()
            return
        self.stack.setCurrentWidget(self.list_page)
        self.list_page.set_view(key)
        if key == "search":
            self.list_page.search.setFocus()

    def _make_page(self, key: str) -> QWidget:
        if key == "registers":
            from ui.registersview import RegistersPage

            return RegistersPage(self.ctx)
        from ui.statsview import StatsPage

        return StatsPage(self.ctx)

    def _list_shown(self, _rows: int) -> None:
        if not self._first_list:
            self._first_list = True
            self.first_list_shown.emit()
        if self.list_page.current_id() is None and self.list_page.model.rowCount() > 0:
            self.list_page.table.selectRow(0)
        self._update_actions()

    def _selected(self, doc_id: int | None) -> None:
        self.detail.show_document(doc_id)
        self._update_actions()

    def _update_actions(self) -> None:
        u = self.ctx.user()
        roles = u.roles if u else frozenset()
        hits = self.list_page.selected_hits()
        hit = self.list_page.current_hit()
        can = actions_for(hit) if hit else set()
        clerk, leader, specialist = ("van_thu" in roles, "lanh_dao" in roles, "chuyen_vien" in roles)
        self.act_import.setEnabled(clerk)
        self.act_register.setEnabled(clerk and hit is not None and hit.direction == "in" and "register" in can)
        self.act_present.setEnabled(clerk and hit is not None and hit.direction == "in" and "present" in can)
        self.act_assign.setEnabled(leader and hit is not None and hit.direction == "in" and "assign" in can)
        is_out = hit is not None and hit.direction == "out"
        self.act_release.setEnabled(clerk and is_out and "release" in can)
        self.act_approve.setEnabled(leader and is_out and "approve" in can)
        signable = [h for h in hits if workflow.can(h, "sign")]
        self.act_sign.setEnabled(leader and bool(signable))
        self.act_session.setEnabled(leader)
        is_in = hit is not None and hit.direction == "in"
        self.act_progress.setEnabled(specialist and is_in and "progress" in can)
        self.act_opinion.setEnabled(is_in and "opinion" in can)
        self.act_finish.setEnabled(specialist and is_in and "finish" in can)
        self.act_return.setEnabled(specialist and is_in and "return" in can)

    # --- refreshing ---------------------------------------------------------------------------------

    def _changed(self, changes: Changes) -> None:
        if changes.settings:
            self._fill_users()
            self._apply_role()
        if changes.documents:
            self.refresh_all()

    def refresh_all(self) -> None:
        self.refresh_counts()
        page = self.stack.currentWidget()
        if page is self.list_page:
            self.list_page.refresh()
        elif (refresh := getattr(page, "refresh", None)) is not None:
            refresh()
        self.detail.reload()

    def refresh_counts(self) -> None:
        office = self.ctx.office
        u = self.ctx.user()
        uid = u.id if u else None

        def work(_ctx: OpContext) -> tuple[dict[str, int], dict[str, int], Any]:
            from desk.services.queries import nav_counts

            nc = nav_counts(office, uid)
            by_state, dl, mine, my_dl = nc.by_state, nc.deadlines, nc.mine, nc.my_deadlines
            counts = {f"{d}:{st}": n for (d, st), n in by_state.items()}
            counts.update({"due:overdue": dl.overdue, "due:soon": dl.due_soon, "mine": mine})
            alerts = {"due:overdue": dl.overdue, "mine": my_dl.overdue if my_dl else 0}
            return counts, alerts, (dl, my_dl)

        def show(result: tuple[dict[str, int], dict[str, int], Any]) -> None:
            counts, alerts, (dl, my_dl) = result
            self.nav.set_counts(counts, alerts)
            text = tr("Overdue: {late} · Due soon: {soon}").format(late=dl.overdue, soon=dl.due_soon)
            if my_dl is not None and (my_dl.overdue or my_dl.due_soon):
                text += " · " + tr("Mine: {late} overdue, {soon} due soon").format(
                    late=my_dl.overdue, soon=my_dl.due_soon)
            self.deadline_label.setText(text)
            self.deadline_label.setStyleSheet("color: #c62828;" if dl.overdue else "")
            if my_dl is not None and (my_dl.overdue or my_dl.due_soon) and not self._deadlines_told:
                self._deadlines_told = True  # once per session: a reminder, not a nag
                self.sync_status.notify(tr("Deadlines"), tr("Mine: {late} overdue, {soon} due soon").format(
                    late=my_dl.overdue, soon=my_dl.due_soon))
            self.counts_updated.emit()

        query(self, work, show)

    # --- window state ------------------------------------------------------------------------------

    def restore_geometry(self) -> None:
        s = QSettings("Desk", "Desk")
        geo = s.value("main/geometry")
        if isinstance(geo, QByteArray):
            self.restoreGeometry(geo)

    def closeEvent(self, event: Any) -> None:
        QSettings("Desk", "Desk").setValue("main/geometry", self.saveGeometry())
        self.sync_status.stop()
        super().closeEvent(event)
