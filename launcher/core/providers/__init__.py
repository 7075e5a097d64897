"""Provider registry: every module in this package that defines ``ADAPTER`` is a provider.

Adding a provider is adding a module; nothing else in the code base lists providers.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from launcher.core.providers.base import ProviderAdapter


@cache
def all_adapters() -> dict[str, ProviderAdapter]:
    names = {info.name for info in pkgutil.iter_modules(__path__) if info.name != "base"}
    adapters: dict[str, ProviderAdapter] = {}
    for name in sorted(names):
        module = importlib.import_module(f"{__name__}.{name}")
        adapter = getattr(module, "ADAPTER", None)
        if isinstance(adapter, ProviderAdapter):
            adapters[adapter.id] = adapter
    return dict(sorted(adapters.items(), key=lambda item: (item[1].order, item[0])))


def get_adapter(provider_id: str) -> ProviderAdapter:
    adapters = all_adapters()
    try:
        return adapters[provider_id]
    except KeyError:
        raise KeyError(
            f"Unknown provider '{provider_id}'. Known providers: {', '.join(adapters)}."
        ) from None
