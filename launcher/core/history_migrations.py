"""The call history's SQLite schema, its migrations, and the SQL the store builds from a filter.

Migrations are keyed by ``PRAGMA user_version``.  To change the schema, append a function to
``MIGRATIONS``: it runs inside the transaction that also sets the new ``user_version``, so a
migration either completes or leaves the file as it was.  Never edit a migration that has shipped.

Layout: ``attempts`` is a narrow table (what is listed, searched and sorted) and
``attempt_payloads`` holds the JSON bodies, so a search or sort scans ~20 MB rather than ~90 MB
at 100 000 attempts.  Search is a substring test on ``attempts.search``, the searchable fields
case-folded, read from the covering index ``attempts_search`` (started_at, id, search): newest-first
pages walk it in order and stop once a page is full, and a count reads half the bytes the table
holds.  A full scan takes ~20 ms at 100 000 rows but ~150 ms at a million, so since format 6 an FTS5
trigram index (``attempts_fts``, over ``search``, kept in step by triggers) finds the candidates of a
rare search text; ``instr`` still decides every match, so the index never changes what matches.
Text shorter than three characters cannot use a trigram index and is scanned.  ``attempt_count``
holds the number of attempts (kept by triggers) so that opening the history need not count them.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from launcher.core.history_records import (
    UNFINISHED_STATUSES,
    Attempt,
    AttemptStatus,
    CallResult,
    HistoryFilter,
    search_key,
    search_needles,
)


def _v1(conn: sqlite3.Connection) -> None:
    conn.execute(
        """
        CREATE TABLE IF NOT EXISTS attempts (
            id              INTEGER PRIMARY KEY,
            started_at      TEXT NOT NULL,   -- UTC ISO 8601, fixed width: sorts and compares as time
            updated_at      TEXT NOT NULL,
            profile         TEXT NOT NULL,
            profile_id      TEXT NOT NULL,
            provider        TEXT NOT NULL,
            from_number     TEXT,
            to_number       TEXT,
            status          TEXT NOT NULL,
            outcome         TEXT,
            provider_status TEXT,
            call_id         TEXT,
            duration        REAL,
            error           TEXT,
            error_code      TEXT,
            http_status     INTEGER,
            search          TEXT NOT NULL DEFAULT ''
        )
        """
    )
    conn.execute(
        """
        CREATE TABLE IF NOT EXISTS attempt_payloads (
            attempt_id      INTEGER PRIMARY KEY REFERENCES attempts (id) ON DELETE CASCADE,
            request_json    TEXT NOT NULL,   -- redacted request: never a secret
            values_json     TEXT NOT NULL,   -- form values without secret fields
            response_json   TEXT             -- the provider's last raw JSON
        )
        """
    )
    conn.execute("CREATE INDEX IF NOT EXISTS attempts_started ON attempts (started_at, id)")
    conn.execute("CREATE INDEX IF NOT EXISTS attempts_status ON attempts (status, started_at)")
    conn.execute("CREATE INDEX IF NOT EXISTS attempts_provider ON attempts (provider, started_at)")


def _v2(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE INDEX IF NOT EXISTS attempts_search ON attempts (started_at, id, search)")


def _v3(conn: sqlite3.Connection) -> None:
    """Attempts placed by a call-test suite name the suite and the test."""
    conn.execute(
        """
        CREATE TABLE IF NOT EXISTS attempt_tests (
            attempt_id      INTEGER PRIMARY KEY REFERENCES attempts (id) ON DELETE CASCADE,
            suite           TEXT NOT NULL,
            test            TEXT NOT NULL
        )
        """
    )


def _v4(conn: sqlite3.Connection) -> None:
    """Attempts sent without local checks keep the checks that were skipped (JSON list; NULL: none)."""
    conn.execute("ALTER TABLE attempts ADD COLUMN skipped_checks TEXT")


def _v5(conn: sqlite3.Connection) -> None:
    """The lease token of the app that recorded the attempt (see history_owner); NULL before this version."""
    conn.execute("ALTER TABLE attempts ADD COLUMN owner TEXT")


def _v6(conn: sqlite3.Connection) -> None:
    """A trigram index over the search text, and the number of attempts, both kept by triggers."""
    conn.execute(
        "CREATE VIRTUAL TABLE attempts_fts USING fts5(search, content='attempts', content_rowid='id',"
        " tokenize='trigram case_sensitive 1', detail='none')"
    )
    conn.execute("INSERT INTO attempts_fts (attempts_fts) VALUES ('rebuild')")
    conn.execute(
        "CREATE TRIGGER attempts_fts_insert AFTER INSERT ON attempts BEGIN"
        " INSERT INTO attempts_fts (rowid, search) VALUES (new.id, new.search); END"
    )
    conn.execute(
        "CREATE TRIGGER attempts_fts_delete AFTER DELETE ON attempts BEGIN"
        " INSERT INTO attempts_fts (attempts_fts, rowid, search) VALUES ('delete', old.id, old.search); END"
    )
    conn.execute(
        "CREATE TRIGGER attempts_fts_update AFTER UPDATE OF search ON attempts BEGIN"
        " INSERT INTO attempts_fts (attempts_fts, rowid, search) VALUES ('delete', old.id, old.search);"
        " INSERT INTO attempts_fts (rowid, search) VALUES (new.id, new.search); END"
    )
    conn.execute("CREATE TABLE attempt_count (n INTEGER NOT NULL)")
    conn.execute("INSERT INTO attempt_count (n) SELECT count(*) FROM attempts")
    conn.execute("CREATE TRIGGER attempt_count_insert AFTER INSERT ON attempts BEGIN"
                 " UPDATE attempt_count SET n = n + 1; END")
    conn.execute("CREATE TRIGGER attempt_count_delete AFTER DELETE ON attempts BEGIN"
                 " UPDATE attempt_count SET n = n - 1; END")


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_v1, _v2, _v3, _v4, _v5, _v6]


def schema_version() -> int:
    """The ``user_version`` this code writes: one per migration."""
    return len(MIGRATIONS)


def migrate(conn: sqlite3.Connection, current: int) -> None:
    """Bring a database at ``current`` up to ``schema_version()``; the caller holds a transaction."""
    for version in range(current, len(MIGRATIONS)):
        MIGRATIONS[version](conn)
        conn.execute(f"PRAGMA user_version = {version + 1:d}")


# --- SQL built by the store: only fixed text; every value travels as a parameter ---------------

SUMMARY_COLUMNS = (
    "id", "started_at", "updated_at", "profile", "profile_id", "provider", "from_number", "to_number", "status",
    "outcome", "provider_status", "call_id", "duration", "error", "error_code", "http_status", "skipped_checks",
)
PAYLOAD_COLUMNS = ("request_json", "values_json", "response_json")
SELECT_FULL = f"SELECT a.{', a.'.join(SUMMARY_COLUMNS)}, p.{', p.'.join(PAYLOAD_COLUMNS)}"
SELECT_SUMMARY = f"SELECT a.{', a.'.join(SUMMARY_COLUMNS)}, NULL AS {', NULL AS '.join(PAYLOAD_COLUMNS)}"
JOIN_PAYLOADS = "LEFT JOIN attempt_payloads AS p ON p.attempt_id = a.id"

def _quoted(values: Iterable[str]) -> str:
    return ", ".join(f"'{value}'" for value in values)


# ``history_records.attempt_result`` in SQL: the one result of an attempt, for filtering and sorting.
RESULT_SQL = (
    f"CASE WHEN a.status IN ({_quoted(s.value for s in UNFINISHED_STATUSES)}) THEN '{CallResult.IN_PROGRESS}'"
    f" WHEN a.status = '{AttemptStatus.REJECTED}' THEN '{CallResult.REFUSED}'"
    f" WHEN a.status = '{AttemptStatus.FAILED}' THEN '{CallResult.NOT_SENT}'"
    f" WHEN a.status = '{AttemptStatus.ENDED}' THEN CASE a.outcome"
    f" WHEN 'completed' THEN '{CallResult.COMPLETED}' WHEN 'busy' THEN '{CallResult.BUSY}'"
    f" WHEN 'no-answer' THEN '{CallResult.NO_ANSWER}' WHEN 'failed' THEN '{CallResult.FAILED}'"
    f" WHEN 'canceled' THEN '{CallResult.CANCELED}' WHEN 'rejected' THEN '{CallResult.REFUSED}'"
    f" ELSE '{CallResult.UNKNOWN}' END"
    f" ELSE '{CallResult.UNKNOWN}' END"
)
_RESULT_ORDER = " ".join(f"WHEN '{r.value}' THEN {i}" for i, r in enumerate(CallResult))
_STATUS_ORDER = " ".join(f"WHEN '{s.value}' THEN {i}" for i, s in enumerate(AttemptStatus))
SORT_KEYS: dict[str, str] = {
    "id": "a.id",
    "started_at": "a.started_at",
    "updated_at": "a.updated_at",
    "profile": "a.profile COLLATE NOCASE",
    "profile_id": "a.profile_id",
    "provider": "a.provider",
    "from_number": "a.from_number",
    "to": "a.to_number",
    "status": f"CASE a.status {_STATUS_ORDER} END",  # lifecycle order, not alphabetical
    "outcome": "a.outcome",
    "result": f"CASE {RESULT_SQL} {_RESULT_ORDER} END",  # the order of ``CallResult``
    "provider_status": "a.provider_status COLLATE NOCASE",
    "call_id": "a.call_id",
    "duration": "a.duration",
    "error": "a.error COLLATE NOCASE",
    "error_code": "a.error_code",
    "http_status": "a.http_status",
}


def stamp(value: datetime) -> str:
    """UTC, fixed width (naive values are taken as local time)."""
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str, separators=(",", ":"))


def row_search_key(row: dict[str, Any]) -> str:
    return search_key(
        row["to_number"], row["from_number"], row["profile"], row["call_id"], row["error"], row["provider_status"]
    )


def attempt_from_row(row: sqlite3.Row) -> Attempt:
    return Attempt(
        id=row["id"],
        started_at=datetime.fromisoformat(row["started_at"]),
        updated_at=datetime.fromisoformat(row["updated_at"]),
        profile=row["profile"],
        profile_id=row["profile_id"],
        provider=row["provider"],
        from_number=row["from_number"],
        to=row["to_number"],
        status=AttemptStatus(row["status"]),
        outcome=row["outcome"],
        provider_status=row["provider_status"],
        call_id=row["call_id"],
        duration=row["duration"],
        error=row["error"],
        error_code=row["error_code"],
        http_status=row["http_status"],
        skipped_checks=json.loads(row["skipped_checks"]) if row["skipped_checks"] else [],
        request=json.loads(row["request_json"] or "{}"),
        values=json.loads(row["values_json"] or "{}"),
        response=json.loads(row["response_json"]) if row["response_json"] is not None else None,
    )


def attempt_row(attempt_id: int, a: Attempt) -> tuple[Any, ...]:
    """``SUMMARY_COLUMNS`` + search for a bulk insert."""
    return (
        attempt_id, stamp(a.started_at), stamp(a.updated_at), a.profile, a.profile_id, a.provider, a.from_number,
        a.to, AttemptStatus(a.status).value, a.outcome, a.provider_status, a.call_id, a.duration, a.error,
        a.error_code, a.http_status, dump(a.skipped_checks) if a.skipped_checks else None,
        search_key(a.to, a.from_number, a.profile, a.call_id, a.error, a.provider_status),
    )


def indexable(needles: list[str]) -> bool:
    """True when the trigram index can find every candidate for ``needles``: each has three characters
    or more, and none that a GLOB pattern would read as a wildcard."""
    return bool(needles) and all(len(n) >= 3 and not any(char in n for char in "*?[]") for n in needles)


def where_clause(flt: HistoryFilter, *, indexed: bool = False) -> tuple[str, list[Any]]:
    """`` WHERE ...`` over ``attempts AS a`` (or "" for no filter) and its parameters.  ``indexed``: let
    the trigram index pick the candidates of the search text (worth it when it matches few attempts)."""
    clauses: list[str] = []
    params: list[Any] = []
    needles = search_needles(flt.text)
    if needles:  # instr, not LIKE: no wildcards to escape
        if indexed and indexable(needles):
            candidates = " UNION ".join("SELECT rowid FROM attempts_fts WHERE search GLOB ?" for _ in needles)
            clauses.append(f"a.id IN ({candidates})")
            params.extend(f"*{needle}*" for needle in needles)
        clauses.append("(" + " OR ".join("instr(a.search, ?) > 0" for _ in needles) + ")")
        params.extend(needles)
    if flt.provider:
        clauses.append("a.provider = ?")
        params.append(flt.provider)
    if flt.status is not None:
        clauses.append("a.status = ?")
        params.append(AttemptStatus(flt.status).value)
    if flt.result is not None:
        clauses.append(f"{RESULT_SQL} = ?")
        params.append(CallResult(flt.result).value)
    if flt.since is not None:
        clauses.append("a.started_at >= ?")
        params.append(stamp(flt.since))
    if flt.until is not None:
        clauses.append("a.started_at < ?")
        params.append(stamp(flt.until))
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def order_clause(sort: str, descending: bool) -> str:
    try:
        expression = SORT_KEYS[sort]
    except KeyError:
        raise ValueError(f"Cannot sort the call history by {sort!r}; use one of {', '.join(SORT_KEYS)}") from None
    direction = "DESC" if descending else "ASC"
    return f"{expression} {direction}, a.id {direction}"
