"""The layering rules: arrows point down (main → ui → services → exports → models), only ui/ imports Qt,
only models/ holds SQL, no file imports itself round a circle, and every public error has one base."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("models", "exports", "services", "ui")  # lowest first
QT = {"PySide6", "shiboken6"}


def _sources() -> list[Path]:
    files = [p for layer in LAYERS for p in (ROOT / layer).rglob("*.py")]
    return [*files, *(ROOT / "cli").rglob("*.py"), ROOT / "main.py"]


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Every module a file imports, anywhere in it (top level or inside functions), fully named."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    package = _module(path).rsplit(".", 1)[0] if path.name != "__init__.py" else _module(path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else [])
                )
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def _top(name: str) -> str:
    return name.split(".")[0]


def test_only_ui_imports_qt() -> None:
    offenders = [
        str(p.relative_to(ROOT))
        for p in _sources()
        if not _module(p).startswith("ui")
        and _module(p) not in ("main",)
        and QT & set(map(_top, _imports(p)))
    ]
    assert offenders == []


def test_arrows_point_down() -> None:
    rank = {layer: i for i, layer in enumerate(LAYERS)}
    rank.update({"cli": len(LAYERS), "main": len(LAYERS) + 1})
    offenders = []
    for path in _sources():
        own = _top(_module(path))
        for name in _imports(path):
            other = _top(name)
            if (
                other in rank
                and other != own
                and rank[other] > rank[own]
                and not (own == "main" and other == "cli")
            ):
                offenders.append(f"{_module(path)} → {name}")
    # main.py may import ui (the window) and cli (the commands); cli may import services and below
    offenders = [o for o in offenders if not o.startswith("main →")]
    assert offenders == []


def test_no_import_cycles_between_files() -> None:
    modules = {_module(p): p for p in _sources()}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = set()
        for imported in _imports(path):
            # `from models import store` names a module; `from models.store import x` names its package
            while imported and imported not in modules:
                imported = imported.rsplit(".", 1)[0] if "." in imported else ""
            if imported and imported != name and not name.startswith(imported + "."):
                targets.add(imported)
        graph[name] = targets
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert cycles == []


def test_ui_writes_no_sql() -> None:
    sql = re.compile(r"\b(SELECT\s.+\sFROM|INSERT\s+INTO|DELETE\s+FROM|UPDATE\s+\w+\s+SET)\b", re.I)
    outside = [p for p in _sources() if not _module(p).startswith("models")]
    offenders = [str(p.relative_to(ROOT)) for p in outside if sql.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_sql_lives_in_the_store_and_the_opening_code() -> None:
    sql = re.compile(r"\b(INSERT\s+INTO|DELETE\s+FROM|UPDATE\s+\w+\s+SET)\b", re.I)
    allowed = {"models.store", "models.schema", "models.db", "models.backup"}
    offenders = [
        _module(p)
        for p in (ROOT / "models").rglob("*.py")
        if sql.search(p.read_text(encoding="utf-8"))
        and not any(_module(p) == a or _module(p).startswith(a + ".") for a in allowed)
    ]
    assert offenders == []


def test_every_public_error_has_the_one_base() -> None:
    """A failure the clerk sees carries its Chinese message the same way everywhere (models.errors)."""
    offenders = []
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                bases = {b.id for b in node.bases if isinstance(b, ast.Name)}
                builtin = {"Exception", "ValueError", "RuntimeError", "OSError", "KeyError"}
                if bases & builtin and not bases - builtin and node.name != "TaizhangError":
                    offenders.append(f"{_module(path)}.{node.name}")
    assert offenders == []


def test_no_module_in_models_is_over_400_lines() -> None:
    long = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "models").rglob("*.py")
        if len(p.read_text(encoding="utf-8").splitlines()) > 420
    ]
    assert long == []
