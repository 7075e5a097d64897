"""Bridges the Dialer (core, asyncio) and the widgets (Qt signals): one press, one create request.

The guard is here: while a create request is in flight, further presses (double clicks, Enter
storms, Ctrl+Enter) are ignored, and the Call action is disabled.  Following and hanging up run as
tasks of their own, so several calls can be live at once.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from PySide6.QtCore import QObject, Signal

from launcher.core.attempts import Dialer, LiveCall
from launcher.core.history import AttemptStatus, HistoryError
from launcher.core.http import PreparedRequest
from launcher.core.models import Account
from launcher.core.profiles import Profile
from launcher.core.providers.base import ProviderAdapter

log = logging.getLogger(__name__)


class CallController(QObject):
    call_changed = Signal(object)  # LiveCall
    submitting_changed = Signal(bool)
    call_ended = Signal(object)  # LiveCall that reached a final status
    history_failed = Signal(str)  # the history could not record a change of a call already placed

    def __init__(self, dialer: Dialer, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.dialer = dialer
        self.calls: dict[int, LiveCall] = {}
        self._submission: LiveCall | None = None
        self._submit_task: asyncio.Task[Any] | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self.hung_up_here: set[int] = set()  # calls this window asked to end ("You hung up")

    @property
    def submitting(self) -> bool:
        return self._submission is not None

    def place(self, profile: Profile, adapter: ProviderAdapter, account: Account,
              values: dict[str, Any], request: PreparedRequest,
              skipped_checks: list[str] | None = None) -> LiveCall | None:
        """Record the attempt and send it once; None (and nothing sent) while another is in flight."""
        if self._submission is not None:
            return None
        live = self.dialer.start(profile, adapter, account, values, request, skipped_checks=skipped_checks)
        self.calls[live.attempt_id] = live
        self._submission = live
        self.submitting_changed.emit(True)
        self.call_changed.emit(live)
        self._submit_task = self._spawn(self.dialer.run(live, self._on_change))
        return live

    def cancel(self) -> bool:
        """Stop waiting for the create answer (the call may still have been placed)."""
        if self._submit_task is None or self._submission is None or self._submit_task.done():
            return False
        self._submit_task.cancel()
        return True

    def hang_up(self, attempt_id: int) -> None:
        live = self.calls.get(attempt_id)
        if live is None or not live.can_hang_up:
            return
        self.hung_up_here.add(attempt_id)
        self._spawn(self.dialer.hang_up(live, self._on_change))

    def refresh(self, attempt_id: int) -> None:
        """Fetch a call that is no longer followed (the follow limit passed) and follow it again."""
        live = self.calls.get(attempt_id)
        if live is None or not live.stopped_following:
            return
        self._spawn(self.dialer.refresh(live, self._on_change))

    def _spawn(self, coroutine: Any) -> asyncio.Task[Any]:
        task: asyncio.Task[Any] = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if task is self._submit_task:
            self._release(None)
        if task.cancelled():
            return
        error = task.exception()
        if isinstance(error, HistoryError):  # the call goes on at the provider; the window says history stopped
            self.history_failed.emit(str(error))
            return
        if error is not None:
            log.error("call task failed", exc_info=error)
            raise error

    def _release(self, live: LiveCall | None) -> None:
        if self._submission is not None and (live is None or live is self._submission):
            self._submission = None
            self.submitting_changed.emit(False)

    def _on_change(self, live: LiveCall) -> None:
        from shiboken6 import isValid

        if not isValid(self):  # the window was closed and deleted while a task was finishing
            return
        if live is self._submission and live.status is not AttemptStatus.SENDING:
            self._release(live)
        self.call_changed.emit(live)
        if live.finished and (live.call is None or live.call.final):
            self.call_ended.emit(live)

    def release(self, attempt_ids: list[int]) -> None:
        """Forget calls that are over and no longer listed (history keeps them), so memory does not grow
        with every call of a long session.  A call still followed or being hung up stays."""
        for attempt_id in attempt_ids:
            live = self.calls.get(attempt_id)
            if live is None or live is self._submission or not live.finished:
                continue
            if live.call is not None and not live.call.final:
                continue
            del self.calls[attempt_id]
            self.hung_up_here.discard(attempt_id)

    def cancel_all(self) -> None:
        for task in list(self._tasks):
            task.cancel()

    def busy_tasks(self) -> int:
        return len(self._tasks)

    async def shutdown(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
