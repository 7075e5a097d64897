"""The sandbox ASGI application: every provider's call API on one server.

Served on loopback by ``call-launcher sandbox``, or in-process through ``httpx.ASGITransport`` for the
built-in Sandbox profiles (see :func:`sandbox_client`).
"""

from __future__ import annotations

import importlib
import pkgutil
from email.utils import format_datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from launcher.sandbox import providers as simulator_package
from launcher.sandbox.base import ProviderSimulator
from launcher.sandbox.builtin_profiles import IN_PROCESS_URL as IN_PROCESS_URL
from launcher.sandbox.engine import Clock, Engine, SandboxConfig
from launcher.sandbox.scenarios import SCENARIOS

if TYPE_CHECKING:
    import httpx
    from starlette.applications import Starlette



class SimulatedDate:
    """Puts every answer's ``Date`` header on the simulated clock, as the call resources' timestamps are.

    The rule: all times the sandbox shows (resource timestamps and ``Date``) are ``Clock.wall(now)``,
    the real time the sandbox started plus the simulated seconds since, so at ``--speed N`` they run
    N times faster than real time, together.  Waits it asks for (``Retry-After``) stay in real seconds.
    """

    def __init__(self, app: Any, clock: Clock) -> None:
        self.app = app
        self.clock = clock

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_dated(message: Any) -> None:
            if message["type"] == "http.response.start":
                stamp = format_datetime(self.clock.wall(self.clock.now()), usegmt=True).encode()
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"date"]
                message = {**message, "headers": [*headers, (b"date", stamp)]}
            await send(message)

        await self.app(scope, receive, send_dated)


@cache
def all_simulators() -> dict[str, ProviderSimulator]:
    found: dict[str, ProviderSimulator] = {}
    for info in pkgutil.iter_modules(simulator_package.__path__):
        module = importlib.import_module(f"{simulator_package.__name__}.{info.name}")
        simulator = getattr(module, "SIMULATOR", None)
        if isinstance(simulator, ProviderSimulator):
            found[simulator.id] = simulator
    from launcher.core.providers import all_adapters

    order = list(all_adapters())
    return dict(sorted(found.items(), key=lambda item: order.index(item[0]) if item[0] in order else 99))


def create_app(config: SandboxConfig | None = None, engine: Engine | None = None) -> Starlette:
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import BaseRoute, Route

    from launcher.sandbox.limits import MAX_BODY_BYTES, BodyLimit

    engine = engine or Engine(config)
    routes: list[BaseRoute] = []
    answers_413: list[Any] = []
    for simulator in all_simulators().values():
        own = simulator.routes(engine)
        routes.extend(own)
        answers_413 += [(route, simulator.body_too_large) for route in own]

    async def index(request: Request) -> JSONResponse:
        root = str(request.base_url).rstrip("/")
        return JSONResponse({
            "sandbox": "call-launcher",
            "speed": engine.clock.speed,
            "rate_limit": engine.config.rate_limit,
            "providers": {
                sim.id: {
                    "base_url": root + sim.base_path(),
                    "account_id": sim.credentials.account_id,
                    "username": sim.credentials.username,
                    "secret": sim.credentials.secret,
                }
                for sim in all_simulators().values()
            },
            "scenarios": [
                {"number_suffix": s.suffix or None, "sip_user_word": s.sip_word or None, "behaviour": s.summary}
                for s in SCENARIOS
            ],
        })

    routes.append(Route("/", index, methods=["GET"]))
    app = Starlette(routes=routes, middleware=[Middleware(BodyLimit, limit=MAX_BODY_BYTES, routes=answers_413)])
    app.add_middleware(SimulatedDate, clock=engine.clock)  # outermost: a 413 carries the simulated Date too
    app.state.engine = engine
    return app


def sandbox_client(
    config: SandboxConfig | None = None, *, timeout: httpx.Timeout | float = 15.0, engine: Engine | None = None,
) -> httpx.AsyncClient:
    """An AsyncClient that answers ``http://sandbox.localhost`` in-process and reaches any other host
    over the network as usual: one client serves sandbox and real profiles alike.  Both transports
    are built on first use (see :class:`~launcher.sandbox.transport.LazyTransport`)."""
    import httpx

    from launcher.core.routing import RoutedTransport
    from launcher.sandbox.transport import LazyTransport

    return httpx.AsyncClient(
        transport=LazyTransport(RoutedTransport),  # the app's routing rule (proxies, localhost), made later
        mounts={IN_PROCESS_URL: LazyTransport(lambda: httpx.ASGITransport(app=create_app(config, engine)))},
        timeout=timeout,
        follow_redirects=False,
        trust_env=False,  # proxies are chosen per request by RoutedTransport, never from the environment here
    )
