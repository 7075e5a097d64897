"""The built-in sandbox profiles are plain data (no simulator import before the window paints); they must
match what the simulators really accept."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

from launcher.sandbox import app
from launcher.sandbox.builtin_profiles import IN_PROCESS_URL, builtin_profiles, builtin_sample_values, builtin_secret


def test_the_table_matches_the_simulators() -> None:
    simulators = app.all_simulators()
    assert IN_PROCESS_URL == app.IN_PROCESS_URL
    assert [profile.provider for profile in builtin_profiles()] == list(simulators)
    for profile in builtin_profiles():
        simulator = simulators[profile.provider]
        assert (profile.account_id, profile.username or None, builtin_secret(profile), profile.base_url) == (
            simulator.credentials.account_id, simulator.credentials.username, simulator.credentials.secret,
            app.IN_PROCESS_URL + simulator.base_path())
        assert builtin_sample_values(profile) == simulator.sample_values()


def test_sample_values_are_a_fresh_copy_each_time() -> None:
    jambonz = next(profile for profile in builtin_profiles() if profile.provider == "jambonz")
    builtin_sample_values(jambonz)["to"]["number"] = "+15555550111"
    assert builtin_sample_values(jambonz)["to"]["number"] == "+16172375089"
    assert builtin_sample_values(dataclasses.replace(jambonz, builtin=False)) == {}


def test_listing_the_builtin_profiles_imports_no_simulator() -> None:
    code = ("import sys; from launcher.sandbox.builtin_profiles import builtin_profiles; builtin_profiles(); "
            "print(sorted(m for m, mod in sys.modules.items()"
            " if mod is not None and m.startswith(('launcher.sandbox.', 'starlette', 'httpx'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['launcher.sandbox.builtin_profiles']"
