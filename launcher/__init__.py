"""Call Launcher: place outbound calls through voice providers' REST APIs and watch them live."""

import sys

__version__ = "0.1.0"

# httpx's package imports its own command-line client (click, rich, pygments: ~30 ms of start-up)
# when those happen to be installed.  The app never runs it; a None entry makes that import fail
# the way httpx expects when they are absent (it then defines a stub), so only the client loads.
if "httpx" not in sys.modules:
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
