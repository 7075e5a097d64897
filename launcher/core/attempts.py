"""One call attempt end to end (one press of Call): history first, then exactly one create request, then follow.

The window (or any other front end) calls :meth:`Dialer.start` synchronously when Call is pressed —
that writes the attempt to history before anything is sent — then awaits :meth:`Dialer.run` in a
task.  ``on_change`` is called after every change so the front end can redraw.

Two guarantees hold here for every front end:

* every step of an attempt (create, follow, hang up) runs inside :meth:`Dialer._guard`: whatever it
  raises ends as a message, an error on the live call and a final history state — failed when the
  request provably never left, outcome unknown otherwise — never as a traceback or a row left
  ``sending``;
* every text the live call carries (the provider's answer, its error, the message) has passed the
  scrubber, which knows every secret the request carried, so front ends may show it as it is.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from launcher.core.calls import CallService, FollowLimitReached, PollPolicy, remember_secrets
from launcher.core.errors import (
    CallError,
    ProviderError,
    RequestNotSent,
    ResponseFormatError,
    TransportError,
    UnexpectedFailure,
)
from launcher.core.history import AttemptStatus, HistoryError, HistoryStore
from launcher.core.http import PreparedRequest
from launcher.core.models import Account, CallPhase, CallResource
from launcher.core.profiles import Profile
from launcher.core.providers.base import ProviderAdapter
from launcher.core.schema import FieldKind, FieldSpec
from launcher.core.scrub import SCRUBBER

log = logging.getLogger(__name__)

PHASE_STATUS = {
    CallPhase.QUEUED: AttemptStatus.QUEUED,
    CallPhase.RINGING: AttemptStatus.RINGING,
    CallPhase.ANSWERED: AttemptStatus.ANSWERED,
    CallPhase.ENDED: AttemptStatus.ENDED,
    CallPhase.UNKNOWN: AttemptStatus.UNKNOWN,
}
CANCELLED_MESSAGE = "Stopped waiting for the provider; the call may or may not have been placed."


@dataclass
class LiveCall:
    attempt_id: int
    profile: Profile
    adapter: ProviderAdapter
    account: Account
    request: PreparedRequest
    values: dict[str, Any]
    status: AttemptStatus = AttemptStatus.SENDING
    call: CallResource | None = None
    error: CallError | None = None
    error_text: str | None = None
    hanging_up: bool = False
    stopped_following: bool = False  # the follow limit passed while the call was not final
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def finished(self) -> bool:
        return self.status in (AttemptStatus.ENDED, AttemptStatus.REJECTED, AttemptStatus.FAILED,
                               AttemptStatus.UNKNOWN)

    @property
    def can_hang_up(self) -> bool:
        return (self.call is not None and not self.call.final and not self.hanging_up
                and self.adapter.build_hangup(self.account, self.call) is not None)


ChangeCallback = Callable[[LiveCall], None]


def without_secrets(values: dict[str, Any], specs: tuple[FieldSpec, ...]) -> dict[str, Any]:
    """``values`` with every secret field removed, at any depth (for history and remembered values)."""
    clean: dict[str, Any] = {}
    for spec in specs:
        if spec.name not in values or spec.secret:
            continue
        value = values[spec.name]
        if spec.kind is FieldKind.OBJECT and isinstance(value, dict):
            value = without_secrets(value, spec.children)
        clean[spec.name] = value
    return clean


class Dialer:
    def __init__(self, service: CallService, history: HistoryStore, poll: PollPolicy | None = None) -> None:
        self.service = service
        self.history = history
        self.poll = poll or PollPolicy()

    def start(self, profile: Profile, adapter: ProviderAdapter, account: Account,
              values: dict[str, Any], request: PreparedRequest, skipped_checks: list[str] | None = None) -> LiveCall:
        """Record the attempt (committed) and return the live call; nothing is sent yet.  ``skipped_checks``
        marks an attempt sent without local checks (what they objected to)."""
        remember_secrets(request)  # from now on no form of them reaches history, screen or output
        attempt_id = self.history.record_attempt(
            profile=profile.name, profile_id=profile.id, provider=adapter.id,
            from_number=adapter.endpoint_text(values, "from"), to=adapter.endpoint_text(values, "to"),
            request=request.to_json(reveal=False), values=without_secrets(values, adapter.schema.fields),
            skipped_checks=skipped_checks,
        )
        return LiveCall(attempt_id, profile, adapter, account, request, values)

    async def run(self, live: LiveCall, on_change: ChangeCallback) -> LiveCall:
        """Send the create request once, then follow the call to its end."""
        if await self.create(live, on_change):
            await self.follow(live, on_change)
        return live

    async def create(self, live: LiveCall, on_change: ChangeCallback) -> bool:
        """Send the create request once; False (recorded in history) when no call resource came back."""
        try:
            async with self._guard():
                call = await self.service.create(live.adapter, live.account, live.request)
        except asyncio.CancelledError:
            self._fail(live, AttemptStatus.UNKNOWN, CANCELLED_MESSAGE, on_change)
            raise
        except RequestNotSent as exc:
            self._fail(live, AttemptStatus.FAILED, f"{exc.message} {exc.hint}".strip(), on_change, exc)
            return False
        except UnexpectedFailure as exc:
            self._fail(live, AttemptStatus.UNKNOWN, f"{exc.message} {exc.hint}".strip(), on_change, exc)
            return False
        except ProviderError as exc:
            self._fail(live, AttemptStatus.REJECTED, exc.describe(), on_change, exc)
            return False
        except TransportError as exc:
            status = AttemptStatus.UNKNOWN if exc.request_sent else AttemptStatus.FAILED
            self._fail(live, status, f"{exc.message} {exc.hint}".strip(), on_change, exc)
            return False
        except ResponseFormatError as exc:
            self._fail(live, AttemptStatus.UNKNOWN, f"The provider answered but the answer could not be read: "
                       f"{exc.message} The call may have been placed.", on_change, exc)
            return False
        self._update(live, call, on_change)
        return True

    async def follow(self, live: LiveCall, on_change: ChangeCallback) -> None:
        if live.call is None:
            return
        try:
            async with self._guard():
                await self.service.follow(live.adapter, live.account, live.call,
                                          on_update=lambda call: self._update(live, call, on_change), policy=self.poll)
        except FollowLimitReached as exc:  # the call may still be live: outcome unknown, last state kept
            live.stopped_following = True
            self._fail(live, AttemptStatus.UNKNOWN, str(exc), on_change, exc)
        except CallError as exc:
            message = exc.describe() if isinstance(exc, ProviderError) else str(exc)
            self._fail(live, AttemptStatus.UNKNOWN, f"Lost track of the call: {message}", on_change, exc)

    async def refresh(self, live: LiveCall, on_change: ChangeCallback) -> None:
        """After following stopped at its limit: fetch the call once now and, while it is still live,
        follow it again (with a fresh limit)."""
        if live.call is None or not live.stopped_following:
            return
        live.stopped_following = False
        live.error, live.error_text = None, None
        on_change(live)
        try:
            call = await self.service.fetch(live.adapter, live.account, live.call)
        except CallError as exc:
            message = exc.describe() if isinstance(exc, ProviderError) else str(exc)
            live.stopped_following = True
            self._fail(live, AttemptStatus.UNKNOWN, f"Refresh failed: {message}", on_change, exc)
            return
        self._update(live, call, on_change)
        if not call.final:
            await self.follow(live, on_change)

    async def hang_up(self, live: LiveCall, on_change: ChangeCallback) -> None:
        if live.call is None or live.hanging_up:
            return
        live.hanging_up = True
        on_change(live)
        try:
            async with self._guard():
                updated = await self.service.hangup(live.adapter, live.account, live.call)
                if updated is not None:
                    self._update(live, updated, on_change)
        except CallError as exc:
            message = exc.describe() if isinstance(exc, ProviderError) else str(exc)
            live.error_text = SCRUBBER.text(f"Hang up failed: {message}")
        finally:
            live.hanging_up = False
            on_change(live)

    @contextlib.asynccontextmanager
    async def _guard(self) -> AsyncIterator[None]:
        """Let call and history errors (and cancellation, a BaseException) through; anything else becomes an
        :class:`UnexpectedFailure`, logged with its traceback, so the step still ends in a final state.

        A request refused before sending raises :class:`RequestNotSent` on its own: only that may be
        called "nothing sent"; for anything unforeseen nobody can tell, so the outcome is unknown."""
        try:
            yield
        except (CallError, HistoryError):  # each has its place (a storage error is not the call's)
            raise
        except Exception as exc:
            log.error("unexpected failure while placing or following a call", exc_info=exc)
            detail = SCRUBBER.text(str(exc)) or type(exc).__name__
            raise UnexpectedFailure(
                f"Something unexpected went wrong ({type(exc).__name__}: {detail}).",
                hint="The request may have reached the provider; check before calling again.",
            ) from None

    def _update(self, live: LiveCall, call: CallResource, on_change: ChangeCallback) -> None:
        call = _scrubbed(call)
        live.call = call
        live.status = PHASE_STATUS[call.phase]
        self.history.record_call(live.attempt_id, call)
        on_change(live)

    def _fail(self, live: LiveCall, status: AttemptStatus, message: str, on_change: ChangeCallback,
              exc: CallError | None = None) -> None:
        if exc is not None:
            SCRUBBER.exception(exc)
        message = SCRUBBER.text(message)
        live.status = status
        live.error = exc
        live.error_text = message
        code = exc.code if isinstance(exc, ProviderError) else None
        http_status = exc.http_status if isinstance(exc, (ProviderError, ResponseFormatError)) else None
        raw = exc.raw if isinstance(exc, ProviderError) and isinstance(exc.raw, dict) else None
        self.history.record_error(live.attempt_id, status=status, message=message, code=code,
                                  http_status=http_status, response=raw)
        on_change(live)


def _scrubbed(call: CallResource) -> CallResource:
    """``call`` with the provider's texts scrubbed; its id and URL stay as they are (they address it)."""
    return replace(
        call, raw=SCRUBBER.json(call.raw), provider_status=SCRUBBER.text(call.provider_status),
        detail=SCRUBBER.text(call.detail) if call.detail else call.detail,
        from_number=SCRUBBER.text(call.from_number) if call.from_number else call.from_number,
        to=SCRUBBER.text(call.to) if call.to else call.to,
    )

