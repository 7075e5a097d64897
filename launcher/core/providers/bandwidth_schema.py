"""Bandwidth Voice API v2 create-call fields (``POST /accounts/{accountId}/calls``) and their rules.

Sources: the two "Create Call" pages in the seeds, the standalone voice spec (4.1.0) and the newer
combined spec the SDKs are generated from.  Where they differ the schema accepts what the newer
spec accepts and warns where an older document was stricter:

* ``tag``: 256 characters in the seeds and the 4.1.0 spec, 4096 in the newer spec.
* ``uui``: 256 characters in a seed, 350 in both specs; ``hex`` encoding only in the newer spec.
* ``from``: Restricted / Anonymous / Private / Unavailable in a seed and the 4.1.0 spec; the newer
  spec wants an E.164 ``from`` with ``privacy`` true and puts those words in ``displayName``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from launcher.core.phone import looks_like_sip
from launcher.core.schema import Endpoint, FieldKind, FieldSpec, Problem, ProviderSchema, Values

PRIVATE_NAMES = ("Restricted", "Anonymous", "Private", "Unavailable")
UUI_ENCODINGS = ("base64", "jwt", "hex")
URL_MAX = 2048
CREDENTIAL_MAX = 1024
CONTROL_FREE = r"[^\x00-\x1f\x7f]*"

CALLBACKS = "Callbacks"
CALLER_ID = "Caller ID"
CALL_OPTIONS = "Call options"
AMD = "Answering machine detection"
SIP = "SIP"
GROUPS = (CALL_OPTIONS, CALLER_ID, CALLBACKS, AMD, SIP)

MD = "machineDetection"


def _method(name: str, label: str, target: str, group: str) -> FieldSpec:
    return FieldSpec(
        name, label, FieldKind.ENUM, choices=("GET", "POST"), choices_case_insensitive=True, default="POST",
        group=group,
        help=f"HTTP method Bandwidth uses for the request to {target}: GET or POST. Default POST.",
    )


def _url(name: str, label: str, help_text: str, group: str, **extra: Any) -> FieldSpec:
    return FieldSpec(name, label, FieldKind.URL, help=help_text + f" At most {URL_MAX} characters.",
                     max_length=URL_MAX, group=group, placeholder="https://example.com/webhooks", **extra)


def _user(name: str, label: str, target: str, group: str) -> FieldSpec:
    return FieldSpec(name, label, FieldKind.TEXT, max_length=CREDENTIAL_MAX, group=group,
                     help=f"Basic auth username Bandwidth sends with the request to {target}. "
                          "Set it together with the password.")


def _password(name: str, label: str, target: str, group: str) -> FieldSpec:
    return FieldSpec(name, label, FieldKind.TEXT, max_length=CREDENTIAL_MAX, group=group, secret=True,
                     help=f"Basic auth password Bandwidth sends with the request to {target}. "
                          "Set it together with the username. Never stored.")


def _seconds(name: str, label: str, help_text: str, default: float | None = None) -> FieldSpec:
    return FieldSpec(name, label, FieldKind.NUMBER, minimum=0, decimals=1, unit="s", default=default,
                     group=AMD, help=help_text + " No upper limit is documented.")


MACHINE_DETECTION = (
    FieldSpec(
        "mode", "Mode", FieldKind.ENUM, choices=("sync", "async"), default="async", group=AMD,
        help="async: the result arrives in a machineDetectionComplete webhook to the callback URL. "
             "sync: the answer webhook waits for detection to finish and includes the result.",
    ),
    _seconds("detectionTimeout", "Detection timeout",
             "Timeout for the whole detection; without a result by then a 'timeout' result is sent.", 15),
    _seconds("silenceTimeout", "Silence timeout",
             "If no speech is detected in this period, a 'silence' result is sent.", 10),
    _seconds("speechThreshold", "Speech threshold",
             "When audio alone gives no answer, speech at least this long means 'answering-machine', "
             "shorter means 'human'.", 10),
    _seconds("speechEndThreshold", "Speech end threshold",
             "Silence before assuming the callee has finished speaking.", 5),
    _seconds("machineSpeechEndThreshold", "Machine speech end threshold",
             "When a machine is detected, silence before assuming its message has finished. "
             "Defaults to the speech end threshold."),
    FieldSpec("delayResult", "Delay result", FieldKind.BOOL, default=False, group=AMD,
              help="If true and a machine is detected, the 'answering-machine' result waits until the machine "
                   "stops speaking, a beep is heard or the detection timeout passes. If false it is sent at once."),
    _url("callbackUrl", "Callback URL",
         "Where the machineDetectionComplete webhook goes when detection completes. Only for async mode.", AMD),
    _method("callbackMethod", "Callback method", "the callback URL", AMD),
    _user("username", "Callback username", "the detection callback URL", AMD),
    _password("password", "Callback password", "the detection callback URL", AMD),
    _url("fallbackUrl", "Fallback URL",
         "Used to retry the machineDetectionComplete webhook if the callback URL fails to respond.", AMD),
    _method("fallbackMethod", "Fallback method", "the fallback URL", AMD),
    _user("fallbackUsername", "Fallback username", "the detection fallback URL", AMD),
    _password("fallbackPassword", "Fallback password", "the detection fallback URL", AMD),
)

FIELDS = (
    FieldSpec(
        "to", "To", FieldKind.PHONE, required=True, meaning="to",
        endpoints=frozenset({Endpoint.E164, Endpoint.SIP}), placeholder="+15555551313",
        help="The destination: an E.164 number like +15555551313, or a SIP URI like sip:user@server.example.",
    ),
    FieldSpec(
        "from", "From", FieldKind.PHONE, required=True, meaning="from", special_values=PRIVATE_NAMES,
        placeholder="+15555551212",
        help="A Bandwidth number on your account, in E.164 format like +15555551212. Older documents also allow "
             "Restricted, Anonymous, Private or Unavailable; the current API prefers an E.164 number with "
             "Hide caller ID (privacy) set.",
    ),
    FieldSpec(
        "applicationId", "Application ID", FieldKind.TEXT, required=True, meaning="application_id",
        placeholder="7fc9698a-b04a-468b-9e8f-91238c0d0086",
        help="The id of the Voice application associated with the from number (used for billing and webhooks).",
    ),
    FieldSpec(
        "answerUrl", "Answer URL", FieldKind.URL, required=True, meaning="answer_url", max_length=URL_MAX,
        placeholder="https://example.com/webhooks/answer",
        help="Bandwidth sends the Answer webhook here when the called party answers; it must return the first "
             "BXML document of the call. Must use https if username and password are set. "
             f"At most {URL_MAX} characters.",
    ),
    FieldSpec("callTimeout", "Ring timeout", FieldKind.NUMBER, meaning="ring_timeout", minimum=1, maximum=300,
              decimals=1, default=30, unit="s", group=CALL_OPTIONS,
              help="Seconds the callee has to answer after the call starts ringing (1 to 300, decimals allowed). "
                   "A call that does not start ringing within 30 s is cancelled regardless. Default 30."),
    FieldSpec("priority", "Priority", FieldKind.INT, minimum=1, maximum=5, default=5, group=CALL_OPTIONS,
              help="Priority of this call in your account's queue, 1 (highest) to 5 (lowest). Default 5."),
    FieldSpec("tag", "Tag", FieldKind.TEXT, meaning="tag", max_length=4096, soft_max_length=256,
              soft_max_note="Older Bandwidth documents allow at most 256 characters for tag; the current API "
                            "accepts up to 4096.",
              group=CALL_OPTIONS,
              help="A custom string sent with every webhook of this call until a <Tag> verb or tag attribute "
                   "changes it. At most 4096 characters (older documents: 256)."),
    FieldSpec("privacy", "Hide caller ID", FieldKind.BOOL, group=CALLER_ID,
              help="Hide the calling number. Display name can then only be Restricted, Anonymous, Private "
                   "or Unavailable."),
    FieldSpec("displayName", "Display name", FieldKind.TEXT, max_length=256, pattern=CONTROL_FREE,
              pattern_message="Remove line breaks and other control characters.", group=CALLER_ID,
              placeholder="John Doe",
              help="Caller display name for the call. At most 256 characters, no control characters such as "
                   "new lines. With Hide caller ID only Restricted, Anonymous, Private or Unavailable."),
    FieldSpec("answerMethod", "Answer method", FieldKind.ENUM, choices=("GET", "POST"), default="POST",
              choices_case_insensitive=True,
              group=CALLBACKS, help="HTTP method for the request to the answer URL: GET or POST. Default POST."),
    _user("username", "Username", "the answer and disconnect URLs", CALLBACKS),
    _password("password", "Password", "the answer and disconnect URLs", CALLBACKS),
    _url("answerFallbackUrl", "Answer fallback URL",
         "Used to retry the Answer webhook if the answer URL fails to respond. Must use https if fallback "
         "username and password are set.", CALLBACKS),
    _method("answerFallbackMethod", "Answer fallback method", "the answer fallback URL", CALLBACKS),
    _user("fallbackUsername", "Fallback username", "the answer fallback URL", CALLBACKS),
    _password("fallbackPassword", "Fallback password", "the answer fallback URL", CALLBACKS),
    _url("disconnectUrl", "Disconnect URL",
         "Bandwidth sends the Disconnect webhook here when the call ends (no BXML expected). Errors that end "
         "the call, such as invalid BXML, are only reported there, so setting it is recommended.",
         CALLBACKS, meaning="status_url"),
    _method("disconnectMethod", "Disconnect method", "the disconnect URL", CALLBACKS),
    FieldSpec("callbackTimeout", "Webhook timeout", FieldKind.NUMBER, minimum=1, maximum=25, decimals=1,
              default=15, unit="s", group=CALLBACKS,
              help="Seconds Bandwidth waits when delivering this call's webhooks (1 to 25, decimals allowed). "
                   "Default 15."),
    FieldSpec("machineDetection", "Answering machine detection", FieldKind.OBJECT, group=AMD,
              children=MACHINE_DETECTION,
              help="Detect whether a person or an answering machine picked up. Setting any member turns "
                   "detection on."),
    FieldSpec("uui", "User-to-User (UUI)", FieldKind.TEXT, max_length=350, soft_max_length=256,
              soft_max_note="An older Bandwidth document allows at most 256 characters for uui; the API "
                            "specification allows 350.",
              group=SIP, placeholder="aGVsbG8gd29ybGQ=;encoding=base64",
              help="User-To-User header value(s) for the INVITE when calling a SIP URI; comma-separate several. "
                   "Each must end with ;encoding=base64, ;encoding=jwt or ;encoding=hex (RFC 7433). "
                   "At most 350 characters in all (an older document: 256)."),
)


# -- cross-field rules ------------------------------------------------------------------------------
def _obj(values: Values, name: str) -> dict[str, Any]:
    node = values.get(name)
    return node if isinstance(node, dict) else {}


def _https(url: Any) -> bool:
    return isinstance(url, str) and url.lower().startswith("https://")


CREDENTIAL_PAIRS = (
    ("", "username", "password", "Username", "Password", "answer and disconnect URLs"),
    ("", "fallbackUsername", "fallbackPassword", "Fallback username", "Fallback password", "answer fallback URL"),
    (MD, "username", "password", "Callback username", "Callback password", "detection callback URL"),
    (MD, "fallbackUsername", "fallbackPassword", "Fallback username", "Fallback password",
     "detection fallback URL"),
)


def credentials_in_pairs(values: Values) -> Iterator[Problem]:
    """Basic auth needs both halves: a username without its password (or the reverse) is an error."""
    for parent, user, password, user_label, password_label, target in CREDENTIAL_PAIRS:
        node = _obj(values, parent) if parent else values
        prefix = f"{parent}." if parent else ""
        if user in node and password not in node:
            yield (f"{prefix}{password}",
                   f"Set {password_label} too: the {target} get basic auth only with both username and password.")
        if password in node and user not in node:
            yield (f"{prefix}{user}",
                   f"Set {user_label} too: the {target} get basic auth only with both username and password.")


def credentials_need_https(values: Values) -> Iterator[Problem]:
    """Both specs on answerUrl: "Must use `https` if specifying `username` and `password`" (and the same
    for answerFallbackUrl with the fallback credentials)."""
    if ("username" in values or "password" in values) and "answerUrl" in values \
            and not _https(values["answerUrl"]):
        yield ("answerUrl", "Use https:// here: Bandwidth requires an https answer URL when username and "
                            "password are set, so the credentials are never sent in clear text.")
    if ("fallbackUsername" in values or "fallbackPassword" in values) and "answerFallbackUrl" in values \
            and not _https(values["answerFallbackUrl"]):
        yield ("answerFallbackUrl", "Use https:// here: Bandwidth requires an https answer fallback URL when "
                                    "fallback username and password are set.")


UUI_DATA = {
    "base64": re.compile(r"[A-Za-z0-9+/]+={0,2}"),
    "jwt": re.compile(r"[A-Za-z0-9_=-]+(\.[A-Za-z0-9_=-]*){0,4}"),
    "hex": re.compile(r"[0-9A-Fa-f]+"),
}
UUI_PARAM = re.compile(r"[A-Za-z0-9._!%*+`'~-]+=[^\s;,]+")


def _uui_items(values: Values) -> Iterator[tuple[str, list[str]]]:
    """(how to name the value in messages, its ;-separated parts) for each comma-separated uui value."""
    text = values.get("uui")
    if not isinstance(text, str):
        return
    items = text.split(",")
    for number, item in enumerate(items, start=1):
        name = f"UUI value {number}" if len(items) > 1 else "The value"
        yield name, [p.strip() for p in item.strip().split(";")]


def uui_encoding(values: Values) -> Iterator[Problem]:
    """Seeds and specs: each value must end with an RFC 7433 encoding parameter (base64, jwt; newer: hex)."""
    for name, parts in _uui_items(values):
        last = parts[-1].lower().replace(" ", "") if len(parts) > 1 else ""
        if not last.startswith("encoding="):
            yield ("uui", f"{name} must end with ;encoding=base64, ;encoding=jwt or ;encoding=hex, "
                          "like aGVsbG8=;encoding=base64.")
        elif last.split("=", 1)[1] not in UUI_ENCODINGS:
            yield ("uui", f"{name} uses encoding '{last.split('=', 1)[1]}'; Bandwidth allows only base64, jwt "
                          "and hex.")
        elif not parts[0]:
            yield ("uui", f"{name} has no data before ;encoding=.")


def uui_data(values: Values) -> Iterator[Problem]:
    """Advice only: data that does not look like its declared encoding, or malformed parameters."""
    for name, parts in _uui_items(values):
        encoding = parts[-1].lower().replace(" ", "").split("=", 1)[-1] if len(parts) > 1 else ""
        if encoding in UUI_DATA and parts[0] and not UUI_DATA[encoding].fullmatch(parts[0]):
            yield ("uui", f"{name} does not look like {encoding} data: '{parts[0][:20]}'.")
        for param in parts[1:-1]:
            if not UUI_PARAM.fullmatch(param):
                yield ("uui", f"{name} has a malformed parameter '{param[:20]}'; use name=value.")


def privacy_display_name(values: Values) -> Iterator[Problem]:
    """Newer spec: "If privacy is true, only the following values are valid: Restricted, Anonymous, ..."."""
    name = values.get("displayName")
    if values.get("privacy") is True and isinstance(name, str) and name not in PRIVATE_NAMES:
        yield ("displayName", "With Hide caller ID on, use one of: " + ", ".join(PRIVATE_NAMES) + ".")


# -- warnings ---------------------------------------------------------------------------------------
def from_private_word(values: Values) -> Iterator[Problem]:
    if values.get("from") in PRIVATE_NAMES:
        yield ("from", "The current Bandwidth API wants a Bandwidth E.164 number here even for hidden calls: "
                       f"consider from = your number, Hide caller ID on and Display name = {values['from']}.")


def credentials_in_clear(values: Values) -> Iterator[Problem]:
    if ("username" in values or "password" in values) and "disconnectUrl" in values \
            and not _https(values["disconnectUrl"]):
        yield ("disconnectUrl", "Username and password are also sent to this URL; use https:// so they are not "
                                "sent in clear text.")
    md = _obj(values, MD)
    if ("username" in md or "password" in md) and "callbackUrl" in md and not _https(md["callbackUrl"]):
        yield (f"{MD}.callbackUrl", "Use https:// so the callback username and password are not sent in clear text.")
    if ("fallbackUsername" in md or "fallbackPassword" in md) and "fallbackUrl" in md \
            and not _https(md["fallbackUrl"]):
        yield (f"{MD}.fallbackUrl", "Use https:// so the fallback username and password are not sent in clear text.")


def unused_settings(values: Values) -> Iterator[Problem]:
    if ("fallbackUsername" in values or "fallbackPassword" in values or "answerFallbackMethod" in values) \
            and "answerFallbackUrl" not in values:
        yield ("answerFallbackUrl", "Fallback method and credentials are only used with an answer fallback URL.")
    if "uui" in values and isinstance(values.get("to"), str) and not looks_like_sip(values["to"]):
        yield ("uui", "User-to-User data is only sent when calling a SIP URI; it is ignored for phone numbers.")
    md = _obj(values, MD)
    if md.get("mode") == "sync" and "callbackUrl" in md:
        yield (f"{MD}.callbackUrl", "The callback URL is only used in async mode; in sync mode the result comes "
                                    "with the answer webhook.")


def whole_seconds(values: Values) -> Iterator[Problem]:
    """Newer spec: "there is an issue where decimal values are not getting processed correctly"."""
    md = _obj(values, MD)
    for spec in MACHINE_DETECTION:
        value = md.get(spec.name)
        if spec.kind is FieldKind.NUMBER and isinstance(value, float) and not value.is_integer():
            yield (f"{MD}.{spec.name}", "Bandwidth currently mishandles decimals in machine detection settings; "
                                        "use whole seconds.")


SCHEMA = ProviderSchema(
    fields=FIELDS,
    rules=(credentials_in_pairs, credentials_need_https, uui_encoding, privacy_display_name),
    warning_rules=(from_private_word, credentials_in_clear, unused_settings, whole_seconds, uui_data),
    groups=GROUPS,
)
