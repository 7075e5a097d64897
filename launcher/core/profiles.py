"""Saved profiles: provider + account + where its secret lives, in a versioned JSON file.

The file holds no secret.  Each profile names a keyring key (``profile/<id>``); the secret itself is
read through a secrets backend only when a request is built.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from pathlib import Path
from typing import Any

from launcher.core.errors import ConfigError, InsecureTransportError
from launcher.core.http import check_base_url
from launcher.core.models import Account
from launcher.core.paths import atomic_write, config_dir, private_dir
from launcher.core.phone import is_valid_region
from launcher.core.providers import get_adapter
from launcher.core.storage import storage_problem

FILE_VERSION = 1
NAME_RE = re.compile(r"^[\w][\w .@:+()-]{0,63}$")
COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
PRODUCTION_LABELS = frozenset({"prod", "production", "live"})
EDITABLE = ("account_id", "username", "base_url", "auth", "region", "label", "color", "call_from_links")


@dataclass
class Profile:
    name: str
    provider: str
    account_id: str = ""
    username: str = ""
    base_url: str = ""
    region: str = "US"
    label: str = ""  # a short badge, e.g. "PROD"
    color: str = ""  # "#rrggbb" shown next to the profile everywhere
    call_from_links: bool = False  # place a call straight from a tel: link (off unless chosen)
    auth: str = ""  # how to authenticate, for providers that offer a choice (AccountSpec.auth_options)
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    builtin: bool = False  # the sandbox profiles shipped with the app

    @property
    def is_production(self) -> bool:
        """Labelled as a production account ("PROD", "Production", "LIVE"): calls there are real and cost money."""
        return self.label.strip().casefold() in PRODUCTION_LABELS

    @property
    def secret_key(self) -> str:
        return f"profile/{self.id}"

    def account(self, secret: str | None) -> Account:
        return Account(
            provider=self.provider,
            account_id=self.account_id,
            secret=secret,
            username=self.username or None,
            base_url=self.base_url or None,
            auth=self.auth,
        )

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("builtin")
        return data

    @classmethod
    def from_json(cls, data: Any) -> Profile:
        """A profile from its saved form; ValueError naming every setting of the wrong type."""
        if not isinstance(data, dict):
            raise ValueError("it is not a group of settings")
        known = {f.name for f in fields(cls)} - {"builtin"}
        wrong = [name for name in sorted(known & set(data)) if not _has_type(name, data[name])]
        wrong += [name for name in ("name", "provider") if name not in data]
        if wrong:
            raise ValueError(f"wrong or missing {', '.join(wrong)}")
        return cls(**{k: v for k, v in data.items() if k in known})


def _has_type(name: str, value: Any) -> bool:
    """Every saved setting is text, except the switches (JSON true/false)."""
    if name in _SWITCHES:
        return isinstance(value, bool)
    return isinstance(value, str)


_SWITCHES = frozenset({"call_from_links"})


def profile_problems(profile: Profile) -> dict[str, str]:
    """Per-setting messages for a profile; empty when it can be saved."""
    problems: dict[str, str] = {}
    if not NAME_RE.match(profile.name):
        problems["name"] = "Use 1-64 letters, digits, spaces or . _ - @ : + ( ) for the name."
    try:
        adapter = get_adapter(profile.provider)
    except KeyError as exc:
        problems["provider"] = str(exc.args[0])
        return problems
    spec = adapter.account
    option = spec.auth_option(profile.auth)
    if profile.auth and option is None:
        choices = ", ".join(f"{o.id or 'default'} ({o.label})" for o in spec.auth_options) or "none"
        problems["auth"] = f"'{profile.auth}' is not a way {adapter.name} authenticates; choose one of: {choices}."
    username_label = option.username_label if option else spec.username_label
    if not profile.account_id.strip():
        problems["account_id"] = f"Enter the {spec.account_label}."
    elif spec.account_pattern and not re.fullmatch(spec.account_pattern, profile.account_id.strip()):
        problems["account_id"] = spec.account_hint or f"The {spec.account_label} does not look right."
    if username_label and not spec.username_defaults_to_account and not profile.username.strip():
        problems["username"] = f"Enter the {username_label}."
    if profile.base_url:
        try:
            check_base_url(profile.base_url)
        except InsecureTransportError as exc:
            problems["base_url"] = str(exc)
    elif spec.base_url_required:
        problems["base_url"] = f"{adapter.name} needs the base URL of your API server, like https://api.example.com."
    if not is_valid_region(profile.region):
        problems["region"] = f"'{profile.region}' is not a region code; use two letters such as US, GB, DE."
    if profile.color and not COLOR_RE.match(profile.color):
        problems["color"] = "Use a colour like #d32f2f."
    return problems


class ProfileStore:
    """Profiles in ``profiles.json`` under the config dir; written atomically."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or (config_dir() / "profiles.json")
        self.skipped_note: str | None = None  # saved entries the last load could not use, by name
        self._skipped: list[Any] = []  # those entries as found: written back unchanged on save

    def load(self) -> list[Profile]:
        """The saved profiles.  An unreadable file is moved aside (never deleted) and reported; an
        entry with settings of the wrong type is left out, named in ``skipped_note``, and kept in the file."""
        self.skipped_note, self._skipped = None, []
        if not self.path.exists():
            return []
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or not isinstance(data.get("profiles"), list):
                raise ValueError("it does not contain a profile list")
            version = data.get("version", 1)
            if not isinstance(version, int) or isinstance(version, bool) or version > FILE_VERSION:
                raise ValueError(f"it was written by a newer version (format {version})")
            return self._read_entries(data["profiles"])
        except (OSError, UnicodeDecodeError, ValueError, TypeError) as exc:
            backup = self._set_aside()
            raise ConfigError(
                f"The profiles file {self.path} could not be read ({exc}). It was moved to {backup}; "
                "fix or restore it from there. Starting with no saved profiles."
            ) from exc

    def _read_entries(self, items: list[Any]) -> list[Profile]:
        profiles: list[Profile] = []
        problems: list[str] = []
        for number, item in enumerate(items, 1):
            try:
                profiles.append(Profile.from_json(item))
            except ValueError as exc:
                self._skipped.append(item)
                name = item.get("name") if isinstance(item, dict) else None
                shown = f"'{name}'" if isinstance(name, str) else f"number {number}"
                problems.append(f"profile {shown} ({exc})")
        if problems:
            self.skipped_note = (
                f"Some saved profiles in {self.path} could not be used and were left out: {'; '.join(problems)}. "
                "They stay in the file as they are; fix them there."
            )
        return profiles

    def _set_aside(self) -> Path:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        backup = self.path.with_name(f"{self.path.name}.unreadable-{stamp}")
        counter = 1
        while backup.exists():
            backup = self.path.with_name(f"{self.path.name}.unreadable-{stamp}-{counter}")
            counter += 1
        self.path.rename(backup)
        return backup

    def save(self, profiles: list[Profile]) -> None:
        kept = [p.to_json() for p in profiles if not p.builtin] + self._skipped
        payload = {"version": FILE_VERSION, "profiles": kept}
        try:
            private_dir(self.path.parent)
            atomic_write(self.path, (json.dumps(payload, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
        except OSError as exc:
            raise ConfigError(storage_problem("The profiles", self.path, exc)) from exc

    def get(self, name: str) -> Profile:
        for profile in self.load():
            if profile.name == name:
                return profile
        raise ConfigError(f"No profile named '{name}'. See 'call-launcher profiles list'.")

    def upsert(self, profile: Profile) -> None:
        profiles = self.load()
        for index, existing in enumerate(profiles):
            if existing.id == profile.id or existing.name == profile.name:
                profile.id = existing.id
                profiles[index] = profile
                break
        else:
            profiles.append(profile)
        self.save(profiles)

    def remove(self, name: str) -> Profile:
        profiles = self.load()
        for profile in profiles:
            if profile.name == name:
                profiles.remove(profile)
                self.save(profiles)
                return profile
        raise ConfigError(f"No profile named '{name}'.")
