"""Settings and the first-run wizard: organisation, people on this PC, exchange server
(credential in the OS keyring), tokens, timestamp server, trust roots, language.

Each section is one widget with ``apply()``; the settings dialog shows them as tabs,
the wizard as pages, so both stay the same.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from ui import messages
from ui.context import AppContext
from ui.dialogs.common import buttons
from ui.i18n import tr
from ui.ops import Changes, get_bus


class Section(QWidget):
    title = ""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx

    def apply(self) -> None:
        """Save this section (raises DeskError & co. on bad input)."""


class OrganisationSection(Section):
    def __init__(self, ctx: AppContext) -> None:
        from desk.services.queries import organisation

        super().__init__(ctx)
        self.title = tr("Organisation")
        self.code = QLineEdit()
        self.code.setPlaceholderText("000.00.12.H49")
        self.name = QLineEdit()
        self.place = QLineEdit()
        self.notation = QLineEdit()
        self.exists = False
        org = organisation(ctx.office)
        if org is not None:
            self.code.setText(org.code)
            self.name.setText(org.name)
            self.place.setText(org.place)
            self.notation.setText(org.notation)
            self.exists = True
        for w in (self.code, self.name, self.place, self.notation):
            w.setReadOnly(self.exists)
        form = QFormLayout(self)
        form.addRow(tr("Organisation ID (QCVN 102):"), self.code)
        form.addRow(tr("Name:"), self.name)
        form.addRow(tr("Place name on documents:"), self.place)
        form.addRow(tr("Notation (e.g. UBND):"), self.notation)
        if self.exists:
            form.addRow("", QLabel(tr("The organisation is set; its ID cannot change.")))

    def apply(self) -> None:
        from desk.services.actions import set_up_office

        if self.exists:
            return
        set_up_office(self.ctx.office, self.code.text(), self.name.text().strip(),
                      place=self.place.text().strip() or None, notation=self.notation.text().strip() or None)
        self.exists = True


class PeopleSection(Section):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.title = tr("People on this PC")
        self.list = QListWidget()
        self.current = QComboBox()
        self.username = QLineEdit()
        self.full_name = QLineEdit()
        self.position = QLineEdit()
        self.role_boxes = {r: QCheckBox(label) for r, label in (
            ("van_thu", tr("Clerk")), ("lanh_dao", tr("Leader")), ("chuyen_vien", tr("Specialist")))}
        add = QPushButton(tr("Add person"))
        add.clicked.connect(self.add_person)
        roles = QHBoxLayout()
        for b in self.role_boxes.values():
            roles.addWidget(b)
        form = QFormLayout()
        form.addRow(tr("User name:"), self.username)
        form.addRow(tr("Full name:"), self.full_name)
        form.addRow(tr("Position:"), self.position)
        form.addRow(tr("Roles:"), roles)
        form.addRow("", add)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(tr("Tick the people who work at this PC:")))
        lay.addWidget(self.list, 1)
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("Working now as:")))
        row.addWidget(self.current, 1)
        lay.addLayout(row)
        lay.addLayout(form)
        self.fill()

    def fill(self) -> None:
        from desk.reference import Role

        self.list.clear()
        self.current.clear()
        on_pc = set(self.ctx.settings.users_on_pc)
        for p in self.ctx.people():
            item = QListWidgetItem(f"{p.full_name} ({p.username}) — "
                                   + ", ".join(Role(r).label for r in sorted(p.roles)))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if not on_pc or p.username in on_pc
                               else Qt.CheckState.Unchecked)
            item.setData(Qt.ItemDataRole.UserRole, p.username)
            self.list.addItem(item)
            self.current.addItem(p.full_name, p.username)
        u = self.ctx.user()
        if u is not None:
            self.current.setCurrentIndex(max(0, self.current.findData(u.username)))

    def add_person(self) -> None:
        from desk.services.actions import add_person

        roles = [r for r, b in self.role_boxes.items() if b.isChecked()]
        try:
            add_person(self.ctx.office, self.username.text().strip(), self.full_name.text().strip(), roles,
                       position=self.position.text().strip() or None)
        except Exception as exc:  # ValidationError / ConflictError shown as they are
            messages.error(exc, self)
            return
        for w in (self.username, self.full_name, self.position):
            w.clear()
        self.fill()

    def apply(self) -> None:
        chosen = [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())
                  if self.list.item(i).checkState() == Qt.CheckState.Checked]
        self.ctx.settings.users_on_pc = chosen
        if self.current.currentData():
            self.ctx.settings.current_user = self.current.currentData()
        self.ctx._user = None


class ExchangeSection(Section):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.title = tr("Exchange server")
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://truc.example.gov.vn")
        self.agency = QLineEdit()
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.setPlaceholderText(tr("unchanged"))
        try:
            from sync.connection import load_connection

            conn = load_connection(ctx.office.paths.home)
            self.url.setText(conn.url)
            self.agency.setText(conn.agency)
        except Exception:  # not connected yet (or no sync module): empty fields
            pass
        form = QFormLayout(self)
        form.addRow(tr("Server address:"), self.url)
        form.addRow(tr("Agency ID:"), self.agency)
        form.addRow(tr("Secret:"), self.secret)
        form.addRow("", QLabel(tr("The secret is kept in: {where}.").format(where=_secret_storage())))

    def apply(self) -> None:
        url, agency, secret = self.url.text().strip(), self.agency.text().strip(), self.secret.text()
        if not url:
            return
        from desk.errors import ValidationError

        if not url.startswith(("http://", "https://")):
            raise ValidationError(f"Địa chỉ máy chủ {url!r} phải bắt đầu bằng http:// hoặc https://.",
                                  f"The server address {url!r} must start with http:// or https://.")
        if not agency:
            raise ValidationError("Cần nhập mã định danh cơ quan trên trục liên thông.",
                                  "Enter the agency ID used on the exchange server.")
        from sync.connection import Connection, save_connection
        from sync.secrets import store_secret

        if secret:
            from ui.dialogs.passphrase_dialog import PassphraseDialog, needed

            # Desk's encrypted key file (no OS keyring): its passphrase first, once per session.
            if needed() and PassphraseDialog(self).exec() != QDialog.DialogCode.Accepted:
                raise ValidationError("Chưa mở khóa tệp khóa của Desk: mật khẩu trục chưa được lưu.",
                                      "Desk's key file was not unlocked: the exchange secret was not saved.")
            store_secret(url, agency, secret)
        save_connection(self.ctx.office.paths.home, Connection(url, agency))


class SigningSection(Section):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.title = tr("Signing")
        st = ctx.settings
        self.modules = QListWidget()
        for m in st.token_modules:
            self.modules.addItem(m)
        add = QPushButton(tr("Add token library…"))
        add.clicked.connect(self._add_module)
        remove = QPushButton(tr("Remove"))
        remove.clicked.connect(lambda: [self.modules.takeItem(self.modules.row(i))
                                        for i in self.modules.selectedItems()])
        self.found = QLabel()
        self.found.setWordWrap(True)
        self.tsa = QLineEdit(st.tsa_url)
        self.tsa.setPlaceholderText(tr("default"))
        self.trust = QLineEdit(st.trust_dir)
        trust_btn = QPushButton(tr("Choose…"))
        trust_btn.clicked.connect(lambda: self._folder(self.trust))
        self.image = QLineEdit(st.signature_image)
        image_btn = QPushButton(tr("Choose…"))
        image_btn.clicked.connect(self._image)
        self.seal = QLineEdit()
        self.seal.setPlaceholderText(tr("unchanged"))
        seal_btn = QPushButton(tr("Choose…"))
        seal_btn.clicked.connect(lambda: self._png(self.seal, tr("Seal image")))
        self.online = QCheckBox(tr("Add a timestamp and revocation data when signing (needs a network)"))
        self.online.setChecked(st.signing_online)
        mrow = QHBoxLayout()
        mrow.addWidget(add)
        mrow.addWidget(remove)
        mrow.addStretch(1)
        trow = QHBoxLayout()
        trow.addWidget(self.trust, 1)
        trow.addWidget(trust_btn)
        irow = QHBoxLayout()
        irow.addWidget(self.image, 1)
        irow.addWidget(image_btn)
        srow = QHBoxLayout()
        srow.addWidget(self.seal, 1)
        srow.addWidget(seal_btn)
        form = QFormLayout(self)
        form.addRow(tr("Token libraries (PKCS#11):"), self.modules)
        form.addRow("", mrow)
        form.addRow(tr("Found on this PC:"), self.found)
        form.addRow(tr("Timestamp server (TSA):"), self.tsa)
        form.addRow(tr("More trusted certificates (folder):"), trow)
        form.addRow(tr("Signature image:"), irow)
        form.addRow(tr("Seal image (clerk):"), srow)
        form.addRow("", self.online)
        self._show_found()

    def _show_found(self) -> None:
        try:
            from signing.modules import discover_modules

            found = [m.path for m in discover_modules([]) if m.usable]
        except Exception:  # discovery is best effort; the list stays empty
            found = []
        self.found.setText("\n".join(found) or tr("none"))

    def _add_module(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Token library"), "", "PKCS#11 (*.so *.dll *.dylib)")
        if path:
            self.modules.addItem(path)

    def _folder(self, edit: QLineEdit) -> None:
        path = QFileDialog.getExistingDirectory(self, tr("Trusted root certificates"))
        if path:
            edit.setText(path)

    def _image(self) -> None:
        self._png(self.image, tr("Signature image"))

    def _png(self, edit: QLineEdit, title: str) -> None:
        path, _ = QFileDialog.getOpenFileName(self, title, "", "PNG (*.png)")
        if path:
            edit.setText(path)

    def apply(self) -> None:
        from pathlib import Path

        from desk.services.outgoing import set_seal_image, set_signature_image

        st = self.ctx.settings
        image, seal, user = self.image.text().strip(), self.seal.text().strip(), self.ctx.user()
        if user is not None and (image and image != st.signature_image and user.has("lanh_dao") or seal):
            # Kept in the office too, so the signing services find them (desk.services.outgoing).
            from desk.services.actions import person

            actor = person(self.ctx.office, user.id)
            if image and image != st.signature_image and user.has("lanh_dao"):
                set_signature_image(self.ctx.office, user.id, Path(image), actor)
            if seal:
                set_seal_image(self.ctx.office, Path(seal), actor)
        st.token_modules = [self.modules.item(i).text() for i in range(self.modules.count())]
        st.tsa_url = self.tsa.text().strip()
        st.trust_dir = self.trust.text().strip()
        st.signature_image = self.image.text().strip()
        st.signing_online = self.online.isChecked()


class TrustSection(Section):
    """Trusted certificates: Desk's Vietnamese store, the province's bundle and the office's own.

    Importing or removing acts at once on the office's trust folder (signing.trust.OfficeTrust);
    nothing here decides trust itself.
    """

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.title = tr("Trusted certificates")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.list = QListWidget()
        self.import_btn = QPushButton(tr("Import certificate…"))
        self.import_btn.clicked.connect(self._import)
        self.remove_btn = QPushButton(tr("Remove"))
        self.remove_btn.clicked.connect(self._remove)
        self.list.currentItemChanged.connect(lambda *_: self._enable())
        row = QHBoxLayout()
        row.addWidget(self.import_btn)
        row.addWidget(self.remove_btn)
        row.addStretch(1)
        note = QLabel(tr("Signatures are confirmed up to these certificates. Desk ships the Government CA "
                         "(Ban Cơ yếu Chính phủ) and the Vietnam National Root CA; the province's exchange server "
                         "can publish more, and you can import a certificate (.cer, .crt, .pem, .p7b) here."))
        note.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addWidget(note)
        lay.addWidget(self.summary)
        lay.addWidget(self.list, 1)
        lay.addLayout(row)
        self.refresh()

    def _office(self) -> Any:
        from signing.trust import OfficeTrust

        return OfficeTrust(self.ctx.office.paths.home)

    def refresh(self) -> None:
        from desk.i18n import language

        office = self._office()
        self.summary.setText(office.settings().describe(language()))
        self.list.clear()
        origin = {"bundled": tr("Desk"), "office": tr("This office"), "province": tr("Province")}
        for a in office.anchors():
            text = (f"[{origin.get(a.origin, a.origin)}] {a.name} — "
                    + tr("valid {start} to {end}").format(start=a.not_before.strftime("%d/%m/%Y"),
                                                          end=a.not_after.strftime("%d/%m/%Y"))
                    + f" — SHA-256 {a.sha256[:16]}…")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, (a.origin, a.sha256))
            item.setToolTip(a.cert.subject.human_friendly)
            self.list.addItem(item)
        self._enable()

    def _enable(self) -> None:
        item = self.list.currentItem()
        self.remove_btn.setEnabled(item is not None and item.data(Qt.ItemDataRole.UserRole)[0] == "office")

    def import_file(self, path: str) -> int:
        """Add a certificate file to the office's anchors; returns how many certificates it held."""
        try:
            added = self._office().add(path)
        except Exception as exc:
            messages.error(exc, self)
            return 0
        self.refresh()
        get_bus().changed.emit(Changes(settings=True))
        messages.info(tr("{n} certificate(s) added: {names}").format(
            n=len(added), names=", ".join(a.name for a in added)), self)
        return len(added)

    def _import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Import certificate"), "",
                                              tr("Certificates") + " (*.cer *.crt *.pem *.der *.p7b *.p7c)")
        if path:
            self.import_file(path)

    def _remove(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        origin, sha = item.data(Qt.ItemDataRole.UserRole)
        if origin != "office":
            return
        try:
            self._office().remove(sha)
        except Exception as exc:
            messages.error(exc, self)
            return
        self.refresh()
        get_bus().changed.emit(Changes(settings=True))


class LanguageSection(Section):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.title = tr("Language")
        self.lang = QComboBox()
        self.lang.addItem("Tiếng Việt", "vi")
        self.lang.addItem("English", "en")
        self.lang.setCurrentIndex(max(0, self.lang.findData(ctx.settings.language)))
        form = QFormLayout(self)
        form.addRow(tr("Language:"), self.lang)
        form.addRow("", QLabel(tr("A new language applies fully after Desk restarts.")))

    def apply(self) -> None:
        self.ctx.settings.language = self.lang.currentData()


def sections(ctx: AppContext) -> list[Section]:
    return [OrganisationSection(ctx), PeopleSection(ctx), ExchangeSection(ctx), SigningSection(ctx),
            TrustSection(ctx), LanguageSection(ctx)]


def apply_all(ctx: AppContext, parts: list[Section]) -> bool:
    """Apply every section; on the first error show it and stop (nothing after it is saved)."""
    try:
        for part in parts:
            part.apply()
        ctx.save_settings()
    except Exception as exc:
        messages.error(exc)
        return False
    get_bus().changed.emit(Changes(settings=True, documents=True))
    return True


class SettingsDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(tr("Settings"))
        self.parts = sections(ctx)
        self.tabs = QTabWidget()
        for part in self.parts:
            self.tabs.addTab(part, part.title)
        lay = QVBoxLayout(self)
        lay.addWidget(self.tabs, 1)
        lay.addWidget(buttons(self, tr("Save")))
        self.resize(720, 560)

    def accept(self) -> None:
        if apply_all(self.ctx, self.parts):
            super().accept()


class FirstRunWizard(QWizard):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(tr("Welcome to Desk"))
        self.parts = sections(ctx)
        for part in self.parts:
            page = QWizardPage()
            page.setTitle(part.title)
            lay = QVBoxLayout(page)
            lay.addWidget(part)
            self.addPage(page)
        self.setButtonText(QWizard.WizardButton.NextButton, tr("Next"))
        self.setButtonText(QWizard.WizardButton.BackButton, tr("Back"))
        self.setButtonText(QWizard.WizardButton.FinishButton, tr("Finish"))
        self.setButtonText(QWizard.WizardButton.CancelButton, tr("Later"))
        self.resize(720, 560)

    def accept(self) -> None:
        self.ctx.settings.first_run_done = True
        if apply_all(self.ctx, self.parts):
            super().accept()


def run_first_run_wizard(parent: Any) -> FirstRunWizard:
    wizard = FirstRunWizard(parent.ctx, parent)
    parent.last_dialog = wizard
    wizard.open()
    return wizard


def _secret_storage() -> str:
    """Where the exchange secret is kept, said as it is (OS keyring, or an encrypted file)."""
    from desk.i18n import language
    from sync.secrets import storage_description

    try:
        return storage_description(language())
    except Exception:  # no keyring backend at all: sync.secrets says so when the secret is saved
        return tr("no keyring is available on this computer")
