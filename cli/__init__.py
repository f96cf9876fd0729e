"""The headless sub-commands of main.py: argument parsing, one use-case call, output.

Results go to standard output, messages to standard error. An expected failure (a `TaizhangError`)
prints its Chinese message and exits with its code (2); anything else is a bug, reported in one line.
Each module in `MODULES` declares its own sub-commands with `register(add)`, returning their handlers;
a module may also define `extend(parsers, commands)`, called once every module has registered, to add
options to another module's sub-command and wrap its handler (e.g. `status --offices`).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cli.common import CliError, _day, _err
from models import clock, store
from models.errors import TaizhangError

__all__ = ["COMMANDS", "CliError", "add_commands", "run_command", "store"]

MODULES = ("cli.core", "cli.plans", "cli.todo", "cli.rollup")
"""The modules that declare sub-commands, in the order `--help` lists them."""

COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {}
PARSERS: dict[str, argparse.ArgumentParser] = {}


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
        PARSERS[name] = p
        return p

    modules = [importlib.import_module(name) for name in MODULES]
    for module in modules:
        COMMANDS.update(module.register(add))
    for module in modules:
        if hasattr(module, "extend"):
            module.extend(PARSERS, COMMANDS)


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
