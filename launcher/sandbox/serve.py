"""``call-launcher sandbox``: serve the simulator over HTTP on loopback."""

from __future__ import annotations

import sys

from launcher.core.http import is_loopback_host
from launcher.sandbox.app import all_simulators, create_app
from launcher.sandbox.engine import SandboxConfig


def banner(base_url: str, speed: float, rate_limit: bool) -> str:
    limits = "on" if rate_limit else "off"
    lines = [f"Call Launcher sandbox on {base_url}  (clock x{speed:g}, rate limits {limits})", ""]
    for simulator in all_simulators().values():
        creds = simulator.credentials
        lines.append(f"{simulator.adapter.name}")
        lines.append(f"  base URL   {base_url}{simulator.base_path()}")
        lines.append(f"  account    {creds.account_id}")
        if creds.username:
            lines.append(f"  username   {creds.username}")
        lines.append(f"  secret     {creds.secret}")
        lines += [f"  {label:<10} {text}" for label, text in simulator.banner_notes(base_url)]
        lines.append(f"  try        {simulator.curl_recipe(base_url)}")
        lines.append("")
    lines.append("Stop with Ctrl+C.")
    return "\n".join(lines)


def serve(host: str, port: int, speed: float, rate_limit: bool) -> int:
    import socket

    import uvicorn

    if not is_loopback_host(host):
        print(f"warning: serving on {host}, reachable from other machines; the sandbox credentials are public.",
              file=sys.stderr)
    app = create_app(SandboxConfig(speed=speed, rate_limit=rate_limit))
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # inherited by accepted connections
    try:
        sock.bind((host, port))
        sock.listen(2048)  # before the banner: whoever reads it may connect before the server loop runs
    except OSError as exc:
        print(f"call-launcher: cannot listen on {host}:{port}: {exc.strerror}", file=sys.stderr)
        return 5
    bound_port = sock.getsockname()[1]
    shown_host = f"[{host}]" if ":" in host else host
    from launcher.core.scrub import unscrubbed

    # the sandbox's credentials are public test values: its "try" lines must run as printed, tokens included
    print(banner(f"http://{shown_host}:{bound_port}", speed, rate_limit), file=unscrubbed(sys.stdout), flush=True)
    config = uvicorn.Config(app, log_level="warning", lifespan="off", date_header=False)  # Date: simulated clock
    server = uvicorn.Server(config)
    server.run(sockets=[sock])
    return 0
