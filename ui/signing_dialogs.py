"""The leader's signing: certificate picker, PIN dialog, appearance preview and move,
batch signing with progress and cancel, and the signing session (one PIN, one document
at a time: sign / return with a comment / skip)."""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QKeySequence, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui import messages
from ui.context import AppContext
from ui.i18n import fmt_date, tr
from ui.icons import icon
from ui.ops import Changes, Op, OpContext
from ui.signflow import (
    BatchOutcome,
    CertChoice,
    SignSettings,
    SignTarget,
    cert_still_there,
    check_key,
    find_certificates,
    load_targets,
    open_key,
    preview_placement,
    sign_batch,
    sign_one,
)

LEVELS = (("b-b", "PAdES B-B"), ("b-t", "PAdES B-T"), ("b-lt", "PAdES B-LT"), ("b-lta", "PAdES B-LTA"))


# --- PIN ------------------------------------------------------------------------------------------


class PinDialog(QDialog):
    """Asks the token's PIN once; shows the token's own tries-left warnings."""

    def __init__(self, parent: QWidget | None, request: Any) -> None:
        from desk.i18n import language

        super().__init__(parent)
        self.setWindowTitle(tr("Token PIN"))
        self.request = request
        who = QLabel(tr("Token: {token}\nCertificate holder: {holder}").format(
            token=request.token_label, holder=request.holder or "—"))
        self.warning = QLabel(request.pin.warning(language()) or "")
        self.warning.setWordWrap(True)
        final = request.pin.final_try or request.pin.locked
        self.warning.setStyleSheet("color: #c62828; font-weight: 600;" if final else "color: #b26a00;")
        self.warning.setVisible(bool(self.warning.text()))
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setAccessibleName(tr("PIN"))
        note = QLabel(tr("A wrong PIN is never retried automatically: tokens lock after a few wrong tries."))
        note.setWordWrap(True)
        note.setStyleSheet("color: #546e7a;")
        ok = QPushButton(tr("OK"))
        ok.setDefault(True)
        ok.clicked.connect(self.accept)
        cancel = QPushButton(tr("Cancel"))
        cancel.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(ok)
        row.addWidget(cancel)
        lay = QVBoxLayout(self)
        lay.addWidget(who)
        lay.addWidget(self.warning)
        lay.addWidget(QLabel(tr("PIN:")))
        lay.addWidget(self.pin)
        lay.addWidget(note)
        lay.addLayout(row)

    def value(self) -> str | None:
        return self.pin.text() if self.result() == QDialog.DialogCode.Accepted else None


def pin_cancelled(exc: BaseException) -> bool:
    from signing.errors import PinCancelled

    return isinstance(exc, PinCancelled)


def pin_asker(op: OpContext, parent: QWidget | None) -> Any:
    """A PIN callback for a worker: opens PinDialog on the GUI thread and waits for it.

    The dialog is opened with ``open()`` (no nested event loop); the worker waits on
    an event and gives up if the operation is cancelled.
    """

    def ask(request: Any) -> str | None:
        answer: dict[str, str | None] = {"pin": None}
        done = threading.Event()

        def show() -> None:
            dlg = PinDialog(parent, request)

            def finished(_code: int) -> None:
                answer["pin"] = dlg.value()
                done.set()
                dlg.deleteLater()

            dlg.finished.connect(finished)
            dlg.open()

        op.in_gui(show)
        while not done.wait(0.1):
            if op.cancelled():
                return None
        return answer["pin"]

    return ask


# --- placement preview ------------------------------------------------------------------------


class PlacementPreview(QWidget):
    """A page with the signature image where it will be stamped; drag it to move it."""

    moved = Signal(object)  # signing.placement.Placement

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(360, 480)
        self.page_image: QImage | None = None
        self.stamp: QImage | None = None
        self.page_index = 0
        self.page_size = (595.0, 842.0)
        self.box: Any = None  # signing.placement.Box in PDF points
        self._drag: QPointF | None = None
        self.message = tr("No preview yet.")

    def set_page(self, image: QImage, page: int, size_pt: tuple[float, float], box: Any,
                 stamp: QImage | None) -> None:
        self.page_image, self.page_index, self.page_size, self.box, self.stamp = image, page, size_pt, box, stamp
        self.update()

    def set_message(self, text: str) -> None:
        self.page_image, self.message = None, text
        self.update()

    def _scale(self) -> tuple[float, float, float]:
        w, h = self.page_size
        s = min(self.width() / w, self.height() / h)
        return s, (self.width() - w * s) / 2, (self.height() - h * s) / 2

    def box_rect(self) -> QRectF | None:
        if self.box is None:
            return None
        s, ox, oy = self._scale()
        h = self.page_size[1]
        return QRectF(ox + self.box.x1 * s, oy + (h - self.box.y2) * s, self.box.width * s, self.box.height * s)

    def paintEvent(self, _e: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#eceff1"))
        if self.page_image is None:
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.message)
            return
        s, ox, oy = self._scale()
        w, h = self.page_size
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        p.drawImage(QRectF(ox, oy, w * s, h * s), self.page_image)
        rect = self.box_rect()
        if rect is not None:
            if self.stamp is not None:
                p.drawImage(rect, self.stamp)
            p.setPen(QPen(QColor("#c62828"), 1, Qt.PenStyle.DashLine))
            p.drawRect(rect)
        p.end()

    def mousePressEvent(self, e: QMouseEvent) -> None:
        rect = self.box_rect()
        if rect is not None and rect.contains(e.position()):
            self._drag = e.position()

    def mouseMoveEvent(self, e: QMouseEvent) -> None:
        if self._drag is None or self.box is None:
            return
        s, _, _ = self._scale()
        dx, dy = (e.position().x() - self._drag.x()) / s, -(e.position().y() - self._drag.y()) / s
        self._drag = e.position()
        self.move_box(dx, dy)

    def mouseReleaseEvent(self, _e: QMouseEvent) -> None:
        if self._drag is not None:
            self._drag = None
            self._emit()

    def move_box(self, dx: float, dy: float, *, emit: bool = False) -> None:
        from signing.placement import Box

        b, (w, h) = self.box, self.page_size
        dx = max(-b.x1, min(dx, w - b.x2))
        dy = max(-b.y1, min(dy, h - b.y2))
        self.box = Box(b.x1 + dx, b.y1 + dy, b.x2 + dx, b.y2 + dy)
        self.update()
        if emit:
            self._emit()

    def _emit(self) -> None:
        from signing.placement import Placement

        self.moved.emit(Placement(self.page_index, self.box))


def render_preview(ctx: AppContext, target: SignTarget, settings: SignSettings, holder: str) -> tuple[Any, ...]:
    """Worker: placement and the page it is on, rendered (the final stamped look)."""
    from ui.pdfrender import render_page

    place = preview_placement(ctx.office, target, settings, holder)
    data = ctx.office.blobs.read_bytes(target.pdf_sha)
    page = render_page(data, place.page, 1.6)
    stamp = QImage(settings.image_path)
    return page, place, stamp


# --- certificate and appearance picker (shared) ----------------------------------------------------


def stored_signature_image(ctx: AppContext) -> str:
    """The user's signature image kept in the office (Settings), as a file path, or ""."""
    from desk.services.queries import people

    user = ctx.user()
    if user is None:
        return ""
    sha = next((p.signature_sha256 for p in people(ctx.office) if p.id == user.id), None)
    return str(ctx.office.blobs.path_for(sha)) if sha and ctx.office.blobs.exists(sha) else ""


class KeyPicker(QWidget):
    """Certificate from the tokens found, signature image, PAdES level."""

    changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, needs_image: bool = True) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.needs_image = needs_image
        self.certs: list[CertChoice] = []
        self.cert = QComboBox()
        self.cert.setAccessibleName(tr("Certificate"))
        self.cert.setMinimumWidth(360)
        self.refresh_btn = QPushButton(icon("refresh"), tr("Look for tokens"))
        self.refresh_btn.clicked.connect(self.refresh)
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #b26a00;")
        self.image = QLineEdit(ctx.settings.signature_image or stored_signature_image(ctx))
        choose = QPushButton(tr("Choose…"))
        choose.clicked.connect(self._choose_image)
        self.level = QComboBox()
        for code, name in LEVELS:
            self.level.addItem(name, code)
        self.level.setCurrentIndex(max(0, self.level.findData(ctx.settings.signing_level)))
        crow = QHBoxLayout()
        crow.addWidget(self.cert, 1)
        crow.addWidget(self.refresh_btn)
        irow = QHBoxLayout()
        irow.addWidget(self.image, 1)
        irow.addWidget(choose)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(tr("Certificate:"), crow)
        form.addRow("", self.problems)
        if needs_image:
            form.addRow(tr("Signature image:"), irow)
        else:
            self.image.hide()
            choose.hide()
        form.addRow(tr("Level:"), self.level)
        self.image.editingFinished.connect(self.changed.emit)
        self.cert.currentIndexChanged.connect(lambda _i: self.changed.emit())

    def refresh(self) -> None:
        self.cert.clear()
        self.cert.addItem(tr("Looking for tokens…"))
        self.cert.setEnabled(False)
        ctx = self.ctx

        def work(_op: OpContext) -> tuple[list[CertChoice], list[str]]:
            return find_certificates(ctx.token_modules())

        def show(result: tuple[list[CertChoice], list[str]]) -> None:
            self.certs, problems = result
            self.cert.clear()
            for c in self.certs:
                self.cert.addItem(icon("sign"), c.label(), c.sha256)
                tip = tr("Valid until {d}").format(d=fmt_date(c.not_after))
                if c.pin_warning:
                    tip += "\n" + c.pin_warning
                self.cert.setItemData(self.cert.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
            if not self.certs:
                self.cert.addItem(tr("No token found: plug in your token and press “Look for tokens”."))
            self.cert.setEnabled(bool(self.certs))
            self.problems.setText("\n".join(problems))
            self.problems.setVisible(bool(problems))
            self.changed.emit()

        Op(self, work, progress=False).success(show).failure(self._failed).run()

    def _failed(self, exc: BaseException) -> bool:
        self.cert.clear()
        self.cert.addItem(tr("Could not read the tokens."))
        return False

    def _choose_image(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Signature image"), "", "PNG (*.png)")
        if path:
            self.image.setText(path)
            self.changed.emit()

    def choice(self) -> CertChoice | None:
        i = self.cert.currentIndex()
        return self.certs[i] if self.certs and 0 <= i < len(self.certs) else None

    def select(self, holder_or_serial: str, token_label: str | None = None) -> bool:
        for i, c in enumerate(self.certs):
            serial = c.serial_hex.lower().lstrip("0")
            wanted = holder_or_serial.lower().lstrip("0")
            if (holder_or_serial == c.holder or wanted == serial) and token_label in (None, c.token_label):
                self.cert.setCurrentIndex(i)
                return True
        return False

    def settings(self) -> SignSettings:
        level = self.level.currentData()
        return SignSettings(image_path=self.image.text().strip(), level=level,
                            online=self.ctx.settings.signing_online and level != "b-b",
                            tsa_url=self.ctx.tsa_url(), trust=self.ctx.trust())

    def validate(self) -> str | None:
        if self.choice() is None:
            return tr("Choose a certificate (plug in your token first).")
        if self.needs_image and not self.image.text().strip():
            return tr("Choose your signature image (PNG).")
        return None

    def checked_choice(self, status: QLabel) -> CertChoice | None:
        """The chosen certificate when the choice is complete; else None, and ``status`` says why."""
        problem = self.validate()
        if problem:
            status.setText(problem)
            return None
        return self.choice()


# --- one or many documents ---------------------------------------------------------------------


class SignDialog(QDialog):
    """Sign the selected documents in one go: one PIN, a progress bar, cancel between documents."""

    finished_batch = Signal(object)  # BatchOutcome

    def __init__(self, ctx: AppContext, doc_ids: list[int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(tr("Sign documents"))
        self.targets, skipped = load_targets(ctx.office, doc_ids)
        self.box: Any = None
        self.op: Op[Any] | None = None
        self.outcome: BatchOutcome | None = None
        self.picker = KeyPicker(ctx)
        self.docs = QListWidget()
        for t in self.targets:
            self.docs.addItem(f"{t.code or tr('(no number yet)')} — {t.subject}")
        for doc_id, why in skipped:
            self.docs.addItem(tr("#{id}: left out ({why})").format(id=doc_id, why=why))
        self.preview = PlacementPreview()
        self.preview.moved.connect(self._moved)
        hint = QLabel(tr("Drag the signature to move it; the same place is used for every document."))
        hint.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, max(1, len(self.targets)))
        self.progress.setValue(0)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.sign_btn = QPushButton(icon("sign"), tr("Sign {n} documents").format(n=len(self.targets)))
        self.sign_btn.setShortcut(QKeySequence("Ctrl+Return"))
        self.sign_btn.setDefault(True)
        self.sign_btn.clicked.connect(self.start)
        self.cancel_btn = QPushButton(tr("Stop"))
        self.cancel_btn.setEnabled(False)
        self.cancel_btn.clicked.connect(self.cancel)
        self.close_btn = QPushButton(tr("Close"))
        self.close_btn.clicked.connect(self.reject)
        left = QVBoxLayout()
        left.addWidget(self.picker)
        left.addWidget(QLabel(tr("Documents:")))
        left.addWidget(self.docs, 1)
        left.addWidget(self.progress)
        left.addWidget(self.status)
        right = QVBoxLayout()
        right.addWidget(self.preview, 1)
        right.addWidget(hint)
        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addLayout(right, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.sign_btn)
        row.addWidget(self.cancel_btn)
        row.addWidget(self.close_btn)
        lay = QVBoxLayout(self)
        lay.addLayout(body, 1)
        lay.addLayout(row)
        self.resize(1000, 680)
        self.picker.changed.connect(self.update_preview)
        self.picker.refresh()
        self.sign_btn.setEnabled(bool(self.targets))

    def _moved(self, placement: Any) -> None:
        self.box = placement

    def update_preview(self) -> None:
        if not self.targets or not self.picker.image.text().strip():
            self.preview.set_message(tr("Choose your signature image to see where it goes."))
            return
        ctx, target = self.ctx, self.targets[0]
        settings = self.picker.settings()
        settings.box = self.box
        choice = self.picker.choice()
        holder = choice.holder if choice else ""

        def show(result: tuple[Any, ...]) -> None:
            page, place, stamp = result
            self.preview.set_page(page.image, place.page, (page.width_pt, page.height_pt), place.box, stamp)

        def failed(exc: BaseException) -> bool:
            from ui.messages import expected_text

            self.preview.set_message(expected_text(exc) or tr("No preview."))
            return expected_text(exc) is not None

        Op(self, lambda _o: render_preview(ctx, target, settings, holder), progress=False) \
            .success(show).failure(failed).run()

    def start(self) -> Op[Any] | None:
        choice = self.picker.checked_choice(self.status)
        if choice is None:
            return None
        settings = self.picker.settings()
        settings.box = self._placement()
        user = self.ctx.user()
        if user is None:
            return None
        ctx, targets, parent = self.ctx, list(self.targets), self

        def work(op: OpContext) -> BatchOutcome:
            op.progress(tr("Waiting for the PIN…"), 0)
            with open_key(choice, pin_asker(op, parent)) as key:
                check_key(key, settings)
                return sign_batch(
                    ctx.office, key, targets, settings, user.id,
                    progress=lambda i, n, t: op.progress(tr("Signed {i} of {n}: {code}").format(
                        i=i, n=n, code=t.code or t.subject[:40]), i / n),
                    cancelled=op.cancelled)

        self.sign_btn.setEnabled(False)
        self.cancel_btn.setEnabled(True)
        self.progress.setValue(0)
        op = Op(self, work, progress=False, changes=Changes(documents=True))
        op.on_progress(self._progress).success(self._done).failure(self._failed).finished(self._finished)
        self.op = op.run()
        return self.op

    def _failed(self, exc: BaseException) -> bool:
        if pin_cancelled(exc):
            self.status.setText(tr("PIN entry cancelled: nothing was signed."))
            return True
        return False  # wrong PIN, locked token, rejected certificate …: the message module says it

    def _placement(self) -> Any:
        from signing.placement import Placement

        return Placement(self.preview.page_index, self.preview.box) if self.box is not None else None

    def cancel(self) -> None:
        if self.op is not None:
            self.op.cancel()
            self.status.setText(tr("Stopping after the current document…"))

    def _progress(self, text: str, fraction: float) -> None:
        self.status.setText(text)
        if fraction >= 0:
            self.progress.setValue(round(fraction * self.progress.maximum()))

    def _done(self, outcome: BatchOutcome) -> None:
        self.outcome = outcome
        text = tr("{ok} signed, {bad} failed.").format(ok=len(outcome.signed), bad=len(outcome.failed))
        if outcome.cancelled:
            text += " " + tr("Stopped before the end.")
        if outcome.failed:
            text += "\n" + "\n".join(f"#{i}: {m}" for i, m in outcome.failed)
        self.status.setText(text)
        self.finished_batch.emit(outcome)

    def _finished(self) -> None:
        self.cancel_btn.setEnabled(False)
        self.sign_btn.setEnabled(self.outcome is None and bool(self.targets))
        self.op = None


# --- the signing session -----------------------------------------------------------------------


class SessionStopped(Exception):
    pass


class SigningSessionDialog(QDialog):
    """Documents waiting for the leader, one by one, each with its final stamped preview.

    One PIN for the whole session: the key stays logged in until the dialog closes.
    Before each signature the token and certificate are checked again; if either
    changed (token pulled out, another token plugged in) the session stops.
    """

    advanced = Signal(int)  # index of the document shown
    ended = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        from ui.signflow import waiting_for_signature

        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(tr("Signing session"))
        user = ctx.user()
        ids = waiting_for_signature(ctx.office, user.full_name if user else None)
        self.targets, _ = load_targets(ctx.office, ids)
        self.index = -1
        self.key: Any = None
        self.choice: CertChoice | None = None
        self.settings: SignSettings | None = None
        self.signed: list[int] = []
        self.returned: list[int] = []
        self.skipped: list[int] = []
        self.busy = False
        self.picker = KeyPicker(ctx)
        self.start_btn = QPushButton(icon("sign"), tr("Start the session (enter the PIN once)"))
        self.start_btn.clicked.connect(self.start)
        self.preview = PlacementPreview()
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.info.setStyleSheet("font-size: 13px;")
        self.counter = QLabel()
        self.sign_btn = QPushButton(icon("sign"), tr("Sign"))
        self.sign_btn.setShortcut(QKeySequence("Ctrl+Return"))
        self.sign_btn.clicked.connect(self.sign_current)
        self.return_btn = QPushButton(icon("return"), tr("Return with a comment…"))
        self.return_btn.setShortcut(QKeySequence("Ctrl+Shift+R"))
        self.return_btn.clicked.connect(self.return_current)
        self.comment = QLineEdit()
        self.comment.setPlaceholderText(tr("Comment for the author (needed to return)"))
        self.skip_btn = QPushButton(icon("skip"), tr("Skip"))
        self.skip_btn.setShortcut(QKeySequence("Ctrl+Right"))
        self.skip_btn.clicked.connect(self.skip_current)
        self.status = QLabel()
        self.status.setWordWrap(True)
        close = QPushButton(tr("End the session"))
        close.clicked.connect(self.reject)
        side = QVBoxLayout()
        side.addWidget(self.picker)
        side.addWidget(self.start_btn)
        side.addWidget(self.counter)
        side.addWidget(self.info, 1)
        side.addWidget(self.comment)
        for b in (self.sign_btn, self.return_btn, self.skip_btn):
            side.addWidget(b)
        side.addWidget(self.status)
        side.addWidget(close)
        body = QHBoxLayout(self)
        body.addWidget(self.preview, 3)
        body.addLayout(side, 2)
        self.resize(1100, 760)
        self._set_working(False, started=False)
        self.picker.refresh()
        self.counter.setText(tr("{n} documents are waiting for your signature.").format(n=len(self.targets)))

    def _set_working(self, busy: bool, *, started: bool = True) -> None:
        self.busy = busy
        active = started and not busy and 0 <= self.index < len(self.targets)
        for b in (self.sign_btn, self.return_btn, self.skip_btn):
            b.setEnabled(active)
        self.start_btn.setEnabled(not started and not busy and bool(self.targets))
        self.picker.setEnabled(not started)

    def start(self) -> Op[Any] | None:
        choice = self.picker.checked_choice(self.status)
        if choice is None:
            return None
        self.choice, self.settings = choice, self.picker.settings()
        settings, parent = self.settings, self

        def work(op: OpContext) -> Any:
            key = open_key(choice, pin_asker(op, parent))
            try:
                check_key(key, settings)
            except BaseException:
                key.close()
                raise
            return key

        def opened(key: Any) -> None:
            self.key = key
            self.status.setText(tr("Signed in as {holder}.").format(holder=key.info.subject_cn))
            self.show_next()

        self._set_working(True, started=False)
        return Op(self, work, progress=False).success(opened).failure(self._start_failed).run()

    def _start_failed(self, exc: BaseException) -> bool:
        self._set_working(False, started=False)
        if pin_cancelled(exc):
            self.status.setText(tr("PIN entry cancelled: nothing was signed."))
            return True
        return False  # shown by the message module (wrong PIN, locked token …), never retried

    def show_next(self) -> None:
        self.index += 1
        if self.index >= len(self.targets):
            self.finish(tr("All documents have been gone through."))
            return
        t = self.targets[self.index]
        self.counter.setText(tr("Document {i} of {n}").format(i=self.index + 1, n=len(self.targets)))
        self.info.setText(f"<b>{t.code or tr('(no number yet)')}</b><br>{t.subject}<br><br>"
                          f"{tr('Signer')}: {t.title} {t.name}<br>{tr('File')}: {t.filename}")
        self.comment.clear()
        self.preview.set_message(tr("Preparing the preview…"))
        assert self.settings is not None
        ctx, settings, holder = self.ctx, self.settings, self.key.info.subject_cn if self.key else ""
        index = self.index

        def show(result: tuple[Any, ...]) -> None:
            if index != self.index:
                return
            page, place, stamp = result
            self.preview.set_page(page.image, place.page, (page.width_pt, page.height_pt), place.box, stamp)
            self._set_working(False)
            self.advanced.emit(index)

        def failed(exc: BaseException) -> bool:
            from ui.messages import expected_text

            self.preview.set_message(expected_text(exc) or tr("No preview."))
            self._set_working(False)
            self.advanced.emit(index)
            return expected_text(exc) is not None

        self._set_working(True)
        Op(self, lambda _o: render_preview(ctx, self.targets[index], settings, holder), progress=False) \
            .success(show).failure(failed).run()

    def sign_current(self) -> Op[Any] | None:
        if self.busy or self.key is None or not (0 <= self.index < len(self.targets)):
            return None
        target, key, choice, settings = self.targets[self.index], self.key, self.choice, self.settings
        assert choice is not None and settings is not None
        user = self.ctx.user()
        assert user is not None
        ctx = self.ctx

        def work(_op: OpContext) -> Any:
            if not cert_still_there(choice):
                raise SessionStopped()
            return sign_one(ctx.office, key, target, settings, user.id)

        def done(_result: Any) -> None:
            self.signed.append(target.doc_id)
            self.show_next()

        def failed(exc: BaseException) -> bool:
            self._set_working(False)
            if isinstance(exc, SessionStopped):
                self.finish(tr("The token or the certificate changed: the session has stopped. "
                               "Start a new session to go on."))
                return True
            return False

        self._set_working(True)
        return Op(self, work, progress=False, changes=Changes(documents=True)) \
            .success(done).failure(failed).run()

    def return_current(self) -> Op[Any] | None:
        from ui.signflow import return_draft

        if self.busy or not (0 <= self.index < len(self.targets)):
            return None
        comment = self.comment.text().strip()
        if not comment:
            self.status.setText(tr("Write a comment for the author first."))
            self.comment.setFocus()
            return None
        target, ctx, user = self.targets[self.index], self.ctx, self.ctx.user()
        assert user is not None

        def done(_r: Any) -> None:
            self.returned.append(target.doc_id)
            self.show_next()

        self._set_working(True)
        return Op(self, lambda _o: return_draft(ctx.office, target.doc_id, user.id, comment), progress=False,
                  changes=Changes(documents=True)).success(done).failure(self._not_busy).run()

    def _not_busy(self, _exc: BaseException) -> bool:
        self._set_working(False)
        return False

    def skip_current(self) -> None:
        if self.busy or not (0 <= self.index < len(self.targets)):
            return
        self.skipped.append(self.targets[self.index].doc_id)
        self.show_next()

    def finish(self, why: str) -> None:
        self._close_key()
        self.index = len(self.targets)
        self._set_working(False)
        summary = tr("{s} signed, {r} returned, {k} skipped.").format(
            s=len(self.signed), r=len(self.returned), k=len(self.skipped))
        self.status.setText(f"{why}\n{summary}")
        self.ended.emit(why)

    def _close_key(self) -> None:
        if self.key is not None:
            key, self.key = self.key, None
            try:
                key.close()
            except Exception as exc:  # closing a session on a pulled token may fail; nothing to save
                messages.log_unexpected(exc)

    def done(self, code: int) -> None:  # closing the dialog logs out of the token
        self._close_key()
        super().done(code)


# --- the clerk's release: number, date, the organisation's seal signature, sending ----------------


class ReleaseDialog(QDialog):
    """Phát hành: the next outgoing number and the date go into the document's fields, the
    organisation signs with its seal (its own token), the document is released and queued
    for the exchange, all in one transaction (desk.services.outgoing.number_seal_release)."""

    released = Signal(object)  # Registration

    def __init__(self, ctx: AppContext, doc_id: int, parent: QWidget | None = None) -> None:
        from desk.services.queries import brief

        super().__init__(parent)
        self.ctx, self.doc_id = ctx, doc_id
        self.registration: Any = None
        self.setWindowTitle(tr("Release"))
        about = brief(ctx.office, doc_id)
        self.subject, recipients = about.subject, about.recipients
        self.picker = KeyPicker(ctx, needs_image=False)
        info = QLabel(f"<b>{self.subject}</b><br>{tr('Recipients')}: {'; '.join(recipients) or '—'}")
        info.setWordWrap(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.release_btn = QPushButton(icon("sign"), tr("Number, seal and release"))
        self.release_btn.setDefault(True)
        self.release_btn.clicked.connect(self.start)
        close = QPushButton(tr("Close"))
        close.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.release_btn)
        row.addWidget(close)
        lay = QVBoxLayout(self)
        lay.addWidget(info)
        lay.addWidget(self.picker)
        lay.addWidget(self.status)
        lay.addLayout(row)
        self.resize(640, 300)
        self.picker.refresh()

    def start(self) -> Op[Any] | None:
        choice = self.picker.checked_choice(self.status)
        if choice is None:
            return None
        settings, ctx, doc_id, parent = self.picker.settings(), self.ctx, self.doc_id, self
        user = ctx.user()
        user_id = user.id if user else None

        def work(op: OpContext) -> Any:
            from desk.services import actions
            from signing.pades import DocumentSigner, Level, SignOptions
            from signing.trust import TrustSettings

            options = SignOptions(level=Level(settings.level), trust=settings.trust or TrustSettings(),
                                  tsa_url=settings.tsa_url or SignOptions().tsa_url)
            with open_key(choice, pin_asker(op, parent)) as key:
                check_key(key, settings)
                # pdfium (blanks, placement) takes signing.pdfium_lock itself.
                return actions.release(ctx.office, doc_id, DocumentSigner(key, options), user_id).value

        def done(reg: Any) -> None:
            from desk.reference import format_number

            self.registration = reg
            self.status.setText(tr("Released as number {n}.").format(n=format_number(reg.number)))
            self.release_btn.setEnabled(False)
            self.released.emit(reg)

        self.release_btn.setEnabled(False)
        return Op(self, work, title=tr("Releasing…"), changes=Changes(documents=True)) \
            .success(done).failure(self._failed).run()

    def _failed(self, _exc: BaseException) -> bool:
        self.release_btn.setEnabled(True)
        return False
