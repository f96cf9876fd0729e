"""What a walk through the real window at 1366×768 under a window manager showed: frame and taskbar,
the side tabs with a to-do count, the wheel over the detail panel, punctuation past a table cell."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, QSize, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph

from exports.options import PdfOptions
from exports.pdf_common import Fonts
from models import clock
from tests.test_ui_laptop import TODAY, make_window
from ui import main_window as main_window_module
from ui.main_window import PREFERRED_SIZE, MainWindow


@pytest.fixture(autouse=True)
def _on_day() -> Iterator[None]:
    """The program's clock stands on TODAY (as in test_ui_laptop) for every test here."""
    with clock.use(clock.FixedClock(TODAY)):
        yield


def test_a_first_start_on_a_small_screen_is_maximised(
    qtbot: QtBot, db_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a window as large as the available area still adds its title bar: the status bar went under the
    # taskbar; maximised, the frame is inside the screen
    monkeypatch.setattr(main_window_module, "default_size", lambda: QSize(1366, 728))
    win = make_window(qtbot, db_file, tmp_path)
    win.hide()
    win.show_on_screen()
    assert win.windowState() & Qt.WindowState.WindowMaximized
    normal = win.normalGeometry()  # un-maximised, it still fits with its frame
    screen = win.screen().availableGeometry()
    assert normal.width() < screen.width() and normal.height() < screen.height()


def test_a_remembered_or_roomy_window_is_not_maximised(
    qtbot: QtBot, db_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(main_window_module, "default_size", lambda: PREFERRED_SIZE)
    win = make_window(qtbot, db_file, tmp_path)
    win.hide()
    win.show_on_screen()
    assert not win.windowState() & Qt.WindowState.WindowMaximized


def test_every_side_tab_stays_whole_when_the_todo_count_grows(qtbot: QtBot, window_1366: MainWindow) -> None:
    tabs = window_1366.side_tabs
    tabs.setTabText(0, "待办（128）")
    qtbot.wait(20)
    bar = tabs.tabBar()
    for i in range(tabs.count()):
        rect = bar.tabRect(i)
        assert rect.left() >= 0 and rect.right() <= bar.width(), tabs.tabText(i)
        assert rect.width() >= bar.fontMetrics().horizontalAdvance(tabs.tabText(i)), tabs.tabText(i)


def wheel(widget: object, delta: int = -120) -> None:
    from PySide6.QtWidgets import QWidget

    assert isinstance(widget, QWidget)
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(QPoint(int(centre.x()), int(centre.y())))),
        QPoint(0, 0),
        QPoint(0, delta),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def test_the_wheel_over_the_detail_panel_scrolls_it_and_changes_no_field(
    qtbot: QtBot, window_1366: MainWindow
) -> None:
    d = window_1366.detail
    window_1366.table.view.setFocus()
    progress, status, day = d.progress.value(), d.status.currentText(), d.log_date.date()
    for field in (d.progress, d.status, d.log_date):
        wheel(field)
        wheel(field, 120)
        wheel(field)
    assert (d.progress.value(), d.status.currentText(), d.log_date.date()) == (progress, status, day)
    d.progress.setFocus()  # a field the clerk is in still takes the wheel
    qtbot.waitUntil(d.progress.hasFocus)
    wheel(d.progress, 120)
    assert d.progress.value() != progress


@pytest.fixture
def window_1366(qtbot: QtBot, db_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    monkeypatch.setattr(main_window_module, "default_size", lambda: QSize(1366, 728))
    return make_window(qtbot, db_file, tmp_path)


@pytest.mark.parametrize("width", [float(w) for w in range(60, 200, 9)])
def test_closing_punctuation_does_not_cross_the_edge_of_a_cell(width: float) -> None:
    # seen in the table PDF: “纲要》”, “质量官”” and “安全、” ran over the column's rule
    fonts = Fonts(PdfOptions())
    style = ParagraphStyle("t", fontName=fonts.body, fontSize=10.5, leading=14, wordWrap="CJK")
    for text in (
        "开展《质量强国建设纲要》和《湖南省质量强省建设纲要》学习宣贯和培训",
        "县市区开展“首席质量官”宣传培训",
    ):
        para = Paragraph(text, style)
        para.wrap(width, 10_000)
        lines = ["".join(line[1]) for line in para.blPara.lines]
        assert "".join(lines) == text
        for line in lines:
            assert stringWidth(line, fonts.body, 10.5) <= width + 0.01, (width, lines)


def test_a_long_title_shows_its_beginning_in_preview_and_export(
    qtbot: QtBot, window_1366: MainWindow, tmp_path: Path
) -> None:
    # the preview's narrow 表格标题 box showed “阳市市场监管系统…活动安排表”: the start scrolled away
    from PySide6.QtCore import QSettings

    from models import store
    from ui.export_dialog import ExportDialog
    from ui.print_preview import PrintPreviewDialog

    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    plan = store.get_plan(window_1366.session.db, 1)
    preview = PrintPreviewDialog(window_1366.session, plan, settings=settings)
    qtbot.addWidget(preview)
    export = ExportDialog(window_1366.session, plan, "pdf", window_1366, settings)
    qtbot.addWidget(export)
    export.report.setCurrentIndex(export.report.count() - 1)  # 完成情况总结: a new title is set
    for box in (preview.title, export.title):
        assert box.text() and box.cursorPosition() == 0
