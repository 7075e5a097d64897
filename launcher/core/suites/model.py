"""What a call-test suite is once read: tests with their request values and expectations."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from launcher.core.errors import LauncherError
from launcher.core.models import Outcome
from launcher.core.profiles import Profile

REFUSED = "refused"  # ``result`` when the provider refused the create request (no call was placed)
RESULTS = (*(o.value for o in Outcome), REFUSED)
PRODUCTION_LABELS = frozenset({"prod", "production", "live"})
DEFAULT_TIMEOUT_S = 120.0
_DURATION = re.compile(r"(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s)?")


def parse_duration(text: object) -> float:
    """``"90s"``, ``"2m"``, ``"1h"``, ``"1m30s"`` -> seconds; ValueError with the reason otherwise."""
    if isinstance(text, bool) or not isinstance(text, str):
        raise ValueError(f"{text!r} is not a duration: write it as text with a unit, like \"10s\", \"2m\" or \"1h\"")
    match = _DURATION.fullmatch(text.strip())
    if not text.strip() or match is None or not any(match.groups()):
        raise ValueError(f"{text!r} is not a duration: use a number with s, m or h, like \"10s\", \"2m\" or \"1h\"")
    hours, minutes, seconds = (float(part) if part else 0.0 for part in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def format_duration(seconds: float) -> str:
    """The suite file's spelling of ``seconds`` (``"5s"``, ``"2m"``, ``"1m30s"``)."""
    whole = round(seconds)
    if whole >= 60 and whole % 60 == 0:
        return f"{whole // 60}m"
    if whole >= 60:
        return f"{whole // 60}m{whole % 60}s"
    return f"{seconds:g}s" if seconds != whole else f"{whole}s"


def is_production(profile: Profile) -> bool:
    """A profile whose badge says it spends real money (``PROD``, ``production``, ``live``)."""
    return profile.label.strip().casefold() in PRODUCTION_LABELS


@dataclass(frozen=True)
class Expectation:
    result: str | None = None
    answered_within: float | None = None
    min_duration: float | None = None
    max_duration: float | None = None
    error_code: str | None = None
    http_status: int | None = None
    provider_state: str | None = None

    @property
    def expects_refusal(self) -> bool:
        return self.result == REFUSED or self.error_code is not None or (
            self.http_status is not None and self.http_status >= 400)

    def to_toml(self) -> dict[str, Any]:
        """The ``expect`` table as written in a suite file."""
        table: dict[str, Any] = {}
        for key in ("result", "error_code", "http_status", "provider_state"):
            if getattr(self, key) is not None:
                table[key] = getattr(self, key)
        for key in ("answered_within", "min_duration", "max_duration"):
            if getattr(self, key) is not None:
                table[key] = format_duration(getattr(self, key))
        return table


@dataclass(frozen=True)
class SuiteTest:
    name: str
    profile: Profile
    values: dict[str, Any]  # validated request values, as the form would send them
    expect: Expectation
    timeout: float = DEFAULT_TIMEOUT_S
    hang_up_after: float | None = None
    line: int = 0


@dataclass(frozen=True)
class Limits:
    per_profile: int | None = None  # calls in progress at once on one profile (None: no limit)
    calls_per_second: float | None = None  # new calls per second on one profile (None: no limit)


@dataclass
class Suite:
    path: Path
    name: str
    tests: list[SuiteTest]
    limits: Limits = field(default_factory=Limits)
    concurrency: int = 1

    def test(self, name: str) -> SuiteTest | None:
        return next((t for t in self.tests if t.name == name), None)


@dataclass(frozen=True)
class SuiteProblem:
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


class InvalidSuiteError(LauncherError):
    """The suite file cannot be run; every problem found, each with its line."""

    def __init__(self, path: Path, problems: list[SuiteProblem]) -> None:
        self.path = path
        self.problems = sorted(problems, key=lambda p: (p.line or 0))
        super().__init__(f"{path}: {len(self.problems)} problem(s)")

    def describe(self) -> list[str]:
        return [f"{self.path.name}:{p.line}: {p.message}" if p.line else f"{self.path.name}: {p.message}"
                for p in self.problems]
