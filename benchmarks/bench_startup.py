"""Cold start to the first painted window: Call Launcher vs a bare PySide6 window, fresh processes.

Each start is a new ``python benchmarks/startup_child.py`` with offscreen Qt and a fresh, empty
$CALL_LAUNCHER_HOME; app and bare starts alternate (ABBA order) so that drift in machine load hits
both.  One uncounted start of each comes first: it writes the bytecode caches (to a private
PYTHONPYCACHEPREFIX, as an installed app has them) and warms the OS file cache.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import Result, child_env, median

CHILD = Path(__file__).resolve().parent / "startup_child.py"
TIMEOUT_S = 60


def start_once(mode: str, workdir: Path, size: str | None = None) -> tuple[float, str, float | None]:
    """Seconds from spawning the child to its 'painted' line, the window size it reported, and (app
    only) seconds to its 'usable' line: the form took a typed key once the deferred start-up was done."""
    home = Path(tempfile.mkdtemp(prefix=f"{mode}-", dir=workdir))
    env = child_env(home, workdir / "pycache")
    if size:
        env["BENCH_WIDTH"], env["BENCH_HEIGHT"] = size.split("x")
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, str(CHILD), mode], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=env, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    painted = time.perf_counter() - started
    usable = None
    if mode == "app" and line.startswith("painted "):
        usable_line = process.stdout.readline()
        usable = time.perf_counter() - started
        if usable_line.strip() != "usable":
            _, err = process.communicate(timeout=TIMEOUT_S)
            raise RuntimeError(f"the app never became usable: {usable_line.strip()}\n{err[-3000:]}")
    _, err = process.communicate(timeout=TIMEOUT_S)
    if not line.startswith("painted "):
        raise RuntimeError(f"the {mode} start did not paint a window:\n{err[-3000:]}")
    return painted, line.split()[1], usable


def measure(runs: int) -> list[Result]:
    with tempfile.TemporaryDirectory(prefix="cl-bench-start-") as tmp:
        workdir = Path(tmp)
        _, size, _ = start_once("app", workdir)  # warm-up; the bare window gets the app's default size
        start_once("bare", workdir, size)
        times: dict[str, list[float]] = {"app": [], "bare": [], "usable": []}
        for i in range(runs):
            order = ("app", "bare") if i % 2 == 0 else ("bare", "app")
            for mode in order:
                painted, _, usable = start_once(mode, workdir, size)
                times[mode].append(painted)
                if usable is not None:
                    times["usable"].append(usable)
    app, bare, usable = (median(times[k]) * 1000 for k in ("app", "bare", "usable"))
    return [
        Result("Cold start to first paint (ratio to a bare PySide6 window)", app / bare, "×", 1.4,
               f"app {app:.0f} ms ({spread_ms(times['app'])}) vs bare {bare:.0f} ms ({spread_ms(times['bare'])}),"
               f" medians of {runs} alternating fresh starts each, {size} offscreen"),
        Result("Cold start until the form takes typing (ratio to a bare window's first paint)", usable / bare,
               "×", 2.0, f"app usable {usable:.0f} ms ({spread_ms(times['usable'])}) vs bare first paint {bare:.0f} ms,"
               f" same {runs} pairs; usable = deferred start-up done and a key sent to To shows there"),
    ]


def spread_ms(seconds: list[float]) -> str:
    values = [s * 1000 for s in seconds]
    if len(values) < 4:
        return f"range {min(values):.0f}–{max(values):.0f}"
    q = statistics.quantiles(values, n=4)
    return f"IQR {q[0]:.0f}–{q[2]:.0f}, range {min(values):.0f}–{max(values):.0f}"
