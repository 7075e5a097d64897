"""The history's number-aware search (shared by the window and `call-launcher history`) and the mark an
attempt sent without local checks carries, including in a file written before that mark existed."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from launcher.core import history_schema
from launcher.core.history import HistoryFilter, HistoryStore

WHEN = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def record(store: HistoryStore, to: str, skipped: list[str] | None = None) -> int:
    return store.record_attempt(profile="p", profile_id="p", provider="twilio", from_number="+15005550006", to=to,
                                request={"method": "POST"}, values={"To": to}, skipped_checks=skipped)


def test_numbers_match_however_typed_and_text_still_matches(tmp_path: Path) -> None:
    with HistoryStore(tmp_path / "h.sqlite3", clock=lambda: WHEN) as store:
        first = record(store, "+15555550002")
        second = record(store, "sip:bob@example.com")
        assert [a.id for a in store.query(HistoryFilter(text="(555) 555-0002"))] == [first]
        assert store.count(HistoryFilter(text="+1 (555) 555 0002")) == 1
        assert [a.id for a in store.query(HistoryFilter(text="BOB@"))] == [second]
        assert store.count(HistoryFilter(text="(555) 555-0003")) == 0


def test_skipped_checks_are_kept_and_others_carry_none(tmp_path: Path) -> None:
    with HistoryStore(tmp_path / "h.sqlite3", clock=lambda: WHEN) as store:
        marked = record(store, "+15555550002", ["Timeout: Use a whole number from 1 to 600."])
        plain = record(store, "+15555550003")
        assert store.get(marked).skipped_checks == ["Timeout: Use a whole number from 1 to 600."]
        assert store.get(plain).skipped_checks == []
        assert store.get(marked).to_json()["skipped_checks"] == ["Timeout: Use a whole number from 1 to 600."]


def test_a_file_from_before_the_mark_is_migrated_with_its_attempts(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    old = sqlite3.connect(path, isolation_level=None)
    for version, migration in enumerate(history_schema.MIGRATIONS[:3], start=1):
        migration(old)
        old.execute(f"PRAGMA user_version = {version}")
    old.execute("INSERT INTO attempts (id, started_at, updated_at, profile, profile_id, provider, to_number, status,"
                " search) VALUES (1, ?, ?, 'p', 'p', 'twilio', '+15555550002', 'ended', '+15555550002')",
                (WHEN.isoformat(), WHEN.isoformat()))
    old.execute("INSERT INTO attempt_payloads (attempt_id, request_json, values_json) VALUES (1, '{}', '{}')")
    old.close()
    with HistoryStore(path) as store:
        assert store._conn.execute("PRAGMA user_version").fetchone()[0] == 6 == history_schema.schema_version()
        (kept,) = store.query(HistoryFilter(text="(555) 555-0002"))
        assert (kept.id, kept.to, kept.skipped_checks) == (1, "+15555550002", [])
