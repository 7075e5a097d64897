#!/usr/bin/env python3
"""Set up a local environment and run Call Launcher or its checks, in one command.

    python3 dev.py start [ARGS...]   create .venv if needed, install, start the app
    python3 dev.py test [PYTEST ARGS...]  ... install with test tools, run every test
    python3 dev.py lint              ruff, mypy and the import contracts (lint-imports)
    python3 dev.py screenshots       render the window's main states into docs/screenshots/
    python3 dev.py bench             the benchmark script
    python3 dev.py mutate [MODULE]   mutation testing of core modules (validate, phone, http, ...), one at a time
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
from collections.abc import Callable
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
    "freetype": "libfreetype6",
}
# ... and every one its X11 (xcb) platform plugin links, for a desktop session on X11 (from the
# plugin's own NEEDED list; .ci/run and the README install the same packages).
QT_XCB_LIBS = {
    "xcb-cursor": "libxcb-cursor0",
    "xkbcommon-x11": "libxkbcommon-x11-0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-keysyms": "libxcb-keysyms1",
    "xcb-image": "libxcb-image0",
    "xcb-randr": "libxcb-randr0",
    "xcb-render": "libxcb-render0",
    "xcb-render-util": "libxcb-render-util0",
    "xcb-shape": "libxcb-shape0",
    "xcb-xkb": "libxcb-xkb1",
    "xcb-util": "libxcb-util1",
    "xcb-shm": "libxcb-shm0",
    "xcb-sync": "libxcb-sync1",
    "xcb-xfixes": "libxcb-xfixes0",
    "X11-xcb": "libx11-xcb1",
}


def missing_qt_packages(display: bool, find: Callable[[str], str | None] | None = None) -> list[str]:
    """The Debian packages of the libraries Qt would fail to load here (X11 ones only with a display)."""
    find = find or ctypes.util.find_library
    needed = {**QT_LIBS, **(QT_XCB_LIBS if display else {})}
    return sorted({pkg for lib, pkg in needed.items() if find(lib) is None})


def apt_line(packages: list[str]) -> str:
    return f"sudo apt install {' '.join(packages)}"


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


def check_qt_libraries(display: bool | None = None, find: Callable[[str], str | None] | None = None) -> int:
    """0 when Qt can start; else print the one apt line that fixes it and return 3, before Qt would abort."""
    if not sys.platform.startswith("linux"):
        return 0
    missing = missing_qt_packages(bool(os.environ.get("DISPLAY")) if display is None else display, find)
    if not missing:
        return 0
    print("Call Launcher's window needs system libraries that are missing here. Install them with:\n\n"
          f"  {apt_line(missing)}\n\nthen run the same command again.", file=sys.stderr)
    return 3


def run(args: list[str]) -> int:
    return subprocess.call(args, cwd=ROOT)


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "start"
    rest = argv[1:]
    if command == "start":
        ensure_env("")
        window = not rest or ":" in rest[0]  # the window (or a tel:/sip: link for it); subcommands need no Qt
        return (check_qt_libraries() if window else 0) or run([str(PYTHON), "-m", "launcher", *rest])
    if command == "test":
        ensure_env("test")
        return run([str(PYTHON), "-m", "pytest", *rest])
    if command == "lint":
        ensure_env("test")
        code = run([str(PYTHON), "-m", "ruff", "check", "launcher", "tests", "dev.py", "docs", "packaging"])
        code = run([str(PYTHON), "-m", "mypy"]) or code
        return run([str(BIN / "lint-imports"), "--no-cache"]) or code
    if command == "screenshots":
        ensure_env("test")
        code = run([str(PYTHON), "docs/make_screenshots.py"])
        return code or run([str(PYTHON), "docs/make_screenshots.py", "--dark"])
    if command == "package":
        ensure_env("package")
        return run([str(PYTHON), "packaging/build.py", *rest])
    if command == "mutate":
        ensure_env("test")
        nice = ["nice", "-n", "19"] if shutil.which("nice") else []  # CPU heavy: let everything else go first
        return run([*nice, str(PYTHON), "-m", "tests.mutation", *rest])
    if command == "bench":
        ensure_env("test")
        return run([str(PYTHON), "benchmarks/run.py", *rest])
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
