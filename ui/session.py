"""The open database as the GUI sees it: connection, undo stack, clock and change signals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack
from sqlite_utils import Database

from models import repository as repo
from models.backup import evidence_dir_of


class Session(QObject):
    """One open Taizhang file; panels listen to its signals instead of to each other."""

    activityChanged = Signal(int)  # activity id whose stored values changed
    activitiesReset = Signal(int)  # plan id whose rows were added, removed or reordered
    plansChanged = Signal()
    unitsChanged = Signal()  # names linked to activities changed: refresh filter lists
    directoryChanged = Signal()  # units renamed or merged: every table shows new names
    settingsChanged = Signal()  # office settings changed (lights, fonts)
    message = Signal(str)  # status-bar text

    def __init__(
        self,
        db: Database,
        path: Path | None,
        *,
        readonly: bool = False,
        readonly_reason: str = "",
        today: Callable[[], dt.date] = dt.date.today,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.path = path
        self.readonly = readonly
        self.readonly_reason = readonly_reason
        self.today = today
        self.undo_stack = QUndoStack(self)
        self._due_soon: int | None = None  # read once: the table asks for every row it paints
        self.settingsChanged.connect(self._forget_settings)

    def _forget_settings(self) -> None:
        self._due_soon = None

    @property
    def evidence_dir(self) -> Path | None:
        """Return the folder next to the database where evidence files are kept."""
        return evidence_dir_of(self.path) if self.path is not None else None

    def due_soon_days(self) -> int:
        """Return the office's 'due soon' window in days (setting, default 7)."""
        if self._due_soon is None:
            try:
                self._due_soon = max(0, int(repo.get_setting(self.db, "due_soon_days", "7")))
            except ValueError:
                self._due_soon = 7
        return self._due_soon
