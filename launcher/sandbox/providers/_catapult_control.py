"""Catapult v1 call control beyond create/get/update, as node-bandwidth 4.0's ``Call`` sends it:

* ``POST .../calls/{callId}/audio`` - ``speakSentence`` / ``playAudioFile`` / ``playAudioAdvanced`` (an empty
  ``sentence`` or ``fileUrl`` stops playback): ``200``, empty body.
* ``POST .../calls/{callId}/dtmf`` - ``{"dtmfOut": "1"}``: ``200``, empty body.
* ``POST .../calls/{callId}/gather`` - ``201``, empty body, ``Location`` = the gather's URL;
  ``GET .../gather/{gatherId}`` - the gather (state ``started``, or ``completed`` with its reason);
  ``POST .../gather/{gatherId}`` ``{"state": "completed"}`` completes it: ``200``.
* ``GET .../calls/{callId}/events/{eventId}`` - one of the call's events.

All need an active (answered) call, except reading events and gathers; otherwise ``403 call-invalid-state``,
the answer the call update gives.  No audio is played and no digits arrive in the sandbox.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from launcher.core.models import CallPhase
from launcher.sandbox.engine import SimCall
from launcher.sandbox.providers._catapult_resource import (
    CatapultCalls,
    bad_request,
    call_events,
    error,
    new_id,
    timestamp,
)

DTMF = re.compile(r"[0-9*#A-Da-d]{1,92}")
MAX_GATHER_DIGITS = 30


class CallControl:
    def __init__(self, api: CatapultCalls) -> None:
        self.api = api

    async def _active(self, request: Request, active: bool = True) -> tuple[SimCall, dict[str, Any]] | Response:
        """The call (answered, when ``active``) and the JSON body of a POST; or the refusal."""
        user_id, call_id = request.path_params["userId"], request.path_params["callId"]
        denied = self.api.check_auth(request, user_id)
        if denied is not None:
            return denied
        found = self.api.find(request, user_id, call_id)
        if isinstance(found, Response):
            return found
        data: Any = {}
        if request.method == "POST":
            data = self.api.read_json(request, await request.body())
            if isinstance(data, Response):
                return data
        if active and found.snapshot(self.api.engine.clock.now()).phase is not CallPhase.ANSWERED:
            return error(request, 403, "forbidden", "call-invalid-state",
                         f"The call {call_id} is not active", ("callId", call_id))
        return found, data

    async def audio(self, request: Request) -> Response:
        found = await self._active(request)
        if isinstance(found, Response):
            return found
        call, data = found
        if "sentence" not in data and "fileUrl" not in data:
            return bad_request(request, "Either sentence or fileUrl is required")
        call.extra.setdefault("audio", []).append(data)
        return Response(status_code=200)

    async def dtmf(self, request: Request) -> Response:
        found = await self._active(request)
        if isinstance(found, Response):
            return found
        call, data = found
        digits = data.get("dtmfOut")
        if not isinstance(digits, str) or not DTMF.fullmatch(digits):
            return bad_request(request, "dtmfOut must be 1 to 92 of 0-9, *, #, A-D", ("dtmfOut", str(digits)))
        call.extra.setdefault("dtmf", []).append(digits)
        return Response(status_code=200)

    async def create_gather(self, request: Request) -> Response:
        found = await self._active(request)
        if isinstance(found, Response):
            return found
        call, data = found
        max_digits = data.get("maxDigits", MAX_GATHER_DIGITS)
        try:
            if not 1 <= int(max_digits) <= MAX_GATHER_DIGITS:
                raise ValueError
        except (TypeError, ValueError):
            return bad_request(request, f"maxDigits must be between 1 and {MAX_GATHER_DIGITS}",
                               ("maxDigits", str(max_digits)))
        gather_id = new_id("rg-")
        clock = self.api.engine.clock
        call.extra.setdefault("gathers", {})[gather_id] = {
            "id": gather_id, "state": "started", "createdTime": timestamp(clock, clock.now()), "tag": data.get("tag"),
        }
        location = f"{str(request.url).rstrip('/')}/{gather_id}"
        return Response(status_code=201, headers={"Location": location})

    async def gather(self, request: Request) -> Response:
        found = await self._active(request, active=False)
        if isinstance(found, Response):
            return found
        call, data = found
        gather_id = request.path_params["gatherId"]
        gather = call.extra.get("gathers", {}).get(gather_id)
        if gather is None:
            return error(request, 404, "not-found", "gather-not-found", f"The gather {gather_id} could not be found",
                         ("gatherId", gather_id))
        if request.method == "GET":
            return JSONResponse({key: value for key, value in gather.items() if value is not None})
        if data.get("state") != "completed":
            return bad_request(request, "The gather property state must be: completed",
                               ("state", str(data.get("state"))))
        if gather["state"] != "completed":
            clock = self.api.engine.clock
            gather.update(state="completed", reason="hung-up", completedTime=timestamp(clock, clock.now()))
        return Response(status_code=200)

    async def event(self, request: Request) -> Response:
        found = await self._active(request, active=False)
        if isinstance(found, Response):
            return found
        call, _data = found
        event_id = request.path_params["eventId"]
        events = call_events(call, call.snapshot(self.api.engine.clock.now()), self.api.engine.clock)
        for event in events:
            if event["id"] == event_id:
                return JSONResponse(event)
        return error(request, 404, "not-found", "event-not-found", f"The event {event_id} could not be found",
                     ("eventId", event_id))
