"""设置: office name, PDF fonts and page numbers, due-soon days, backup retention (stored in the database)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QSpinBox, QWidget

from models import repository as repo
from models.textnorm import split_units
from ui.session import Session


class SettingsDialog(QDialog):
    """Office preferences that travel with the database file."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("设置")
        db = session.db
        self.office = QLineEdit(repo.get_setting(db, "office_name"), self)
        self.office.setPlaceholderText("例如 某某市市场监督管理局（用于落款）")
        self.due = QSpinBox(self)
        self.due.setRange(0, 60)
        self.due.setSuffix(" 天")
        self.due.setValue(session.due_soon_days())
        self.title_font = QComboBox(self)
        self.body_font = QComboBox(self)
        fonts = self._fonts()
        for combo, key in ((self.title_font, "pdf_title_font"), (self.body_font, "pdf_body_font")):
            combo.addItem("自动（按常用公文字体）", "")
            for value, label in fonts:
                combo.addItem(label, value)
            combo.setCurrentIndex(max(0, combo.findData(repo.get_setting(db, key))))
        self.numbers = QComboBox(self)
        self.numbers.addItem("— 1 —（公文样式）", "dash")
        self.numbers.addItem("第 1 页 共 N 页", "of")
        self.numbers.setCurrentIndex(max(0, self.numbers.findData(repo.get_setting(db, "pdf_page_numbers", "dash"))))
        self.keep_daily = QSpinBox(self)
        self.keep_daily.setRange(1, 365)
        self.keep_daily.setValue(int(repo.get_setting(db, "backup_keep_daily", "30") or 30))
        self.keep_changes = QSpinBox(self)
        self.keep_changes.setRange(1, 100)
        self.keep_changes.setValue(int(repo.get_setting(db, "backup_keep_changes", "10") or 10))
        import json

        extra = [s for s in repo.get_statuses(db) if s not in ("未开始", "进行中", "已完成", "已取消")]
        self.statuses = QLineEdit("、".join(extra), self)
        self.statuses.setPlaceholderText("如 已暂停、待验收（基本状态 未开始/进行中/已完成/已取消 始终可用）")
        self._json = json
        form = QFormLayout(self)
        form.addRow("单位名称", self.office)
        form.addRow("附加状态", self.statuses)
        form.addRow("“即将到期”提前", self.due)
        form.addRow("PDF 标题字体", self.title_font)
        form.addRow("PDF 正文字体", self.body_font)
        form.addRow("PDF 页码", self.numbers)
        form.addRow("保留每日备份", self.keep_daily)
        form.addRow("保留操作前备份", self.keep_changes)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(640, 340)

    @staticmethod
    def _fonts() -> list[tuple[str, str]]:
        try:
            from exports.fonts import choosable_fonts

            return [(f.key, f.label) for f in choosable_fonts()]
        except Exception:  # noqa: BLE001 - a broken font folder must not block the settings
            return []

    def save(self) -> None:
        """Store the settings and refresh what depends on them."""
        db = self.session.db
        if self.session.readonly:
            self.reject()
            return
        for key, value in (
            ("office_name", self.office.text().strip()), ("due_soon_days", str(self.due.value())),
            ("pdf_title_font", self.title_font.currentData()), ("pdf_body_font", self.body_font.currentData()),
            ("pdf_page_numbers", self.numbers.currentData()), ("backup_keep_daily", str(self.keep_daily.value())),
            ("backup_keep_changes", str(self.keep_changes.value())),
            ("statuses", self._json.dumps(split_units(self.statuses.text()), ensure_ascii=False)),
        ):
            repo.set_setting(db, key, value)
        self.session.settingsChanged.emit()
        self.accept()
