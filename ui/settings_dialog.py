"""设置: the office's settings (stored in the database): name, statuses, due-soon days, PDF fonts, backups."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QSpinBox, QWidget

from models.settings import SPECS, OfficeSettings, save_settings
from models.textnorm import split_units
from ui.session import Session


def _spin(parent: QWidget, key: str, value: int, suffix: str = "") -> QSpinBox:
    spin = QSpinBox(parent)
    spec = SPECS[key]
    spin.setRange(spec.minimum or 0, spec.maximum or 999)
    spin.setSuffix(suffix)
    spin.setValue(value)
    return spin


class SettingsDialog(QDialog):
    """Office preferences that travel with the database file (labels and bounds from models.settings)."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("设置")
        current = session.settings()
        self.office = QLineEdit(current.office_name, self)
        self.office.setPlaceholderText("例如 某某市市场监督管理局（用于落款）")
        self.due = _spin(self, "due_soon_days", current.due_soon_days, " 天")
        self.title_font = QComboBox(self)
        self.body_font = QComboBox(self)
        fonts = self._fonts()
        for combo, value in (
            (self.title_font, current.pdf_title_font),
            (self.body_font, current.pdf_body_font),
        ):
            combo.addItem("自动（按常用公文字体）", "")
            for key, font_label in fonts:
                combo.addItem(font_label, key)
            combo.setCurrentIndex(max(0, combo.findData(value)))
        self.numbers = QComboBox(self)
        for value, choice_label in SPECS["pdf_page_numbers"].choices:
            self.numbers.addItem(choice_label, value)
        self.numbers.setCurrentIndex(max(0, self.numbers.findData(current.pdf_page_numbers)))
        self.keep_daily = _spin(self, "backup_keep_daily", current.backup_keep_daily)
        self.keep_changes = _spin(self, "backup_keep_changes", current.backup_keep_changes)
        self.statuses = QLineEdit("、".join(current.statuses), self)
        self.statuses.setPlaceholderText("如 已暂停、待验收（基本状态 未开始/进行中/已完成/已取消 始终可用）")
        form = QFormLayout(self)
        for key, widget in (
            ("office_name", self.office),
            ("statuses", self.statuses),
            ("due_soon_days", self.due),
            ("pdf_title_font", self.title_font),
            ("pdf_body_font", self.body_font),
            ("pdf_page_numbers", self.numbers),
            ("backup_keep_daily", self.keep_daily),
            ("backup_keep_changes", self.keep_changes),
        ):
            form.addRow(SPECS[key].label, widget)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(640, self.sizeHint().height())  # as tall as its rows: no empty band below them

    @staticmethod
    def _fonts() -> list[tuple[str, str]]:
        try:
            from exports.fonts import choosable_fonts

            return [(f.key, f.label) for f in choosable_fonts()]
        except Exception:  # noqa: BLE001 - a broken font folder must not block the settings
            return []

    def values(self) -> OfficeSettings:
        """Return the settings as entered."""
        return OfficeSettings(
            office_name=self.office.text().strip(),
            due_soon_days=self.due.value(),
            pdf_title_font=str(self.title_font.currentData() or ""),
            pdf_body_font=str(self.body_font.currentData() or ""),
            pdf_page_numbers=str(self.numbers.currentData()),
            backup_keep_daily=self.keep_daily.value(),
            backup_keep_changes=self.keep_changes.value(),
            statuses=tuple(
                s
                for s in split_units(self.statuses.text())
                if s not in ("未开始", "进行中", "已完成", "已取消")
            ),
        )

    def save(self) -> None:
        """Store the settings and refresh what depends on them."""
        if self.session.readonly:
            self.reject()
            return
        save_settings(self.session.db, self.values())
        self.session.settingsChanged.emit()
        self.accept()
