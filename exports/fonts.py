"""Fonts for PDFs: the office's own (宋体, 黑体, 仿宋, 楷体, 方正小标宋) where present, else free CJK fonts."""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

CID_FALLBACK = "STSong-Light"


@dataclass(frozen=True)
class FontInfo:
    """A font the PDF can use."""

    key: str
    label: str
    path: Path | None
    subfont: int = 0
    embedded: bool = True


#: Known families: key, Chinese label, file names (Windows, Linux and macOS spellings).
KNOWN: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("fzxbs", "方正小标宋", ("fzxbsjw.ttf", "方正小标宋简体.ttf", "fzxiaobiaosong-b05s.ttf", "fzxbsk.ttf")),
    ("simhei", "黑体", ("simhei.ttf",)),
    ("simsun", "宋体", ("simsun.ttc", "simsun.ttf")),
    ("simfang", "仿宋", ("simfang.ttf", "fangsong_gb2312.ttf", "仿宋_gb2312.ttf")),
    ("simkai", "楷体", ("simkai.ttf", "kaiti_gb2312.ttf")),
    ("msyh", "微软雅黑", ("msyh.ttc", "msyh.ttf")),
    ("wqy-microhei", "文泉驿微米黑", ("wqy-microhei.ttc",)),
    ("wqy-zenhei", "文泉驿正黑", ("wqy-zenhei.ttc",)),
    ("uming", "文鼎明体", ("uming.ttc",)),
    ("ukai", "文鼎楷体", ("ukai.ttc",)),
    ("droid", "Droid Sans Fallback", ("droidsansfallbackfull.ttf", "droidsansfallback.ttf")),
    ("simsunb", "宋体-扩展B", ("simsunb.ttf",)),
    ("dejavu", "DejaVu Sans", ("dejavusans.ttf",)),
)
LABELS = {key: label for key, label, _ in KNOWN}

#: Defaults by role, as official documents use them (GB/T 9704: 小标宋 titles, 黑体 headings, 仿宋/宋体 text).
ROLE_CHAIN: dict[str, tuple[str, ...]] = {
    "title": ("fzxbs", "simhei", "msyh", "wqy-zenhei", "wqy-microhei", "uming", "droid"),
    "heading": ("simhei", "msyh", "wqy-zenhei", "wqy-microhei", "uming", "droid"),
    "body": ("simsun", "simfang", "msyh", "wqy-microhei", "wqy-zenhei", "uming", "droid"),
    # GB/T 9704-2012: 小标宋 titles, 黑体 for “附件”, 仿宋 body text, 宋体 page numbers
    "gongwen-title": ("fzxbs", "simsun", "simhei", "msyh", "wqy-zenhei", "wqy-microhei", "uming", "droid"),
    "gongwen-label": ("simhei", "msyh", "wqy-zenhei", "wqy-microhei", "uming", "droid"),
    "gongwen-body": ("simfang", "simsun", "msyh", "wqy-microhei", "wqy-zenhei", "uming", "droid"),
    "gongwen-number": ("simsun", "simfang", "msyh", "wqy-microhei", "wqy-zenhei", "uming", "droid"),
}
#: Fonts tried for characters the chosen font lacks (rare names, CJK Extension B, symbols).
FALLBACK_KEYS = ("simsunb", "simsun", "msyh", "wqy-microhei", "wqy-zenhei", "uming", "droid", "dejavu")

_lock = threading.Lock()
_registered: dict[str, str] = {}
_broken: set[Path] = set()


def font_dirs(extra: list[Path] | None = None) -> list[Path]:
    """Return the folders searched for font files on this system."""
    dirs = list(extra or [])
    if sys.platform == "win32":
        dirs.append(Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts")
        local = os.environ.get("LOCALAPPDATA")
        if local:
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    elif sys.platform == "darwin":
        dirs += [Path("/Library/Fonts"), Path("/System/Library/Fonts"), Path.home() / "Library" / "Fonts"]
    else:
        dirs += [
            Path("/usr/share/fonts"),
            Path("/usr/local/share/fonts"),
            Path.home() / ".fonts",
            Path.home() / ".local" / "share" / "fonts",
        ]
    return [d for d in dirs if d.is_dir()]


@lru_cache(maxsize=4)
def _index(dirs: tuple[Path, ...]) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for folder in dirs:
        for root, _subdirs, files in os.walk(folder):
            for name in files:
                found.setdefault(name.lower(), Path(root) / name)
    return found


def is_truetype(path: Path) -> bool:
    """Tell whether a file has TrueType outlines (reportlab cannot embed CFF/OpenType .otf fonts)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
            if head[:4] == b"ttcf":
                fh.seek(12)
                offset = int.from_bytes(fh.read(4), "big")
                fh.seek(offset)
                head = fh.read(4)
    except OSError:
        return False
    return head[:4] in (b"\x00\x01\x00\x00", b"true")


def available_fonts(extra_dirs: list[Path] | None = None) -> list[FontInfo]:
    """Return the known fonts installed here (what the settings dialog offers), in preference order."""
    index = _index(tuple(font_dirs(extra_dirs)))
    result = []
    for key, label, names in KNOWN:
        for name in names:
            path = index.get(name.lower())
            if path is not None and is_truetype(path) and path not in _broken:
                result.append(FontInfo(key, label, path))
                break
    return result


def _cid() -> FontInfo:
    return FontInfo(CID_FALLBACK, "华文宋体（内置，不嵌入）", None, embedded=False)


def resolve_font(preference: str | None, role: str, extra_dirs: list[Path] | None = None) -> FontInfo:
    """Return the font for a role: the preferred one if usable, else the role's chain; never raises."""
    installed = {f.key: f for f in available_fonts(extra_dirs)}
    by_label = {f.label: f for f in installed.values()}
    chain: list[str] = []
    if preference:
        chain.append(preference)
    chain += ROLE_CHAIN.get(role, ROLE_CHAIN["body"])
    for key in chain:
        info = installed.get(key) or by_label.get(key)
        if info is not None and _try_register(info):
            return info
    return _cid()


def _try_register(info: FontInfo) -> bool:
    try:
        register(info)
        return True
    except Exception:  # noqa: BLE001 - a damaged or unsupported font file: skip it and use the next one
        if info.path is not None:
            _broken.add(info.path)
        return False


def register(info: FontInfo) -> str:
    """Register a font with reportlab once per process and return its name."""
    with _lock:
        if info.key in _registered:
            return _registered[info.key]
        if info.path is None:
            pdfmetrics.registerFont(UnicodeCIDFont(CID_FALLBACK))
            name = CID_FALLBACK
        else:
            name = f"TZ-{info.key}"
            pdfmetrics.registerFont(TTFont(name, str(info.path), subfontIndex=info.subfont))
        _registered[info.key] = name
        return name


def fallback_fonts(extra_dirs: list[Path] | None = None) -> list[str]:
    """Return registered names of the fonts tried for missing characters."""
    installed = {f.key: f for f in available_fonts(extra_dirs)}
    names = []
    for key in FALLBACK_KEYS:
        info = installed.get(key)
        if info is not None and _try_register(info):
            names.append(register(info))
    return names


def covers(font_name: str, ch: str) -> bool:
    """Tell whether a registered font has a glyph for a character."""
    font = pdfmetrics.getFont(font_name)
    face = getattr(font, "face", None)
    if face is not None and hasattr(face, "charToGlyph"):
        return ord(ch) in face.charToGlyph
    # The built-in CID font covers GB 18030's basic plane (no Extension B, no emoji).
    return ord(ch) < 0x10000


def fallback_markup(text: str, font_name: str, fallbacks: list[str]) -> tuple[str, set[str]]:
    """Return paragraph markup with characters missing from `font_name` set in a fallback font.

    The second value holds the characters no font has (the caller tells the user).
    """
    missing: set[str] = set()
    parts: list[str] = []
    run_font: str | None = None
    run: list[str] = []

    def flush() -> None:
        if not run:
            return
        body = escape("".join(run)).replace("\n", "<br/>")
        parts.append(body if run_font in (None, font_name) else f'<font name="{run_font}">{body}</font>')
        run.clear()

    for ch in text:
        chosen = font_name
        if ch not in "\n\t " and not covers(font_name, ch):
            chosen = next((f for f in fallbacks if covers(f, ch)), font_name)
            if chosen == font_name:
                missing.add(ch)
        if chosen != run_font:
            flush()
            run_font = chosen
        run.append(ch)
    flush()
    return "".join(parts), missing


def choosable_fonts(extra_dirs: list[Path] | None = None) -> list[FontInfo]:
    """Return the installed fonts that can set Chinese text (for the settings dialog)."""
    return [f for f in available_fonts(extra_dirs) if f.key not in ("simsunb", "dejavu")]
