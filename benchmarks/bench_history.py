"""The call history at a million rows: open (after a clean close and after a crash), search, insert.

The history file is built once per run (synthetic attempts like the tests', spread over ten
profiles, four providers and every status) in the file format before the search index, then opened once by the
current code, which migrates it (builds the search index): that migration is timed and reported.
The measuring happens in a fresh child process (``history_child.py``), so that the memory figure is
the view's own.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from common import Result, child_env, median

ROWS = 1_000_000
CHILD = Path(__file__).resolve().parent / "history_child.py"


def build_history(path: Path, rows: int = ROWS) -> float:
    """Write ``rows`` attempts in the format before the search index, then open the file with the current
    code; returns the seconds that migration took."""
    from launcher.core import history_migrations
    from launcher.core.history import Attempt, AttemptStatus, HistoryStore

    providers, statuses = ["twilio", "bandwidth", "catapult", "jambonz"], list(AttemptStatus)
    base = datetime.now(UTC).replace(microsecond=0)

    def attempt(i: int) -> Attempt:
        started = base - timedelta(seconds=i)
        return Attempt(
            id=0, started_at=started, updated_at=started, profile=f"Desk {i % 10}", profile_id=f"desk-{i % 10}",
            provider=providers[i % 4], from_number="+15555551212", to=f"+1555{i:07d}", status=statuses[i % 8],
            call_id=f"call-{i:07d}", duration=float(i % 600),
            request={"method": "POST", "url": "https://api.example.com/calls", "body": f"To=%2B1555{i:07d}"},
            values={"To": f"+1555{i:07d}", "From": "+15555551212"},
        )

    shipped = list(history_migrations.MIGRATIONS)
    history_migrations.MIGRATIONS[:] = shipped[:shipped.index(history_migrations._v6)]
    try:
        with HistoryStore(path) as store:
            store.insert_attempts(attempt(i) for i in range(rows))
    finally:
        history_migrations.MIGRATIONS[:] = shipped
    started = time.perf_counter()
    HistoryStore(path).close()
    return time.perf_counter() - started


def spread(values: list[float]) -> str:
    if len(values) < 4:
        return f"range {min(values):.1f}–{max(values):.1f}"
    q = statistics.quantiles(values, n=4)
    return f"IQR {q[0]:.1f}–{q[2]:.1f}, max {max(values):.1f}"


def measure(repeats: int, rows: int = ROWS) -> list[Result]:
    with tempfile.TemporaryDirectory(prefix="cl-bench-history-") as tmp:
        path = Path(tmp) / "history.sqlite3"
        migration_s = build_history(path, rows)
        done = subprocess.run([sys.executable, str(CHILD), str(path), str(repeats)], capture_output=True,
                              text=True, env=child_env(Path(tmp) / "home"), check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the history benchmark failed:\n{done.stderr[-3000:]}")
    data = json.loads(done.stdout.strip().splitlines()[-1])
    n = f"{rows:,}".replace(",", " ")
    search = data["search_ms"]
    typed = data["typed_ms"]
    inserts = data["insert_ms"]
    return [
        Result(f"History, {n} rows: open after a clean close (store opened, view shown with its first page)",
               median(data["open_ms"]), "ms", 100.0,
               f"median of {len(data['open_ms'])}, {spread(data['open_ms'])} ms; {data['rows_loaded']} rows loaded"),
        Result(f"History, {n} rows: open after a crash (app killed mid-call; the unfinished row marked)",
               median(data["crash_open_ms"]), "ms", 100.0,
               f"median of {len(data['crash_open_ms'])}, {spread(data['crash_open_ms'])} ms; the integrity check"
               " then runs in a worker thread"),
        Result(f"History, {n} rows: search, 1 match (filter applied → first page painted; typing pause excluded)",
               median(search["rare"]), "ms", 30.0,
               f"{spread(search['rare'])} ms; 0 matches: {median(search['none']):.1f} ms; from the last keystroke,"
               f" 250 ms typing pause included: {median(typed['rare']):.0f} ms"),
        Result(f"History, {n} rows: search, 10 % match (filter applied → first page painted; typing pause"
               " excluded)", median(search["common"]), "ms", 30.0,
               f"{spread(search['common'])} ms; the exact count follows from a worker thread after"
               f" {median(data['count_ms']):.0f} ms; from the last keystroke, pause included:"
               f" {median(typed['common']):.0f} ms"),
        Result(f"History, {n} rows: durable insert (attempt committed with fsync before the request leaves)",
               median(inserts), "ms", 1.0, f"median of {len(inserts)}, {spread(inserts)} ms, with the search-index"
               f" and count triggers; alternating with it, a bare one-row SQLite commit (WAL, synchronous=FULL) on"
               f" the same disk: {median(data['floor_ms']):.1f} ms ({spread(data['floor_ms'])} ms)"),
        Result(f"History, {n} rows: memory the open view adds (RSS)", data["extra_mb"], "MB", 40.0,
               "fresh process, after a warm-up view over an empty history"),
        Result(f"History, {n} rows: one-time migration to format 6 (builds the search index)", migration_s, "s",
               None, "runs once, on the first start of this version"),
    ]
