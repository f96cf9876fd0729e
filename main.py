"""Taizhang 活动台账: the GUI by default, and headless sub-commands (plans, export, import, status…)."""

from __future__ import annotations

import time

STARTED = time.perf_counter()  # for the start-up probe (bench/)

import argparse  # noqa: E402
import sys  # noqa: E402
from typing import Any, NoReturn  # noqa: E402

from models.version import __version__  # noqa: E402


class _ChineseHelp(argparse.HelpFormatter):
    def add_usage(self, usage: str | None, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


# argparse's own words for the errors it reports, in Chinese (the values it quotes stay as typed)
_ERRORS = (
    ("the following arguments are required: ", "缺少必需的参数："),
    ("unrecognized arguments: ", "无法识别的参数："),
    ("invalid int value: ", "不是整数："),
    ("invalid choice: ", "不是可选的值："),
    ("choose from ", "可选："),
    ("expected one argument", "需要一个值"),
    ("argument ", "参数 "),
)


class ChineseArgumentParser(argparse.ArgumentParser):
    """argparse with Chinese headings, help lines and error messages; sub-commands get the same."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("add_help", False)
        kwargs.setdefault("formatter_class", _ChineseHelp)
        super().__init__(*args, **kwargs)
        self._positionals.title = "子命令与参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def error(self, message: str) -> NoReturn:
        """Print the usage and a Chinese message, exit 2."""
        for english, chinese in _ERRORS:
            message = message.replace(english, chinese)
        self.print_usage(sys.stderr)
        self.exit(2, f"错误：{message}\n")


def build_parser() -> argparse.ArgumentParser:
    """Return the command-line parser (sub-commands take their options after the sub-command)."""
    parser = ChineseArgumentParser(
        prog="main.py",
        description="活动台账 Taizhang — 市场监管部门活动安排表（工作台账）。不带子命令时启动图形界面。",
        epilog="示例：python main.py export --db taizhang.db --plan 1 --out 活动安排表.xlsx",
    )
    parser.add_argument(
        "--version", action="version", version=f"Taizhang {__version__}", help="显示版本号并退出"
    )
    parser.add_argument(
        "--db", metavar="FILE", help="数据库文件（不存在则新建空库）；缺省为用户数据目录下的 taizhang.db"
    )
    parser.add_argument(
        "--screenshot", metavar="OUT.png", help="打开主窗口（第一个方案），截图保存到 OUT.png 后退出"
    )
    parser.add_argument(
        "--startup-probe", action="store_true", help=argparse.SUPPRESS
    )  # bench/: time to ready
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    from cli import add_commands

    add_commands(sub)
    return parser


def _tolerant_streams() -> None:
    """Never fail on a character the console or a redirected file cannot show (a Windows pipe or
    file uses the ANSI code page, GBK, which has no 𠮷); absent streams (windowed build) stay absent."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")


def main(argv: list[str] | None = None) -> int:
    """Run the GUI or a sub-command; return the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    _tolerant_streams()
    if len(argv) == 1 and argv[0].lower().endswith(".db") and not argv[0].startswith("-"):
        argv = ["--db", argv[0]]  # a database dropped on the program, or opened with it from Explorer
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from ui.app import run_gui

        return run_gui(args.db, args.screenshot, probe=args.startup_probe, started=STARTED)
    from cli import run_command

    return run_command(args)


if __name__ == "__main__":
    sys.exit(main())
