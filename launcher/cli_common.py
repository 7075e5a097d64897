"""What the CLI's command modules share: argument types, profile and secret lookup, the HTTP client, output.

``cli`` and the ``cli_*`` command modules import this; it imports none of them, so they import one way.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any, TextIO

from launcher.cli_output import print_call
from launcher.core.errors import (
    CallError,
    ProviderError,
    ResponseFormatError,
    SecretStoreError,
    TransportError,
    with_hint,
)
from launcher.core.models import Account, CallResource
from launcher.core.profiles import Profile, ProfileStore
from launcher.core.secrets import KeyringSecrets
from launcher.core.waits import parse_wait

if TYPE_CHECKING:  # httpx loads only when a call is sent
    import httpx

EXIT_OK, EXIT_FAILED, EXIT_INVALID, EXIT_CONFIG = 0, 1, 2, 5  # of ``test`` and ``check``


class UsageError(Exception):
    """Bad command-line input: reported on stderr with exit code 2."""


def __getattr__(name: str) -> Any:
    """``DEFAULT_TIMEOUT``, the call service's, made (with httpx) only when a call is sent."""
    if name == "DEFAULT_TIMEOUT":
        from launcher.core.calls import default_timeout

        return default_timeout()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 < value <= 10_000:
        raise argparse.ArgumentTypeError("use a number above 0 and at most 10000")
    return value


def wait_duration(text: str) -> float:
    try:
        return parse_wait(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None



def find_profile(name: str) -> Profile:
    """A saved profile, or one of the built-in sandbox profiles."""
    from launcher.sandbox.builtin_profiles import builtin_profiles

    for profile in builtin_profiles():
        if profile.name == name:
            return profile
    return ProfileStore().get(name)


def client_for(profile: Profile, account: Account, sandbox_speed: float) -> httpx.AsyncClient:
    from launcher.sandbox.builtin_profiles import IN_PROCESS_URL

    if (account.base_url or "").startswith(IN_PROCESS_URL):
        from launcher.sandbox.app import sandbox_client
        from launcher.sandbox.engine import SandboxConfig

        return sandbox_client(SandboxConfig(speed=sandbox_speed))
    from launcher.core.routing import new_client

    timeout = globals()["DEFAULT_TIMEOUT"] if "DEFAULT_TIMEOUT" in globals() else __getattr__("DEFAULT_TIMEOUT")
    return new_client(timeout)


def read_secret(args: argparse.Namespace, profile: Profile, stdin: TextIO) -> str | None:
    if args.secret_stdin:
        return stdin.read().strip() or None
    if profile.builtin:
        from launcher.sandbox.builtin_profiles import builtin_secret

        return builtin_secret(profile)
    if args.dry_run:
        return "dry-run"  # never shown: redacted in every dry-run output unless revealed
    secrets = KeyringSecrets()
    status = secrets.status()
    if not status.usable:
        raise SecretStoreError(f"No usable OS keyring ({status.reason}); pass the secret with --secret-stdin.")
    secret = secrets.get(profile.secret_key)
    if secret is None:
        raise SecretStoreError(f"Profile '{profile.name}' has no secret in the keyring; add it with "
                               f"'call-launcher profiles add {profile.name} --provider {profile.provider} "
                               "--secret-stdin' or pass --secret-stdin.")
    return secret


def emit(call: CallResource, as_json: bool, final: bool) -> None:
    if as_json:
        if final:
            print(json.dumps(call.to_json(), indent=2, ensure_ascii=False, default=str))
    else:
        print_call(call, sys.stdout)


def print_progress(call: CallResource, as_json: bool) -> None:
    stream = sys.stderr if as_json else sys.stdout
    outcome = f" ({call.outcome.value})" if call.outcome else ""
    print(f"  -> {call.phase.value}{outcome}  [{call.provider_status}]", file=stream, flush=True)


def report_call_error(exc: CallError, as_json: bool) -> None:
    if as_json:
        payload: dict[str, Any] = {"error": type(exc).__name__, "message": str(exc), "hint": exc.hint}
        if isinstance(exc, ProviderError):
            payload.update(exc.to_json())
        print(json.dumps(payload, indent=2, default=str))
    if isinstance(exc, ProviderError):
        print(f"call-launcher: the provider refused: {exc.describe()}", file=sys.stderr)
        if exc.field:
            print(f"  field: {exc.field}", file=sys.stderr)
        if exc.more_info:
            print(f"  more: {exc.more_info}", file=sys.stderr)
    elif isinstance(exc, TransportError):
        sent = "the request may have reached the provider" if exc.request_sent else "nothing was sent"
        said = with_hint(exc.message, exc.hint)
        if sent not in said.lower():  # say whether it left, unless the hint says so already
            said = with_hint(f"{exc.message.rstrip('.')} ({sent}).", exc.hint)
        print(f"call-launcher: {said}", file=sys.stderr)
    elif isinstance(exc, ResponseFormatError):
        print(f"call-launcher: the provider answered but the answer could not be read: {exc.message} "
              "The call may have been placed; check with the provider before calling again.", file=sys.stderr)
    else:  # refused before sending, or unforeseen: its message and what it means for the call
        print(f"call-launcher: {with_hint(str(exc), exc.hint)}", file=sys.stderr)


def profile_secret(profile: Profile) -> str | None:
    """A profile's secret: the public sandbox credential, else the OS keyring."""
    from launcher.core.errors import SecretStoreError
    from launcher.core.secrets import KeyringSecrets
    from launcher.sandbox.builtin_profiles import builtin_secret

    if profile.builtin:
        return builtin_secret(profile)
    secrets = KeyringSecrets()
    status = secrets.status()
    if not status.usable:
        raise SecretStoreError(f"No usable OS keyring ({status.reason}) for profile '{profile.name}'.")
    secret = secrets.get(profile.secret_key)
    if secret is None:
        raise SecretStoreError(f"Profile '{profile.name}' has no secret in the keyring.")
    return secret
