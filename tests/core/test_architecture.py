"""The core stays Qt-free, and providers are discovered, not listed."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import launcher

PACKAGE = Path(launcher.__file__).parent
QT_MODULES = ("PySide6", "shiboken6", "qasync", "PyQt5", "PyQt6")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


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
