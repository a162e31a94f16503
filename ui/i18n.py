"""Translation and formatting for the desktop app.

Source strings are English inside ``tr()``; the Vietnamese translation ships as
``resources/translations/desk_vi.qm`` (compiled with pyside6-lrelease from the
.ts beside it) and is loaded by default. All strings share one context, "Desk",
so the extractor and the running app agree without depending on class names.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

CONTEXT = "Desk"
LANGUAGES = ("vi", "en")
_translator: QTranslator | None = None


def tr(text: str) -> str:
    """Translate an English source string (the extractor looks for ``tr("...")``)."""
    return QCoreApplication.translate(CONTEXT, text)


def translations_dir() -> Path:
    from desk.resources import resources_dir

    return resources_dir() / "translations"


def install_translator(lang: str) -> bool:
    """Load the .qm for ``lang`` (English needs none); also switches the core's language."""
    global _translator
    from desk.i18n import set_language

    app = QCoreApplication.instance()
    set_language(lang if lang in LANGUAGES else "vi")
    if app is not None and _translator is not None:
        app.removeTranslator(_translator)
        _translator = None
    if lang == "en" or app is None:
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
        return True
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    translator = QTranslator(app)
    ok = translator.load(str(translations_dir() / f"desk_{lang}.qm"))
    if ok:
        app.installTranslator(translator)
        _translator = translator
    return ok


def fmt_date(d: date | datetime | None) -> str:
    """dd/MM/yyyy, whatever the language (Decree 30 and users' habit)."""
    return d.strftime("%d/%m/%Y") if d else ""


def fmt_datetime(d: datetime | None) -> str:
    return d.strftime("%d/%m/%Y %H:%M") if d else ""
