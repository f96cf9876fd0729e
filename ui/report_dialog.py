"""报送材料: the check (activities without 完成情况 or photos), then 生成 in the background with progress and
取消, then the folder opens. 去补充 closes the dialog on the chosen (or first) activity that lacks something."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
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

from models.errors import Cancelled
from services.exporting import MODULES, ProgressXlsx, SummaryPdf, TablePdf
from services.report_package import (
    PackageResult,
    PreCheck,
    package_names,
    precheck,
    prepare_package,
    write_package,
)
from ui.session import Session
from ui.workers import BackgroundTask, error_text, preload

ActivityRole = Qt.ItemDataRole.UserRole + 1


def default_folder(settings: QSettings) -> str:
    """The folder used last time, else the desktop (where clerks look for what they send)."""
    desktop = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DesktopLocation)
    fallback = desktop if desktop and Path(desktop).is_dir() else str(Path.home())
    return str(settings.value("report/folder", "") or settings.value("export/folder", "") or fallback)


class ReportDialog(QDialog):
    """The check first; then the package is written off the window's thread."""

    activityRequested = Signal(int, int)  # plan id, activity id: 去补充

    def __init__(
        self, session: Session, plan_id: int, parent: QWidget | None = None, settings: QSettings | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.plan_id = plan_id
        self.settings = settings or QSettings()
        self.task: BackgroundTask[PackageResult] | None = None
        self.package: PackageResult | None = None
        self.check: PreCheck = precheck(session.db, plan_id)
        plan = self.check.plan
        office = session.settings().office_name or plan.office
        self.names = package_names(plan, office, session.today())
        self.setWindowTitle("报送材料")
        title = QLabel(f"<b>{plan.title}</b>", self)
        title.setWordWrap(True)
        self.head = QLabel(self.check.lines()[0], self)
        self.head.setObjectName("reportCheckHead")
        self.head.setWordWrap(True)
        self.missing = QListWidget(self)
        self.missing.setObjectName("reportMissing")
        for activity, lacks in self.check.missing():
            item = QListWidgetItem(f"第 {activity.position} 项 {activity.name}：{'、'.join(lacks)}")
            item.setData(ActivityRole, int(activity.id or 0))
            self.missing.addItem(item)
        self.missing.setVisible(not self.check.ok)
        self.missing.itemActivated.connect(lambda *_: self.go_fix())
        files = QLabel("将生成：\n" + "\n".join(f"  · {n}" for n in self.names.files), self)
        files.setWordWrap(True)
        self.folder = QLineEdit(default_folder(self.settings), self)
        self.folder.setObjectName("reportFolder")
        browse = QPushButton("浏览…", self)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(QLabel("保存到", self))
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        note = QLabel(
            f"其中新建文件夹“{self.names.folder}”；已有同名文件夹时另建“（2）”，不覆盖任何文件。", self
        )
        note.setWordWrap(True)
        self.open_after = QCheckBox("完成后打开文件夹", self)
        self.open_after.setChecked(self.settings.value("report/open_after", "true") in (True, "true"))
        buttons = QDialogButtonBox(self)
        self.go_on = buttons.addButton(
            "生成报送材料" if self.check.ok else "继续生成", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.go_on.setObjectName("reportContinue")
        self.fix = buttons.addButton("去补充", QDialogButtonBox.ButtonRole.ActionRole)
        self.fix.setObjectName("reportFix")
        self.fix.setVisible(not self.check.ok)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.go_on.clicked.connect(self.start)
        self.fix.clicked.connect(self.go_fix)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.head)
        layout.addWidget(self.missing)
        layout.addWidget(files)
        layout.addLayout(row)
        layout.addWidget(note)
        layout.addWidget(self.open_after)
        layout.addWidget(buttons)
        self.go_on.setDefault(True)
        self.resize(560, 460 if not self.check.ok else 300)

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "保存报送材料到", self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def go_fix(self) -> None:
        """Close on the chosen (else the first) activity that lacks something, for the clerk to complete it."""
        item = self.missing.currentItem() or self.missing.item(0)
        if item is None:
            return
        self.activityRequested.emit(self.plan_id, int(item.data(ActivityRole)))
        self.reject()

    def start(self) -> None:
        """Read what the package needs, then write it in the background (progress, 取消)."""
        if self.task is not None and self.task.running:
            return
        parent = Path(self.folder.text().strip() or ".")
        self.settings.setValue("report/folder", str(parent))
        self.settings.setValue("report/open_after", self.open_after.isChecked())
        preload(*MODULES[SummaryPdf], *MODULES[TablePdf], *MODULES[ProgressXlsx])
        try:
            job = prepare_package(
                self.session.db,
                self.session.path,
                self.plan_id,
                parent,
                today=self.session.today(),
                settings=self.session.settings(),
            )
        except Exception as exc:  # noqa: BLE001 - every failure is shown in Chinese
            QMessageBox.warning(self, "报送材料", error_text(exc))
            return
        self.go_on.setEnabled(False)
        self.task = BackgroundTask(
            lambda progress: write_package(job, progress), label="正在生成报送材料…", parent=self
        )
        self.task.on_done(self._finished)
        self.task.on_error(self._failed)
        self.task.start()

    def _failed(self, error: BaseException) -> None:
        self.go_on.setEnabled(True)
        if isinstance(error, Cancelled):
            self.session.message.emit("已取消生成报送材料，没有留下任何文件。")
            return
        QMessageBox.warning(self, "报送材料", error_text(error))

    def _finished(self, result: PackageResult) -> None:
        self.package = result
        self.session.message.emit(f"报送材料已保存到 {result.folder}")
        if result.notes:
            QMessageBox.information(self, "报送材料", "\n\n".join(result.notes))
        if self.open_after.isChecked():
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(result.folder)))
        self.accept()
