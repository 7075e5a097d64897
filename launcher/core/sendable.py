"""What HTTP can carry: secrets and addresses are checked when saved and again before a request leaves.

The rules, as the messages state them:

* no secret, user name, header or address may hold a control character (a line break, a tab, …):
  a header cannot carry one, and a line break would end the header early;
* a bearer token (and an OAuth 2.0 access token) is sent as it is, so it may hold printable ASCII
  only: letters, digits, punctuation and spaces, no accented letters (HTTP headers are ASCII);
* Basic credentials are sent as base64 of their UTF-8 text (RFC 7617), so a password may hold any
  other character, but the user name may not hold a colon (it separates user name and password).

:func:`check_sendable` raises :class:`~launcher.core.errors.RequestNotSent` (nothing was sent); the
messages never quote the secret itself.
"""

from __future__ import annotations

import unicodedata

from launcher.core.errors import RequestNotSent
from launcher.core.http import PreparedRequest

CONTROL_RULE = "it contains a control character (a line break, a tab or another invisible character)"
BEARER_RULE = ("a bearer token is sent as it is, so it may contain ASCII letters, digits, punctuation and "
               "spaces only, no accented letters or other characters")
USERNAME_COLON_RULE = "a user name sent with Basic authentication may not contain a colon"


def _has_control(text: str) -> bool:
    return any(unicodedata.category(char) == "Cc" for char in text)


def _printable_ascii(text: str) -> bool:
    return all(" " <= char <= "~" for char in text)


def secret_problem(secret: str, scheme: str) -> str | None:
    """Why ``secret`` cannot be sent with ``scheme`` (basic, bearer, oauth2), or None if it can."""
    if _has_control(secret):
        return f"The secret cannot be sent: {CONTROL_RULE}. Check it was not copied with a line break."
    if scheme == "bearer" and not _printable_ascii(secret):
        return f"The secret cannot be sent: {BEARER_RULE}."
    return None


def username_problem(username: str, scheme: str) -> str | None:
    """Why ``username`` cannot be sent with ``scheme``, or None."""
    if scheme == "bearer":
        return None
    if _has_control(username):
        return f"The user name cannot be sent: {CONTROL_RULE}."
    if ":" in username:
        return f"The user name cannot be sent: {USERNAME_COLON_RULE} (RFC 7617)."
    return None


def check_sendable(request: PreparedRequest) -> None:
    """Raise :class:`RequestNotSent` if ``request`` cannot leave as HTTP exactly as it is."""
    auth = request.auth
    problem = None
    if auth is not None:
        basic = "basic" if auth.scheme == "oauth2" else auth.scheme  # client credentials go as Basic
        problem = secret_problem(auth.secret, basic) or username_problem(auth.username, basic)
        if problem is None and auth.scheme == "oauth2" and auth.token and not _printable_ascii(auth.token):
            problem = f"The access token from the token endpoint cannot be sent: {BEARER_RULE}."
    if problem is None:
        problem = _address_problem(request.url)
    if problem is None:
        for name, value in request.headers:
            if _has_control(name + value) or not value.isascii():
                problem = f"The header {name!r} cannot be sent: {CONTROL_RULE} or a non-ASCII character."
                break
    if problem is not None:
        raise RequestNotSent(problem, hint="Nothing was sent.")


def _address_problem(url: str) -> str | None:
    for position, char in enumerate(url):
        if unicodedata.category(char) == "Cc":
            return (f"The request address cannot be used: it contains a control character (U+{ord(char):04X}) "
                    f"at position {position + 1}.")
    return None


def credential_problems(provider: str, auth_option: str, username: str, secret: str) -> dict[str, str]:
    """Per-setting messages ("username", "secret") for credentials that HTTP could not carry; checked
    when a profile is saved, so a bad secret is caught before the first call, not at it."""
    from launcher.core.models import Account
    from launcher.core.providers import get_adapter

    try:
        adapter = get_adapter(provider)
    except KeyError:
        return {}
    account = Account(provider=provider, account_id="", secret=secret, username=username or None, auth=auth_option)
    auth = adapter.auth(account)
    scheme = "basic" if auth.scheme == "oauth2" else auth.scheme
    problems: dict[str, str] = {}
    if secret and (problem := secret_problem(secret, scheme)):
        problems["secret"] = problem
    if problem := username_problem(username, scheme):
        problems["username"] = problem
    return problems
