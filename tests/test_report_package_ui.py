"""GUI: 报送材料 — the check, 去补充, 继续 in the background, 取消, the folder opened, an existing folder."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from models import clock, store
from models.db import open_database
from ui import todo_actions
from ui.main_window import MainWindow
from ui.report_dialog import ReportDialog
from ui.session import Session
from ui.todo_actions import TodoWiring

STEM = "岳阳市市场监督管理局2024年质量月活动"


@pytest.fixture
def window(qtbot: QtBot, db_file: Path, tmp_path: Path) -> Iterator[tuple[MainWindow, TodoWiring]]:
    with clock.use(clock.FixedClock(dt.date(2024, 9, 28))):
        yield _window(qtbot, db_file, tmp_path)


def _window(qtbot: QtBot, db_file: Path, tmp_path: Path) -> tuple[MainWindow, TodoWiring]:
    session = Session(open_database(db_file), db_file)
    win = MainWindow(session, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat), remember=False)
    qtbot.addWidget(win)
    wiring = todo_actions.wiring_of(win)  # wired by MainWindow itself, not by the test
    win.show()
    return win, wiring


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    urls: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: urls.append(QUrl(url).toLocalFile()) or True)
    return urls


def dialog_for(win: MainWindow, folder: Path) -> ReportDialog:
    settings = QSettings(str(folder.parent / "r.ini"), QSettings.Format.IniFormat)
    settings.setValue("report/folder", str(folder))
    return ReportDialog(win.session, 1, win, settings)


def test_the_check_lists_what_is_missing(window: tuple[MainWindow, TodoWiring], tmp_path: Path) -> None:
    win, _ = window
    dialog = dialog_for(win, tmp_path)
    assert dialog.head.text() == "12 项活动中：12 项未完成，12 项无完成情况，12 项无照片。"
    assert dialog.missing.count() == 12
    assert dialog.missing.item(0).text().endswith("：未完成、无完成情况、无照片")
    assert dialog.go_on.text() == "继续生成" and dialog.fix.isVisibleTo(dialog)
    assert dialog.folder.text() == str(tmp_path)


def test_go_fix_opens_the_chosen_activity(window: tuple[MainWindow, TodoWiring], tmp_path: Path) -> None:
    win, wiring = window
    dialog = dialog_for(win, tmp_path)
    dialog.activityRequested.connect(wiring.open_activity)
    dialog.missing.setCurrentRow(3)
    dialog.go_fix()
    current = win.table.current_activity()
    assert current is not None and current.position == 4
    assert win.side_tabs.currentWidget() is win.detail
    assert dialog.result() == 0  # closed


def test_continue_writes_the_package_and_opens_the_folder(
    qtbot: QtBot, window: tuple[MainWindow, TodoWiring], tmp_path: Path, opened: list[str]
) -> None:
    win, _ = window
    out = tmp_path / "out"
    out.mkdir()
    dialog = dialog_for(win, out)
    dialog.go_on.click()
    qtbot.waitUntil(lambda: dialog.package is not None, timeout=30000)
    folder = out / f"{STEM}报送材料"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f"{STEM}总结.pdf", f"{STEM}进展情况表.xlsx", f"{STEM}安排表.pdf", f"{STEM}佐证材料.zip"]
    )
    assert opened == [str(folder)]
    assert win.statusBar().currentMessage() == f"报送材料已保存到 {folder}"


def test_an_existing_folder_gets_a_new_one_and_is_told(
    qtbot: QtBot,
    window: tuple[MainWindow, TodoWiring],
    tmp_path: Path,
    opened: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    win, _ = window
    (tmp_path / f"{STEM}报送材料").mkdir()
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: told.append(a[2]))
    dialog = dialog_for(win, tmp_path)
    dialog.start()
    qtbot.waitUntil(lambda: dialog.package is not None, timeout=30000)
    assert opened == [str(tmp_path / f"{STEM}报送材料（2）")]
    assert "已存在" in told[0]
    assert list((tmp_path / f"{STEM}报送材料").iterdir()) == []


def test_cancel_leaves_nothing(
    qtbot: QtBot, window: tuple[MainWindow, TodoWiring], tmp_path: Path, opened: list[str]
) -> None:
    win, _ = window
    out = tmp_path / "out"
    out.mkdir()
    dialog = dialog_for(win, out)
    dialog.start()
    assert dialog.task is not None
    dialog.task.cancel_event.set()  # 取消 in the progress dialog
    qtbot.waitUntil(lambda: dialog.task is not None and not dialog.task.running, timeout=30000)
    assert list(out.iterdir()) == [] and opened == []
    assert "已取消" in win.statusBar().currentMessage()
    assert dialog.go_on.isEnabled()


def test_a_missing_folder_is_a_message(
    window: tuple[MainWindow, TodoWiring], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    win, _ = window
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: told.append(a[2]))
    dialog = dialog_for(win, tmp_path / "nope")
    dialog.start()
    assert dialog.task is None and "不存在" in told[0]


def test_the_action_opens_the_dialog_on_the_plan_shown(
    qtbot: QtBot, window: tuple[MainWindow, TodoWiring], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    win, wiring = window
    win.select_plan(2)
    seen: list[int] = []
    monkeypatch.setattr(ReportDialog, "exec", lambda self: seen.append(self.plan_id) or 0)
    wiring.report_action.trigger()
    assert seen == [2]
    assert store.get_plan(win.session.db, 2).title.startswith("共青城")


def test_dialog_from_the_shortcut_runs_to_the_end(
    qtbot: QtBot, window: tuple[MainWindow, TodoWiring], tmp_path: Path, opened: list[str]
) -> None:
    win, wiring = window
    win.settings.setValue("report/folder", str(tmp_path))

    def press_continue() -> None:
        wiring.dialog.go_on.click()

    QTimer.singleShot(0, press_continue)
    wiring.report()  # exec returns once the package is written
    assert (tmp_path / f"{STEM}报送材料").is_dir()
