"""``hangup``, ``status`` and ``calls``: calls known by their id, through the same core as the window.

The call service (asyncio, httpx) is imported when one of these commands runs, not with the parser:
every other command builds the same parser.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from typing import TYPE_CHECKING, Any, TextIO

from launcher import cli_common
from launcher.core.errors import CallError, ConfigError, ProviderError
from launcher.core.http import check_base_url
from launcher.core.models import Account, CallResource
from launcher.core.profiles import Profile
from launcher.core.providers import get_adapter
from launcher.core.providers.base import ProviderAdapter
from launcher.core.waits import DEFAULT_MAX_WAIT_S

if TYPE_CHECKING:
    from launcher.core.calls import CallService

EXIT_OK, EXIT_PROVIDER, EXIT_TRANSPORT, EXIT_STILL_LIVE = 0, 3, 4, 6


def add_parsers(sub: Any) -> None:
    hangup = sub.add_parser(
        "hangup", help="end a call by its id (cancels it while ringing, hangs it up once answered)",
        description="Read the call's state and send the request that ends it in that state, as the window's "
                    "Hang up does. Exit 0 when the call is ended or was already over, 3 when the provider "
                    "refuses, 4 when no usable answer came.")
    _common(hangup)
    hangup.add_argument("--json", action="store_true", help="print the call resource as JSON")

    status = sub.add_parser("status", help="show a call by its id; --wait follows it to the end")
    _common(status)
    status.add_argument("--wait", action="store_true", help="follow the call's status until it ends")
    status.add_argument("--json", action="store_true", help="print the call resource as JSON (as 'call --json')")
    status.add_argument("--max-wait", type=_max_wait, default=DEFAULT_MAX_WAIT_S, metavar="DURATION",
                        help="with --wait: stop following after this long, like 90s, 15m or 4h (default 4h)")

    calls = sub.add_parser(
        "calls", help="list the account's recent calls, as the provider lists them",
        description="Twilio, Bandwidth v2 and Catapult list recent calls (Bandwidth: the last 24 hours); "
                    "jambonz lists only calls that are still live, as it keeps no record of ended ones.")
    calls.add_argument("--profile", required=True, help="saved profile name")
    calls.add_argument("--limit", type=_limit, default=20, metavar="N", help="at most N calls (default 20)")
    calls.add_argument("--json", action="store_true", help="print the calls as a JSON array")
    calls.add_argument("--base-url", help="ask this server instead of the profile's")
    calls.add_argument("--secret-stdin", action="store_true", help="read the secret from stdin")


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("call_id", metavar="CALL_ID",
                        help="the provider's call id (Twilio CallSid, Bandwidth callId, ...)")
    parser.add_argument("--profile", required=True, help="saved profile name")
    parser.add_argument("--base-url", help="send to this server instead of the profile's")
    parser.add_argument("--secret-stdin", action="store_true", help="read the secret from stdin")


def _max_wait(text: str) -> float:
    return cli_common.wait_duration(text)


def _limit(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= value <= 1000:
        raise argparse.ArgumentTypeError("use a number from 1 to 1000")
    return value


def hangup_command(profile: Profile, call_id: str, base_url: str | None, secret_stdin: bool = False) -> str:
    """The exact ``call-launcher hangup`` command line that ends ``call_id``."""
    args = ["call-launcher", "hangup", "--profile", profile.name, call_id]
    if base_url:
        args += ["--base-url", base_url]
    if secret_stdin:
        args.append("--secret-stdin")
    return shlex.join(args)


def check_call_id(call_id: str) -> None:
    """Refuse (exit 2, nothing sent) a CALL_ID that is not one plain id: it becomes a path segment."""
    if (not call_id.strip() or call_id.strip(".") == "" or any(ch in call_id for ch in "/\\?#%")
            or any(ch.isspace() or not ch.isprintable() for ch in call_id)):
        raise cli_common.UsageError(
            f"CALL_ID {call_id!r} is not a call id: use the provider's id as it gave it (one word, "
            "no slashes, spaces or control characters, not only dots). Nothing was sent.")


def sandbox_lives_in_one_command(profile: Profile, command: str) -> str:
    """Why ``command`` cannot reach a built-in sandbox call, and how to follow one."""
    from launcher.sandbox.builtin_profiles import BUILTIN

    path = next((sandbox.base_path for sandbox in BUILTIN if sandbox.provider == profile.provider), "")
    return (f"'{command}' with the built-in sandbox profile '{profile.name}' has nothing to reach: the built-in "
            "sandbox lives only inside each command, so its calls end with the command that placed them. "
            f"Follow a sandbox call with 'call-launcher call --profile {profile.name} ... --wait', or run "
            f"'call-launcher sandbox' and pass --base-url http://127.0.0.1:8765{path} to 'call' and '{command}'. "
            "Nothing was sent.")


def status_command(profile: Profile, call_id: str, base_url: str | None, secret_stdin: bool = False) -> str:
    """The exact ``call-launcher status ... --wait`` command line that follows ``call_id`` again."""
    args = ["call-launcher", "status", "--profile", profile.name, call_id, "--wait"]
    if base_url:
        args += ["--base-url", base_url]
    if secret_stdin:
        args.append("--secret-stdin")
    return shlex.join(args)


STOPPED_FOLLOWING = "Only the launcher stopped, not the call."


def ways_on(profile: Profile, call_id: str, base_url: str | None, secret_stdin: bool = False) -> list[str]:
    """What to run after following stopped while the call went on: follow it again, or end it."""
    return [f"to follow it again: {status_command(profile, call_id, base_url, secret_stdin)}",
            f"to end it: {hangup_command(profile, call_id, base_url, secret_stdin)}"]


class _Session:
    """A profile's adapter, account and call service for one command."""

    def __init__(self, args: argparse.Namespace, stdin: TextIO) -> None:
        if getattr(args, "call_id", None) is not None:
            check_call_id(args.call_id)
        self.profile = cli_common.find_profile(args.profile)
        if self.profile.builtin and not args.base_url:
            raise cli_common.UsageError(sandbox_lives_in_one_command(self.profile, args.command))
        try:
            self.adapter: ProviderAdapter = get_adapter(self.profile.provider)
        except KeyError as exc:
            raise ConfigError(exc.args[0]) from None
        args.dry_run = False
        account: Account = self.profile.account(cli_common.read_secret(args, self.profile, stdin))
        if args.base_url:
            account = account.with_base_url(check_base_url(args.base_url))
        self.account = account
        from launcher.core.calls import CallService

        self.service: CallService = CallService(cli_common.client_for(self.profile, account, 1.0))

    async def close(self) -> None:
        await self.service.client.aclose()


async def cmd_status(args: argparse.Namespace, stdin: TextIO) -> int:
    from launcher.core.calls import FollowLimitReached, PollPolicy
    from launcher.core.remote_calls import known_by_id, look_up

    session = _Session(args, stdin)
    try:
        known = known_by_id(session.adapter, args.call_id)
        call = await look_up(session.service, session.adapter, session.account, known)
        remember(call)
        _emit(call, args.json, final=not args.wait or call.final)
        if args.wait and not call.final:
            def progress(updated: CallResource) -> None:
                        cli_common.print_progress(updated, args.json)

            policy = PollPolicy(first_delay=0.25, max_delay=2.0, max_wait=args.max_wait)
            call = await session.service.follow(session.adapter, session.account, call, progress, policy)
            remember(call)
            _emit(call, args.json, final=True)
        return EXIT_OK
    except FollowLimitReached as exc:
        _emit(exc.call, args.json, final=True)
        print(f"call-launcher: {exc.message} {STOPPED_FOLLOWING}", file=sys.stderr)
        for line in ways_on(session.profile, args.call_id, args.base_url, args.secret_stdin):
            print(f"call-launcher: {line}", file=sys.stderr)
        return EXIT_STILL_LIVE
    except CallError as exc:
        return _refused(exc, args.json, f"could not read call {args.call_id}")
    finally:
        await session.close()


async def cmd_hangup(args: argparse.Namespace, stdin: TextIO) -> int:
    from launcher.core.remote_calls import end_call, known_by_id

    session = _Session(args, stdin)
    try:
        result = await end_call(session.service, session.adapter, session.account,
                                known_by_id(session.adapter, args.call_id))
    except CallError as exc:
        return _refused(exc, args.json, f"could not end call {args.call_id}")
    finally:
        await session.close()
    remember(result.call)
    print(hangup_summary(result.call, result.already_over), file=sys.stderr if args.json else sys.stdout)
    if args.json:
        print(json.dumps(result.call.to_json() | {"already_over": result.already_over}, indent=2,
                         ensure_ascii=False, default=str))
    return EXIT_OK


def remember(call: CallResource) -> None:
    """A final state read here updates that call's attempts in the local history (the window's History)."""
    from launcher.core.history import HistoryStore, default_history_path
    from launcher.core.history_records import HistoryError

    path = default_history_path()
    if not call.final or not path.exists():
        return
    try:
        with HistoryStore(path) as history:
            history.record_known_call(call)
    except HistoryError as exc:
        print(f"call-launcher: warning: the call history was not updated: {exc}", file=sys.stderr)


def hangup_summary(call: CallResource, already_over: bool) -> str:
    how = call.outcome.value if call.outcome else call.provider_status
    if already_over:
        if call.outcome is None and call.detail:
            return f"Call {call.call_id} was already over: {call.detail}"
        return f"Call {call.call_id} was already over ({how}); nothing was sent."
    if call.final:
        return f"Call {call.call_id} ended ({how})."
    return (f"Call {call.call_id}: the provider accepted the hang-up; last seen {call.provider_status}. "
            f"Check again with: call-launcher status --profile ... {call.call_id}")


async def cmd_calls(args: argparse.Namespace, stdin: TextIO) -> int:
    from launcher.core.remote_calls import NotListable, recent_calls

    session = _Session(args, stdin)
    try:
        found = await recent_calls(session.service, session.adapter, session.account, args.limit)
    except NotListable as exc:
        print(f"call-launcher: {exc}", file=sys.stderr)
        return EXIT_PROVIDER
    except CallError as exc:
        return _refused(exc, args.json, "could not list calls")
    finally:
        await session.close()
    if args.json:
        print(json.dumps([call.to_json() for call in found], indent=2, ensure_ascii=False, default=str))
        return EXIT_OK
    if not found:
        live_only = " live" if session.adapter.id == "jambonz" else ""
        print(f"No{live_only} calls at {session.adapter.name} for profile '{session.profile.name}'.")
        return EXIT_OK
    for call in found:
        created = call.created_at.isoformat(timespec="seconds") if call.created_at else "-"
        outcome = f" ({call.outcome.value})" if call.outcome else ""
        print(f"{created}\t{call.call_id}\t{call.from_number or '-'} -> {call.to or '-'}\t"
              f"{call.phase.value}{outcome}\t[{call.provider_status}]")
    return EXIT_OK


def _emit(call: CallResource, as_json: bool, final: bool) -> None:
    cli_common.emit(call, as_json, final)


def _refused(exc: CallError, as_json: bool, what: str) -> int:
    if isinstance(exc, ProviderError):
        print(f"call-launcher: {what}.", file=sys.stderr)
    cli_common.report_call_error(exc, as_json)
    return EXIT_PROVIDER if isinstance(exc, ProviderError) else EXIT_TRANSPORT
