"""A profiles file with settings of the wrong type: the bad entries are named, the rest load, nothing is lost."""

from __future__ import annotations

import json
from pathlib import Path

from launcher.core.profiles import Profile, ProfileStore
from tests.cli.test_cli import TWILIO_SID, run_cli

GOOD = {"name": "Support", "provider": "twilio", "account_id": TWILIO_SID, "id": "a1"}
WRONG_TYPES = {"name": 5, "provider": ["x"]}
WRONG_SWITCH = {"name": "Sales", "provider": "twilio", "account_id": TWILIO_SID, "call_from_links": "yes"}


def write_profiles(home: Path, *entries: object) -> Path:
    path = home / "config" / "profiles.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"version": 1, "profiles": list(entries)}))
    return path


def test_entries_of_the_wrong_type_are_named_and_the_rest_load(launcher_home: Path) -> None:
    path = write_profiles(launcher_home, WRONG_TYPES, GOOD, WRONG_SWITCH, "text")
    store = ProfileStore(path)
    assert [p.name for p in store.load()] == ["Support"]
    assert store.skipped_note == (
        f"Some saved profiles in {path} could not be used and were left out: profile number 1 (wrong or missing "
        "name, provider); profile 'Sales' (wrong or missing call_from_links); profile number 4 (it is not a group "
        "of settings). They stay in the file as they are; fix them there."
    )


def test_saving_keeps_the_entries_that_could_not_be_read(launcher_home: Path) -> None:
    path = write_profiles(launcher_home, WRONG_TYPES, GOOD)
    ProfileStore(path).upsert(Profile(name="New", provider="twilio", account_id=TWILIO_SID, id="b2"))
    saved = json.loads(path.read_text())["profiles"]
    assert [entry["name"] for entry in saved] == ["Support", "New", 5]
    assert saved[2] == WRONG_TYPES


def test_profiles_list_reports_bad_entries_and_lists_the_rest(launcher_home: Path) -> None:
    write_profiles(launcher_home, WRONG_TYPES, GOOD)
    result = run_cli("profiles", "list", home=launcher_home)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1
    assert "profile number 1 (wrong or missing name, provider)" in result.stderr
    assert "Support\tTwilio" in result.stdout
