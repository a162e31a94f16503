"""The clerk's import: drop PDFs (or pick them), each becomes an incoming document."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.context import AppContext
from ui.dialogs.common import buttons
from ui.i18n import tr
from ui.icons import icon
from ui.ops import OpContext

IMPORTABLE = (".pdf", ".docx", ".odt", ".doc", ".rtf")


class DropList(QListWidget):
    """A list that accepts PDF files dropped from the file manager."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.rejected: list[str] = []

    def dragEnterEvent(self, e: QDragEnterEvent) -> None:
        if e.mimeData().hasUrls():
            e.acceptProposedAction()

    def dragMoveEvent(self, e: QDragEnterEvent) -> None:  # type: ignore[override]
        if e.mimeData().hasUrls():
            e.acceptProposedAction()

    def dropEvent(self, e: QDropEvent) -> None:
        self.add_paths([Path(u.toLocalFile()) for u in e.mimeData().urls() if u.isLocalFile()])
        e.acceptProposedAction()

    def add_paths(self, paths: list[Path]) -> None:
        have = set(self.paths())
        for p in paths:
            if p.suffix.lower() not in IMPORTABLE or not p.is_file():
                self.rejected.append(p.name)
                continue
            if p not in have:
                self.addItem(str(p))
                have.add(p)

    def paths(self) -> list[Path]:
        return [Path(self.item(i).text()) for i in range(self.count())]


class ImportDialog(QDialog):
    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Import incoming documents"))
        self.files = DropList()
        self.files.setToolTip(tr("Drop PDF files here"))
        self.hint = QLabel(tr("Drop PDF files here, or choose them. Fields are filled in from each PDF's text."))
        self.hint.setWordWrap(True)
        self.warning = QLabel()
        self.warning.setStyleSheet("color: #c62828;")
        add = QPushButton(icon("import"), tr("Choose files…"))
        add.clicked.connect(self._choose)
        remove = QPushButton(tr("Remove"))
        remove.clicked.connect(lambda: [self.files.takeItem(self.files.row(i)) for i in self.files.selectedItems()])
        self.register_after = QCheckBox(tr("Register each one right after import"))
        self.register_after.setChecked(True)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addWidget(self.hint)
        lay.addWidget(self.files, 1)
        lay.addLayout(row)
        lay.addWidget(self.warning)
        lay.addWidget(self.register_after)
        lay.addWidget(buttons(self, tr("Import")))
        self.resize(560, 380)

    def _choose(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, tr("Choose PDF files"), "",
                                                "PDF, Word, OpenDocument (*.pdf *.docx *.odt *.doc *.rtf)")
        self.add([Path(n) for n in names])

    def add(self, paths: list[Path]) -> None:
        self.files.rejected.clear()
        self.files.add_paths(paths)
        if self.files.rejected:
            self.warning.setText(tr("Not PDF files, left out: {names}").format(names=", ".join(self.files.rejected)))

    def accept(self) -> None:
        if not self.files.paths():
            self.warning.setText(tr("Add at least one PDF file."))
            return
        super().accept()


@dataclass
class ImportResult:
    document_ids: list[int] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (file name, message)


def import_work(ctx: AppContext, paths: list[Path]) -> Callable[[OpContext], ImportResult]:
    """The background part: each file read first (OCR, conversion, signatures: no transaction
    open), then stored in its own short transaction, so one bad file spoils nothing else; the
    other pages of a scan are OCRed afterwards, with progress, and their text goes to the index."""
    from desk.docread import ocr_remaining
    from desk.errors import DeskError
    from desk.services import actions
    from ui.messages import expected_text

    office, actor_id = ctx.office, ctx.user_id
    trust = ctx.trust()

    def work(op: OpContext) -> ImportResult:
        result = ImportResult()
        later = []
        for i, path in enumerate(paths):
            if op.cancelled():
                break
            op.progress(tr("Importing {name} ({i} of {n})…").format(name=path.name, i=i + 1, n=len(paths)),
                        i / len(paths))
            prepared = None
            try:
                prepared = actions.read_file(path)
                changed = actions.import_file(office, path, actor_id, trust=trust, prepared=prepared)
                result.document_ids.extend(changed.documents)
                if prepared.ocr_pending:
                    later.append((changed.documents[0], prepared))
                    prepared = None
            except Exception as exc:  # expected ones are reported per file; bugs are re-raised
                text = expected_text(exc)
                if text is None:
                    raise
                result.failures.append((path.name, text))
            finally:
                if prepared is not None:
                    prepared.cleanup()
        for k, (doc_id, pending) in enumerate(later):
            if op.cancelled():
                pending.cleanup()
                continue
            try:
                def page(done: int, total: int, k: int = k, name: str = pending.path.name) -> None:
                    op.progress(tr("Reading the text of {name}: page {done} of {total}").format(
                        name=name, done=done, total=total), (k + done / max(total, 1)) / len(later))

                actions.store_ocr_text(office, doc_id, ocr_remaining(pending, progress=page))
            except DeskError as exc:
                result.failures.append((pending.path.name, str(exc)))
            finally:
                pending.cleanup()
        op.progress(tr("Done"), 1.0)
        return result

    return work
