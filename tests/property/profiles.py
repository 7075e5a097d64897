"""Hypothesis settings profiles for the property suite.

``ci`` (the default) keeps the whole suite well under a minute; ``long`` runs 10 000 examples per
test and is meant for an occasional soak run::

    HYPOTHESIS_PROFILE=long python3 dev.py test tests/property
    python3 dev.py test tests/property --hypothesis-profile=long     # the same, via hypothesis' own option

The profile applies to the tests in this folder only (each test is decorated with :func:`profile`),
so selecting ``long`` never changes the example counts of property tests elsewhere in the suite.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_COMMON = {
    "deadline": None,
    "print_blob": True,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
}
settings.register_profile("ci", max_examples=60, **_COMMON)  # type: ignore[arg-type]
settings.register_profile("long", max_examples=10_000, **_COMMON)  # type: ignore[arg-type]


def active_profile() -> str:
    """HYPOTHESIS_PROFILE if set, else a profile chosen with --hypothesis-profile, else ``ci``."""
    name = os.environ.get("HYPOTHESIS_PROFILE", "").strip()
    if name:
        return name
    current = settings.get_current_profile_name()
    return "ci" if current.startswith("default") else current


def profile() -> settings:
    """The active profile's settings; call it at import time of a test module (after pytest_configure)."""
    return settings.get_profile(active_profile())


def limited(ci: int, long: int) -> settings:
    """The active profile with fewer examples, for slow properties (OpenAPI validation)."""
    active = profile()
    cap = long if active.max_examples >= 1000 else ci
    return settings(active, max_examples=min(active.max_examples, cap))
