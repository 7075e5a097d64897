"""launcher/view sits between core and ui: it never imports Qt nor the widgets, directly or indirectly."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import launcher.view

VIEW = Path(launcher.view.__file__).parent
FORBIDDEN = ("PySide6", "shiboken6", "qasync", "launcher.ui")


def _imported_modules(source: str, package: str) -> set[str]:
    """Absolute names of every module ``source`` (a module of ``package``) imports, relative ones resolved."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
            module = node.module or ""
            names.add(module if node.level == 0 else ".".join(p for p in (base, module) if p))
    return names


def _forbidden(name: str) -> bool:
    return any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN)


def test_view_sources_import_neither_qt_nor_ui() -> None:
    offenders = {}
    for path in sorted(VIEW.rglob("*.py")):
        package = ".".join(path.relative_to(VIEW.parent.parent).parts[:-1])
        imported = _imported_modules(path.read_text(encoding="utf-8"), package)
        offenders[str(path.relative_to(VIEW))] = sorted(name for name in imported if _forbidden(name))
    assert {path: names for path, names in offenders.items() if names} == {}


def test_the_check_sees_relative_and_absolute_imports() -> None:
    source = "from ..ui import buttons\nimport PySide6.QtCore\nfrom . import messages\nfrom launcher.uix import y\n"
    imported = _imported_modules(source, "launcher.view")
    assert imported == {"launcher.ui", "PySide6.QtCore", "launcher.view", "launcher.uix"}
    assert sorted(name for name in imported if _forbidden(name)) == ["PySide6.QtCore", "launcher.ui"]


def test_importing_every_view_module_loads_no_qt_and_no_ui() -> None:
    """Also catches Qt pulled in through another module (core, sandbox)."""
    modules = sorted("launcher.view." + path.stem for path in VIEW.glob("*.py") if path.stem != "__init__")
    assert modules == ["launcher.view.carry_over", "launcher.view.context", "launcher.view.editor_ranks",
                       "launcher.view.history_rows",
                       "launcher.view.live_call", "launcher.view.messages"]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN[:3]!r} "
        "or m == 'launcher.ui' or m.startswith('launcher.ui.'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
