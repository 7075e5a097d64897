"""Twilio Programmable Voice (REST API 2010-04-01) in the sandbox, at Twilio's own paths.

Endpoints (Basic auth: Account SID + Auth Token, or API Key SID + secret)::

    POST /2010-04-01/Accounts/{AccountSid}/Calls.json         create (form only) -> 201 call
    GET  /2010-04-01/Accounts/{AccountSid}/Calls.json         list, newest first: To, From, Status,
                                                              ParentCallSid, StartTime/EndTime (=, <, >)
                                                              filters; PageSize (1-1000, default 50), Page
    GET  /2010-04-01/Accounts/{AccountSid}/Calls/{Sid}.json   fetch -> 200 call
    POST /2010-04-01/Accounts/{AccountSid}/Calls/{Sid}.json   update: Status=canceled|completed, Url/Twiml
    DELETE /2010-04-01/Accounts/{AccountSid}/Calls/{Sid}.json deletes the call record -> 204
    GET  .../Calls/{Sid}/Recordings.json, /Notifications.json, /Events.json   the call's lists (empty here)
    GET  /2010-04-01/Accounts/{AccountSid}.json               account fetch ("test connection")

Behaviour kept from Twilio: bad or missing credentials -> 401 / 20003 "Authenticate"; another
account's SID in the path -> 404 / 20404; unknown parameters are ignored (Twilio's warning 20001);
a body that is not form-encoded carries no parameters (so: 21201 "No 'To' number is specified");
the test-credential magic numbers answer as documented; ``canceled`` ends a queued or ringing call
and leaves a call in progress alone, ``completed`` ends it in any live state; updating an ended
call -> 400 / 21220 "Call is not in-progress. Cannot redirect."  With rate limits on, calls over
the account's rate are not refused but wait in the queue (status ``queued``, ``queue_time``).
"""

from __future__ import annotations

import hmac
import shlex
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from launcher.core.models import CallPhase, Outcome
from launcher.core.validate import validate
from launcher.sandbox.base import ProviderSimulator, SandboxCredentials, basic_auth, form_values, media_type
from launcher.sandbox.engine import Engine, SimCall
from launcher.sandbox.providers._preflight import twilio_routes as preflight_routes
from launcher.sandbox.providers._twilio_resource import (
    API_VERSION,
    GENERIC_CODE,
    NOT_IN_PROGRESS,
    account_json,
    authenticate_error,
    call_json,
    magic_number_error,
    not_found,
    response_headers,
    twilio_error,
    validation_error,
)

ACCOUNT_SID = "AC" + "c0ffee00" * 4
AUTH_TOKEN = "sandbox-twilio-auth-token"
API_KEY_SID = "SK" + "c0ffee00" * 4  # an API key of the sandbox account, for SDK users who prefer keys
API_KEY_SECRET = "sandbox-twilio-api-key-secret"
FORM = "application/x-www-form-urlencoded"
DEFAULT_TIMEOUT = 60  # Twilio's default ring timeout (seconds)
NOT_IN_PROGRESS_MESSAGE = "Call is not in-progress. Cannot redirect."
DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE = 50, 1000
CALLS_PATH = f"/{API_VERSION}/Accounts/{{account_sid}}/Calls.json"
CALL_LIST_PATH = f"/{API_VERSION}/Accounts/{{account_sid}}/Calls/{{call_sid}}/{{listing}}.json"
CALL_LISTS = {"Recordings": "recordings", "Notifications": "notifications", "Events": "events"}
CALL_PATH = f"/{API_VERSION}/Accounts/{{account_sid}}/Calls/{{call_sid}}.json"
ACCOUNT_PATH = f"/{API_VERSION}/Accounts/{{account_sid}}.json"


TIME_FILTERS = {"StartTime": "start_time", "EndTime": "end_time"}


def time_filters(query: Any) -> list[tuple[str, str, datetime]]:
    """``StartTime``/``EndTime`` with ``<`` (before) and ``>`` (on or after), as the SDK sends them: (member,
    comparison, moment); a date alone stands for that whole UTC day."""
    found = []
    for name, member in TIME_FILTERS.items():
        for suffix in ("", "<", ">"):
            text = query.get(name + suffix)
            if not text:
                continue
            try:
                moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
            except ValueError:
                raise ValueError(f"{name}{suffix} must be a date like 2009-07-06.") from None
            found.append((member, suffix or "=", moment if moment.tzinfo else moment.replace(tzinfo=UTC)))
    return found


def time_matches(data: dict[str, Any], member: str, comparison: str, moment: datetime) -> bool:
    if not data.get(member):
        return False
    when = parsedate_to_datetime(data[member])
    if comparison == "=":
        return when.date() == moment.date()
    return when < moment if comparison == "<" else when >= moment


class TwilioSimulator(ProviderSimulator):
    id = "twilio"
    credentials = SandboxCredentials(account_id=ACCOUNT_SID, secret=AUTH_TOKEN)

    # -- auth -------------------------------------------------------------------------------------
    def principal(self, request: Request) -> str | None:
        """The account the request authenticates as, or None."""
        pair = basic_auth(request)
        if pair is None:
            return None
        user, password = pair
        for known_user, known_secret in ((ACCOUNT_SID, AUTH_TOKEN), (API_KEY_SID, API_KEY_SECRET)):
            if hmac.compare_digest(user.encode(), known_user.encode()) and \
                    hmac.compare_digest(password.encode(), known_secret.encode()):
                return ACCOUNT_SID
        return None

    def refuse(self, request: Request, account_sid: str) -> Response | None:
        """401 without valid credentials; 404 for a path under another account (Twilio's answers)."""
        principal = self.principal(request)
        if principal is None:
            return authenticate_error()
        if account_sid != principal:
            return not_found(request.url.path)
        return None

    def body_too_large(self, request: Request, limit: int) -> Response:
        """Twilio's error body; Twilio documents no code of its own for this, so the Calls resource's generic one."""
        from launcher.sandbox.limits import body_too_large_text
        from launcher.sandbox.providers._twilio_resource import GENERIC_CODE, twilio_error

        return twilio_error(413, GENERIC_CODE, body_too_large_text(limit))

    # -- routes -----------------------------------------------------------------------------------
    def routes(self, engine: Engine) -> list[BaseRoute]:
        async def calls(request: Request) -> Response:
            if request.method == "GET":
                return self.list_calls(engine, request)
            engine.count_create()
            return await self.create(engine, request)

        async def call(request: Request) -> Response:
            return await self.call_resource(engine, request)

        async def sub_list(request: Request) -> Response:
            return self.call_sub_list(engine, request)

        async def account(request: Request) -> Response:
            sid = request.path_params["account_sid"]
            refused = self.refuse(request, sid)
            if refused is not None:
                return refused
            return JSONResponse(account_json(sid, AUTH_TOKEN, engine.clock), headers=response_headers())

        return [
            Route(CALLS_PATH, calls, methods=["GET", "POST"]),
            Route(CALL_PATH, call, methods=["GET", "POST", "DELETE"]),
            Route(ACCOUNT_PATH, account, methods=["GET"]),
            *preflight_routes(self, engine),
            Route(CALL_LIST_PATH, sub_list, methods=["GET"]),
        ]

    async def parameters(self, request: Request) -> dict[str, Any]:
        """Form parameters of the body; Twilio reads nothing from other content types."""
        body = await request.body()
        if media_type(request) != FORM:
            return {}
        return form_values(body, self.adapter.schema)

    async def create(self, engine: Engine, request: Request) -> Response:
        account_sid = request.path_params["account_sid"]
        refused = self.refuse(request, account_sid)
        if refused is not None:
            return refused
        schema = self.adapter.schema
        raw = {key: value for key, value in (await self.parameters(request)).items() if schema.field(key)}
        result = validate(schema, raw)
        if not result.ok:
            return twilio_error(400, *validation_error(result.errors, raw))
        values = result.values
        magic = magic_number_error(values["To"], values["From"])
        if magic is not None:
            return twilio_error(400, *magic)
        delay = engine.limiter.reserve(account_sid) if engine.config.rate_limit else 0.0
        created = engine.create(
            self.id, account_sid, engine.new_id("CA"), values["From"], values["To"],
            ring_timeout=values.get("Timeout", DEFAULT_TIMEOUT), params=values, queue_delay=delay,
        )
        answer, limit = created.answer_time(), values.get("TimeLimit")
        if answer is not None and limit and answer + limit < created.natural()[0]:
            created.stopped_at, created.stop_kind = answer + limit, Outcome.COMPLETED  # Twilio ends it at TimeLimit
        return JSONResponse(call_json(created, engine.clock.now(), engine.clock), status_code=201,
                            headers=response_headers())

    async def call_resource(self, engine: Engine, request: Request) -> Response:
        account_sid = request.path_params["account_sid"]
        refused = self.refuse(request, account_sid)
        if refused is not None:
            return refused
        found = engine.get(self.id, request.path_params["call_sid"])
        if found is None or found.account_id != account_sid or found.extra.get("deleted"):
            return not_found(request.url.path)
        if request.method == "DELETE":
            found.extra["deleted"] = True
            return Response(status_code=204, headers=response_headers())
        if request.method == "POST":
            problem = self.update(found, await self.parameters(request), engine.clock.now())
            if problem is not None:
                return problem
        return JSONResponse(call_json(found, engine.clock.now(), engine.clock), headers=response_headers())

    def list_calls(self, engine: Engine, request: Request) -> Response:
        """One page of the account's calls, newest first, in Twilio's list shape."""
        account_sid = request.path_params["account_sid"]
        refused = self.refuse(request, account_sid)
        if refused is not None:
            return refused
        query = request.query_params
        try:
            size = int(query.get("PageSize", DEFAULT_PAGE_SIZE))
            page = int(query.get("Page", 0))
        except ValueError:
            return twilio_error(400, GENERIC_CODE, "PageSize and Page must be whole numbers.")
        if not 1 <= size <= MAX_PAGE_SIZE or page < 0:
            return twilio_error(400, GENERIC_CODE, f"PageSize must be between 1 and {MAX_PAGE_SIZE}.")
        now = engine.clock.now()
        wanted = {key: query.get(name) for key, name in (("to", "To"), ("from", "From"), ("status", "Status"),
                                                          ("parent_call_sid", "ParentCallSid"))}
        try:
            moments = time_filters(query)
        except ValueError as exc:
            return twilio_error(400, GENERIC_CODE, str(exc))
        mine = [call for call in engine.calls.values() if call.provider == self.id
                and call.account_id == account_sid and not call.extra.get("deleted")]
        found = [data for data in (call_json(call, now, engine.clock) for call in
                                   sorted(mine, key=lambda c: c.sequence, reverse=True))
                 if all(not value or data[key] == value for key, value in wanted.items())
                 and all(time_matches(data, *moment) for moment in moments)]
        rows = found[page * size:(page + 1) * size]
        uri = CALLS_PATH.format(account_sid=account_sid)
        filters = "".join(f"&{name}={quote(value)}" for name, value in
                          (("To", wanted["to"]), ("From", wanted["from"]), ("Status", wanted["status"])) if value)

        def page_uri(number: int) -> str:
            token = f"&PageToken=PA{rows[-1]['sid']}" if number > page and rows else ""
            return f"{uri}?PageSize={size}&Page={number}{filters}{token}"

        body = {
            "calls": rows, "end": page * size + max(len(rows) - 1, 0), "first_page_uri": page_uri(0),
            "next_page_uri": page_uri(page + 1) if len(found) > (page + 1) * size else None,
            "page": page, "page_size": size,
            "previous_page_uri": page_uri(page - 1) if page > 0 else None,
            "start": page * size, "uri": f"{uri}?PageSize={size}&Page={page}{filters}",
        }
        return JSONResponse(body, headers=response_headers())

    def call_sub_list(self, engine: Engine, request: Request) -> Response:
        """A call's recordings, notifications or events (``calls(sid).recordings.list()``, ...): always an
        empty page here, since the sandbox records nothing and requests no webhooks."""
        account_sid, call_sid = request.path_params["account_sid"], request.path_params["call_sid"]
        refused = self.refuse(request, account_sid)
        if refused is not None:
            return refused
        key = CALL_LISTS.get(request.path_params["listing"])
        found = engine.get(self.id, call_sid)
        if key is None or found is None or found.account_id != account_sid or found.extra.get("deleted"):
            return not_found(request.url.path)
        text = request.query_params.get("PageSize", "")
        size = min(max(int(text), 1), MAX_PAGE_SIZE) if text.isdigit() else DEFAULT_PAGE_SIZE
        uri = f"{request.url.path}?PageSize={size}&Page=0"
        body = {key: [], "end": 0, "first_page_uri": uri, "next_page_uri": None, "page": 0, "page_size": size,
                "previous_page_uri": None, "start": 0, "uri": uri}
        return JSONResponse(body, headers=response_headers())

    def update(self, call: SimCall, params: dict[str, Any], now: float) -> Response | None:
        """Apply an update (hang up, cancel, redirect); an error response when Twilio refuses it."""
        phase = call.snapshot(now).phase
        status = params.get("Status")
        if isinstance(status, str) and status.strip():
            wanted = status.strip().lower()
            if wanted not in ("canceled", "completed"):
                return twilio_error(400, GENERIC_CODE, "'Status' is invalid. Choose one of: canceled, completed.")
            if phase is CallPhase.ENDED:
                return twilio_error(400, NOT_IN_PROGRESS, NOT_IN_PROGRESS_MESSAGE)
            if phase in (CallPhase.QUEUED, CallPhase.RINGING):
                call.stop(now, Outcome.CANCELED)  # ends before it was answered: "canceled"
            elif wanted == "completed":
                call.stop(now, Outcome.COMPLETED)  # hangs up a call in progress
            return None  # "canceled" has no effect on a call in progress
        redirect = {key: params[key] for key in ("Url", "Twiml") if str(params.get(key) or "").strip()}
        if redirect:
            if phase is not CallPhase.ANSWERED:
                return twilio_error(400, NOT_IN_PROGRESS, NOT_IN_PROGRESS_MESSAGE)
            checked = validate(self.adapter.schema, {"To": call.to, "From": call.from_number, **redirect})
            if not checked.ok:
                return twilio_error(400, *validation_error(checked.errors, redirect))
            call.extra.setdefault("redirects", []).append(redirect)
        return None

    def sample_values(self) -> dict[str, Any]:
        return {"To": "+15555550100", "From": "+15005550006", "Url": "https://demo.twilio.com/docs/voice.xml"}

    def curl_recipe(self, base_url: str) -> str:
        url = f"{base_url.rstrip('/')}/{API_VERSION}/Accounts/{ACCOUNT_SID}/Calls.json"
        args = ["curl", "-sS", "-X", "POST", url,
                "--data-urlencode", "To=+15005550006",
                "--data-urlencode", "From=+15005550006",
                "--data-urlencode", "Url=http://demo.twilio.com/docs/voice.xml",
                "-u", f"{ACCOUNT_SID}:{AUTH_TOKEN}"]
        return " ".join(shlex.quote(arg) for arg in args)


SIMULATOR = TwilioSimulator()
