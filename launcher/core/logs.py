"""Logging to a rotating file in the platform log dir, with secrets scrubbed from every record.

Secrets are registered as they are read (profile secrets, ``--secret-stdin``); the filter replaces
them, their URL-encoded and Basic-auth forms, and any Authorization header value, before a record is
formatted.  Nothing secret reaches the log file even at debug level.
"""

from __future__ import annotations

import base64
import logging
import logging.handlers
import re
import threading
from pathlib import Path
from urllib.parse import quote

from launcher.core.paths import log_dir

LEVELS = ("debug", "info", "warning", "error")
LOG_FILE = "call-launcher.log"
REDACTED = "********"
_AUTH_HEADER = re.compile(r"(?i)(authorization['\"]?\s*[:=]\s*['\"]?)(basic|bearer)\s+[^\s'\",}]+")
_secrets: set[str] = set()
_lock = threading.Lock()


def register_secret(value: str | None) -> None:
    """Remember ``value`` so it is scrubbed from every log record from now on."""
    if not value or len(value) < 3:
        return
    with _lock:
        _secrets.add(value)
        _secrets.add(quote(value, safe=""))


def register_basic_auth(username: str, secret: str) -> None:
    register_secret(secret)
    register_secret(base64.b64encode(f"{username}:{secret}".encode()).decode("ascii"))


def scrub(text: str) -> str:
    text = _AUTH_HEADER.sub(lambda m: f"{m.group(1)}{m.group(2)} {REDACTED}", text)
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text


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
    folder = directory or log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_FILE
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
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
