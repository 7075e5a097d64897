"""The headless command line: the same core as the window, for scripts, terminals and CI.

Exit codes: 0 success, 1 unexpected failure, 2 invalid input (nothing sent), 3 the provider
refused, 4 no usable answer (network, TLS, timeout, an answer that cannot be read), 5 configuration
or keyring problem.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

from launcher import __version__, cli_calls, cli_history
from launcher.cli_common import (
    UsageError,
    client_for,
    emit,
    find_profile,
    positive_float,
    print_progress,
    read_secret,
    report_call_error,
    wait_duration,
)
from launcher.cli_output import print_problems, print_providers
from launcher.core.assign import apply_assignments
from launcher.core.errors import (
    CallError,
    ConfigError,
    InsecureTransportError,
    ProviderError,
    RequestNotSent,
    SecretStoreError,
    UnexpectedFailure,
)
from launcher.core.history_records import HistoryError
from launcher.core.http import PreparedRequest, check_base_url
from launcher.core.models import Account, CallResource
from launcher.core.profiles import EDITABLE, Profile, ProfileStore, profile_problems
from launcher.core.providers import all_adapters, get_adapter
from launcher.core.providers.base import ProviderAdapter
from launcher.core.scrub import ScrubbedStream, unscrubbed
from launcher.core.secrets import KeyringSecrets
from launcher.core.sendable import credential_problems
from launcher.core.transport import route_for
from launcher.core.unchecked import without_local_checks
from launcher.core.validate import validate
from launcher.core.waits import DEFAULT_MAX_WAIT_S

if TYPE_CHECKING:  # asyncio, httpx and the call service load only when a call is sent
    from launcher.core.calls import CallService

EXIT_OK, EXIT_FAIL, EXIT_INVALID, EXIT_PROVIDER, EXIT_TRANSPORT, EXIT_CONFIG = 0, 1, 2, 3, 4, 5
EXIT_STILL_LIVE = 6  # --wait stopped at --max-wait while the call was not over


CALL_COMMANDS = {"status": cli_calls.cmd_status, "hangup": cli_calls.cmd_hangup, "calls": cli_calls.cmd_calls}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="call-launcher",
        description="Place outbound phone calls through Twilio, Bandwidth (v2 and Catapult v1) and "
                    "Cognigy VG / jambonz, and follow them live. With no command, opens the window; "
                    "with a tel:, callto: or sip: link, opens it with To filled in.",
    )
    parser.add_argument("--version", action="version", version=f"call-launcher {__version__}")
    parser.add_argument("--log-level", choices=("debug", "info", "warning", "error"),
                        help="log detail in the log file (first argument only; secrets are always scrubbed)")
    parser.add_argument("--self-test", action="store_true",
                        help="check this installation: providers, history, one sandbox call per provider")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    providers = sub.add_parser("providers", help="list providers and every field of their create-call request")
    providers.add_argument("provider", nargs="?", help="show one provider only")
    providers.add_argument("--json", action="store_true", help="machine-readable output")

    profiles = sub.add_parser("profiles", help="list, add or remove saved profiles")
    psub = profiles.add_subparsers(dest="profiles_command", metavar="ACTION", required=True)
    plist = psub.add_parser("list", help="list saved profiles")
    plist.add_argument("--json", action="store_true")
    padd = psub.add_parser("add", help="add or replace a profile",
                           description=f"Settings for --set: {', '.join(EDITABLE)} (auth=oauth2: Bandwidth API "
                                       "credentials, the username is then the client ID). The secret (auth token, "
                                       "password, API key) is read from standard input with --secret-stdin "
                                       "and stored only in the OS keyring.")
    padd.add_argument("name")
    padd.add_argument("--provider", required=True, help="provider id (see 'call-launcher providers')")
    padd.add_argument("--set", dest="settings", action="append", default=[], metavar="KEY=VALUE")
    padd.add_argument("--secret-stdin", action="store_true", help="read the secret from standard input")
    premove = psub.add_parser("remove", help="remove a profile and its keyring secret")
    premove.add_argument("name")

    call = sub.add_parser("call", help="place a call (validated first; sent exactly once)")
    call.add_argument("--profile", required=True, help="saved profile name")
    call.add_argument("--set", dest="values", action="append", default=[], metavar="FIELD=VALUE",
                      help="a request field; dotted paths for nested fields, repeat for list items")
    call.add_argument("--base-url", help="send to this server instead of the profile's")
    call.add_argument("--secret-stdin", action="store_true", help="read the secret from stdin for this call")
    call.add_argument("--dry-run", action="store_true", help="print the exact request, send nothing")
    call.add_argument("--curl", action="store_true", help="with --dry-run: print it as a curl command")
    call.add_argument("--reveal-secrets", action="store_true", help="with --curl: include the real secrets")
    call.add_argument("--json", action="store_true", help="print the call resource as JSON")
    call.add_argument("--wait", action="store_true", help="follow the call's status until it ends")
    call.add_argument("--max-wait", type=wait_duration, default=DEFAULT_MAX_WAIT_S, metavar="DURATION",
                      help="with --wait: stop following after this long, like 90s, 15m or 4h (default 4h)")
    call.add_argument("--hangup-on-interrupt", action="store_true",
                      help="with --wait: Ctrl+C hangs the call up instead of leaving it running")
    call.add_argument("--no-validate", action="store_true",
                      help="expert: send even what the local checks refuse, so the provider answers for itself "
                           "(HTTPS, redirect, secret and send-once rules still apply; marked in the history)")
    call.add_argument("--sandbox-speed", type=positive_float, default=1.0, metavar="N",
                      help="built-in sandbox profiles: run the simulated clock N times faster")

    cli_calls.add_parsers(sub)
    cli_history.add_parser(sub)

    sandbox = sub.add_parser(
        "sandbox", help="serve the provider simulator on loopback (curl, SDKs, other apps)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Serve Twilio, Bandwidth v2, Catapult v1 and jambonz call APIs at their real paths on "
                    "this machine. Calls move through each provider's states on a clock; the destination "
                    "picks the outcome.",
        epilog=_sandbox_epilog(),
    )
    sandbox.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1, loopback only)")
    sandbox.add_argument("--port", type=_port, default=8765, help="port (default 8765; 0 picks a free one)")
    sandbox.add_argument("--speed", type=positive_float, default=1.0, metavar="N",
                         help="run the call clock N times faster (default 1)")
    sandbox.add_argument("--rate-limit", action="store_true",
                         help="enforce provider rate limits (1 call/s per account): Twilio queues, "
                              "Bandwidth answers 429, Catapult answers 403 call-rate-limit")
    from launcher.cli_suite import add_parsers

    add_parsers(sub)
    return parser


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= value <= 65_535:
        raise argparse.ArgumentTypeError(f"{value} is not a port: use 1 to 65535, or 0 for any free port")
    return value


def _sandbox_epilog() -> str:
    from launcher.sandbox.scenarios import scenario_table

    return "Outcomes by destination:\n" + scenario_table()


def main(argv: Sequence[str] | None = None, stdin: TextIO | None = None) -> int:
    """Run one command; everything it prints to stdout and stderr passes the secret scrubber."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_OK
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = ScrubbedStream(out), ScrubbedStream(err)
    try:
        return _run(parser, args, stdin)
    finally:
        sys.stdout, sys.stderr = out, err


def _run(parser: argparse.ArgumentParser, args: argparse.Namespace, stdin: TextIO | None) -> int:
    try:
        if args.command == "providers":
            return cmd_providers(args)
        if args.command == "profiles":
            return cmd_profiles(args, stdin or sys.stdin)
        if args.command == "call":
            return cmd_call(args, stdin or sys.stdin)
        if args.command in CALL_COMMANDS:
            import asyncio

            return asyncio.run(CALL_COMMANDS[args.command](args, stdin or sys.stdin))
        if args.command == "history":
            return cli_history.cmd_history(args)
        if args.command == "sandbox":
            from launcher.sandbox.serve import serve

            return serve(args.host, args.port, args.speed, args.rate_limit)
        if args.command in ("test", "check"):
            from launcher.cli_suite import run_command

            return run_command(args, stdin or sys.stdin)
    except UsageError as exc:
        print(f"call-launcher: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except InsecureTransportError as exc:
        print(f"call-launcher: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except (ConfigError, SecretStoreError, HistoryError) as exc:
        print(f"call-launcher: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        print("call-launcher: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away: the entry point ends quietly
        raise
    except Exception as exc:  # a last resort: a message and exit 1, the traceback goes to the log file
        logging.getLogger(__name__).error("unexpected failure", exc_info=exc)
        print(f"call-launcher: something unexpected went wrong ({type(exc).__name__}: {exc}).", file=sys.stderr)
        return EXIT_FAIL
    parser.error(f"unknown command {args.command}")
    return EXIT_INVALID


def cmd_providers(args: argparse.Namespace) -> int:
    adapters = all_adapters()
    if args.provider:
        try:
            adapters = {args.provider: get_adapter(args.provider)}
        except KeyError as exc:
            raise UsageError(exc.args[0]) from None
    if args.json:
        payload = [
            {
                "id": a.id,
                "name": a.name,
                "docs_url": a.docs_url,
                "account": {
                    "account_label": a.account.account_label,
                    "username_label": a.account.username_label,
                    "secret_label": a.account.secret_label,
                    "auth_scheme": a.account.auth_scheme,
                    "default_base_url": a.account.default_base_url,
                    "base_url_required": a.account.base_url_required,
                },
                "fields": a.schema.to_json(),
            }
            for a in adapters.values()
        ]
        print(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        print_providers(list(adapters.values()))
    return EXIT_OK


def cmd_profiles(args: argparse.Namespace, stdin: TextIO) -> int:
    store = ProfileStore()
    if args.profiles_command == "list":
        from launcher.sandbox.builtin_profiles import builtin_profiles

        profiles = builtin_profiles() + store.load()
        if store.skipped_note:
            print(f"call-launcher: warning: {store.skipped_note}", file=sys.stderr)
        if args.json:
            print(json.dumps([p.to_json() | {"builtin": p.builtin, "secret": "public sandbox credential"
                                              if p.builtin else "OS keyring"} for p in profiles], indent=2))
        elif not profiles:
            print("No saved profiles. Add one with: call-launcher profiles add NAME --provider ID ...")
        else:
            for p in profiles:
                badge = f" [{p.label}]" if p.label else ""
                print(f"{p.name}{badge}\t{get_adapter(p.provider).name if p.provider in all_adapters() else p.provider}"
                      f"\t{p.account_id}\t{p.base_url or '(default URL)'}")
        return EXIT_OK
    if args.profiles_command == "remove":
        if args.name.startswith("sandbox-"):
            from launcher.sandbox.builtin_profiles import builtin_profiles

            if any(p.name == args.name for p in builtin_profiles()):
                raise UsageError(f"'{args.name}' is a built-in sandbox profile: built-in profiles can't be removed.")
        removed = store.remove(args.name)
        secrets = KeyringSecrets()
        if secrets.status().usable:
            secrets.delete(removed.secret_key)
        print(f"Removed profile '{removed.name}'.")
        return EXIT_OK
    return _profiles_add(args, store, stdin)


def _profiles_add(args: argparse.Namespace, store: ProfileStore, stdin: TextIO) -> int:
    if args.name.startswith("sandbox-"):
        raise UsageError(f"'{args.name}': names starting with 'sandbox-' are kept for the built-in sandbox profiles.")
    profile = Profile(name=args.name, provider=args.provider)
    for existing in store.load():
        if existing.name == args.name:
            profile.id = existing.id
    for text in args.settings:
        key, sep, value = text.partition("=")
        key = key.strip()
        if not sep or key not in EDITABLE:
            raise UsageError(f"--set {text!r}: use KEY=VALUE with KEY one of {', '.join(EDITABLE)}.")
        if key == "call_from_links":
            setattr(profile, key, value.strip().lower() in ("1", "true", "yes", "on"))
        else:
            setattr(profile, key, value.strip())
    profile.region = profile.region.upper()
    secret = stdin.read().strip() if args.secret_stdin else ""
    if args.secret_stdin and not secret:
        raise UsageError("--secret-stdin: standard input was empty.")
    problems = profile_problems(profile) | credential_problems(profile.provider, profile.auth, profile.username, secret)
    if problems:
        print(f"call-launcher: Not saved: profile '{profile.name}' has {len(problems)} problem"
              f"{'' if len(problems) == 1 else 's'}.", file=sys.stderr)
        print_problems({f"profile.{k}": [v] for k, v in problems.items()}, sys.stderr)
        return EXIT_INVALID
    secrets = KeyringSecrets()
    if args.secret_stdin:
        status = secrets.status()
        if not status.usable:
            raise SecretStoreError(
                f"No usable OS keyring ({status.name}: {status.reason}). The profile was not saved: "
                "secrets are never written to plain files. Start a keyring service (GNOME Keyring, "
                "KWallet, macOS Keychain, Windows Credential Manager) and try again."
            )
        secrets.set(profile.secret_key, secret)
    store.upsert(profile)
    where = f" (secret in {secrets.describe()})" if args.secret_stdin else ""
    print(f"Saved profile '{profile.name}'{where}.")
    return EXIT_OK


def cmd_call(args: argparse.Namespace, stdin: TextIO) -> int:
    """Validate and build the request; print it (``--dry-run``, no event loop needed) or send it."""
    if (args.curl or args.reveal_secrets) and not args.dry_run:
        raise UsageError("--curl and --reveal-secrets go with --dry-run.")
    if args.hangup_on_interrupt and not args.wait:
        raise UsageError("--hangup-on-interrupt goes with --wait.")
    profile = find_profile(args.profile)
    try:
        adapter = get_adapter(profile.provider)
    except KeyError as exc:
        raise ConfigError(exc.args[0]) from None
    values, problems = apply_assignments(adapter.schema, args.values)
    if profile.builtin:
        _fill_sandbox_samples(profile, values)
    result = validate(adapter.schema, values, region=profile.region)
    for path, messages in problems.items():  # what the person wrote for ``path`` never reached the validator,
        result.errors[path] = messages  # so its verdict there ("To is required") would mislead
    skipped: list[str] = []
    if result.errors and args.no_validate:
        unchecked = without_local_checks(adapter.schema, values, result)
        if problems or unchecked.unsendable:
            print("Not sent: these cannot be sent even without local checks.", file=sys.stderr)
            print_problems({**unchecked.unsendable, **problems}, sys.stderr)
            return EXIT_INVALID
        skipped = unchecked.skipped
        result.values = unchecked.values
        print(f"Sending without local checks ({adapter.name} will judge these):", file=sys.stderr)
        for text in skipped:
            print(f"  skipped: {text}", file=sys.stderr)
    elif result.errors:
        print(f"Not sent: {adapter.name} would reject this request.", file=sys.stderr)
        print_problems(result.errors, sys.stderr)
        if not problems and not without_local_checks(adapter.schema, values, result).unsendable:  # else it can't help
            print("  (an engineer testing the provider itself can add --no-validate)", file=sys.stderr)
        return EXIT_INVALID
    print_problems(result.warnings, sys.stderr, prefix="warning")
    secret = read_secret(args, profile, stdin)
    account = profile.account(secret)
    if args.base_url:
        account = account.with_base_url(check_base_url(args.base_url))
    request = adapter.build_create(account, result.values)
    if args.dry_run:
        stream = unscrubbed(sys.stdout) if args.reveal_secrets else sys.stdout  # asked for in clear
        print(request.to_curl(reveal=args.reveal_secrets) if args.curl else request.describe(), file=stream)
        if not args.curl:
            print(f"\n{route_for(request.url).describe()}")
        return EXIT_OK
    import asyncio

    return asyncio.run(send_call(args, profile, adapter, account, result.values, request, skipped))


async def send_call(
    args: argparse.Namespace, profile: Profile, adapter: ProviderAdapter, account: Account, values: dict[str, Any],
    request: PreparedRequest, skipped: list[str],
) -> int:
    """Record the attempt, send the create request once, then report (and follow, with ``--wait``)."""
    import asyncio

    from launcher.core.attempts import Dialer, LiveCall
    from launcher.core.calls import CallService, PollPolicy
    from launcher.core.history import HistoryStore, default_history_path

    history = HistoryStore(default_history_path())  # every attempt lands in the window's history too
    try:
        _report_reconciled(history.mark_unfinished_as_unknown())
    except BaseException:
        history.close()
        raise
    service = CallService(client_for(profile, account, args.sandbox_speed))
    dialer = Dialer(service, history, PollPolicy(first_delay=0.25, max_delay=2.0, max_wait=args.max_wait))
    shown: list[CallResource] = []

    def progress(live: LiveCall) -> None:
        if live.call is not None and shown and live.call is not shown[-1]:
            print_progress(live.call, args.json)
        if live.call is not None:
            shown.append(live.call)

    live: LiveCall | None = None
    try:
        live = dialer.start(profile, adapter, account, values, request, skipped_checks=skipped)
        if not await dialer.create(live, progress):
            return _report_failure(live, args.json)
        assert live.call is not None
        emit(live.call, args.json, final=not args.wait)
        if args.wait:
            await dialer.follow(live, progress)
            if live.error is not None and (live.call is None or not live.call.final):
                code = _report_failure(live, args.json)
                in_process = (account.base_url or "").startswith(_in_process_url())
                if code == EXIT_STILL_LIVE and live.call is not None and not in_process:
                    for line in cli_calls.ways_on(profile, live.call.call_id, args.base_url, args.secret_stdin):
                        print(f"call-launcher: {line}", file=sys.stderr)
                return code
            assert live.call is not None
            emit(live.call, args.json, final=True)
        return EXIT_OK
    except asyncio.CancelledError:  # Ctrl+C: say what became of the call before "interrupted"
        if args.hangup_on_interrupt and live is not None and live.call is not None and not live.call.final:
            await _hang_up_on_interrupt(service, dialer, live)
        else:
            note = _interrupted_note(live, adapter.name, args.base_url, args.secret_stdin)
            print(f"call-launcher: {note}", file=sys.stderr)
        raise
    except HistoryError:
        if live is not None and live.call is not None:  # placed, then history failed: say where the call is
            note = _interrupted_note(live, adapter.name, args.base_url, args.secret_stdin)
            print(f"call-launcher: {note}", file=sys.stderr)
        raise
    finally:
        await service.client.aclose()
        history.close()


def _report_reconciled(count: int) -> None:
    """Said once: the next start finds these attempts already marked."""
    from launcher.core.history import unfinished_note

    if count:
        print(f"call-launcher: {unfinished_note(count)}", file=sys.stderr)


async def _hang_up_on_interrupt(service: CallService, dialer: Any, live: Any) -> None:
    """Ctrl+C with --hangup-on-interrupt: end the call (state-aware, as ``hangup`` does) and record it."""
    from launcher.core.remote_calls import end_call

    print(f"call-launcher: interrupted; hanging up call {live.call.call_id}...", file=sys.stderr)
    try:
        outcome = await end_call(service, live.adapter, live.account, live.call)
    except CallError as exc:
        print(f"call-launcher: the hang-up failed, the call may still be running: {exc}", file=sys.stderr)
        return
    dialer.history.record_call(live.attempt_id, outcome.call)
    print(f"call-launcher: {cli_calls.hangup_summary(outcome.call, outcome.already_over)}", file=sys.stderr)


def _interrupted_note(live: Any, provider: str, base_url: str | None = None, secret_stdin: bool = False) -> str:
    if live is None:
        return "nothing was sent."
    if live.call is None:
        return (f"stopped waiting for {provider}'s answer: the call may or may not have been placed "
                "(recorded as 'outcome unknown' in the history).")
    if live.call.final:
        return f"call {live.call.call_id} had already ended ({live.call.provider_status})."
    stopped = (f"stopped following call {live.call.call_id} (last seen: {live.call.provider_status}) at "
               f"{provider}: only the launcher stopped, not the call.")
    if (live.account.base_url or "").startswith(_in_process_url()):
        return stopped.replace("only the launcher stopped, not the call.",
                               "the built-in sandbox ends it with this process.")
    command = cli_calls.hangup_command(live.profile, live.call.call_id, base_url, secret_stdin)
    return f"{stopped} To end it: {command}"


def _in_process_url() -> str:
    from launcher.sandbox.builtin_profiles import IN_PROCESS_URL

    return IN_PROCESS_URL


def _report_failure(live: Any, as_json: bool) -> int:
    """Print why the call failed; the exit code says whether the provider refused or no answer came."""
    from launcher.core.calls import FollowLimitReached

    error = live.error
    if isinstance(error, FollowLimitReached):
        print(f"call-launcher: {error.message} Recorded as 'outcome unknown' in the history. "
              f"{cli_calls.STOPPED_FOLLOWING}", file=sys.stderr)
        return EXIT_STILL_LIVE
    if error is None:
        print(f"call-launcher: {live.error_text}", file=sys.stderr)
        return EXIT_FAIL
    if live.call is not None and isinstance(error, RequestNotSent | UnexpectedFailure):  # the call exists: lost track
        print(f"call-launcher: {live.error_text}", file=sys.stderr)
        return EXIT_TRANSPORT
    report_call_error(error, as_json)
    if isinstance(error, RequestNotSent):
        return EXIT_INVALID
    return EXIT_PROVIDER if isinstance(error, ProviderError) else EXIT_TRANSPORT


_SAMPLE_ALTERNATIVES = {"Url": ("Twiml", "ApplicationSid"), "application_sid": ("call_hook",)}  # either one


def _fill_sandbox_samples(profile: Profile, values: dict[str, Any]) -> None:
    """A built-in sandbox profile gets the sample values the window shows for the fields not ``--set``
    (never the destination: where to call is the person's choice); one line on stderr says which."""
    from launcher.sandbox.builtin_profiles import builtin_sample_values

    filled = {key: value for key, value in builtin_sample_values(profile).items()
              if key.lower() != "to" and key not in values
              and not any(other in values for other in _SAMPLE_ALTERNATIVES.get(key, ()))}
    if filled:
        values.update(filled)
        shown = ", ".join(f"{key}={value}" for key, value in filled.items())
        print(f"call-launcher: sandbox profile: using the sample values {shown} (--set a field to change it).",
              file=sys.stderr)

