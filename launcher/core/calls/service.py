"""CallService: what front ends use to create, follow, list and hang up calls.

It puts together sending (``sending.py``), OAuth tokens (``oauth_tokens.py``), the exactly-once rule
(``exactly_once.py``), the follow loop (``follow.py``) and hang-up (``hangup.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from launcher.core.calls.exactly_once import exchange
from launcher.core.calls.follow import PollPolicy, UpdateCallback, follow_call
from launcher.core.calls.hangup import hang_up
from launcher.core.calls.oauth_tokens import TokenCache
from launcher.core.calls.sending import ClientFactory, RequestSender
from launcher.core.http import HttpResponse, PreparedRequest
from launcher.core.models import Account, CallResource
from launcher.core.providers.base import ProviderAdapter
from launcher.core.transport import check_call_address

if TYPE_CHECKING:
    import httpx


class CallService(RequestSender):
    """``client``: the AsyncClient to send with, or a function that makes it on first use (so that
    starting the app does not import httpx), or None for a client of its own (closed by ``aclose``)."""

    def __init__(self, client: httpx.AsyncClient | ClientFactory | None = None,
                 timeout: httpx.Timeout | None = None, deadline: float | None = None) -> None:
        super().__init__(client, timeout, deadline)
        self._tokens = TokenCache()

    async def _exchange(
        self, adapter: ProviderAdapter, request: PreparedRequest, *, retry_unsent: bool
    ) -> HttpResponse:
        return await exchange(self.send, self._tokens, adapter, request, retry_unsent=retry_unsent)

    async def create(self, adapter: ProviderAdapter, account: Account, request: PreparedRequest) -> CallResource:
        """Send a create request built by ``adapter.build_create``: retried only if never sent."""
        response = await self._exchange(adapter, request, retry_unsent=True)
        return adapter.parse_create(response, account)

    async def fetch(self, adapter: ProviderAdapter, account: Account, call: CallResource) -> CallResource:
        request = adapter.build_fetch(account, call)
        check_call_address(request.url, adapter.calls_url(account))
        response = await self._exchange(adapter, request, retry_unsent=True)
        return adapter.parse_call(response, account, call)

    async def hangup(self, adapter: ProviderAdapter, account: Account, call: CallResource) -> CallResource | None:
        """Hang ``call`` up (see :func:`hangup.hang_up`); None when there is nothing to send or read."""
        async def send(adapter: ProviderAdapter, request: PreparedRequest) -> HttpResponse:
            return await self._exchange(adapter, request, retry_unsent=True)

        return await hang_up(send, adapter, account, call)

    async def list_calls(
        self, adapter: ProviderAdapter, account: Account, request: PreparedRequest
    ) -> list[CallResource]:
        """Send a list request built by ``adapter.build_list`` and read the calls it lists."""
        response = await self._exchange(adapter, request, retry_unsent=True)
        return adapter.parse_list(response, account)

    async def test_connection(self, adapter: ProviderAdapter, account: Account) -> HttpResponse:
        return await self._exchange(adapter, adapter.build_test_connection(account), retry_unsent=True)

    async def follow(
        self,
        adapter: ProviderAdapter,
        account: Account,
        call: CallResource,
        on_update: UpdateCallback | None = None,
        policy: PollPolicy | None = None,
    ) -> CallResource:
        """Poll until the call reaches a final state; returns the last known resource.  Raises
        FollowLimitReached when ``policy.max_wait`` passes first."""
        async def fetch(current: CallResource) -> CallResource:
            return await self.fetch(adapter, account, current)

        return await follow_call(fetch, adapter, call, on_update, policy or PollPolicy())
