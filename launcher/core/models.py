"""Provider-neutral data: accounts, call resources and the common call lifecycle."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any


class CallPhase(enum.StrEnum):
    """The common timeline every provider's states map onto: queued -> ringing -> answered -> ended."""

    QUEUED = "queued"
    RINGING = "ringing"
    ANSWERED = "answered"
    ENDED = "ended"
    UNKNOWN = "unknown"

    @property
    def final(self) -> bool:
        return self is CallPhase.ENDED


class Outcome(enum.StrEnum):
    """How an ended call ended."""

    COMPLETED = "completed"
    BUSY = "busy"
    NO_ANSWER = "no-answer"
    FAILED = "failed"
    CANCELED = "canceled"
    REJECTED = "rejected"


@dataclass(frozen=True)
class AuthOption:
    """One way a provider accepts credentials, when it offers more than one (Bandwidth: API user with
    Basic auth, or OAuth 2.0 client credentials)."""

    id: str  # "" is the provider's default way
    label: str
    username_label: str
    secret_label: str
    note: str = ""


@dataclass(frozen=True)
class AccountSpec:
    """What a profile must hold for one provider: labels for the form and which parts apply."""

    account_label: str  # "Account SID", "Account ID", "User ID"
    secret_label: str  # "Auth Token", "Password", "API Secret", "API Key"
    username_label: str | None = None  # None: the provider authenticates without a separate user
    username_defaults_to_account: bool = False  # Twilio: username is the Account SID unless an API key
    default_base_url: str | None = None
    base_url_required: bool = False
    account_pattern: str | None = None
    account_hint: str = ""
    auth_scheme: str = "basic"  # "basic" or "bearer"
    auth_options: tuple[AuthOption, ...] = ()  # more than one way to authenticate; the first is the default
    recommended_auth: str = ""  # what a new profile starts with

    def auth_option(self, auth: str) -> AuthOption | None:
        return next((option for option in self.auth_options if option.id == auth), None)


@dataclass(frozen=True)
class Account:
    """Connection settings of a profile with its secret resolved, as an adapter needs them."""

    provider: str
    account_id: str
    secret: str | None = None
    username: str | None = None
    base_url: str | None = None
    auth: str = ""  # an AuthOption id; "" for the provider's default

    def with_base_url(self, base_url: str | None) -> Account:
        return replace(self, base_url=base_url) if base_url else self


@dataclass
class CallResource:
    """A call as the provider last described it, plus its place on the common timeline."""

    provider: str
    call_id: str
    phase: CallPhase
    provider_status: str
    outcome: Outcome | None = None
    from_number: str | None = None
    to: str | None = None
    created_at: datetime | None = None
    answered_at: datetime | None = None
    ended_at: datetime | None = None
    duration: float | None = None
    url: str | None = None  # absolute URL of the call resource (fetch / hang up)
    raw: dict[str, Any] = field(default_factory=dict)
    detail: str | None = None  # provider's cause text (disconnectCause, errorMessage, sip reason)

    @property
    def final(self) -> bool:
        return self.phase.final

    def to_json(self) -> dict[str, Any]:
        def iso(value: datetime | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "provider": self.provider,
            "call_id": self.call_id,
            "phase": self.phase.value,
            "outcome": self.outcome.value if self.outcome else None,
            "provider_status": self.provider_status,
            "from": self.from_number,
            "to": self.to,
            "created_at": iso(self.created_at),
            "answered_at": iso(self.answered_at),
            "ended_at": iso(self.ended_at),
            "duration": self.duration,
            "url": self.url,
            "detail": self.detail,
            "raw": self.raw,
        }
