"""Excel benchmarks: export 1,000 / 10,000 activities vs a bare openpyxl write of the same cells; import 10,000."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.data import make_activities  # noqa: E402
from exports.columns import COLUMNS, DEFAULT_TABLE_COLUMNS  # noqa: E402
from exports.xlsx_export import export_table  # noqa: E402
from exports.xlsx_import import read_workbook  # noqa: E402
from models.records import Plan  # noqa: E402


def bare(path: Path, activities: list) -> None:  # type: ignore[type-arg]
    """The same cells with plain openpyxl: no styles, widths or print setup."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append([COLUMNS[k].header for k in DEFAULT_TABLE_COLUMNS])
    for a in activities:
        ws.append([COLUMNS[k].text(a) for k in DEFAULT_TABLE_COLUMNS])
    wb.save(path)


def run() -> list[tuple[str, float, float | None]]:
    """Return (name, seconds, bare-openpyxl seconds) rows."""
    rows: list[tuple[str, float, float | None]] = []
    plan = Plan(title="基准方案", year=2024)
    with tempfile.TemporaryDirectory() as tmp:
        for n in (1_000, 10_000):
            activities = make_activities(n)
            t0 = time.perf_counter()
            export_table(Path(tmp) / f"t{n}.xlsx", plan, activities)
            ours = time.perf_counter() - t0
            t0 = time.perf_counter()
            bare(Path(tmp) / f"b{n}.xlsx", activities)
            base = time.perf_counter() - t0
            rows.append((f"xlsx export, {n:,} activities (s)", ours, base))
        t0 = time.perf_counter()
        result = read_workbook(Path(tmp) / "t10000.xlsx")
        rows.append(("xlsx import, 10,000 rows (s)", time.perf_counter() - t0, None))
        assert len(result.activities) == 10_000
    return rows


if __name__ == "__main__":
    for name, value, base in run():
        print(f"{name:45s} {value:8.3f} {'' if base is None else f'{base:8.3f}  {value / base:.2f}×'}")
