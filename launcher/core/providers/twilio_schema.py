"""Twilio Programmable Voice "Create a Call" (POST /2010-04-01/Accounts/{AccountSid}/Calls.json) as data.

Sources: the product brief's Twilio page (seed 004) and the official OpenAPI file
``twilio_api_v2010.json`` (operation ``CreateCall``); ranges the spec leaves open come from Twilio's
documentation pages (answering machine detection tuning, configurable call limits).  Wire names are
exactly Twilio's PascalCase parameter names; this module has no ``ADAPTER`` and is not a provider.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator

from launcher.core.schema import (
    BASIC,
    CrossRule,
    Endpoint,
    FieldKind,
    FieldSpec,
    Problem,
    ProviderSchema,
    Values,
)

INSTRUCTIONS = "Instructions"
CALLBACKS = "Callbacks"
RECORDING = "Recording"
AMD = "Answering machine detection"
SIP = "SIP"
OTHER = "Other"

HTTP_METHODS = ("GET", "POST")
CALL_EVENTS = ("initiated", "ringing", "answered", "completed")  # call_enum_event
RECORDING_EVENTS = ("in-progress", "completed", "absent")
SEND_DIGITS_PATTERN = r"[0-9A-D#*wW]+"
APPLICATION_SID_PATTERN = r"AP[0-9a-fA-F]{32}"
BYOC_PATTERN = r"BY[0-9a-fA-F]{32}"
ACCOUNT_SID_PATTERN = r"^AC[0-9a-fA-F]{32}$"

ENDPOINTS = frozenset({Endpoint.E164, Endpoint.SIP, Endpoint.CLIENT})


def _method(name: str, label: str, target: str, group: str, extra: str = "") -> FieldSpec:
    return FieldSpec(
        name, label, FieldKind.ENUM, choices=HTTP_METHODS, choices_case_insensitive=True, default="POST",
        group=group, help=f"HTTP method Twilio uses to request {target}: GET or POST (default POST).{extra}",
    )


IGNORED_WITH_APP = " Ignored when ApplicationSid is set."

FIELDS: tuple[FieldSpec, ...] = (
    # -- basic ------------------------------------------------------------------------------------
    FieldSpec(
        "To", "To", FieldKind.PHONE, required=True, endpoints=ENDPOINTS, meaning="to",
        placeholder="+15555551212",
        help="Who to call: a phone number in E.164 format (+15555551212), a SIP URI "
             "(sip:alice@example.com) or a Twilio Client identifier (client:alice).",
    ),
    FieldSpec(
        "From", "From", FieldKind.PHONE, required=True, endpoints=ENDPOINTS, meaning="from",
        placeholder="+15555550100",
        help="Caller ID: a Twilio number or a verified outgoing caller ID of the account (E.164), or "
             "client:NAME. When To is a phone number, From must be a phone number too. A SIP URI is "
             "accepted only when To is a SIP URI.",
    ),
    FieldSpec(
        "Url", "TwiML URL", FieldKind.URL, meaning="answer_url", placeholder="https://example.com/voice.xml",
        help="Absolute URL that returns the TwiML instructions for the call; Twilio requests it with "
             "Method when the call connects. One of Url, Twiml or ApplicationSid is required.",
    ),
    FieldSpec(
        "Twiml", "TwiML", FieldKind.TEXT, max_length=4000,
        placeholder="<Response><Say>Hello</Say></Response>",
        help="TwiML instructions Twilio uses directly instead of fetching them from Url (max 4000 "
             "characters). If both Twiml and Url are given, Twilio ignores Twiml.",
    ),
    FieldSpec(
        "ApplicationSid", "Application SID", FieldKind.TEXT, pattern=APPLICATION_SID_PATTERN,
        pattern_message="Use a 34-character Application SID: AP followed by 32 hex digits.",
        meaning="application_id", placeholder="AP" + "0" * 32,
        help="SID of the TwiML Application that handles the call. When set, Twilio uses the "
             "application's voice URLs and ignores Url, Method, fallback and status callback settings.",
    ),
    FieldSpec(
        "Timeout", "Ring timeout", FieldKind.INT, minimum=1, maximum=600, default=60, unit="s",
        meaning="ring_timeout",
        help="Seconds to let the phone ring before giving up as no-answer (default 60, max 600). Twilio "
             "may add a 5-second buffer; a short value such as 15 hangs up before voicemail picks up.",
    ),
    # -- instructions -----------------------------------------------------------------------------
    _method("Method", "Url method", "Url", INSTRUCTIONS, IGNORED_WITH_APP),
    FieldSpec(
        "FallbackUrl", "Fallback URL", FieldKind.URL, group=INSTRUCTIONS,
        help="URL Twilio requests with FallbackMethod if requesting or executing the TwiML at Url fails."
             + IGNORED_WITH_APP,
    ),
    _method("FallbackMethod", "Fallback method", "FallbackUrl", INSTRUCTIONS, IGNORED_WITH_APP),
    # -- callbacks --------------------------------------------------------------------------------
    FieldSpec(
        "StatusCallback", "Status callback URL", FieldKind.URL, group=CALLBACKS, meaning="status_url",
        help="URL Twilio calls with StatusCallbackMethod to report call progress. The host name must be "
             "valid (no underscores)." + IGNORED_WITH_APP,
    ),
    FieldSpec(
        "StatusCallbackEvent", "Status callback events", FieldKind.LIST, choices=CALL_EVENTS,
        choices_case_insensitive=True, group=CALLBACKS, default=["completed"],
        help="Call progress events sent to StatusCallback: initiated, ringing, answered, completed. "
             "Without any, Twilio sends only completed." + IGNORED_WITH_APP,
    ),
    _method("StatusCallbackMethod", "Status callback method", "StatusCallback", CALLBACKS, IGNORED_WITH_APP),
    FieldSpec(
        "ClientNotificationUrl", "Client notification URL", FieldKind.URL, group=CALLBACKS,
        help="URL Twilio uses to deliver the push call notification (Voice SDK client calls).",
    ),
    # -- recording --------------------------------------------------------------------------------
    FieldSpec(
        "Record", "Record call", FieldKind.BOOL, default=False, group=RECORDING, meaning="record",
        help="Record the call (default false). The recording URL is sent to the status callback.",
    ),
    FieldSpec(
        "RecordingChannels", "Recording channels", FieldKind.ENUM, choices=("mono", "dual"),
        choices_case_insensitive=True, default="mono", group=RECORDING,
        help="mono mixes both legs into one channel; dual records each leg on its own channel "
             "(parent call first).",
    ),
    FieldSpec(
        "RecordingTrack", "Recording track", FieldKind.ENUM, choices=("inbound", "outbound", "both"),
        choices_case_insensitive=True, default="both", group=RECORDING,
        help="Audio to record: inbound (received by Twilio), outbound (generated by Twilio) or both.",
    ),
    FieldSpec(
        "Trim", "Trim silence", FieldKind.ENUM, choices=("trim-silence", "do-not-trim"),
        choices_case_insensitive=True, default="trim-silence", group=RECORDING,
        help="Whether to trim leading and trailing silence from the recording (default trim-silence).",
    ),
    FieldSpec(
        "RecordingStatusCallback", "Recording status callback URL", FieldKind.URL, group=RECORDING,
        help="URL Twilio calls when the recording is available.",
    ),
    _method("RecordingStatusCallbackMethod", "Recording callback method", "RecordingStatusCallback", RECORDING),
    FieldSpec(
        "RecordingStatusCallbackEvent", "Recording callback events", FieldKind.LIST, choices=RECORDING_EVENTS,
        choices_case_insensitive=True, default=["completed"], group=RECORDING,
        help="Recording events that trigger RecordingStatusCallback: in-progress, completed, absent "
             "(default completed).",
    ),
    # -- answering machine detection ---------------------------------------------------------------
    FieldSpec(
        "MachineDetection", "Machine detection", FieldKind.ENUM, choices=("Enable", "DetectMessageEnd"),
        choices_case_insensitive=True, group=AMD,
        help="Detect whether a human, answering machine or fax answered. Enable returns AnsweredBy as "
             "soon as known; DetectMessageEnd waits for the end of the greeting (to leave a message). "
             "Ignored when SendDigits is set.",
    ),
    FieldSpec(
        "MachineDetectionTimeout", "Detection timeout", FieldKind.INT, minimum=3, maximum=59, default=30,
        unit="s", group=AMD,
        help="Seconds to attempt detection before answering with AnsweredBy=unknown (3-59, default 30).",
    ),
    FieldSpec(
        "MachineDetectionSpeechThreshold", "Speech threshold", FieldKind.INT, minimum=1000, maximum=6000,
        default=2400, unit="ms", group=AMD,
        help="Speech shorter than this is taken as a human, longer as a machine (1000-6000, default 2400).",
    ),
    FieldSpec(
        "MachineDetectionSpeechEndThreshold", "Speech end threshold", FieldKind.INT, minimum=500,
        maximum=5000, default=1200, unit="ms", group=AMD,
        help="Silence after speech that ends the speech activity (500-5000, default 1200).",
    ),
    FieldSpec(
        "MachineDetectionSilenceTimeout", "Initial silence timeout", FieldKind.INT, minimum=2000,
        maximum=10000, default=5000, unit="ms", group=AMD,
        help="Initial silence after which AnsweredBy=unknown is returned (2000-10000, default 5000).",
    ),
    FieldSpec(
        "AsyncAmd", "Asynchronous detection", FieldKind.BOOL, default=False, group=AMD,
        help="Run machine detection in the background instead of blocking the call until it completes; "
             "the result goes to AsyncAmdStatusCallback.",
    ),
    FieldSpec(
        "AsyncAmdStatusCallback", "Async AMD callback URL", FieldKind.URL, group=AMD,
        help="URL Twilio calls with the detection result (human, machine or fax) when AsyncAmd is true.",
    ),
    _method("AsyncAmdStatusCallbackMethod", "Async AMD callback method", "AsyncAmdStatusCallback", AMD),
    # -- SIP --------------------------------------------------------------------------------------
    FieldSpec(
        "SipAuthUsername", "SIP auth username", FieldKind.TEXT, group=SIP,
        help="Username to authenticate the caller when To is a SIP URI.",
    ),
    FieldSpec(
        "SipAuthPassword", "SIP auth password", FieldKind.TEXT, group=SIP, secret=True,
        help="Password for SipAuthUsername. Never stored in history.",
    ),
    # -- other ------------------------------------------------------------------------------------
    FieldSpec(
        "SendDigits", "Send digits", FieldKind.TEXT, max_length=32, pattern=SEND_DIGITS_PATTERN,
        pattern_message="Use only 0-9, A-D, # and *, plus w (half-second pause) or W (one-second pause).",
        group=OTHER, placeholder="W1234#",
        help="Keys to dial after the call connects (max 32): 0-9, A-D, #, *; w pauses half a second, W "
             "one second. Example: W1234# waits one second, then dials 1234#. MachineDetection is "
             "ignored when this is set.",
    ),
    FieldSpec(
        "TimeLimit", "Time limit", FieldKind.INT, minimum=60, maximum=86400, default=14400, unit="s",
        group=OTHER, meaning="time_limit",
        help="Maximum call duration in seconds, from one minute to 24 hours (default 4 hours); the "
             "account's own call limit also applies.",
    ),
    FieldSpec(
        "CallerId", "Caller ID", FieldKind.TEXT, group=OTHER,
        help="Phone number (E.164), SIP address (name@company.com) or client identifier shown as the "
             "caller.",
    ),
    FieldSpec(
        "Byoc", "BYOC trunk SID", FieldKind.TEXT, pattern=BYOC_PATTERN, group=OTHER,
        pattern_message="Use a 34-character BYOC trunk SID: BY followed by 32 hex digits.",
        help="SID of a Bring Your Own Carrier trunk to route the call with; only used when To is a phone "
             "number (beta).",
    ),
    FieldSpec(
        "CallReason", "Call reason", FieldKind.TEXT, group=OTHER,
        help="Purpose of the call shown on the called party's phone (Branded Calls, beta).",
    ),
    FieldSpec(
        "CallToken", "Call token", FieldKind.TEXT, group=OTHER,
        help="call_token of an incoming call, to forward it bearing the original caller ID.",
    ),
)


# -- cross-field rules ---------------------------------------------------------------------------------

def endpoint_type(value: object) -> str | None:
    """"phone", "sip" or "client" for a normalized To/From value, None when absent."""
    if not isinstance(value, str) or not value:
        return None
    lowered = value.lower()
    if lowered.startswith(("sip:", "sips:")):
        return "sip"
    if lowered.startswith("client:"):
        return "client"
    return "phone"


def _has(values: Values, name: str) -> bool:
    return values.get(name) not in (None, "", [], {})


def instructions_required(values: Values) -> Iterator[Problem]:
    if not any(_has(values, name) for name in ("Url", "Twiml", "ApplicationSid")):
        yield "Url", "Set one of Url, Twiml or ApplicationSid: Twilio needs instructions for the call."


def from_matches_to(values: Values) -> Iterator[Problem]:
    to, caller = endpoint_type(values.get("To")), endpoint_type(values.get("From"))
    if to is None or caller is None:
        return
    if to == "phone" and caller != "phone":
        yield ("From", "To is a phone number, so From must be a phone number too: a Twilio number or "
                       "verified caller ID in E.164 format, like +15555551212.")
    elif caller == "sip" and to != "sip":
        yield "From", "From can be a SIP URI only when To is a SIP URI; use a phone number or client:NAME."


RULES = (instructions_required, from_matches_to)


def _requires(field: str, needs: str, message: str) -> CrossRule:
    def rule(values: Values) -> Iterator[Problem]:
        if _has(values, field) and not _has(values, needs):
            yield field, message
    rule.__name__ = f"{field}_needs_{needs}"
    return rule


def twiml_ignored(values: Values) -> Iterator[Problem]:
    if _has(values, "Url") and _has(values, "Twiml") and not _has(values, "ApplicationSid"):
        yield "Twiml", "Twilio ignores Twiml when Url is also set; clear one of them."


APP_OVERRIDES = ("Url", "Twiml", "Method", "FallbackUrl", "FallbackMethod", "StatusCallback",
                 "StatusCallbackEvent", "StatusCallbackMethod")


def application_wins(values: Values) -> Iterator[Problem]:
    if not _has(values, "ApplicationSid"):
        return
    for name in APP_OVERRIDES:
        if _has(values, name):
            yield name, f"Ignored: ApplicationSid is set, so Twilio uses the application's settings instead of {name}."


def method_without_url(values: Values) -> Iterator[Problem]:
    if _has(values, "Method") and not _has(values, "Url") and not _has(values, "ApplicationSid"):
        yield "Method", "Method only applies to Url; it has no effect without a Url."


AMD_TUNING = ("MachineDetectionTimeout", "MachineDetectionSpeechThreshold", "MachineDetectionSpeechEndThreshold",
              "MachineDetectionSilenceTimeout", "AsyncAmd", "AsyncAmdStatusCallback",
              "AsyncAmdStatusCallbackMethod")


def amd_needs_machine_detection(values: Values) -> Iterator[Problem]:
    if _has(values, "MachineDetection"):
        return
    for name in AMD_TUNING:
        if _has(values, name):
            yield name, "Only used with answering machine detection: set MachineDetection too."


def amd_ignored_with_digits(values: Values) -> Iterator[Problem]:
    if _has(values, "MachineDetection") and _has(values, "SendDigits"):
        yield "MachineDetection", "Twilio ignores MachineDetection when SendDigits is set."


def async_callback_needs_async(values: Values) -> Iterator[Problem]:
    if values.get("AsyncAmd") is True:
        return
    for name in ("AsyncAmdStatusCallback", "AsyncAmdStatusCallbackMethod"):
        if _has(values, name):
            yield name, "Only used when AsyncAmd is true."


RECORDING_OPTIONS = ("RecordingChannels", "RecordingTrack", "Trim")


def recording_options_need_record(values: Values) -> Iterator[Problem]:
    if values.get("Record") is True:
        return
    for name in RECORDING_OPTIONS:
        if _has(values, name):
            yield name, "Only applies when Record is true."


def byoc_needs_phone(values: Values) -> Iterator[Problem]:
    if _has(values, "Byoc") and endpoint_type(values.get("To")) not in (None, "phone"):
        yield "Byoc", "Twilio ignores Byoc unless To is a phone number."


def sip_auth_needs_sip(values: Values) -> Iterator[Problem]:
    if endpoint_type(values.get("To")) in (None, "sip"):
        return
    for name in ("SipAuthUsername", "SipAuthPassword"):
        if _has(values, name):
            yield name, "Only used when To is a SIP URI."


def twiml_looks_like_twiml(values: Values) -> Iterator[Problem]:
    text = values.get("Twiml")
    if not isinstance(text, str) or not text.strip():
        return
    try:
        root = ET.fromstring(text.strip())
    except (ET.ParseError, ValueError) as exc:
        yield "Twiml", f"This is not well-formed XML ({exc}); TwiML looks like <Response><Say>Hello</Say></Response>."
        return
    if root.tag != "Response":
        yield "Twiml", "TwiML starts with <Response>, like <Response><Say>Hello</Say></Response>."


WARNING_RULES = (
    twiml_ignored,
    application_wins,
    method_without_url,
    _requires("FallbackMethod", "FallbackUrl", "FallbackMethod only applies to FallbackUrl; set FallbackUrl too."),
    _requires("StatusCallbackEvent", "StatusCallback", "Events are sent to StatusCallback; set StatusCallback too."),
    _requires("StatusCallbackMethod", "StatusCallback",
              "StatusCallbackMethod only applies to StatusCallback; set StatusCallback too."),
    _requires("RecordingStatusCallbackEvent", "RecordingStatusCallback",
              "Events are sent to RecordingStatusCallback; set RecordingStatusCallback too."),
    _requires("RecordingStatusCallbackMethod", "RecordingStatusCallback",
              "RecordingStatusCallbackMethod only applies to RecordingStatusCallback; set it too."),
    _requires("AsyncAmdStatusCallbackMethod", "AsyncAmdStatusCallback",
              "AsyncAmdStatusCallbackMethod only applies to AsyncAmdStatusCallback; set it too."),
    _requires("SipAuthPassword", "SipAuthUsername", "A SIP password needs SipAuthUsername too."),
    amd_needs_machine_detection,
    amd_ignored_with_digits,
    async_callback_needs_async,
    recording_options_need_record,
    byoc_needs_phone,
    sip_auth_needs_sip,
    twiml_looks_like_twiml,
)

SCHEMA = ProviderSchema(
    fields=FIELDS,
    rules=RULES,
    warning_rules=WARNING_RULES,
    groups=(BASIC, INSTRUCTIONS, CALLBACKS, RECORDING, AMD, SIP, OTHER),
)
