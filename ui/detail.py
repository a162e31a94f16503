"""The detail pane: metadata, the PDF, its signatures, attachments and history."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk.reference import AssignmentRole
from desk.services.detail import AttachmentInfo, DocDetail, load_detail
from ui.context import AppContext
from ui.i18n import fmt_date, fmt_datetime, tr
from ui.icons import icon
from ui.listmodel import urgency_text
from ui.ops import Op, OpContext, query
from ui.pdfview import PdfView
from ui.sigpanel import SignaturePanel


def role_text(role: str) -> str:
    return {AssignmentRole.LEAD.value: tr("Lead"), AssignmentRole.SUPPORT.value: tr("Support"),
            AssignmentRole.INFO.value: tr("For information")}.get(role, role)


class DetailPane(QWidget):
    loaded = Signal(int)  # document id

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.detail: DocDetail | None = None
        self._generation = 0
        self.title = QLabel(tr("Choose a document in the list."))
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-size: 14px; font-weight: 600;")
        self.tabs = QTabWidget()
        self.info = QWidget()
        self.form = QFormLayout(self.info)
        self.pdf = PdfView()
        self.signatures = SignaturePanel(ctx.trust)
        self.attachments = QListWidget()
        self.attachments.itemActivated.connect(self._preview_attachment)
        self.save_btn = QPushButton(tr("Save a copy…"))
        self.save_btn.clicked.connect(self._save_attachment)
        att = QWidget()
        al = QVBoxLayout(att)
        al.addWidget(self.attachments, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.save_btn)
        al.addLayout(row)
        self.history = QTreeWidget()
        self.history.setHeaderLabels([tr("Time"), tr("Who"), tr("What"), tr("Note")])
        self.history.setRootIsDecorated(False)
        self.assign_tree = QTreeWidget()
        self.assign_tree.setHeaderLabels([tr("Role"), tr("Assignee"), tr("Deadline"), tr("State"), tr("Progress")])
        self.assign_tree.setRootIsDecorated(False)
        hist = QWidget()
        hl = QVBoxLayout(hist)
        hl.addWidget(QLabel(tr("Assignments")))
        hl.addWidget(self.assign_tree, 1)
        hl.addWidget(QLabel(tr("History")))
        hl.addWidget(self.history, 2)
        self.tabs.addTab(self.info, tr("Details"))
        self.tabs.addTab(self.pdf, tr("Document"))
        self.tabs.addTab(self.signatures, icon("verified-ok"), tr("Signatures"))
        self.tabs.addTab(att, icon("attachment"), tr("Attachments"))
        self.tabs.addTab(hist, tr("History"))
        lay = QVBoxLayout(self)
        lay.addWidget(self.title)
        lay.addWidget(self.tabs, 1)
        self.signatures.verified.connect(self._verdict_icon)

    # --- loading ----------------------------------------------------------------------------

    def show_document(self, doc_id: int | None) -> None:
        self._generation += 1
        if doc_id is None:
            self.detail = None
            self.title.setText(tr("Choose a document in the list."))
            self._clear_form()
            self.pdf.set_pdf(None)
            self.signatures.clear()
            self.attachments.clear()
            self.history.clear()
            self.assign_tree.clear()
            return
        generation, office = self._generation, self.ctx.office

        def work(_ctx: OpContext) -> tuple[DocDetail, bytes | None]:
            d = load_detail(office, doc_id)
            main = d.main_pdf
            data = office.blobs.read_bytes(main.sha256) if main else None
            return d, data

        def show(result: tuple[DocDetail, bytes | None]) -> None:
            if generation == self._generation:
                self._fill(*result)

        query(self, work, show)

    def reload(self) -> None:
        if self.detail is not None:
            self.show_document(self.detail.id)

    def _clear_form(self) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)

    def _fill(self, d: DocDetail, data: bytes | None) -> None:
        from desk.workflow import state_label

        self.detail = d
        self.title.setText(f"{d.type_name} {d.code} — {d.subject}")
        self._clear_form()
        rows = [
            (tr("Number and notation"), d.code or "—"),
            (tr("Incoming number"), d.incoming_number or ""),
            (tr("Type"), d.type_name),
            (tr("Subject"), d.subject),
            (tr("Issued by"), f"{d.issuer} ({d.issuer_code})" if d.issuer_code else d.issuer),
            (tr("Date"), fmt_date(d.issued_date)),
            (tr("Signed by"), d.signer),
            (tr("Urgency"), urgency_text(d.urgency) or tr("Normal")),
            (tr("Confidentiality"), d.confidentiality),
            (tr("Status"), state_label(d.direction, d.state)),
            (tr("Deadline"), fmt_date(d.due_date)),
            (tr("Pages"), str(d.page_count or "")),
            (tr("Recipients"), ("\n" if d.direction == "out" else "; ").join(d.recipients)),
        ]
        for label, value in rows:
            if value:
                v = QLabel(value)
                v.setWordWrap(True)
                v.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                self.form.addRow(label + ":", v)
        self.attachments.clear()
        for a in d.attachments:
            item = QListWidgetItem(icon("attachment"), f"{a.filename} ({a.size // 1024 + 1} KB)")
            item.setData(Qt.ItemDataRole.UserRole, a)
            self.attachments.addItem(item)
        self.assign_tree.clear()
        for line in d.assignments:
            QTreeWidgetItem(self.assign_tree, [role_text(line.role), line.target, fmt_date(line.deadline),
                                               line.state, f"{line.progress}%"])
        self.history.clear()
        for h in d.history:
            QTreeWidgetItem(self.history, [fmt_datetime(h.at), h.who, h.what, h.note])
        for tree in (self.history, self.assign_tree):
            for c in range(tree.columnCount() - 1):
                tree.resizeColumnToContents(c)
        main = d.main_pdf
        self.pdf.set_pdf(data)
        self.signatures.set_pdf(data, main.filename if main else "",
                                d.signatures_on_arrival.get(main.filename) if main else None)
        self.loaded.emit(d.id)

    def _verdict_icon(self, verdict: str) -> None:
        from ui.sigpanel import VERDICT_ICON

        self.tabs.setTabIcon(2, icon(VERDICT_ICON.get(verdict, "verified-warn")))

    # --- attachments --------------------------------------------------------------------------

    def _selected_attachment(self) -> AttachmentInfo | None:
        item = self.attachments.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _preview_attachment(self, item: QListWidgetItem) -> None:
        a: AttachmentInfo = item.data(Qt.ItemDataRole.UserRole)
        if not a.is_pdf:
            return
        office = self.ctx.office

        def show(data: bytes) -> None:
            self.pdf.set_pdf(data)
            arrival = self.detail.signatures_on_arrival.get(a.filename) if self.detail else None
            self.signatures.set_pdf(data, a.filename, arrival)
            self.tabs.setCurrentWidget(self.pdf)

        query(self, lambda _c: office.blobs.read_bytes(a.sha256), show)

    def _save_attachment(self) -> None:
        a = self._selected_attachment()
        if a is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, tr("Save a copy"), a.filename)
        if not path:
            return
        office = self.ctx.office
        from pathlib import Path

        Op(self, lambda _c: office.blobs.copy_to(a.sha256, Path(path)), title=tr("Saving…")).run()
