"""The headless sub-commands of main.py: argument parsing, one use-case call, output.

Results go to standard output, messages to standard error. An expected failure (a `TaizhangError`)
prints its Chinese message and exits with its code (2); anything else is a bug, reported in one line.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import sqlite3
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from models import clock, store
from models.errors import TaizhangError
from models.workspace import Workspace, open_workspace


class CliError(TaizhangError):
    """A wrong use of the command line (a plan that does not exist, a bad date)."""


def _err(text: str) -> None:
    print(text, file=sys.stderr)


@contextlib.contextmanager
def _workspace(args: argparse.Namespace, *, write: bool = False) -> Iterator[Workspace]:
    from models.db import DamagedDatabaseError

    try:
        workspace = open_workspace(getattr(args, "db", None))
    except DamagedDatabaseError as exc:
        raise CliError(f"{exc}{_good_backup_hint(getattr(args, 'db', None))}") from exc
    try:
        if write and workspace.readonly:
            raise CliError(workspace.readonly_reason or "数据库只读，不能写入。")
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


def cmd_plans(args: argparse.Namespace) -> int:
    """Print one line per plan: id, title, number of activities."""
    with _workspace(args) as workspace:
        for summary in store.list_plans(workspace.db):
            print(f"{summary.plan.id}\t{summary.plan.title}\t{summary.activities}")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    """Print a plan's overview: counts per status, overdue activities with their lead units."""
    from models.tracking import format_overview
    from services.status import plan_overview

    with _workspace(args) as workspace:
        print(format_overview(plan_overview(workspace.db, _plan_id(workspace, args.plan))))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Write a plan's table, progress report or summary to .xlsx or .pdf."""
    from models.settings import load_settings
    from services.exporting import export_plan, make_request, request_kind

    out = Path(args.out)
    request_kind(out, args.report or "table")  # a wrong choice is told before any file is opened
    with _workspace(args) as workspace:
        request = make_request(out, args.report or "table", load_settings(workspace.db))
        result = export_plan(workspace.db, workspace.path, _plan_id(workspace, args.plan), request)
    if result.note:
        _err(f"注意：{result.note}")
    _err(f"已导出到 {out}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Create a plan from a spreadsheet or a plan text; print only its id."""
    from services.importing import import_path

    with _workspace(args, write=True) as workspace:
        result = import_path(workspace.db, Path(args.path), update_plan=args.update, backup_of=workspace.path)
    for warning in result.warnings:
        _err(f"提示：{warning}")
    _err(result.message)
    print(result.plan_id)
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    """Save a consistent copy (database + evidence as .zip, or the database alone as .db)."""
    from services.backups import save_copy

    with _workspace(args) as workspace:
        out = save_copy(workspace.db, workspace.path, Path(args.out))
    _err(f"已保存备份到 {out}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """Replace the database's content with a backup, after backing up the current state."""
    from services.backups import restore_file

    source = Path(args.backup)
    if not source.is_file():
        raise CliError(f"找不到备份文件“{source}”。")
    with _workspace(args, write=True) as workspace:
        safety = restore_file(workspace.db, workspace.path, source)
    _err(f"已从 {source.name} 恢复。恢复前的数据已备份到 {safety}")
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "plans": cmd_plans,
    "status": cmd_status,
    "export": cmd_export,
    "import": cmd_import,
    "backup": cmd_backup,
    "restore": cmd_restore,
}


def add_commands(sub: argparse._SubParsersAction[Any]) -> None:
    """Declare the sub-commands and their options."""

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = sub.add_parser(name, help=help_text, description=help_text)
        # SUPPRESS keeps a --db given before the sub-command instead of overwriting it with None.
        p.add_argument(
            "--db",
            metavar="FILE",
            default=argparse.SUPPRESS,
            help="数据库文件；缺省为用户数据目录下的 taizhang.db",
        )
        return p

    add("plans", "列出方案：每行一个，依次为编号、标题、活动数")
    p = add("status", "打印方案完成情况概况：各状态数量、完成率、逾期活动及牵头单位")
    p.add_argument("--plan", type=int, metavar="ID", help="方案编号（缺省为第一个方案）")
    p.add_argument("--today", metavar="YYYY-MM-DD", help="统计日期（缺省为今天）")
    p = add("export", "导出方案：.xlsx（活动安排表 / 进展情况表）或 .pdf（活动安排表 / 完成情况总结）")
    p.add_argument("--plan", type=int, metavar="ID", required=True, help="方案编号")
    p.add_argument("--out", metavar="FILE", required=True, help="输出文件（.xlsx 或 .pdf）")
    p.add_argument(
        "--report",
        choices=("table", "progress", "summary"),
        help="table：活动安排表（缺省）；progress：进展情况表（xlsx）；summary：完成情况总结（pdf）",
    )
    p.add_argument("--today", metavar="YYYY-MM-DD", help="亮灯与统计所用的日期（缺省为今天）")
    p = add("import", "由表格（.xlsx）或方案文本（.txt/.docx/.pdf）新建方案，标准输出只打印新方案编号")
    p.add_argument("path", metavar="PATH", help="要导入的文件")
    p.add_argument(
        "--update",
        type=int,
        metavar="ID",
        help="导入退回的进展情况表时，更新编号为 ID 的方案中对应活动，而不是新建方案",
    )
    p = add("backup", "保存完整备份：.zip（数据库和附件）或 .db（仅数据库）")
    p.add_argument("--out", metavar="PATH", required=True, help="备份文件路径")
    p = add("restore", "用备份替换当前数据（替换前自动备份当前数据）")
    p.add_argument("backup", metavar="BACKUP", help="备份文件（.db 或 .zip）")


def run_command(args: argparse.Namespace) -> int:
    """Run a sub-command, turning expected failures into a message and a non-zero exit."""
    try:
        day = _day(getattr(args, "today", None))
        with clock.use(clock.FixedClock(day)) if day else contextlib.nullcontext():
            return COMMANDS[args.command](args)
    except TaizhangError as exc:
        _err(f"错误：{exc}")
        return exc.exit_code
    except (sqlite3.Error, UnicodeDecodeError) as exc:  # the file failed under us (damaged, disk full)
        from models.db import explain

        _err(f"错误：{explain(exc, Path(getattr(args, 'db', None) or 'taizhang.db').name)}")
        return 2
    except KeyboardInterrupt:
        _err("已中断。")
        return 130
    except Exception as exc:  # noqa: BLE001 - the command line promises a message, never a traceback
        _err(f"错误：发生意外错误（{type(exc).__name__}：{exc}）。")
        return 1
