"""Run every benchmark and print one table; record it with the machine's description in docs/benchmarks.md."""

from __future__ import annotations

import datetime as dt
import importlib
import os
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

MODULES = (
    "bench.bench_ui",
    "bench.bench_xlsx",
    "bench.bench_pdf",
    "bench.bench_readers",
    "bench.bench_ocr",
    "bench.bench_rollup",
)
METHOD = """How these are measured:

- **Start-up**: seconds from launching `python main.py --db <50 plans, 10,000 activities> --startup-probe`
  to its main window having painted once (the program prints that moment; it is the real start-up path:
  translations, the workspace with its lock and integrity check, the window on the first plan). The
  baseline is the same measure for a bare PySide6 window (QApplication, QMainWindow, an empty
  QTableView). Runs alternate, 9 of each, modules compiled to bytecode as in an installed or frozen
  program. The phases are those of the fastest run; the import split comes from one run under
  `python -X importtime` (which itself slows imports a little) and adds up each module's own time.
- **Open / scroll / filter / edit**: in one process, a plan of 10,000 activities; scroll = 50 jumps
  across the table, each repainting and fitting row heights; filter = five searches (worst shown);
  edit = `setData` on the table through the undo stack to the committed database row.
- **xlsx / PDF**: the program's exporters against plain openpyxl / reportlab writing the same cells
  with no styling, widths, print setup or wrapping.

Timings on this shared virtual machine vary by ±30 % from run to run and by up to 3× from day to day;
compare a figure with its baseline from the same run.
"""


def machine() -> str:
    """Describe this machine in one line."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def main() -> int:
    """Run the benchmarks and write docs/benchmarks.md."""
    lines = ["| benchmark | value | baseline | ratio |", "|---|---:|---:|---:|"]
    for name in MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError as exc:
            print(f"skip {name}: {exc}", file=sys.stderr)
            continue
        for label, value, base in module.run():
            ratio = f"{value / base:.2f}×" if base else ""
            lines.append(f"| {label} | {value:.4f} | {'' if base is None else f'{base:.4f}'} | {ratio} |")
            print(lines[-1], flush=True)
    text = (
        "# Benchmarks\n\nMachine: "
        + machine()
        + f"; measured {dt.date.today():%Y-%m-%d}\n\n"
        + "\n".join(lines)
        + "\n\n"
        + METHOD
    )
    (ROOT / "docs").mkdir(exist_ok=True)
    (ROOT / "docs" / "benchmarks.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
