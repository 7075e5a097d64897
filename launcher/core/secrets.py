"""Secrets live only in the OS keyring; this module is the one door to it.

Profiles store a key name, never a value.  A keyring backend that would keep secrets in a plain
file, or no backend at all, is refused: the CLI then declines to save, and the window offers
session-only memory with a warning.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from launcher.core.errors import SecretStoreError

SERVICE = "call-launcher"
# Backends that are not a real OS keyring: they fail, forget or write plaintext files.
REFUSED_BACKENDS: dict[str, str] = {
    # module prefix of a keyring backend we refuse -> what it is, in the user's words
    "keyring.backends.fail": "a keyring that stores nothing",
    "keyring.backends.null": "a keyring that throws secrets away",
    "keyrings.alt.file.PlaintextKeyring": "a plain-text file",
    "keyrings.alt.file": "a file on disk instead of the desktop's keyring",
    "keyrings.alt.Gnome": "an outdated GNOME keyring library",
    "keyring_insecure_backend": "an insecure stand-in keyring",
}


class SecretBackend(Protocol):
    def get(self, key: str) -> str | None: ...
    def set(self, key: str, value: str) -> None: ...
    def delete(self, key: str) -> None: ...
    def describe(self) -> str: ...

    @property
    def persistent(self) -> bool: ...


@dataclass(frozen=True)
class BackendStatus:
    usable: bool
    name: str
    reason: str = ""


def keyring_status(backend: Any = None) -> BackendStatus:
    """Whether the OS keyring (or ``backend``) is one we may store secrets in, and its name."""
    try:
        import keyring
        from keyring.backends import chainer

        backend = backend or keyring.get_keyring()
    except Exception as exc:  # keyring's own import can fail on a broken desktop session
        return BackendStatus(False, "none", f"the keyring library failed to load: {exc}")
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    if isinstance(backend, chainer.ChainerBackend) and not backend.backends:
        return BackendStatus(False, name, "no keyring service is running on this desktop")
    refused = next((words for prefix, words in REFUSED_BACKENDS.items() if name.startswith(prefix)), None)
    if refused is not None:
        return BackendStatus(False, name, f"the keyring set up here is {refused}, which would lose secrets "
                             "or write them to a plain file")
    try:
        priority = float(backend.priority)
    except Exception as exc:
        return BackendStatus(False, name, f"it reports it cannot run here: {exc}")
    if priority <= 0:
        return BackendStatus(False, name, "it reports it cannot run here")
    return BackendStatus(True, getattr(backend, "name", name))


class KeyringSecrets:
    """Secrets in the OS keyring under service ``call-launcher``."""

    persistent = True

    def __init__(self, backend: Any = None) -> None:
        self._backend = backend
        self._status: BackendStatus | None = None

    def status(self) -> BackendStatus:
        if self._status is None:
            self._status = keyring_status(self._backend)
        return self._status

    def _ring(self) -> Any:
        status = self.status()
        if not status.usable:
            raise SecretStoreError(f"No usable OS keyring ({status.name}): {status.reason}.")
        if self._backend is not None:
            return self._backend
        import keyring

        return keyring.get_keyring()

    def describe(self) -> str:
        status = self.status()
        return status.name if status.usable else f"unavailable ({status.reason})"

    def get(self, key: str) -> str | None:
        try:
            secret: str | None = self._ring().get_password(SERVICE, key)
            return secret
        except SecretStoreError:
            raise
        except Exception as exc:
            raise SecretStoreError(f"The OS keyring refused to read '{key}': {exc}") from exc

    def set(self, key: str, value: str) -> None:
        try:
            self._ring().set_password(SERVICE, key, value)
        except SecretStoreError:
            raise
        except Exception as exc:
            # The key is an internal name and the backend's text an exclamation: say what happened instead.
            if "lock" in str(exc).lower() or type(exc).__name__ == "KeyringLocked":
                raise SecretStoreError("the keyring is locked and was not unlocked.", locked=True) from exc
            raise SecretStoreError(f"the keyring refused to store it ({type(exc).__name__}).") from exc

    def delete(self, key: str) -> None:
        try:
            import keyring.errors

            self._ring().delete_password(SERVICE, key)
        except SecretStoreError:
            raise
        except keyring.errors.PasswordDeleteError:
            return
        except Exception as exc:
            raise SecretStoreError(f"The OS keyring refused to delete '{key}': {exc}") from exc


class SessionSecrets:
    """Memory-only secrets for when no keyring works: gone when the app quits, never written."""

    persistent = False

    def __init__(self) -> None:
        self._values: dict[str, str] = {}

    def describe(self) -> str:
        return "session memory only (forgotten on quit)"

    def get(self, key: str) -> str | None:
        return self._values.get(key)

    def set(self, key: str, value: str) -> None:
        self._values[key] = value

    def delete(self, key: str) -> None:
        self._values.pop(key, None)
