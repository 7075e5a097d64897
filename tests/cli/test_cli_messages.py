"""The words of the real command for mistakes: each names what is wrong and what to do, nothing more."""

from __future__ import annotations

from pathlib import Path

from tests.cli.test_cli import run_cli

TWILIO_CALL = ["--set", "To=+15555551313", "--set", "From=+15555551212", "--set", "Url=https://example.com/twiml"]


def test_a_built_in_sandbox_profile_cannot_be_removed(launcher_home: Path) -> None:
    result = run_cli("profiles", "remove", "sandbox-twilio", home=launcher_home)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == ("call-launcher: 'sandbox-twilio' is a built-in sandbox profile: "
                             "built-in profiles can't be removed.\n")
    listed = run_cli("profiles", "list", home=launcher_home)
    assert "sandbox-twilio" in listed.stdout


def test_a_profile_that_is_not_saved_says_so_before_its_problems(launcher_home: Path) -> None:
    result = run_cli("profiles", "add", "x", "--provider", "twilio", "--set", "account_id=bad", home=launcher_home)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "call-launcher: Not saved: profile 'x' has 1 problem.",
        "  error: profile.account_id: 34 characters: AC followed by 32 hex digits (Twilio Console, Account Info).",
    ]


def test_a_whole_number_too_large_for_the_field_gets_its_range(launcher_home: Path) -> None:
    for typed in ("999999999999999999999", "-999999999999999999999", "9" * 5000):
        result = run_cli("call", "--profile", "sandbox-twilio", "--dry-run", *TWILIO_CALL,
                         "--set", f"Timeout={typed}", home=launcher_home)
        assert result.returncode == 2
        assert result.stderr.splitlines()[1] == "  error: Timeout: Must be between 1 and 600 s."


def test_a_json_syntax_error_does_not_suggest_sending_without_checks(launcher_home: Path) -> None:
    result = run_cli("call", "--profile", "sandbox-jambonz", "--dry-run", "--set", "to={bad", home=launcher_home)
    assert result.returncode == 2
    assert ("  error: to: is not valid JSON: Expecting property name enclosed in double quotes: "
            "line 1 column 2 (char 1).") in result.stderr.splitlines()
    assert "--no-validate" not in result.stderr
    fixable = run_cli("call", "--profile", "sandbox-twilio", "--dry-run", *TWILIO_CALL, "--set", "Timeout=0",
                      home=launcher_home)
    assert fixable.stderr.splitlines()[-1] == "  (an engineer testing the provider itself can add --no-validate)"
