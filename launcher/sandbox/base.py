"""The contract each provider's simulator implements, plus request helpers they share."""

from __future__ import annotations

import base64
import binascii
import json
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from launcher.core.providers import get_adapter
from launcher.core.providers.base import ProviderAdapter
from launcher.core.schema import FieldKind, ProviderSchema
from launcher.sandbox.engine import Engine


@dataclass(frozen=True)
class SandboxCredentials:
    """Public, fixed credentials of the sandbox account for one provider (not secrets)."""

    account_id: str
    secret: str
    username: str | None = None


class ProviderSimulator(ABC):
    id: str  # the adapter id this simulates
    credentials: SandboxCredentials

    @property
    def adapter(self) -> ProviderAdapter:
        return get_adapter(self.id)

    @abstractmethod
    def routes(self, engine: Engine) -> list[BaseRoute]:
        """Starlette routes at the provider's real paths."""

    @abstractmethod
    def curl_recipe(self, base_url: str) -> str:
        """A curl command that creates a call against the sandbox at ``base_url``."""

    def sample_values(self) -> dict[str, Any]:
        """Form values that place a call on the sandbox straight away (first run)."""
        return {}

    def banner_notes(self, base_url: str) -> list[tuple[str, str]]:
        """Extra (label, text) lines for the ``call-launcher sandbox`` banner."""
        return []

    def body_too_large(self, request: Request, limit: int) -> Response:
        """The answer to a request body over ``limit`` bytes, in the provider's own error shape."""
        from launcher.sandbox.limits import generic_too_large

        return generic_too_large(request, limit)

    def base_path(self) -> str:
        """Path prefix under the sandbox root that stands for the provider's base URL ("" by default)."""
        return ""


def basic_auth(request: Request) -> tuple[str, str] | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "basic" or not token:
        return None
    try:
        decoded = base64.b64decode(token.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    user, sep, password = decoded.partition(":")
    return (user, password) if sep else None


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()


def form_values(body: bytes, schema: ProviderSchema) -> dict[str, Any]:
    """Form pairs -> values; repeated keys of LIST fields become lists."""
    values: dict[str, Any] = {}
    for key, value in parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True):
        spec = schema.field(key)
        if spec is not None and spec.kind is FieldKind.LIST:
            values.setdefault(key, []).append(value)
        elif key in values:
            values[key] = value  # last one wins, as most form parsers do
        else:
            values[key] = value
    return values


def json_values(body: bytes) -> Any:
    """Parsed JSON or raises ValueError with a readable message."""
    try:
        return json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise ValueError("The body is not UTF-8 text.") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"The body is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}.") from None
