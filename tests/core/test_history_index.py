"""The history's search index, kept count and deferred integrity check, on real SQLite files.

The trigram index only picks candidates (``instr`` still decides), so every search must give exactly
what a scan gives, through inserts, updates, the start-up sweep and a migration from format 2.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from launcher.core import history, history_migrations
from launcher.core.history import Attempt, AttemptStatus, HistoryFilter, HistoryStore, search_needles
from launcher.core.models import CallPhase, CallResource

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
REQUEST = {"method": "POST", "url": "https://api.twilio.com/x", "body": ""}


def attempt(i: int) -> Attempt:
    started = T0 + timedelta(minutes=i)
    return Attempt(
        id=0, started_at=started, updated_at=started, profile=f"Desk {i % 10}", profile_id=f"desk-{i % 10}",
        provider="twilio", from_number="+15555551212", to=f"+1555{i:07d}", status=AttemptStatus.ENDED,
        call_id=f"call-{i:06d}", request=REQUEST, values={},
    )


def ids_by_scan(store: HistoryStore, text: str) -> list[int]:
    """The reference answer: every row whose search text contains one of the text's needles, newest
    first, without the index."""
    needles = search_needles(text)
    found = " OR ".join("instr(search, ?) > 0" for _ in needles)
    rows = store._conn.execute(f"SELECT id FROM attempts WHERE {found} ORDER BY started_at DESC, id DESC", needles)
    return [row[0] for row in rows]


@pytest.fixture
def indexed_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[HistoryStore]:
    """A store that uses the trigram index from the first row (normally only past 50 000 rows)."""
    monkeypatch.setattr(history, "_INDEX_MIN_ROWS", 0)
    with HistoryStore(tmp_path / "history.sqlite3", clock=lambda: T0 + timedelta(days=1)) as store:
        store.insert_attempts(attempt(i) for i in range(300))
        yield store


def test_the_index_is_used_for_rare_text_and_not_for_common_or_short_text(indexed_store: HistoryStore) -> None:
    assert indexed_store._use_index(HistoryFilter(text="0000217"))
    assert not indexed_store._use_index(HistoryFilter(text="desk 7"))  # in every tenth row: walked instead
    assert not indexed_store._use_index(HistoryFilter(text="17"))  # shorter than a trigram
    assert not indexed_store._use_index(HistoryFilter(text="call-*"))  # a GLOB wildcard: scanned


@pytest.mark.parametrize(
    "text", ["0000217", "CALL-000042", "desk 7", "Desk", "+15555551212", "(555) 000-0217", "nobody", "00002"])
def test_indexed_search_finds_exactly_what_a_scan_finds(indexed_store: HistoryStore, text: str) -> None:
    flt = HistoryFilter(text=text)
    expected = ids_by_scan(indexed_store, text)
    assert [a.id for a in indexed_store.query(flt, limit=1000)] == expected
    assert indexed_store.count(flt) == len(expected)
    assert [i for i, _ in indexed_store.page_versions(flt, limit=1000)] == expected
    assert [a.id for a in indexed_store.iter_attempts(flt, bodies=False)] == expected


def test_the_index_follows_inserts_and_updates(indexed_store: HistoryStore) -> None:
    new = indexed_store.record_attempt(profile="Night desk", profile_id="night", provider="twilio",
                                       from_number="+15555551212", to="+447700900123", request=REQUEST, values={})
    assert [a.id for a in indexed_store.query(HistoryFilter(text="447700900123"))] == [new]
    indexed_store.record_call(new, CallResource("twilio", "CAuniquecallsid", CallPhase.RINGING, "ringing",
                                                raw={"sid": "CAuniquecallsid"}))
    assert [a.id for a in indexed_store.query(HistoryFilter(text="caunique"))] == [new]
    # FTS5's own check that the index holds exactly the table's current search texts (raises if not)
    indexed_store._conn.execute("INSERT INTO attempts_fts (attempts_fts, rank) VALUES ('integrity-check', 1)")
    indexed_store._conn.execute("UPDATE attempts SET search = 'x' WHERE id = ?", (new,))
    assert indexed_store.query(HistoryFilter(text="caunique")) == []  # the old text left the index


def test_numbers_are_found_by_their_digits_alone(indexed_store: HistoryStore) -> None:
    found = indexed_store.query(HistoryFilter(text="5550000217"))  # "+1 555 000 0217" typed without + and spaces
    assert [a.to for a in found] == ["+15550000217"]


def test_the_kept_count_follows_inserts(tmp_path: Path) -> None:
    with HistoryStore(tmp_path / "history.sqlite3") as store:
        assert store.count() == 0
        store.insert_attempts(attempt(i) for i in range(7))
        store.record_attempt(profile="p", profile_id="p", provider="twilio", from_number=None, to="+15555551313",
                             request=REQUEST, values={})
        assert store.count() == 8 == store._conn.execute("SELECT count(*) FROM attempts").fetchone()[0]


def test_a_history_from_before_the_index_gets_it_and_the_count(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "history.sqlite3"
    shipped = list(history_migrations.MIGRATIONS)
    before_index = shipped.index(history_migrations._v6)
    with monkeypatch.context() as old_code:
        old_code.setattr(history_migrations, "MIGRATIONS", shipped[:before_index])
        with HistoryStore(path) as old:
            old.insert_attempts(attempt(i) for i in range(60))
            assert old._conn.execute("PRAGMA user_version").fetchone()[0] == before_index
    monkeypatch.setattr(history, "_INDEX_MIN_ROWS", 0)
    with HistoryStore(path) as store:
        assert store._conn.execute("PRAGMA user_version").fetchone()[0] == history_migrations.schema_version()
        assert store.count() == 60
        assert store._use_index(HistoryFilter(text="5550000042"))
        assert [a.to for a in store.query(HistoryFilter(text="5550000042"))] == ["+15550000042"]
        assert store.integrity_ok()


def damage_middle_pages(path: Path) -> None:
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(len(data) // 2, len(data) - page, 5 * page):
        data[offset:offset + 400] = b"\xff" * 400
    path.write_bytes(bytes(data))


def test_a_large_file_not_closed_cleanly_is_checked_in_the_background_and_set_aside_next_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "history.sqlite3"
    with HistoryStore(path) as store:
        store.insert_attempts(attempt(i) for i in range(3000))
    path.with_name(path.name + ".closed").unlink()  # as after a crash: the open must check the file
    damage_middle_pages(path)
    damaged = path.read_bytes()
    monkeypatch.setattr(history, "CHECK_AT_OPEN_BYTES", 0)  # every file counts as large
    opened = HistoryStore(path)
    assert opened.recovered_from is None  # opened at once; the check runs behind it
    assert opened.wait_for_check(timeout=30) is False
    opened.close()
    with HistoryStore(path) as again:
        assert again.recovered_from is not None and again.recovered_from.read_bytes() == damaged
        assert again.count() == 0 and again.integrity_ok()
    assert not path.with_name(path.name + ".damaged").exists()


def test_a_sound_large_file_passes_the_background_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "history.sqlite3"
    with HistoryStore(path) as store:
        store.insert_attempts(attempt(i) for i in range(500))
    path.with_name(path.name + ".closed").unlink()
    monkeypatch.setattr(history, "CHECK_AT_OPEN_BYTES", 0)
    with HistoryStore(path) as store:
        assert store.wait_for_check(timeout=30) is True
        assert store.count() == 500
    with HistoryStore(path) as again:
        assert again.recovered_from is None and again.wait_for_check() is None  # closed cleanly: no check


def test_a_small_file_is_still_checked_before_use(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    with HistoryStore(path) as store:
        store.insert_attempts(attempt(i) for i in range(3000))
    path.with_name(path.name + ".closed").unlink()
    damage_middle_pages(path)
    with HistoryStore(path) as store:
        assert store.recovered_from is not None and store.wait_for_check() is None
    assert sqlite3.connect(store.recovered_from).execute("PRAGMA user_version").fetchone() is not None
