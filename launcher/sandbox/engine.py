"""The provider-neutral heart of the sandbox: a clock, simulated calls and a rate limiter.

A simulated call does not run in the background: its state is worked out from the (sped-up) clock
whenever it is asked for, so the sandbox needs no tasks or timers and is deterministic in tests.
"""

from __future__ import annotations

import itertools
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from launcher.core.models import CallPhase, Outcome
from launcher.sandbox.scenarios import DEFAULT_RING_TIMEOUT, Scenario, scenario_for


class Clock:
    """Simulated seconds since the sandbox started, ``speed`` times faster than real time."""

    def __init__(self, speed: float = 1.0, monotonic: Callable[[], float] = time.monotonic) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.speed = speed
        self._monotonic = monotonic
        self._start = monotonic()
        self._start_wall = datetime.now(UTC)

    def now(self) -> float:
        return (self._monotonic() - self._start) * self.speed

    def wall(self, sim_seconds: float) -> datetime:
        return self._start_wall + timedelta(seconds=sim_seconds)


@dataclass(frozen=True)
class Snapshot:
    """A call's state at one instant, on the common timeline."""

    phase: CallPhase
    outcome: Outcome | None
    ringing_at: float | None
    answered_at: float | None
    ended_at: float | None
    ended_by: str | None  # "natural", "hangup", "cancel", "ring-timeout"


@dataclass
class SimCall:
    id: str
    provider: str
    account_id: str
    from_number: str
    to: str
    scenario: Scenario
    created: float
    ring_timeout: float
    params: dict[str, Any] = field(default_factory=dict)
    queued_until: float = 0.0  # rate-limited calls wait in the queue until then
    stopped_at: float | None = None
    stop_kind: Outcome | None = None  # outcome forced by an API update
    extra: dict[str, Any] = field(default_factory=dict)
    sequence: int = 0

    def _start(self) -> float:
        return max(self.created, self.queued_until)

    def natural(self) -> tuple[float, Outcome, str]:
        """When and how the call ends if nobody interferes."""
        start = self._start()
        sc = self.scenario
        if sc.answer_after is None:
            if sc.end_after is None:  # rings until the ring timeout
                return start + sc.ring_after + self.ring_timeout, Outcome.NO_ANSWER, "ring-timeout"
            if sc.outcome in (Outcome.BUSY, Outcome.REJECTED, Outcome.FAILED):
                return start + sc.end_after, sc.outcome, "natural"
        answer = start + (sc.answer_after or 0.0)
        ring_deadline = start + sc.ring_after + self.ring_timeout
        if sc.answer_after is not None and answer > ring_deadline:
            return ring_deadline, Outcome.NO_ANSWER, "ring-timeout"
        return start + (sc.end_after or 0.0), sc.outcome, "natural"

    def answer_time(self) -> float | None:
        if self.scenario.answer_after is None:
            return None
        answer = self._start() + self.scenario.answer_after
        end, _, how = self.natural()
        return answer if how != "ring-timeout" and answer <= end else None

    def snapshot(self, now: float) -> Snapshot:
        start = self._start()
        natural_end, natural_outcome, how = self.natural()
        end, outcome, ended_by = natural_end, natural_outcome, how
        if self.stopped_at is not None and self.stopped_at < natural_end:
            end, outcome, ended_by = self.stopped_at, self.stop_kind or Outcome.CANCELED, "hangup"
        rings = self.scenario.outcome is not Outcome.FAILED or self.scenario.answer_after is not None
        ring_at = start + self.scenario.ring_after if rings else None
        answer_at = self.answer_time()
        if answer_at is not None and answer_at >= end:
            answer_at = None
        if ring_at is not None and ring_at >= end:
            ring_at = None
        if now >= end:
            return Snapshot(CallPhase.ENDED, outcome, ring_at, answer_at, end, ended_by)
        if answer_at is not None and now >= answer_at:
            return Snapshot(CallPhase.ANSWERED, None, ring_at, answer_at, None, None)
        if ring_at is not None and now >= ring_at:
            return Snapshot(CallPhase.RINGING, None, ring_at, None, None, None)
        return Snapshot(CallPhase.QUEUED, None, None, None, None, None)

    def stop(self, now: float, outcome: Outcome) -> None:
        """End the call now through the API (hang up, cancel, reject)."""
        if self.snapshot(now).phase is CallPhase.ENDED:
            return
        self.stopped_at = now
        self.stop_kind = outcome


@dataclass
class SandboxConfig:
    speed: float = 1.0
    rate_limit: bool = False
    calls_per_second: float = 1.0  # per account, when rate limiting is on
    max_ended_calls: int = 1000  # ended calls kept for fetches; the oldest are forgotten first


class RateLimiter:
    """A token bucket per key in real time; ``take`` answers how long to wait (0 = go now)."""

    def __init__(self, per_second: float, burst: int = 1) -> None:
        self.per_second = per_second
        self.burst = burst
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(key, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.per_second)
            if tokens >= 1:
                self._buckets[key] = (tokens - 1, now)
                return 0.0
            self._buckets[key] = (tokens, now)
            return (1 - tokens) / self.per_second

    def reserve(self, key: str) -> float:
        """Like take, but always takes a slot: returns the delay until that slot (Twilio's queue)."""
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(key, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.per_second) - 1
            self._buckets[key] = (tokens, now)
            return 0.0 if tokens >= 0 else -tokens / self.per_second


class Engine:
    """All simulated calls of one sandbox, shared by every provider's routes."""

    def __init__(self, config: SandboxConfig | None = None, clock: Clock | None = None) -> None:
        self.config = config or SandboxConfig()
        self.clock = clock or Clock(self.config.speed)
        self.limiter = RateLimiter(self.config.calls_per_second)
        self.calls: dict[tuple[str, str], SimCall] = {}
        self.create_requests = 0  # how many create requests reached the sandbox (tests count them)
        self._counter = itertools.count(1)
        self._lock = threading.Lock()

    def new_id(self, prefix: str = "", length: int = 32, hexdigits: bool = True) -> str:
        token = secrets.token_hex(length // 2 + 1)[:length] if hexdigits else secrets.token_urlsafe(length)[:length]
        return prefix + token

    def create(
        self, provider: str, account_id: str, call_id: str, from_number: str, to: str,
        ring_timeout: float | None = None, params: dict[str, Any] | None = None, queue_delay: float = 0.0,
    ) -> SimCall:
        now = self.clock.now()
        call = SimCall(
            id=call_id, provider=provider, account_id=account_id, from_number=from_number, to=to,
            scenario=scenario_for(to), created=now,
            ring_timeout=float(ring_timeout) if ring_timeout else DEFAULT_RING_TIMEOUT,
            params=dict(params or {}), queued_until=now + queue_delay * self.clock.speed,
            sequence=next(self._counter),
        )
        with self._lock:
            self.calls[(provider, call_id)] = call
            self._forget_oldest_ended(now)
        return call

    def _forget_oldest_ended(self, now: float) -> None:
        """Keep at most ``max_ended_calls`` ended calls (``calls`` is in creation order); live ones always stay."""
        if len(self.calls) <= self.config.max_ended_calls:
            return
        ended = [key for key, call in self.calls.items() if call.snapshot(now).phase is CallPhase.ENDED]
        for key in ended[: max(len(ended) - self.config.max_ended_calls, 0)]:
            del self.calls[key]

    def get(self, provider: str, call_id: str) -> SimCall | None:
        return self.calls.get((provider, call_id))

    def count_create(self) -> None:
        with self._lock:
            self.create_requests += 1
