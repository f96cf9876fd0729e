"""Running long work (export, import, PDF, copies) off the GUI thread, with a progress dialog and 取消."""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from models.errors import Cancelled, TaizhangError

T = TypeVar("T")
Progress = Callable[[int, int], None]
__all__ = ["BackgroundTask", "Cancelled", "Progress", "error_text", "preload"]


class _Signals(QObject):
    progress = Signal(int, int)
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable, Generic[T]):
    def __init__(self, fn: Callable[[Progress], T], signals: _Signals, cancel: threading.Event) -> None:
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


class BackgroundTask(QObject, Generic[T]):
    """One piece of work on the thread pool returning a T; `finished`/`failed` arrive on the GUI thread.

    `finished` carries the T the work returned, `failed` the exception it raised (Cancelled after 取消).
    """

    finished = Signal(object)
    failed = Signal(object)

    def __init__(
        self,
        fn: Callable[[Progress], T],
        *,
        label: str,
        parent: QWidget | None = None,
        show_dialog: bool = True,
    ) -> None:
        super().__init__(parent)
        self.cancel_event = threading.Event()
        self.signals = _Signals()
        self.dialog: QProgressDialog | None = None
        self.result: T | None = None
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
        self.job: _Job[T] = _Job(fn, self.signals, self.cancel_event)
        self.running = False

    def on_done(self, callback: Callable[[T], object]) -> BackgroundTask[T]:
        """Call `callback` with the result on the GUI thread (a typed `finished.connect`)."""
        self.finished.connect(callback)
        return self

    def on_error(self, callback: Callable[[BaseException], object]) -> BackgroundTask[T]:
        """Call `callback` with the exception on the GUI thread."""
        self.failed.connect(callback)
        return self

    def start(self) -> BackgroundTask[T]:
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

    def _done(self, result: T) -> None:
        self._close()
        self.result = result
        self.finished.emit(result)

    def _failed(self, error: BaseException) -> None:
        self._close()
        self.failed.emit(error)


def error_text(error: object) -> str:
    """Return the Chinese message of a failure: expected ones carry their own; others get a generic line."""
    if isinstance(error, TaizhangError):
        return str(error)
    if isinstance(error, OSError):
        return f"文件操作失败：{error.strerror or error}"
    return f"发生意外错误：{type(error).__name__}: {error}"
