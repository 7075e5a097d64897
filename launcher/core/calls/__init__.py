"""Placing calls: create exactly once, follow until the call ends, hang up.

``service.py`` puts the parts together; each part has its own module: ``sending.py`` (one request, a
deadline), ``transport_errors.py`` (failures in words), ``oauth_tokens.py``, ``exactly_once.py`` (the
create and retry rule), ``follow.py`` (the poll loop) and ``hangup.py``.
"""

from launcher.core.calls.exactly_once import exchange
from launcher.core.calls.follow import (
    DEFAULT_MAX_WAIT_S,
    FollowLimitReached,
    PollPolicy,
    UpdateCallback,
    format_wait,
    parse_wait,
)
from launcher.core.calls.oauth_tokens import TokenCache
from launcher.core.calls.sending import (
    DEFAULT_CONNECT_TIMEOUT_S,
    DEFAULT_TIMEOUT_S,
    MAX_BODY_BYTES,
    ClientFactory,
    RequestSender,
    answer_deadline,
    default_timeout,
    remember_secrets,
)
from launcher.core.calls.service import CallService
from launcher.core.calls.transport_errors import transport_error

__all__ = [
    "DEFAULT_CONNECT_TIMEOUT_S",
    "DEFAULT_MAX_WAIT_S",
    "DEFAULT_TIMEOUT_S",
    "MAX_BODY_BYTES",
    "CallService",
    "ClientFactory",
    "FollowLimitReached",
    "PollPolicy",
    "RequestSender",
    "TokenCache",
    "UpdateCallback",
    "answer_deadline",
    "default_timeout",
    "exchange",
    "format_wait",
    "parse_wait",
    "remember_secrets",
    "transport_error",
]
