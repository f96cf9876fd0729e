"""A clerk's first hour on a 1366×768 laptop: everything on screen, nothing typed lost, selection kept."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, QSize, Qt
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QAbstractItemView, QApplication, QComboBox, QLineEdit, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from models import clock, store
from models.db import open_database
from ui import main_window as main_window_module
from ui.activity_model import COLUMN_INDEX
from ui.main_window import MainWindow, default_size
from ui.session import Session

TODAY = dt.date(2024, 9, 20)


@pytest.fixture(autouse=True)
def _on_day() -> Iterator[None]:
    """The program's clock stands on TODAY for every test here."""
    with clock.use(clock.FixedClock(TODAY)):
        yield


def make_window(qtbot: QtBot, db_file: Path, tmp_path: Path) -> MainWindow:
    session = Session(open_database(db_file), db_file)
    win = MainWindow(session, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture
def window(qtbot: QtBot, db_file: Path, tmp_path: Path) -> MainWindow:
    return make_window(qtbot, db_file, tmp_path)


def test_default_size_comes_from_the_available_screen_area() -> None:
    assert default_size(QSize(1366, 728)) == QSize(1366, 728)
    assert default_size(QSize(1280, 680)) == QSize(1280, 680)
    assert default_size(QSize(2560, 1400)) == QSize(1500, 860)


def inside(widget: QWidget, window: QWidget) -> bool:
    top_left = widget.mapTo(window, QPoint(0, 0))
    return (
        widget.isVisible()
        and top_left.x() >= 0
        and top_left.y() >= 0
        and top_left.x() + widget.width() <= window.width()
        and top_left.y() + widget.height() <= window.height()
    )


@pytest.mark.parametrize("available", [QSize(1366, 728), QSize(1280, 680)])
def test_first_start_on_a_laptop_shows_every_control(
    qtbot: QtBot, db_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, available: QSize
) -> None:
    monkeypatch.setattr(main_window_module, "default_size", lambda: available)
    win = make_window(qtbot, db_file, tmp_path)
    assert win.size() == available
    qtbot.wait(20)
    for action in win.toolbar.actions():
        button = win.toolbar.widgetForAction(action)
        if action.isSeparator() or button is None:
            continue
        assert inside(button, win), action.text()  # none pushed into the toolbar's overflow menu
    for widget in (*win.plan_buttons, win.table.search, win.table.unit_filter, win.table.count_label):
        assert inside(widget, win)
    assert inside(win.statusBar(), win) and inside(win.side_tabs.tabBar(), win)
    view = win.table.view
    for key in ("status", "progress"):  # seen without scrolling sideways
        column = COLUMN_INDEX[key]
        assert view.columnViewportPosition(column) + view.columnWidth(column) <= view.viewport().width(), key
    assert view.horizontalScrollBar().value() == 0


def test_side_panel_and_plan_list_collapse_and_come_back(window: MainWindow) -> None:
    table = window.splitter.sizes()[1]
    window.toggle_side()
    assert window.splitter.sizes()[-1] == 0 and not window.side_action.isChecked()
    assert window.splitter.sizes()[1] > table
    window.toggle_side()
    assert window.splitter.sizes()[-1] > 0 and window.side_action.isChecked()
    window.toggle_plan_list()
    assert window.splitter.sizes()[0] == 0
    window.toggle_plan_list()
    assert window.splitter.sizes()[0] > 0


def test_toolbar_buttons_stay_put_as_the_undo_text_grows(qtbot: QtBot, window: MainWindow) -> None:
    last = window.toolbar.actions()[-1]
    before = window.toolbar.widgetForAction(last).x()
    window.session.undo_stack.push(QUndoCommand("修改第 12 项的“活动主要内容”和“配合部门”等很长的说明"))
    qtbot.wait(10)
    assert window.toolbar.widgetForAction(last).x() == before
    assert window.undo_button.text() == "撤销" and "活动主要内容" in window.undo_button.toolTip()
    assert window.undo_button.isEnabled()


def test_typing_a_new_row_by_keyboard_skips_the_computed_columns(qtbot: QtBot, window: MainWindow) -> None:
    t = window.table
    t.add_activity()
    order = []
    for text in ("宣传周", "发放资料", "9月下旬", "全市"):
        editor = QApplication.focusWidget()
        order.append(t.view.currentIndex().column())
        if isinstance(editor, QLineEdit):
            editor.setText(text)
        else:
            editor.setPlainText(text)  # type: ignore[union-attr]
        qtbot.keyClick(editor, Qt.Key.Key_Tab)
        qtbot.wait(10)
    names = [COLUMN_INDEX[k] for k in ("name", "content", "time_text", "location")]
    assert order == names  # 计划时间 passed over: nothing typed into it is lost
    added = t.current_activity()
    assert added is not None and (added.name, added.content, added.time_text, added.location) == (
        "宣传周",
        "发放资料",
        "9月下旬",
        "全市",
    )
    assert t.view.currentIndex().column() == COLUMN_INDEX["lead_units"]


def edit_units(qtbot: QtBot, window: MainWindow, typed: str) -> None:
    t = window.table
    index = t.proxy.index(0, COLUMN_INDEX["lead_units"])
    t.view.setCurrentIndex(index)
    t.view.edit(index)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.setText(typed)
    popup = QApplication.activePopupWidget()
    if popup is not None:  # the completer's list, when it has come up, would take the Enter for itself
        popup.hide()
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: t.view.state() != QAbstractItemView.State.EditingState, timeout=3000)
    qtbot.wait(30)  # the question about new names comes on the next turn of the event loop


@pytest.mark.parametrize(
    ("choice", "stored", "created"),
    [("drop", ["质量发展科"], False), ("add", ["质量发展科", "质量"], True), ("cancel", None, False)],
)
def test_a_half_typed_unit_becomes_a_unit_only_when_the_clerk_chooses(
    qtbot: QtBot,
    window: MainWindow,
    monkeypatch: pytest.MonkeyPatch,
    choice: str,
    stored: list[str] | None,
    created: bool,
) -> None:
    asked: list[tuple[list[str], dict[str, list[str]]]] = []

    def ask(_parent: object, unknown: list[str], similar: dict[str, list[str]]) -> str:
        asked.append((unknown, similar))
        return choice

    monkeypatch.setattr("ui.delegates.ask_unknown_units", ask)
    before = window.table.model.activity(0).lead_units
    edit_units(qtbot, window, "质量发展科、质量")
    assert asked and asked[0][0] == ["质量"] and "质量发展科" in asked[0][1]["质量"]
    assert window.table.model.activity(0).lead_units == (stored if stored is not None else before)
    assert (store.find_unit(window.session.db, "质量") is not None) is created


def test_known_units_are_stored_without_asking(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ui.delegates.ask_unknown_units", lambda *_: pytest.fail("asked"))
    edit_units(qtbot, window, "计量科")
    assert window.table.model.activity(0).lead_units == ["计量科"]


def test_unit_completer_is_wide_enough_for_whole_names(window: MainWindow) -> None:
    from ui.delegates import UnitsEditor

    editor = UnitsEditor(window.session, window.table.view)
    editor.resize(90, 24)
    longest = max(editor.names, key=editor.line.fontMetrics().horizontalAdvance)
    assert editor.popup_width() >= editor.line.fontMetrics().horizontalAdvance(longest) + 20


def test_status_editor_is_not_clipped_and_planned_column_fits(qtbot: QtBot, window: MainWindow) -> None:
    t = window.table
    index = t.proxy.index(0, COLUMN_INDEX["status"])
    t.view.setCurrentIndex(index)
    t.view.edit(index)
    combo = QApplication.focusWidget()
    assert isinstance(combo, QComboBox)
    assert combo.width() >= combo.sizeHint().width()
    qtbot.keyClick(combo, Qt.Key.Key_Escape)
    metrics = t.view.fontMetrics()
    assert t.view.columnWidth(COLUMN_INDEX["planned"]) >= metrics.horizontalAdvance("10/11–10/31") + 12


def test_enter_commits_a_multiline_cell_and_alt_enter_adds_a_line(qtbot: QtBot, window: MainWindow) -> None:
    from ui.delegates import LongTextEditor

    t = window.table
    index = t.proxy.index(0, COLUMN_INDEX["content"])
    t.view.setCurrentIndex(index)
    t.view.edit(index)
    editor = QApplication.focusWidget()
    assert isinstance(editor, LongTextEditor)
    editor.setPlainText("第一行")
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.AltModifier)
    editor.insertPlainText("第二行")
    assert editor.toPlainText() == "第一行\n第二行"
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.wait(20)
    assert t.model.activity(0).content == "第一行\n第二行"
    assert QApplication.focusWidget() is t.view  # the editor closed


def test_attaching_evidence_and_undo_keep_the_current_activity(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    photo = tmp_path / "现场.png"
    from PySide6.QtGui import QImage

    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.darkGreen)
    image.save(str(photo))
    t = window.table
    chosen = t.model.activity(4).id or 0
    t.select_activity(chosen)
    window.detail.add_attachments([str(photo)])
    evidence = window.detail.evidence
    qtbot.waitUntil(lambda: evidence.task is not None and not evidence.task.running)
    qtbot.wait(20)
    current = t.current_activity()
    assert current is not None and current.id == chosen
    item = evidence.list.currentItem()
    assert item is not None and item.text() == "现场.png"  # the new file is shown, chosen
    window.session.undo_stack.undo()
    qtbot.wait(20)
    assert (t.current_activity() or current).id == chosen and evidence.list.count() == 0
    window.session.undo_stack.redo()
    qtbot.wait(20)
    assert (t.current_activity() or current).id == chosen and evidence.list.count() == 1


def test_plan_list_counts_follow_edits_and_keep_the_plan(qtbot: QtBot, window: MainWindow) -> None:
    t = window.table
    plan_id = window.current_plan_id()
    t.model.setData(t.model.index(0, COLUMN_INDEX["status"]), "已完成")
    qtbot.wait(20)
    row = window.plans.row_of(plan_id)
    assert "已完成 1 项" in window.plans.index(row or 0).data()
    assert window.current_plan_id() == plan_id
    t.add_activity()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    qtbot.wait(20)
    assert "13 项活动" in window.plans.index(row or 0).data()


def test_detail_panel_uses_the_year_of_the_plan_shown(qtbot: QtBot, window: MainWindow) -> None:
    other = int(window.plans.rows[1].plan.id or 0)
    store.update_plan(window.session.db, other, year=2025)
    window.reload_plans()
    window.select_plan(other)
    qtbot.wait(20)
    assert window.detail.plan_year == 2025
    assert "2025" in window.detail.time_label.text()


def test_unit_filter_lists_the_units_of_the_plan_shown(qtbot: QtBot, window: MainWindow) -> None:
    t = window.table
    items = {t.unit_filter.itemText(i) for i in range(1, t.unit_filter.count())}
    used = {n for a in t.model.rows for n in (*a.lead_units, *a.coop_units)}
    assert items == used
    everything = {u.name for u in store.list_units(window.session.db)}
    assert items < everything


def test_settings_dialog_has_no_empty_band(window: MainWindow) -> None:
    from ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(window.session, window)
    assert dialog.height() <= dialog.sizeHint().height() + 4


# ---- export dialogs


def test_export_name_follows_the_content_and_a_typed_name_stays(window: MainWindow, tmp_path: Path) -> None:
    from ui.export_dialog import ExportDialog

    settings = QSettings(str(tmp_path / "x.ini"), QSettings.Format.IniFormat)
    plan = window.current_plan()
    assert plan is not None
    pdf = ExportDialog(window.session, plan, "pdf", window, settings)
    assert Path(pdf.path.text()).name == "岳阳市市场监管系统“质量月”主要活动安排表.pdf"
    pdf.report.setCurrentIndex(1)
    assert Path(pdf.path.text()).name == f"{plan.title}完成情况总结.pdf"
    xlsx = ExportDialog(window.session, plan, "xlsx", window, settings)
    xlsx.report.setCurrentIndex(1)
    assert Path(xlsx.path.text()).name.endswith("进展情况表.xlsx")
    assert xlsx.annex.text() == "" and xlsx.columns.chosen() == [
        "position",
        "name",
        "time_text",
        "lead_units",
    ]
    xlsx.path.setText(str(tmp_path / "我的.xlsx"))
    xlsx.report.setCurrentIndex(0)
    assert xlsx.path.text() == str(tmp_path / "我的.xlsx")


def test_excel_dialog_has_no_stray_pdf_widget(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    from ui.export_dialog import ExportDialog

    plan = window.current_plan()
    assert plan is not None
    dialog = ExportDialog(
        window.session, plan, "xlsx", window, QSettings(str(tmp_path / "x.ini"), QSettings.Format.IniFormat)
    )
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.footer is None and dialog.setup is None
    for child in dialog.findChildren(QLineEdit):
        if child.isVisible() and child.parent() is dialog:
            assert child.geometry().top() > 0 or child.geometry().left() > 0  # laid out, not at 0,0


def test_existing_file_is_replaced_only_when_asked_and_folder_remembered(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.export_dialog import ExportDialog
    from ui.folders import last_folder

    settings = QSettings(str(tmp_path / "x.ini"), QSettings.Format.IniFormat)
    plan = window.current_plan()
    assert plan is not None
    out = tmp_path / "out" / "表.xlsx"
    out.parent.mkdir()
    out.write_bytes(b"old")
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    asked: list[str] = []

    def question(_parent: object, _title: str, text: str, *_args: object) -> QMessageBox.StandardButton:
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    dialog = ExportDialog(window.session, plan, "xlsx", window, settings)
    dialog.open_after.setChecked(False)
    dialog.path.setText(str(out))
    dialog.start()
    assert asked and dialog.task is None and out.read_bytes() == b"old"
    dialog.start()
    qtbot.waitUntil(lambda: dialog.result_path is not None, timeout=20_000)
    assert out.read_bytes() != b"old" and len(asked) == 2
    assert last_folder(settings) == out.parent
    again = ExportDialog(window.session, plan, "xlsx", window, settings)
    assert Path(again.path.text()).parent == out.parent


def test_pdf_margins_and_preset_are_remembered_between_preview_and_export(
    window: MainWindow, tmp_path: Path
) -> None:
    from ui.export_dialog import ExportDialog

    settings = QSettings(str(tmp_path / "x.ini"), QSettings.Format.IniFormat)
    plan = window.current_plan()
    assert plan is not None
    first = ExportDialog(window.session, plan, "pdf", window, settings)
    assert first.setup is not None
    first.setup.preset.setCurrentIndex(first.setup.preset.findData("gongwen"))
    assert first.setup.choices()["margins_mm"] == (37, 26, 35, 28)
    first.setup.margins[0].setValue(30)
    first.setup.fit.setChecked(True)
    first.setup.save(settings)
    second = ExportDialog(window.session, plan, "pdf", window, settings)
    assert second.setup is not None
    assert second.setup.choices() == {"preset": "gongwen", "margins_mm": (30, 26, 35, 28), "fit_width": True}
    request = second.request(tmp_path / "a.pdf")
    assert request.options.preset == "gongwen" and request.options.margins_mm == (30, 26, 35, 28)  # type: ignore[union-attr]
    assert request.options.fit_width  # type: ignore[union-attr]
