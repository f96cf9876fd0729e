"""GUI benchmarks: start-up vs a bare PySide6 window, open/scroll/filter 10,000 rows, edit latency, memory."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench.data import make_database  # noqa: E402

STARTUP = """
import sys, time, os
t0 = time.perf_counter()
sys.path.insert(0, {root!r})
from ui.app import make_app
from ui.main_window import MainWindow
from ui.session import Session
from models.workspace import open_workspace
from PySide6.QtCore import QSettings
app = make_app()
ws = open_workspace({db!r}, backups=False)
s = Session(ws.db, ws.path)
w = MainWindow(s, QSettings({ini!r}, QSettings.Format.IniFormat))
w.show(); app.processEvents()
w.select_plan(int(w.plans.rows[-1].plan.id)); app.processEvents()
print(time.perf_counter() - t0)
import resource; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""
BARE = """
import time; t0 = time.perf_counter()
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
app = QApplication([]); w = QMainWindow(); w.setCentralWidget(QTableView()); w.show(); app.processEvents()
print(time.perf_counter() - t0)
"""


def _run(code: str) -> list[float]:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}).stdout.split()
    return [float(x) for x in out]


def run() -> list[tuple[str, float, float | None]]:
    """Return (name, seconds or MB, baseline) rows."""
    rows: list[tuple[str, float, float | None]] = []
    with tempfile.TemporaryDirectory() as tmp:
        db = make_database(Path(tmp) / "big.db", plans=50, activities=10_000)
        ini = str(Path(tmp) / "ui.ini")
        starts = [_run(STARTUP.format(root=str(ROOT), db=str(db), ini=ini)) for _ in range(3)]
        bare = min(_run(BARE)[0] for _ in range(3))
        rows.append(("start-up, 50 plans / 10,000 activities (s)", min(s[0] for s in starts), bare))
        rows.append(("peak memory with that database open (MB)", max(s[1] for s in starts), None))

        from PySide6.QtCore import QSettings

        from models.workspace import open_workspace
        from ui.app import make_app
        from ui.main_window import MainWindow
        from ui.session import Session

        app = make_app()
        single = make_database(Path(tmp) / "one.db", plans=1, activities=10_000)
        ws = open_workspace(single, backups=False)
        session = Session(ws.db, ws.path)
        t0 = time.perf_counter()
        window = MainWindow(session, QSettings(ini, QSettings.Format.IniFormat))
        window.show()
        app.processEvents()
        rows.append(("open a 10,000-row plan (s)", time.perf_counter() - t0, None))
        view = window.table.view
        t0 = time.perf_counter()
        bar = view.verticalScrollBar()
        for step in range(50):
            bar.setValue(bar.maximum() * step // 50)
            app.processEvents()
        rows.append(("scroll 10,000 rows, per step (s)", (time.perf_counter() - t0) / 50, None))
        times = []
        for word in ("电梯", "质监股", "第9999项", "宣传 学校", ""):
            t0 = time.perf_counter()
            window.table.proxy.set_filters(text=word)
            times.append(time.perf_counter() - t0)
        rows.append(("filter 10,000 rows, worst of 5 (s)", max(times), None))
        model = window.table.model
        proxy = window.table.proxy
        from ui.activity_model import COLUMN_INDEX

        latencies = []
        for i in range(60):
            index = proxy.index(i, COLUMN_INDEX["remarks"])
            t0 = time.perf_counter()
            proxy.setData(index, f"备注{i}")
            latencies.append(time.perf_counter() - t0)
        latencies.sort()
        rows.append(("edit committed, median (s)", statistics.median(latencies), None))
        rows.append(("edit committed, p95 (s)", latencies[int(len(latencies) * 0.95) - 1], None))
        assert model.rowCount() == 10_000
        window.close()
        ws.close()
    return rows


if __name__ == "__main__":
    for name, value, base in run():
        ratio = f"{value / base:.2f}×" if base else ""
        print(f"{name:50s} {value:10.4f} {'' if base is None else f'{base:10.4f}'} {ratio}")
