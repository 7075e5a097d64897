"""Running a suite: each test places at most one call through the same :class:`Dialer` as ``call --wait``.

Tests run ``concurrency`` at a time; each profile's ``per_profile`` and ``calls_per_second`` limits
are honoured.  A test that outlives its timeout is hung up and fails; ``hang_up_after`` hangs up on
purpose.  Cancelling :meth:`SuiteRunner.run` (Ctrl+C) hangs up every call it placed that is still going.

Times: a built-in sandbox profile runs its clock ``time_scale`` times faster, so the runner waits
``seconds / time_scale`` of real time for a suite's ``seconds``, and measures in the sandbox's time.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from launcher.core.attempts import Dialer, LiveCall
from launcher.core.calls import CallService, PollPolicy
from launcher.core.errors import LauncherError, ProviderError
from launcher.core.history import HistoryStore
from launcher.core.models import CallPhase, CallResource
from launcher.core.profiles import Profile
from launcher.core.providers import get_adapter
from launcher.core.suites.model import REFUSED, Expectation, Suite, SuiteTest, format_duration

HANGUP_GRACE_S = 10.0  # after a hang-up, how long (suite time) to wait for the provider to report the end
MIN_POLL_S = 0.01  # a sped-up sandbox is polled at its own pace, but never more often than this


class CaseState(enum.StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    PASSED = "passed"
    FAILED = "failed"


@dataclass
class CaseResult:
    test: SuiteTest
    state: CaseState = CaseState.PENDING
    reasons: list[str] = field(default_factory=list)
    attempt_id: int | None = None
    call_id: str | None = None
    outcome: str | None = None  # the call's outcome, or "refused"
    provider_state: str | None = None
    error_code: str | None = None
    http_status: int | None = None
    answered_after: float | None = None  # seconds from creation to answer
    duration: float | None = None  # seconds talking
    elapsed: float = 0.0  # real seconds the test took
    hung_up: bool = False

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.test.name, "state": self.state.value, "reason": self.reason or None,
            "profile": self.test.profile.name, "attempt_id": self.attempt_id, "call_id": self.call_id,
            "outcome": self.outcome, "provider_state": self.provider_state, "error_code": self.error_code,
            "http_status": self.http_status, "answered_after": self.answered_after, "duration": self.duration,
            "elapsed": round(self.elapsed, 3), "hung_up_by_suite": self.hung_up,
        }


@dataclass
class RunEnvironment:
    """What a run needs from its front end: where to send, the secrets, the history."""

    service: CallService
    history: HistoryStore
    secret_for: Callable[[Profile], str | None]
    time_scale: Callable[[Profile], float] = lambda profile: 1.0
    poll: PollPolicy = field(default_factory=lambda: PollPolicy(first_delay=0.25, max_delay=2.0))


ResultCallback = Callable[[CaseResult], None]


class _ProfileGate:
    """One profile's limits: calls in progress, and spacing between new calls (real time)."""

    def __init__(self, per_profile: int | None, calls_per_second: float | None) -> None:
        self.slots = asyncio.Semaphore(per_profile) if per_profile else None
        self.interval = 1.0 / calls_per_second if calls_per_second else 0.0
        self.next_start = 0.0
        self.lock = asyncio.Lock()

    async def pace(self) -> None:
        async with self.lock:
            wait = self.next_start - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            self.next_start = time.monotonic() + self.interval


class SuiteRunner:
    def __init__(self, suite: Suite, env: RunEnvironment, *, concurrency: int | None = None,
                 on_change: ResultCallback | None = None) -> None:
        self.suite = suite
        self.env = env
        self.concurrency = max(1, concurrency or suite.concurrency)
        self.on_change = on_change or (lambda result: None)
        self.dialer = Dialer(env.service, env.history, env.poll)
        self._gates: dict[str, _ProfileGate] = {}
        self._live: list[LiveCall] = []

    async def run(self, tests: list[SuiteTest] | None = None) -> list[CaseResult]:
        """Run ``tests`` (default: all); cancelled, it hangs up what it placed, then re-raises."""
        results = [CaseResult(test) for test in (tests if tests is not None else self.suite.tests)]
        slots = asyncio.Semaphore(self.concurrency)

        async def one(result: CaseResult) -> None:
            async with slots:
                await self._run_test(result)

        tasks = [asyncio.create_task(one(result)) for result in results]
        try:
            await asyncio.gather(*tasks)
        except BaseException:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await asyncio.shield(self.hang_up_all())
            raise
        return results

    def _dialer(self, scale: float) -> Dialer:
        """A dialer that polls on the profile's clock: a sandbox running N times faster is asked N times
        as often, so short-lived states (and jambonz calls, forgotten soon after they end) are seen."""
        if scale == 1.0:
            return self.dialer
        poll = self.env.poll
        scaled = replace(poll, first_delay=max(MIN_POLL_S, poll.first_delay / scale),
                         max_delay=max(MIN_POLL_S, poll.max_delay / scale))
        return Dialer(self.env.service, self.env.history, scaled)

    @property
    def placed(self) -> int:
        """How many calls this runner placed (a call id came back)."""
        return sum(1 for live in self._live if live.call is not None)

    async def hang_up_all(self) -> None:
        """Hang up every call this runner placed that has not ended."""
        going = [live for live in self._live if live.call is not None and not live.call.final]
        await asyncio.gather(*(self._hang_up(live, lambda _: None) for live in going), return_exceptions=True)

    def _gate(self, profile: Profile) -> _ProfileGate:
        if profile.name not in self._gates:
            limits = self.suite.limits
            self._gates[profile.name] = _ProfileGate(limits.per_profile, limits.calls_per_second)
        return self._gates[profile.name]

    async def _run_test(self, result: CaseResult) -> None:
        test = result.test
        result.state = CaseState.RUNNING
        self.on_change(result)
        started = time.monotonic()
        gate = self._gate(test.profile)
        try:
            async with gate.slots or contextlib.nullcontext():
                await gate.pace()
                await self._place_and_follow(result)
        except LauncherError as exc:  # no call (secret missing, bad URL): the test fails, the run goes on
            result.reasons.append(str(exc))
        result.elapsed = time.monotonic() - started
        result.state = CaseState.FAILED if result.reasons else CaseState.PASSED
        self.on_change(result)

    async def _place_and_follow(self, result: CaseResult) -> None:
        test = result.test
        scale = self.env.time_scale(test.profile)
        adapter = get_adapter(test.profile.provider)
        account = test.profile.account(self.env.secret_for(test.profile))
        request = adapter.build_create(account, test.values)
        dialer = self._dialer(scale)
        answered_seen: list[float] = []

        def changed(live: LiveCall) -> None:
            call = live.call
            if not answered_seen and call is not None and (
                    call.phase is CallPhase.ANSWERED or call.answered_at is not None):
                answered_seen.append(time.monotonic())

        live = dialer.start(test.profile, adapter, account, test.values, request)
        self.env.history.tag_test(live.attempt_id, self.suite.name, test.name)
        result.attempt_id = live.attempt_id
        self._live.append(live)
        self.on_change(result)
        created = await dialer.create(live, changed)
        created_seen = time.monotonic()
        if not created:
            self._refused(result, live)
            return
        assert live.call is not None
        result.call_id = live.call.call_id
        self.on_change(result)
        await self._follow(result, live, changed, scale, dialer)
        call = live.call
        result.outcome = call.outcome.value if call.outcome else None
        result.provider_state = call.provider_status
        result.answered_after = _answered_after(call, answered_seen, created_seen, scale)
        result.duration = _duration(call)
        _check(result, test.expect)

    async def _follow(self, result: CaseResult, live: LiveCall, changed: Callable[[LiveCall], None],
                      scale: float, dialer: Dialer) -> None:
        test = result.test
        follow = asyncio.create_task(dialer.follow(live, changed))
        try:
            timeout = test.timeout / scale
            hang_at = test.hang_up_after / scale if test.hang_up_after is not None else None
            if hang_at is not None and hang_at < timeout:
                done, _ = await asyncio.wait({follow}, timeout=hang_at)
                if not done:
                    result.hung_up = True
                    await self._hang_up(live, changed)
                    timeout = max(timeout - hang_at, HANGUP_GRACE_S / scale)
            done, _ = await asyncio.wait({follow}, timeout=timeout)
            if not done:
                result.reasons.append(f"did not end within {format_duration(test.timeout)}: hung up")
                await self._hang_up(live, changed)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(asyncio.shield(follow), HANGUP_GRACE_S / scale)
        finally:
            if not follow.done():
                follow.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await follow
        if live.error is not None and (live.call is None or not live.call.final):
            result.reasons.append(live.error_text or str(live.error))

    async def _hang_up(self, live: LiveCall, changed: Callable[[LiveCall], None]) -> None:
        """Hang up; once more if the call had moved on meanwhile (a ringing call's cancel does not end an
        answered one), as the provider's answer to the first request shows."""
        for _ in range(2):
            await self.dialer.hang_up(live, changed)
            if live.call is None or live.call.final:
                return

    def _refused(self, result: CaseResult, live: LiveCall) -> None:
        error = live.error
        expect = result.test.expect
        if isinstance(error, ProviderError):
            result.outcome = REFUSED
            result.error_code = error.code
            result.http_status = error.http_status
            if not expect.expects_refusal:
                result.reasons.append(f"the provider refused: {error.describe()}")
            _check(result, expect)
        else:
            result.reasons.append(live.error_text or "no call was placed")


def _answered_after(call: CallResource, seen: list[float], created: float, scale: float) -> float | None:
    if call.answered_at is not None and call.created_at is not None:
        return max(0.0, (call.answered_at - call.created_at).total_seconds())
    if seen:
        return max(0.0, (seen[0] - created) * scale)
    return None


def _duration(call: CallResource) -> float | None:
    if call.duration is not None:
        return call.duration
    if call.answered_at is not None and call.ended_at is not None:
        return max(0.0, (call.ended_at - call.answered_at).total_seconds())
    return None


def _check(result: CaseResult, expect: Expectation) -> None:
    """Add a reason for every expectation ``result`` does not meet."""
    reasons = result.reasons
    if expect.result is not None and result.outcome != expect.result:
        reasons.append(f"result: expected {expect.result}, got {result.outcome or 'no outcome'}")
    if expect.error_code is not None and result.error_code != expect.error_code:
        reasons.append(f"error_code: expected {expect.error_code}, got {result.error_code or 'none'}")
    if expect.http_status is not None and result.http_status != expect.http_status:
        reasons.append(f"http_status: expected {expect.http_status}, got {result.http_status or 'none'}")
    if expect.provider_state is not None and result.provider_state != expect.provider_state:
        reasons.append(f"provider_state: expected {expect.provider_state}, got {result.provider_state or 'none'}")
    if expect.answered_within is not None:
        if result.answered_after is None:
            reasons.append(f"answered_within {format_duration(expect.answered_within)}: the call was not answered")
        elif result.answered_after > expect.answered_within:
            reasons.append(f"answered_within {format_duration(expect.answered_within)}: answered after "
                           f"{result.answered_after:g} s")
    for key, low in (("min_duration", True), ("max_duration", False)):
        limit = getattr(expect, key)
        if limit is None:
            continue
        if result.duration is None:
            reasons.append(f"{key} {format_duration(limit)}: the call's duration is not known")
        elif (result.duration < limit) if low else (result.duration > limit):
            reasons.append(f"{key} {format_duration(limit)}: the call lasted {result.duration:g} s")
