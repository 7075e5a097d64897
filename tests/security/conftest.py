"""The security tests drive the window too: they share the UI tests' qasync loop fixture."""

from tests.ui.conftest import qloop

__all__ = ["qloop"]
