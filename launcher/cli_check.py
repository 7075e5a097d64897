"""``call-launcher check --profile P``: the preflight checklist on the terminal."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

MARKS = {"ok": "ok  ", "failed": "FAIL", "warning": "warn", "skipped": "skip"}


async def cmd_check(args: argparse.Namespace, stdin: TextIO) -> int:
    from launcher.cli_common import EXIT_FAILED, EXIT_INVALID, EXIT_OK, find_profile, profile_secret
    from launcher.cli_output import print_problems
    from launcher.core.assign import apply_assignments
    from launcher.core.calls import CallService, default_timeout
    from launcher.core.preflight import CheckStatus, passed, preflight
    from launcher.core.providers import get_adapter
    from launcher.sandbox.app import sandbox_client

    profile = find_profile(args.profile)
    adapter = get_adapter(profile.provider)
    values, problems = apply_assignments(adapter.schema, args.values)
    if problems:
        print("call-launcher: --set:", file=sys.stderr)
        print_problems(problems, sys.stderr)
        return EXIT_INVALID
    secret = (stdin.read().strip() or None) if args.secret_stdin else profile_secret(profile)
    client = sandbox_client(timeout=default_timeout())
    try:
        items = await preflight(CallService(client), profile, secret, values)
    finally:
        await client.aclose()
    if args.json:
        print(json.dumps({"profile": profile.name, "passed": passed(items),
                          "checks": [item.to_json() for item in items]}, indent=2, ensure_ascii=False))
    else:
        print(f"Checking profile {profile.name} ({adapter.name})")
        width = max(len(item.name) for item in items)
        for item in items:
            print(f"  {MARKS[item.status.value]}  {item.name:<{width}}  {item.detail}")
        failed = sum(1 for item in items if item.status is CheckStatus.FAILED)
        warnings = sum(1 for item in items if item.status is CheckStatus.WARNING)
        note = f" ({warnings} warning{'s' if warnings != 1 else ''})" if warnings else ""
        print(f"{failed} check{'s' if failed != 1 else ''} failed{note}." if failed else f"Nothing failed{note}.")
    return EXIT_OK if passed(items) else EXIT_FAILED
