"""Following a call: poll its state until it ends, backing off while nothing changes.

The loop itself only sleeps, fetches and reports; :class:`_Pacing` makes the decisions — how long to
wait next, which refusals and failures to ride out (a brief 404 right after creation, 429/5xx honouring
Retry-After, a few transport failures) and when the overall limit (``PollPolicy.max_wait``) has passed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from launcher.core.errors import CallError, ProviderError, ResponseFormatError, TransportError
from launcher.core.models import CallResource
from launcher.core.providers.base import ProviderAdapter
from launcher.core.waits import DEFAULT_MAX_WAIT_S, format_wait, parse_wait

__all__ = ["DEFAULT_MAX_WAIT_S", "FollowLimitReached", "PollPolicy", "follow_call", "format_wait", "parse_wait"]

RETRYABLE_STATUSES = (429, 500, 502, 503, 504)

UpdateCallback = Callable[[CallResource], Awaitable[None] | None]
Fetch = Callable[[CallResource], Awaitable[CallResource]]


@dataclass(frozen=True)
class PollPolicy:
    """How often to ask for a call's state: starts fast, backs off, tolerates a few failures."""

    first_delay: float = 0.5
    max_delay: float = 5.0
    factor: float = 1.5
    not_found_grace: int = 5  # 404s tolerated right after creation (Bandwidth answers 404 briefly)
    max_failures: int = 6  # consecutive transport failures before giving up
    max_retry_after: float = 60.0  # a provider's Retry-After is honoured up to this many seconds
    max_polls: int = 100_000
    max_wait: float | None = DEFAULT_MAX_WAIT_S  # seconds of following before giving up (None: no limit)


class FollowLimitReached(CallError):
    """Following stopped at the overall limit while the call was not final; ``call`` is the last state seen."""

    def __init__(self, call: CallResource, waited: float) -> None:
        self.call = call
        self.waited = waited
        self.message = (f"Stopped following after {format_wait(waited)}: the call was still {call.phase.value} "
                        f"(last state from the provider: {call.provider_status or 'none'}).")
        self.hint = "Only the launcher stopped, not the call; refresh it or check it with the provider."
        super().__init__(f"{self.message} {self.hint}")


class _Pacing:
    """The follow loop's decisions: the next delay, and whether a failed fetch is ridden out."""

    def __init__(self, policy: PollPolicy, give_up_at: float | None) -> None:
        self.policy = policy
        self.give_up_at = give_up_at
        self.delay = policy.first_delay
        self.failures = 0  # consecutive failed fetches
        self.not_found = 0  # 404s so far

    def next_delay(self, current: CallResource, now: float) -> float:
        """How long to wait before the next fetch; FollowLimitReached once ``max_wait`` has passed."""
        if self.give_up_at is not None:
            remaining = self.give_up_at - now
            if remaining <= 0:
                raise FollowLimitReached(current, self.policy.max_wait or 0.0)
            self.delay = min(self.delay, remaining)
        return self.delay

    def _slower(self) -> float:
        return min(self.policy.max_delay, self.delay * self.policy.factor)

    def ride_out_refusal(self, exc: ProviderError) -> bool:
        """Whether to keep following after the provider refused a fetch: a 404 within the grace (the call
        is not visible yet), or a busy/overloaded answer within ``max_failures`` (waiting its Retry-After)."""
        if exc.http_status == 404 and self.not_found < self.policy.not_found_grace:
            self.not_found += 1
            return True
        if exc.http_status in RETRYABLE_STATUSES and self.failures < self.policy.max_failures:
            self.failures += 1
            asked = min(exc.retry_after or 0.0, self.policy.max_retry_after)
            self.delay = max(self.delay, asked, self._slower())
            return True
        return False

    def ride_out_failure(self) -> bool:
        """Whether to keep following after a transport failure or an unreadable answer (a fetch is safe
        to repeat) — up to ``max_failures`` in a row, backing off."""
        self.failures += 1
        if self.failures > self.policy.max_failures:
            return False
        self.delay = self._slower()
        return True

    def answered(self, changed: bool) -> None:
        """A fetch succeeded: fast again after a change, slower while nothing changes."""
        self.failures = 0
        self.delay = self.policy.first_delay if changed else self._slower()


async def follow_call(fetch: Fetch, adapter: ProviderAdapter, call: CallResource,
                      on_update: UpdateCallback | None, policy: PollPolicy) -> CallResource:
    """Poll with ``fetch`` until the call reaches a final state; returns the last known resource.  Raises
    FollowLimitReached when ``policy.max_wait`` passes first."""
    loop = asyncio.get_running_loop()
    pacing = _Pacing(policy, None if policy.max_wait is None else loop.time() + policy.max_wait)
    current = call
    for _ in range(policy.max_polls):
        if current.final:
            return current
        await asyncio.sleep(pacing.next_delay(current, loop.time()))
        try:
            updated = await fetch(current)
        except ProviderError as exc:
            gone = adapter.call_gone(current) if exc.http_status == 404 else None
            if gone is not None:  # the provider forgets ended calls: this one ended
                await _report(on_update, gone)
                return gone
            if pacing.ride_out_refusal(exc):
                continue
            raise
        except (TransportError, ResponseFormatError):
            if pacing.ride_out_failure():
                continue
            raise
        changed = (updated.provider_status, updated.phase) != (current.provider_status, current.phase)
        current = updated
        pacing.answered(changed)
        if changed:
            await _report(on_update, current)
    return current


async def _report(on_update: UpdateCallback | None, call: CallResource) -> None:
    if on_update is not None:
        result = on_update(call)
        if asyncio.iscoroutine(result):
            await result
