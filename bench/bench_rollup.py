"""Roll-up benchmark: collect 100 returned files of 30 activities each (time and peak memory), against a bare
openpyxl read of the same files; the 下发 of the 100 templates is timed too."""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from models import store  # noqa: E402
from models.db import open_database  # noqa: E402
from models.records import Activity, Plan  # noqa: E402
from models.store import offices as ostore  # noqa: E402
from services import rollup  # noqa: E402

OFFICES = 100
ACTIVITIES = 30


def make_city(path: Path) -> int:
    """A city bureau with 100 county bureaus in one group and a plan of 30 activities assigned to the group."""
    db = open_database(path)
    try:
        ids = [int(store.add_unit(db, f"第{i:03d}县局", "县市区局").id or 0) for i in range(OFFICES)]
        group = store.add_unit(db, "各县市区局", "组合")
        ostore.set_group_members(db, int(group.id or 0), ids)
        activities = [
            Activity(name=f"活动{i:02d}", content="内容" * 20, time_text="9月", lead_units=["各县市区局"])
            for i in range(ACTIVITIES)
        ]
        plan = store.create_plan_with_activities(db, Plan(title="基准方案", year=2024), activities)
        return int(plan.id or 0)
    finally:
        db.close()


def fill(paths: list[Path]) -> None:
    """Fill every template as the offices would (status, progress, notes on every row)."""
    from openpyxl import load_workbook

    for n, path in enumerate(paths):
        wb = load_workbook(path)
        ws = wb["进展情况表"]
        for row in range(5, 5 + ACTIVITIES):
            ws.cell(row=row, column=7).value = "已完成" if (row + n) % 3 == 0 else "进行中"
            ws.cell(row=row, column=8).value = 100 if (row + n) % 3 == 0 else 50
            ws.cell(row=row, column=10).value = f"第{n}单位完成情况说明" * 3
        wb.save(path)


def run() -> list[tuple[str, float, float | None]]:
    """Return (name, value, baseline) rows: seconds to 下发 and 回收, and the 回收's peak memory in MB."""
    from openpyxl import load_workbook

    rows: list[tuple[str, float, float | None]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db_path = folder / "city.db"
        plan_id = make_city(db_path)
        shutil.copy(db_path, folder / "city2.db")
        out = folder / "下发"
        out.mkdir()
        db = open_database(db_path)
        t0 = time.perf_counter()
        files = [f.path for f in rollup.rollout(db, plan_id, out)]
        rows.append(
            (f"rollout, {OFFICES} offices × {ACTIVITIES} activities (s)", time.perf_counter() - t0, None)
        )
        fill(files)
        t0 = time.perf_counter()
        for path in files:
            load_workbook(path, data_only=True).close()
        base = time.perf_counter() - t0
        t0 = time.perf_counter()
        outcomes = rollup.collect(db, plan_id, [out], None)
        rows.append((f"collect {OFFICES} returns × {ACTIVITIES} rows (s)", time.perf_counter() - t0, base))
        assert len(outcomes) == OFFICES and not any(o.refused for o in outcomes), outcomes[:1]
        db.close()
        other = open_database(folder / "city2.db")
        second = folder / "第二份"
        second.mkdir()
        fill([f.path for f in rollup.rollout(other, plan_id, second)])  # the copy's own templates, filled
        tracemalloc.start()
        outcomes = rollup.collect(other, plan_id, [second], None)
        peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
        tracemalloc.stop()
        other.close()
        rows.append((f"collect {OFFICES} returns, peak Python memory (MB)", peak, None))
    return rows


if __name__ == "__main__":
    for name, value, base in run():
        print(f"{name:50s} {value:8.3f} {'' if base is None else f'{base:8.3f}  {value / base:.2f}×'}")
