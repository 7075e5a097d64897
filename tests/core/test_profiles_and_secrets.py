"""Profiles on disk (versioned, atomic, never silently wiped) and secrets in a real Secret Service."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from launcher.core.assign import apply_assignments
from launcher.core.errors import ConfigError, SecretStoreError
from launcher.core.profiles import Profile, ProfileStore, profile_problems
from launcher.core.providers import get_adapter
from launcher.core.secrets import KeyringSecrets, SessionSecrets, keyring_status

TWILIO_SID = "AC" + "ab" * 16


def test_profiles_round_trip_and_never_hold_secrets(tmp_path: Path) -> None:
    store = ProfileStore(tmp_path / "profiles.json")
    profile = Profile(name="Support line", provider="twilio", account_id=TWILIO_SID, label="PROD", color="#d32f2f")
    store.upsert(profile)
    store.upsert(Profile(name="Support line", provider="twilio", account_id=TWILIO_SID, region="GB"))
    loaded = store.load()
    assert len(loaded) == 1 and loaded[0].region == "GB" and loaded[0].id == profile.id
    data = json.loads((tmp_path / "profiles.json").read_text())
    assert data["version"] == 1 and "secret" not in json.dumps(data).lower()
    assert store.remove("Support line").id == profile.id and store.load() == []
    with pytest.raises(ConfigError, match="No profile named 'nope'"):
        store.remove("nope")


@pytest.mark.parametrize("content", ["not json", '{"version": 1}', '{"version": 99, "profiles": []}', "[1, 2]"])
def test_unreadable_profiles_are_moved_aside_with_a_clear_message(tmp_path: Path, content: str) -> None:
    path = tmp_path / "profiles.json"
    path.write_text(content)
    store = ProfileStore(path)
    with pytest.raises(ConfigError) as caught:
        store.load()
    backups = list(tmp_path.glob("profiles.json.unreadable-*"))
    assert len(backups) == 1 and backups[0].read_text() == content
    assert str(backups[0]) in str(caught.value)
    assert store.load() == []


def test_no_temp_files_are_left_behind(tmp_path: Path) -> None:
    store = ProfileStore(tmp_path / "profiles.json")
    for index in range(5):
        store.upsert(Profile(name=f"p{index}", provider="twilio", account_id=TWILIO_SID))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["profiles.json"]


@pytest.mark.parametrize(
    ("profile", "problem"),
    [
        (Profile(name="", provider="twilio", account_id=TWILIO_SID), "name"),
        (Profile(name="x", provider="nope", account_id="1"), "provider"),
        (Profile(name="x", provider="bandwidth", account_id="9900000"), "username"),
        (Profile(name="x", provider="jambonz", account_id="fef61e75-cec3-496c-a7bc-8368e4d02a04"), "base_url"),
        (Profile(name="x", provider="twilio", account_id=TWILIO_SID, color="red"), "color"),
    ],
)
def test_profile_problems_name_the_setting(profile: Profile, problem: str) -> None:
    assert problem in profile_problems(profile)


def test_real_secret_service_round_trip(secret_service: None) -> None:
    secrets = KeyringSecrets()
    status = secrets.status()
    assert status.usable, status.reason
    secrets.set("profile/test", "hunter2")
    assert secrets.get("profile/test") == "hunter2"
    secrets.delete("profile/test")
    assert secrets.get("profile/test") is None
    secrets.delete("profile/test")  # deleting twice is fine


def test_plaintext_and_failing_backends_are_refused() -> None:
    from keyring.backends import chainer, fail, null

    for backend in (fail.Keyring(), null.Keyring(), chainer.ChainerBackend()):
        status = keyring_status(backend)
        assert not status.usable and status.reason
        with pytest.raises(SecretStoreError):
            KeyringSecrets(backend).set("k", "v")


def test_session_secrets_stay_in_memory() -> None:
    secrets = SessionSecrets()
    secrets.set("k", "v")
    assert secrets.get("k") == "v" and not secrets.persistent
    secrets.delete("k")
    assert secrets.get("k") is None


def test_assignments_build_nested_values_and_report_mistakes() -> None:
    schema = get_adapter("jambonz").schema
    values, problems = apply_assignments(schema, [
        "to.type=phone", "to.number=+15555551313", "tag.ticket=42", "dtmfCapture=*1", "dtmfCapture=#2",
        'headers={"X-Team": "blue"}', "Timeout=10", "to.bogus=1", "tag",
    ])
    assert values["to"] == {"type": "phone", "number": "+15555551313"}
    assert values["tag"] == {"ticket": "42"} and values["dtmfCapture"] == ["*1", "#2"]
    assert values["headers"] == {"X-Team": "blue"}
    assert "Did you mean 'timeout'?" in problems["Timeout"][0]
    assert "Unknown field 'bogus'" in problems["to.bogus"][0]
    assert "FIELD=VALUE" in problems["tag"][0]
