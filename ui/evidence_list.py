"""A list of evidence files (of an activity, or of the plan's summary) with add, open and remove."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable

from PySide6.QtCore import QSettings, QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QIcon, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from models import store
from models.db import explain
from models.errors import AttachmentError
from models.evidence import store_file, stored_path
from models.records import Attachment
from ui.folders import last_folder, remember_folder
from ui.session import Session
from ui.undo import AddAttachment, RemoveAttachment
from ui.workers import BackgroundTask, Cancelled, error_text

THUMB = QSize(96, 72)
FILE_FILTER = (
    "佐证材料 (*.jpg *.jpeg *.png *.gif *.bmp *.mp4 *.mov *.avi *.wmv *.pdf *.doc *.docx *.xls *.xlsx"
    " *.wps *.txt);;所有文件 (*)"
)


class EvidenceList(QWidget):
    """Evidence of one owner: an activity (thumbnails) or, with no activity, the plan's own materials."""

    def __init__(self, session: Session, *, thumbnails: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.thumbnails = thumbnails
        self.plan_id: int | None = None
        self.activity_id: int | None = None
        self.task: BackgroundTask[tuple[list[Attachment], list[str]]] | None = None
        self.list = QListWidget(self)
        self.list.setObjectName("evidenceList")
        self.list.setWordWrap(True)
        self.list.setMinimumWidth(120)
        if thumbnails:
            self.list.setViewMode(QListView.ViewMode.IconMode)
            self.list.setIconSize(THUMB)
            self.list.setGridSize(QSize(THUMB.width() + 24, THUMB.height() + 40))
            self.list.setResizeMode(QListView.ResizeMode.Adjust)
            self.list.setMinimumHeight(130)
        else:
            self.list.setMaximumHeight(120)
            self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.list.itemDoubleClicked.connect(lambda *_: self.open_selected())
        buttons = QHBoxLayout()
        self._buttons: list[QToolButton] = []
        for text, slot in (
            ("添加…", self.add_files),
            ("打开", self.open_selected),
            ("移除…", self.remove_selected),
        ):
            button = QToolButton(self)
            button.setText(text)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.clicked.connect(lambda _=False, s=slot: s())
            buttons.addWidget(button)
            self._buttons.append(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addLayout(buttons)

    def buttons(self) -> list[QToolButton]:
        """The add / open / remove buttons, left to right."""
        return list(self._buttons)

    def set_owner(self, plan_id: int | None, activity_id: int | None) -> None:
        """Show the evidence of an activity, or of the plan itself when `activity_id` is None."""
        self.plan_id, self.activity_id = plan_id, activity_id
        self.refresh()

    def refresh(self) -> None:
        """Reload the list."""
        self.list.clear()
        if self.plan_id is None or self.session.evidence_dir is None:
            return
        if self.activity_id is not None:
            items = store.list_attachments(self.session.db, activity_id=self.activity_id)
        else:
            items = store.list_attachments(self.session.db, plan_id=self.plan_id, plan_only=True)
        for att in items:
            self.list.addItem(self._item(att))

    def _item(self, att: Attachment) -> QListWidgetItem:
        item = QListWidgetItem(
            att.original_name if self.thumbnails else f"{att.original_name}（{att.size / 1024:.0f} KB）"
        )
        item.setData(Qt.ItemDataRole.UserRole, att)
        item.setToolTip(f"{att.original_name}\n{att.size / 1024:.0f} KB · {att.added_at.replace('T', ' ')}")
        path = stored_path(self.session.evidence_dir, att) if self.session.evidence_dir else None
        if path is None:
            item.setText(f"{att.original_name}（文件缺失）")
        elif self.thumbnails and att.is_image:
            pixmap = QPixmap(str(path))
            if not pixmap.isNull():
                item.setIcon(
                    QIcon(
                        pixmap.scaled(
                            THUMB,
                            Qt.AspectRatioMode.KeepAspectRatio,
                            Qt.TransformationMode.SmoothTransformation,
                        )
                    )
                )
        if self.thumbnails and item.icon().isNull():
            item.setIcon(self.style().standardIcon(self.style().StandardPixmap.SP_FileIcon))
        return item

    def add_files(self, paths: list[str] | None = None) -> None:
        """Copy files into the evidence folder (in the background: videos can be large), then attach them
        (undoable). Returns at once; `task` is the copying work."""
        evidence_dir, plan_id, activity_id = self.session.evidence_dir, self.plan_id, self.activity_id
        if plan_id is None or self.session.readonly or evidence_dir is None:
            return
        if paths is None:
            settings = QSettings()
            paths, _ = QFileDialog.getOpenFileNames(self, "添加材料", str(last_folder(settings)), FILE_FILTER)
            if paths:
                remember_folder(settings, paths[0])
        if not paths:
            return
        sizes = [os.path.getsize(p) if os.path.isfile(p) else 0 for p in paths]
        total = max(1, 3 * sum(sizes))  # each file is read, written and checked

        def job(progress: Callable[[int, int], None]) -> tuple[list[Attachment], list[str]]:
            stored: list[Attachment] = []
            problems: list[str] = []
            base = 0
            for path, size in zip(paths, sizes, strict=True):

                def step(done: int, _all: int, b: int = base) -> None:
                    progress(b + done, total)

                try:
                    stored.append(store_file(evidence_dir, plan_id, activity_id, path, progress=step))
                except AttachmentError as exc:
                    problems.append(str(exc))
                except Cancelled:
                    problems.append("已取消，其余文件未添加。")
                    break  # the files copied completely before 取消 are still added
                base += 3 * size
            return stored, problems

        self.task = BackgroundTask(job, label="正在复制材料…", parent=self)
        self.task.on_done(self._stored)
        self.task.on_error(lambda e: QMessageBox.warning(self, "添加材料", error_text(e)))
        self.task.start()

    def _stored(self, result: tuple[list[Attachment], list[str]]) -> None:
        stored, problems = result
        added = 0
        last: int | None = None
        for att in stored:
            try:  # the activity (or plan) may have been deleted while its files were being copied
                if att.activity_id is not None:
                    store.get_activity(self.session.db, att.activity_id)
                store.get_plan(self.session.db, att.plan_id or 0)
            except KeyError:
                problems.append(f"“{att.original_name}”未添加：所属的活动或方案已被删除。")
                continue
            try:
                recorded = store.add_attachment_row(self.session.db, att)
            except sqlite3.Error as exc:  # the database refused the write (read-only, full disk, damaged)
                problems.append(
                    f"“{att.original_name}”未添加：{explain(exc, self.session.path.name if self.session.path else '数据库')}"
                )
                continue
            self.session.undo_stack.push(AddAttachment(self.session, recorded))
            last = recorded.id
            added += 1
        if added:
            self.session.message.emit(f"已添加 {added} 个材料。")
        self.refresh()
        if added:
            self.show_attachment(last)
        if problems:
            QMessageBox.warning(self, "添加材料", "\n".join(problems))

    def show_attachment(self, attachment_id: int | None) -> None:
        """Make an attachment's item current and scroll to it (the file just added is seen)."""
        for row in range(self.list.count()):
            item = self.list.item(row)
            att = item.data(Qt.ItemDataRole.UserRole)
            if att is not None and att.id == attachment_id:
                self.list.setCurrentItem(item)
                self.list.scrollToItem(item)
                return

    def selected(self) -> Attachment | None:
        """Return the chosen attachment."""
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def open_selected(self) -> None:
        """Open the stored copy with the system viewer."""
        att = self.selected()
        if att is None or self.session.evidence_dir is None:
            return
        path = stored_path(self.session.evidence_dir, att)
        if path is None:
            QMessageBox.warning(self, "打开", f"“{att.original_name}”的文件已缺失。")
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def remove_selected(self) -> None:
        """Remove the chosen attachment after asking (undoable)."""
        att = self.selected()
        if att is None or self.session.readonly:
            return
        if (
            QMessageBox.question(self, "移除", f"确定移除“{att.original_name}”？（可以撤销）")
            == QMessageBox.StandardButton.Yes
        ):
            self.session.undo_stack.push(RemoveAttachment(self.session, att))
            self.refresh()
