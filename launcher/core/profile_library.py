"""Profiles and their secrets together: what the window's profile selector and editor talk to."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from launcher.core.errors import SecretStoreError
from launcher.core.logs import register_secret
from launcher.core.models import Account
from launcher.core.paths import atomic_write
from launcher.core.profiles import Profile, ProfileStore
from launcher.core.secrets import BackendStatus, KeyringSecrets, SessionSecrets


class ProfileManager:
    """Saved profiles (file) + built-in ones (sandbox) + secrets (keyring, or session memory).

    With no usable keyring the manager keeps secrets in session memory only; ``session_only`` tells
    the window to say so, clearly, wherever a secret is entered.
    """

    def __init__(
        self,
        store: ProfileStore,
        keyring: KeyringSecrets | None = None,
        builtins: Callable[[], list[Profile]] = list,
        builtin_secret: Callable[[Profile], str | None] = lambda profile: None,
    ) -> None:
        self.store = store
        self.keyring = keyring or KeyringSecrets()
        self.session = SessionSecrets()
        self._builtins = builtins
        self._builtin_secret = builtin_secret
        self.load_problem: str | None = None

    def keyring_status(self) -> BackendStatus:
        return self.keyring.status()

    @property
    def session_only(self) -> bool:
        return not self.keyring_status().usable

    def secrets_description(self) -> str:
        status = self.keyring_status()
        if status.usable:
            return f"OS keyring ({status.name})"
        return f"session memory only — no usable OS keyring: {status.reason}"

    def all(self) -> list[Profile]:
        """Built-in profiles first, then saved ones; an unreadable file is reported via load_problem."""
        from launcher.core.errors import ConfigError

        try:
            saved = self.store.load()
            self.load_problem = self.store.skipped_note
        except ConfigError as exc:
            self.load_problem = str(exc)
            saved = []
        return self._builtins() + saved

    def find(self, profile_id: str) -> Profile | None:
        return next((p for p in self.all() if p.id == profile_id), None)

    def save(self, profile: Profile, secret: str | None, *, session_only: bool = False) -> None:
        """Save settings to the file and ``secret`` (when given) to the keyring or session memory;
        ``session_only`` keeps the secret in memory even with a keyring (the person chose so when
        the keyring refused it).  When the keyring refuses, nothing is saved (SecretStoreError)."""
        if profile.builtin:
            raise ValueError("built-in profiles cannot be changed")
        if secret:
            if self.session_only or session_only:
                self.session.set(profile.secret_key, secret)
            else:
                self.keyring.set(profile.secret_key, secret)
        self.store.upsert(profile)

    @property
    def _values_path(self) -> Path:
        return self.store.path.with_name("last_values.json")

    def last_values(self, profile: Profile) -> dict[str, Any]:
        """The form values last used with ``profile`` (never secrets), or {}."""
        try:
            data = json.loads(self._values_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        values = data.get(profile.id) if isinstance(data, dict) else None
        return values if isinstance(values, dict) else {}

    def remember_values(self, profile: Profile, values: dict[str, Any]) -> None:
        """Keep the form's last values for ``profile``; the caller has removed secret fields."""
        try:
            data = json.loads(self._values_path.read_text(encoding="utf-8"))
            if not isinstance(data, dict):
                data = {}
        except (OSError, ValueError):
            data = {}
        data[profile.id] = values
        # Written on every Call and profile switch, from the GUI thread: no fsync (a convenience, not a record),
        # and a folder that cannot be written only costs the form its remembered values.
        with contextlib.suppress(OSError):
            atomic_write(self._values_path, json.dumps(data, indent=1, ensure_ascii=False).encode("utf-8"),
                         durable=False)

    def delete(self, profile: Profile) -> None:
        if profile.builtin:
            raise ValueError("built-in profiles cannot be deleted")
        self.store.remove(profile.name)
        self.session.delete(profile.secret_key)
        if not self.session_only:
            self.keyring.delete(profile.secret_key)

    def secret_for(self, profile: Profile) -> str | None:
        if profile.builtin:
            return self._builtin_secret(profile)
        value = self.session.get(profile.secret_key)
        if value is None and not self.session_only:
            try:
                value = self.keyring.get(profile.secret_key)
            except SecretStoreError:
                value = None
        register_secret(value)
        return value

    def has_secret(self, profile: Profile) -> bool:
        return bool(self.secret_for(profile))

    def account(self, profile: Profile) -> Account:
        return profile.account(self.secret_for(profile))
