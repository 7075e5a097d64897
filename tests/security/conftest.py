"""Fixtures shared with the fault suite: ``run_call`` runs ``call-launcher call`` in-process for a kit's
profile; ``open_window`` opens the real window on a profile that points at a loopback server."""

from tests.faults.conftest import open_window, run_call  # noqa: F401 -- fixtures, registered by being imported
