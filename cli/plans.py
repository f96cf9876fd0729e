"""Plan sub-commands: `copy --plan ID --next-year` makes next year's plan and prints its id; `archive`."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from cli.common import AddParser, _err, _plan_id, _workspace


def cmd_copy(args: argparse.Namespace) -> int:
    """Copy a plan (to next year's with --next-year); print only the new plan's id."""
    from services.plans import copy_plan

    with _workspace(args, write=True) as workspace:
        source = _plan_id(workspace, args.plan)
        copied = copy_plan(workspace.db, source, next_year=args.next_year, title=args.title)
    what = "下一年度方案" if args.next_year else "副本"
    _err(f"已复制为{what}：{copied.title}（{copied.year or '无年度'}，编号 {copied.id}）")
    print(copied.id)
    return 0


def cmd_archive(args: argparse.Namespace) -> int:
    """Archive a plan (no lights, listed apart) or, with --active, put it back in progress."""
    from models.rules import PLAN_ACTIVE, PLAN_ARCHIVED, PLAN_STATES
    from models.store.plans import set_plan_state

    state = PLAN_ACTIVE if args.active else PLAN_ARCHIVED
    with _workspace(args, write=True) as workspace:
        plan_id = _plan_id(workspace, args.plan)
        set_plan_state(workspace.db, plan_id, state)
    _err(f"方案 {plan_id} 已设为“{PLAN_STATES[state]}”。")
    return 0


def register(add: AddParser) -> dict[str, Callable[[argparse.Namespace], int]]:
    """Declare `copy` and its options; return its handler."""
    p = add("copy", "复制方案（含全部活动，状态、进度和完成情况清空）；标准输出只打印新方案编号")
    p.add_argument("--plan", type=int, metavar="ID", required=True, help="要复制的方案编号")
    p.add_argument(
        "--next-year",
        action="store_true",
        help="复制为下一年度方案：标题、活动时间、报送截止等处的年份和计划日期均顺延一年",
    )
    p.add_argument("--title", metavar="TITLE", help="新方案的标题（缺省按原标题生成）")
    p = add("archive", "归档方案（不再亮灯、不计逾期，仍可查看、搜索、导出和打印）")
    p.add_argument("--plan", type=int, metavar="ID", required=True, help="方案编号")
    p.add_argument("--active", action="store_true", help="恢复为进行中")
    return {"copy": cmd_copy, "archive": cmd_archive}
