"""Reader benchmarks on large and hostile inputs: plan text of 1–49 MB (the import limit is 50 MB), texts
shaped to make the plan readers slow (glued markers, backtracking unit lists), and
workbooks that once took minutes and gigabytes (a merge over the whole sheet, 300 sheets, 100,000 rows).
Each row gives seconds; peak traced memory (MB) is the baseline column where it is the point."""

from __future__ import annotations

import contextlib
import sys
import tempfile
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from exports.xlsx_import import WorkbookError, read_workbook  # noqa: E402
from models.plan_text import parse_plan_text  # noqa: E402


def _measure(call: Callable[[], object]) -> tuple[float, float]:
    tracemalloc.start()
    t0 = time.perf_counter()
    with contextlib.suppress(WorkbookError):  # refused: what is measured is how soon, and at what cost
        call()
    seconds = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
    tracemalloc.stop()
    return seconds, peak


def _workbooks(tmp: Path) -> dict[str, Path]:
    from openpyxl import Workbook

    out: dict[str, Path] = {}
    wb = Workbook()
    wb.active.append(["序号", "活动名称"])
    wb.active.append([1, "宣传"])
    wb.save(tmp / "plain.xlsx")
    merged = tmp / "merge.xlsx"
    with (
        zipfile.ZipFile(tmp / "plain.xlsx") as src,
        zipfile.ZipFile(merged, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(
                    b"</sheetData>",
                    b'</sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>',
                )
            dst.writestr(item, data)
    out["merge A1:XFD1048576"] = merged
    wb = Workbook()
    for i in range(300):
        ws = wb.create_sheet(f"表{i}")
        ws.append(["序号", "活动名称"])
    wb.save(tmp / "sheets.xlsx")
    out["300 sheets"] = tmp / "sheets.xlsx"
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(["序号", "活动名称", "牵头部门"])
    for i in range(100_000):
        ws.append([i + 1, f"活动{i}", "质量股"])
    wb.save(tmp / "rows.xlsx")
    out["100,000 rows (refused at 20,000)"] = tmp / "rows.xlsx"
    return out


def _hostile_texts() -> dict[str, str]:
    """Texts shaped to hurt a reader: one 200 KB line of numbered markers or glued sentences (the
    document-sharing and glued-paragraph rules), a unit list that regexes may backtrack over, 5,000 dated
    lines, a stacked table of 1,250 rows."""
    n = 200_000
    sentence = "（一）开展食品安全宣传活动。3月15日，由县市场监管局牵头，县教育局、县卫健局配合，在人民广场举办咨询活动。"
    return {
        "200 KB of glued 1、2、3、 items": "".join(f"{i % 99 + 1}、开展宣传活动{i}" for i in range(n // 10))[
            :n
        ],
        "200 KB of glued sentences": (sentence * (n // len(sentence) + 1))[:n],
        "units “科和科和…” ×40": "（一）开展宣传。" + "科和" * 40 + "配合。",
        "5,000 dated lines": "五、活动安排\n"
        + "\n".join(f"3月{i % 28 + 1}日，开展宣传活动{i}。" for i in range(5000)),
        "stacked table, 1,250 rows": "序号\n活动内容\n活动时间\n牵头单位\n"
        + "\n".join(f"{i}\n开展宣传{i}\n3月{i % 28 + 1}日\n消保科" for i in range(1, 1251)),
    }


def run() -> list[tuple[str, float, float | None]]:
    """Return (name, seconds, peak MB) rows."""
    rows: list[tuple[str, float, float | None]] = []
    sample = (ROOT / "tests" / "plan_texts" / "sample-yueyang.txt").read_text(encoding="utf-8")
    for mb in (1, 5, 10, 49):
        text = (sample * (mb * 1024 * 1024 // len(sample.encode()) + 1))[: mb * 1024 * 1024 // 3]
        seconds, peak = _measure(lambda text=text: parse_plan_text(text))  # type: ignore[misc]
        rows.append((f"plan text {mb} MB: parse (s) / peak MB", seconds, peak))
    for label, text in _hostile_texts().items():
        seconds, peak = _measure(lambda text=text: parse_plan_text(text))  # type: ignore[misc]
        rows.append((f"plan text {label}: parse (s) / peak MB", seconds, peak))
    with tempfile.TemporaryDirectory() as tmp:
        for label, path in _workbooks(Path(tmp)).items():
            seconds, peak = _measure(lambda path=path: read_workbook(path))  # type: ignore[misc]
            rows.append((f"workbook {label}: read (s) / peak MB", seconds, peak))
    return rows


if __name__ == "__main__":
    for name, value, base in run():
        print(f"{name:55s} {value:8.3f} {base:8.1f}")
