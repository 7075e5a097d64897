"""Check generated requests against the providers' official OpenAPI files in ../shared/specs.

The provider documents (official specs in ``specs/``, the product brief's pages in ``seeds/``) live in a
``shared`` folder beside the checkout, or where ``CALL_LAUNCHER_SHARED_DIR`` points.  Checks that need
one skip when it is absent, with a reason starting ``SPEC_SKIP``; the run's summary counts them.  With
``CALL_LAUNCHER_REQUIRE_SPECS=1`` (CI) an absent document fails the check instead.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from launcher.core.http import PreparedRequest

SHARED_DIR = Path(os.environ.get("CALL_LAUNCHER_SHARED_DIR") or Path(__file__).resolve().parents[3] / "shared")
SPECS_DIR = SHARED_DIR / "specs"
SEEDS_DIR = SHARED_DIR / "seeds"
SPEC_SKIP = "provider document absent:"


def require_document(path: Path) -> Path:
    """``path`` when it exists; else skip the check (fail it when CALL_LAUNCHER_REQUIRE_SPECS=1)."""
    if path.exists():
        return path
    message = f"{SPEC_SKIP} {path} (the shared specs/seeds folder is not beside this checkout)"
    if os.environ.get("CALL_LAUNCHER_REQUIRE_SPECS") == "1":
        pytest.fail(f"{message}; CALL_LAUNCHER_REQUIRE_SPECS=1 requires it", pytrace=False)
    pytest.skip(message)


def spec_path(name: str) -> Path:
    return require_document(SPECS_DIR / name)


@cache
def _openapi(name: str):  # type: ignore[no-untyped-def]
    import json

    import yaml
    from openapi_core import Config, OpenAPI

    path = spec_path(name)
    text = path.read_text(encoding="utf-8")
    document = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    return OpenAPI.from_dict(document, config=Config(spec_validator_cls=None))


def validate_request(spec_name: str, request: PreparedRequest, server: str) -> None:
    """Raise if ``request`` does not conform to the spec.

    ``server`` is the spec's server URL the request path is relative to (e.g.
    ``https://api.twilio.com`` or ``https://voice.bandwidth.com/api/v2``); the request URL is
    rewritten onto it so a request built for the sandbox or a test host validates the same way.
    Security is not checked here (the specs' schemes are exercised by the adapters' tests).
    """
    from openapi_core.testing import MockRequest

    parts = urlsplit(request.url)
    server_parts = urlsplit(server)
    path = parts.path
    base_path = server_parts.path.rstrip("/")
    if base_path and not path.startswith(base_path):
        raise AssertionError(f"{request.url} is not under the spec's server {server}")
    headers = {name.lower(): value for name, value in request.all_headers(reveal=True)}
    # openapi-core joins host and path with urljoin, so pass the host alone and the full path.
    mock = MockRequest(
        f"{server_parts.scheme}://{server_parts.netloc}",
        request.method.lower(),
        path,
        args={k: v[0] for k, v in parse_qs(parts.query).items()},
        headers=headers,
        data=request.body,
        content_type=request.content_type() or "application/json",
    )
    openapi = _openapi(spec_name)
    errors = list(openapi.iter_request_errors(mock)) if hasattr(openapi, "iter_request_errors") else []
    # Security requirements are not modelled for every spec the same way; ignore them here.
    errors = [e for e in errors if "Security" not in type(e).__name__]
    if errors:
        details = []
        for error in errors:
            details.append(repr(error))
            cause: BaseException | None = error
            while cause is not None:
                for sub in getattr(cause, "schema_errors", None) or []:
                    details.append(f"  - {getattr(sub, 'message', sub)}")
                cause = cause.__cause__
        raise AssertionError("request does not match " + spec_name + ":\n" + "\n".join(details))
