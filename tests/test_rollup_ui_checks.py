"""The window side of the point-by-point checks: the 下发 dialog and the directory point out a group
without members (its activities would reach nobody)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from models import clock
from models.db import open_database
from tests.test_rollup import TODAY, _plan, branch_group_plan
from ui.rollout_dialog import RolloutDialog
from ui.session import Session
from ui.units_dialog import UnitDirectoryDialog


@pytest.fixture(autouse=True)
def _on_day() -> Iterator[None]:
    """The program's clock stands on TODAY (as in test_rollup) for every test here."""
    with clock.use(clock.FixedClock(TODAY)):
        yield


def test_rollout_dialog_and_directory_point_out_a_group_without_members(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "city.db"
    db = open_database(path)
    _plan(db)
    plan = branch_group_plan(db)
    session = Session(db, path)
    dialog = RolloutDialog(
        session, plan, None, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    )
    qtbot.addWidget(dialog)
    assert not dialog.notes.isHidden()
    assert "“各分局”还没有设置成员" in dialog.notes.text() and dialog.offices.count() == 1
    directory = UnitDirectoryDialog(session)
    qtbot.addWidget(directory)
    row = next(r for r, u in enumerate(directory.units) if u.name == "各分局")
    assert directory.table.item(row, 4).text() == "（未设成员：其活动不下发）"
    row = next(r for r, u in enumerate(directory.units) if u.name == "各县市区局")
    assert directory.table.item(row, 4).text() == "岳阳县局、华容县局"
