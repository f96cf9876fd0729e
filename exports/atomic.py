"""Writing export files safely: to a temporary file beside the target, then renamed over it."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from models import leftovers
from models.errors import ExportError, describe_os_error

__all__ = ["ExportError", "atomic_target"]


@contextlib.contextmanager
def atomic_target(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces `path`, on failure nothing is left.

    The temporary file is recorded (models.leftovers) so that even a killed program leaves nothing
    behind, and it has the folder's usual permissions, which the renamed file keeps.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"保存位置“{folder}”不存在，请选择其他文件夹。")
    _route_openpyxl_temporaries()
    try:
        tmp = leftovers.new_file(folder, f".{target.stem[:40]}-", target.suffix)
    except OSError as exc:
        raise ExportError(f"无法在“{folder}”中写入文件：{describe_os_error(exc)}。") from exc
    try:
        yield tmp
        try:
            os.replace(tmp, target)
        except PermissionError as exc:
            raise ExportError(
                f"无法写入 {target.name}：文件可能正在被其他程序（如 Excel、WPS 或 PDF 阅读器）打开。"
                "请关闭该文件后重试。"
            ) from exc
        except OSError as exc:
            raise ExportError(f"无法写入“{target}”：{describe_os_error(exc)}。") from exc
    except OSError as exc:  # the writer's own failure (a full disk while writing)
        raise ExportError(f"无法写入“{target.name}”：{describe_os_error(exc)}。已有文件未被改动。") from exc
    except Exception as exc:
        if not _is_write_failure(exc):
            raise
        # openpyxl writes each sheet through lxml into a temporary file: a full disk there is an lxml
        # error (IO_ENOSPC, IO_EFBIG), and its half-closed writer would print a traceback when
        # collected later. Collected here, quietly, then told as one message.
        code = str(exc)
        _collect_quietly(exc)
        raise ExportError(
            f"无法写入“{target.name}”：磁盘空间已满或临时文件夹无法写入（{code[:60]}）。已有文件未被改动。"
            "请清理磁盘后再试。"
        ) from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
        leftovers.forget(tmp)


def _is_write_failure(exc: BaseException) -> bool:
    try:
        from lxml.etree import SerialisationError
    except ImportError:  # pragma: no cover - lxml comes with the spreadsheet writers
        return False
    return isinstance(exc, SerialisationError)


def _collect_quietly(exc: BaseException) -> None:
    """Free the failed writer's frames now, with Python's "Exception ignored in" report silenced."""
    import gc
    import sys
    import traceback

    saved = sys.unraisablehook
    sys.unraisablehook = lambda _info: None
    try:
        tb = exc.__traceback__
        if tb is not None:
            traceback.clear_frames(tb)
        exc.__traceback__ = None
        exc.__context__ = None
        gc.collect()
    finally:
        sys.unraisablehook = saved


_routed = False


def _route_openpyxl_temporaries() -> None:
    """Make openpyxl write its per-sheet temporary files into the program's own, recorded temporary
    folder instead of the system's: a killed export then leaves no sheet of the clerk's data in /tmp
    or %TEMP% (the next start removes them, models.leftovers)."""
    global _routed
    if _routed:
        return
    try:
        from openpyxl.worksheet import _writer
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        return

    def create_temporary_file(suffix: str = "") -> str:
        folder = leftovers.temporary_folder()
        folder.mkdir(parents=True, exist_ok=True)
        name = str(leftovers.new_file(folder, "openpyxl.", suffix or ".xml"))
        _writer.ALL_TEMP_FILES.append(name)  # removed by openpyxl when written, or at exit
        return name

    _writer.create_temporary_file = create_temporary_file
    _routed = True
