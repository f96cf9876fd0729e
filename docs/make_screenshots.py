"""Make the user guide's screenshots (docs/images/*.png) on a demo database: `python docs/make_screenshots.py`.

Taken at an office laptop's size (1366×728). Run it where Qt finds a Chinese font (a machine without
one draws boxes), e.g. on a real display or under Xvfb with a window manager.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from models import clock  # noqa: E402
from models import store as repo  # noqa: E402
from models.db import open_database  # noqa: E402
from models.samples import seed_database  # noqa: E402
from models.store.plans import set_plan_state  # noqa: E402
from services import editing  # noqa: E402
from services.importing import preview_path  # noqa: E402
from ui.app import make_app  # noqa: E402
from ui.export_dialog import ExportDialog  # noqa: E402
from ui.import_dialog import ImportPreviewDialog  # noqa: E402
from ui.main_window import LAPTOP_SIZE, MainWindow, splitter_sizes  # noqa: E402
from ui.print_preview import PrintPreviewDialog  # noqa: E402
from ui.session import Session  # noqa: E402

TODAY = dt.date(2024, 9, 26)
OUT = ROOT / "docs" / "images"


def demo(path: Path) -> Session:
    """The sample plans with some progress, as on a day near the end of the campaign."""
    db = open_database(path)
    seed_database(db)
    rows = repo.list_activities(db, 2)
    for a in rows[:5]:
        editing.set_activity_fields(
            db,
            a.id or 0,
            {
                "status": "已完成",
                "progress": 100,
                "completed_on": dt.date(2024, 9, 20),
                "completion_notes": "在商场、社区设咨询台 6 场，发放资料 1,200 份。",
            },
        )
    for a in rows[5:8]:
        editing.set_activity_fields(db, a.id or 0, {"status": "进行中", "progress": 60})
    repo.add_progress_entry(
        db, rows[0].id or 0, "9月3日在万达广场举办启动仪式", dt.date(2024, 9, 3), "质监股"
    )
    set_plan_state(db, 1, "archived")  # last year's plan, kept for reference: no lights, listed apart
    return Session(db, path)


def grab(widget: QWidget, name: str) -> None:
    """Show, settle and save a widget."""
    widget.show()
    app = QApplication.instance()
    for _ in range(5):
        app.processEvents()  # type: ignore[union-attr]
    widget.grab().save(str(OUT / name))
    print("wrote", OUT / name)


def main() -> int:
    """Write the screenshots."""
    OUT.mkdir(parents=True, exist_ok=True)
    clock.install(clock.FixedClock(TODAY))  # the pictures show the same day on every run
    app = make_app()
    with tempfile.TemporaryDirectory() as tmp:
        session = demo(Path(tmp) / "taizhang.db")
        settings = QSettings(str(Path(tmp) / "ui.ini"), QSettings.Format.IniFormat)
        window = MainWindow(session, settings, remember=False)
        window.resize(LAPTOP_SIZE)  # the pictures show what a 1366×768 laptop shows
        window.splitter.setSizes(splitter_sizes(LAPTOP_SIZE.width()))
        window.select_plan(2)
        window.table.select_activity(repo.list_activities(session.db, 2)[0].id or 0)
        window.table._fit_visible_rows()
        grab(window, "main.png")
        window.side_tabs.setCurrentIndex(1)
        grab(window, "detail.png")
        export = ExportDialog(session, repo.get_plan(session.db, 2), "pdf", window, settings)
        grab(export, "export.png")
        export.close()
        preview = PrintPreviewDialog(session, repo.get_plan(session.db, 1), window, settings)
        while preview.pages == 0:
            app.processEvents()
        grab(preview, "print.png")
        preview.close()
        sample = ROOT / "tests" / "plan_texts" / "sample-gongqingcheng.txt"
        dialog = ImportPreviewDialog(session, preview_path(session.db, sample), sample.name, window)
        dialog.resize(1200, 640)
        grab(dialog, "import.png")
        window.close()
        session.db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
