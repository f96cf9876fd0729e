"""Run every benchmark and print one table; record it with the machine's description in docs/benchmarks.md."""

from __future__ import annotations

import importlib
import os
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

MODULES = ("bench.bench_ui", "bench.bench_xlsx", "bench.bench_pdf")


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
    text = "# Benchmarks\n\nMachine: " + machine() + "\n\n" + "\n".join(lines) + "\n"
    (ROOT / "docs").mkdir(exist_ok=True)
    (ROOT / "docs" / "benchmarks.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
