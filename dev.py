#!/usr/bin/env python3
"""Set up a local environment and run Call Launcher or its checks, in one command.

    python3 dev.py start [ARGS...]   create .venv if needed, install, start the app
    python3 dev.py test [PYTEST ARGS...]  ... install with test tools, run every test
    python3 dev.py lint              ruff and mypy
    python3 dev.py screenshots       render the window's main states into docs/screenshots/
    python3 dev.py bench             the benchmark script
    python3 dev.py package [TARGET]  standalone build + installers: deb, tarball, linux (both), windows, macos

Needs only Python 3.11+ with venv.  Installs into ./.venv, reinstalling when pyproject.toml changes.
"""

from __future__ import annotations

import ctypes.util
import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".installed"
# Shared libraries the Qt wheels load on Linux, and the Debian packages that provide them.
QT_LIBS = {
    "EGL": "libegl1",
    "GL": "libgl1",
    "xkbcommon": "libxkbcommon0",
    "fontconfig": "libfontconfig1",
    "dbus-1": "libdbus-1-3",
    "glib-2.0": "libglib2.0-0",
}
# ... and the ones its X11 (xcb) plugin needs on top, for a desktop session on X11.
QT_XCB_LIBS = {
    "xcb-cursor": "libxcb-cursor0",
    "xkbcommon-x11": "libxkbcommon-x11-0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-keysyms": "libxcb-keysyms1",
}


def ensure_env(extras: str) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be started by an older python3
        sys.exit(f"Call Launcher needs Python 3.11 or newer (this is {sys.version.split()[0]}).")
    if not PYTHON.exists():
        print("Creating .venv ...", flush=True)
        try:
            venv.create(VENV, with_pip=True)
        except Exception as exc:  # Debian's python3 without python3-venv
            shutil.rmtree(VENV, ignore_errors=True)  # a half-made .venv would look ready next time
            sys.exit(f"Could not create a virtual environment ({exc}). On Debian/Ubuntu: "
                     "sudo apt install python3-venv")
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    have = STAMP.read_text().split() if STAMP.exists() else []
    if wanted not in have:
        print(f"Installing Call Launcher{' with ' + extras if extras else ''} into .venv ...", flush=True)
        target = f".[{extras}]" if extras else "."
        pip = [str(PYTHON), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
        subprocess.run([*pip, "--upgrade", "pip"], check=True, cwd=ROOT)
        subprocess.run([*pip, "-e", target], check=True, cwd=ROOT)
        keep = [h for h in have if h != wanted][-2:]
        STAMP.write_text(" ".join([*keep, wanted]))
    if sys.platform.startswith("linux"):
        needed = {**QT_LIBS, **(QT_XCB_LIBS if os.environ.get("DISPLAY") else {})}
        missing = sorted({pkg for lib, pkg in needed.items() if ctypes.util.find_library(lib) is None})
        if missing:
            print("warning: Qt needs system libraries that are missing here. On Debian/Ubuntu:\n"
                  f"  sudo apt install {' '.join(missing)}", file=sys.stderr)


def run(args: list[str]) -> int:
    return subprocess.call(args, cwd=ROOT)


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "start"
    rest = argv[1:]
    if command == "start":
        ensure_env("")
        return run([str(PYTHON), "-m", "launcher", *rest])
    if command == "test":
        ensure_env("test")
        return run([str(PYTHON), "-m", "pytest", *rest])
    if command == "lint":
        ensure_env("test")
        code = run([str(PYTHON), "-m", "ruff", "check", "launcher", "tests", "dev.py", "docs", "packaging"])
        return run([str(PYTHON), "-m", "mypy"]) or code
    if command == "screenshots":
        ensure_env("test")
        code = run([str(PYTHON), "docs/make_screenshots.py"])
        return code or run([str(PYTHON), "docs/make_screenshots.py", "--dark"])
    if command == "package":
        ensure_env("package")
        return run([str(PYTHON), "packaging/build.py", *rest])
    if command == "bench":
        ensure_env("test")
        return run([str(PYTHON), "benchmarks/run.py", *rest])
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
