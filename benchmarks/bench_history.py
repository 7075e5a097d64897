"""The call history at 100 000 rows: open the view, search it, and the memory the view adds.

The history file is built once per run (synthetic attempts like the tests', spread over ten
profiles, four providers and every status).  The measuring happens in a fresh child process
(``history_child.py``) so that the memory figure is the view's own.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from common import Result, child_env, median

ROWS = 100_000
CHILD = Path(__file__).resolve().parent / "history_child.py"


def build_history(path: Path, rows: int = ROWS) -> None:
    from launcher.core.history import Attempt, AttemptStatus, HistoryStore

    providers, statuses = ["twilio", "bandwidth", "catapult", "jambonz"], list(AttemptStatus)
    base = datetime.now(UTC).replace(microsecond=0)

    def attempt(i: int) -> Attempt:
        started = base - timedelta(minutes=i)
        return Attempt(
            id=0, started_at=started, updated_at=started, profile=f"Desk {i % 10}", profile_id=f"desk-{i % 10}",
            provider=providers[i % 4], from_number="+15555551212", to=f"+1555{i:07d}", status=statuses[i % 8],
            call_id=f"call-{i:06d}", duration=float(i % 600),
            request={"method": "POST", "url": "https://api.example.com/calls", "body": f"To=%2B1555{i:07d}"},
            values={"To": f"+1555{i:07d}", "From": "+15555551212"},
        )

    with HistoryStore(path) as store:
        store.insert_attempts(attempt(i) for i in range(rows))


def measure(repeats: int) -> list[Result]:
    with tempfile.TemporaryDirectory(prefix="cl-bench-history-") as tmp:
        path = Path(tmp) / "history.sqlite3"
        build_history(path)
        done = subprocess.run([sys.executable, str(CHILD), str(path), str(repeats)], capture_output=True,
                              text=True, env=child_env(Path(tmp) / "home"), check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the history benchmark failed:\n{done.stderr[-3000:]}")
    data = json.loads(done.stdout.strip().splitlines()[-1])
    opens = data["open_ms"]
    searches = {name: median(times) for name, times in data["search_ms"].items()}
    worst = max(searches, key=lambda name: searches[name])
    every = [t for times in data["search_ms"].values() for t in times]
    return [
        Result("History, 100 000 rows: open (store opened, view shown with its first page)", median(opens), "ms",
               150.0, f"max {max(opens):.0f} ms over {len(opens)} opens; {data['rows_loaded']} rows loaded"),
        Result("History, 100 000 rows: search (filter applied → first page shown)", searches[worst], "ms", 30.0,
               "; ".join(f"{name} {ms:.0f} ms" for name, ms in searches.items())
               + f"; max {max(every):.0f} ms; after the 250 ms typing pause"),
        Result("History, 100 000 rows: memory the open view adds (RSS)", data["extra_mb"], "MB", 40.0,
               "fresh process, after a warm-up view over an empty history"),
    ]
