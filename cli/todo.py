"""The to-do across plans (`todo`) and the report package in one go (`report`)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from cli.common import AddParser, CliError, _err, _plan_id, _workspace


def cmd_todo(args: argparse.Namespace) -> int:
    """Print what is overdue, due this week and next, and the coming report deadlines, over all plans."""
    from services.todo import format_todo, todo_list

    with _workspace(args) as workspace:
        print(format_todo(todo_list(workspace.db)))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """Write a plan's 报送材料 into a new folder in DIR; print the folder. What is missing is told first."""
    from services.report_package import make_package, precheck

    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise CliError(f"“{out}”不是文件夹。--out 须是保存报送材料的文件夹。")
    with _workspace(args) as workspace:
        plan_id = _plan_id(workspace, args.plan)
        check = precheck(workspace.db, plan_id)
        for line in check.lines():
            _err(f"检查：{line}")
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CliError(f"无法创建文件夹“{out}”：{exc.strerror or exc}") from exc
        result = make_package(workspace.db, workspace.path, plan_id, out)
    for note in result.notes:
        _err(f"注意：{note}")
    for path in result.files:
        _err(f"已写入 {path.name}")
    print(result.folder)
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {"todo": cmd_todo, "report": cmd_report}


def register(add: AddParser) -> dict[str, Callable[[argparse.Namespace], int]]:
    """Declare `todo` and `report`; return their handlers."""
    p = add("todo", "待办：所有进行中方案的逾期、本周到期、下周到期事项和报送截止")
    p.add_argument("--today", metavar="YYYY-MM-DD", help="按哪一天计算（缺省为今天）")
    p = add(
        "report",
        "报送材料：在 DIR 中新建以方案命名的文件夹，写入完成情况总结、进展情况表、活动安排表和佐证材料压缩包",
    )
    p.add_argument("--plan", type=int, metavar="ID", required=True, help="方案编号")
    p.add_argument(
        "--out", metavar="DIR", required=True, help="保存到哪个文件夹（其中新建一个文件夹，不覆盖已有文件）"
    )
    p.add_argument("--today", metavar="YYYY-MM-DD", help="统计与亮灯所用的日期（缺省为今天）")
    return COMMANDS
