"""Hanging up: the request that fits the call's state, and once more if the call moved on meanwhile."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from launcher.core.errors import ResponseFormatError
from launcher.core.http import HttpResponse, PreparedRequest
from launcher.core.models import Account, CallResource
from launcher.core.providers.base import ProviderAdapter
from launcher.core.transport import check_call_address

Exchange = Callable[[ProviderAdapter, PreparedRequest], Awaitable[HttpResponse]]


async def hang_up(exchange: Exchange, adapter: ProviderAdapter, account: Account,
                  call: CallResource) -> CallResource | None:
    """Send the hang-up that fits ``call``'s state.  When the answer shows the call moved on since
    (answered after we last looked: Twilio ignores "canceled" then) and is still live, send the
    request that fits the new state, once."""
    updated = await _hang_up_once(exchange, adapter, account, call)
    if updated is not None and not updated.final and updated.phase is not call.phase:
        return await _hang_up_once(exchange, adapter, account, updated) or updated
    return updated


async def _hang_up_once(exchange: Exchange, adapter: ProviderAdapter, account: Account,
                        call: CallResource) -> CallResource | None:
    """The call as the answer shows it; None when nothing was sent or the answer says nothing readable."""
    request = adapter.build_hangup(account, call)
    if request is None:
        return None
    check_call_address(request.url, adapter.calls_url(account))
    response = await exchange(adapter, request)
    if response.body.strip():
        try:
            return adapter.parse_call(response, account, call)
        except ResponseFormatError:
            return None
    return None
