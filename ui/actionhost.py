"""What the toolbar actions need of the window that hosts them.

``ui.workflow_actions`` is written against this base class and ``ui.mainwindow``
derives from it, so neither module imports the other's caller.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMainWindow, QWidget

if TYPE_CHECKING:
    from ui.context import AppContext
    from ui.listpage import ListPage
    from ui.syncstatus import SyncStatusWidget


class ActionHost(QMainWindow):
    ctx: AppContext
    list_page: ListPage
    sync_status: SyncStatusWidget
    #: the dialog an action opened (tests drive it)
    last_dialog: QWidget | None
