"""The first sub-commands: plans, status, export, import, backup, restore."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from cli.common import AddParser, CliError, _err, _plan_id, _workspace
from models import store


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
    with _workspace(args, write=True, daily=False) as workspace:  # refused: backups as they were
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


def register(add: AddParser) -> dict[str, Callable[[argparse.Namespace], int]]:
    """Declare these sub-commands and their options; return their handlers."""
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
    p = add(
        "import",
        "由表格（.xlsx/.xls/.et）、通知文件（.txt/.docx/.doc/.wps/.pdf/.ofd）或扫描件（扫描 PDF、.jpg/.png/.tif，"
        "需文字识别组件）新建方案，标准输出只打印新方案编号",
    )
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
    return COMMANDS
