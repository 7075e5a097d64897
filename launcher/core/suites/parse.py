"""Reading a suite file: TOML -> :class:`Suite`, or every problem with its line.

Nothing is placed for an invalid suite: the whole file is checked first — keys, durations,
profiles, production safety, and each test's request against its provider's schema — and all
problems are reported together.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from launcher.core.assign import apply_assignments
from launcher.core.profiles import Profile
from launcher.core.providers import get_adapter
from launcher.core.suites.model import (
    DEFAULT_TIMEOUT_S,
    RESULTS,
    Expectation,
    InvalidSuiteError,
    Limits,
    Suite,
    SuiteProblem,
    SuiteTest,
    is_production,
    parse_duration,
)
from launcher.core.suites.toml_lines import KeyPath, key_lines, line_of
from launcher.core.validate import validate

TOP_KEYS = ("name", "defaults", "limits", "test")
DEFAULT_KEYS = ("profile", "timeout", "hang_up_after", "set")
TEST_KEYS = ("name", "profile", "timeout", "hang_up_after", "set", "expect")
LIMIT_KEYS = ("concurrency", "per_profile", "calls_per_second")
EXPECT_KEYS = ("result", "answered_within", "min_duration", "max_duration", "error_code", "http_status",
               "provider_state")
DURATION_KEYS = ("timeout", "hang_up_after", "answered_within", "min_duration", "max_duration")
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column \d+\)$")


def load_suite(path: Path, profiles: Mapping[str, Profile], *, allow_prod: bool = False) -> Suite:
    """The suite in ``path``; ``profiles`` are the usable ones by name (built-in and saved)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidSuiteError(path, [SuiteProblem(None, unreadable_reason(path, exc))]) from None
    return parse_suite(text, path, profiles, allow_prod=allow_prod)


def unreadable_reason(path: Path, exc: OSError | UnicodeDecodeError) -> str:
    """Why ``path`` cannot be read as a suite, in words rather than the system's error number."""
    if isinstance(exc, UnicodeDecodeError):
        return f"is not UTF-8 text (byte {exc.start + 1} cannot be read); a suite file is TOML text."
    if isinstance(exc, IsADirectoryError) or (isinstance(exc, PermissionError) and path.is_dir()):
        return "is a folder, not a suite file."
    if isinstance(exc, (FileNotFoundError, NotADirectoryError)):
        return "no such file."
    if isinstance(exc, PermissionError):
        return "you are not allowed to read this file (check its permissions)."
    return f"cannot be read ({(exc.strerror or type(exc).__name__).lower()})."


def parse_suite(text: str, path: Path, profiles: Mapping[str, Profile], *, allow_prod: bool = False) -> Suite:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _TOML_POSITION.search(message)
        line = int(match.group(1)) if match else None
        reason = _TOML_POSITION.sub("", message)
        raise InvalidSuiteError(path, [SuiteProblem(line, f"This is not valid TOML: {reason}.")]) from None
    reader = _Reader(key_lines(text), profiles, allow_prod)
    suite = reader.suite(data, path)
    if reader.problems:
        raise InvalidSuiteError(path, reader.problems)
    return suite


class _Reader:
    def __init__(self, lines: dict[KeyPath, int], profiles: Mapping[str, Profile], allow_prod: bool) -> None:
        self.lines = lines
        self.profiles = profiles
        self.allow_prod = allow_prod
        self.problems: list[SuiteProblem] = []

    def problem(self, path: KeyPath, message: str) -> None:
        self.problems.append(SuiteProblem(line_of(self.lines, path), message))

    def table(self, data: Any, path: KeyPath, allowed: tuple[str, ...], what: str) -> dict[str, Any]:
        if not isinstance(data, dict):
            self.problem(path, f"'{_dotted(path)}' must be a table ({what}).")
            return {}
        for key in data:
            if key not in allowed:
                self.problem((*path, key), f"Unknown key '{key}' in {what}; use one of: {', '.join(allowed)}.")
        return data

    def duration(self, data: dict[str, Any], key: str, path: KeyPath) -> float | None:
        if key not in data:
            return None
        try:
            seconds = parse_duration(data[key])
        except ValueError as exc:
            self.problem((*path, key), f"{key}: {exc}.")
            return None
        if seconds <= 0 and key in ("timeout", "hang_up_after"):
            self.problem((*path, key), f"{key} must be longer than 0 s.")
            return None
        return seconds

    def suite(self, data: dict[str, Any], path: Path) -> Suite:
        self.table(data, (), TOP_KEYS, "the suite")
        defaults = self.table(data.get("defaults", {}), ("defaults",), DEFAULT_KEYS, "[defaults]")
        default_set = defaults.get("set", {})
        if not isinstance(default_set, dict):
            self.problem(("defaults", "set"), "set must be a table of field = value.")
            default_set = {}
        default_timeout = self.duration(defaults, "timeout", ("defaults",))
        default_hangup = self.duration(defaults, "hang_up_after", ("defaults",))
        limits, concurrency = self.limits(data.get("limits", {}))
        raw_tests = data.get("test", [])
        if not isinstance(raw_tests, list) or not raw_tests:
            self.problem(("test",), "The suite has no tests: add at least one [[test]] table.")
            raw_tests = []
        tests: list[SuiteTest] = []
        seen: dict[str, int | None] = {}  # a test with other problems still has its name
        for index, raw in enumerate(raw_tests):
            test = self.test(raw, index, defaults, default_set, default_timeout, default_hangup)
            name = raw.get("name") if isinstance(raw, dict) else None
            if isinstance(name, str) and name.strip():
                where: KeyPath = ("test", index, "name")
                if name.strip() in seen:
                    self.problem(where, f"Another test is already named '{name.strip()}' "
                                 f"(line {seen[name.strip()]}); names must differ.")
                    continue
                seen[name.strip()] = line_of(self.lines, where)
            if test is not None:
                tests.append(test)
        name = data.get("name", path.stem)
        if not isinstance(name, str) or not name.strip():
            self.problem(("name",), "name must be non-empty text.")
            name = path.stem
        return Suite(path=path, name=name.strip(), tests=tests, limits=limits, concurrency=concurrency)

    def limits(self, raw: Any) -> tuple[Limits, int]:
        data = self.table(raw, ("limits",), LIMIT_KEYS, "[limits]")
        values: dict[str, float | None] = {}
        for key in LIMIT_KEYS:
            value = data.get(key)
            if value is None:
                values[key] = None
            elif isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0 or (
                    key != "calls_per_second" and not isinstance(value, int)):
                kind = "a number above 0" if key == "calls_per_second" else "a whole number above 0"
                self.problem(("limits", key), f"{key} must be {kind}, not {value!r}.")
                values[key] = None
            else:
                values[key] = value
        per_profile = values["per_profile"]
        concurrency = values["concurrency"]
        return (Limits(per_profile=int(per_profile) if per_profile else None,
                       calls_per_second=values["calls_per_second"]),
                int(concurrency) if concurrency else 1)

    def test(self, raw: Any, index: int, defaults: dict[str, Any], default_set: dict[str, Any],
             default_timeout: float | None, default_hangup: float | None) -> SuiteTest | None:
        at: KeyPath = ("test", index)
        count = len(self.problems)
        data = self.table(raw, at, TEST_KEYS, "a [[test]]")
        name = data.get("name")
        if not isinstance(name, str) or not name.strip():
            self.problem((*at, "name") if "name" in data else at, "Each test needs a name (non-empty text).")
            name = f"test {index + 1}"
        timeout = self.duration(data, "timeout", at)
        hang_up_after = self.duration(data, "hang_up_after", at)
        expect = self.expectation(data.get("expect", {}), (*at, "expect"))
        profile = self.profile(data, defaults, at)
        own_set = data.get("set", {})
        if not isinstance(own_set, dict):
            self.problem((*at, "set"), "set must be a table of field = value.")
            own_set = {}
        values = self.request(profile, default_set, own_set, at) if profile is not None else None
        if len(self.problems) > count or profile is None or values is None or expect is None:
            return None
        return SuiteTest(
            name=name.strip(), profile=profile, values=values, expect=expect,
            timeout=timeout or default_timeout or DEFAULT_TIMEOUT_S,
            hang_up_after=hang_up_after if "hang_up_after" in data else default_hangup,
            line=self.lines.get(at, 0),
        )

    def profile(self, data: dict[str, Any], defaults: dict[str, Any], at: KeyPath) -> Profile | None:
        if "profile" in data:
            name, where = data["profile"], (*at, "profile")
        elif "profile" in defaults:
            name, where = defaults["profile"], ("defaults", "profile")
        else:
            self.problem(at, "No profile: set profile in the test or in [defaults].")
            return None
        if not isinstance(name, str) or name not in self.profiles:
            known = ", ".join(sorted(self.profiles)) or "none"
            self.problem(where, f"Unknown profile {name!r}; known profiles: {known}.")
            return None
        profile = self.profiles[name]
        if is_production(profile) and not self.allow_prod:
            self.problem(where, f"Profile '{name}' is marked production ({profile.label}): real calls cost money; "
                                "run with --allow-prod to place them.")
            return None
        return profile

    def expectation(self, raw: Any, at: KeyPath) -> Expectation | None:
        count = len(self.problems)
        data = self.table(raw, at, EXPECT_KEYS, "expect")
        result = data.get("result")
        if result is not None and result not in RESULTS:
            self.problem((*at, "result"), f"result {result!r} is not an outcome; use one of: {', '.join(RESULTS)}.")
        durations = {key: self.duration(data, key, at) for key in DURATION_KEYS[2:]}
        code = data.get("error_code")
        if code is not None and (isinstance(code, bool) or not isinstance(code, (str, int))):
            self.problem((*at, "error_code"), "error_code must be text or a number.")
        status = data.get("http_status")
        if status is not None and (isinstance(status, bool) or not isinstance(status, int)
                                   or not 100 <= status <= 599):
            self.problem((*at, "http_status"), f"http_status must be an HTTP status from 100 to 599, not {status!r}.")
        state = data.get("provider_state")
        if state is not None and not isinstance(state, str):
            self.problem((*at, "provider_state"), "provider_state must be text.")
        low, high = durations["min_duration"], durations["max_duration"]
        if low is not None and high is not None and low > high:
            self.problem((*at, "max_duration"), "max_duration is shorter than min_duration.")
        if len(self.problems) > count:
            return None
        return Expectation(result=result, error_code=None if code is None else str(code), http_status=status,
                           provider_state=state, **durations)

    def request(self, profile: Profile, default_set: dict[str, Any], own_set: dict[str, Any],
                at: KeyPath) -> dict[str, Any] | None:
        """The test's request values, checked as the form would check them."""
        adapter = get_adapter(profile.provider)
        where: dict[str, KeyPath] = {}
        flat: dict[str, Any] = {}
        for source, base in ((default_set, ("defaults", "set")), (own_set, (*at, "set"))):
            for field_path, (value, key_path) in _flatten(source, base).items():
                flat[field_path] = value
                where[field_path] = key_path
        assignments: list[tuple[str, str]] = []
        for field_path, value in flat.items():
            repeated = isinstance(value, list) and not any(isinstance(v, (dict, list)) for v in value)
            items = value if repeated else [value]
            assignments.extend((field_path, f"{field_path}={_text(item)}") for item in items)
        values, problems = apply_assignments(adapter.schema, [text for _, text in assignments])
        result = validate(adapter.schema, values, region=profile.region)
        for field_path, messages in problems.items():
            result.errors[field_path] = messages
        for field_path, messages in result.errors.items():
            key = _closest(field_path, where)
            place = where[key] if key else (*at, "set")
            for message in messages:
                label = field_path or "request"
                self.problem(place, f"{adapter.name} would reject this request — {label}: {message}")
        return None if result.errors else result.values


def _flatten(table: dict[str, Any], base: KeyPath) -> dict[str, tuple[Any, KeyPath]]:
    """Nested tables -> dotted field paths, each with the key path it was written at."""
    flat: dict[str, tuple[Any, KeyPath]] = {}
    for key, value in table.items():
        if isinstance(value, dict) and value:
            for sub, (item, path) in _flatten(value, (*base, key)).items():
                flat[f"{key}.{sub}"] = (item, path)
        else:
            flat[key] = (value, (*base, key))
    return flat


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        import json

        return json.dumps(value)
    return str(value)


def _closest(field_path: str, where: dict[str, KeyPath]) -> str | None:
    """The set key that wrote ``field_path`` (or a parent or child of it)."""
    if field_path in where:
        return field_path
    for key in where:
        if field_path.startswith(key + ".") or key.startswith(field_path + "."):
            return key
    return None


def _dotted(path: KeyPath) -> str:
    return ".".join(str(part) for part in path)
