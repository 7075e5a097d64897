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
from pathlib import Path
from typing import IO


class OwnerLease:
    """This process's lock file, held until ``release``."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.token = f"{os.getpid()}-{secrets.token_hex(6)}"
        self.path = folder / f"{self.token}.lock"
        self._handle: IO[bytes] | None = open(self.path, "wb")  # noqa: SIM115 - held open while the lease lasts
        if not _lock(self._handle):
            self._handle.close()
            raise OSError(f"could not lock {self.path}")

    def release(self) -> None:
        if self._handle is None:
            return
        self._handle.close()  # closing drops the lock
        self._handle = None
        with contextlib.suppress(OSError):  # a later start removes it
            self.path.unlink()


def owner_alive(folder: Path, token: str) -> bool:
    """True while the process that holds ``token``'s lease is running."""
    if not token or "/" in token or "\\" in token or token.startswith("."):
        return False
    path = folder / f"{token}.lock"
    try:
        handle = open(path, "r+b")  # noqa: SIM115
    except FileNotFoundError:
        return False
    except OSError:
        return True  # cannot tell: leave its attempts alone
    try:
        return not _lock(handle)
    finally:
        handle.close()


def forget(folder: Path, token: str) -> None:
    with contextlib.suppress(OSError):
        (folder / f"{token}.lock").unlink()


def _lock(handle: IO[bytes]) -> bool:
    """Take an exclusive lock without waiting; False when another open file holds it."""
    try:
        if sys.platform == "win32":
            import msvcrt

            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)  # per open file: works within one process too
    except OSError:
        return False
    return True
