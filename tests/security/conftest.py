"""Fixtures shared with the fault suite: ``run_call`` runs ``call-launcher call`` in-process for a kit's profile."""

from tests.faults.conftest import run_call  # noqa: F401 -- a fixture, registered by being imported here
