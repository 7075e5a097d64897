"""``history``: the local call history, searched the way the window's history view searches it."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from datetime import datetime
from typing import Any

from launcher.core.history_records import CallResult, HistoryError, HistoryFilter
from launcher.core.providers import all_adapters

EXIT_CONFIG = 5
RESULTS = tuple(result.value for result in CallResult)  # the window's Result column and filter


def add_parser(sub: Any) -> None:
    history = sub.add_parser(
        "history", help="search the local call history (the window's History)",
        description="Newest first. TEXT matches To, From, profile, call ID, error and provider status, "
                    "ignoring case; a number matches however it is written (\"(555) 555-0002\" finds "
                    "+15555550002).")
    history.add_argument("text", nargs="?", default="", metavar="TEXT", help="text to search for")
    history.add_argument("--provider", choices=sorted(all_adapters()), help="only this provider's attempts")
    history.add_argument("--result", choices=RESULTS, metavar="R",
                         help=f"only attempts with this result (the window's Result column): {', '.join(RESULTS)}")
    history.add_argument("--since", type=_since, metavar="DATE",
                         help="only attempts started on or after DATE (YYYY-MM-DD or YYYY-MM-DDTHH:MM, local time)")
    history.add_argument("--limit", type=_limit, default=50, metavar="N", help="at most N attempts (default 50)")
    output = history.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="a JSON array, request and response included")
    output.add_argument("--csv", action="store_true", help="CSV with the columns of the window's export")


def _since(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: use YYYY-MM-DD or YYYY-MM-DDTHH:MM") from None
    return moment if moment.tzinfo else moment.astimezone()  # naive: the person's local time


def _limit(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("use a number of 1 or more")
    return value


def cmd_history(args: argparse.Namespace) -> int:
    from launcher.core.history import CSV_COLUMNS, HistoryStore, csv_cells, default_history_path

    result = CallResult(args.result) if args.result else None
    flt = HistoryFilter(text=args.text, provider=args.provider, result=result, since=args.since)
    try:
        with HistoryStore(default_history_path()) as store:
            if store.recovery_note:
                print(f"call-launcher: {store.recovery_note}", file=sys.stderr)
            attempts = store.query(flt, limit=args.limit)
    except HistoryError as exc:
        print(f"call-launcher: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    if args.json:
        print(json.dumps([a.to_json() for a in attempts], indent=2, ensure_ascii=False, default=str))
    elif args.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        writer.writerows(csv_cells(a) for a in attempts)
    elif not attempts:
        print("No calls in the history match." if flt.active else "The call history is empty.")
    else:
        for a in attempts:
            when = a.started_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
            mark = "  [sent without local checks]" if a.skipped_checks else ""
            error = f"  {a.error}" if a.error else ""
            print(f"{when}\t{a.profile}\t{a.from_number or '-'} -> {a.to or '-'}\t{a.result.value}\t"
                  f"{a.call_id or '-'}{mark}{error}")
    return 0
