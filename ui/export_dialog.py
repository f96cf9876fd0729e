"""导出Excel / 导出PDF: choice of report, columns and labels; the file is written in the background."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

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

from exports.columns import COLUMNS, DEFAULT_TABLE_COLUMNS
from models import repository as repo
from models.records import Plan
from ui.session import Session
from ui.workers import BackgroundTask, error_text

REPORTS = {
    "xlsx": (("table", "活动安排表（报送用，同附件格式）"), ("progress", "进展情况表（含状态、进度、完成情况，可下发填报）")),
    "pdf": (("table", "活动安排表（会议打印用）"), ("summary", "完成情况总结（含统计、图表和照片）")),
}


class ColumnChooser(QListWidget):
    """Tick and order the columns to export."""

    def __init__(self, chosen: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        order = list(chosen) + [k for k in COLUMNS if k not in chosen]
        for key in order:
            item = QListWidgetItem(COLUMNS[key].header)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if key in chosen else Qt.CheckState.Unchecked)
            self.addItem(item)
        self.setMaximumHeight(200)

    def chosen(self) -> list[str]:
        """Return the ticked columns in their order."""
        return [
            self.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.count())
            if self.item(i).checkState() == Qt.CheckState.Checked
        ]


class ExportDialog(QDialog):
    """Options for an export, then the export itself off the GUI thread."""

    def __init__(self, session: Session, plan: Plan, fmt: str, parent: QWidget | None = None,
                 settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.plan = plan
        self.fmt = fmt
        self.settings = settings or QSettings()
        self.task: BackgroundTask | None = None
        self.result_path: Path | None = None
        self.setWindowTitle("导出Excel" if fmt == "xlsx" else "导出PDF")
        self.report = QComboBox(self)
        for key, label in REPORTS[fmt]:
            self.report.addItem(label, key)
        self.columns = ColumnChooser(list(DEFAULT_TABLE_COLUMNS), self)
        self.annex = QLineEdit(plan.annex_label, self)
        self.annex.setPlaceholderText("例如 附件2（可空）")
        self.title = QLineEdit(plan.display_table_title, self)
        self.path = QLineEdit(self)
        folder = Path(str(self.settings.value("export/folder", str(Path.home()))))
        suffix = ".xlsx" if fmt == "xlsx" else ".pdf"
        self.path.setText(str(folder / f"{safe_name(plan.display_table_title)}{suffix}"))
        browse = QPushButton("浏览…", self)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        self.footer = QLineEdit(self)
        self.footer.setPlaceholderText("表格下方的落款，如单位名称和日期（可空）")
        from models import repository as repo_

        office = repo_.get_setting(session.db, "office_name")
        if office:
            self.footer.setText(office)
        self.open_after = QCheckBox("导出后打开文件", self)
        self.open_after.setChecked(self.settings.value("export/open_after", "true") in (True, "true"))
        form = QFormLayout()
        form.addRow("内容", self.report)
        form.addRow("列（可拖动排序）", self.columns)
        form.addRow("附件标注", self.annex)
        form.addRow("表格标题", self.title)
        if fmt == "pdf":
            form.addRow("落款", self.footer)
        form.addRow("保存到", row)
        form.addRow("", self.open_after)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("导出")
        buttons.accepted.connect(self.start)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(560, 520)

    def _browse(self) -> None:
        pattern = "Excel 工作簿 (*.xlsx)" if self.fmt == "xlsx" else "PDF 文件 (*.pdf)"
        path, _ = QFileDialog.getSaveFileName(self, self.windowTitle(), self.path.text(), pattern)
        if path:
            self.path.setText(path)

    def options(self) -> dict[str, Any]:
        """Return what the clerk chose."""
        return {"report": self.report.currentData(), "columns": self.columns.chosen(),
                "annex_label": self.annex.text(), "title": self.title.text(), "path": Path(self.path.text()),
                "footer_line": self.footer.text().strip()}

    def start(self) -> None:
        """Validate the choice and run the export in the background."""
        opts = self.options()
        path: Path = opts["path"]
        suffix = ".xlsx" if self.fmt == "xlsx" else ".pdf"
        if path.suffix.lower() != suffix:
            path = path.with_suffix(suffix)
        if not opts["columns"]:
            QMessageBox.warning(self, self.windowTitle(), "请至少选择一列。")
            return
        self.settings.setValue("export/folder", str(path.parent))
        self.settings.setValue("export/open_after", self.open_after.isChecked())
        job = make_export_job(self.session, self.plan, self.fmt, opts["report"], path, opts)
        self.task = BackgroundTask(job, label=f"正在导出 {path.name}…", parent=self)
        self.task.finished.connect(self._finished)
        self.task.failed.connect(lambda e: QMessageBox.warning(self, "导出失败", error_text(e)))
        self.task.start()

    def _finished(self, result: object) -> None:
        path, note = result  # type: ignore[misc]
        self.result_path = path
        self.session.message.emit(f"已导出到 {path}")
        if note:
            QMessageBox.information(self, "导出完成", note)
        if self.open_after.isChecked():
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        self.accept()


def safe_name(text: str) -> str:
    """Return a file name from a title (characters Windows refuses replaced)."""
    for ch in '<>:"/\\|?*\n\r\t':
        text = text.replace(ch, "_")
    return text.strip(" .")[:80] or "活动安排表"


def make_export_job(session: Session, plan: Plan, fmt: str, report: str, path: Path,
                    opts: dict[str, Any]) -> Any:
    """Load the records on the GUI thread and return the work to run in the background."""
    from ui.workers import preload

    if fmt == "xlsx":
        preload("exports.xlsx_export")
    else:
        preload("exports.pdf", "exports.pdf_summary", "reportlab.platypus", "reportlab.graphics.charts.barcharts",
                "reportlab.lib.utils")
    activities = repo.list_activities(session.db, plan.id or 0)
    today = session.today()
    days = session.due_soon_days()
    from exports.pdf import PDF_SETTING_KEYS

    settings = {k: repo.get_setting(session.db, k) for k in PDF_SETTING_KEYS}
    photos: dict[int, list[Path]] = {}
    own: list[Path] = []
    if report == "summary" and session.evidence_dir is not None:
        from models.evidence import plan_photos

        photos, own = plan_photos(session.db, session.evidence_dir, plan.id or 0)

    def job(progress: Any) -> tuple[Path, str]:
        return run_export(plan, activities, fmt, report, path, opts, today, days, settings, photos, own,
                          progress)

    return job


def run_export(plan: Plan, activities: list[Any], fmt: str, report: str, path: Path, opts: dict[str, Any],
               today: dt.date, days: int, settings: dict[str, str], photos: dict[int, list[Path]],
               plan_photos: list[Path], progress: Any) -> tuple[Path, str]:
    """Write the file (runs on a worker thread; touches no widget and no database)."""
    if fmt == "xlsx":
        from exports import xlsx_export

        xopts = xlsx_export.XlsxOptions(columns=opts["columns"], annex_label=opts["annex_label"],
                                        title=opts["title"])
        if report == "progress":
            xlsx_export.export_progress_report(path, plan, activities, xopts, today=today, due_soon_days=days,
                                               progress=progress)
        else:
            xlsx_export.export_table(path, plan, activities, xopts, progress=progress)
        return path, ""
    from exports import pdf

    chosen = ("columns", "annex_label", "title", "pagesize", "landscape", "margins_mm", "footer_line", "page_numbers")
    popts = pdf.options_from_settings(settings, **{k: opts[k] for k in chosen if k in opts})
    if report == "summary":
        from models.tracking import compute_overview

        overview = compute_overview(plan, activities, today, days)
        result = pdf.export_summary_pdf(path, plan, activities, overview, photos, plan_photos, popts, progress)
    else:
        result = pdf.export_table_pdf(path, plan, activities, popts, progress)
    note = ""
    if result.missing_chars:
        note = f"以下字符在已安装的字体中都没有，打印时可能显示为空白：{''.join(sorted(result.missing_chars))}"
    return path, note
