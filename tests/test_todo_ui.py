"""GUI: todo_actions.install() on a real MainWindow — the 待办 view first when something is due, the
status-bar reminder, items opening their activity, refreshes after edits, menus and shortcuts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from models import clock, store
from models.db import open_database
from services import editing
from services.todo import short_title, todo_list
from ui import todo_actions
from ui.main_window import MainWindow
from ui.session import Session
from ui.todo_actions import TodoWiring


def make_window(qtbot: QtBot, db_file: Path, tmp_path: Path) -> tuple[MainWindow, TodoWiring]:
    session = Session(open_database(db_file), db_file)
    win = MainWindow(session, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat), remember=False)
    qtbot.addWidget(win)
    wiring = todo_actions.wiring_of(win)  # wired by MainWindow itself, not by the test
    win.show()
    return win, wiring


@pytest.fixture
def due(qtbot: QtBot, db_file: Path, tmp_path: Path) -> Iterator[tuple[MainWindow, TodoWiring]]:
    """The sample plans on Friday 27 September 2024: two overdue, twenty due next Monday."""
    with clock.use(clock.FixedClock(dt.date(2024, 9, 27))):
        yield make_window(qtbot, db_file, tmp_path)


def test_todo_is_shown_first_when_something_is_due(due: tuple[MainWindow, TodoWiring]) -> None:
    win, wiring = due
    assert win.side_tabs.widget(0) is wiring.todo
    assert win.side_tabs.currentWidget() is wiring.todo
    assert win.side_tabs.tabText(0) == "待办（2）"
    assert wiring.reminder.text() == "待办：2 项逾期" and wiring.reminder.isVisible()
    assert win.statusBar().currentMessage() == "2 项逾期"


def test_nothing_due_keeps_the_details_in_front(qtbot: QtBot, db_file: Path, tmp_path: Path) -> None:
    with clock.use(clock.FixedClock(dt.date(2024, 6, 3))):
        win, wiring = make_window(qtbot, db_file, tmp_path)
        assert win.side_tabs.currentWidget() is not wiring.todo
        assert win.side_tabs.tabText(0) == "待办"
        assert not wiring.reminder.isVisible()


def test_the_view_lists_what_the_command_line_prints(due: tuple[MainWindow, TodoWiring]) -> None:
    win, wiring = due
    todo = todo_list(win.session.db, dt.date(2024, 9, 27))
    groups = [wiring.todo.tree.topLevelItem(i).text(0) for i in range(wiring.todo.tree.topLevelItemCount())]  # type: ignore[union-attr]
    assert groups == ["逾期（2）", "本周到期（0）", "下周到期（20）", "报送截止（1）"]
    texts = [i.text(0) for i in wiring.todo.items()]
    # two plans have something due: each item says which one, on its second line
    assert texts[:2] == [f"第{i.position}项 {i.name}\n{short_title(i.plan_title)}" for i in todo.overdue]
    assert wiring.todo.items()[0].text(1) == "08-31\n已逾期 27 天"
    assert texts[-1] == "岳阳市市场监管系统2024年“质量月”"


def test_an_item_opens_its_activity_in_its_plan(due: tuple[MainWindow, TodoWiring]) -> None:
    win, wiring = due
    assert win.current_plan_id() == 1
    item = wiring.todo.items()[0]  # 共青城 (plan 2) 第 6 项
    win.table.search.setText("不会匹配的文字")  # a filter hiding the row is cleared
    wiring.todo.open_item(item)
    current = win.table.current_activity()
    assert win.current_plan_id() == 2
    assert current is not None and current.position == 6
    assert win.side_tabs.currentWidget() is win.detail
    assert win.table.search.text() == ""


def test_a_deadline_opens_its_plan(due: tuple[MainWindow, TodoWiring]) -> None:
    win, wiring = due
    win.select_plan(2)
    wiring.todo.open_item(wiring.todo.items()[-1])
    assert win.current_plan_id() == 1


def test_marking_done_refreshes_the_view_and_the_reminder(
    qtbot: QtBot, due: tuple[MainWindow, TodoWiring]
) -> None:
    win, wiring = due
    win.select_plan(2)
    win.table.select_activity(int(store.list_activities(win.session.db, 2)[5].id or 0))
    wiring.batch.set_status("已完成")
    qtbot.waitUntil(lambda: wiring.reminder.text() == "待办：1 项逾期", timeout=3000)
    assert win.side_tabs.tabText(0) == "待办（1）"
    win.session.undo_stack.undo()
    qtbot.waitUntil(lambda: wiring.reminder.text() == "待办：2 项逾期", timeout=3000)


def test_menus_and_shortcuts_are_installed(due: tuple[MainWindow, TodoWiring]) -> None:
    win, wiring = due
    file_texts = [a.text() for a in win.menu_file.actions()]
    assert "报送材料…" in file_texts
    assert wiring.report_action.shortcut().toString() == "Ctrl+Shift+R"
    edit_menus = [a.menu().title() for a in win.menu_edit.actions() if a.menu() is not None]  # type: ignore[union-attr]
    assert "设置状态" in edit_menus
    shortcuts = {a.text(): a.shortcut().toString() for a in wiring.batch.status_actions}
    assert shortcuts == {
        "设为“未开始”": "Ctrl+1",
        "设为“进行中”": "Ctrl+2",
        "设为“已完成”": "Ctrl+3",
        "设为“已取消”": "Ctrl+4",
    }
    assert wiring.batch.batch_action.shortcut().toString() == "Ctrl+B"
    assert wiring.batch.batch_action in win.table.view.actions()


def test_other_plans_changes_reach_the_todo(qtbot: QtBot, due: tuple[MainWindow, TodoWiring]) -> None:
    win, wiring = due
    a = store.list_activities(win.session.db, 1)[0]
    editing.set_activity_fields(win.session.db, int(a.id or 0), {"time_text": "9月20日前"})
    win.session.activityChanged.emit(int(a.id or 0))
    qtbot.waitUntil(lambda: wiring.reminder.text() == "待办：3 项逾期", timeout=3000)
