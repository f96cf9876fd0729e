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
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
        leftovers.forget(tmp)
