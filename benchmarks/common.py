"""What every benchmark shares: the result row, statistics, and the environment children start in."""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Result:
    """One row of the table.  ``target`` is an upper bound (None: reported, no target)."""

    metric: str
    measured: float
    unit: str
    target: float | None = None
    detail: str = ""

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.measured <= self.target

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Result:
        return cls(**data)


def fmt(value: float, unit: str) -> str:
    if unit == "×":
        return f"{value:.2f}×"
    if abs(value) >= 100:
        return f"{value:.0f} {unit}"
    return f"{value:.1f} {unit}"


def median(values: Iterable[float]) -> float:
    return statistics.median(list(values))


def ms_since(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def timed_ms(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return ms_since(start)


def child_env(home: Path | None = None, pycache: Path | None = None) -> dict[str, str]:
    """The environment a measured child runs in: offscreen Qt and, when given, its own
    $CALL_LAUNCHER_HOME and a private bytecode cache (start-up is timed with compiled bytecode, as an
    installed app has it: PYTHONDONTWRITEBYTECODE is dropped, caches go under ``pycache``)."""
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    if home is not None:
        env["CALL_LAUNCHER_HOME"] = str(home)
    if pycache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


def rss_mb() -> float:
    """This process's resident set size now (Linux /proc; elsewhere the peak, from getrusage)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def qt_app() -> Any:
    """The QApplication for in-process Qt benchmarks (offscreen unless a platform was chosen)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0]])
    return app


def settle(app: Any, rounds: int = 3) -> None:
    """Let Qt lay out and paint what is pending (posted events, then paint)."""
    for _ in range(rounds):
        app.processEvents()
