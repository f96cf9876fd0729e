"""导出Excel / 导出PDF: choice of report, columns and labels; the file is written in the background."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from exports.columns import COLUMNS, DEFAULT_TABLE_COLUMNS, PROGRESS_BASE_COLUMNS
from models.records import Plan
from services.exporting import MODULES, ExportRequest, ExportResult, load_material, make_request, run_export
from ui.folders import confirm_overwrite, last_folder, remember_folder
from ui.pdf_setup import PdfSetupBox
from ui.session import Session
from ui.workers import BackgroundTask, Progress, error_text

REPORTS = {
    "xlsx": (
        ("table", "活动安排表（报送用，同附件格式）"),
        ("progress", "进展情况表（含状态、进度、完成情况，可下发填报）"),
        ("offices", "各单位进展汇总表（回收后汇总，活动 × 单位）"),
    ),
    "pdf": (
        ("table", "活动安排表（会议打印用）"),
        ("summary", "完成情况总结（含统计、图表和照片）"),
        ("offices", "各单位进展汇总表（回收后汇总，会议打印用）"),
    ),
}


class ColumnChooser(QListWidget):
    """Tick and order the columns to export."""

    def __init__(self, chosen: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.set_chosen(chosen)
        self.setMaximumHeight(200)

    def set_chosen(self, chosen: list[str]) -> None:
        """Tick these columns, in this order, and untick the rest."""
        self.clear()
        order = list(chosen) + [k for k in COLUMNS if k not in chosen]
        for key in order:
            item = QListWidgetItem(COLUMNS[key].header)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if key in chosen else Qt.CheckState.Unchecked)
            self.addItem(item)

    def chosen(self) -> list[str]:
        """Return the ticked columns in their order."""
        return [
            self.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.count())
            if self.item(i).checkState() == Qt.CheckState.Checked
        ]


def suggested_title(plan: Plan, report: str) -> str:
    """The title a report is printed under, which is also its suggested file name."""
    if report == "summary":
        return f"{plan.title}完成情况总结"
    if report == "progress":
        return plan.display_table_title.replace("主要活动安排表", "").replace("活动安排表", "") + "进展情况表"
    if report == "offices":
        return f"{plan.title}-各单位进展汇总表"
    return plan.display_table_title


class ExportDialog(QDialog):
    """Options for an export, then the export itself off the GUI thread.

    The suggested file name follows 内容 (until the clerk types a name of their own), the folder is the
    last one used (else 文档 / 桌面), and an existing file is replaced only when the clerk says so.
    """

    def __init__(
        self,
        session: Session,
        plan: Plan,
        fmt: str,
        parent: QWidget | None = None,
        settings: QSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.plan = plan
        self.fmt = fmt
        self.settings = settings or QSettings()
        self.task: BackgroundTask[ExportResult] | None = None
        self.result_path: Path | None = None
        self._confirmed: Path | None = None  # a file the save dialog already asked about replacing
        self.setWindowTitle("导出Excel" if fmt == "xlsx" else "导出PDF")
        self.suffix = ".xlsx" if fmt == "xlsx" else ".pdf"
        self.report = QComboBox(self)
        for key, label in REPORTS[fmt]:
            self.report.addItem(label, key)
        self.columns = ColumnChooser(list(DEFAULT_TABLE_COLUMNS), self)
        self.annex = QLineEdit(plan.annex_label, self)
        self.annex.setPlaceholderText("例如 附件2（可空）")
        self.title = QLineEdit(plan.display_table_title, self)
        self.path = QLineEdit(self)
        self.folder = last_folder(self.settings)
        self._suggested = self._suggestion()
        self.path.setText(str(self._suggested))
        browse = QPushButton("浏览…", self)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        self.open_after = QCheckBox("导出后打开文件", self)
        self.open_after.setChecked(self.settings.value("export/open_after", "true") in (True, "true"))
        form = QFormLayout()
        form.addRow("内容", self.report)
        form.addRow("列（可拖动排序）", self.columns)
        form.addRow("附件标注", self.annex)
        form.addRow("表格标题", self.title)
        # PDF-only fields exist only in the PDF dialog: a widget made but never laid out floats at the
        # dialog's top left corner over the other fields
        self.footer: QLineEdit | None = None
        self.setup: PdfSetupBox | None = None
        if fmt == "pdf":
            self.footer = QLineEdit(self)
            self.footer.setPlaceholderText("表格下方的落款，如单位名称和日期（可空）")
            office = session.settings().office_name
            if office:
                self.footer.setText(office)
            form.addRow("落款", self.footer)
            self.setup = PdfSetupBox(self)
            self.setup.load(self.settings)
            form.addRow("版式与页边距", self.setup)
        form.addRow("保存到", row)
        form.addRow("", self.open_after)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("导出")
        buttons.accepted.connect(self.start)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.report.currentIndexChanged.connect(self._report_chosen)
        self.resize(560, self.sizeHint().height())  # as tall as its fields: no empty bands between them

    # ---- the suggested name and columns follow 内容
    def _suggestion(self) -> Path:
        report = str(self.report.currentData())
        return self.folder / f"{safe_name(suggested_title(self.plan, report))}{self.suffix}"

    def _report_chosen(self) -> None:
        report = str(self.report.currentData())
        typed = Path(self.path.text())
        if typed == self._suggested or not self.path.text().strip():  # the clerk's own name stays
            self._suggested = self._suggestion()
            self.path.setText(str(self._suggested))
        else:
            self._suggested = self._suggestion()
        defaults = PROGRESS_BASE_COLUMNS if report == "progress" else DEFAULT_TABLE_COLUMNS
        self.columns.set_chosen(list(defaults))
        self.columns.setEnabled(report not in ("summary", "offices"))
        # a progress report goes down to the offices: no 附件 label unless the clerk writes one
        self.annex.setText("" if report == "progress" else self.plan.annex_label)
        self.title.setText(
            suggested_title(self.plan, report) if report != "table" else self.plan.display_table_title
        )
        self.title.setCursorPosition(0)  # a long title shows its beginning

    def _browse(self) -> None:
        pattern = "Excel 工作簿 (*.xlsx)" if self.fmt == "xlsx" else "PDF 文件 (*.pdf)"
        path, _ = QFileDialog.getSaveFileName(self, self.windowTitle(), self.path.text(), pattern)
        if path:
            chosen = Path(path)
            if chosen.suffix.lower() != self.suffix:
                chosen = chosen.with_suffix(self.suffix)
            else:
                self._confirmed = chosen  # the save dialog has asked about replacing it
            self.path.setText(str(chosen))

    def target(self) -> Path:
        """The file to write: the typed path with the right suffix (a bare name goes in the folder)."""
        path = Path(self.path.text().strip() or str(self._suggested))
        if not path.is_absolute() and path.parent == Path("."):
            path = self.folder / path
        if path.suffix.lower() != self.suffix:
            path = path.with_name(path.name + self.suffix) if path.suffix else path.with_suffix(self.suffix)
        return path

    def request(self, path: Path) -> ExportRequest:
        """Return the export the clerk chose, written to `path`."""
        choices: dict[str, object] = {}
        if self.footer is not None:
            choices["footer_line"] = self.footer.text().strip()
        if self.setup is not None:
            choices.update(self.setup.choices())
        return make_request(
            path,
            str(self.report.currentData()),
            self.session.settings(),
            columns=self.columns.chosen(),
            annex_label=self.annex.text(),
            title=self.title.text(),
            **choices,
        )

    def start(self) -> None:
        """Validate the choice, ask before replacing a file, and run the export in the background."""
        path = self.target()
        if not self.columns.chosen():
            QMessageBox.warning(self, self.windowTitle(), "请至少选择一列。")
            return
        if path != self._confirmed and not confirm_overwrite(self, path, self.windowTitle()):
            return
        remember_folder(self.settings, path.parent)
        self.settings.setValue("export/open_after", self.open_after.isChecked())
        if self.setup is not None:
            self.setup.save(self.settings)
        job = make_export_job(self.session, self.plan, self.request(path))
        self.task = BackgroundTask(job, label=f"正在导出 {path.name}…", parent=self)
        self.task.on_done(self._finished)
        self.task.on_error(lambda e: QMessageBox.warning(self, "导出失败", error_text(e)))
        self.task.start()

    def _finished(self, result: ExportResult) -> None:
        path = result.path
        self.result_path = path
        self.session.message.emit(f"已导出到 {path}")
        if result.note:
            QMessageBox.information(self, "导出完成", result.note)
        if self.open_after.isChecked():
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        self.accept()


def safe_name(text: str) -> str:
    """Return a file name from a title (characters Windows refuses replaced)."""
    for ch in '<>:"/\\|?*\n\r\t':
        text = text.replace(ch, "_")
    return text.strip(" .")[:80] or "活动安排表"


def make_export_job(
    session: Session, plan: Plan, request: ExportRequest
) -> Callable[[Progress], ExportResult]:
    """Read the records on the GUI thread (the connection's) and return the work to run in the background."""
    from ui.workers import preload

    preload(*MODULES[type(request)])
    material = load_material(
        session.db, session.path, plan.id or 0, request, today=session.today(), settings=session.settings()
    )

    def job(progress: Progress) -> ExportResult:
        return run_export(request, material, progress)

    return job
