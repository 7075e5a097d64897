""""Save as test": a call from the history written as a ``[[test]]`` whose expectation is its outcome."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from launcher.core.history import Attempt, AttemptStatus
from launcher.core.paths import atomic_write
from launcher.core.suites.model import REFUSED, Expectation

_BARE = re.compile(r"[A-Za-z0-9_-]+")


def expectation_of(attempt: Attempt) -> Expectation | None:
    """What happened to ``attempt``, as an expectation; None when its outcome is not known."""
    if attempt.status is AttemptStatus.REJECTED:
        return Expectation(result=REFUSED, error_code=attempt.error_code, http_status=attempt.http_status)
    if attempt.status is AttemptStatus.ENDED and attempt.outcome:
        return Expectation(result=attempt.outcome)
    return None


def case_table(name: str, profile: str, values: dict[str, Any], expect: Expectation) -> str:
    """A ``[[test]]`` table in TOML (values written inline, as a person would)."""
    lines = ["[[test]]", f"name = {_toml(name)}", f"profile = {_toml(profile)}", f"set = {_toml(values)}"]
    if expect.to_toml():
        lines.append(f"expect = {_toml(expect.to_toml())}")
    return "\n".join(lines) + "\n"


def table_for_attempt(attempt: Attempt, name: str) -> str:
    """The ``[[test]]`` for ``attempt``; ValueError when its outcome is not known yet."""
    expect = expectation_of(attempt)
    if expect is None:
        raise ValueError(f"This call has no final outcome yet ({attempt.status.value}): nothing to expect.")
    return case_table(name, attempt.profile, attempt.values, expect)


def default_name(attempt: Attempt) -> str:
    outcome = REFUSED if attempt.status is AttemptStatus.REJECTED else (attempt.outcome or attempt.status.value)
    return f"{attempt.to or 'call'} {outcome}"


def append_test(path: Path, table: str) -> None:
    """Add ``table`` at the end of the suite in ``path`` (created if missing); the file is replaced whole."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    separator = "" if not old else ("\n" if old.endswith("\n") else "\n\n")
    atomic_write(path, (old + separator + table).encode("utf-8"))


def unique_name(wanted: str, taken: set[str]) -> str:
    name, counter = wanted, 2
    while name in taken:
        name = f"{wanted} ({counter})"
        counter += 1
    return name


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    if isinstance(value, dict):
        items = ", ".join(f"{_key(str(k))} = {_toml(v)}" for k, v in value.items() if v is not None)
        return "{ " + items + " }" if items else "{}"
    return json.dumps(str(value), ensure_ascii=False)


def _key(key: str) -> str:
    return key if _BARE.fullmatch(key) else json.dumps(key, ensure_ascii=False)
