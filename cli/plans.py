"""Plan sub-commands: `copy --plan ID --next-year` makes next year's plan and prints its id."""

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
    return {"copy": cmd_copy}
