"""Writing export files safely: to a temporary file beside the target, then renamed over it."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from models.errors import ExportError

__all__ = ["ExportError", "atomic_target"]


@contextlib.contextmanager
def atomic_target(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces `path`, on failure nothing is left."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"保存位置不存在：{folder}")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=target.suffix, dir=folder)
    except OSError as exc:
        raise ExportError(f"无法在 {folder} 中写入文件（{exc.strerror or exc}）。请检查文件夹权限。") from exc
    os.close(fd)
    tmp = Path(tmp_name)
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
            raise ExportError(f"无法写入 {target}：{exc.strerror or exc}") from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
