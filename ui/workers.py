"""Running long work (export, import, PDF) off the GUI thread, with a progress dialog and cancel."""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget


class Cancelled(Exception):
    """Raised inside the work when the clerk pressed 取消."""


class _Signals(QObject):
    progress = Signal(int, int)
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[Callable[[int, int], None]], Any], signals: _Signals,
                 cancel: threading.Event) -> None:
        super().__init__()
        self.fn = fn
        self.signals = signals
        self.cancel = cancel
        self.setAutoDelete(True)

    def run(self) -> None:
        def progress(done: int, total: int) -> None:
            if self.cancel.is_set():
                raise Cancelled()
            self.signals.progress.emit(done, total)

        try:
            result = self.fn(progress)
        except Cancelled as exc:
            self.signals.failed.emit(exc)
        except Exception as exc:  # noqa: BLE001 - every failure goes back to the GUI thread as a message
            exc.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            self.signals.failed.emit(exc)
        else:
            self.signals.done.emit(result)


def preload(*modules: str) -> None:
    """Import modules on the GUI thread before work that needs them starts on a worker.

    Importing a large package (reportlab, openpyxl, PIL) on a worker thread while the GUI thread runs
    Qt's event loop has crashed PySide6's import hook here; importing first avoids that race, and a
    module is only imported once, when the clerk first uses the feature.
    """
    import importlib

    for name in modules:
        importlib.import_module(name)


class BackgroundTask(QObject):
    """One piece of work on the thread pool; `finished`/`failed` arrive on the GUI thread."""

    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, fn: Callable[[Callable[[int, int], None]], Any], *, label: str,
                 parent: QWidget | None = None, show_dialog: bool = True) -> None:
        super().__init__(parent)
        self.cancel_event = threading.Event()
        self.signals = _Signals()
        self.dialog: QProgressDialog | None = None
        if show_dialog:
            dialog = QProgressDialog(label, "取消", 0, 0, parent)
            dialog.setWindowTitle("请稍候")
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(400)
            dialog.canceled.connect(self.cancel_event.set)
            self.dialog = dialog
        self.signals.progress.connect(self._progress)
        self.signals.done.connect(self._done)
        self.signals.failed.connect(self._failed)
        self.job = _Job(fn, self.signals, self.cancel_event)
        self.running = False

    def start(self) -> BackgroundTask:
        """Queue the work."""
        self.running = True
        QThreadPool.globalInstance().start(self.job)
        return self

    def _progress(self, done: int, total: int) -> None:
        if self.dialog is not None:
            self.dialog.setMaximum(max(total, 1))
            self.dialog.setValue(min(done, total))

    def _close(self) -> None:
        self.running = False
        if self.dialog is not None:
            self.dialog.reset()
            self.dialog.close()

    def _done(self, result: object) -> None:
        self._close()
        self.finished.emit(result)

    def _failed(self, error: object) -> None:
        self._close()
        self.failed.emit(error)


def error_text(error: object) -> str:
    """Return the Chinese message of a failure (expected errors carry one; others get a generic line)."""
    if isinstance(error, Cancelled):
        return "已取消。"
    if isinstance(error, OSError):
        return f"文件操作失败：{error.strerror or error}"
    text = str(error)
    known = ("ExportError", "ImportFailed", "WorkbookError", "SourceError", "BackupError", "AttachmentError",
             "ValidationError", "DatabaseError")
    if any(cls.__name__ in known for cls in type(error).__mro__):
        return text
    return f"发生意外错误：{type(error).__name__}: {text}"
