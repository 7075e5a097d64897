"""The call history on real SQLite files: durability, transitions, search, export, recovery, migration."""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from launcher.core import history_migrations
from launcher.core.history import (
    CSV_COLUMNS,
    SORT_KEYS,
    UNFINISHED_MESSAGE,
    AttemptStatus,
    HistoryError,
    HistoryFilter,
    HistoryStore,
    default_history_path,
    spreadsheet_safe,
)
from launcher.core.models import CallPhase, CallResource, Outcome

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
REQUEST = {"method": "POST", "url": "https://api.twilio.com/x", "headers": {"Authorization": "Basic ***"}, "body": ""}


class Clock:
    """A clock the test moves: one minute per reading unless set."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        value = self.now
        self.now += timedelta(minutes=1)
        return value


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(tmp_path: Path, clock: Clock) -> Iterator[HistoryStore]:
    with HistoryStore(tmp_path / "deep" / "history.sqlite3", clock=clock) as history:
        yield history


def add(store: HistoryStore, *, to: str = "+15555551313", profile: str = "Support", provider: str = "twilio",
        from_number: str = "+15555551212", values: dict[str, Any] | None = None) -> int:
    return store.record_attempt(profile=profile, profile_id=profile.lower(), provider=provider,
                                from_number=from_number, to=to, request=REQUEST, values=values or {"To": to})


def call(phase: CallPhase, outcome: Outcome | None = None, **raw: Any) -> CallResource:
    raw.setdefault("status", phase.value)
    return CallResource("twilio", "CA123", phase, raw["status"], outcome=outcome,
                        duration=raw.get("duration"), raw={"sid": "CA123", **raw})


def test_attempt_is_committed_before_record_attempt_returns(store: HistoryStore) -> None:
    attempt_id = add(store, values={"To": "+15555551313", "Url": "https://example.com"})
    with sqlite3.connect(store.path) as other:  # another connection sees only committed data
        row = other.execute("SELECT status, to_number, profile FROM attempts WHERE id = ?", (attempt_id,)).fetchone()
        payload = other.execute("SELECT request_json, values_json FROM attempt_payloads WHERE attempt_id = ?",
                                (attempt_id,)).fetchone()
    other.close()
    assert row == ("sending", "+15555551313", "Support")
    assert json.loads(payload[0]) == REQUEST
    assert json.loads(payload[1]) == {"To": "+15555551313", "Url": "https://example.com"}


def test_wal_mode_and_integrity(store: HistoryStore) -> None:
    add(store)
    assert store.journal_mode() == "wal"
    with sqlite3.connect(store.path) as other:
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert other.execute("PRAGMA user_version").fetchone()[0] == history_migrations.schema_version()
    other.close()
    assert store.integrity_ok()


def test_default_path_is_in_the_data_dir(launcher_home: Path) -> None:
    assert default_history_path() == launcher_home / "data" / "history.sqlite3"
    with HistoryStore() as history:
        assert history.path.exists()


def test_a_call_moves_through_every_phase(store: HistoryStore, clock: Clock) -> None:
    attempt_id = add(store)
    first = store.get(attempt_id)
    assert first.status is AttemptStatus.SENDING
    assert first.started_at == T0 and first.call_id is None and first.response is None
    seen = []
    for phase in (CallPhase.QUEUED, CallPhase.RINGING, CallPhase.ANSWERED):
        store.record_call(attempt_id, call(phase))
        attempt = store.get(attempt_id)
        seen.append(attempt.status)
        assert attempt.call_id == "CA123" and attempt.provider_status == phase.value
        assert attempt.response == {"sid": "CA123", "status": phase.value}
    store.record_call(attempt_id, call(CallPhase.ENDED, Outcome.COMPLETED, status="completed", duration=42.0))
    final = store.get(attempt_id)
    assert seen == [AttemptStatus.QUEUED, AttemptStatus.RINGING, AttemptStatus.ANSWERED]
    assert (final.status, final.outcome, final.provider_status, final.duration) == (
        AttemptStatus.ENDED, "completed", "completed", 42.0)
    assert final.started_at == T0 and final.updated_at > first.updated_at
    assert final.request == REQUEST


@pytest.mark.parametrize("status", [AttemptStatus.REJECTED, AttemptStatus.FAILED, AttemptStatus.UNKNOWN])
def test_errors_are_recorded_with_their_details(store: HistoryStore, status: AttemptStatus) -> None:
    attempt_id = add(store)
    store.record_error(attempt_id, status=status, message="[HTTP 400, code 21211] Invalid 'To'", code="21211",
                       http_status=400, response={"code": 21211, "message": "Invalid 'To'"})
    attempt = store.get(attempt_id)
    assert (attempt.status, attempt.error, attempt.error_code, attempt.http_status) == (
        status, "[HTTP 400, code 21211] Invalid 'To'", "21211", 400)
    assert attempt.response == {"code": 21211, "message": "Invalid 'To'"}
    assert store.query(HistoryFilter(text="invalid 'to'"))[0].id == attempt_id


def test_an_error_after_the_call_was_placed_keeps_the_call(store: HistoryStore) -> None:
    attempt_id = add(store)
    store.record_call(attempt_id, call(CallPhase.RINGING))
    store.record_error(attempt_id, status=AttemptStatus.UNKNOWN, message="Lost track of the call")
    attempt = store.get(attempt_id)
    assert (attempt.status, attempt.call_id, attempt.response) == (
        AttemptStatus.UNKNOWN, "CA123", {"sid": "CA123", "status": "ringing"})


def test_unknown_ids_raise_key_error(store: HistoryStore) -> None:
    with pytest.raises(KeyError):
        store.get(99)
    with pytest.raises(KeyError):
        store.record_call(99, call(CallPhase.QUEUED))


def populate(store: HistoryStore) -> dict[str, int]:
    ids = {
        "alice": add(store, to="+15555550001", profile="Support", provider="twilio"),
        "bob": add(store, to="+15555550002", profile="Sales", provider="bandwidth"),
        "carol": add(store, to="sip:carol@example.com", profile="Lab", provider="jambonz",
                     from_number="+442071838750"),
        "dave": add(store, to="+15555550004", profile="Support", provider="twilio"),
    }
    store.record_call(ids["alice"], call(CallPhase.ENDED, Outcome.COMPLETED, status="completed", duration=61.5))
    store.record_error(ids["bob"], status=AttemptStatus.REJECTED, message="Number is not on the allow list",
                       code="21215", http_status=403)
    store.record_call(ids["carol"], CallResource("jambonz", "9f1c-ABC", CallPhase.RINGING, "Early-Media"))
    return ids


def found(store: HistoryStore, **kwargs: Any) -> set[int]:
    flt = HistoryFilter(**kwargs)
    result = {a.id for a in store.query(flt)}
    assert store.count(flt) == len(result)
    return result


def test_search_matches_every_searchable_field_case_insensitively(store: HistoryStore) -> None:
    ids = populate(store)
    assert found(store, text="5550002") == {ids["bob"]}  # to
    assert found(store, text="44207") == {ids["carol"]}  # from
    assert found(store, text="SUPPORT") == {ids["alice"], ids["dave"]}  # profile
    assert found(store, text="9f1c-abc") == {ids["carol"]}  # call id
    assert found(store, text="allow LIST") == {ids["bob"]}  # error
    assert found(store, text="early-media") == {ids["carol"]}  # provider status
    assert found(store, text="  sip:carol@  ") == {ids["carol"]}  # surrounding blanks ignored
    assert found(store, text="") == set(ids.values())
    assert found(store, text="%") == set() and found(store, text="_") == set()  # no LIKE wildcards
    assert found(store, text="'; DROP TABLE attempts; --") == set()
    assert store.count() == 4


def test_filters_combine(store: HistoryStore) -> None:
    ids = populate(store)
    assert found(store, provider="twilio") == {ids["alice"], ids["dave"]}
    assert found(store, status=AttemptStatus.REJECTED) == {ids["bob"]}
    assert found(store, provider="twilio", status=AttemptStatus.SENDING) == {ids["dave"]}
    assert found(store, provider="twilio", text="0001") == {ids["alice"]}
    started = {a.id: a.started_at for a in store.query()}
    assert found(store, since=started[ids["carol"]]) == {ids["carol"], ids["dave"]}
    assert found(store, until=started[ids["carol"]]) == {ids["alice"], ids["bob"]}
    local_naive = started[ids["bob"]].astimezone().replace(tzinfo=None)  # naive means local time
    assert found(store, since=local_naive, until=started[ids["dave"]]) == {ids["bob"], ids["carol"]}


def test_sorting_and_paging(store: HistoryStore) -> None:
    ids = populate(store)
    assert [a.id for a in store.query()] == [ids["dave"], ids["carol"], ids["bob"], ids["alice"]]
    assert [a.id for a in store.query(descending=False)] == [ids["alice"], ids["bob"], ids["carol"], ids["dave"]]
    by_profile = [a.profile for a in store.query(sort="profile", descending=False)]
    assert by_profile == ["Lab", "Sales", "Support", "Support"]
    by_status = [a.status for a in store.query(sort="status", descending=False)]  # lifecycle order
    assert by_status == [AttemptStatus.SENDING, AttemptStatus.RINGING, AttemptStatus.ENDED, AttemptStatus.REJECTED]
    assert store.query(sort="duration")[0].duration == 61.5
    for key in SORT_KEYS:
        assert len(store.query(sort=key)) == 4
    assert [a.id for a in store.query(offset=1, limit=2)] == [ids["carol"], ids["bob"]]
    assert store.page_versions(limit=2) == [(a.id, a.updated_at) for a in store.query(limit=2)]
    assert store.page_versions(HistoryFilter(provider="twilio"), sort="to") == [
        (ids["dave"], store.get(ids["dave"]).updated_at), (ids["alice"], store.get(ids["alice"]).updated_at)]
    assert store.query(offset=4) == []
    with pytest.raises(ValueError, match="Cannot sort"):
        store.query(sort="started_at; DROP TABLE attempts")


def test_export_csv(store: HistoryStore, tmp_path: Path) -> None:
    ids = populate(store)
    target = tmp_path / "out.csv"
    assert store.export_csv(target, HistoryFilter(provider="twilio")) == 2
    with open(target, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == CSV_COLUMNS
    record = dict(zip(CSV_COLUMNS, rows[2], strict=True))  # newest first: dave, then alice
    alice = store.get(ids["alice"])
    assert record == {
        "started_at": alice.started_at.isoformat(), "profile": "Support", "provider": "twilio",
        "from": "+15555551212", "to": "+15555550001", "status": "ended", "outcome": "completed",
        "provider_status": "completed", "call_id": "CA123", "duration": "61.5", "error": "", "error_code": "",
        "http_status": "",
    }
    assert rows[1][4] == "+15555550004" and len(rows) == 3
    store.export_csv(target, HistoryFilter(status=AttemptStatus.REJECTED))
    with open(target, newline="", encoding="utf-8") as handle:
        bob = dict(zip(CSV_COLUMNS, list(csv.reader(handle))[1], strict=True))
    assert (bob["error"], bob["error_code"], bob["http_status"]) == ("Number is not on the allow list", "21215", "403")
    assert not list(tmp_path.glob(".*.tmp"))


def test_export_csv_keeps_hostile_text_from_running_as_a_spreadsheet_formula(
    store: HistoryStore, tmp_path: Path
) -> None:
    attempt = add(store, to="+15555550001", profile="=HYPERLINK(\"http://x\")", provider="twilio")
    store.record_error(attempt, status=AttemptStatus.REJECTED, message="+cmd|' /C calc'!A0", code="-1+1",
                       http_status=400)
    target = tmp_path / "out.csv"
    store.export_csv(target)
    with open(target, newline="", encoding="utf-8") as handle:
        record = dict(zip(CSV_COLUMNS, list(csv.reader(handle))[1], strict=True))
    assert record["profile"] == "'=HYPERLINK(\"http://x\")"
    assert record["error"] == "'+cmd|' /C calc'!A0"
    assert record["error_code"] == "'-1+1"
    assert record["to"] == "+15555550001"  # numbers stay as they are


@pytest.mark.parametrize(("cell", "shown"), [
    ("=1+1", "'=1+1"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"), ("\r=1", "'\r=1"),
    ("+1 (555) 555-1212", "+1 (555) 555-1212"),
    ("-42", "-42"), ("-2+3", "'-2+3"), ("+A1", "'+A1"), ("-sum(1)", "'-sum(1)"), ("sip:+1@x", "sip:+1@x"), ("", ""),
    (None, None), (404, 404),
])
def test_spreadsheet_safe(cell: object, shown: object) -> None:
    assert spreadsheet_safe(cell) == shown


def test_export_json(store: HistoryStore, tmp_path: Path) -> None:
    ids = populate(store)
    target = tmp_path / "out.json"
    assert store.export_json(target) == 4
    data = json.loads(target.read_text(encoding="utf-8"))
    assert [item["id"] for item in data] == [ids["dave"], ids["carol"], ids["bob"], ids["alice"]]
    alice = data[3]
    assert alice["request"] == REQUEST and alice["values"] == {"To": "+15555550001"}
    assert alice["response"] == {"sid": "CA123", "status": "completed", "duration": 61.5}
    assert alice["status"] == "ended" and alice["from"] == "+15555551212"
    assert store.export_json(target, HistoryFilter(text="nobody")) == 0
    assert json.loads(target.read_text(encoding="utf-8")) == []


def test_mark_unfinished_as_unknown(store: HistoryStore) -> None:
    ids = populate(store)  # alice ended, bob rejected, carol ringing, dave sending
    answered = add(store)
    store.record_call(answered, call(CallPhase.ANSWERED))
    queued = add(store)
    store.record_call(queued, call(CallPhase.QUEUED))
    assert store.mark_unfinished_as_unknown() == 0  # this app is still running: its calls are its own
    store._conn.execute("UPDATE attempts SET owner = NULL")  # as recorded by a version that named no owner
    assert store.mark_unfinished_as_unknown() == 4
    statuses = {a.id: a.status for a in store.query()}
    assert {i for i, s in statuses.items() if s is AttemptStatus.UNKNOWN} == {ids["carol"], ids["dave"], answered,
                                                                              queued}
    assert statuses[ids["alice"]] is AttemptStatus.ENDED and statuses[ids["bob"]] is AttemptStatus.REJECTED
    assert store.get(ids["dave"]).error == UNFINISHED_MESSAGE
    assert store.get(ids["bob"]).error == "Number is not on the allow list"
    assert found(store, text="stopped before") == {ids["carol"], ids["dave"], answered, queued}
    assert store.mark_unfinished_as_unknown() == 0


def test_a_clean_close_settles_its_own_attempts_in_flight(store: HistoryStore) -> None:
    ended = add(store)
    store.record_call(ended, call(CallPhase.ENDED, Outcome.COMPLETED))
    ringing = add(store)
    store.record_call(ringing, call(CallPhase.RINGING))
    store.close()
    with HistoryStore(store.path) as again:
        assert again.mark_unfinished_as_unknown() == 0  # nothing left for a start to report
        assert again.get(ringing).status is AttemptStatus.UNKNOWN and again.get(ringing).error == UNFINISHED_MESSAGE
        assert again.get(ended).status is AttemptStatus.ENDED


def assert_recovered(path: Path, original: bytes, clock: Clock) -> None:
    with HistoryStore(path, clock=clock) as history:
        assert history.recovered_from is not None
        assert history.recovered_from.name.startswith("history.sqlite3.unreadable-")
        assert history.recovered_from.read_bytes() == original
        assert history.recovery_note and str(history.recovered_from) in history.recovery_note
        assert history.count() == 0
        attempt_id = add(history)
        assert history.get(attempt_id).status is AttemptStatus.SENDING
        assert history.integrity_ok()
    with HistoryStore(path, clock=clock) as again:  # the fresh file is fine from now on
        assert again.recovered_from is None and again.count() == 1


def test_a_file_that_is_not_a_database_is_set_aside(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "history.sqlite3"
    original = b"this is not a database, but someone may want it back\n" * 200
    path.write_bytes(original)
    assert_recovered(path, original, clock)


def test_a_damaged_database_is_set_aside(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "history.sqlite3"
    with HistoryStore(path, clock=clock) as history:
        for n in range(300):
            add(history, to=f"+1555555{n:04d}", values={"note": "x" * 200})
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) > 10 * page
    for offset in range(2 * page, len(data) - page, 3 * page):  # scribble over every third page
        data[offset:offset + 400] = b"\xff" * 400
    path.write_bytes(bytes(data))
    assert_recovered(path, bytes(data), clock)


def test_a_file_from_a_newer_version_is_set_aside(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "history.sqlite3"
    with HistoryStore(path, clock=clock) as history:
        add(history)
    newer = sqlite3.connect(path)
    newer.execute(f"PRAGMA user_version = {history_migrations.schema_version() + 1}")
    newer.close()
    original = path.read_bytes()
    assert_recovered(path, original, clock)


def test_migration_from_user_version_0(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "history.sqlite3"
    legacy = sqlite3.connect(path)
    legacy.execute("CREATE TABLE notes (text TEXT)")  # a v0 file: no history tables yet
    legacy.execute("INSERT INTO notes VALUES ('kept')")
    legacy.commit()
    legacy.close()
    with HistoryStore(path, clock=clock) as history:
        assert history.recovered_from is None
        add(history)
        assert history.count() == 1
    check = sqlite3.connect(path)
    assert check.execute("PRAGMA user_version").fetchone()[0] == history_migrations.schema_version()
    assert check.execute("SELECT text FROM notes").fetchone() == ("kept",)
    check.close()


def test_later_migrations_run_in_order_and_a_failed_one_changes_nothing(
    tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "history.sqlite3"
    with HistoryStore(path, clock=clock) as history:
        attempt_id = add(history)

    shipped, current = list(history_migrations.MIGRATIONS), history_migrations.schema_version()

    def broken_next(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE attempts ADD COLUMN note TEXT")
        conn.execute("SELECT * FROM no_such_table")

    monkeypatch.setattr(history_migrations, "MIGRATIONS", [*shipped, broken_next])
    with pytest.raises(HistoryError, match="cannot be opened"):
        HistoryStore(path, clock=clock)
    check = sqlite3.connect(path)
    assert check.execute("PRAGMA user_version").fetchone()[0] == current
    assert "note" not in {row[1] for row in check.execute("PRAGMA table_info(attempts)")}
    check.close()

    def next_migration(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE attempts ADD COLUMN note TEXT")

    monkeypatch.setattr(history_migrations, "MIGRATIONS", [*shipped, next_migration])
    with HistoryStore(path, clock=clock) as history:
        assert history.get(attempt_id).to == "+15555551313"
    check = sqlite3.connect(path)
    assert check.execute("PRAGMA user_version").fetchone()[0] == current + 1
    assert "note" in {row[1] for row in check.execute("PRAGMA table_info(attempts)")}
    check.close()


def test_bulk_insert_and_unwritable_folder(tmp_path: Path, store: HistoryStore) -> None:
    first = add(store)
    rows = [store.get(first)] * 3
    assert store.insert_attempts(rows) == 3
    assert [a.id for a in store.query(descending=False)] == [first, first + 1, first + 2, first + 3]
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(HistoryError) as caught:
        HistoryStore(blocker / "history.sqlite3")
    assert str(caught.value) == (f"The call history cannot be kept in {tmp_path}: {blocker} is a file where a folder "
                                 "is expected. Move that file away, or set CALL_LAUNCHER_HOME to a writable folder.")
