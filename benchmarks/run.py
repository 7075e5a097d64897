#!/usr/bin/env python3
"""Call Launcher's performance benchmarks: measured on this machine, compared with the targets.

    python3 dev.py bench                      every benchmark (a few minutes)
    python3 dev.py bench --quick              fewer repeats and shorter windows: a smoke run (< 1 min)
    python3 dev.py bench --only startup,cli   some groups: startup, cli, form, history, loop, overhead
    python3 dev.py bench --markdown FILE      also write the table as Markdown

Every group but ``startup`` runs in a fresh child process of its own (``--group NAME`` prints its
rows as JSON), so one group's imports, caches and garbage never weigh on another.  The exit code is
0 even when a target is missed: this is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, Result, child_env, fmt

GROUPS = ("startup", "cli", "form", "history", "loop", "overhead")


def run_group(name: str, quick: bool) -> list[Result]:
    """Measure one group in this process (called in the child)."""
    if name == "startup":
        import bench_startup

        return bench_startup.measure(runs=3 if quick else 9)
    if name == "cli":
        import bench_cli

        return bench_cli.measure(runs=9 if quick else 21)
    if name == "form":
        import bench_form

        return bench_form.measure(repeats=5 if quick else 30)
    if name == "history":
        import bench_history

        return bench_history.measure(repeats=3 if quick else 9, rows=100_000 if quick else 1_000_000)
    if name == "loop":
        import bench_loop

        return bench_loop.measure(live=50 if quick else 500, memory_calls=(20, 120) if quick else (100, 1000))
    if name == "overhead":
        import bench_overhead

        return bench_overhead.measure(requests=60 if quick else 400)
    raise SystemExit(f"unknown group {name!r}; choose from {', '.join(GROUPS)}")


def run_in_child(name: str, quick: bool) -> list[Result]:
    command = [sys.executable, str(Path(__file__).resolve()), "--group", name] + (["--quick"] if quick else [])
    done = subprocess.run(command, capture_output=True, text=True, env=child_env(), cwd=ROOT, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"benchmark group {name} failed:\n{done.stderr[-4000:]}")
    return [Result.from_json(row) for row in json.loads(done.stdout.strip().splitlines()[-1])]


def table(results: list[Result]) -> list[list[str]]:
    rows = [["Metric", "Measured", "Target", "Met?"]]
    for r in results:
        measured = fmt(r.measured, r.unit) + (f" ({r.detail})" if r.detail else "")
        target = f"≤ {fmt(r.target, r.unit)}" if r.target is not None else "—"
        met = "n/a" if r.met is None else ("yes" if r.met else "NO")
        rows.append([r.metric, measured, target, met])
    return rows


def plain(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def markdown(rows: list[list[str]]) -> str:
    def line(cells: list[str]) -> str:
        return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"

    return "\n".join([line(rows[0]), "|" + "---|" * len(rows[0]), *(line(row) for row in rows[1:])])


def machine() -> str:
    import os

    load = f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs{load}, Python"
            f" {platform.python_version()}, {time.strftime('%Y-%m-%d')}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, shorter windows (smoke run)")
    parser.add_argument("--only", help=f"comma-separated groups ({', '.join(GROUPS)})")
    parser.add_argument("--markdown", metavar="FILE", help="also write the table as Markdown to FILE")
    parser.add_argument("--group", help=argparse.SUPPRESS)  # internal: measure one group, print JSON
    args = parser.parse_args(argv)
    if args.group:
        print(json.dumps([r.to_json() for r in run_group(args.group, args.quick)]))
        return 0
    groups = [g.strip() for g in args.only.split(",")] if args.only else list(GROUPS)
    unknown = sorted(set(groups) - set(GROUPS))
    if unknown:
        parser.error(f"unknown group(s) {', '.join(unknown)}; choose from {', '.join(GROUPS)}")
    results: list[Result] = []
    here = machine()  # before we add to the load
    started = time.perf_counter()
    for name in groups:
        print(f"… {name}", file=sys.stderr, flush=True)
        group_started = time.perf_counter()
        results += run_group(name, args.quick) if name == "startup" else run_in_child(name, args.quick)
        print(f"  {name} took {time.perf_counter() - group_started:.0f} s", file=sys.stderr, flush=True)
    rows = table(results)
    print(plain(rows))
    print(f"\n{here}; total {time.perf_counter() - started:.0f} s{' (--quick)' if args.quick else ''}")
    if args.markdown:
        text = f"{markdown(rows)}\n\nMeasured on {here}{' with --quick' if args.quick else ''}.\n"
        Path(args.markdown).write_text(text, encoding="utf-8")
        print(f"Markdown table written to {args.markdown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
