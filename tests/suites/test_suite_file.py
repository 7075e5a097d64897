"""Reading suite files: values, defaults, durations, and every problem with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from launcher.core.profiles import Profile
from launcher.core.suites.model import InvalidSuiteError, format_duration, parse_duration
from launcher.core.suites.parse import load_suite, parse_suite
from launcher.core.suites.toml_lines import key_lines
from launcher.sandbox.builtin_profiles import builtin_profiles

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "suites"
PROFILES = {p.name: p for p in builtin_profiles()}


def problems_of(text: str, profiles: dict[str, Profile] | None = None, allow_prod: bool = False) -> list[str]:
    with pytest.raises(InvalidSuiteError) as caught:
        parse_suite(text, Path("suite.toml"), profiles or PROFILES, allow_prod=allow_prod)
    return [str(problem) for problem in caught.value.problems]


def test_example_suite_reads_with_defaults_merged_and_durations_in_seconds() -> None:
    suite = load_suite(EXAMPLES / "sandbox-twilio.toml", PROFILES)
    assert suite.name == "Twilio sandbox"
    assert [t.name for t in suite.tests] == [
        "answered and held for 5 s", "busy line", "nobody answers within the ring timeout",
        "long call, hung up by the suite", "refused: unreachable number",
    ]
    first = suite.tests[0]
    assert first.profile.name == "sandbox-twilio"
    assert first.values == {"To": "+15555550100", "From": "+15005550006", "Url": "https://example.com/twiml"}
    assert (first.expect.result, first.expect.answered_within, first.expect.min_duration) == ("completed", 10.0, 5.0)
    assert first.timeout == 120.0 and first.hang_up_after is None and first.line == 13
    assert suite.tests[2].values["Timeout"] == 15
    assert suite.tests[3].hang_up_after == 10.0
    assert (suite.tests[4].expect.result, suite.tests[4].expect.error_code, suite.tests[4].expect.http_status) == (
        "refused", "21214", 400)


def test_every_problem_is_listed_with_its_own_line() -> None:
    text = """name = "broken"
colour = "red"

[defaults]
profile = "sandbox-twilio"
timeout = "soon"

[defaults.set]
From = "+15005550006"
Url = "https://example.com/twiml"

[[test]]
name = "one"
set = { To = "+15555550100" }
expect = { result = "completed", answered_within = "ten seconds", wobble = 1 }

[[test]]
name = "two"
profile = "nobody"
set = { To = "+15555550100" }

[[test]]
name = "one"
set = { To = "not a number" }
expect = { result = "great" }

[[test]]
set = { To = "+15555550100" }
hang_up_after = 5
"""
    assert problems_of(text) == [
        "line 2: Unknown key 'colour' in the suite; use one of: name, defaults, limits, test.",
        "line 6: timeout: 'soon' is not a duration: use a number with s, m or h, like \"10s\", \"2m\" or \"1h\".",
        "line 15: Unknown key 'wobble' in expect; use one of: result, answered_within, min_duration, max_duration, "
        "error_code, http_status, provider_state.",
        "line 15: answered_within: 'ten seconds' is not a duration: use a number with s, m or h, like \"10s\", "
        "\"2m\" or \"1h\".",
        "line 19: Unknown profile 'nobody'; known profiles: sandbox-bandwidth, sandbox-catapult, sandbox-jambonz, "
        "sandbox-twilio.",
        "line 23: Another test is already named 'one' (line 13); names must differ.",
        "line 24: Twilio would reject this request — To: Phone numbers contain digits only. Use E.164 format, like "
        "+15555551212. Also accepted: a SIP URI like sip:alice@example.com, client:NAME.",
        "line 25: result 'great' is not an outcome; use one of: completed, busy, no-answer, failed, canceled, "
        "rejected, refused.",
        "line 27: Each test needs a name (non-empty text).",
        "line 29: hang_up_after: 5 is not a duration: write it as text with a unit, like \"10s\", \"2m\" or \"1h\".",
    ]


def test_a_duplicate_name_points_at_both_lines() -> None:
    text = ('[defaults]\nprofile = "sandbox-twilio"\n[defaults.set]\nFrom = "+15005550006"\n'
            'Url = "https://example.com/twiml"\n'
            '[[test]]\nname = "a"\nset.To = "+15555550100"\n[[test]]\nname = "a"\nset.To = "+15555550100"\n')
    assert problems_of(text) == ["line 10: Another test is already named 'a' (line 7); names must differ."]


def test_toml_syntax_errors_give_their_line() -> None:
    assert problems_of('[defaults]\nprofile = "sandbox-twilio"\n[[test]]\nname = "a\n') == [
        "line 4: This is not valid TOML: Illegal character '\\n'.",
    ]


def test_an_empty_suite_and_a_test_without_profile_are_invalid() -> None:
    assert problems_of("") == ["The suite has no tests: add at least one [[test]] table."]
    assert problems_of('[[test]]\nname = "x"\n') == ["line 1: No profile: set profile in the test or in [defaults]."]


def test_production_profiles_need_allow_prod() -> None:
    prod = Profile(name="us-prod", provider="twilio", account_id="AC" + "0" * 32, label="PROD")
    text = ('[[test]]\nname = "x"\nprofile = "us-prod"\n'
            'set = { To = "+15555550100", From = "+15005550006", Url = "https://example.com/twiml" }\n')
    assert problems_of(text, {"us-prod": prod}) == [
        "line 3: Profile 'us-prod' is marked production (PROD): real calls cost money; run with --allow-prod to "
        "place them.",
    ]
    suite = parse_suite(text, Path("s.toml"), {"us-prod": prod}, allow_prod=True)
    assert suite.tests[0].profile is prod


def test_limits_are_read_and_checked() -> None:
    base = ('[defaults]\nprofile = "sandbox-twilio"\n[[test]]\nname = "x"\n'
            'set = { To = "+15555550100", From = "+15005550006", Url = "https://example.com/twiml" }\n')
    suite = parse_suite(base + "[limits]\nconcurrency = 3\nper_profile = 2\ncalls_per_second = 0.5\n",
                        Path("s.toml"), PROFILES)
    assert (suite.concurrency, suite.limits.per_profile, suite.limits.calls_per_second) == (3, 2, 0.5)
    assert problems_of(base + "[limits]\nper_profile = 1.5\ncalls_per_second = 0\n") == [
        "line 7: per_profile must be a whole number above 0, not 1.5.",
        "line 8: calls_per_second must be a number above 0, not 0.",
    ]


@pytest.mark.parametrize(("text", "seconds"), [("10s", 10), ("2m", 120), ("1h", 3600), ("1m30s", 90), ("0.5s", 0.5)])
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds
    assert parse_duration(format_duration(seconds)) == seconds


@pytest.mark.parametrize("text", ["", "10", "s", "10 sec", "-5s", "1d"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(ValueError, match="is not a duration"):
        parse_duration(text)


def test_key_lines_follow_tables_arrays_inline_tables_and_multiline_values() -> None:
    text = '''# comment = 1
name = "x # not a comment"
[a]
b.c = 1
"quoted key" = 'v'
list = [
  1,
  { inner = 2 },
]
[[t]]
x = { y = { z = 3 }, w = """multi
line = 9
"""}
[[t]]
x = 1
[t.sub]
q = 1
'''
    lines = key_lines(text)
    assert lines[("name",)] == 2
    assert lines[("a", "b", "c")] == 4
    assert lines[("a", "quoted key")] == 5
    assert lines[("a", "list", 1, "inner")] == 8
    assert (lines[("t", 0)], lines[("t", 0, "x", "y", "z")], lines[("t", 0, "x", "w")]) == (10, 11, 11)
    assert ("line",) not in lines and ("t", 0, "line") not in lines
    assert (lines[("t", 1)], lines[("t", 1, "x")], lines[("t", 1, "sub", "q")]) == (14, 15, 17)
