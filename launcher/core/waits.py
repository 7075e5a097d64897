"""How long to follow a call: the default limit and the durations people type (``90s``, ``15m``, ``4h``).

Kept apart from ``calls`` so the command line can read ``--max-wait`` without loading asyncio.
"""

from __future__ import annotations

import re

DEFAULT_MAX_WAIT_S = 4 * 3600.0  # following a call stops after this long (a call rarely lasts longer)


def parse_wait(text: str) -> float:
    """``90s``, ``15m``, ``4h`` (a bare number is seconds) as seconds; ValueError with the reason otherwise."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*", text.lower())
    if match is None:
        raise ValueError(f"{text!r} is not a duration; use a number with s, m or h, like 90s, 15m or 4h")
    seconds = float(match.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[match.group(2)]
    if not 0 < seconds <= 7 * 24 * 3600:
        raise ValueError("use a duration above 0 and at most 7 days (168h)")
    return seconds


def format_wait(seconds: float) -> str:
    """``4 h``, ``90 min``, ``30 s``: a follow limit the way people say it."""
    if seconds >= 3600 and seconds % 3600 == 0:
        return f"{seconds / 3600:g} h"
    if seconds >= 60 and seconds % 60 == 0:
        return f"{seconds / 60:g} min"
    return f"{seconds:g} s"
