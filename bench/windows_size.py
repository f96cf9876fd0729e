"""Estimate the size of the Windows one-folder build without Windows (PyInstaller cannot cross-build).

Run after `make build`: takes the Linux folder's file list, finds each file's Windows counterpart in the
Windows wheels of the same packages (downloaded with `pip download --platform win_amd64`, so it needs
PyPI once), and adds up their sizes. Linux system libraries (X11, xcb, fontconfig, CUPS, ICU) have no
counterpart: Windows has them in the OS. Pure-Python files count at their Linux size.

    .venv/bin/python bench/windows_size.py
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "dist" / "Taizhang"
WHEELS = ("PySide6-Essentials", "shiboken6", "pillow", "lxml", "pypdfium2")
# the optional OCR (a build with it): their compiled parts are priced as the Windows wheels' .pyd and .dll
OCR_WHEELS = {"cv2": "opencv-python-headless", "onnxruntime": "onnxruntime", "numpy": "numpy"}
LINUX_ONLY_PLUGINS = {"xcbglintegrations", "platforminputcontexts", "platformthemes", "printsupport"}
PYTHON_OWN = {"libsqlite3.so.0", "libffi.so.8", "libz.so.1", "libexpat.so.1", "liblzma.so.5", "libbz2.so.1.0"}
MSVC_RUNTIME = (
    "msvcp140.dll",
    "msvcp140_1.dll",
    "msvcp140_2.dll",
    "vcruntime140.dll",
    "vcruntime140_1.dll",
    "concrt140.dll",
)


def _pyd(name: str) -> str:
    return re.sub(r"\.cpython-311-x86_64-linux-gnu\.so$", ".cp311-win_amd64.pyd", name)


def windows_counterpart(rel: str, win: Path) -> Path | bool | None:
    """The Windows file for a Linux bundle file; None: same file on both; False: not on Windows."""
    folder, _, name = rel.rpartition("/")
    if rel.split("/", 1)[0] in OCR_WHEELS and ".so" in name:
        return False  # priced below, from the Windows wheel's compiled files
    if rel.startswith("PySide6/Qt/lib/"):
        m = re.match(r"libQt6(\w+)\.so", name)
        return False if m is None or m[1] == "XcbQpa" else win / "PySide6" / f"Qt6{m[1]}.dll"
    if rel.startswith("PySide6/Qt/plugins/"):
        kind = rel.split("/")[3]
        m = re.match(r"lib([\w-]+)\.so", name)
        if kind in LINUX_ONLY_PLUGINS or m is None:
            return False
        return win / "PySide6" / "plugins" / kind / f"{'qwindows' if m[1] == 'qxcb' else m[1]}.dll"
    if rel.startswith("PySide6/Qt/translations/"):
        return win / "PySide6" / "translations" / name
    if folder in ("PySide6", "shiboken6") and name.endswith(".abi3.so"):
        return win / folder / name.replace(".abi3.so", ".pyd")
    if name.startswith("libpyside6.abi3.so"):
        return win / "PySide6" / "pyside6.abi3.dll"
    if name.startswith("libshiboken6.abi3.so"):
        return win / "shiboken6" / "shiboken6.abi3.dll"
    if folder in ("PIL", "lxml") and name.endswith(".so"):
        return win / folder / _pyd(name)
    if folder.endswith(".libs"):
        return False  # vendored Linux codecs; the Windows wheels link them into their .pyd files
    if folder == "pypdfium2_raw" and name.startswith("libpdfium"):
        return win / "pypdfium2_raw" / "pdfium.dll"
    if not folder and ".so" in name and not name.startswith("libpython") and name not in PYTHON_OWN:
        return False  # a Linux system library
    return None


def _installed(distribution: str) -> str:
    from importlib.metadata import version

    return version(distribution)


def main() -> int:
    """Print the estimate and the biggest files."""
    internal = BUNDLE / "_internal"
    if not internal.is_dir():
        print("先运行 make build。/ Run `make build` first.", file=sys.stderr)
        return 2
    import PySide6

    ocr = [pkg for pkg in OCR_WHEELS if (internal / pkg).is_dir()]
    with tempfile.TemporaryDirectory() as tmp:
        pins = [
            f"{w}=={PySide6.__version__}" if w in ("PySide6-Essentials", "shiboken6") else w for w in WHEELS
        ] + [f"{OCR_WHEELS[p]}=={_installed(OCR_WHEELS[p])}" for p in ocr]
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--only-binary=:all:",
                "--no-deps",
                "--platform",
                "win_amd64",
                "--python-version",
                "3.11",
                "-d",
                tmp,
                *pins,
            ],
            check=True,
        )
        win = Path(tmp) / "x"
        for wheel in Path(tmp).glob("*.whl"):
            zipfile.ZipFile(wheel).extractall(win)
        sizes: list[tuple[int, str]] = []
        missing = []
        for f in internal.rglob("*"):
            if not f.is_file() or f.is_symlink():
                continue
            rel = f.relative_to(internal).as_posix()
            other = windows_counterpart(rel, win)
            if other is False:
                continue
            if other is None:
                sizes.append((f.stat().st_size, rel))
            elif isinstance(other, Path) and other.exists():
                sizes.append((other.stat().st_size, other.relative_to(win).as_posix()))
            else:
                missing.append(rel)
        sizes += [((win / "PySide6" / n).stat().st_size, n) for n in MSVC_RUNTIME]
        for pkg in ocr:  # compiled files of the Windows wheel: its package folder and its vendored .libs
            for f in [*(win / pkg).rglob("*"), *win.glob(f"{OCR_WHEELS[pkg].replace('-', '_')}*.libs/*")]:
                if f.is_file() and f.suffix.lower() in (".pyd", ".dll"):
                    sizes.append((f.stat().st_size, f.relative_to(win).as_posix()))
        for program in sorted(f for f in BUNDLE.iterdir() if f.is_file()):
            sizes.append((program.stat().st_size, f"{program.name}.exe (size of the Linux one)"))
    linux = sum(f.stat().st_size for f in BUNDLE.rglob("*") if f.is_file() and not f.is_symlink())
    print(
        f"Linux folder {linux / 2**20:.0f} MB; Windows folder estimated at {sum(s for s, _ in sizes) / 2**20:.0f} MB"
    )
    if missing:
        print("no Windows counterpart found for:", ", ".join(missing))
    for size, name in sorted(sizes, reverse=True)[:10]:
        print(f"{size / 2**20:6.1f} MB  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
