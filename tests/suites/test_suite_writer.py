""""Save as test": a history attempt written as a [[test]] that reads back to the same request and outcome."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from launcher.core.history import Attempt, AttemptStatus
from launcher.core.suites.parse import load_suite
from launcher.core.suites.writer import append_test, default_name, table_for_attempt, unique_name
from launcher.sandbox.builtin_profiles import builtin_profiles

PROFILES = {p.name: p for p in builtin_profiles()}
NOW = datetime(2026, 1, 2, tzinfo=UTC)


def attempt(**changes: object) -> Attempt:
    fields: dict[str, object] = {
        "id": 7, "started_at": NOW, "updated_at": NOW, "profile": "sandbox-jambonz", "profile_id": "sandbox-jambonz",
        "provider": "jambonz", "from_number": "+15083728299", "to": "+16172370001", "status": AttemptStatus.ENDED,
        "outcome": "busy",
        "values": {"application_sid": "0e06a1b0-d49f-4fb8-b973-b5a3c6758de1", "from": "+15083728299",
                   "to": {"type": "phone", "number": "+16172370001"},
                   "tag": {"note": 'say "hi"\\ \u00e9', "ticket number": "4711"}},
    }
    fields.update(changes)
    return Attempt(**fields)  # type: ignore[arg-type]


def test_an_attempt_round_trips_through_a_suite_file(tmp_path: Path) -> None:
    suite_path = tmp_path / "saved.toml"
    append_test(suite_path, table_for_attempt(attempt(), default_name(attempt())))
    refused = attempt(status=AttemptStatus.REJECTED, outcome=None, error_code="21214", http_status=400,
                      values={"application_sid": "0e06a1b0-d49f-4fb8-b973-b5a3c6758de1", "from": "+15083728299",
                              "to": {"type": "phone", "number": "+16172370001"}})
    append_test(suite_path, table_for_attempt(refused, unique_name(default_name(refused), {"+16172370001 refused"})))
    suite = load_suite(suite_path, PROFILES)
    first, second = suite.tests
    assert (first.name, first.profile.name, first.expect.result) == ("+16172370001 busy", "sandbox-jambonz", "busy")
    assert first.values["to"] == {"type": "phone", "number": "+16172370001"}
    assert first.values["tag"] == {"note": 'say "hi"\\ \u00e9', "ticket number": "4711"}
    assert (second.name, second.expect.result, second.expect.error_code, second.expect.http_status) == (
        "+16172370001 refused (2)", "refused", "21214", 400)
    assert first.line == 1 and second.line == 7


def test_a_call_without_a_final_outcome_cannot_be_saved() -> None:
    with pytest.raises(ValueError, match=r"no final outcome yet \(ringing\)"):
        table_for_attempt(attempt(status=AttemptStatus.RINGING, outcome=None), "x")
