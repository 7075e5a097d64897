"""Preflight a profile: harmless authenticated reads that tell, before a call, whether one would work.

Checks, in order: the profile's settings; the credentials (the adapter's test-connection read); the
From number belongs to the account or is a verified caller ID, where the provider can say (Twilio
incoming numbers and outgoing caller IDs, Catapult phone numbers); the jambonz application exists;
webhook/answer URLs are well-formed and — a warning only — answer from this machine.  Nothing here
places a call or changes anything at the provider.
"""

from __future__ import annotations

import asyncio
import enum
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from launcher.core.calls import CallService
from launcher.core.errors import CallError, InsecureTransportError, LauncherError, ProviderError
from launcher.core.http import HttpResponse, PreparedRequest
from launcher.core.models import Account
from launcher.core.profiles import Profile, profile_problems
from launcher.core.providers import get_adapter
from launcher.core.providers.base import ProviderAdapter
from launcher.core.schema import FieldKind
from launcher.core.validate import validate

REACH_TIMEOUT_S = 5.0
GET_JSON = (("Accept", "application/json"),)


class CheckStatus(enum.StrEnum):
    OK = "ok"
    FAILED = "failed"
    WARNING = "warning"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class CheckItem:
    name: str
    status: CheckStatus
    detail: str

    def to_json(self) -> dict[str, str]:
        return {"check": self.name, "status": self.status.value, "detail": self.detail}


def passed(items: list[CheckItem]) -> bool:
    """True when nothing failed (warnings and skipped checks allowed)."""
    return not any(item.status is CheckStatus.FAILED for item in items)


async def preflight(service: CallService, profile: Profile, secret: str | None,
                    values: dict[str, Any] | None = None, *, reach: bool = True) -> list[CheckItem]:
    """The checklist for ``profile`` (``values``: request fields such as From and Url, as typed)."""
    values = values or {}
    problems = profile_problems(profile)
    if problems:
        return [CheckItem("Profile settings", CheckStatus.FAILED, f"{name}: {message}")
                for name, message in problems.items()]
    adapter = get_adapter(profile.provider)
    account = profile.account(secret)
    items = [CheckItem("Profile settings", CheckStatus.OK, "complete")]
    try:
        host = urlsplit(adapter.base_url(account)).netloc
    except InsecureTransportError as exc:
        return [*items, CheckItem("Base URL", CheckStatus.FAILED, str(exc))]
    if not secret:
        return [*items, CheckItem("Credentials", CheckStatus.FAILED, f"No {adapter.account.secret_label} to send.")]
    try:
        response = await service.test_connection(adapter, account)
    except CallError as exc:
        return [*items, CheckItem("Credentials", CheckStatus.FAILED, _describe(exc))]
    items.append(CheckItem("Credentials", CheckStatus.OK, f"accepted by {host} (HTTP {response.status})"))
    reads = PROVIDER_READS.get(adapter.id)
    if reads is None:
        items.append(CheckItem("From number", CheckStatus.SKIPPED,
                               f"{adapter.name}'s API has no read that tells which numbers an account may call from."))
    else:
        try:
            items.extend(await reads(service, adapter, account, values))
        except CallError as exc:
            items.append(CheckItem("From number", CheckStatus.FAILED, _describe(exc)))
    items.extend(await _url_checks(service, adapter, values, profile.region, reach))
    return items


def _describe(exc: CallError) -> str:
    if isinstance(exc, ProviderError):
        return exc.describe()
    return f"{exc} {exc.hint}".strip()


async def _get(service: CallService, adapter: ProviderAdapter, account: Account, url: str) -> HttpResponse:
    """One authenticated GET; an error status comes back as a response, not an exception."""
    return await service.send(PreparedRequest("GET", url, GET_JSON, auth=adapter.auth(account)))


def _refusal(adapter: ProviderAdapter, response: HttpResponse) -> str:
    return adapter.parse_error(response).describe()


def _value(values: dict[str, Any], adapter: ProviderAdapter, meaning: str) -> Any:
    path = adapter.schema.by_meaning(meaning)
    node: Any = values
    for part in (path or "").split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


# --- provider reads ----------------------------------------------------------------------------
async def _twilio(service: CallService, adapter: ProviderAdapter, account: Account,
                  values: dict[str, Any]) -> list[CheckItem]:
    number = _value(values, adapter, "from")
    if not number:
        return [CheckItem("From number", CheckStatus.SKIPPED, "No From number given to check.")]
    root = f"{adapter.base_url(account)}/2010-04-01/Accounts/{quote(account.account_id, safe='')}"
    query = urlencode({"PhoneNumber": number})
    for resource, key, what in (("IncomingPhoneNumbers", "incoming_phone_numbers", "a phone number of the account"),
                                ("OutgoingCallerIds", "outgoing_caller_ids", "a verified caller ID")):
        response = await _get(service, adapter, account, f"{root}/{resource}.json?{query}")
        if response.status >= 400:
            return [CheckItem("From number", CheckStatus.FAILED, f"Could not read {resource}: "
                              f"{_refusal(adapter, response)}")]
        listed = response.json_object().get(key)
        if isinstance(listed, list) and any(isinstance(i, dict) and i.get("phone_number") == number for i in listed):
            return [CheckItem("From number", CheckStatus.OK, f"{number} is {what}.")]
    return [CheckItem("From number", CheckStatus.FAILED,
                      f"{number} is neither a phone number of account {account.account_id} nor a verified caller "
                      "ID: Twilio will refuse calls from it (error 21210).")]


async def _catapult(service: CallService, adapter: ProviderAdapter, account: Account,
                    values: dict[str, Any]) -> list[CheckItem]:
    number = _value(values, adapter, "from")
    if not number:
        return [CheckItem("From number", CheckStatus.SKIPPED, "No from number given to check.")]
    url = (f"{adapter.base_url(account)}/v1/users/{quote(account.account_id, safe='')}/phoneNumbers/"
           f"{quote(str(number), safe='')}")
    response = await _get(service, adapter, account, url)
    if response.status == 404:
        return [CheckItem("From number", CheckStatus.FAILED,
                          f"{number} is not a phone number of user {account.account_id}.")]
    if response.status >= 400:
        return [CheckItem("From number", CheckStatus.FAILED,
                          f"Could not read the number: {_refusal(adapter, response)}")]
    return [CheckItem("From number", CheckStatus.OK, f"{number} is a phone number of user {account.account_id}.")]


async def _jambonz(service: CallService, adapter: ProviderAdapter, account: Account,
                   values: dict[str, Any]) -> list[CheckItem]:
    items = [CheckItem("From number", CheckStatus.SKIPPED,
                       "jambonz places calls from any number its carriers accept; not checked.")]
    sid = values.get("application_sid")
    if not sid:
        return [*items, CheckItem("Application", CheckStatus.SKIPPED, "No application_sid given to check.")]
    root = adapter.base_url(account).rstrip("/")
    root = root[:-3].rstrip("/") if root.lower().endswith("/v1") else root
    response = await _get(service, adapter, account, f"{root}/v1/Applications/{quote(str(sid), safe='')}")
    if response.status == 404:
        return [*items, CheckItem("Application", CheckStatus.FAILED, f"No application {sid} in this account.")]
    if response.status >= 400:
        return [*items, CheckItem("Application", CheckStatus.FAILED,
                                  f"Could not read the application: {_refusal(adapter, response)}")]
    name = response.json_object().get("name")
    return [*items, CheckItem("Application", CheckStatus.OK, f"{sid} exists" + (f" ({name})." if name else "."))]


ProviderReads = Callable[[CallService, ProviderAdapter, Account, dict[str, Any]], Awaitable[list[CheckItem]]]
PROVIDER_READS: dict[str, ProviderReads] = {"twilio": _twilio, "catapult": _catapult, "jambonz": _jambonz}


# --- webhook URLs --------------------------------------------------------------------------------
async def _url_checks(service: CallService, adapter: ProviderAdapter, values: dict[str, Any], region: str,
                      reach: bool) -> list[CheckItem]:
    errors = validate(adapter.schema, values, region=region).errors
    items: list[CheckItem] = []
    checks: list[tuple[str, str]] = []
    for path, spec in adapter.schema.walk():
        if spec.kind is not FieldKind.URL:
            continue
        node: Any = values
        for part in path.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if not isinstance(node, str) or not node.strip():
            continue
        if errors.get(path):
            items.append(CheckItem(path, CheckStatus.FAILED, f"{node}: {errors[path][0]}"))
        else:
            checks.append((path, node.strip()))
    if not reach:
        return items + [CheckItem(path, CheckStatus.OK, f"{url} is well-formed.") for path, url in checks]
    answers = await asyncio.gather(*(_reachable(service, url) for _, url in checks))
    for (path, url), problem in zip(checks, answers, strict=True):
        if problem is None:
            items.append(CheckItem(path, CheckStatus.OK, f"{url} is well-formed and answers from this machine."))
        else:
            items.append(CheckItem(path, CheckStatus.WARNING, f"{url} is well-formed but did not answer from this "
                                                              f"machine ({problem}); the provider may still reach it."))
    return items


async def _reachable(service: CallService, url: str) -> str | None:
    """None when ``url`` answers at all (any HTTP status), else why not.  Sent without credentials."""
    request = PreparedRequest("GET", url, (("Accept", "*/*"),))
    try:
        async with asyncio.timeout(REACH_TIMEOUT_S):
            await service.send(request)
    except TimeoutError:
        return f"no answer within {REACH_TIMEOUT_S:g} s"
    except LauncherError as exc:
        return str(exc).rstrip(".")
    return None
