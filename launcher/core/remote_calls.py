"""Calls known only by their id: look one up, end it, list an account's recent calls.

The command line uses these for calls placed earlier (by the window, another run, another tool);
they send the same requests as the window, through :class:`CallService`.
"""

from __future__ import annotations

from dataclasses import dataclass

from launcher.core.calls import CallService, PollPolicy
from launcher.core.errors import ProviderError
from launcher.core.models import Account, CallPhase, CallResource
from launcher.core.providers.base import ProviderAdapter

SETTLE_POLICY = PollPolicy(first_delay=0.2, max_delay=1.0, max_polls=20)  # watching an accepted hang-up land
HANGUP_ATTEMPTS = 2  # a refusal because the call changed state in between is retried once, from its new state


class NotListable(Exception):
    """The provider's API has no way to list calls."""


def known_by_id(adapter: ProviderAdapter, call_id: str) -> CallResource:
    """A call of which only the id is known (its state is read with the next fetch)."""
    return CallResource(provider=adapter.id, call_id=call_id, phase=CallPhase.UNKNOWN, provider_status="")


async def look_up(service: CallService, adapter: ProviderAdapter, account: Account, call: CallResource) -> CallResource:
    """The call as the provider describes it now.  A provider that forgets ended calls (jambonz) answers 404
    for them: that is an ended call here, not an error."""
    try:
        return await service.fetch(adapter, account, call)
    except ProviderError as exc:
        gone = adapter.call_gone(call) if exc.http_status == 404 else None
        if gone is None:
            raise
        return gone


@dataclass(frozen=True)
class HangupResult:
    call: CallResource  # the last known state
    already_over: bool  # the call had ended before the request (nothing was sent to end it)


async def end_call(service: CallService, adapter: ProviderAdapter, account: Account,
                   call: CallResource) -> HangupResult:
    """End ``call`` with the request its *current* state needs (read first, as the window's state is).

    A refusal is retried once when a fresh look shows the call changed state meanwhile (a ringing call
    answered while the cancel was on its way); a call found ended is ``already_over``.  Any other refusal
    raises the provider's ProviderError.
    """
    current = await look_up(service, adapter, account, call)
    for attempt in range(HANGUP_ATTEMPTS):
        request = adapter.build_hangup(account, current)
        if request is None:
            return HangupResult(current, already_over=attempt == 0)
        try:
            updated = await service.hangup(adapter, account, current)
        except ProviderError:
            fresh = await look_up(service, adapter, account, current)
            if fresh.final:
                return HangupResult(fresh, already_over=attempt == 0)
            if fresh.phase is current.phase or attempt + 1 == HANGUP_ATTEMPTS:
                raise
            current = fresh
            continue
        after = updated if updated is not None and updated.final else await look_up(service, adapter, account, current)
        if not after.final:  # accepted: the provider ends it within moments
            after = await service.follow(adapter, account, after, policy=SETTLE_POLICY)
        return HangupResult(after, already_over=False)
    raise AssertionError("unreachable")


async def recent_calls(service: CallService, adapter: ProviderAdapter, account: Account,
                       limit: int) -> list[CallResource]:
    """At most ``limit`` of the account's recent calls, newest first (calls without a time last)."""
    request = adapter.build_list(account, limit)
    if request is None:
        raise NotListable(f"{adapter.name}'s API has no way to list calls.")
    listed = await service.list_calls(adapter, account, request)
    dated = [(call.created_at, call) for call in listed if call.created_at is not None]
    newest_first = [call for _when, call in sorted(dated, key=lambda pair: pair[0], reverse=True)]
    return (newest_first + [call for call in listed if call.created_at is None])[:limit]
