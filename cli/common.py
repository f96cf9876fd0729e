"""What every sub-command shares: its error type, opening the workspace, plan ids and dates."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from models import store
from models.errors import TaizhangError
from models.workspace import Workspace, open_workspace

AddParser = Callable[[str, str], argparse.ArgumentParser]
"""Declares one sub-command (name, help text) with the options every sub-command has."""


class CliError(TaizhangError):
    """A wrong use of the command line (a plan that does not exist, a bad date)."""


def _err(text: str) -> None:
    print(text, file=sys.stderr)


@contextlib.contextmanager
def _workspace(args: argparse.Namespace, *, write: bool = False, daily: bool = True) -> Iterator[Workspace]:
    """Open the database of `--db`; `daily=False` makes no daily backup (and prunes none), for a
    command that must leave the backups as they were when it is refused (restore)."""
    from models.db import DamagedDatabaseError

    try:
        workspace = open_workspace(getattr(args, "db", None), daily=daily)
    except DamagedDatabaseError as exc:
        raise CliError(f"{exc}{_good_backup_hint(getattr(args, 'db', None))}") from exc
    try:
        if workspace.readonly:
            reason = (workspace.readonly_reason or "数据库是只读的。").replace(
                "本窗口以只读方式打开。", "只能以只读方式打开。"
            )
            if write:
                raise CliError(f"{reason}此命令需要修改数据库，未执行，文件未被改动。")
            _err(f"提示：{reason}")
        yield workspace
    finally:
        workspace.close()


def _good_backup_hint(db: str | None) -> str:
    from models.paths import default_db_path
    from models.workspace import newest_good_backup

    path = Path(db) if db else default_db_path()
    good = newest_good_backup(path)
    if good is None:
        return "没有找到完好的备份。"
    return (
        f"最近的完好备份是 {good.path}（{good.when:%Y-%m-%d %H:%M}，{good.label}）。恢复方法：把损坏的文件改名"
        f'（例如在末尾加 .damaged）留存，再运行 python main.py restore --db "{path}" "{good.path}"。'
    )


def _plan_id(workspace: Workspace, plan: int | None) -> int:
    if plan is not None:
        if not store.plan_exists(workspace.db, plan):
            raise CliError(f"没有编号为 {plan} 的方案。用 `python main.py plans` 查看方案编号。")
        return plan
    plans = store.list_plans(workspace.db)
    if not plans:
        raise CliError("数据库中还没有方案。")
    return int(plans[0].plan.id or 0)


def _day(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CliError(f"日期“{text}”无效，请按 YYYY-MM-DD 填写，例如 2024-09-30。") from exc
