"""The core stays Qt-free, the layers import one way, no module circles, providers are discovered.

The layer contracts live in pyproject.toml and are checked by ``lint-imports`` (``dev.py lint``);
these tests back them with a check that runs with the rest of the suite.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import launcher

PACKAGE = Path(launcher.__file__).parent
QT_MODULES = ("PySide6", "shiboken6", "qasync", "PyQt5", "PyQt6")


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")


def _imports(path: Path) -> set[str]:
    return imported_names(path.read_text(encoding="utf-8"), _module_name(path), path.name == "__init__.py")


def imported_names(source: str, module: str, is_package: bool = False) -> set[str]:
    """Absolute names imported by ``source`` (module ``module``); relative imports resolved.

    ``from x import y`` yields both x and x.y: y may be a module or a name inside x.
    """
    package = module if is_package else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                anchor = parts[: len(parts) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            if node.module:
                names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def test_relative_imports_are_resolved() -> None:
    source = "import json\nfrom . import base\nfrom ..schema import FieldSpec\nfrom .twilio import X\n"
    assert imported_names(source, "launcher.core.providers.catapult") == {
        "json", "launcher.core.providers.base", "launcher.core.schema", "launcher.core.schema.FieldSpec",
        "launcher.core.providers.twilio", "launcher.core.providers.twilio.X",
    }
    assert imported_names("from .ui import app\n", "launcher", is_package=True) == {"launcher.ui", "launcher.ui.app"}


def test_core_sources_never_import_qt() -> None:
    offenders = {}
    for path in sorted((PACKAGE / "core").rglob("*.py")):
        bad = {name for name in _imports(path) if name.split(".")[0] in QT_MODULES}
        if bad:
            offenders[str(path.relative_to(PACKAGE))] = sorted(bad)
    assert offenders == {}


def test_importing_every_core_module_loads_no_qt() -> None:
    """Also catches Qt pulled in indirectly, through another module."""
    modules = sorted(
        ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        for path in (PACKAGE / "core").rglob("*.py")
    )
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name.removesuffix('.__init__'))\n"
        f"loaded = sorted(m for m in sys.modules if m.split('.')[0] in {QT_MODULES!r})\n"
        "print(','.join(loaded))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_no_module_outside_a_provider_names_a_provider_module() -> None:
    """Adding a provider must not need edits elsewhere: nothing imports provider modules by name."""
    provider_modules = {
        p.stem for p in (PACKAGE / "core" / "providers").glob("*.py") if p.stem not in ("__init__", "base")
    }
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.parent == PACKAGE / "core" / "providers":
            continue
        for name in _imports(path):
            parts = name.split(".")
            if parts[:3] == ["launcher", "core", "providers"] and len(parts) > 3 and parts[3] in provider_modules:
                offenders.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert offenders == []


def _module_graph() -> dict[str, set[str]]:
    """launcher's modules and the launcher modules each imports (TYPE_CHECKING imports too)."""
    paths = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    return {module: {name for name in _imports(path) if name in paths and name != module}
            for module, path in paths.items()}


def import_circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Groups of modules that import each other, directly or around a loop (strongly connected)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                circles.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return circles


def test_circle_finder_finds_a_loop_and_only_the_loop() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert import_circles(graph) == [["a", "b", "c"]]
    assert import_circles({"a": {"b"}, "b": set()}) == []


def test_no_import_circles_in_the_package() -> None:
    assert import_circles(_module_graph()) == []


LAYER_RULES = {
    # importer prefix: forbidden prefixes
    "launcher.core": ("launcher.ui", "launcher.cli", "launcher.sandbox", "launcher.selftest", "launcher.__main__"),
    "launcher.sandbox": ("launcher.ui", "launcher.cli", "PySide6", "qasync"),
    "launcher.cli": ("launcher.ui", "PySide6", "qasync"),  # launcher.cli and launcher.cli_output
}


def test_layers_import_one_way() -> None:
    offenders = []
    for module, path in sorted((_module_name(p), p) for p in PACKAGE.rglob("*.py")):
        for importer, forbidden in LAYER_RULES.items():
            if module == importer or module.startswith((importer + ".", importer + "_")):
                offenders += [f"{module} imports {name}" for name in sorted(_imports(path))
                              if name.startswith(forbidden)]
    assert offenders == []


def test_import_linter_contracts_are_kept() -> None:
    """The same layers, plus no circles between sibling modules, as import-linter checks them in CI."""
    code = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(no_cache=True, no_logo=True))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True, text=True, cwd=PACKAGE.parent,
    )
    assert out.returncode == 0, out.stdout[-3000:]
    assert "0 broken" in out.stdout
