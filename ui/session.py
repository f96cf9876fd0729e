"""The open database as the GUI sees it: connection, undo stack, clock, office settings and change signals."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack
from sqlite_utils import Database

from models import clock
from models.backup import evidence_dir_of
from models.errors import BackupError
from models.settings import OfficeSettings, load_settings


class Session(QObject):
    """One open Taizhang file; panels listen to its signals instead of to each other."""

    activityChanged = Signal(int)  # activity id whose stored values changed
    activitiesReset = Signal(int)  # plan id whose rows were added, removed or reordered
    plansChanged = Signal()
    unitsChanged = Signal()  # names linked to activities changed: refresh filter lists
    directoryChanged = Signal()  # units renamed or merged: every table shows new names
    settingsChanged = Signal()  # office settings changed (lights, fonts)
    evidenceChanged = Signal(int)  # plan id whose evidence files were added or removed
    message = Signal(str)  # status-bar text

    def __init__(
        self,
        db: Database,
        path: Path | None,
        *,
        readonly: bool = False,
        readonly_reason: str = "",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.path = path
        self.readonly = readonly
        self.readonly_reason = readonly_reason
        self.undo_stack = QUndoStack(self)
        self._settings: OfficeSettings | None = None  # read once: the table asks for every row it paints
        self.settingsChanged.connect(self._forget_settings)

    def tell_and_go_on(self, problem: BackupError) -> bool:
        """The backup policy of most bulk changes: say in the status bar why no backup was made, then go on.

        May be called from a background task: Qt queues the signal to the session's (the window's) thread."""
        self.message.emit(str(problem))
        return True

    def today(self) -> dt.date:
        """Return today's date by the program's one clock (tests fix it with `clock.use(FixedClock(...))`)."""
        return clock.today()

    def _forget_settings(self) -> None:
        self._settings = None

    @property
    def evidence_dir(self) -> Path | None:
        """Return the folder next to the database where evidence files are kept."""
        return evidence_dir_of(self.path) if self.path is not None else None

    def settings(self) -> OfficeSettings:
        """Return the office's settings (cached until settingsChanged)."""
        if self._settings is None:
            self._settings = load_settings(self.db)
        return self._settings

    def due_soon_days(self) -> int:
        """Return the office's 'due soon' window in days."""
        return self.settings().due_soon_days
