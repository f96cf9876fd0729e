"""One injectable clock: models.clock. The window's Session asks it (no `today=` of its own), no code above
models/ reads the wall clock's date, and the reply to an upper office is dated by it."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from models import clock
from models.db import open_database
from services import rollup
from tests.test_rollup import _plan
from ui import rollup_actions
from ui.main_window import MainWindow
from ui.session import Session

ROOT = Path(__file__).resolve().parent.parent
DAY = dt.date(2024, 9, 20)


def test_the_session_has_no_today_of_its_own_and_follows_the_clock() -> None:
    db = open_database(None)
    try:
        with pytest.raises(TypeError):
            Session(db, None, today=lambda: DAY)  # type: ignore[call-arg]
        session = Session(db, None)
        with clock.use(clock.FixedClock(DAY)):
            assert session.today() == DAY
        with clock.use(clock.FixedClock(dt.date(2025, 1, 2))):
            assert session.today() == dt.date(2025, 1, 2)
    finally:
        db.close()


WALL_CLOCK = re.compile(
    r"\bdate\.today\(|\bdatetime\.(now|today|utcnow)\(|\bdt\.datetime\.(now|today|utcnow)\("
    r"|\bQDate\.currentDate\(|\bQDateTime\.currentDateTime\(|\btime\.(localtime|strftime)\("
)


def test_nothing_but_the_clock_reads_the_date_from_the_wall() -> None:
    readers = []
    for folder in ("ui", "services", "exports", "cli", "models"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path == ROOT / "models" / "clock.py":
                continue
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if WALL_CLOCK.search(line.split("#", 1)[0]):
                    readers.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    main = (ROOT / "main.py").read_text(encoding="utf-8")
    assert not WALL_CLOCK.search(main)
    assert readers == []


def test_the_reply_to_the_upper_office_is_dated_by_the_clock(qtbot: QtBot, tmp_path: Path) -> None:
    city = open_database(None)
    try:
        plan_id = _plan(city)
        template = rollup.rollout(city, plan_id, tmp_path, offices=["岳阳县局"])[0].path
    finally:
        city.close()
    county = tmp_path / "county.db"
    with clock.use(clock.FixedClock(DAY)):
        window = MainWindow(
            Session(open_database(county), county),
            QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat),
        )
        qtbot.addWidget(window)
        actions = rollup_actions.install(window)
        actions.import_upper(str(template))
        out = tmp_path / "回复.xlsx"
        actions.reply(str(out))
    cells = [str(c.value) for row in load_workbook(out)["进展情况表"].iter_rows() for c in row if c.value]
    assert DAY.isoformat() in cells
    assert dt.date.today().isoformat() not in cells
