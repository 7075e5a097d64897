"""Create-call fields of the jambonz REST API as used by Cognigy Voice Gateway.

Sources: the Cognigy "Create Outbound Calls" page (basic and advanced options), the jambonz swagger
(``createCall``: Target, Webhook), jambonz docs ``rest/calls.md`` and the fields the running servers
accept beyond the swagger (jambonz-feature-server ``lib/http-routes/schemas/create-call.js`` and the
``rest:dial`` verb; jambonz-api-server ``validateCreateCall``), plus the listen, transcribe and
answering-machine-detection docs for the nested objects.

Hook representation: ``call_hook`` and ``call_status_hook`` are Webhook objects (url, method,
username, password) as the REST docs define them.  The verb-level hooks (actionHook, confirmHook,
dtmfHook, referHook, amd.actionHook, listen.actionHook, transcribe.transcriptionHook,
sipRequestWithinDialogHook) are sent as plain URL strings, a form the server accepts everywhere
(``object|string``): an absolute http(s)/ws(s) URL, or a path starting with "/" that jambonz
resolves against the application's call hook.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from launcher.core.phone import E164_RE, sip_uri_error
from launcher.core.schema import Endpoint, FieldKind, FieldSpec, Problem, ProviderSchema

F = FieldKind
NUMBERS = frozenset({Endpoint.E164, Endpoint.BARE_NUMBER})

UUID_PATTERN = r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
HOSTNAME_PATTERN = rf"{_LABEL}(?:\.{_LABEL})*"
_HOST = rf"(?:{HOSTNAME_PATTERN}|\[[0-9A-Fa-f:.]+\])(?::\d{{1,5}})?(?:[/?#]\S*)?"
ABSOLUTE_HOOK_PATTERN = rf"(?i:https?|wss?)://{_HOST}"
HOOK_PATTERN = rf"{ABSOLUTE_HOOK_PATTERN}|/\S*"
WS_URL_PATTERN = rf"(?i:wss?)://{_HOST}|/\S*"
DTMF_PATTERN = r"[0-9A-Da-d*#]+"
SIP_HEADER_NAME = r"[A-Za-z0-9!#$%&'*+.^_`|~-]+"
REGISTERED_USER_PATTERN = r"[^\s@:;]+@[A-Za-z0-9.\-\[\]:]+"
# Node's setTimeout fires at once for delays above 2^31-1 ms; jambonz multiplies seconds by 1000.
MAX_TIMER_SECONDS = 2147483

ABSOLUTE_HOOK_MESSAGE = ("Use an absolute URL starting with https://, http://, wss:// or ws://, "
                         "like https://example.com/call-hook.")
HOOK_MESSAGE = ("Use a full URL like https://example.com/hook (or wss://…), or a path like /hook "
                "that jambonz resolves against the application's call hook.")
HOOK_HELP = (" A full URL, or a path like /hook resolved against the call hook; jambonz calls it "
             "with POST.")
SPEECH_FIELDS = ("speech_synthesis_vendor", "speech_synthesis_language", "speech_synthesis_voice",
                 "speech_recognizer_vendor", "speech_recognizer_language")
SAMPLE_RATES = ("8000", "16000", "24000", "32000", "48000", "64000")
NUMERIC_ENUMS = frozenset({"listen.sampleRate", "listen.bidirectionalAudio.sampleRate"})
"""ENUM fields whose choices are numbers on the wire (the adapter sends them as integers)."""

CALLBACKS = "Callbacks"
AMD = "Answering machine detection"
DTMF = "DTMF"
LISTEN = "Audio streaming (listen)"
TRANSCRIBE = "Transcription"
SPEECH = "Speech defaults"
SIP = "SIP"
OTHER = "Other"
GROUPS = (CALLBACKS, AMD, DTMF, LISTEN, TRANSCRIBE, SPEECH, SIP, OTHER)


def _hook(name: str, label: str, help_text: str, group: str, *, required: bool = False) -> FieldSpec:
    return FieldSpec(name, label, F.TEXT, help_text + HOOK_HELP, required=required, group=group,
                     pattern=HOOK_PATTERN, pattern_message=HOOK_MESSAGE,
                     placeholder="https://example.com/hook")


def _webhook(name: str, label: str, help_text: str, group: str, meaning: str) -> FieldSpec:
    """The swagger's Webhook object; jambonz sends basic auth only when both credentials are set."""
    return FieldSpec(name, label, F.OBJECT, help_text, group=group, children=(
        FieldSpec("url", "URL", F.TEXT, "Absolute URL of the web callback; wss:// or ws:// connects a "
                  "websocket application.", required=True, group=group, pattern=ABSOLUTE_HOOK_PATTERN,
                  pattern_message=ABSOLUTE_HOOK_MESSAGE, meaning=meaning,
                  placeholder="https://example.com/call-hook"),
        FieldSpec("method", "Method", F.ENUM, "HTTP method of the callback: GET or POST (either case; "
                  "sent upper-case). The API's reference lists get/post, but jambonz-api-server passes the "
                  "value on unchecked and its own default is POST, and the feature server that calls the hook "
                  "accepts only GET or POST.", default="POST", group=group, choices=("GET", "POST"),
                  choices_case_insensitive=True),
        FieldSpec("username", "Username", F.TEXT, "HTTP basic authentication user name for the "
                  "callback.", group=group),
        FieldSpec("password", "Password", F.TEXT, "HTTP basic authentication password for the "
                  "callback.", group=group, secret=True),
    ))


def _recognizer(group: str, help_text: str) -> FieldSpec:
    r = group
    return FieldSpec("recognizer", "Recognizer", F.OBJECT, help_text, group=r, children=(
        FieldSpec("vendor", "Vendor", F.TEXT, "Speech-to-text vendor configured on the platform, like "
                  "google, aws, microsoft, deepgram, nuance, ibm, nvidia, soniox or custom:NAME.",
                  required=True, group=r, placeholder="google"),
        FieldSpec("label", "Credential label", F.TEXT, "Label of the vendor credential to use when "
                  "several are configured.", group=r),
        FieldSpec("language", "Language", F.TEXT, "BCP-47 language code. Defaults to the application "
                  "setting.", group=r, placeholder="en-US"),
        FieldSpec("fallbackVendor", "Fallback vendor", F.TEXT, "Vendor to use if the primary one fails.",
                  group=r),
        FieldSpec("fallbackLabel", "Fallback credential label", F.TEXT, "Credential label for the "
                  "fallback vendor.", group=r),
        FieldSpec("fallbackLanguage", "Fallback language", F.TEXT, "Language for the fallback vendor.",
                  group=r),
        FieldSpec("model", "Model", F.TEXT, "Vendor-specific recognition model.", group=r),
        FieldSpec("interim", "Interim results", F.BOOL, "Send interim (partial) transcriptions.",
                  default=False, group=r),
        FieldSpec("singleUtterance", "Single utterance", F.BOOL, "Stop after the first complete "
                  "utterance.", group=r),
        FieldSpec("dualChannel", "Dual channel", F.BOOL, "Send each call leg as its own channel.",
                  group=r),
        FieldSpec("separateRecognitionPerChannel", "Recognize each channel", F.BOOL, "Recognize both "
                  "caller and called party speech.", group=r),
        FieldSpec("hints", "Hints", F.LIST, "Words or phrases the recognizer should favor.", group=r),
        FieldSpec("hintsBoost", "Hints boost", F.NUMBER, "Boost factor for hints (vendor-specific "
                  "range).", group=r, decimals=2),
        FieldSpec("altLanguages", "Alternative languages", F.LIST, "(google) Other languages the "
                  "speaker may use.", group=r),
        FieldSpec("profanityFilter", "Profanity filter", F.BOOL, "Filter profanity from results.",
                  group=r),
        FieldSpec("punctuation", "Punctuation", F.BOOL, "Enable automatic punctuation.", group=r),
        FieldSpec("enhancedModel", "Enhanced model", F.BOOL, "(google) Use the enhanced model.",
                  group=r),
        FieldSpec("words", "Word offsets", F.BOOL, "(google) Include word timing.", group=r),
        FieldSpec("diarization", "Speaker diarization", F.BOOL, "Identify different speakers.",
                  group=r),
        FieldSpec("diarizationMinSpeakers", "Min speakers", F.INT, "Minimum number of speakers "
                  "expected.", group=r, minimum=1),
        FieldSpec("diarizationMaxSpeakers", "Max speakers", F.INT, "Maximum number of speakers "
                  "expected.", group=r, minimum=1),
        FieldSpec("interactionType", "Interaction type", F.ENUM, "(google) Kind of interaction.",
                  group=r, choices=("unspecified", "discussion", "presentation", "phone_call",
                                    "voicemail", "professionally_produced", "voice_search",
                                    "voice_command", "dictation")),
        FieldSpec("naicsCode", "NAICS code", F.INT, "(google) Industry code relevant to the speech.",
                  group=r, minimum=0),
        FieldSpec("identifyChannels", "Identify channels", F.BOOL, "(aws) Channel identification.",
                  group=r),
        FieldSpec("vocabularyName", "Vocabulary", F.TEXT, "(aws) Custom vocabulary name.", group=r),
        FieldSpec("vocabularyFilterName", "Vocabulary filter", F.TEXT, "(aws) Vocabulary filter name.",
                  group=r),
        FieldSpec("filterMethod", "Filter method", F.ENUM, "(aws) How filtered words are handled.",
                  group=r, choices=("remove", "mask", "tag")),
        FieldSpec("profanityOption", "Profanity option", F.ENUM, "(microsoft) Profanity handling. "
                  "Default raw.", group=r, choices=("masked", "removed", "raw")),
        FieldSpec("outputFormat", "Output format", F.ENUM, "(microsoft) Result detail. Default simple.",
                  group=r, choices=("simple", "detailed")),
        FieldSpec("requestSnr", "Request SNR", F.BOOL, "(microsoft) Request signal-to-noise data.",
                  group=r),
        FieldSpec("initialSpeechTimeoutMs", "Initial speech timeout", F.INT, "(microsoft) Time to wait "
                  "for initial speech.", group=r, minimum=1, unit="ms"),
        FieldSpec("asrTimeout", "Continuous ASR timeout", F.NUMBER, "Timeout for the continuous ASR "
                  "feature.", group=r, minimum=0, decimals=1, unit="s"),
        FieldSpec("asrDtmfTerminationDigit", "Continuous ASR end key", F.TEXT, "DTMF key that ends "
                  "continuous ASR.", group=r, pattern=r"[0-9A-Da-d*#]", pattern_message="Use one DTMF "
                  "key: 0-9, *, # or A-D."),
        FieldSpec("minConfidence", "Minimum confidence", F.NUMBER, "Results below this confidence "
                  "are discarded.", group=r, minimum=0, maximum=1, decimals=2),
        FieldSpec("vad", "Voice activity detection", F.OBJECT, "Delay connecting to the recognizer "
                  "until speech is detected.", group=r, children=(
                      FieldSpec("enable", "Enable", F.BOOL, "Wait for speech before connecting to "
                                "the recognizer.", group=r),
                      FieldSpec("voiceMs", "Speech before connect", F.INT, "Milliseconds of speech "
                                "required before connecting.", group=r, minimum=1, unit="ms"),
                      FieldSpec("mode", "Sensitivity", F.INT, "0 to 3; lower is more sensitive.",
                                group=r, minimum=0, maximum=3),
                  )),
    ))


TARGET_MEMBER = {"phone": "number", "teams": "number", "sip": "sipUri", "user": "name"}
TARGET_ONLY = {"trunk": ("phone",), "tenant": ("teams",), "vmail": ("teams",), "overrideTo": ("user",)}


def target_variants() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """For each destination type, the members it uses (the form shows only those): its own member,
    the members only that type uses, and SIP authentication, which any type may carry."""
    return tuple(
        (kind, (member, *(name for name, kinds in TARGET_ONLY.items() if kind in kinds), "auth"))
        for kind, member in TARGET_MEMBER.items()
    )


TARGET = FieldSpec(
    "to", "To", F.OBJECT, "The destination to dial (a jambonz target). Its type decides which member "
    "is needed: phone and teams need a number, sip a SIP URI, user a registered user name.",
    required=True, children=(
        FieldSpec("type", "Destination type", F.ENUM, "phone (through a carrier), sip (a SIP URI), "
                  "user (a registered SIP/WebRTC user) or teams (Microsoft Teams).", required=True,
                  default="phone", choices=("phone", "sip", "user", "teams")),
        FieldSpec("number", "Phone number", F.PHONE, "Number to dial for phone and teams targets; "
                  "E.164 like +16172375089, or digits as the carrier expects them.",
                  endpoints=NUMBERS, meaning="to", placeholder="+16172375089"),
        FieldSpec("sipUri", "SIP URI", F.TEXT, "SIP URI to dial for sip targets, like "
                  "sip:alice@example.com. jambonz passes it on as given, so anything else is sent with a "
                  "warning.", placeholder="sip:alice@example.com"),
        FieldSpec("name", "User name", F.TEXT, "Registered SIP user to dial for user targets, "
                  "including the domain.", pattern=REGISTERED_USER_PATTERN,
                  pattern_message="Use the registered user with its domain, like joeb@sip.example.com.",
                  placeholder="joeb@sip.example.com"),
        FieldSpec("tenant", "Teams tenant", F.TEXT, "Microsoft Teams tenant domain; defaults to the "
                  "tenant configured for the account."),
        FieldSpec("trunk", "Carrier (trunk)", F.TEXT, "Name of the carrier to use for a phone target; "
                  "by default one with an outbound trunk is chosen."),
        FieldSpec("vmail", "Teams voicemail", F.BOOL, "Dial directly into the Teams user's voicemail."),
        FieldSpec("overrideTo", "Override To", F.TEXT, "For user targets: the value of the To header "
                  "(sent as X-Override-To)."),
        FieldSpec("auth", "SIP authentication", F.OBJECT, "Digest credentials if the far end "
                  "challenges the INVITE.", children=(
                      FieldSpec("username", "Username", F.TEXT, "SIP auth user name.", required=True),
                      FieldSpec("password", "Password", F.TEXT, "SIP auth password.", required=True,
                                secret=True),
                  )),
    ),
    variants=target_variants(),
)

LISTEN_SPEC = FieldSpec(
    "listen", "Listen", F.OBJECT, "A nested listen action: streams the call's audio to a websocket "
    "server (16-bit PCM, subprotocol audio.jambonz.org).", group=LISTEN, children=(
        FieldSpec("url", "Websocket URL", F.TEXT, "Websocket server to stream to (wss:// or ws://), or "
                  "a path on the application's server.", required=True, group=LISTEN,
                  pattern=WS_URL_PATTERN, pattern_message="Use a websocket URL like "
                  "wss://example.com/audio, or a path like /audio.",
                  placeholder="wss://example.com/audio"),
        _hook("actionHook", "Action hook", "Called when the listen ends, with the stream duration and "
              "any digits that ended it.", LISTEN),
        FieldSpec("wsAuth", "Websocket auth", F.OBJECT, "HTTP basic auth on the websocket connection.",
                  group=LISTEN, children=(
                      FieldSpec("username", "Username", F.TEXT, "Basic auth user name.", required=True,
                                group=LISTEN),
                      FieldSpec("password", "Password", F.TEXT, "Basic auth password.", required=True,
                                group=LISTEN, secret=True),
                  )),
        FieldSpec("mixType", "Mix type", F.ENUM, "mono: one channel; stereo: both parties on separate "
                  "channels; mixed: both parties in one channel.", default="mono", group=LISTEN,
                  choices=("mono", "stereo", "mixed")),
        FieldSpec("sampleRate", "Sample rate", F.ENUM, "Sample rate of the streamed audio.",
                  default="8000", group=LISTEN, choices=SAMPLE_RATES, unit="Hz"),
        FieldSpec("metadata", "Metadata", F.MAP, "Extra data added to the JSON text frame sent when "
                  "the websocket connects.", group=LISTEN),
        FieldSpec("finishOnKey", "Finish on key", F.TEXT, "DTMF keys that end the listen.",
                  group=LISTEN, pattern=DTMF_PATTERN, pattern_message="Use DTMF keys only: 0-9, *, # "
                  "or A-D."),
        FieldSpec("maxLength", "Max length", F.INT, "Maximum length of the stream.", group=LISTEN,
                  minimum=1, maximum=MAX_TIMER_SECONDS, unit="s"),
        FieldSpec("timeout", "Silence timeout", F.INT, "Seconds of silence that end the listen.",
                  group=LISTEN, minimum=1, maximum=MAX_TIMER_SECONDS, unit="s"),
        FieldSpec("passDtmf", "Pass DTMF", F.BOOL, "Forward DTMF events to the websocket.",
                  group=LISTEN),
        FieldSpec("playBeep", "Play beep", F.BOOL, "Play a beep when the listen starts.", default=False,
                  group=LISTEN),
        FieldSpec("earlyMedia", "Early media", F.BOOL, "Start streaming before the call is answered.",
                  group=LISTEN),
        FieldSpec("disableBidirectionalAudio", "No audio back", F.BOOL, "Ignore audio sent back by the "
                  "websocket server.", group=LISTEN),
        FieldSpec("bidirectionalAudio", "Bidirectional audio", F.OBJECT, "Let the websocket server send "
                  "audio back to be played to the caller.", group=LISTEN, children=(
                      FieldSpec("enabled", "Enabled", F.BOOL, "Accept audio from the websocket.",
                                group=LISTEN),
                      FieldSpec("streaming", "Streaming", F.BOOL, "Raw L16 binary frames instead of "
                                "base64 clips.", group=LISTEN),
                      FieldSpec("sampleRate", "Sample rate", F.ENUM, "Sample rate of the returned "
                                "audio.", group=LISTEN, choices=SAMPLE_RATES, unit="Hz"),
                  )),
    ))

TRANSCRIBE_SPEC = FieldSpec(
    "transcribe", "Transcribe", F.OBJECT, "A nested transcribe action: real-time transcriptions of "
    "the call are sent to the transcription hook.", group=TRANSCRIBE, children=(
        _hook("transcriptionHook", "Transcription hook", "Receives an HTTP POST for each interim or "
              "final transcription.", TRANSCRIBE),
        _recognizer(TRANSCRIBE, "Speech recognition settings for the transcription (required)."),
        FieldSpec("earlyMedia", "Early media", F.BOOL, "Transcribe before the call is answered.",
                  group=TRANSCRIBE),
    ))

AMD_SPEC = FieldSpec(
    "amd", "Answering machine detection", F.OBJECT, "Detect whether a person or a machine answered; "
    "events (amd_human_detected, amd_machine_detected, amd_no_speech_detected, amd_decision_timeout, "
    "amd_tone_detected, amd_machine_stopped_speaking…) go to the action hook.", group=AMD, children=(
        _hook("actionHook", "Action hook", "Receives the AMD events.", AMD, required=True),
        FieldSpec("thresholdWordCount", "Word threshold", F.INT, "Number of spoken words in a greeting "
                  "that results in amd_machine_detected.", default=9, group=AMD, minimum=1),
        FieldSpec("digitCount", "Digit count", F.INT, "Digits in a greeting that trigger detection; 0 "
                  "disables digit-based detection.", default=0, group=AMD, minimum=0),
        FieldSpec("timers", "Timers", F.OBJECT, "Detection time windows.", group=AMD, children=(
            FieldSpec("noSpeechTimeoutMs", "No speech timeout", F.INT, "Wait for speech before "
                      "amd_no_speech_detected.", default=5000, group=AMD, minimum=1, unit="ms"),
            FieldSpec("decisionTimeoutMs", "Decision timeout", F.INT, "Wait before "
                      "amd_decision_timeout.", default=15000, group=AMD, minimum=1, unit="ms"),
            FieldSpec("toneTimeoutMs", "Tone timeout", F.INT, "Wait to hear a beep.", default=20000,
                      group=AMD, minimum=1, unit="ms"),
            FieldSpec("greetingCompletionTimeoutMs", "Greeting end silence", F.INT, "Silence that ends "
                      "a machine greeting (amd_machine_stopped_speaking).", default=2000, group=AMD,
                      minimum=1, unit="ms"),
        )),
        _recognizer(AMD, "Speech recognition used for detection; defaults to the application's."),
    ))

FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("application_sid", "Application SID", F.TEXT, "The application to run when the call is "
              "answered (Voice Gateway / jambonz application). Either this or a call hook is needed; "
              "the application's own hooks and speech settings then apply.", pattern=UUID_PATTERN,
              pattern_message="Use the application's SID, a UUID like "
              "0e06a1b0-d49f-4fb8-b973-b5a3c6758de1.", meaning="application_id",
              placeholder="0e06a1b0-d49f-4fb8-b973-b5a3c6758de1"),
    FieldSpec("from", "From", F.PHONE, "The calling party number (e.g. the number of a Voice Bot). "
              "E.164 like +15083728299, or digits as the carrier expects them (sent as typed). jambonz "
              "accepts any text up to 256 characters and puts it in the SIP From header, so other text "
              "is sent with a warning.",
              required=True, endpoints=NUMBERS | {Endpoint.TEXT}, max_length=256, meaning="from",
              placeholder="+15083728299"),
    TARGET,
    _webhook("call_hook", "Call hook", "Web callback invoked when the call is answered; it returns the "
             "jambonz verbs that control the call. Either this or an Application SID is needed.",
             "basic", "answer_url"),
    FieldSpec("timeLimit", "Time limit", F.INT, "Maximum length of the call. At most 2147483 s: jambonz "
              "sets a Node.js timer in milliseconds, and Node fires a timer above 2^31-1 ms at once, "
              "which would end the call as soon as it is answered.",
              maximum=MAX_TIMER_SECONDS, meaning="time_limit", unit="s"),
    FieldSpec("timeout", "Ring timeout", F.INT, "Seconds to wait for an answer before giving up "
              "(no-answer).", default=60, minimum=1, maximum=MAX_TIMER_SECONDS, meaning="ring_timeout",
              unit="s"),
    FieldSpec("tag", "Tag", F.MAP, "Key-value metadata attached to the call (as the tag verb) and "
              "included in its webhooks.", meaning="tag"),
    _webhook("call_status_hook", "Call status hook", "Web callback for call status notifications "
             "(trying, ringing, in-progress, completed…).", CALLBACKS, "status_url"),
    _hook("actionHook", "Action hook", "Invoked when the call ends, with properties describing the "
          "outcome of the call attempt.", CALLBACKS),
    _hook("confirmHook", "Confirm hook", "Application run on the callee's side after answer and before "
          "the call is connected, e.g. to let the callee decline.", CALLBACKS),
    AMD_SPEC,
    FieldSpec("dtmfCapture", "DTMF capture", F.LIST, "DTMF sequences that, when detected, trigger a "
              "notification to the DTMF hook, like *2.", group=DTMF, pattern=DTMF_PATTERN,
              pattern_message="Use DTMF keys only: 0-9, *, # or A-D, like *2."),
    _hook("dtmfHook", "DTMF hook", "Notified when a DTMF capture entry matches; no answer is expected "
          "(act through the update-call API).", DTMF),
    LISTEN_SPEC,
    TRANSCRIBE_SPEC,
    FieldSpec("speech_synthesis_vendor", "TTS vendor", F.TEXT, "Default text-to-speech vendor for the "
              "call. Needed (with the other four speech fields) when no Application SID is set.",
              group=SPEECH, placeholder="google"),
    FieldSpec("speech_synthesis_language", "TTS language", F.TEXT, "Default text-to-speech language.",
              group=SPEECH, placeholder="en-US"),
    FieldSpec("speech_synthesis_voice", "TTS voice", F.TEXT, "Default text-to-speech voice.",
              group=SPEECH, placeholder="en-US-Wavenet-C"),
    FieldSpec("speech_recognizer_vendor", "STT vendor", F.TEXT, "Default speech-to-text vendor.",
              group=SPEECH, placeholder="google"),
    FieldSpec("speech_recognizer_language", "STT language", F.TEXT, "Default speech-to-text language.",
              group=SPEECH, placeholder="en-US"),
    FieldSpec("callerName", "Caller name", F.TEXT, "Display name of the caller in the SIP From header.",
              group=SIP),
    FieldSpec("fromHost", "From host", F.TEXT, "Host name to put in the SIP From header of the INVITE.",
              group=SIP, max_length=253, pattern=HOSTNAME_PATTERN,
              pattern_message="Use a host name like sip.example.com.", placeholder="sip.example.com"),
    FieldSpec("headers", "SIP headers", F.MAP, "Custom SIP headers for the outbound INVITE, like "
              "X-Custom-Header.", group=SIP, key_pattern=SIP_HEADER_NAME,
              key_message="SIP header names use letters, digits and - only, like X-Custom-Header.",
              meaning="sip_headers"),
    _hook("referHook", "Refer hook", "Invoked when a SIP REFER arrives on the call; answer 200 to accept "
          "(jambonz sends 202 Accepted), another status to reject.", SIP),
    _hook("sipRequestWithinDialogHook", "In-dialog request hook", "Receives SIP requests (INFO, "
          "NOTIFY…) sent within the call's dialog.", SIP),
    FieldSpec("srtp", "SRTP", F.BOOL, "Encrypt the call's media with SRTP.", group=SIP),
    FieldSpec("answerOnBridge", "Answer on bridge", F.BOOL, "When bridged to an inbound call: ring the "
              "inbound call until this call answers.", default=False, group=OTHER),
    FieldSpec("dual_streams", "Dual streams", F.BOOL, "Send separate audio streams for each call leg "
              "(newer jambonz releases).", group=OTHER),
    FieldSpec("codecs", "Codecs", F.LIST, "Codec names in preference order for the INVITE, like G722, "
              "PCMU (newer jambonz releases).", group=OTHER, pattern=r"[A-Za-z0-9][A-Za-z0-9._/-]*",
              pattern_message="Use codec names like PCMU, G722 or opus."),
    FieldSpec("app_json", "Application JSON", F.TEXT, "A JSON array of jambonz verbs to run instead "
              "of requesting the call hook, like [{\"verb\": \"say\", \"text\": \"Hi\"}]. Replaced by "
              "the application's own when an Application SID is set.", group=OTHER),
)


# -- cross-field rules ----------------------------------------------------------------------------
def _obj(values: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    node = values.get(name)
    return node if isinstance(node, Mapping) else {}


def application_or_call_hook(values: Mapping[str, Any]) -> Iterable[Problem]:
    if not values.get("application_sid") and not _obj(values, "call_hook").get("url"):
        yield "application_sid", "Set an Application SID, or a call hook URL that returns the call's verbs."


def speech_defaults_without_application(values: Mapping[str, Any]) -> Iterable[Problem]:
    if values.get("application_sid"):
        return
    for name in SPEECH_FIELDS:
        if not values.get(name):
            yield name, ("Required without an Application SID: the server needs all five speech "
                         "defaults (TTS vendor, language, voice; STT vendor, language).")


MEMBER_LABELS = {"number": "a phone number", "sipUri": "a SIP URI", "name": "a user name"}


def target_member(values: Mapping[str, Any]) -> Iterable[Problem]:
    to = _obj(values, "to")
    kind = to.get("type")
    member = TARGET_MEMBER.get(kind) if isinstance(kind, str) else None
    if member and not to.get(member):
        yield f"to.{member}", f"A {kind} destination needs {MEMBER_LABELS[member]}."


def looser_than_usual(values: Mapping[str, Any]) -> Iterable[Problem]:
    """What jambonz accepts but a carrier or SIP peer will most likely refuse."""
    caller = values.get("from")
    if isinstance(caller, str) and not (re.fullmatch(r"[0-9]{1,20}", caller) or E164_RE.match(caller)):
        yield "from", ("Not a phone number: jambonz sends it as the SIP From user as typed; most carriers "
                       "expect E.164 or digits.")
    sip_uri = _obj(values, "to").get("sipUri")
    if isinstance(sip_uri, str) and sip_uri_error(sip_uri.strip()):
        yield "to.sipUri", f"{sip_uri_error(sip_uri.strip())} jambonz sends it as given; the call will likely fail."
    limit = values.get("timeLimit")
    if isinstance(limit, int) and limit < 1:
        yield "timeLimit", "A time limit below 1 second is no useful limit; leave it empty for none."


def target_extras(values: Mapping[str, Any]) -> Iterable[Problem]:
    to = _obj(values, "to")
    kind = to.get("type")
    if not isinstance(kind, str) or kind not in TARGET_MEMBER:
        return
    for member in ("number", "sipUri", "name"):
        if member in to and TARGET_MEMBER[kind] != member:
            yield f"to.{member}", f"Ignored for a {kind} destination."
    for member, kinds in TARGET_ONLY.items():
        if member in to and kind not in kinds:
            yield f"to.{member}", f"Only used for {' / '.join(kinds)} destinations."


def dtmf_hook_needed(values: Mapping[str, Any]) -> Iterable[Problem]:
    if values.get("dtmfCapture") and not values.get("dtmfHook"):
        yield "dtmfHook", "Set a DTMF hook: it receives the DTMF capture matches."


def dtmf_capture_unused(values: Mapping[str, Any]) -> Iterable[Problem]:
    if values.get("dtmfHook") and not values.get("dtmfCapture"):
        yield "dtmfHook", "Not called unless DTMF capture lists at least one sequence."


def webhook_credentials(values: Mapping[str, Any]) -> Iterable[Problem]:
    for hook in ("call_hook", "call_status_hook"):
        node = _obj(values, hook)
        if node.get("username") and not node.get("password"):
            yield f"{hook}.password", "Set the password too: basic auth is sent only with both."
        if node.get("password") and not node.get("username"):
            yield f"{hook}.username", "Set the username too: basic auth is sent only with both."


def app_json_array(values: Mapping[str, Any]) -> Iterable[Problem]:
    text = values.get("app_json")
    if not isinstance(text, str) or not text.strip():
        return
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield "app_json", f"Not valid JSON ({exc.msg} at character {exc.pos})."
        return
    except RecursionError:
        yield "app_json", "The JSON is nested too deeply."
        return
    if not isinstance(data, list) or not data or not all(isinstance(item, dict) for item in data):
        yield "app_json", 'Use a JSON array of verb objects, like [{"verb": "say", "text": "Hi"}].'


def application_overrides(values: Mapping[str, Any]) -> Iterable[Problem]:
    if not values.get("application_sid"):
        return
    for name in ("call_hook", "call_status_hook", "app_json", *SPEECH_FIELDS):
        if values.get(name):
            yield name, "Ignored: the application's own setting replaces it when an Application SID is set."


def status_hook_websocket(values: Mapping[str, Any]) -> Iterable[Problem]:
    status_url = _obj(values, "call_status_hook").get("url")
    call_url = _obj(values, "call_hook").get("url")
    if isinstance(status_url, str) and status_url.lower().startswith("ws") and status_url != call_url:
        yield "call_status_hook.url", ("A websocket status hook is used only when it is the call hook's "
                                       "URL; use an https:// URL here.")


def transcription_destination(values: Mapping[str, Any]) -> Iterable[Problem]:
    transcribe = _obj(values, "transcribe")
    if transcribe and not transcribe.get("transcriptionHook"):
        yield "transcribe.transcriptionHook", "Without a transcription hook the transcriptions go nowhere."


def transcribe_recognizer(values: Mapping[str, Any]) -> Iterable[Problem]:
    transcribe = _obj(values, "transcribe")
    if transcribe and not _obj(transcribe, "recognizer"):
        yield "transcribe.recognizer.vendor", "A transcribe action needs a recognizer: set at least its vendor."


SCHEMA = ProviderSchema(
    fields=FIELDS,
    rules=(application_or_call_hook, speech_defaults_without_application, target_member,
           dtmf_hook_needed, webhook_credentials, app_json_array, transcribe_recognizer),
    warning_rules=(looser_than_usual, target_extras, dtmf_capture_unused, application_overrides, status_hook_websocket,
                   transcription_destination),
    groups=GROUPS,
)
