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

BARE = """
import time
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
app = QApplication([]); w = QMainWindow(); w.setCentralWidget(QTableView()); w.show(); app.processEvents()
print(f"{time.time():.6f} 0")
"""
RUNS = 9


def _child_env(home: str) -> dict[str, str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TAIZHANG_HOME": home}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: compiled modules, like the frozen build
    return env


def _launch(args: list[str], env: dict[str, str]) -> tuple[float, float, dict[str, float]]:
    """Seconds from launching a process to its window having painted (it prints that moment), MB, phases."""
    t0 = time.time()
    out = subprocess.run(args, capture_output=True, text=True, check=True, env=env, cwd=ROOT).stdout.split()
    phases = {k: float(v) for k, v in (item.split("=") for item in out[2:])}
    return float(out[0]) - t0, float(out[1]), phases


def startup(db: Path, home: str) -> tuple[list[float], list[float], float, dict[str, float]]:
    """Launch→ready of the real program (main.py --startup-probe) and of a bare PySide6 window, alternately.

    Also returns the phases of the fastest run of ours (seconds since main.py began, cumulative).
    """
    env = _child_env(home)
    ours_cmd = [sys.executable, str(ROOT / "main.py"), "--db", str(db), "--startup-probe"]
    bare_cmd = [sys.executable, "-c", BARE]
    _launch(ours_cmd, env)  # warm-up: compiles modules, takes the day's automatic backup
    _launch(bare_cmd, env)
    ours, bare, memory, best = [], [], 0.0, {}
    for _ in range(RUNS):
        seconds, mb, phases = _launch(ours_cmd, env)
        if not ours or seconds < min(ours):
            best = phases
        ours.append(seconds)
        memory = max(memory, mb)
        bare.append(_launch(bare_cmd, env)[0])
    return ours, bare, memory, best


IMPORT_GROUPS = (
    ("PySide6 (a bare window imports the same)", ("PySide6", "shiboken6", "shibokensupport")),
    (
        "sqlite-utils and what it imports (click, dateutil, pluggy)",
        ("sqlite_utils", "sqlite_fts4", "click", "dateutil", "pluggy", "tabulate"),
    ),
    ("Taizhang's own modules (incl. the Qt enums and types they use)", ("models", "ui", "exports", "cli")),
)


def import_breakdown(db: Path, home: str) -> list[tuple[str, float]]:
    """Import time by origin, from one run under `python -X importtime` (which slows imports a little)."""
    args = [sys.executable, "-X", "importtime", str(ROOT / "main.py"), "--db", str(db), "--startup-probe"]
    err = subprocess.run(
        args, capture_output=True, text=True, check=True, env=_child_env(home), cwd=ROOT
    ).stderr
    totals = {label: 0.0 for label, _ in IMPORT_GROUPS}
    other = 0.0
    for line in err.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, _cumulative, name = line[len("import time:") :].split("|")
        root = name.strip().split(".")[0]
        label = next((label for label, roots in IMPORT_GROUPS if root in roots), None)
        if label is None:
            other += int(own) / 1e6
        else:
            totals[label] += int(own) / 1e6
    return [*totals.items(), ("standard library and the rest", other)]


def run() -> list[tuple[str, float, float | None]]:
    """Return (name, seconds or MB, baseline) rows."""
    rows: list[tuple[str, float, float | None]] = []
    with tempfile.TemporaryDirectory() as tmp:
        db = make_database(Path(tmp) / "big.db", plans=50, activities=10_000)
        ini = str(Path(tmp) / "ui.ini")
        ours, bare, memory, phases = startup(db, tmp)
        rows.append(
            (
                f"start-up to a painted window, 50 plans / 10,000 activities, best of {RUNS} (s)",
                min(ours),
                min(bare),
            )
        )
        rows.append((f"start-up, median of {RUNS} (s)", statistics.median(ours), statistics.median(bare)))
        rows.append(("peak memory with that database open (MB)", memory, None))
        previous = 0.0
        for name, label in (
            ("imports", "modules imported (Python, PySide6, sqlite-utils, Taizhang)"),
            ("application", "QApplication, Chinese translations, font"),
            ("database", "database opened, checked (quick_check), lock taken"),
            ("window", "main window built, plan table loaded"),
            ("painted", "first paint, row heights fitted"),
        ):
            rows.append((f"  start-up phase: {label} (s)", phases[name] - previous, None))
            previous = phases[name]
        for label, seconds in import_breakdown(db, tmp):
            rows.append((f"  import time: {label} (s)", seconds, None))

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
