"""GUI: batch updates on the real table — status shortcuts, the dialog, one undo step, refusals, read-only;
完成情况 from the log when the detail panel marks an activity 已完成."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from models import clock, store
from models.db import open_database
from services import editing
from services.quick_log import add_quick_entry
from tests.window_rows import select_rows, statuses
from ui import batch_actions, todo_actions
from ui.main_window import MainWindow
from ui.session import Session
from ui.todo_actions import TodoWiring

TODAY = dt.date(2024, 9, 25)


@pytest.fixture(autouse=True)
def _on_day() -> Iterator[None]:
    """The program's clock stands on TODAY for every test here."""
    with clock.use(clock.FixedClock(TODAY)):
        yield


def make(
    qtbot: QtBot, db_file: Path, tmp_path: Path, *, readonly: bool = False
) -> tuple[MainWindow, TodoWiring]:
    session = Session(open_database(db_file), db_file, readonly=readonly)
    win = MainWindow(session, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat), remember=False)
    qtbot.addWidget(win)
    wiring = todo_actions.wiring_of(win)  # wired by MainWindow itself, not by the test
    win.show()
    return win, wiring


@pytest.fixture
def window(qtbot: QtBot, db_file: Path, tmp_path: Path) -> tuple[MainWindow, TodoWiring]:
    return make(qtbot, db_file, tmp_path)


def test_ctrl_3_marks_the_selected_rows_done_in_one_undo_step(
    qtbot: QtBot, window: tuple[MainWindow, TodoWiring]
) -> None:
    win, _ = window
    select_rows(win, [0, 2, 4])
    before = win.session.undo_stack.count()
    win.activateWindow()
    qtbot.keyClick(win.table.view, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert statuses(win)[:5] == ["已完成", "未开始", "已完成", "未开始", "已完成"]
    done = store.list_activities(win.session.db, 1)[0]
    assert (done.progress, done.completed_on) == (100, TODAY)
    assert win.session.undo_stack.count() == before + 1
    assert win.session.undo_stack.undoText() == "批量修改 3 项的状态、进度、完成时间"
    assert "Ctrl+Z" in win.statusBar().currentMessage()
    win.session.undo_stack.undo()
    assert set(statuses(win)) == {"未开始"}
    win.session.undo_stack.redo()
    assert statuses(win).count("已完成") == 3


def test_each_activity_has_its_own_history(window: tuple[MainWindow, TodoWiring]) -> None:
    win, wiring = window
    select_rows(win, [0, 1])
    wiring.batch.set_status("进行中")
    for a in store.list_activities(win.session.db, 1)[:2]:
        changes = store.list_changes(win.session.db, activity_id=a.id)
        assert [(c.field, c.old, c.new) for c in changes if c.action == "update"] == [
            ("status", "未开始", "进行中")
        ]


def test_the_table_shows_the_new_values_and_keeps_the_selection(
    window: tuple[MainWindow, TodoWiring],
) -> None:
    win, wiring = window
    select_rows(win, [1, 2])
    wiring.batch.set_status("已取消")
    assert [win.table.model.activity(r).status for r in (1, 2)] == ["已取消", "已取消"]
    assert len(win.table.view.selectionModel().selectedRows()) == 2


def test_the_dialog_sets_progress_and_adds_a_unit(
    window: tuple[MainWindow, TodoWiring], monkeypatch: pytest.MonkeyPatch
) -> None:
    win, wiring = window
    select_rows(win, [0, 1, 2, 3])

    def fill(dialog: batch_actions.BatchDialog) -> int:
        dialog.progress.setValue(60)  # choosing a value ticks its box
        dialog.use_unit.setChecked(True)
        dialog.role.setCurrentIndex(1)  # 配合部门
        dialog.unit.setCurrentText("办公室")
        dialog._accept()
        return int(dialog.result())

    monkeypatch.setattr(batch_actions.BatchDialog, "exec", fill)
    wiring.batch.open_dialog()
    acts = store.list_activities(win.session.db, 1)
    assert [a.progress for a in acts[:5]] == [60, 60, 60, 60, 0]
    assert all("办公室" in a.coop_units for a in acts[:4]) and "办公室" not in acts[4].coop_units
    assert win.session.undo_stack.undoText() == "批量修改 4 项的进度、配合部门"


def test_a_refused_batch_names_the_row_and_changes_nothing(
    window: tuple[MainWindow, TodoWiring], monkeypatch: pytest.MonkeyPatch
) -> None:
    win, _ = window
    acts = store.list_activities(win.session.db, 1)
    lead = acts[2].lead_units[0]
    editing.set_activity_fields(win.session.db, int(acts[0].id or 0), {"coop_units": [lead]})
    messages: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: messages.append(a[2]))
    select_rows(win, [0, 1, 2])
    before = win.session.undo_stack.count()
    batch_actions.push_batch(
        win.session, win, batch_actions.selected_activities(win.table.view), {"lead_units": [lead]}
    )
    assert len(messages) == 1 and "第 1 项" in messages[0] and "整批修改未保存" in messages[0]
    assert win.session.undo_stack.count() == before
    assert store.list_activities(win.session.db, 1)[1].lead_units == acts[1].lead_units


def test_read_only_says_so(
    qtbot: QtBot, db_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: told.append(a[1]))
    win, wiring = make(qtbot, db_file, tmp_path, readonly=True)
    told.clear()  # the window's own 只读方式打开 note
    select_rows(win, [0])
    assert wiring.batch.set_status("已完成") is None
    assert told == ["只读"]
    assert set(statuses(win)) == {"未开始"}


def test_done_in_the_detail_panel_fills_notes_from_the_log(
    qtbot: QtBot, window: tuple[MainWindow, TodoWiring]
) -> None:
    win, _ = window
    first = store.list_activities(win.session.db, 1)[0]
    add_quick_entry(win.session.db, int(first.id or 0), "9月3日 召开学习宣贯会", TODAY)
    win.table.select_activity(int(first.id or 0))
    combo = win.detail.status
    combo.setCurrentText("已完成")
    combo.activated.emit(combo.currentIndex())
    qtbot.waitUntil(lambda: win.detail.notes.toPlainText() == "9月3日，召开学习宣贯会。", timeout=3000)
    assert (
        store.get_activity(win.session.db, int(first.id or 0)).completion_notes == "9月3日，召开学习宣贯会。"
    )
    win.session.undo_stack.undo()  # the filled notes are their own step: the status stays
    a = store.get_activity(win.session.db, int(first.id or 0))
    assert (a.status, a.completion_notes) == ("已完成", "")
    qtbot.wait(50)
    assert store.get_activity(win.session.db, int(first.id or 0)).completion_notes == ""  # not filled again
