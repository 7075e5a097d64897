"""``call-launcher test`` and ``call-launcher check``: call-test suites and profile preflight, headless.

``test`` exits 0 when every test passed, 1 when any failed, 2 for an invalid suite (nothing placed).
``check`` exits 0 when no check failed (warnings allowed), 1 when one did, 2 for bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from launcher.cli_common import EXIT_CONFIG, EXIT_FAILED, EXIT_INVALID, EXIT_OK, positive_float, profile_secret

if TYPE_CHECKING:
    from launcher.core.profiles import Profile
    from launcher.core.suites.model import Suite, SuiteTest
    from launcher.core.suites.runner import CaseResult



def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    test = sub.add_parser(
        "test", help="run a call-test suite (TOML): place its calls and check what happened",
        description="Run the calls in a suite file and check each against its expectations. Exit 0: all "
                    "passed; 1: any failed; 2: the suite is invalid (nothing placed).",
    )
    test.add_argument("suite", metavar="SUITE.toml", help="the suite file")
    test.add_argument("--junit", metavar="FILE", help="also write the results as JUnit XML")
    test.add_argument("--json", action="store_true", help="print the results as JSON on stdout")
    test.add_argument("--only", action="append", default=[], metavar="NAME", help="run only this test (repeatable)")
    test.add_argument("--concurrency", type=_positive_int, metavar="N",
                      help="tests at once (default: the suite's, else 1)")
    test.add_argument("--sandbox-speed", type=positive_float, default=1.0, metavar="N",
                      help="built-in sandbox profiles: run the simulated clock N times faster")
    test.add_argument("--allow-prod", action="store_true", help="allow profiles marked production (PROD)")

    check = sub.add_parser("check", help="preflight a profile: credentials, From number, URLs (places no call)")
    check.add_argument("--profile", required=True, help="saved or built-in profile name")
    check.add_argument("--set", dest="values", action="append", default=[], metavar="FIELD=VALUE",
                       help="request fields to check (From, Url, ...), as for 'call'")
    check.add_argument("--secret-stdin", action="store_true", help="read the secret from standard input")
    check.add_argument("--json", action="store_true", help="machine-readable output")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= value <= 100:
        raise argparse.ArgumentTypeError("use a whole number from 1 to 100")
    return value


def all_profiles() -> dict[str, Profile]:
    from launcher.core.profiles import ProfileStore
    from launcher.sandbox.builtin_profiles import builtin_profiles

    return {p.name: p for p in [*builtin_profiles(), *ProfileStore().load()]}


def cmd_test(args: argparse.Namespace) -> int:
    from launcher.core.suites.model import InvalidSuiteError
    from launcher.core.suites.parse import load_suite

    path = Path(args.suite)
    try:
        suite = load_suite(path, all_profiles(), allow_prod=args.allow_prod)
    except InvalidSuiteError as exc:
        print(f"call-launcher: invalid suite {path} (nothing was placed):", file=sys.stderr)
        for line in exc.describe():
            print(f"  {line}", file=sys.stderr)
        return EXIT_INVALID
    if args.junit and Path(args.junit).is_dir():  # said before any call is placed, not after the run
        print(f"call-launcher: --junit {args.junit}: is a folder; give a file name, like "
              f"{Path(args.junit) / 'results.xml'}. Nothing was placed.", file=sys.stderr)
        return EXIT_INVALID
    tests = suite.tests
    if args.only:
        unknown = [name for name in args.only if suite.test(name) is None]
        if unknown:
            names = ", ".join(repr(t.name) for t in suite.tests)
            print(f"call-launcher: --only: no test named {', '.join(map(repr, unknown))}; the suite has: {names}",
                  file=sys.stderr)
            return EXIT_INVALID
        tests = [t for t in suite.tests if t.name in args.only]
    import asyncio  # loaded only when a command needs it: the parser is every command's

    return asyncio.run(_run(suite, tests, args))


async def _run(suite: Suite, tests: list[SuiteTest], args: argparse.Namespace) -> int:
    import asyncio

    from launcher.core.calls import CallService, default_timeout
    from launcher.core.history import HistoryError, HistoryStore, default_history_path
    from launcher.core.suites.junit import write_junit
    from launcher.core.suites.runner import CaseState, RunEnvironment, SuiteRunner
    from launcher.sandbox.app import sandbox_client
    from launcher.sandbox.engine import SandboxConfig

    progress = _Progress(sys.stderr, len(tests))
    try:
        history = HistoryStore(default_history_path())
    except HistoryError as exc:
        print(f"call-launcher: {str(exc).rstrip('.')}. Nothing was placed.", file=sys.stderr)
        return EXIT_CONFIG
    service = CallService(sandbox_client(SandboxConfig(speed=args.sandbox_speed), timeout=default_timeout()))
    env = RunEnvironment(service=service, history=history, secret_for=profile_secret,
                         time_scale=lambda p: args.sandbox_speed if p.builtin else 1.0)
    runner = SuiteRunner(suite, env, concurrency=args.concurrency, on_change=progress.update)
    print(f"Running {len(tests)} test(s) from {suite.name}", file=sys.stderr)
    try:
        results = await runner.run(tests)
    except asyncio.CancelledError:
        placed = runner.placed
        progress.clear()
        print(f"call-launcher: interrupted; hung up the suite's calls still going ({placed} placed).",
              file=sys.stderr)
        raise
    finally:
        await service.client.aclose()
        history.close()
    progress.clear()
    failed = sum(1 for r in results if r.state is CaseState.FAILED)
    print(f"{len(results) - failed} passed, {failed} failed", file=sys.stderr)
    code = EXIT_FAILED if failed else EXIT_OK
    if args.junit:
        try:
            write_junit(Path(args.junit), suite, results)
        except OSError as exc:
            print(f"call-launcher: --junit {args.junit}: the results could not be written: {_unwritable(exc)}.",
                  file=sys.stderr)
            code = EXIT_CONFIG
    if args.json:
        print(json.dumps({"suite": suite.name, "passed": len(results) - failed, "failed": failed,
                          "tests": [r.to_json() for r in results]}, indent=2, ensure_ascii=False))
    return code


def _unwritable(exc: OSError) -> str:
    if isinstance(exc, IsADirectoryError):
        return "it is a folder"
    if isinstance(exc, (NotADirectoryError, FileExistsError)):
        return "a part of its path is a file, not a folder"
    if isinstance(exc, PermissionError):
        return "not allowed to write there"
    return (exc.strerror or type(exc).__name__).lower()


class _Progress:
    """One line per finished test; on a terminal also a live line of what is running."""

    def __init__(self, stream: TextIO, total: int) -> None:
        self.stream = stream
        self.total = total
        self.done = 0
        self.running: list[str] = []
        self.live = stream.isatty()

    def update(self, result: CaseResult) -> None:
        from launcher.core.suites.runner import CaseState

        name = result.test.name
        if result.state is CaseState.RUNNING:
            if name not in self.running:
                self.running.append(name)
                if not self.live:
                    print(f"  running  {name}", file=self.stream, flush=True)
        elif result.state in (CaseState.PASSED, CaseState.FAILED):
            if name in self.running:
                self.running.remove(name)
            self.done += 1
            self.clear()
            call = f" [{result.call_id}]" if result.call_id else ""
            if result.state is CaseState.PASSED:
                print(f"  PASS     {name}{call}", file=self.stream, flush=True)
            else:
                print(f"  FAIL     {name}{call}: {result.reason}", file=self.stream, flush=True)
        if self.live and self.running:
            text = f"  [{self.done}/{self.total}] running: {', '.join(self.running)}"
            self.stream.write("\r\033[K" + text[:200])
            self.stream.flush()

    def clear(self) -> None:
        if self.live:
            self.stream.write("\r\033[K")
            self.stream.flush()


def run_command(args: argparse.Namespace, stdin: TextIO) -> int:
    if args.command == "test":
        return cmd_test(args)
    import asyncio

    from launcher.cli_check import cmd_check

    return asyncio.run(cmd_check(args, stdin))
