"""下发: choose the offices and the folder; one progress template per office is written in the background."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from models.records import Plan
from services.rollup import RolloutFile, office_activities, plan_offices
from ui.session import Session
from ui.workers import BackgroundTask, Progress, error_text, preload


class RolloutDialog(QDialog):
    """Tick offices, pick a folder and a deadline; 确定 writes the templates off the window's thread."""

    def __init__(
        self, session: Session, plan: Plan, parent: QWidget | None = None, settings: QSettings | None = None
    ) -> None:
        super().__init__(parent)
        self.session, self.plan = session, plan
        self.settings = settings or QSettings()
        self.setWindowTitle(f"下发进展情况表 — {plan.title}")
        self.resize(520, 520)
        self.written: list[RolloutFile] = []
        self.task: BackgroundTask[list[RolloutFile]] | None = None
        counts = office_activities(session.db, int(plan.id or 0))
        self.offices = QListWidget(self)
        for unit in plan_offices(session.db, int(plan.id or 0)):
            item = QListWidgetItem(f"{unit.name}（{len(counts.get(unit.id or 0, []))} 项）")
            item.setData(Qt.ItemDataRole.UserRole, unit.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.offices.addItem(item)
        all_on = QPushButton("全选", self)
        all_on.clicked.connect(lambda: self._tick(Qt.CheckState.Checked))
        all_off = QPushButton("全不选", self)
        all_off.clicked.connect(lambda: self._tick(Qt.CheckState.Unchecked))
        from models.store import offices as ostore

        self.deadline = QLineEdit(
            ostore.plan_deadline(session.db, int(plan.id or 0)) or plan.report_deadline, self
        )
        self.deadline.setPlaceholderText("如“10月12日前”或“每月25日前”")
        self.folder = QLineEdit(str(self.settings.value("rollup/folder", str(Path.home()))), self)
        browse = QPushButton("浏览…", self)
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder)
        folder_row.addWidget(browse)
        form = QFormLayout()
        form.addRow("报送截止：", self.deadline)
        form.addRow("保存到：", folder_row)
        ticks = QHBoxLayout()
        ticks.addWidget(all_on)
        ticks.addWidget(all_off)
        ticks.addStretch()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("每个单位一份表格，只含该单位牵头、配合或经组合承担的活动：", self))
        layout.addWidget(self.offices)
        layout.addLayout(ticks)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        from services.rollup import empty_groups

        notes = empty_groups(session.db, int(plan.id or 0))
        self.notes = QLabel("\n".join(f"注意：{n}" for n in notes), self)
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet("color: #a0522d;")
        self.notes.setVisible(bool(notes))
        layout.insertWidget(2, self.notes)
        if not self.offices.count():
            layout.insertWidget(
                0,
                QLabel(
                    "本方案的牵头、配合单位中没有报送单位。请先在“方案 → 单位名录”中设置报送单位或组合成员。",
                    self,
                ),
            )
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)

    def _tick(self, state: Qt.CheckState) -> None:
        for i in range(self.offices.count()):
            self.offices.item(i).setCheckState(state)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "保存到文件夹", self.folder.text())
        if folder:
            self.folder.setText(folder)

    def chosen(self) -> list[str]:
        """Return the names of the ticked offices."""
        return [
            str(self.offices.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.offices.count())
            if self.offices.item(i).checkState() == Qt.CheckState.Checked
        ]

    def start(self) -> None:
        """Write the templates in the background; the dialog closes when they are written."""
        names = self.chosen()
        folder = Path(self.folder.text().strip())
        if not names:
            QMessageBox.information(self, "下发", "请至少选择一个单位。")
            return
        if not folder.is_dir():
            QMessageBox.warning(self, "下发", f"文件夹“{folder}”不存在。")
            return
        self.settings.setValue("rollup/folder", str(folder))
        preload("services.rollup", "exports.rollout_xlsx", "openpyxl")
        job = rollout_job(self.session, int(self.plan.id or 0), folder, names, self.deadline.text().strip())
        self.buttons.setEnabled(False)
        task = BackgroundTask(job, label="正在生成各单位进展情况表…", parent=self)
        task.on_done(self._done)
        task.on_error(self._failed)
        self.task = task.start()

    def _done(self, files: list[RolloutFile]) -> None:
        self.written = files
        self.session.message.emit(f"已下发 {len(files)} 份进展情况表到 {self.folder.text()}")
        QMessageBox.information(
            self, "下发", f"已生成 {len(files)} 份进展情况表：\n" + "\n".join(f.path.name for f in files[:20])
        )
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        QMessageBox.warning(self, "下发", error_text(error))


def rollout_job(
    session: Session, plan_id: int, folder: Path, names: list[str], deadline: str
) -> Callable[[Progress], list[RolloutFile]]:
    """Background work that writes the templates with its own connection (the session's for a memory db)."""
    from services.rollup import rollout

    path = session.path

    def job(progress: Progress) -> list[RolloutFile]:
        if path is None:
            return rollout(session.db, plan_id, folder, offices=names, deadline=deadline, progress=progress)
        from models.db import open_database

        db = open_database(path, check=False)
        try:
            return rollout(db, plan_id, folder, offices=names, deadline=deadline, progress=progress)
        finally:
            db.close()

    return job
