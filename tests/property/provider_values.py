"""Valid-by-construction create-call values for every provider, and how each puts them on the wire.

Each field's value comes from :func:`tests.property.strategies.valid_value` (derived from its
FieldSpec); a small per-provider ``repair`` then satisfies the provider's cross-field rules, which
are the only reason a field-by-field valid request may still be refused.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from functools import cache
from typing import Any

from hypothesis import strategies as st

from launcher.core.models import Account
from launcher.core.providers import all_adapters
from launcher.core.providers.base import ProviderAdapter
from launcher.core.validate import TRUE_WORDS, is_destination_group
from tests.property import strategies as S

ADAPTERS = all_adapters()
ACCOUNT_SECRET = "acct-Secret-7Qz!wZ"  # distinctive: it must never show up in a rendering
REGIONS = st.sampled_from(["US", "GB", "DE", "IN", "BR", "JP", None])

Repair = Callable[[st.DrawFn, dict[str, Any], str | None], None]


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _truthy(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() in TRUE_WORDS)


def _https(url: str) -> str:
    return re.sub(r"^[A-Za-z]+://", "https://", url)


# -- Twilio ----------------------------------------------------------------------------------------------------
def _twilio_kind(value: Any) -> str:
    text = _text(value).lower()
    return "sip" if text.startswith(("sip:", "sips:")) else "client" if text.startswith("client:") else "phone"


def repair_twilio(draw: st.DrawFn, values: dict[str, Any], region: str | None) -> None:
    to, caller = _twilio_kind(values["To"]), _twilio_kind(values["From"])
    if (to == "phone" and caller != "phone") or (caller == "sip" and to != "sip"):
        values["From"] = draw(S.phone_numbers(region))[0]
    if not any(name in values for name in ("Url", "Twiml", "ApplicationSid")):
        values["Url"] = draw(S.urls())


# -- Bandwidth Voice v2 ----------------------------------------------------------------------------------------
UUI_DATA = {"base64": r"[A-Za-z0-9+/]{1,40}={0,2}", "jwt": r"[A-Za-z0-9_-]{1,20}(\.[A-Za-z0-9_-]{1,20}){0,2}",
            "hex": r"[0-9A-Fa-f]{1,40}"}


@st.composite
def uui_values(draw: st.DrawFn) -> str:
    items = []
    for _ in range(draw(st.integers(1, 3))):
        encoding = draw(st.sampled_from(sorted(UUI_DATA)))
        data = draw(st.from_regex(UUI_DATA[encoding], fullmatch=True))
        extra = draw(st.sampled_from(["", ";purpose=isdn-uui", ";content=isdn-uui"]))
        items.append(f"{data}{extra};encoding={encoding}")
    return ",".join(items)[:350].rsplit(",", 1)[0] if len(",".join(items)) > 350 else ",".join(items)


def _pair(draw: st.DrawFn, node: dict[str, Any], user: str, password: str) -> None:
    if (user in node) != (password in node):
        node.setdefault(user, draw(st.text(min_size=1, max_size=20).filter(str.strip)))
        node.setdefault(password, draw(st.text(min_size=1, max_size=20).filter(str.strip)))


def repair_bandwidth(draw: st.DrawFn, values: dict[str, Any], region: str | None) -> None:
    if "uui" in values:
        values["uui"] = draw(uui_values())
    _pair(draw, values, "username", "password")
    _pair(draw, values, "fallbackUsername", "fallbackPassword")
    md = values.get("machineDetection")
    if isinstance(md, dict):
        _pair(draw, md, "username", "password")
        _pair(draw, md, "fallbackUsername", "fallbackPassword")
    if "username" in values:
        values["answerUrl"] = _https(values["answerUrl"])
    if "fallbackUsername" in values and "answerFallbackUrl" in values:
        values["answerFallbackUrl"] = _https(values["answerFallbackUrl"])
    if _truthy(values.get("privacy")) and "displayName" in values:
        values["displayName"] = draw(st.sampled_from(["Restricted", "Anonymous", "Private", "Unavailable"]))


# -- Catapult --------------------------------------------------------------------------------------------------
def repair_catapult(draw: st.DrawFn, values: dict[str, Any], region: str | None) -> None:
    if _text(values["to"]).lower().startswith("sips:"):
        values["to"] = "sip:" + _text(values["to"])[5:]
    if "bridgeId" in values and "conferenceId" in values:
        del values[draw(st.sampled_from(["bridgeId", "conferenceId"]))]


# -- jambonz ---------------------------------------------------------------------------------------------------
SPEECH = ("speech_synthesis_vendor", "speech_synthesis_language", "speech_synthesis_voice",
          "speech_recognizer_vendor", "speech_recognizer_language")


def repair_jambonz(draw: st.DrawFn, values: dict[str, Any], region: str | None) -> None:
    to = values["to"]
    kind = _text(to["type"])
    member = {"phone": "number", "teams": "number", "sip": "sipUri", "user": "name"}[kind]
    if member not in to:
        to[member] = draw(field_values("jambonz", f"to.{member}", region))
    if "application_sid" not in values:
        if draw(st.booleans()):
            values["application_sid"] = draw(st.uuids().map(str).flatmap(lambda u: st.sampled_from([u, u.upper()])))
        else:  # without an application: a call hook URL and all five speech defaults
            for name in SPEECH:
                values.setdefault(name, draw(st.sampled_from(["google", "en-US", "aws", "en-US-Wavenet-C"])))
            hook = values.setdefault("call_hook", {})
            if not isinstance(hook, dict) or "url" not in hook:
                values["call_hook"] = {**(hook if isinstance(hook, dict) else {}), "url": draw(S.urls())}
    if "dtmfCapture" in values and "dtmfHook" not in values:
        values["dtmfHook"] = "/dtmf"
    for hook in ("call_hook", "call_status_hook"):
        node = values.get(hook)
        if isinstance(node, dict) and ("username" in node) != ("password" in node):
            node.pop("username", None)
            node.pop("password", None)
    if "app_json" in values:
        values["app_json"] = json.dumps([{"verb": "say", "text": draw(st.text(max_size=20))}])
    transcribe = values.get("transcribe")
    if isinstance(transcribe, dict) and transcribe and "recognizer" not in transcribe:
        transcribe["recognizer"] = {"vendor": "google"}


REPAIRS: dict[str, Repair] = {
    "twilio": repair_twilio, "bandwidth": repair_bandwidth, "catapult": repair_catapult, "jambonz": repair_jambonz,
}


@cache
def field_values(provider: str, path: str, region: str | None) -> st.SearchStrategy[Any]:
    """Valid values for one field (strategies are built once: building them is the slow part)."""
    schema = ADAPTERS[provider].schema
    spec = schema.field(path)
    assert spec is not None, path
    groups = [schema.field(path.rsplit(".", depth)[0]) for depth in range(1, path.count(".") + 1)]
    return S.valid_value(spec, region, any(g is not None and is_destination_group(g) for g in groups))


@cache
def field_by_field(provider: str, region: str | None) -> st.SearchStrategy[dict[str, Any]]:
    return S.valid_object(ADAPTERS[provider].schema.fields, region)


@st.composite
def valid_requests(draw: st.DrawFn, adapter: ProviderAdapter) -> tuple[dict[str, Any], str | None]:
    """(raw values a user or program could send, the profile region to read them with)."""
    region = draw(REGIONS)
    values = draw(field_by_field(adapter.id, region))
    REPAIRS[adapter.id](draw, values, region)
    return values, region


@st.composite
def mutated_requests(draw: st.DrawFn, adapter: ProviderAdapter) -> tuple[dict[str, Any], str | None]:
    """A valid request with some fields, top-level or nested, replaced by junk, dropped or added."""
    values, region = draw(valid_requests(adapter))
    values = copy.deepcopy(values)
    paths = [path for path, _spec in adapter.schema.walk()]
    for path in draw(st.lists(st.sampled_from([*paths, "Unknown", "to.unknown"]), max_size=4)):
        node: Any = values
        parts = path.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {}) if isinstance(node, dict) else None
        if isinstance(node, dict):
            if draw(st.booleans()):
                node[parts[-1]] = draw(S.junk)
            else:
                node.pop(parts[-1], None)
    return values, region


# -- accounts and what each provider's request must look like -----------------------------------------------------
ACCOUNTS: dict[str, list[tuple[Account, str]]] = {
    "twilio": [
        (Account("twilio", "AC" + "0123456789abcdef" * 2, ACCOUNT_SECRET),
         "https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Calls.json"),
        (Account("twilio", "AC" + "f" * 32, ACCOUNT_SECRET, username="SK" + "1" * 32, base_url="http://127.0.0.1:8765/"),
         "http://127.0.0.1:8765/2010-04-01/Accounts/AC" + "f" * 32 + "/Calls.json"),
    ],
    "bandwidth": [
        (Account("bandwidth", "9900000", ACCOUNT_SECRET, username="api-user"),
         "https://voice.bandwidth.com/api/v2/accounts/9900000/calls"),
        (Account("bandwidth", " 123 ", ACCOUNT_SECRET, username="u", base_url="http://localhost:9/api/v2"),
         "http://localhost:9/api/v2/accounts/123/calls"),
    ],
    "catapult": [
        (Account("catapult", "u-abc123", ACCOUNT_SECRET, username="t-token"),
         "https://api.catapult.inetwork.com/v1/users/u-abc123/calls"),
        (Account("catapult", "u-x/y", ACCOUNT_SECRET, username="t", base_url="https://[::1]:8443"),
         "https://[::1]:8443/v1/users/u-x%2Fy/calls"),
    ],
    "jambonz": [
        (Account("jambonz", "fef61e75-cec3-496c-a7bc-8368e4d02a04", ACCOUNT_SECRET, base_url="https://api.jambonz.example/v1/"),
         "https://api.jambonz.example/v1/Accounts/fef61e75-cec3-496c-a7bc-8368e4d02a04/Calls"),
        (Account("jambonz", "a b", ACCOUNT_SECRET, base_url="https://vg.example.com"),
         "https://vg.example.com/v1/Accounts/a%20b/Calls"),
    ],
}
