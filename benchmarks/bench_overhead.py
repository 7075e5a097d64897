"""The app's own cost per create request, over a bare httpx request carrying the same bytes.

The sandbox runs in a separate process on a real loopback socket (``call-launcher sandbox
--port 0``), so the server's work does not share this process's CPU.  For each provider, with the
sandbox sample values and one long-lived ``httpx.AsyncClient`` (the app's own default settings):

- app:  validate + ``adapter.build_create`` + ``CallService.create`` (send, read, parse the call)
- bare: ``client.post`` of the request's exact URL, headers and body, response read

alternating, after a warm-up.  Overhead = median(app) - median(bare), in microseconds, taken on
this thread's CPU time: the server's time and the loopback's jitter (milliseconds on a busy machine)
fall out, what this process does per request stays.  The wall-clock medians are shown too.
"""

from __future__ import annotations

import asyncio
import re
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from typing import Any

from common import Result, child_env


def start_sandbox() -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen([sys.executable, "-m", "launcher", "sandbox", "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=child_env())
    assert process.stdout is not None
    line = process.stdout.readline()
    found = re.search(r"http://127\.0\.0\.1:\d+", line)
    if not found:
        process.kill()
        raise RuntimeError(f"the sandbox did not start: {line!r} {process.stderr.read() if process.stderr else ''}")
    return process, found.group(0)


async def _measure(base_url: str, requests: int) -> dict[str, dict[str, float]]:
    import httpx

    from launcher.core.calls import CallService, default_timeout
    from launcher.core.providers import get_adapter
    from launcher.core.validate import validate
    from launcher.sandbox.app import all_simulators
    from launcher.sandbox.builtin_profiles import builtin_profiles, builtin_secret

    results: dict[str, dict[str, float]] = {}
    async with httpx.AsyncClient(timeout=default_timeout(), follow_redirects=False) as client:
        service = CallService(client)
        for profile in builtin_profiles():
            simulator = all_simulators()[profile.provider]
            adapter = get_adapter(profile.provider)
            local = replace(profile, base_url=base_url + simulator.base_path())
            account = local.account(builtin_secret(profile))
            values: dict[str, Any] = simulator.sample_values()
            request = adapter.build_create(account, validate(adapter.schema, values, local.region).values)
            url, body, headers = request.url, request.body, request.all_headers(reveal=True)

            async def app() -> None:
                result = validate(adapter.schema, values, local.region)  # noqa: B023 - this iteration's
                prepared = adapter.build_create(account, result.values)  # noqa: B023
                await service.create(adapter, account, prepared)  # noqa: B023

            async def bare() -> None:
                response = await client.post(url, content=body, headers=headers)  # noqa: B023
                assert response.status_code < 300, response.text

            wall: dict[Any, list[float]] = {app: [], bare: []}
            cpu: dict[Any, list[float]] = {app: [], bare: []}
            for i in range(requests + 20):
                for job in (app, bare) if i % 2 == 0 else (bare, app):
                    started, started_cpu = time.perf_counter(), time.thread_time()
                    await job()
                    if i >= 20:  # the first 20 of each warm up connections and caches
                        wall[job].append((time.perf_counter() - started) * 1e6)
                        cpu[job].append((time.thread_time() - started_cpu) * 1e6)
            paired = [a - b for a, b in zip(cpu[app], cpu[bare], strict=True)]  # the same round's two requests
            quartiles = statistics.quantiles(paired, n=4)
            results[adapter.name] = {
                "paired": statistics.median(paired), "paired_q1": quartiles[0], "paired_q3": quartiles[2],
                "app_cpu": statistics.median(cpu[app]), "bare_cpu": statistics.median(cpu[bare]),
                "app_wall": statistics.median(wall[app]), "bare_wall": statistics.median(wall[bare]),
            }
    return results


def measure(requests: int) -> list[Result]:
    process, base_url = start_sandbox()
    try:
        results = asyncio.run(_measure(base_url, requests))
    finally:
        process.terminate()
        process.wait(timeout=10)
    overheads = {name: r["paired"] for name, r in results.items()}
    detail = "; ".join(
        f"{name} +{r['paired']:.0f} (IQR {r['paired_q1']:.0f}–{r['paired_q3']:.0f}; CPU {r['app_cpu']:.0f} vs"
        f" {r['bare_cpu']:.0f}, wall {r['app_wall']:.0f} vs {r['bare_wall']:.0f})" for name, r in results.items())
    return [Result(
        "App overhead per create request over bare httpx, in a running process (loopback sandbox, client CPU)",
        statistics.median(overheads.values()), "µs", None,
        f"median over the 4 providers of the median paired difference, {requests} alternating requests each;"
        f" µs per request: {detail}.  A command-line run also pays its process start and imports: see the CLI"
        " rows",
    )]
