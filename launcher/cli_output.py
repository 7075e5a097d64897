"""Plain-text rendering for the command line."""

from __future__ import annotations

import sys
import textwrap
from typing import TextIO

from launcher.core.models import CallResource
from launcher.core.providers.base import ProviderAdapter
from launcher.core.schema import FieldSpec


def print_problems(problems: dict[str, list[str]], stream: TextIO = sys.stderr, prefix: str = "error") -> None:
    for path, messages in problems.items():
        for message in messages:
            print(f"  {prefix}: {path or 'request'}: {message}", file=stream)


def print_providers(adapters: list[ProviderAdapter]) -> None:
    for adapter in adapters:
        print(f"{adapter.id}  —  {adapter.name}")
        spec = adapter.account
        auth = "Bearer token" if spec.auth_scheme == "bearer" else "Basic auth"
        base = spec.default_base_url or "(base URL set per profile)"
        print(f"  account: {spec.account_label}; {auth}; {base}")
        for group in adapter.schema.group_order():
            members = [f for f in adapter.schema.fields if f.group == group]
            if not members:
                continue
            print(f"  [{group}]")
            for spec_field in members:
                _print_field(spec_field, indent=4)
        print()


def _print_field(spec: FieldSpec, indent: int) -> None:
    pad = " " * indent
    flags = []
    if spec.required:
        flags.append("required")
    if spec.choices:
        flags.append("|".join(spec.choices))
    if spec.minimum is not None or spec.maximum is not None:
        flags.append(f"{_n(spec.minimum)}..{_n(spec.maximum)}{(' ' + spec.unit) if spec.unit else ''}")
    if spec.max_length is not None:
        flags.append(f"≤{spec.max_length} chars")
    if spec.default is not None:
        flags.append(f"default {spec.default}")
    extra = f" ({'; '.join(flags)})" if flags else ""
    print(f"{pad}{spec.name:<34} {spec.kind.value:<8}{extra}")
    if spec.help:
        for line in textwrap.wrap(spec.help, width=96 - indent):
            print(f"{pad}    {line}")
    for child in spec.children:
        _print_field(child, indent + 4)


def _n(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def print_call(call: CallResource, stream: TextIO) -> None:
    outcome = f" ({call.outcome.value})" if call.outcome else ""
    rows = [
        ("call", call.call_id),
        ("status", f"{call.phase.value}{outcome}   provider status: {call.provider_status}"),
        ("from", call.from_number or "—"),
        ("to", call.to or "—"),
    ]
    if call.created_at:
        rows.append(("created", call.created_at.isoformat()))
    if call.answered_at:
        rows.append(("answered", call.answered_at.isoformat()))
    if call.ended_at:
        rows.append(("ended", call.ended_at.isoformat()))
    if call.duration is not None:
        rows.append(("duration", f"{call.duration:g} s"))
    if call.detail:
        rows.append(("detail", call.detail))
    if call.url:
        rows.append(("url", call.url))
    from launcher.core.providers import all_adapters

    adapter = all_adapters().get(call.provider)
    print(f"{adapter.name if adapter else call.provider} call", file=stream)
    for key, value in rows:
        print(f"  {key:<9} {value}", file=stream)
    stream.flush()
