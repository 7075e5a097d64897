"""A sandbox clock that moves only when the test moves it."""

from __future__ import annotations

from launcher.sandbox.engine import Clock, Engine, SandboxConfig


class SandboxTime:
    """Simulated time for an :class:`Engine` that stands still until :meth:`advance` is called.

    The app polls in real time.  Against a sped-up sandbox clock a short-lived state (a call ringing
    for two seconds of real time, a jambonz call that stays readable for 0.2 s after it ends) is seen
    or missed depending on how busy the machine is.  On this clock every state lasts until the test
    moves on, so the app's polling sees it however late it comes.
    """

    def __init__(self) -> None:
        self.seconds = 0.0
        self.clock = Clock(speed=1.0, monotonic=lambda: self.seconds)

    def engine(self, config: SandboxConfig | None = None) -> Engine:
        return Engine(config, clock=self.clock)

    def advance(self, seconds: float) -> None:
        """Move simulated time on by ``seconds``."""
        if seconds <= 0:
            raise ValueError("time only moves forward")
        self.seconds += seconds
