"""History names each attempt's From and To as the provider's form holds them (jambonz: a target object)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from launcher.core.attempts import Dialer
from launcher.core.calls import CallService
from launcher.core.history import HistoryStore
from launcher.core.providers import get_adapter
from tests.faults.providers import KITS


def recorded_endpoints(tmp_path: Path, provider: str, values: dict[str, Any]) -> tuple[str | None, str | None]:
    """From and To of the history row that starting an attempt writes (nothing is sent)."""
    kit, adapter = KITS[provider], get_adapter(provider)
    profile = kit.profile("http://127.0.0.1:9")
    account = profile.account("a-fine-secret")
    history = HistoryStore(tmp_path / "history.sqlite3")
    try:
        live = Dialer(CallService(), history).start(  # the service builds no client: nothing is sent
            profile, adapter, account, values, adapter.build_create(account, values))
        row = history.get(live.attempt_id)
        return row.from_number, row.to
    finally:
        history.close()


@pytest.mark.parametrize(("target", "shown"), [
    ({"type": "phone", "number": "+15555550100"}, "+15555550100"),
    ({"type": "sip", "sipUri": "sip:alice@example.com"}, "sip:alice@example.com"),
    ({"type": "user", "name": "joeb@sip.example.com"}, "joeb@sip.example.com"),
    ({"type": "sip", "number": "+15555550100", "sipUri": "sip:alice@example.com"}, "sip:alice@example.com"),
    ({"type": "sip"}, None),
])
def test_jambonz_history_shows_the_member_the_target_type_dials(tmp_path: Path, target: dict[str, str],
                                                                 shown: str | None) -> None:
    values = {**KITS["jambonz"].values, "from": "+15083728299", "to": target}
    assert recorded_endpoints(tmp_path, "jambonz", values) == ("+15083728299", shown)


def test_a_plain_number_field_is_recorded_as_typed(tmp_path: Path) -> None:
    values = {**KITS["twilio"].values, "To": "+15555550100", "From": "+15005550006"}
    assert recorded_endpoints(tmp_path, "twilio", values) == ("+15005550006", "+15555550100")


def test_a_provider_without_the_field_records_none() -> None:
    assert get_adapter("twilio").endpoint_text({"To": "+15555550100"}, "no-such-meaning") is None
