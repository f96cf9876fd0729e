"""Evidence without dialogs: files dropped on a row (or on the detail panel) and images pasted from the
clipboard are attached to that activity, copied in the background exactly as 添加… copies them.

`EvidenceDrop.watch(widget)` installs the event filter; the target function tells which activity a
position in that widget stands for. Folders, files on other computers (web links) and a read-only
database get a message and nothing is copied; unreadable or oversized files are told by the copy itself
(models.evidence) while the other files are still added.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QObject, QPoint, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QGuiApplication,
    QImage,
    QKeyEvent,
    QKeySequence,
)
from PySide6.QtWidgets import QMessageBox, QWidget

from models import clock, leftovers
from models.records import Activity
from ui.evidence_list import EvidenceList
from ui.session import Session

Target = Callable[[QPoint | None], Activity | None]
"""The activity a position in the watched widget stands for (None: the position is not on one)."""


def local_paths(mime: QMimeData) -> tuple[list[str], list[str]]:
    """Split a drop's URLs into local paths and what cannot be attached (links to other computers)."""
    paths, remote = [], []
    for url in mime.urls() if mime.hasUrls() else []:
        if url.isLocalFile() and url.toLocalFile():
            paths.append(url.toLocalFile())
        else:
            remote.append(url.toString())
    return paths, remote


def usable(mime: QMimeData) -> bool:
    """Tell whether a drag or the clipboard carries files or a picture."""
    return (mime.hasUrls() and any(u.isLocalFile() for u in mime.urls())) or mime.hasImage()


class EvidenceDrop(QObject):
    """Accepts dropped files and pasted images on watched widgets; attaches them to the target activity."""

    copyStarted = Signal(int, int)  # activity id, number of files being copied

    def __init__(self, session: Session, parent: QWidget) -> None:
        super().__init__(parent)
        self.session = session
        self.parent_widget = parent
        self.targets: dict[QObject, Target] = {}
        # the existing background copy (progress, 取消, undo, messages), without its list being shown
        self.copier = EvidenceList(session, thumbnails=False, parent=parent)
        self.copier.setObjectName("evidenceDropCopier")
        self.copier.hide()
        self._temp_dirs: list[Path] = []

    def watch(self, widget: QWidget, target: Target, *, paste: bool = True) -> None:
        """Take drops (and, with `paste`, Ctrl+V of pictures and copied files) on `widget` for `target`."""
        widget.setAcceptDrops(True)
        widget.installEventFilter(self)
        self.targets[widget] = target
        if not paste:
            widget.setProperty("evidencePaste", False)

    # ---- events
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Handle drags, drops and Ctrl+V that carry files or pictures; let everything else through."""
        target = self.targets.get(watched)
        if target is None:
            return False
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove) and isinstance(
            event, QDragEnterEvent | QDragMoveEvent
        ):
            mime = event.mimeData()
            if mime is None or not usable(mime):
                return False
            event.acceptProposedAction()
            activity = target(event.position().toPoint())
            if kind == QEvent.Type.DragEnter or activity is not None:
                self.session.message.emit(
                    f"松开鼠标，添加到第 {activity.position} 项“{activity.name}”"
                    if activity
                    else "请拖到某一项活动上"
                )
            return True
        if kind == QEvent.Type.Drop and isinstance(event, QDropEvent):
            mime = event.mimeData()
            if mime is None or not usable(mime):
                return False
            event.acceptProposedAction()
            self.attach_mime(mime, target(event.position().toPoint()))
            return True
        if (
            kind == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.matches(QKeySequence.StandardKey.Paste)
            and watched.property("evidencePaste") is not False
        ):
            mime = QGuiApplication.clipboard().mimeData()
            if mime is None or not usable(mime):
                return False  # text: the widget pastes it as usual
            self.attach_mime(mime, target(None))
            return True
        return False

    # ---- attaching
    def attach_mime(self, mime: QMimeData, activity: Activity | None) -> bool:
        """Attach the files (or, with none, the picture) a drop or the clipboard carries; True if started."""
        paths, remote = local_paths(mime)
        if paths:
            return self.attach_paths(paths, activity, remote=remote)
        if mime.hasImage():
            image = mime.imageData()
            if isinstance(image, QImage) and not image.isNull():
                return self.attach_image(image, activity)
        if remote:
            self._tell("只能添加本机上的文件。请先把网页或聊天中的文件保存到电脑，再拖进来。")
        return False

    def _check(self, activity: Activity | None) -> bool:
        if self.session.readonly:
            self._tell(f"此数据库以只读方式打开，不能添加材料。\n{self.session.readonly_reason}".strip())
            return False
        if self.session.evidence_dir is None:
            self._tell("内存数据库没有附件文件夹，不能添加材料。")
            return False
        path = self.session.path
        if path is not None and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
            # made read-only after it was opened (file attribute, a share): say so before copying anything
            self._tell(
                f"“{path.name}”或其所在文件夹现在是只读的，不能添加材料，没有复制任何文件。"
                "请检查文件属性或网络共享的权限后再试。"
            )
            return False
        if activity is None:
            self._tell("请把材料拖到表格中的某一项活动上（或先选中一项活动再粘贴）。")
            return False
        return True

    def attach_paths(
        self, paths: list[str], activity: Activity | None, *, remote: list[str] | None = None
    ) -> bool:
        """Copy files to an activity in the background; folders and links are left out with a message."""
        if not self._check(activity) or activity is None:
            return False
        folders = [p for p in paths if Path(p).is_dir()]
        files = [p for p in paths if p not in folders]
        problems = [
            f"“{Path(p).name}”是文件夹，未添加。请打开文件夹，选中其中的文件再拖进来。" for p in folders
        ]
        if remote:
            problems.append("网络上的文件未添加：请先保存到电脑。")
        if problems:
            self._tell("\n".join(problems))
        if not files:
            return False
        self.copier.set_owner(activity.plan_id, activity.id)
        self.copier.add_files(files)
        self.copyStarted.emit(int(activity.id or 0), len(files))
        self.session.message.emit(
            f"正在添加 {len(files)} 个材料到第 {activity.position} 项“{activity.name}”…"
        )
        return True

    def attach_image(self, image: QImage, activity: Activity | None) -> bool:
        """Save a pasted picture as a PNG named after the moment, then attach it like a file."""
        if not self._check(activity):
            return False
        folder = Path(tempfile.mkdtemp(prefix="taizhang-paste-"))
        leftovers.remember(folder)
        path = folder / f"粘贴的图片-{clock.now():%Y%m%d-%H%M%S}.png"
        if not image.save(str(path)):  # the format follows the .png suffix
            self._cleanup(folder)
            self._tell("无法保存粘贴的图片。")
            return False
        started = self.attach_paths([str(path)], activity)
        task = self.copier.task
        if not started or task is None:
            self._cleanup(folder)
            return False
        task.finished.connect(lambda *_: self._cleanup(folder))
        task.failed.connect(lambda *_: self._cleanup(folder))
        return True

    def _cleanup(self, folder: Path) -> None:
        shutil.rmtree(folder, ignore_errors=True)
        leftovers.forget(folder)

    def _tell(self, text: str) -> None:
        QMessageBox.warning(self.parent_widget, "添加材料", text)
