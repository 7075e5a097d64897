"""The built-in Sandbox profiles: one per simulated provider, usable with nothing configured."""

from __future__ import annotations

from launcher.core.profiles import Profile
from launcher.sandbox.app import IN_PROCESS_URL, all_simulators

SANDBOX_COLOR = "#2e7d32"


def builtin_profiles() -> list[Profile]:
    profiles = []
    for simulator in all_simulators().values():
        creds = simulator.credentials
        profiles.append(Profile(
            name=f"sandbox-{simulator.id}",
            provider=simulator.id,
            account_id=creds.account_id,
            username=creds.username or "",
            base_url=IN_PROCESS_URL + simulator.base_path(),
            region="US",
            label="SANDBOX",
            color=SANDBOX_COLOR,
            id=f"sandbox-{simulator.id}",
            builtin=True,
        ))
    return profiles


def builtin_secret(profile: Profile) -> str | None:
    """The public sandbox credential of a built-in profile (never stored anywhere)."""
    if not profile.builtin:
        return None
    simulator = all_simulators().get(profile.provider)
    return simulator.credentials.secret if simulator else None
