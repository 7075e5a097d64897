"""The built-in Sandbox profiles: one per simulated provider, usable with nothing configured.

They are plain data, so listing them (the window's first paint, every CLI run) does not import the
simulators, Starlette or the in-process HTTP app; ``tests/sandbox/test_builtin_profiles.py`` holds the
table to what the simulators really accept.
"""

from __future__ import annotations

import copy
from typing import Any, NamedTuple

from launcher.core.profiles import Profile

SANDBOX_COLOR = "#2e7d32"
JAMBONZ_APPLICATION_SID = "0e06a1b0-d49f-4fb8-b973-b5a3c6758de1"
IN_PROCESS_URL = "http://sandbox.localhost"  # the same as launcher.sandbox.app.IN_PROCESS_URL


class BuiltinSandbox(NamedTuple):
    provider: str
    account_id: str
    username: str
    secret: str  # public, made up for the sandbox; never a real credential
    base_path: str
    sample_values: dict[str, Any]  # form values that place a call straight away (first run)


BUILTIN = (
    BuiltinSandbox("twilio", "ACc0ffee00c0ffee00c0ffee00c0ffee00", "", "sandbox-twilio-auth-token", "",
                   {"To": "+15555550100", "From": "+15005550006", "Url": "https://demo.twilio.com/docs/voice.xml"}),
    BuiltinSandbox("bandwidth", "9900000", "sandbox-user", "sandbox-password", "/api/v2",
                   {"to": "+15555550100", "from": "+15555550199",
                    "applicationId": "7fc9698a-b04a-468b-9e8f-91238c0d0086", "answerUrl": "https://example.com/answer"}),
    BuiltinSandbox("catapult", "u-sandboxcatapult7user2q4x", "t-sandboxcatapult7token2q4",
                   "sandboxcatapultsecret7publicnotreal2q4x5", "",
                   {"from": "+19195551212", "to": "+15555550100"}),
    BuiltinSandbox("jambonz", "fef61e75-cec3-496c-a7bc-8368e4d02a04", "",
                   "9404e5f7-9a77-4bcc-b0fa-5665ace28ab3", "",
                   {"application_sid": JAMBONZ_APPLICATION_SID, "from": "+15083728299",
                    "to": {"type": "phone", "number": "+16172375089"}}),
)


def builtin_profiles() -> list[Profile]:
    return [Profile(
        name=f"sandbox-{sandbox.provider}",
        provider=sandbox.provider,
        account_id=sandbox.account_id,
        username=sandbox.username,
        base_url=IN_PROCESS_URL + sandbox.base_path,
        region="US",
        label="SANDBOX",
        color=SANDBOX_COLOR,
        id=f"sandbox-{sandbox.provider}",
        builtin=True,
    ) for sandbox in BUILTIN]


def builtin_secret(profile: Profile) -> str | None:
    """The public sandbox credential of a built-in profile (never stored anywhere)."""
    if not profile.builtin:
        return None
    return next((sandbox.secret for sandbox in BUILTIN if sandbox.provider == profile.provider), None)


def builtin_sample_values(profile: Profile) -> dict[str, Any]:
    """Form values that place a call on a built-in profile straight away; {} for other profiles."""
    if not profile.builtin:
        return {}
    found = next((sandbox.sample_values for sandbox in BUILTIN if sandbox.provider == profile.provider), {})
    return copy.deepcopy(found)
