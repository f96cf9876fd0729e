"""The scanned page beside the import preview: the page image, where a cell came from, the doubtful characters.

The import preview of a scan (a scanned PDF or a photo read by the optional OCR) shows this panel on its
right: the page as it was read (deskewed), the recognised text of the page under it with every character
the recogniser was unsure of marked, and — when the clerk clicks a cell of the preview table — a frame
around the place on the page the cell's text was read from.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPen, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGraphicsPixmapItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from exports.scan import UNSURE_CHAR, Found, Locator, ScanPage, ScanResult

DOUBT = "#ffd54f"  # background of a character the recogniser was unsure of
FRAME = QColor("#d32f2f")


class _PageView(QGraphicsView):
    """The page image, fitted to the width; a frame marks a found place."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scanPage")
        self.setScene(QGraphicsScene(self))
        self.pixmap = QGraphicsPixmapItem()
        self.scene().addItem(self.pixmap)
        self.frame = QGraphicsRectItem()
        pen = QPen(FRAME)
        pen.setWidth(3)
        pen.setCosmetic(True)
        self.frame.setPen(pen)
        self.frame.setBrush(QBrush(QColor(211, 47, 47, 40)))
        self.frame.setZValue(1)
        self.frame.hide()
        self.scene().addItem(self.frame)
        self.zoom = 1.0  # times the fitted width
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)

    def show_image(self, png: bytes) -> bool:
        image = QPixmap()
        if not png or not image.loadFromData(png):
            self.pixmap.setPixmap(QPixmap())
            return False
        self.pixmap.setPixmap(image)
        self.scene().setSceneRect(QRectF(image.rect()))
        self.frame.hide()
        self._fit()
        return True

    def mark(self, rect: QRectF | None) -> None:
        if rect is None:
            self.frame.hide()
            return
        self.frame.setRect(rect.adjusted(-4, -4, 4, 4))
        self.frame.show()
        self.centerOn(self.frame)

    def set_zoom(self, factor: float) -> None:
        self.zoom = max(1.0, min(6.0, factor))
        self._fit()
        if self.frame.isVisible():
            self.centerOn(self.frame)

    def _fit(self) -> None:
        width = self.pixmap.pixmap().width()
        if width <= 0:
            return
        scale = self.zoom * max(0.05, (self.viewport().width() - 4) / width)
        self.resetTransform()
        self.scale(scale, scale)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()


class ScanPanel(QWidget):
    """Page chooser, page image and the page's recognised text with its doubtful characters marked."""

    def __init__(self, result: ScanResult, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result = result
        self.locator = Locator(result)
        self.setObjectName("scanPanel")
        self.page_box = QComboBox(self)
        self.page_box.setObjectName("scanPageChooser")
        for n, page in enumerate(result.pages):
            self.page_box.addItem(f"第 {page.index + 1} 页", n)
        self.zoom_in = QToolButton(self)
        self.zoom_in.setText("放大")
        self.zoom_out = QToolButton(self)
        self.zoom_out.setText("缩小")
        self.where = QLabel("点击左侧表格中的单元格，这里框出它在原件上的位置。", self)
        self.where.setWordWrap(True)
        self.view = _PageView(self)
        self.text = QTextBrowser(self)
        self.text.setObjectName("scanText")
        self.text.setOpenLinks(False)
        top = QHBoxLayout()
        top.addWidget(QLabel("原件", self))
        top.addWidget(self.page_box, 1)
        top.addWidget(self.zoom_out)
        top.addWidget(self.zoom_in)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.view)
        split.addWidget(self.text)
        split.setSizes([460, 140])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.where)
        layout.addWidget(split, 1)
        self.page_box.currentIndexChanged.connect(self.show_page)
        self.zoom_in.clicked.connect(lambda: self.view.set_zoom(self.view.zoom * 1.5))
        self.zoom_out.clicked.connect(lambda: self.view.set_zoom(self.view.zoom / 1.5))
        self.current = -1
        if result.pages:
            self.show_page(0)

    def page(self) -> ScanPage | None:
        return self.result.pages[self.current] if 0 <= self.current < len(self.result.pages) else None

    def show_page(self, n: int) -> None:
        if not 0 <= n < len(self.result.pages) or n == self.current:
            return
        self.current = n
        if self.page_box.currentIndex() != n:
            self.page_box.setCurrentIndex(n)
        page = self.result.pages[n]
        if not self.view.show_image(page.preview_png):
            self.where.setText("这一页的图像无法显示。")
        self.text.setHtml(page_html(page))

    def show_text(self, text: str) -> Found | None:
        """Frame where `text` was read; say so when it is not found. Returns what was found."""
        found = self.locator.find(text) if text.strip() else None
        if found is None:
            self.view.mark(None)
            self.where.setText(
                "原件上没有找到这段文字（可能是识别后改过，或由几处合成）。" if text.strip() else ""
            )
            return None
        self.show_page(found.page)
        page = self.result.pages[found.page]
        pixmap = self.view.pixmap.pixmap()
        s = pixmap.width() / page.width if page.width and pixmap.width() else 1.0
        x0, y0, x1, y1 = found.box
        self.view.mark(QRectF(x0 * s, y0 * s, (x1 - x0) * s, (y1 - y0) * s))
        where = f"第 {page.index + 1} 页" + ("" if found.exact else "（最相近的一处）")
        doubt = f"；把握不大的字：{'、'.join(dict.fromkeys(found.doubtful))}" if found.doubtful else ""
        self.where.setText(f"来自{where}：{found.text[:60]}{doubt}")
        return found


def page_html(page: ScanPage) -> str:
    """The page's recognised prose and table cells as HTML, doubtful characters on a yellow ground."""
    parts: list[str] = []
    for line in page.lines:
        parts.append(f"<p>{_marked(line.text, line.char_confidences)}</p>")
    for t, table in enumerate(page.tables, start=1):
        parts.append(f"<p><b>表格 {t}</b></p><table border='1' cellspacing='0' cellpadding='2'>")
        by_row: dict[int, list[Any]] = {}
        for cell in table.cells:
            by_row.setdefault(cell.row, []).append(cell)
        for row in sorted(by_row):
            cells = sorted(by_row[row], key=lambda c: c.col)
            tds = "".join(
                f"<td colspan='{c.col_span}' rowspan='{c.row_span}'>{_marked(c.text, c.char_confidences)}</td>"
                for c in cells
            )
            parts.append(f"<tr>{tds}</tr>")
        parts.append("</table>")
    if not parts:
        parts.append("<p>（这一页没有识别出文字）</p>")
    notes = "".join(f"<p style='color:#8a6d3b'>{html.escape(n)}</p>" for n in page.notes)
    legend = f"<p style='color:#666'>底色<span style='background:{DOUBT}'>黄色</span>的字识别把握不大，请对照原件。</p>"
    return notes + legend + "".join(parts)


def _marked(text: str, confidences: tuple[float, ...]) -> str:
    out: list[str] = []
    for i, ch in enumerate(text):
        escaped = html.escape(ch) if ch != "\n" else "<br>"
        if i < len(confidences) and confidences[i] < UNSURE_CHAR and not ch.isspace():
            out.append(f"<span style='background:{DOUBT}'>{escaped}</span>")
        else:
            out.append(escaped)
    return "".join(out)
