"""History results (status and outcome as one word) and number-aware search, over real SQLite."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from launcher.core.history import (
    AttemptStatus,
    CallResult,
    HistoryFilter,
    HistoryStore,
    attempt_result,
    search_needles,
)
from launcher.core.models import CallPhase, CallResource, Outcome

REQUEST = {"method": "POST", "url": "https://api.twilio.com/x", "headers": {}, "body": {}}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HistoryStore]:
    with HistoryStore(tmp_path / "history.sqlite3") as history:
        yield history


def add(store: HistoryStore, to: str = "+15555551313", from_number: str = "+15555551212") -> int:
    return store.record_attempt(profile="Desk", profile_id="desk", provider="twilio", from_number=from_number,
                                to=to, request=REQUEST, values={"To": to})


def ended(store: HistoryStore, outcome: Outcome) -> int:
    attempt_id = add(store)
    store.record_call(attempt_id, CallResource("twilio", f"CA{attempt_id}", CallPhase.ENDED, outcome.value,
                                               outcome=outcome, raw={"status": outcome.value}))
    return attempt_id


def ids(store: HistoryStore, flt: HistoryFilter) -> set[int]:
    found = {a.id for a in store.query(flt)}
    assert store.count(flt) == len(found)
    return found


def test_failed_filter_lists_a_call_that_ended_failed(store: HistoryStore) -> None:
    failed_call = ended(store, Outcome.FAILED)
    ended(store, Outcome.COMPLETED)
    not_sent = add(store)
    store.record_error(not_sent, status=AttemptStatus.FAILED, message="Can't reach api.twilio.com")
    assert ids(store, HistoryFilter(result=CallResult.FAILED)) == {failed_call}
    assert ids(store, HistoryFilter(result=CallResult.NOT_SENT)) == {not_sent}


def test_every_result_filters_by_the_word_the_row_shows(store: HistoryStore) -> None:
    expected: dict[CallResult, set[int]] = {result: set() for result in CallResult}
    for outcome in Outcome:
        attempt_id = ended(store, outcome)
        expected[store.get(attempt_id).result].add(attempt_id)
    for status in (AttemptStatus.REJECTED, AttemptStatus.FAILED, AttemptStatus.UNKNOWN):
        attempt_id = add(store)
        store.record_error(attempt_id, status=status, message=status.value)
        expected[store.get(attempt_id).result].add(attempt_id)
    ringing = add(store)
    store.record_call(ringing, CallResource("twilio", "CA9", CallPhase.RINGING, "ringing", raw={}))
    expected[CallResult.IN_PROGRESS].add(ringing)
    assert {result: ids(store, HistoryFilter(result=result)) for result in CallResult} == expected
    assert expected[CallResult.BUSY] and expected[CallResult.REFUSED] and expected[CallResult.CANCELED]


@pytest.mark.parametrize(("status", "outcome"), list(itertools.product(AttemptStatus, [None, *Outcome, "odd"])))
def test_sql_and_python_agree_on_every_result(store: HistoryStore, status: AttemptStatus, outcome: str | None) -> None:
    attempt_id = add(store)
    store._conn.execute("UPDATE attempts SET status = ?, outcome = ? WHERE id = ?", (status.value, outcome, attempt_id))
    result = attempt_result(status, outcome)
    assert ids(store, HistoryFilter(result=result)) == {attempt_id}
    assert store.get(attempt_id).result is result


def test_result_sort_follows_the_result_order(store: HistoryStore) -> None:
    busy, completed = ended(store, Outcome.BUSY), ended(store, Outcome.COMPLETED)
    assert [a.id for a in store.query(sort="result", descending=False)] == [completed, busy]


@pytest.mark.parametrize("typed", ["(555) 555-0002", "555-555-0002", "+1 555 555 0002", "555.555.0002",
                                   "5555550002", "0002", "  (555) 555-0002 "])
def test_search_finds_a_number_however_it_is_typed(store: HistoryStore, typed: str) -> None:
    target = add(store, to="+15555550002")
    add(store, to="+15555550003")
    assert ids(store, HistoryFilter(text=typed)) == {target}


def test_national_number_with_trunk_zero_finds_the_international_one(store: HistoryStore) -> None:
    london = add(store, to="+442071838750")
    add(store, to="+15555550003")
    assert ids(store, HistoryFilter(text="020 7183 8750")) == {london}


def test_search_needles_keep_text_and_add_digits_only_for_numbers() -> None:
    assert search_needles("(555) 555-0002") == ["(555) 555-0002", "5555550002"]
    assert search_needles("0002") == ["0002"]
    assert search_needles("+44 20 7183 8750") == ["+44 20 7183 8750", "442071838750"]
    assert search_needles("020 7183 8750") == ["020 7183 8750", "2071838750"]
    assert search_needles("Allow List 21215") == ["allow list 21215"]
    assert search_needles("sip:carol@example.com") == ["sip:carol@example.com"]
    assert search_needles("   ") == []
