"""The plan properties dialog: title, office, 文号, theme, year, period, report deadline, slogans…"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from models.labels import label
from models.records import Plan


class PlanDialog(QDialog):
    """Edit the properties of a plan (new or existing)."""

    def __init__(self, plan: Plan, parent: QWidget | None = None, *, title: str = "方案属性") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(620, 560)
        self.plan = plan
        self.title = QLineEdit(plan.title)
        self.office = QLineEdit(plan.office)
        self.doc_number = QLineEdit(plan.doc_number)
        self.doc_number.setPlaceholderText("例如 岳市监发〔2024〕12号")
        self.theme = QLineEdit(plan.theme)
        self.year = QSpinBox()
        self.year.setRange(1990, 2100)
        self.year.setValue(plan.year or 2024)
        self.period = QLineEdit(plan.period_text)
        self.period.setPlaceholderText("例如 2024年9月")
        self.deadline = QLineEdit(plan.report_deadline)
        self.deadline.setPlaceholderText("例如 10月12日前")
        self.report_to = QLineEdit(plan.report_to)
        self.contact = QLineEdit(plan.report_contact)
        self.annex = QLineEdit(plan.annex_label)
        self.annex.setPlaceholderText("例如 附件2（打印在表格左上角，可空）")
        self.table_title = QLineEdit(plan.table_title)
        self.table_title.setPlaceholderText(plan.display_table_title)
        self.slogans = QPlainTextEdit("\n".join(plan.slogans))
        self.slogans.setPlaceholderText("每行一条口号")
        self.notes = QPlainTextEdit(plan.notes)
        for box in (self.slogans, self.notes):
            box.setTabChangesFocus(True)  # the Tab key moves on, as in the other fields
        form = QFormLayout(self)
        for key, widget in (
            ("plan_title", self.title),
            ("office", self.office),
            ("doc_number", self.doc_number),
            ("theme", self.theme),
            ("year", self.year),
            ("period_text", self.period),
            ("report_deadline", self.deadline),
            ("report_to", self.report_to),
            ("report_contact", self.contact),
            ("annex_label", self.annex),
            ("table_title", self.table_title),
            ("plan_slogans", self.slogans),
            ("notes", self.notes),
        ):
            form.addRow(label(key) + ("*" if key == "plan_title" else ""), widget)  # * required
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> dict[str, Any]:
        """Return the edited properties as repository field values."""
        return {
            "title": self.title.text(),
            "office": self.office.text(),
            "doc_number": self.doc_number.text(),
            "theme": self.theme.text(),
            "year": self.year.value(),
            "period_text": self.period.text(),
            "report_deadline": self.deadline.text(),
            "report_to": self.report_to.text(),
            "report_contact": self.contact.text(),
            "annex_label": self.annex.text(),
            "table_title": self.table_title.text(),
            "slogans": [s for s in self.slogans.toPlainText().split("\n") if s.strip()],
            "notes": self.notes.toPlainText(),
        }

    def _accept(self) -> None:
        if not self.title.text().strip():
            QMessageBox.warning(self, "方案属性", "方案标题不能为空。")
            return
        self.accept()
