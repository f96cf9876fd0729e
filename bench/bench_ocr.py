"""OCR benchmark: seconds per A4 page at 200 dpi (prose, ruled table) and peak memory of a 20-page scan.

The per-page baseline is bare rapidocr (its own detection and recognition of the whole page, no
preprocessing, tables or layout); the memory baseline is the same reader on the first 2 pages (one prose,
one table page) of the same scan, so the difference is what 18 more pages cost (page by page: next to nothing).
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from exports import scan  # noqa: E402

FONTS = ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc")
DPI = 200
PARAGRAPH = (
    "为深入贯彻落实食品安全“四个最严”要求，切实保障人民群众“舌尖上的安全”，根据省市场监督管理局统一部署，"
    "决定在全市范围内开展食品安全专项整治行动，以学校食堂、农村集体聚餐、网络订餐为重点，全面排查风险隐患，"
    "依法查处违法违规行为，推动企业落实主体责任。各区局要于每月25日前报送工作进展情况。"
)
ROW = ["1", "食品安全宣传周", "3月至4月", "食品安全协调科", "全市联动"]


def _font(px: int) -> Any:
    from PIL import ImageFont

    path = next((p for p in FONTS if Path(p).is_file()), None)
    if path is None:
        raise SystemExit("bench_ocr needs fonts-wqy-microhei")
    return ImageFont.truetype(path, px)


def prose_page() -> Any:
    """A full A4 notice page at 200 dpi: a title and indented 三号 paragraphs down to the bottom margin."""
    from PIL import Image, ImageDraw

    page = Image.new("RGB", (1654, 2339), "white")
    draw = ImageDraw.Draw(page)
    body, title = _font(44), _font(60)
    draw.text((300, 180), "关于开展食品安全专项整治行动的通知", font=title, fill="black")
    y, left, right = 330, 220, 1654 - 200
    while y < 2339 - 260:
        line, first = "", True
        for ch in PARAGRAPH:
            indent = 88 if first else 0
            if draw.textlength(line + ch, font=body) > right - left - indent:
                draw.text((left + indent, y), line, font=body, fill="black")
                y, line, first = y + 77, ch, False
                if y >= 2339 - 260:
                    return page
            else:
                line += ch
        draw.text((left + (88 if first else 0), y), line, font=body, fill="black")
        y += 77
    return page


def table_page() -> Any:
    """A full A4 ruled table at 200 dpi: 5 columns, 26 rows of 小四 text."""
    from PIL import Image, ImageDraw

    page = Image.new("RGB", (1654, 2339), "white")
    draw = ImageDraw.Draw(page)
    face = _font(33)
    xs = [170, 300, 760, 1020, 1320, 1484]
    ys = [200 + 78 * i for i in range(27)]
    for x in xs:
        draw.line([x, ys[0], x, ys[-1]], fill="black", width=3)
    for y in ys:
        draw.line([xs[0], y, xs[-1], y], fill="black", width=3)
    for r in range(26):
        row = ["序号", "活动名称", "活动时间", "牵头单位", "备注"] if r == 0 else [str(r), *ROW[1:]]
        for c, text in enumerate(row):
            left = (xs[c] + xs[c + 1] - draw.textlength(text, font=face)) / 2
            draw.text((left, ys[r] + 20), text, font=face, fill="black")
    return page


def _seconds(path: Path) -> tuple[float, float]:
    """(our reader, bare rapidocr) seconds for one page, the faster of two runs each."""
    import cv2

    ours = min(_timed(lambda: scan.read_scan(path)) for _ in range(2))
    image = cv2.imread(str(path))
    engine = scan._get_engine()
    bare = min(_timed(lambda: engine(image, use_det=True, use_cls=False, use_rec=True)) for _ in range(2))
    return ours, bare


def _timed(work: Any) -> float:
    t0 = time.perf_counter()
    work()
    return time.perf_counter() - t0


def _peak_mb(pdf: Path, pages: int) -> float:
    """Peak resident memory (MB) of a fresh process that reads the first `pages` pages of `pdf`."""
    out = subprocess.run(
        [sys.executable, __file__, "--peak", str(pdf), str(pages)],
        capture_output=True,
        text=True,
        check=True,
        timeout=1800,
    )
    return float(out.stdout.strip().splitlines()[-1])


def run() -> list[tuple[str, float, float | None]]:
    """Return (name, value, baseline) rows: seconds per page and peak memory."""
    problem = scan.ocr_missing()
    if problem:
        return [(f"OCR not installed: {problem}", float("nan"), None)]
    with tempfile.TemporaryDirectory() as tmp:
        prose, table = Path(tmp) / "prose.png", Path(tmp) / "table.png"
        prose_page().save(prose)
        table_page().save(table)
        scan.read_scan(prose)  # loading the models is one-off
        prose_s, prose_bare = _seconds(prose)
        table_s, table_bare = _seconds(table)
        pdf = Path(tmp) / "scan20.pdf"
        from PIL import Image

        images = [Image.open(prose if k % 2 == 0 else table).convert("RGB") for k in range(20)]
        images[0].save(pdf, save_all=True, append_images=images[1:], resolution=DPI, quality=85)
        del images
        t0 = time.perf_counter()
        peak20 = _peak_mb(pdf, 20)
        per_page = (time.perf_counter() - t0) / 20
        peak2 = _peak_mb(pdf, 2)
    return [
        ("OCR A4 prose page, 200 dpi (s; bare rapidocr)", prose_s, prose_bare),
        ("OCR A4 ruled-table page, 200 dpi (s; bare rapidocr)", table_s, table_bare),
        ("OCR 20-page scanned PDF, per page incl. start-up (s)", per_page, None),
        ("OCR 20-page scan, peak RSS (MB; 2-page scan)", peak20, peak2),
    ]


def _child(pdf: str, pages: int) -> None:
    scan.read_scan(pdf, pages=list(range(pages)))
    # VmHWM is this process's own high-water mark; ru_maxrss would start from the parent's size at fork
    try:
        status = Path("/proc/self/status").read_text()
        peak_kb = float(status.split("VmHWM:")[1].split()[0])
    except (OSError, IndexError, ValueError):
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    print(peak_kb / 1024)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--peak":
        _child(sys.argv[2], int(sys.argv[3]))
    else:
        for name, value, base in run():
            print(f"{name:55s} {value:8.2f} {'' if base is None else f'{base:8.2f}'}")
