"""Helpers for GUI tests on the main window's activity table: select rows as a click does, read statuses."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel

from models import store
from ui.main_window import MainWindow


def select_rows(win: MainWindow, rows: list[int]) -> None:
    """Select whole rows of the table (view rows), the first one current."""
    view, proxy = win.table.view, win.table.proxy
    sel = view.selectionModel()
    view.setCurrentIndex(proxy.index(rows[0], 0))
    sel.clearSelection()
    for r in rows:
        sel.select(
            proxy.index(r, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )


def statuses(win: MainWindow) -> list[str]:
    """The statuses of plan 1's activities, in order."""
    return [a.status for a in store.list_activities(win.session.db, 1)]
