"""The window's answer to a backup that failed before a bulk change: 导入 asks the clerk (on the window's
thread) and writes nothing on 否; 回收, 导入上级下发的表格 and deleting a plan tell it in the status bar and
go on. The use cases make the backup; the window only supplies the policy."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QThread
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from models import clock, store
from models.backup import backup_dir, list_backups
from models.db import open_database
from services.importing import preview_path
from tests.test_rollup import _fill, _plan
from ui import rollup_actions
from ui.main_window import MainWindow
from ui.session import Session

TODAY = dt.date(2024, 9, 20)
BLOCKED = "无法复制数据库"  # the start of the message of a backup that could not be made


def _block_backups(path: Path) -> None:
    """Make every backup of the database at `path` fail: a file stands where the backups folder goes."""
    backup_dir(path).write_text("not a folder")


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with clock.use(clock.FixedClock(TODAY)):
        yield


class Boxes:
    """Every message box shown (title, text); `question` is answered with `answer`."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.shown: list[tuple[str, str, str]] = []
        self.answer = QMessageBox.StandardButton.Yes
        for name in ("information", "warning", "critical", "question"):
            monkeypatch.setattr(QMessageBox, name, self._recorder(name))

    def _recorder(self, name: str):  # type: ignore[no-untyped-def]
        def record(_parent: object, title: str, text: str, *_a: object, **_k: object) -> object:
            on_gui_thread = QThread.currentThread() is QApplication.instance().thread()  # type: ignore[union-attr]
            assert on_gui_thread, f"{name} “{text}” shown off the window's thread"
            self.shown.append((name, title, text))
            return self.answer if name == "question" else QMessageBox.StandardButton.Yes

        return record

    def of(self, name: str) -> list[tuple[str, str]]:
        return [(title, text) for kind, title, text in self.shown if kind == name]


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> Boxes:
    return Boxes(monkeypatch)


@pytest.fixture
def session(db_file: Path) -> Session:
    _block_backups(db_file)
    return Session(open_database(db_file), db_file)


def _import_dialog(qtbot: QtBot, session: Session, tmp_path: Path):  # type: ignore[no-untyped-def]
    from exports.xlsx_export import export_table
    from ui.import_dialog import ImportPreviewDialog

    path = export_table(
        tmp_path / "t.xlsx", store.get_plan(session.db, 2), store.list_activities(session.db, 2)
    )
    dialog = ImportPreviewDialog(session, preview_path(session.db, path), path.name)
    qtbot.addWidget(dialog)
    return dialog


def test_import_asks_the_clerk_and_writes_nothing_when_told_no(
    qtbot: QtBot, session: Session, tmp_path: Path, boxes: Boxes
) -> None:
    dialog = _import_dialog(qtbot, session, tmp_path)
    before = list(session.db.conn.iterdump())
    undo_count = session.undo_stack.count()
    boxes.answer = QMessageBox.StandardButton.No
    dialog.apply()
    [(title, text)] = boxes.of("question")
    assert title == "导入" and text.startswith(BLOCKED) and text.endswith("\n仍然继续导入吗？")
    assert boxes.of("warning") == [] and dialog.created_plan_id is None and dialog.result() == 0
    assert list(session.db.conn.iterdump()) == before and session.undo_stack.count() == undo_count


def test_import_goes_on_without_a_backup_when_the_clerk_says_yes(
    qtbot: QtBot, session: Session, tmp_path: Path, boxes: Boxes
) -> None:
    dialog = _import_dialog(qtbot, session, tmp_path)
    boxes.answer = QMessageBox.StandardButton.Yes
    dialog.apply()
    assert len(boxes.of("question")) == 1 and boxes.of("warning") == []
    assert dialog.created_plan_id is not None and len(store.list_plans(session.db)) == 3
    session.undo_stack.undo()  # the import is undoable as before
    assert len(store.list_plans(session.db)) == 2
    session.undo_stack.redo()
    assert [s.plan.id for s in store.list_plans(session.db)].count(dialog.created_plan_id) == 1


def test_import_with_a_working_backup_asks_nothing(
    qtbot: QtBot, db_file: Path, tmp_path: Path, boxes: Boxes
) -> None:
    session = Session(open_database(db_file), db_file)
    dialog = _import_dialog(qtbot, session, tmp_path)
    dialog.apply()
    assert boxes.of("question") == [] and dialog.created_plan_id is not None
    assert [b.kind for b in list_backups(db_file)] == ["import"]


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    path = tmp_path / "city.db"
    db = open_database(path)
    _plan(db)
    win = MainWindow(Session(db, path), QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    rollup_actions.install(win)
    win.show()
    win.select_plan(1)
    return win


def _status_messages(session: Session) -> list[tuple[str, bool]]:
    """Each status-bar message with whether it was delivered on the window's thread."""
    seen: list[tuple[str, bool]] = []
    app = QApplication.instance()
    assert app is not None
    session.message.connect(lambda text: seen.append((text, QThread.currentThread() is app.thread())))
    return seen


def test_collect_tells_a_failed_backup_in_the_status_bar_on_the_windows_thread_and_goes_on(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, boxes: Boxes
) -> None:
    from services import rollup
    from ui.collect_dialog import CollectDialog

    template = rollup.rollout(window.session.db, 1, tmp_path, offices=["岳阳县局"])[0].path
    good = _fill(template, {"企业质量提升": ("已完成", 100, "完成了")}, tmp_path / "岳阳回.xlsx")
    _block_backups(window.session.path)  # type: ignore[arg-type]
    seen = _status_messages(window.session)
    plan = window.current_plan()
    assert plan is not None
    dialog = CollectDialog(window.session, plan, [good], window)
    qtbot.addWidget(dialog)
    dialog.start()
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=20_000)
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        dialog.apply()
    told = [m for m in seen if m[0].startswith(BLOCKED)]
    assert told == [(told[0][0], True)]  # told once, on the window's thread
    assert seen.index(told[0]) < len(seen) - 1 and seen[-1][0].startswith("已回收 1 个文件")
    assert boxes.of("question") == []  # told, not asked
    assert store.list_activities(window.session.db, 1)[1].status == "已完成"  # collected all the same


def test_importing_an_upper_template_tells_a_failed_backup_instead_of_the_usual_message(
    window: MainWindow, tmp_path: Path, boxes: Boxes
) -> None:
    from services import rollup

    template = rollup.rollout(window.session.db, 1, tmp_path, offices=["岳阳县局"])[0].path
    _block_backups(window.session.path)  # type: ignore[arg-type]
    window.rollup.import_upper(str(template))  # type: ignore[attr-defined]
    assert window.statusBar().currentMessage().startswith(BLOCKED)
    assert boxes.shown == [] and len(store.list_plans(window.session.db)) == 2


def test_deleting_a_plan_tells_a_failed_backup_and_deletes_all_the_same(
    window: MainWindow, boxes: Boxes
) -> None:
    _block_backups(window.session.path)  # type: ignore[arg-type]
    window.delete_plan()
    assert [t for t, _ in boxes.of("warning")] == ["删除方案"] and boxes.of("question") == []
    assert window.statusBar().currentMessage().startswith(BLOCKED)
    assert store.list_plans(window.session.db) == []
    window.session.undo_stack.undo()
    assert len(store.list_plans(window.session.db)) == 1
