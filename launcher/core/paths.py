"""Where Call Launcher keeps its files: platform dirs, or one folder under $CALL_LAUNCHER_HOME."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "call-launcher"
HOME_ENV = "CALL_LAUNCHER_HOME"
PRIVATE_DIR_MODE = 0o700  # the app's data, config and log folders: their owner only
PRIVATE_FILE_MODE = 0o600  # history database, log files


def private_dir(path: Path) -> Path:
    """Create ``path`` (and missing parents) if needed and make it reachable by its owner only.

    Only the folder itself is tightened: parents that already existed (a home folder) are left as
    they are.  On systems without POSIX modes this only creates the folder."""
    path.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    if os.name == "posix" and (path.stat().st_mode & 0o777) != PRIVATE_DIR_MODE:
        os.chmod(path, PRIVATE_DIR_MODE)
    return path


def private_file(path: Path) -> Path:
    """Create ``path`` empty if it does not exist, readable and writable by its owner only."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE_MODE)
    os.close(fd)
    if os.name == "posix" and (path.stat().st_mode & 0o777) != PRIVATE_FILE_MODE:
        os.chmod(path, PRIVATE_FILE_MODE)
    return path


def _home() -> Path | None:
    value = os.environ.get(HOME_ENV)
    return Path(value).expanduser() if value else None


def config_dir() -> Path:
    home = _home()
    if home is not None:
        return home / "config"
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    home = _home()
    if home is not None:
        return home / "data"
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    home = _home()
    if home is not None:
        return home / "logs"
    import platformdirs

    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def atomic_write(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write ``data`` to ``path`` so a crash leaves either the old or the new file, never half.

    ``durable=False`` skips the fsync (5-20 ms on a busy disk): the file is still replaced whole when
    the app crashes, but a power cut may lose the last write.  Only for data that may be lost.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as handle:
        handle.write(data)
        if durable:
            handle.flush()
            os.fsync(handle.fileno())
    os.replace(tmp, path)
