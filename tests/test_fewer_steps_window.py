"""Issue 17 on the window as the program builds it: MainWindow wires 待办, batch updates, evidence drop,
quick entry and 报送材料 itself (no test calls install()); shortcuts are unique and work from the keyboard;
a database that cannot be written is told, nothing claimed, nothing pushed on the undo stack."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QShortcut
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from models import clock, store
from models.db import open_database
from tests.window_rows import select_rows, statuses
from ui import evidence_drop, todo_actions
from ui.activity_model import COLUMN_INDEX
from ui.main_window import MainWindow
from ui.session import Session


@pytest.fixture
def win(qtbot: QtBot, db_file: Path, tmp_path: Path) -> Iterator[MainWindow]:
    """The real window on the sample plans, on Friday 27 September 2024 (two overdue), active."""
    with clock.use(clock.FixedClock(dt.date(2024, 9, 27))):
        yield _window(qtbot, db_file, tmp_path)


def _window(qtbot: QtBot, db_file: Path, tmp_path: Path) -> MainWindow:
    session = Session(open_database(db_file), db_file)
    window = MainWindow(
        session, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat), remember=False
    )
    qtbot.addWidget(window)
    window.resize(1366, 728)  # an office laptop
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    return window


@pytest.fixture
def told(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    messages: list[str] = []
    for name in ("warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, name, lambda *a, **k: messages.append(str(a[2])))
    return messages


def test_the_window_wires_itself_once(win: MainWindow) -> None:
    wiring = todo_actions.wiring_of(win)
    assert win.side_tabs.currentWidget() is wiring.todo and win.side_tabs.tabText(0) == "待办（2）"
    assert wiring.reminder.text() == "待办：2 项逾期"
    assert todo_actions.install(win) is wiring  # a second install adds nothing
    assert [a.text() for a in win.menu_file.actions()].count("报送材料…") == 1
    assert [a.menu().title() for a in win.menu_edit.actions() if a.menu() is not None].count("设置状态") == 1  # type: ignore[union-attr]


def test_no_two_actions_share_a_shortcut(win: MainWindow) -> None:
    owners: dict[str, list[str]] = {}
    for action in win.findChildren(QAction):
        for key in action.shortcuts():
            owners.setdefault(key.toString(), []).append(action.text())
    for shortcut in win.findChildren(QShortcut):
        owners.setdefault(shortcut.key().toString(), []).append("QShortcut")
    clashes = {k: v for k, v in owners.items() if k and len(v) > 1}
    assert clashes == {}
    for number, status in enumerate(["未开始", "进行中", "已完成", "已取消"], start=1):
        assert owners[f"Ctrl+{number}"] == [f"设为“{status}”"]
    assert owners["Ctrl+B"] == ["批量修改…"] and owners["Ctrl+Shift+R"] == ["报送材料…"]


def test_ctrl_3_from_the_keyboard_marks_the_selected_rows_done(qtbot: QtBot, win: MainWindow) -> None:
    select_rows(win, [0, 2])
    win.table.view.setFocus()
    before = win.session.undo_stack.count()
    qtbot.keyClick(win.table.view, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert statuses(win)[:3] == ["已完成", "未开始", "已完成"]
    assert win.session.undo_stack.count() == before + 1
    qtbot.keyClick(win.table.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert statuses(win)[:3] == ["未开始"] * 3


def test_a_batch_on_a_database_that_cannot_be_written_is_told(
    qtbot: QtBot, win: MainWindow, told: list[str]
) -> None:
    win.session.db.execute("PRAGMA query_only=1")  # the file went read-only under the open window
    select_rows(win, [0, 1])
    win.table.view.setFocus()
    before = win.session.undo_stack.count()
    qtbot.keyClick(win.table.view, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert len(told) == 1 and "只读" in told[0] and "所选 2 项都没有修改" in told[0]
    assert win.session.undo_stack.count() == before
    assert "已批量修改" not in win.statusBar().currentMessage()
    win.session.db.execute("PRAGMA query_only=0")
    assert statuses(win)[:2] == ["未开始", "未开始"]


def test_a_quick_entry_on_a_database_that_cannot_be_written_keeps_the_line(win: MainWindow) -> None:
    quick = todo_actions.wiring_of(win).quick
    activity = win.table.current_activity()
    assert activity is not None and quick.activity is not None and quick.activity.id == activity.id
    win.session.db.execute("PRAGMA query_only=1")
    before = win.session.undo_stack.count()
    quick.line.setText("完成50%")
    assert quick.submit() is None
    assert quick.hint.text().startswith("未记录：") and "只读" in quick.hint.text()
    assert quick.line.text() == "完成50%"  # to try again
    assert win.session.undo_stack.count() == before
    win.session.db.execute("PRAGMA query_only=0")
    assert store.list_progress_entries(win.session.db, int(activity.id or 0)) == []


def test_todo_rows_are_tall_enough_for_their_wrapped_text(win: MainWindow) -> None:
    panel = todo_actions.wiring_of(win).todo
    tree = panel.tree
    first = panel.items()[0]
    assert "\n" in first.text(0)  # two plans have something due: the plan is named on a second line
    width = tree.header().sectionSize(0) - tree.indentation() * 2 - 8
    needed = tree.fontMetrics().boundingRect(0, 0, width, 10000, int(Qt.TextFlag.TextWordWrap), first.text(0))
    assert tree.visualItemRect(first).height() >= needed.height()
    assert tree.visualItemRect(first).height() >= 2 * tree.fontMetrics().lineSpacing()
    group = tree.topLevelItem(2)
    assert group is not None and group.isFirstColumnSpanned() and group.text(0) == "下周到期（20）"


def drop_on_row(win: MainWindow, row: int, paths: list[Path]) -> None:
    """Drag files from the file manager onto a row of the table and let go."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    view = win.table.view
    pos = view.visualRect(win.table.proxy.index(row, COLUMN_INDEX["name"])).center()
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(pos, Qt.DropAction.CopyAction, mime, buttons, keys)
    QApplication.sendEvent(view.viewport(), enter)
    assert enter.isAccepted()
    QApplication.sendEvent(
        view.viewport(), QDropEvent(QPointF(pos), Qt.DropAction.CopyAction, mime, buttons, keys)
    )


def attachments(win: MainWindow, row: int) -> list[str]:
    activity_id = int(win.table.model.activity(row).id or 0)
    return [a.original_name for a in store.list_attachments(win.session.db, activity_id=activity_id)]


def test_dropping_a_folder_says_so_and_copies_nothing(
    win: MainWindow, tmp_path: Path, told: list[str]
) -> None:
    (tmp_path / "现场照片").mkdir()
    drop_on_row(win, 0, [tmp_path / "现场照片"])
    assert told == ["“现场照片”是文件夹，未添加。请打开文件夹，选中其中的文件再拖进来。"]
    assert todo_actions.wiring_of(win).drop.copier.task is None


def test_an_oversized_or_vanished_file_is_told_and_the_others_added(
    qtbot: QtBot, win: MainWindow, tmp_path: Path, told: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import models.evidence

    monkeypatch.setattr(models.evidence.store_file, "__kwdefaults__", {"max_bytes": 100, "progress": None})
    (tmp_path / "视频.mp4").write_bytes(b"v" * 1000)
    (tmp_path / "签到表.txt").write_text("签到", encoding="utf-8")
    drop_on_row(win, 1, [tmp_path / "视频.mp4", tmp_path / "已删除.jpg", tmp_path / "签到表.txt"])
    qtbot.waitUntil(lambda: attachments(win, 1) == ["签到表.txt"], timeout=5000)
    qtbot.waitUntil(lambda: len(told) == 1, timeout=3000)
    assert "“视频.mp4”有 0 MB，超过附件上限" in told[0] and "找不到文件" in told[0]


def test_a_read_only_database_takes_no_dropped_files(
    qtbot: QtBot, db_file: Path, tmp_path: Path, told: list[str]
) -> None:
    session = Session(open_database(db_file), db_file, readonly=True, readonly_reason="文件是只读的。")
    window = MainWindow(
        session, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat), remember=False
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.wait(50)
    told.clear()  # the window's own “以只读方式打开” notice
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    drop_on_row(window, 0, [tmp_path / "a.txt"])
    assert told == ["此数据库以只读方式打开，不能添加材料。\n文件是只读的。"]
    assert todo_actions.wiring_of(window).drop.copier.task is None


def test_a_database_made_read_only_after_opening_takes_no_dropped_files(
    win: MainWindow, tmp_path: Path, told: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db_path = win.session.path
    assert db_path is not None
    real = evidence_drop.os.access
    monkeypatch.setattr(evidence_drop.os, "access", lambda p, mode: Path(p) != db_path and real(p, mode))
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    drop_on_row(win, 0, [tmp_path / "a.txt"])
    assert len(told) == 1 and "现在是只读的" in told[0] and "没有复制任何文件" in told[0]
    assert todo_actions.wiring_of(win).drop.copier.task is None and attachments(win, 0) == []


def test_evidence_refused_by_the_database_is_told_not_a_crash(win: MainWindow, told: list[str]) -> None:
    """The database refuses the attachment row only when SQLite writes: the clerk is told, nothing recorded."""
    from models.records import Attachment

    activity = win.table.current_activity()
    assert activity is not None
    evidence = win.detail.evidence
    before = len(store.list_attachments(win.session.db, activity_id=activity.id))
    steps = win.session.undo_stack.count()
    win.session.db.execute("PRAGMA query_only=1")
    try:
        att = Attachment(None, activity.plan_id, activity.id, "0" * 64, "照片.jpg", "image/jpeg", 10, "")
        evidence._stored(([att], []))
    finally:
        win.session.db.execute("PRAGMA query_only=0")
    assert told and "照片.jpg" in told[-1] and "未添加" in told[-1]
    assert len(store.list_attachments(win.session.db, activity_id=activity.id)) == before
    assert win.session.undo_stack.count() == steps  # nothing to undo: nothing was added
