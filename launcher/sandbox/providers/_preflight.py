"""Read-only endpoints the preflight check (``call-launcher check``) asks, in each provider's shape.

The sandbox accounts own a few fixed numbers; any other From number is "not yours", so a preflight
can be seen to pass and to fail.

    Twilio   GET /2010-04-01/Accounts/{Sid}/IncomingPhoneNumbers.json[?PhoneNumber=]
             GET /2010-04-01/Accounts/{Sid}/OutgoingCallerIds.json[?PhoneNumber=]
    Catapult GET /v1/users/{userId}/phoneNumbers/{numberOrId}
    jambonz  GET /v1/Applications/{ApplicationSid}
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any, Protocol

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from launcher.sandbox.providers._jambonz_resource import API_KEYS, APPLICATION_SID, send_status, unauthorized

if TYPE_CHECKING:
    from launcher.sandbox.base import ProviderSimulator
    from launcher.sandbox.engine import Engine
    from launcher.sandbox.providers._catapult_resource import CatapultCalls

TWILIO_INCOMING_NUMBERS = ("+15005550006",)  # Twilio's own test "From" that always works
TWILIO_VERIFIED_CALLER_IDS = ("+15555550199",)
CATAPULT_NUMBERS = ("+19195551212",)


class TwilioAuth(Protocol):
    """The Twilio simulator's account check (``twilio.TwilioSimulator.refuse``)."""

    def refuse(self, request: Request, account_sid: str) -> Response | None: ...


def twilio_routes(simulator: TwilioAuth, engine: Engine) -> list[BaseRoute]:
    from launcher.sandbox.providers._twilio_resource import API_VERSION, response_headers, rfc2822

    def listing(key: str, numbers: tuple[str, ...], resource: str) -> Any:
        async def handler(request: Request) -> Response:
            sid = request.path_params["account_sid"]
            refused = simulator.refuse(request, sid)
            if refused is not None:
                return refused
            wanted = request.query_params.get("PhoneNumber")
            matches = [n for n in numbers if wanted is None or n == wanted.strip()]
            created = rfc2822(engine.clock.wall(0.0))
            uri = f"/{API_VERSION}/Accounts/{sid}/{resource}.json"
            items = [{
                "account_sid": sid, "date_created": created, "date_updated": created, "friendly_name": number,
                "phone_number": number, "sid": f"PN{index:032x}", "uri": f"{uri[:-5]}/PN{index:032x}.json",
                **({"capabilities": {"voice": True, "sms": True, "mms": False, "fax": False}, "status": "in-use",
                    "voice_url": "https://example.com/voice"} if key == "incoming_phone_numbers" else {}),
            } for index, number in enumerate(matches, start=1)]
            return JSONResponse({
                key: items, "end": max(len(items) - 1, 0), "first_page_uri": f"{uri}?PageSize=50&Page=0",
                "next_page_uri": None, "page": 0, "page_size": 50, "previous_page_uri": None, "start": 0,
                "uri": f"{uri}?PageSize=50&Page=0",
            }, headers=response_headers())
        return handler

    base = f"/{API_VERSION}/Accounts/{{account_sid}}"
    return [
        Route(f"{base}/IncomingPhoneNumbers.json",
              listing("incoming_phone_numbers", TWILIO_INCOMING_NUMBERS, "IncomingPhoneNumbers"), methods=["GET"]),
        Route(f"{base}/OutgoingCallerIds.json",
              listing("outgoing_caller_ids", TWILIO_VERIFIED_CALLER_IDS, "OutgoingCallerIds"), methods=["GET"]),
    ]


def catapult_routes(api: CatapultCalls) -> list[BaseRoute]:
    from launcher.sandbox.providers._catapult_resource import error

    async def phone_number(request: Request) -> Response:
        user_id = request.path_params["userId"]
        refused = api.check_auth(request, user_id)
        if refused is not None:
            return refused
        wanted = request.path_params["number"].strip()
        for index, number in enumerate(CATAPULT_NUMBERS, start=1):
            number_id = f"n-sandbox{index:012d}"
            if wanted in (number, number_id):
                return JSONResponse({
                    "id": number_id, "number": number, "nationalNumber": f"({number[2:5]}) {number[5:8]}-{number[8:]}",
                    "name": "sandbox number", "createdTime": api.engine.clock.wall(0.0).isoformat(),
                    "city": "CARY", "state": "NC", "price": "0.35", "numberState": "enabled",
                    "application": None,
                })
        return error(request, 404, "not-found", "number-not-found",
                     f"The number {wanted} could not be found", ("number", wanted))

    return [Route("/v1/users/{userId}/phoneNumbers/{number}", phone_number, methods=["GET"])]


def jambonz_routes(simulator: ProviderSimulator, engine: Engine) -> list[BaseRoute]:
    async def application(request: Request) -> Response:
        token = request.headers.get("authorization", "").partition(" ")[2].strip()
        if not token:
            return unauthorized('Bearer realm="Users"')
        if not any(secrets.compare_digest(token.encode(), key.encode()) for key in API_KEYS):
            return unauthorized('Bearer realm="Users", error="invalid_token"')
        if request.path_params["application_sid"] != APPLICATION_SID:
            return send_status(404)
        hook = {"url": "https://example.com/jambonz/call", "method": "POST", "username": None, "password": None}
        return JSONResponse({
            "application_sid": APPLICATION_SID, "name": "sandbox application",
            "account_sid": simulator.credentials.account_id, "call_hook": hook,
            "call_status_hook": {**hook, "url": "https://example.com/jambonz/status"}, "messaging_hook": None,
            "speech_synthesis_vendor": "google", "speech_synthesis_voice": "en-US-Standard-C",
            "speech_recognizer_vendor": "google", "speech_recognizer_language": "en-US",
        })

    return [Route("/v1/Applications/{application_sid}", application, methods=["GET"])]
