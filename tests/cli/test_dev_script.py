"""dev.py, the Quick start's entry point, on a Python whose venv cannot install pip (Debian without
python3-venv): it names the package to install and leaves no half-made .venv that would look ready."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import venv
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load_dev_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dev_script", ROOT / "dev.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_venv_without_pip_is_removed_and_the_fix_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dev = load_dev_script()
    target = tmp_path / ".venv"
    monkeypatch.setattr(dev, "VENV", target)
    monkeypatch.setattr(dev, "PYTHON", target / "bin" / "python")

    create_without_pip = venv.create

    def debian_without_ensurepip(env_dir: Path, with_pip: bool = False) -> None:
        create_without_pip(env_dir, with_pip=False)  # what Debian's venv gets done before ensurepip fails
        raise subprocess.CalledProcessError(1, [str(env_dir / "bin" / "python"), "-m", "ensurepip"])

    monkeypatch.setattr(dev.venv, "create", debian_without_ensurepip)
    with pytest.raises(SystemExit) as exit_info:
        dev.ensure_env("")
    assert "returned non-zero exit status" in str(exit_info.value.code)
    assert "sudo apt install python3-venv" in str(exit_info.value.code)
    assert not target.exists()


def test_an_old_python_is_refused_with_the_version_needed(monkeypatch: pytest.MonkeyPatch) -> None:
    dev = load_dev_script()
    monkeypatch.setattr(sys, "version_info", (3, 10, 12))
    with pytest.raises(SystemExit) as exit_info:
        dev.ensure_env("")
    assert "needs Python 3.11 or newer" in str(exit_info.value.code)


def test_start_names_one_apt_line_and_stops_before_qt(monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    dev = load_dev_script()
    started: list[list[str]] = []
    monkeypatch.setattr(dev, "ensure_env", lambda extras: None)
    def run(args: list[str]) -> int:
        started.append(args)
        return 0

    monkeypatch.setattr(dev, "run", run)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("DISPLAY", ":0")
    fresh_debian = {"xcb-icccm", "xcb-keysyms"}  # what a fresh Debian desktop lacked
    monkeypatch.setattr(dev.ctypes.util, "find_library", lambda name: None if name in fresh_debian else f"lib{name}.so")
    assert dev.main(["start"]) == 3
    assert started == []  # Qt never started, so it never aborted
    lines = [line.strip() for line in capsys.readouterr().err.splitlines() if "apt" in line]
    assert lines == ["sudo apt install libxcb-icccm4 libxcb-keysyms1"]
    assert dev.main(["start", "providers"]) == 0 and len(started) == 1  # a subcommand needs no window


def test_readme_and_ci_install_every_library_dev_checks() -> None:
    dev = load_dev_script()
    packages = set(dev.QT_LIBS.values()) | set(dev.QT_XCB_LIBS.values())
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    tarball = (ROOT / "packaging" / "linux" / "INSTALL.md").read_text(encoding="utf-8")
    assert sorted(p for p in packages if p not in readme) == []
    assert sorted(p for p in packages if p not in ci) == []
    assert sorted(p for p in packages if p not in tarball) == []


def test_dev_checks_every_library_qt_x11_plugin_links() -> None:
    """The list in dev.py against the NEEDED entries of the installed Qt's X11 plugin, so it cannot drift."""
    import re
    import shutil

    import PySide6

    objdump = shutil.which("objdump")
    plugin_dir = Path(PySide6.__file__).parent / "Qt"
    plugins = [*plugin_dir.glob("plugins/platforms/libqxcb.so"), *plugin_dir.glob("lib/libQt6XcbQpa.so.*")]
    if objdump is None or not plugins:
        pytest.skip("objdump (binutils) or PySide6's X11 plugin is not installed here")
    needed: set[str] = set()
    for library in plugins:
        dump = subprocess.run([objdump, "-p", str(library)], capture_output=True, text=True, check=True).stdout
        needed |= set(re.findall(r"NEEDED\s+lib(\S+?)\.so", dump))
    # Qt's own, the C/C++ runtime, and X11/xcb themselves (there whenever there is an X display).
    always_there = {"c", "m", "stdc++", "gcc_s", "X11", "xcb", "gthread-2.0"}
    dev = load_dev_script()
    checked = set(dev.QT_LIBS) | set(dev.QT_XCB_LIBS)
    assert sorted(n for n in needed if not n.startswith("Qt6") and n not in always_there | checked) == []
