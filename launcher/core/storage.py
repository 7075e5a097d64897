"""What went wrong with a file the app keeps, in one line that names the folder and the fix.

Every storage fault (disk full, a file locked by another program, a file where a folder belongs or
the other way round, a folder that cannot be written) becomes one sentence for people: the CLI prints
it and exits 5, the window shows it and turns Call off while an attempt cannot be recorded.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

from launcher.core.paths import HOME_ENV

_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY, _SQLITE_FULL, _SQLITE_CANTOPEN = 5, 6, 8, 13, 14
_FULL = (errno.ENOSPC, errno.EDQUOT) if hasattr(errno, "EDQUOT") else (errno.ENOSPC,)
_NOT_WRITABLE = (errno.EACCES, errno.EPERM, errno.EROFS)
MOVE_HOME = f"or set {HOME_ENV} to a writable folder"


def storage_problem(what: str, path: Path, exc: BaseException | None = None, action: str = "written") -> str:
    """``what`` ("The call history") at ``path`` cannot be used: one line with the reason and the fix;
    ``action`` ("written", "opened") says what failed when the reason is none of the known ones."""
    folder = path.parent
    blocker = _file_in_the_way(path)
    if blocker is not None:
        return (f"{what} cannot be kept in {blocker.parent}: {blocker} is a file where a folder is expected. "
                f"Move that file away, {MOVE_HOME}.")
    if path.is_dir():
        return (f"{what} cannot be opened: {path} is a folder, not a file. Move that folder away, {MOVE_HOME}.")
    kind = _kind(exc)
    if kind == "full":
        return (f"{what} in {folder} cannot be written: the disk is full. Free some space on that disk, "
                f"{MOVE_HOME} on another disk.")
    if kind == "locked":
        return (f"{what} in {folder} is locked by another program. Close the program that holds "
                f"{path.name} (or the other Call Launcher) and try again.")
    if kind == "not writable":
        return (f"{what} in {folder} cannot be written: the folder or file is read-only. Make {folder} "
                f"writable, {MOVE_HOME}.")
    detail = f" ({_plain(exc)})" if exc is not None else ""
    return f"{what} in {folder} cannot be {action}{detail}. Check that folder, {MOVE_HOME}."


def _kind(exc: BaseException | None) -> str | None:
    if isinstance(exc, sqlite3.Error):
        code = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
        text = str(exc).lower()
        if code == _SQLITE_FULL or "disk is full" in text:
            return "full"
        if code in (_SQLITE_BUSY, _SQLITE_LOCKED) or "locked" in text:
            return "locked"
        if code in (_SQLITE_READONLY, _SQLITE_CANTOPEN) or "readonly" in text or "unable to open" in text:
            return "not writable"
    if isinstance(exc, OSError):
        if exc.errno in _FULL:
            return "full"
        if exc.errno in _NOT_WRITABLE:
            return "not writable"
    if exc is not None and exc.__cause__ is not None and exc.__cause__ is not exc:
        return _kind(exc.__cause__)
    return None


def _file_in_the_way(path: Path) -> Path | None:
    """The nearest ancestor of ``path`` that exists and is not a folder, if any."""
    for parent in path.parents:
        try:
            if parent.exists():
                return None if parent.is_dir() else parent
        except OSError:
            return None
    return None


def _plain(exc: BaseException | None) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc)


def probe_folder(what: str, folder: Path) -> str | None:
    """None when files can be made in ``folder``; otherwise the problem, in one line.  Changes nothing:
    a probe file is made and removed in ``folder``, or in its nearest existing parent when it does not
    exist yet (the app makes it when first needed)."""
    existing = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if existing is None or not existing.is_dir():
        return storage_problem(what, folder / "probe")
    probe = existing / f".call-launcher-write-test-{os.getpid()}"
    try:
        with open(probe, "wb") as handle:
            handle.write(b"ok")
        probe.unlink()
    except OSError as exc:
        return storage_problem(what, folder / "probe", exc)
    return None
