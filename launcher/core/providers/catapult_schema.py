"""The create-call request of Bandwidth's legacy "Catapult" Voice API v1, as a field schema.

Source: ``POST /v1/users/{userId}/calls`` (Bandwidth/ap-docs ``methods/calls/postCalls.md``, the
product seed ``002``), limits also from ``getCallsCallId.md`` (SIP header lengths) and ``errors.md``.
The body is JSON; every parameter is optional except ``from`` and ``to``.
"""

from __future__ import annotations

from collections.abc import Iterator

from launcher.core.schema import Endpoint, FieldKind, FieldSpec, Problem, ProviderSchema, Values

CALLBACKS = "Callbacks"
RECORDING = "Recording"
BRIDGE = "Bridge or conference"
SIP = "SIP"
OTHER = "Other"

SIP_HEADER_MAX = 256  # getCallsCallId.md: "Max length for header and value is 256 characters."
SIP_HEADERS_MAX_COUNT = 5
# RFC 3261 token characters after the mandatory "X-" prefix; name at most 256 characters in all.
SIP_HEADER_NAME = r"X-[A-Za-z0-9\-.!%*_+`'~]{1," + str(SIP_HEADER_MAX - 2) + "}"

FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "from", "From", FieldKind.PHONE, required=True, meaning="from",
        endpoints=frozenset({Endpoint.E164}), placeholder="+19195551212",
        help="A Bandwidth phone number on your account the call comes from, in E.164 format "
             "(like +19195551212).",
    ),
    FieldSpec(
        "to", "To", FieldKind.PHONE, required=True, meaning="to",
        endpoints=frozenset({Endpoint.E164, Endpoint.SIP}), placeholder="+19195551212",
        help="The number to call in E.164 format (like +19195551212), or a SIP URI "
             "(like sip:someone@somewhere.com). SIPS is not supported.",
    ),
    FieldSpec(
        "callTimeout", "Ring timeout", FieldKind.INT, group=OTHER, meaning="ring_timeout",
        default=60, minimum=1, maximum=300, unit="s",
        help="How long the platform waits for the call to be answered before timing out, in seconds "
             "(default 60, maximum 300).",
    ),
    FieldSpec(
        "callbackUrl", "Callback URL", FieldKind.URL, group=CALLBACKS, meaning="status_url",
        placeholder="https://example.com/catapult/events",
        help="The full URL the events of this call (answer, hangup, ...) are sent to.",
    ),
    FieldSpec(
        "callbackTimeout", "Callback timeout", FieldKind.INT, group=CALLBACKS,
        default=10000, minimum=1, maximum=10000, unit="ms",
        help="How long the platform waits for the callback URL to answer, in milliseconds "
             "(default and maximum 10000).",
    ),
    FieldSpec(
        "callbackHttpMethod", "Callback method", FieldKind.ENUM, group=CALLBACKS,
        default="POST", choices=("GET", "POST"), choices_case_insensitive=True,
        help="Whether callback events are sent with HTTP GET or POST (default POST).",
    ),
    FieldSpec(
        "fallbackUrl", "Fallback URL", FieldKind.URL, group=CALLBACKS,
        help="The full URL a callback event is sent to when the request to the callback URL fails.",
    ),
    FieldSpec(
        "bridgeId", "Bridge ID", FieldKind.TEXT, group=BRIDGE,
        help="The id of the bridge the call is added to.",
    ),
    FieldSpec(
        "conferenceId", "Conference ID", FieldKind.TEXT, group=BRIDGE,
        help="The id of the conference the call is added to; required to add the call to a conference.",
    ),
    FieldSpec(
        "recordingEnabled", "Record call", FieldKind.BOOL, group=RECORDING, meaning="record",
        default=False,
        help="Record the call once it is created (default false).",
    ),
    FieldSpec(
        "recordingMaxDuration", "Recording max duration", FieldKind.INT, group=RECORDING,
        default=3600, minimum=1, unit="s",
        help="The maximum length of the call recording in seconds (default 3600, one hour).",
    ),
    FieldSpec(
        "recordingFileFormat", "Recording format", FieldKind.ENUM, group=RECORDING,
        default="wav", choices=("wav", "mp3"), choices_case_insensitive=True,
        help="The file format of the recording: wav (default) or mp3.",
    ),
    FieldSpec(
        "transcriptionEnabled", "Transcribe recordings", FieldKind.BOOL, group=RECORDING,
        help="Automatically transcribe all the recordings of this call.",
    ),
    FieldSpec(
        "tag", "Tag", FieldKind.TEXT, group=OTHER, meaning="tag",
        help="Any string; it is included in the callback events of the call.",
    ),
    FieldSpec(
        "sipHeaders", "SIP headers", FieldKind.MAP, group=SIP, meaning="sip_headers",
        max_items=SIP_HEADERS_MAX_COUNT, item_max_length=SIP_HEADER_MAX, key_pattern=SIP_HEADER_NAME,
        key_message=f"SIP header names start with X- (like X-Header-1), then use letters, digits and "
                    f"-._!%*+`'~ only, {SIP_HEADER_MAX} characters at most.",
        help=f"Custom SIP headers, names prefixed by X-; at most {SIP_HEADERS_MAX_COUNT} headers, "
             f"name and value at most {SIP_HEADER_MAX} characters each.",
    ),
)

CALLBACK_SETTINGS = ("callbackTimeout", "callbackHttpMethod", "fallbackUrl")


def no_sips(values: Values) -> Iterator[Problem]:
    to = values.get("to")
    if isinstance(to, str) and to[:5].lower() == "sips:":
        yield "to", "SIPS is not supported by Catapult; use a sip: URI, like sip:someone@somewhere.com."


def bridge_or_conference(values: Values) -> Iterator[Problem]:
    if values.get("bridgeId") and values.get("conferenceId"):
        message = "A call joins either a bridge or a conference, not both: clear Bridge ID or Conference ID."
        yield "bridgeId", message
        yield "conferenceId", message


def callbacks_need_url(values: Values) -> Iterator[Problem]:
    if values.get("callbackUrl"):
        return
    for name in CALLBACK_SETTINGS:
        if name in values:
            yield name, "Only used together with a Callback URL; set Callback URL too."


def recording_settings_need_recording(values: Values) -> Iterator[Problem]:
    if values.get("recordingEnabled") is True:
        return
    for name in ("recordingMaxDuration", "recordingFileFormat"):
        if name in values:
            yield name, "Only used when Record call is on; turn on Record call."
    if values.get("transcriptionEnabled") is True:
        yield ("transcriptionEnabled",
               "Only recordings are transcribed: turn on Record call, or the call has nothing to transcribe "
               "unless recording is started later.")


def sip_headers_need_sip(values: Values) -> Iterator[Problem]:
    to = values.get("to")
    if values.get("sipHeaders") and isinstance(to, str) and to[:4].lower() != "sip:":
        yield ("sipHeaders",
               "SIP headers reach the called party only on calls to a SIP URI (To like sip:someone@example.com); "
               "calls to phone numbers usually drop them.")


SCHEMA = ProviderSchema(
    fields=FIELDS,
    rules=(no_sips, bridge_or_conference),
    warning_rules=(callbacks_need_url, recording_settings_need_recording, sip_headers_need_sip),
    groups=(CALLBACKS, RECORDING, BRIDGE, SIP, OTHER),
)
