"""What a simulated call does, chosen by its destination.

The last four digits of a phone number (or a word in a SIP URI's user part) pick the scenario, so
any valid number works and a few well-known endings show each outcome.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from launcher.core.models import Outcome


@dataclass(frozen=True)
class Scenario:
    key: str
    suffix: str  # last four digits of a phone number that select it ("" for the default)
    sip_word: str  # a SIP user part containing this word selects it
    summary: str
    ring_after: float  # seconds (simulated) from creation until it rings
    answer_after: float | None  # seconds until answered; None: never answered
    end_after: float | None  # seconds until the call ends by itself; None: only when hung up / ring timeout
    outcome: Outcome  # outcome when it ends by itself


QUEUE_SECONDS = 1.0
DEFAULT_TALK = 20.0

SCENARIOS: tuple[Scenario, ...] = (
    Scenario("answered", "", "", "rings, answered after 4 s, the callee hangs up 20 s later (completed)",
             QUEUE_SECONDS, 4.0, 4.0 + DEFAULT_TALK, Outcome.COMPLETED),
    Scenario("busy", "0001", "busy", "rings briefly, then busy", QUEUE_SECONDS, None, 3.0, Outcome.BUSY),
    Scenario("no-answer", "0002", "noanswer", "rings until the ring timeout (request's timeout, else 30 s), "
             "then no-answer", QUEUE_SECONDS, None, None, Outcome.NO_ANSWER),
    Scenario("failed", "0003", "fail", "fails before ringing (unreachable destination)",
             QUEUE_SECONDS, None, 1.5, Outcome.FAILED),
    Scenario("rejected", "0004", "reject", "rings, then the callee declines", QUEUE_SECONDS, None, 3.5,
             Outcome.REJECTED),
    Scenario("long", "0005", "long", "answered after 4 s and stays up for an hour", QUEUE_SECONDS, 4.0, 3604.0,
             Outcome.COMPLETED),
)
DEFAULT_RING_TIMEOUT = 30.0


def scenario_for(destination: str) -> Scenario:
    """The scenario a destination selects; the default (answered) for anything unrecognised."""
    text = destination.strip().lower()
    if text.startswith(("sip:", "sips:")) or "@" in text:
        user = re.sub(r"^sips?:", "", text).split("@", 1)[0]
        for scenario in SCENARIOS[1:]:
            if scenario.sip_word in user.replace("-", "").replace("_", ""):
                return scenario
        return SCENARIOS[0]
    digits = re.sub(r"\D", "", text)
    for scenario in SCENARIOS[1:]:
        if digits.endswith(scenario.suffix):
            return scenario
    return SCENARIOS[0]


def scenario_table() -> str:
    """The outcome table, for `call-launcher sandbox --help` and the README."""
    lines = ["Number ends in   SIP user contains   What happens"]
    for scenario in SCENARIOS:
        suffix = f"…{scenario.suffix}" if scenario.suffix else "anything else"
        word = scenario.sip_word or "-"
        lines.append(f"{suffix:<16} {word:<19} {scenario.summary}")
    return "\n".join(lines)
