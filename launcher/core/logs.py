"""Logging to a rotating file in the platform log dir, with secrets scrubbed from every record.

Secrets are registered as they are read (profile secrets, ``--secret-stdin``) with the one scrubber
(:mod:`launcher.core.scrub`); the filter passes every record through it before it is formatted.
Nothing secret reaches the log file even at debug level, and the file is readable by its owner only.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

from launcher.core.paths import PRIVATE_FILE_MODE, log_dir, private_dir
from launcher.core.scrub import REDACTED, register_basic_auth, register_secret, scrub

LEVELS = ("debug", "info", "warning", "error")
LOG_FILE = "call-launcher.log"
__all__ = ["LEVELS", "LOG_FILE", "REDACTED", "RedactingFilter", "register_basic_auth", "register_secret", "scrub",
           "setup_logging"]


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = scrub(record.getMessage())
        record.msg = message
        record.args = None
        if record.exc_info:
            formatted = logging.Formatter().formatException(record.exc_info)
            record.exc_text = scrub(formatted)
            record.exc_info = None
        return True


def setup_logging(level: str = "info", directory: Path | None = None) -> Path:
    """Send the app's log records (and httpx's) to a rotating file; return its path."""
    if level.lower() not in LEVELS:
        raise ValueError(f"log level must be one of {', '.join(LEVELS)}")
    folder = private_dir(directory or log_dir())
    path = folder / LOG_FILE
    handler = _PrivateRotatingFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    for existing in list(root.handlers):
        if getattr(existing, "call_launcher", False):
            root.removeHandler(existing)
            existing.close()
    handler.call_launcher = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(getattr(logging, level.upper()))
    return path


class _PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Log files (the first and each one after a rollover) are created readable by their owner only."""

    def _open(self):  # type: ignore[no-untyped-def]
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE_MODE)
        os.chmod(self.baseFilename, PRIVATE_FILE_MODE)  # a file made before by an older version
        return open(fd, self.mode, encoding=self.encoding, errors=self.errors)
