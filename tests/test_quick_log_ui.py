"""GUI: the quick-log box placed in the real detail panel; Enter logs, sets status/progress, one undo step."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from models import clock, store
from models.db import open_database
from ui import todo_actions
from ui.main_window import MainWindow
from ui.quick_log_box import QuickLogBox
from ui.session import Session
from ui.todo_actions import TodoWiring

TODAY = dt.date(2024, 9, 25)


@pytest.fixture(autouse=True)
def _on_day() -> Iterator[None]:
    """The program's clock stands on TODAY for every test here."""
    with clock.use(clock.FixedClock(TODAY)):
        yield


@pytest.fixture
def window(qtbot: QtBot, db_file: Path, tmp_path: Path) -> tuple[MainWindow, TodoWiring]:
    session = Session(open_database(db_file), db_file)
    win = MainWindow(session, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat), remember=False)
    qtbot.addWidget(win)
    wiring = todo_actions.wiring_of(win)  # wired by MainWindow itself, not by the test
    win.show()
    return win, wiring


def type_line(qtbot: QtBot, box: QuickLogBox, text: str) -> None:
    box.line.setText(text)  # QTest cannot type Chinese; an input method puts the text in at once
    qtbot.keyClick(box.line, Qt.Key.Key_Return)


def test_the_box_sits_in_the_detail_panel_and_follows_the_current_row(
    window: tuple[MainWindow, TodoWiring],
) -> None:
    win, wiring = window
    assert win.detail.isAncestorOf(wiring.quick)
    second = win.table.model.activity(1)
    win.table.select_activity(int(second.id or 0))
    assert wiring.quick.activity is not None and wiring.quick.activity.id == second.id
    assert wiring.quick.line.isEnabled()


def test_a_progress_line_sets_progress_and_logs_in_one_step(
    qtbot: QtBot, window: tuple[MainWindow, TodoWiring]
) -> None:
    win, wiring = window
    first = win.table.model.activity(0)
    win.table.select_activity(int(first.id or 0))
    before = win.session.undo_stack.count()
    wiring.quick.line.setText("9月20日 完成80%，已走访企业12家")
    assert wiring.quick.hint.text() == "回车：记录于 2024-09-20，并进度设为 80%"
    qtbot.keyClick(wiring.quick.line, Qt.Key.Key_Return)
    a = store.get_activity(win.session.db, int(first.id or 0))
    assert (a.status, a.progress) == ("进行中", 80)
    entries = store.list_progress_entries(win.session.db, int(first.id or 0))
    assert [(e.entry_date, e.text) for e in entries] == [(dt.date(2024, 9, 20), "完成80%，已走访企业12家")]
    assert win.session.undo_stack.count() == before + 1
    assert wiring.quick.line.text() == ""
    assert win.detail.progress.value() == 80 and win.detail.log.count() == 1  # the panel shows it at once
    win.session.undo_stack.undo()
    a = store.get_activity(win.session.db, int(first.id or 0))
    assert (a.status, a.progress) == ("未开始", 0)
    assert store.list_progress_entries(win.session.db, int(first.id or 0)) == []


def test_done_prefills_completion_notes_which_stay_editable(
    qtbot: QtBot, window: tuple[MainWindow, TodoWiring]
) -> None:
    win, wiring = window
    first = win.table.model.activity(0)
    win.table.select_activity(int(first.id or 0))
    type_line(qtbot, wiring.quick, "9月3日 召开动员会")
    type_line(qtbot, wiring.quick, "已完成，共发放宣传资料3000份")
    a = store.get_activity(win.session.db, int(first.id or 0))
    assert (a.status, a.progress, a.completed_on) == ("已完成", 100, TODAY)
    assert a.completion_notes == "9月3日，召开动员会。\n9月25日，共发放宣传资料3000份。"
    assert win.detail.notes.toPlainText() == a.completion_notes
    assert win.detail.notes.isEnabled()
    assert "已根据进展记录填写完成情况" in win.statusBar().currentMessage()


def test_a_line_that_cannot_be_read_stays_with_its_reason(
    qtbot: QtBot, window: tuple[MainWindow, TodoWiring]
) -> None:
    win, wiring = window
    before = win.session.undo_stack.count()
    type_line(qtbot, wiring.quick, "2月30日 开会")
    assert wiring.quick.hint.text() == "“2月30日”不是存在的日期。"
    assert wiring.quick.line.text() == "2月30日 开会"
    assert win.session.undo_stack.count() == before


def test_read_only_disables_the_box(
    qtbot: QtBot, db_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    session = Session(open_database(db_file), db_file, readonly=True)
    win = MainWindow(session, QSettings(str(tmp_path / "ro.ini"), QSettings.Format.IniFormat), remember=False)
    qtbot.addWidget(win)
    wiring = todo_actions.wiring_of(win)  # wired by MainWindow itself, not by the test
    assert not wiring.quick.line.isEnabled()
    wiring.quick.line.setText("已完成")
    assert wiring.quick.submit() is None
