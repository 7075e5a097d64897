"""Property tests (hypothesis): profiles are registered in :mod:`tests.property.profiles`.

Importing it here registers ``ci`` and ``long`` before hypothesis' pytest plugin reads
``--hypothesis-profile`` (this conftest is loaded first when tests/property is on the command line).
"""

from __future__ import annotations

import pytest

from tests.property import profiles


def pytest_report_header(config: pytest.Config) -> str:
    return (f"property tests: hypothesis profile {profiles.active_profile()!r} "
            f"(max_examples={profiles.profile().max_examples})")
