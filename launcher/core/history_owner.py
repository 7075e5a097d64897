"""Which running app recorded an attempt, so that a later start can tell a crashed one from a live one.

Each process that records attempts holds a lease: a lock file under ``<history>.owners/``, locked
while the history is open.  Attempts carry the lease's token in ``attempts.owner``.  When an app is
killed, the operating system drops its lock; at the next start, attempts still in flight whose owner
holds no lock are ones nobody is following any more.  A second CLI or window that is placing a call
right now keeps its lock, so its attempts are left alone.  Tokens are never reused, so a recycled
process id cannot pass for a dead owner.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sys
import weakref
from pathlib import Path


class OwnerLease:
    """This process's lock file, held until ``release`` (or until the lease is garbage-collected)."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.token = f"{os.getpid()}-{secrets.token_hex(6)}"
        self.path = folder / f"{self.token}.lock"
        pending = folder / f"{self.token}.new"  # named *.lock only once locked: a sweep never sees it unlocked
        fd = os.open(pending, os.O_RDWR | os.O_CREAT, 0o600)
        if not _lock(fd):
            os.close(fd)
            raise OSError(f"could not lock {pending}")
        self._closer = weakref.finalize(self, os.close, fd)  # closing the descriptor drops the lock
        try:
            os.replace(pending, self.path)
        except OSError:
            self._closer()
            raise

    def release(self) -> None:
        if not self._closer.alive:
            return
        self._closer()
        with contextlib.suppress(OSError):  # a later start removes it
            self.path.unlink()


def owner_alive(folder: Path, token: str) -> bool:
    """True while the process that holds ``token``'s lease is running."""
    if not token or "/" in token or "\\" in token or token.startswith("."):
        return False
    try:
        fd = os.open(folder / f"{token}.lock", os.O_RDWR)
    except FileNotFoundError:
        return False
    except OSError:
        return True  # cannot tell: leave its attempts alone
    try:
        return not _lock(fd)
    finally:
        os.close(fd)


def sweep(folder: Path) -> None:
    """Remove the lease files of apps that are no longer running (a crash leaves its file behind)."""
    try:
        names = [path.stem for path in folder.glob("*.lock")]
    except OSError:
        return
    for token in names:
        if not owner_alive(folder, token):
            forget(folder, token)


def forget(folder: Path, token: str) -> None:
    with contextlib.suppress(OSError):
        (folder / f"{token}.lock").unlink()


def _lock(fd: int) -> bool:
    """Take an exclusive lock without waiting; False when another open file holds it."""
    try:
        if sys.platform == "win32":
            import msvcrt

            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # per open file: works within one process too
    except OSError:
        return False
    return True
