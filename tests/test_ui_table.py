"""GUI: editing the activity table through the view, undo/redo, persistence, filters, model checks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from models import clock
from models import store as repo
from models.db import open_database
from ui.activity_model import COLUMN_INDEX, ActivityTableModel
from ui.main_window import MainWindow
from ui.session import Session


@pytest.fixture
def window(qtbot: QtBot, db_file: Path, tmp_path: Path) -> Iterator[MainWindow]:
    with clock.use(clock.FixedClock(dt.date(2024, 9, 20))):
        yield _window(qtbot, db_file, tmp_path)


def _window(qtbot: QtBot, db_file: Path, tmp_path: Path) -> MainWindow:
    db = open_database(db_file)
    session = Session(db, db_file)
    win = MainWindow(session, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    win.show()
    return win


def cell(win: MainWindow, row: int, key: str) -> str:
    proxy = win.table.proxy
    return str(proxy.data(proxy.index(row, COLUMN_INDEX[key])))


def edit_cell_through_view(qtbot: QtBot, win: MainWindow, row: int, key: str, text: str) -> None:
    view = win.table.view
    index = win.table.proxy.index(row, COLUMN_INDEX[key])
    view.setCurrentIndex(index)
    view.edit(index)
    editors = [w for w in view.viewport().findChildren(QLineEdit) if w.isVisible()]
    assert len(editors) == 1
    editor = editors[0]
    # QTest cannot type non-ASCII keys; put the text in the editor as an input method would.
    editor.setText(text)  # type: ignore[attr-defined]
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.wait(20)  # the delegate commits through a queued call


def test_window_shows_first_plan_table(window: MainWindow) -> None:
    assert window.table.model.rowCount() == 12
    assert cell(window, 0, "position") == "1"
    assert "质量强国建设纲要" in cell(window, 0, "name")


def test_edit_undo_redo_and_persist(qtbot: QtBot, window: MainWindow, db_file: Path) -> None:
    edit_cell_through_view(qtbot, window, 1, "time_text", "9月上旬")
    assert cell(window, 1, "time_text") == "9月上旬"
    activity = window.table.model.activity(1)
    other = open_database(db_file)
    assert repo.get_activity(other, activity.id or 0).time_text == "9月上旬"
    window.undo_action.trigger()
    assert cell(window, 1, "time_text") == "9月"
    assert repo.get_activity(other, activity.id or 0).time_text == "9月"
    assert "活动时间" in window.redo_action.text()
    window.redo_action.trigger()
    assert repo.get_activity(other, activity.id or 0).time_text == "9月上旬"
    other.close()


def test_empty_name_is_rejected_with_a_message(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    messages: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args, **kw: messages.append(args[2]))
    before = cell(window, 0, "name")
    edit_cell_through_view(qtbot, window, 0, "name", "   ")
    assert messages == ["活动名称不能为空。"]
    assert cell(window, 0, "name") == before


def test_add_delete_move_renumber_and_undo(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    table = window.table
    table.add_activity()
    qtbot.keyClick(table.view.focusWidget(), Qt.Key.Key_Escape)
    assert table.model.rowCount() == 13
    assert cell(window, 12, "name") == "新活动"
    table.select_activity(table.model.activity(12).id or 0)
    table.move_current(-1)
    assert cell(window, 11, "name") == "新活动"
    assert [table.model.activity(r).position for r in range(13)] == list(range(1, 14))
    table.select_activity(table.model.activity(0).id or 0)
    first = cell(window, 0, "name")
    table.delete_selected()
    assert table.model.rowCount() == 12
    assert cell(window, 0, "position") == "1"
    window.undo_action.trigger()
    assert cell(window, 0, "name") == first
    assert table.model.rowCount() == 13


def test_units_edited_as_text_join_the_directory(qtbot: QtBot, window: MainWindow) -> None:
    index = window.table.proxy.index(0, COLUMN_INDEX["coop_units"])
    assert window.table.proxy.setData(index, ["各县市区局", "新设科"])
    assert window.table.model.activity(0).coop_units == ["各县市区局", "新设科"]
    assert repo.find_unit(window.session.db, "新设科") is not None


def test_search_filters_rows_by_any_text_column(qtbot: QtBot, window: MainWindow) -> None:
    window.table.search.setText("电梯")
    assert window.table.proxy.rowCount() == 1
    window.table.search.clear()
    window.table.search.setText("反垄断")  # a unit name
    assert window.table.proxy.rowCount() == 1
    window.table.search.clear()
    assert window.table.proxy.rowCount() == 12


def test_status_change_in_table_updates_overview(qtbot: QtBot, window: MainWindow) -> None:
    window.side_tabs.setCurrentWidget(window.overview)  # the overview is computed while it is shown
    before = window.overview.overview
    assert before is not None and before.counts["已完成"] == 0
    index = window.table.proxy.index(0, COLUMN_INDEX["status"])
    window.table.proxy.setData(index, "已完成")
    qtbot.waitUntil(
        lambda: window.overview.overview is not None and window.overview.overview.counts["已完成"] == 1
    )
    assert window.table.model.activity(0).progress == 100
    assert "已完成 <b>1</b>" in window.overview.summary.text()
    window.undo_action.trigger()
    qtbot.waitUntil(
        lambda: window.overview.overview is not None and window.overview.overview.counts["已完成"] == 0
    )


def test_overdue_filter(qtbot: QtBot, window: MainWindow) -> None:
    window.table.overdue_only.setChecked(True)
    # today is 2024-09-20: "9月上旬" (activity 12 of Yueyang) ended on 9-10 and is not done.
    shown = [
        window.table.proxy.index(r, COLUMN_INDEX["name"]).data() for r in range(window.table.proxy.rowCount())
    ]
    assert shown == ["深入宣贯《公平竞争审查条例》，举办专题讲座"]


def test_column_widths_are_remembered(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    window.table.view.setColumnWidth(COLUMN_INDEX["name"], 333)
    window.close()
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    again = MainWindow(window.session, settings)
    qtbot.addWidget(again)
    assert again.table.view.columnWidth(COLUMN_INDEX["name"]) == 333


def test_table_model_passes_qt_model_tester(qtmodeltester: object, seeded_db: object) -> None:
    session = Session(seeded_db, None)  # type: ignore[arg-type]
    model = ActivityTableModel(session)
    model.set_plan(1)
    qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_copy_plan_to_next_year_from_the_window(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.duplicate_plan()
    titles = [s.plan.title for s in window.plans.rows]
    assert "岳阳市市场监管系统2025年“质量月”活动方案" in titles
    assert window.table.model.rowCount() == 12


def test_rows_sort_by_planned_start_and_back_to_table_order(qtbot: QtBot, window: MainWindow) -> None:
    window.select_plan(2)
    view = window.table.view
    view.sortByColumn(COLUMN_INDEX["planned"], Qt.SortOrder.AscendingOrder)
    names = [cell(window, r, "time_text") for r in range(window.table.proxy.rowCount())]
    assert names[:3] == ["5-12月", "5-12月", "8月下旬"]
    view.sortByColumn(COLUMN_INDEX["position"], Qt.SortOrder.AscendingOrder)
    assert [cell(window, r, "position") for r in range(3)] == ["1", "2", "3"]


def test_moving_a_row_while_sorted_returns_to_table_order(qtbot: QtBot, window: MainWindow) -> None:
    window.table.view.sortByColumn(COLUMN_INDEX["name"], Qt.SortOrder.DescendingOrder)
    window.table.select_activity(window.table.model.activity(0).id or 0)
    window.table.move_current(1)
    assert window.table.model.is_in_table_order()
    assert [cell(window, r, "position") for r in range(12)] == [str(i) for i in range(1, 13)]


def test_new_plan_and_copy_can_be_undone(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.select_plan(1)
    window.duplicate_plan()
    assert len(window.plans.rows) == 3
    window.undo_action.trigger()
    assert [s.plan.id for s in window.plans.rows] == [1, 2]
    window.redo_action.trigger()
    assert len(window.plans.rows) == 3
    assert len(repo.list_activities(window.session.db, max(s.plan.id or 0 for s in window.plans.rows))) == 12


def test_every_editor_writes_through_the_delegate(qtbot: QtBot, window: MainWindow) -> None:
    from PySide6.QtCore import QDate
    from PySide6.QtWidgets import QComboBox, QDateEdit, QSpinBox, QStyleOptionViewItem

    from ui.delegates import LongTextEditor, UnitsEditor

    view, proxy = window.table.view, window.table.proxy
    delegate = view.itemDelegate()

    def edit(key: str, change: object) -> None:
        index = proxy.index(0, COLUMN_INDEX[key])
        editor = delegate.createEditor(view.viewport(), QStyleOptionViewItem(), index)
        delegate.setEditorData(editor, index)
        change(editor)  # type: ignore[operator]
        delegate.setModelData(editor, proxy, index)
        editor.deleteLater()

    edit("content", lambda e: isinstance(e, LongTextEditor) and e.setPlainText("第一行\n第二行"))
    edit("coop_units", lambda e: isinstance(e, UnitsEditor) and e.set_units(["各分局", "办公室"]))
    edit("status", lambda e: isinstance(e, QComboBox) and e.setCurrentText("进行中"))
    edit("progress", lambda e: isinstance(e, QSpinBox) and e.setValue(40))
    edit("completed_on", lambda e: isinstance(e, QDateEdit) and e.setDate(QDate(2024, 9, 18)))
    edit("planned", lambda e: e.setText("2024-09-05 ~ 2024-09-25"))  # type: ignore[attr-defined]
    a = repo.get_activity(window.session.db, window.table.model.activity(0).id or 0)
    assert a.content == "第一行\n第二行"
    assert a.coop_units == ["各分局", "办公室"]
    assert (a.status, a.progress) == ("进行中", 40)
    assert a.completed_on == dt.date(2024, 9, 18)
    assert (a.planned_start, a.planned_end) == (dt.date(2024, 9, 5), dt.date(2024, 9, 25))
    assert cell(window, 0, "planned") == "9/5–9/25*"
    for _ in range(6):
        window.undo_action.trigger()
    b = repo.get_activity(window.session.db, a.id or 0)
    assert (b.content, b.coop_units, b.status, b.completed_on, b.planned_start) == (
        "展板宣传，企业培训",
        ["各县市区局"],
        "未开始",
        None,
        None,
    )


def test_row_heights_match_qts_own_measure(qtbot: QtBot, window: MainWindow) -> None:
    """The fast row fit skips one-line cells but must give exactly the height Qt's measure gives."""
    from PySide6.QtWidgets import QTableView

    view = window.table.view
    window.resize(1200, 800)
    qtbot.wait(10)
    rows = range(window.table.proxy.rowCount())
    for narrow in (False, True):
        if narrow:  # narrow columns: more cells wrap, short ones included
            for column in range(window.table.proxy.columnCount()):
                view.setColumnWidth(column, 70)
        for row in rows:
            assert view.sizeHintForRow(row) == QTableView.sizeHintForRow(view, row), (row, narrow)
    one_line = view.fontMetrics().height()
    assert max(view.sizeHintForRow(r) for r in rows) > 2 * one_line  # the sample's rows do wrap
    # a bigger font makes every row taller: nothing may come from the heights remembered before
    font = view.font()
    font.setPointSizeF(font.pointSizeF() * 1.6)
    view.setFont(font)
    for row in rows:
        assert view.sizeHintForRow(row) == QTableView.sizeHintForRow(view, row), ("font", row)
    # a line separator (U+2028, kept by text cleaning) breaks a line as a newline does
    proxy = window.table.proxy
    for column in range(proxy.columnCount()):
        view.setColumnWidth(column, 900)  # nothing wraps: only the separator can make the row taller
    one_line = view.sizeHintForRow(1)
    assert proxy.setData(proxy.index(1, COLUMN_INDEX["location"]), "甲\u2028乙\u2028丙")
    assert view.sizeHintForRow(1) == QTableView.sizeHintForRow(view, 1) > one_line
    # an edit that makes a cell wrap more must not be answered from the remembered heights
    before = view.sizeHintForRow(0)
    assert proxy.setData(proxy.index(0, COLUMN_INDEX["remarks"]), "很长的备注" * 30)
    assert view.sizeHintForRow(0) == QTableView.sizeHintForRow(view, 0) > before


def test_filters_in_one_pass_agree_with_the_per_row_test(qtbot: QtBot, window: MainWindow) -> None:
    """Refiltering works out every row at once; Qt's single-row calls must give the same answers."""
    from models.tracking import Light

    proxy, model = window.table.proxy, window.table.model
    for filters in (
        {"text": "宣传"},
        {"text": "质量 企业"},
        {"unit": "质量发展科"},
        {"status": "未开始", "text": "质量"},
        {"lights": {Light.OVERDUE}},
        {"text": "宣传", "unit": "各县市区局"},
    ):
        proxy.set_filters(**filters)
        rows = [r for r in range(model.rowCount()) if proxy._accepts(model, r)]
        assert rows == [r for r, ok in enumerate(proxy._accept_all(model)) if ok]
        assert 0 < len(rows) < 12, filters  # each filter shows some rows and hides some
        shown = sorted(proxy.mapToSource(proxy.index(r, 0)).row() for r in range(proxy.rowCount()))
        assert shown == rows
        proxy.set_filters(text="", status="", unit="", lights=set())
    assert proxy.rowCount() == 12


def test_due_soon_setting_change_recolours_the_table(qtbot: QtBot, window: MainWindow) -> None:
    """The due-soon window is read once, and read again when the settings change."""
    from models.tracking import Light
    from ui.activity_model import LightRole

    model = window.table.model
    lights = lambda: [model.index(r, 0).data(LightRole) for r in range(model.rowCount())]  # noqa: E731
    before = lights()
    repo.set_setting(window.session.db, "due_soon_days", "60")
    assert lights() == before  # not re-read on every paint
    window.session.settingsChanged.emit()
    assert lights().count(Light.DUE_SOON) > before.count(Light.DUE_SOON)


def test_tab_moves_in_reading_order(qtbot: QtBot, window: MainWindow) -> None:
    """Tab from the plan list visits its buttons, the filter bar, the table, then the side panel's fields."""
    from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

    def reachable(start: QWidget) -> list[QWidget]:
        seen, widget = [], start.nextInFocusChain()
        while widget is not start and len(seen) < 300:
            if (
                widget.isVisible()
                and widget.isEnabled()
                and widget.window() is window
                and widget.focusPolicy() & Qt.FocusPolicy.TabFocus == Qt.FocusPolicy.TabFocus
                and widget.focusProxy() is None
            ):  # Tab skips a widget that hands focus to another
                seen.append(widget)
            widget = widget.nextInFocusChain()
        return seen

    t, d = window.table, window.detail
    tabs = window.side_tabs
    assert tabs.tabText(tabs.currentIndex()).startswith("待办")  # something is due on 2024-09-20: shown first
    tabs.setCurrentWidget(d)  # the fields of the current activity
    chain = reachable(window.plan_view)
    expected = [
        *window.plan_buttons,
        t.search,
        t.status_filter,
        t.unit_filter,
        t.overdue_only,
        t.view,
        window.side_tabs.tabBar(),
        window.todo_wiring.quick.line,  # the quick-log box above the fields
        d.status,
        d.progress,
        d.completed,
        d.manual,
        d.notes,
        d.log,
        d.log_text,
        d.log_date,
        d.add_log,
        d.files,
        *d.evidence.buttons(),
        d.history_button,
        window.todo_wiring.reminder,  # the status bar's “N 项本周到期” button, last
    ]
    assert chain[: len(expected)] == expected
    assert [w.text() for w in window.plan_buttons] == ["新建", "属性", "复制", "删除"]
    assert all(isinstance(w, QAbstractButton) for w in d.evidence.buttons())
    assert d not in chain  # no stop on the scroll area around the fields
    assert d.notes.tabChangesFocus()
    window.activateWindow()
    window.plan_view.setFocus()
    for widget in expected[:10]:  # through the table to the side panel's tabs and first field
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is widget

    # no trap: pressing Tab long enough from anywhere comes back round to the plan list, past every
    # field of the side panel (a date box showing “（未完成）” used to keep Tab), and the same on the
    # overview tab (its table used to keep Tab for its cells)
    def tabs_until_plan_list(start: QWidget) -> list[QWidget]:
        start.setFocus()
        seen: list[QWidget] = []
        for _ in range(60):
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
            if QApplication.focusWidget() is window.plan_view:
                return seen
            seen.append(QApplication.focusWidget())
        raise AssertionError(f"Tab never came back: {[type(w).__name__ for w in seen[-5:]]}")

    assert tabs_until_plan_list(window.plan_view) == expected
    window.side_tabs.setCurrentWidget(window.overview)
    around = tabs_until_plan_list(window.side_tabs.tabBar())
    assert window.overview.units in around and window.overview.materials.list in around
    window.side_tabs.setCurrentWidget(window.detail)
    # while a cell is edited, Tab saves it and goes on to edit the next cell
    index = t.proxy.index(0, COLUMN_INDEX["time_text"])
    t.view.setCurrentIndex(index)
    t.view.edit(index)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.setText("9月中旬")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    qtbot.wait(20)
    assert cell(window, 0, "time_text") == "9月中旬"
    assert t.view.currentIndex().column() == COLUMN_INDEX["location"]  # 计划时间 (computed) is passed over
    # the same in the units editor and the long-text editor: Tab saves and goes on, Shift+Tab goes back
    from ui.delegates import LongTextEditor, UnitsEditor

    for key, value, typed in (
        ("lead_units", ["质量发展科", "计量科"], "质量发展科、计量科"),
        ("content", "展板宣传", "展板宣传"),
    ):
        index = t.proxy.index(0, COLUMN_INDEX[key])
        t.view.setCurrentIndex(index)
        t.view.edit(index)
        editor = QApplication.focusWidget()
        if key == "lead_units":
            assert isinstance(editor.parentWidget(), UnitsEditor)
            editor.setText(typed)  # type: ignore[attr-defined]
        else:
            assert isinstance(editor, LongTextEditor)
            editor.setPlainText(typed)
        qtbot.keyClick(editor, Qt.Key.Key_Tab)
        qtbot.wait(20)
        assert window.table.model.activity(0).__getattribute__(key) == value
        assert t.view.currentIndex().column() == COLUMN_INDEX[key] + 1
        assert t.view.state() == t.view.State.EditingState  # the next cell is being edited
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab)
        qtbot.wait(20)
        assert t.view.currentIndex().column() == COLUMN_INDEX[key]
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
