"""打印预览: the exact pages of the generated PDF, page setup, printing and 导出PDF — one layout engine."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSettings, QSize, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewWidget
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from exports.columns import DEFAULT_TABLE_COLUMNS
from models import leftovers
from models.records import Plan
from services.exporting import ExportRequest, ExportResult, make_request
from ui.export_dialog import ColumnChooser, make_export_job, safe_name
from ui.folders import confirm_overwrite, fit_to_screen, last_folder, remember_folder
from ui.pdf_render import page_count, render_page
from ui.pdf_setup import PdfSetupBox
from ui.session import Session
from ui.workers import BackgroundTask, error_text

PREVIEW_DPI = 110
PRINT_DPI = 300


class PrintPreviewDialog(QDialog):
    """Page setup on the left, the PDF's pages on the right; regenerated when the setup changes."""

    def __init__(
        self, session: Session, plan: Plan, parent: QWidget | None = None, settings: QSettings | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.plan = plan
        self.settings = settings or QSettings()
        self.setWindowTitle(f"打印预览 — {plan.title}")
        self.tmpdir = Path(tempfile.mkdtemp(prefix="taizhang-print-"))  # PDFs of the pages, not the database
        leftovers.remember(self.tmpdir)
        self.pdf_path: Path | None = None
        self.pages = 0
        self.task: BackgroundTask[ExportResult] | None = None
        self.printing = False  # while pages go to the printer the PDF must not be regenerated
        self.printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        self.preview = QPrintPreviewWidget(self.printer, self)
        self.preview.paintRequested.connect(self._paint)

        self.report = QComboBox(self)
        self.report.addItem("活动安排表", "table")
        self.report.addItem("完成情况总结", "summary")
        self.paper = QComboBox(self)
        self.paper.addItems(["A4", "A3"])
        self.orientation = QComboBox(self)
        self.orientation.addItem("横向", True)
        self.orientation.addItem("纵向", False)
        self.setup = PdfSetupBox(self)  # preset, margins, fit one page wide: the same as 导出PDF, remembered
        self.setup.load(self.settings)
        self.margins = self.setup.margins
        self.numbers = QComboBox(self)
        self.numbers.addItem("— 1 —", "dash")
        self.numbers.addItem("第 1 页 共 N 页", "of")
        self.columns = ColumnChooser(list(DEFAULT_TABLE_COLUMNS), self)
        self.annex = QLineEdit(plan.annex_label, self)
        self.title = QLineEdit(plan.display_table_title, self)
        self.title.setCursorPosition(0)  # a long title shows its beginning, not “阳市市场监管…表”
        self.footer = QLineEdit(self)
        self.footer.setPlaceholderText("例如 落款单位和日期（可空）")
        self.status = QLabel(self)
        form = QFormLayout()
        form.addRow("内容", self.report)
        form.addRow("纸张", self.paper)
        form.addRow("方向", self.orientation)
        form.addRow("版式与页边距", self.setup)
        form.addRow("页码", self.numbers)
        form.addRow("附件标注", self.annex)
        form.addRow("表格标题", self.title)
        form.addRow("落款", self.footer)
        form.addRow("列", self.columns)
        buttons = QHBoxLayout()
        self.print_button = QPushButton("打印…", self)
        self.print_button.clicked.connect(self.print_)
        self.save_button = QPushButton("导出PDF…", self)
        self.save_button.clicked.connect(self.save_pdf)
        close = QPushButton("关闭", self)
        close.clicked.connect(self.reject)
        for button in (self.print_button, self.save_button, close):
            buttons.addWidget(button)
        left = QVBoxLayout()
        left.addLayout(form)
        left.addWidget(self.status)
        left.addLayout(buttons)
        layout = QHBoxLayout(self)
        panel = QWidget(self)
        panel.setLayout(left)
        panel.setMaximumWidth(360)
        layout.addWidget(panel)
        layout.addWidget(self.preview, 1)
        self.resize(fit_to_screen(QSize(1280, 820)))
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(500)
        self._timer.timeout.connect(self.regenerate)
        for combo in (self.report, self.paper, self.orientation, self.numbers):
            combo.currentIndexChanged.connect(lambda *_: self._timer.start())
        self.setup.changed.connect(self._timer.start)
        for line in (self.annex, self.title, self.footer):
            line.editingFinished.connect(self._timer.start)
        self.columns.itemChanged.connect(lambda *_: self._timer.start())
        self.regenerate()

    def request(self, target: Path) -> ExportRequest:
        """Return the page setup as the export of the chosen report to `target`."""
        choices = self.setup.choices()
        return make_request(
            target,
            str(self.report.currentData()),
            self.session.settings(),
            columns=self.columns.chosen() or list(DEFAULT_TABLE_COLUMNS),
            annex_label=self.annex.text(),
            title=self.title.text(),
            pagesize=self.paper.currentText(),
            landscape=bool(self.orientation.currentData()),
            page_numbers=self.numbers.currentData(),
            **choices,
            footer_line=self.footer.text(),
        )

    def regenerate(self) -> None:
        self.setup.save(self.settings)
        """Write the PDF again in the background, then refresh the preview."""
        if self.printing or (self.task is not None and self.task.running):
            self._timer.start()  # try again shortly
            return
        target = self.tmpdir / f"preview-{id(self)}-{self.report.currentData()}.pdf"
        job = make_export_job(self.session, self.plan, self.request(target))
        self.status.setText("正在生成…")
        self.task = BackgroundTask(job, label="正在生成打印页面…", parent=self, show_dialog=False)
        self.task.on_done(self._generated)
        self.task.failed.connect(lambda e: self.status.setText(error_text(e)))
        self.task.start()

    def _generated(self, result: ExportResult) -> None:
        path, note = result.path, result.note
        self.pdf_path = path
        self.pages = page_count(path)
        self.status.setText(f"共 {self.pages} 页。{note}")
        size = QPageSize(
            QPageSize.PageSizeId.A3 if self.paper.currentText() == "A3" else QPageSize.PageSizeId.A4
        )
        orientation = (
            QPageLayout.Orientation.Landscape
            if self.orientation.currentData()
            else QPageLayout.Orientation.Portrait
        )
        self.printer.setPageLayout(QPageLayout(size, orientation, QMarginsF(0, 0, 0, 0)))
        self.printer.setFullPage(True)
        self.preview.updatePreview()

    def _paint(
        self, printer: QPrinter, dpi: int = PREVIEW_DPI, progress: QProgressDialog | None = None
    ) -> int:
        """Draw the PDF's pages on `printer`; return how many were drawn (fewer if the clerk cancelled),
        or -1 if the printer would not start."""
        path, pages = self.pdf_path, self.pages  # the same document from the first page to the last
        if path is None:
            return 0
        painter = QPainter()
        if not painter.begin(
            printer
        ):  # an unreachable printer, or “print to file” whose dialog was cancelled
            return -1
        drawn = 0
        try:
            for index in range(pages):
                if progress is not None:
                    progress.setValue(index)  # a modal progress dialog keeps the window responding
                    if progress.wasCanceled():
                        break
                if index:
                    printer.newPage()
                image = render_page(path, index, dpi)
                area = QRectF(printer.pageLayout().fullRectPixels(printer.resolution()))
                scaled = image.size().scaled(area.size().toSize(), Qt.AspectRatioMode.KeepAspectRatio)
                target = QRectF(area.x(), area.y(), scaled.width(), scaled.height())
                painter.drawImage(target, image)
                drawn += 1
        finally:
            if drawn < pages and printer.abort():
                drawn = 0  # the print job was withdrawn
            painter.end()
            if progress is not None:
                progress.setValue(progress.maximum())
        return drawn

    def print_(self) -> None:
        """Choose a printer and print the pages, page by page with progress and 取消."""
        if self.pdf_path is None:
            return
        if self.task is not None and self.task.running:
            QMessageBox.information(self, "打印", "正在按新的设置生成打印页面，请稍候再打印。")
            return
        dialog = QPrintDialog(self.printer, self)
        if not dialog.exec():
            return
        progress = QProgressDialog("正在发送到打印机…", "取消", 0, self.pages, self)
        progress.setWindowTitle("打印")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(400)
        self.printing = True
        try:
            drawn = self._paint(self.printer, PRINT_DPI, progress)
        finally:
            self.printing = False
        if drawn == self.pages:
            self.session.message.emit("已发送到打印机。")
            return
        if drawn < 0:
            QMessageBox.warning(
                self, "打印", "打印机没有开始打印（可能未连接、已暂停或取消了保存）。请检查后再试。"
            )
            return
        to_file = (
            self.printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and self.printer.outputFileName()
        )
        if to_file:  # “print to file”: nothing half-printed is left behind
            Path(self.printer.outputFileName()).unlink(missing_ok=True)
        if drawn == 0 or to_file:
            self.session.message.emit("已取消打印。")
        else:  # this printer cannot withdraw a job: say what went out
            QMessageBox.information(
                self, "打印", f"已取消。前 {drawn} 页已经发送到打印机，可能仍会打印出来。"
            )
            self.session.message.emit(f"已取消打印（已发送 {drawn} 页）。")

    def save_pdf(self) -> None:
        """Save the previewed PDF and offer to open it."""
        if self.pdf_path is None:
            return
        folder = last_folder(self.settings)
        name = self.title.text() if self.report.currentData() == "table" else f"{self.plan.title}完成情况总结"
        path, _ = QFileDialog.getSaveFileName(
            self, "导出PDF", str(folder / f"{safe_name(name)}.pdf"), "PDF 文件 (*.pdf)"
        )
        if not path:
            return
        target = Path(path).with_suffix(".pdf")
        if target != Path(path) and not confirm_overwrite(self, target, "导出PDF"):
            return  # the save dialog asked about the name typed, not about the one with .pdf added
        tmp = target.with_name(f".{target.name}.part")
        try:
            shutil.copyfile(self.pdf_path, tmp)
            tmp.replace(target)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            QMessageBox.warning(
                self, "导出PDF", f"无法写入 {target.name}：文件可能正被其他程序打开。（{exc.strerror}）"
            )
            return
        remember_folder(self.settings, target.parent)
        self.setup.save(self.settings)
        if (
            QMessageBox.question(self, "导出PDF", f"已保存到 {target}。现在打开吗？")
            == QMessageBox.StandardButton.Yes
        ):
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))

    def done(self, result: int) -> None:
        """Remove the temporary files when closing."""
        shutil.rmtree(self.tmpdir, ignore_errors=True)
        leftovers.forget(self.tmpdir)
        super().done(result)
