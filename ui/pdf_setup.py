"""The PDF page setup shared by 导出PDF and 打印预览: preset (常规 / 公文), margins, fit one page wide.

The clerk's last choices are remembered (QSettings) so that a preview and the next export look alike.
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QGridLayout, QLabel, QSizePolicy, QWidget

from exports.options import GONGWEN, PRESETS, PdfOptions

DEFAULT_MARGINS = PdfOptions().margins_mm
SIDES = ("上", "右", "下", "左")


class PdfSetupBox(QWidget):
    """Preset, four margins (mm) and “缩放到一页宽”; `changed` fires on any change."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preset = QComboBox(self)
        self.preset.setObjectName("pdfPreset")
        for key, label in PRESETS.items():
            self.preset.addItem(label, key)
        self.preset.setToolTip(
            "公文：A4，页边距上37、下35、左28、右26 毫米，“附件”黑体，标题小标宋，正文仿宋，页码“— 1 —”单页居右、双页居左"
        )
        self.fit = QCheckBox("缩放到一页宽", self)
        self.fit.setToolTip("列多时缩小文字，使所有列排在一页宽内、表头和单位名称不被拆开")
        self.margins: list[QDoubleSpinBox] = []
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.preset, 0, 0, 1, 4)
        for i, (side, value) in enumerate(zip(SIDES, DEFAULT_MARGINS, strict=True)):
            spin = QDoubleSpinBox(self)
            spin.setRange(5, 60)
            spin.setDecimals(0)
            spin.setSuffix(" mm")
            spin.setValue(value)
            spin.setToolTip(f"{side}边距")
            spin.valueChanged.connect(lambda *_: self.changed.emit())
            self.margins.append(spin)
            grid.addWidget(QLabel(side, self), 1 + i // 2, (i % 2) * 2)
            grid.addWidget(spin, 1 + i // 2, (i % 2) * 2 + 1)
        grid.addWidget(self.fit, 3, 0, 1, 4)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)  # no gaps between its rows
        self.preset.currentIndexChanged.connect(self._preset_chosen)
        self.fit.toggled.connect(lambda *_: self.changed.emit())

    def _preset_chosen(self) -> None:
        margins = GONGWEN.margins_mm if self.preset.currentData() == "gongwen" else DEFAULT_MARGINS
        self.set_margins(margins)
        self.changed.emit()

    def set_margins(self, margins: tuple[float, float, float, float]) -> None:
        """Show these margins (top, right, bottom, left), saying `changed` once."""
        for spin, value in zip(self.margins, margins, strict=True):
            spin.blockSignals(True)
            spin.setValue(value)
            spin.blockSignals(False)

    def choices(self) -> dict[str, object]:
        """The options for make_request: preset, margins_mm, fit_width."""
        top, right, bottom, left = (s.value() for s in self.margins)
        return {
            "preset": str(self.preset.currentData()),
            "margins_mm": (top, right, bottom, left),
            "fit_width": self.fit.isChecked(),
        }

    def load(self, settings: QSettings) -> None:
        """Show the choices remembered last time."""
        preset = str(settings.value("pdf/preset", "plain"))
        self.preset.blockSignals(True)
        self.preset.setCurrentIndex(max(0, self.preset.findData(preset)))
        self.preset.blockSignals(False)
        stored = settings.value("pdf/margins")
        margins = DEFAULT_MARGINS if self.preset.currentData() != "gongwen" else GONGWEN.margins_mm
        if isinstance(stored, list | tuple) and len(stored) == 4:
            with contextlib.suppress(TypeError, ValueError):
                margins = tuple(float(v) for v in stored)  # type: ignore[assignment]
        self.set_margins(margins)
        self.fit.blockSignals(True)
        self.fit.setChecked(settings.value("pdf/fit_width", "false") in (True, "true"))
        self.fit.blockSignals(False)

    def save(self, settings: QSettings) -> None:
        """Remember the choices for the next preview or export."""
        choices = self.choices()
        settings.setValue("pdf/preset", choices["preset"])
        settings.setValue("pdf/margins", [str(v) for v in choices["margins_mm"]])  # type: ignore[attr-defined]
        settings.setValue("pdf/fit_width", bool(choices["fit_width"]))
