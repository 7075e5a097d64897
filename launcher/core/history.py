"""Call history: every attempt in a local SQLite file, recorded before its request leaves.

One connection, used from one thread (the GUI's main thread or the CLI); ``export_history`` opens
a read-only one of its own, for exports in a worker thread.  The file is in WAL mode
with ``synchronous=FULL``: an attempt ``record_attempt`` returned for is on disk even if the app is
killed a moment later.  Nothing secret is stored: callers pass the redacted request
(``PreparedRequest.to_json()``) and form values with secret fields removed.

An unreadable file (not a database, failed integrity check, written by a newer version) is renamed
to ``<name>.unreadable-<timestamp>`` (never deleted) and a fresh history is started;
``recovered_from`` and ``recovery_note`` tell the app what to show.  The integrity check reads the
whole file (~0.1 s at 100 000 attempts, ~0.8 s at a million), so it is skipped when the file is
exactly as this class left it at a clean close: ``close`` notes the file's size and modification time
in ``<name>.closed``, and any change since (another program, a crash: the WAL file is still there)
brings the check back.  A file larger than ``CHECK_AT_OPEN_BYTES`` is then checked in a background
thread on a connection of its own, so that opening stays quick; damage found there is noted in
``<name>.damaged`` and the file is set aside at the next open, like any unreadable file.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import re
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from launcher.core.history_migrations import (
    JOIN_PAYLOADS,
    SELECT_FULL,
    SELECT_SUMMARY,
    SORT_KEYS,
    SUMMARY_COLUMNS,
    attempt_from_row,
    attempt_row,
    dump,
    indexable,
    migrate,
    order_clause,
    row_search_key,
    schema_version,
    stamp,
    where_clause,
)
from launcher.core.history_owner import OwnerLease, forget, owner_alive, sweep
from launcher.core.history_records import (
    UNFINISHED_STATUSES,
    Attempt,
    AttemptStatus,
    CallResult,
    HistoryError,
    HistoryFilter,
    attempt_result,
    search_key,
    search_needles,
)
from launcher.core.models import CallResource
from launcher.core.paths import data_dir, private_dir, private_file
from launcher.core.scrub import REDACTED, SCRUBBER
from launcher.core.storage import storage_problem

__all__ = [
    "CSV_COLUMNS", "SORT_KEYS", "UNFINISHED_MESSAGE", "Attempt", "AttemptStatus", "CallResult", "HistoryError",
    "HistoryFilter", "HistoryStore", "UnavailableHistory", "attempt_result", "default_history_path",
    "search_needles", "unfinished_note",
]

UNFINISHED_MESSAGE = "The app stopped before the outcome was known"
HISTORY = "The call history"
CSV_COLUMNS = (
    "started_at", "profile", "provider", "from", "to", "status", "outcome", "provider_status",
    "call_id", "duration", "error", "error_code", "http_status",
)
_BUSY_TIMEOUT_MS = 5000  # what sqlite3.connect sets: a write waits this long for another app's write
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26
CHECK_AT_OPEN_BYTES = 16 * 1024 * 1024  # checked before use up to this size (~20 ms); larger ones in the background
_INDEX_MIN_ROWS = 50_000  # below this a scan is as quick as the trigram index
_PROBE_ROWS, _PROBE_DENSE = 4000, 16  # a text found this often in the newest rows is scanned for, not indexed


def default_history_path() -> Path:
    return data_dir() / "history.sqlite3"


def unfinished_note(count: int) -> str:
    """What a start says, once, after ``mark_unfinished_as_unknown`` marked ``count`` attempts."""
    attempts = "1 earlier call attempt was" if count == 1 else f"{count} earlier call attempts were"
    return (f"{attempts} left unfinished when the app stopped; now marked 'outcome unknown' in the history, "
            "with the request kept.")


class _Unreadable(Exception):
    """Internal: the file is not a usable history database and must be set aside."""


class HistoryStore:
    """The call history behind a small API; ``clock`` is injectable for tests."""

    def __init__(self, path: Path | None = None, *, clock: Callable[[], datetime] | None = None) -> None:
        self.path = path or default_history_path()
        self._clock = clock or (lambda: datetime.now(UTC))
        self.recovered_from: Path | None = None
        self.recovery_note: str | None = None
        self._lease: OwnerLease | None = None
        self._checker: _BackgroundCheck | None = None
        try:
            private_dir(self.path.parent)
        except OSError as exc:
            raise HistoryError(storage_problem(HISTORY, self.path, exc)) from exc
        if self.path.is_dir():
            raise HistoryError(storage_problem(HISTORY, self.path))
        try:
            self._conn = self._open()
        except _Unreadable as exc:
            self.recovered_from = self._set_aside()
            self.recovery_note = (
                f"The call history {self.path} could not be read ({exc}). It was moved to "
                f"{self.recovered_from}; a new, empty history was started."
            )
            self._conn = self._open()

    # --- opening and closing -------------------------------------------------------------------
    def _open(self) -> sqlite3.Connection:
        damage = self._damage_found_earlier()
        if damage:
            raise _Unreadable(damage)
        unchanged = self._unchanged_since_close()  # before connecting: reading a WAL database makes its -wal file
        try:  # made before SQLite opens it: the database (and its -wal and -shm, which copy its mode) owner-only
            private_file(self.path)
        except OSError as exc:
            raise HistoryError(storage_problem(HISTORY, self.path, exc, "opened")) from exc
        check_later = not unchanged and self._size() > CHECK_AT_OPEN_BYTES
        try:
            conn = sqlite3.connect(self.path, isolation_level=None)  # transactions are explicit
        except sqlite3.Error as exc:
            raise HistoryError(storage_problem(HISTORY, self.path, exc, "opened")) from exc
        try:
            conn.row_factory = sqlite3.Row
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > schema_version():
                raise _Unreadable(f"it was written by a newer version of the app (format {version})")
            if not unchanged and not check_later:
                problems = [row[0] for row in conn.execute("PRAGMA quick_check")]
                if problems != ["ok"]:
                    raise _Unreadable("; ".join(problems[:3]))
            if conn.execute("PRAGMA journal_mode=WAL").fetchone()[0].lower() != "wal":
                raise HistoryError(f"The call history {self.path} cannot use write-ahead logging.")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
            if version < schema_version():
                with _transaction(conn):  # re-read inside the lock: another instance may have migrated
                    migrate(conn, conn.execute("PRAGMA user_version").fetchone()[0])
            if check_later:
                self._checker = _BackgroundCheck(self.path, self._damaged_note)
            return conn
        except sqlite3.DatabaseError as exc:
            conn.close()
            if exc.sqlite_errorcode & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
                raise _Unreadable(str(exc)) from exc
            raise HistoryError(storage_problem(HISTORY, self.path, exc, "opened")) from exc
        except BaseException:
            conn.close()
            raise

    def _set_aside(self) -> Path:
        """Rename the file and its -wal/-shm companions to a timestamped name; never delete them."""
        stamp_text = datetime.now().strftime("%Y%m%d-%H%M%S")
        backup = self.path.with_name(f"{self.path.name}.unreadable-{stamp_text}")
        counter = 1
        while backup.exists():
            backup = self.path.with_name(f"{self.path.name}.unreadable-{stamp_text}-{counter}")
            counter += 1
        try:
            for suffix in ("-wal", "-shm"):
                companion = self.path.with_name(self.path.name + suffix)
                if companion.exists():
                    companion.rename(backup.with_name(backup.name + suffix))
            self.path.rename(backup)
        except OSError as exc:
            raise HistoryError(f"The unreadable call history {self.path} could not be moved aside: {exc}") from exc
        return backup

    def close(self) -> None:
        if self._checker is not None:
            self._checker.stop()
        if self._lease is not None:
            with contextlib.suppress(HistoryError, sqlite3.Error):  # if this fails, the next start does it
                self._settle(self._lease.token)
        self._conn.close()
        if self._lease is not None:
            self._lease.release()
            self._lease = None
        state = self._file_state()  # None while another connection keeps the WAL file
        try:
            if state is None:
                self._closed_note.unlink(missing_ok=True)
            else:
                self._closed_note.write_text(state, encoding="utf-8")
        except OSError:
            pass  # only costs the next open an integrity check

    @property
    def _closed_note(self) -> Path:
        return self.path.with_name(self.path.name + ".closed")

    @property
    def _damaged_note(self) -> Path:
        return self.path.with_name(self.path.name + ".damaged")

    def _damage_found_earlier(self) -> str | None:
        """What a background check of this file found wrong (its note is removed: the file is set aside)."""
        try:
            found = self._damaged_note.read_text(encoding="utf-8").strip()
            self._damaged_note.unlink()
        except (OSError, UnicodeDecodeError):
            return None
        return found or "an earlier check found it damaged"

    def _size(self) -> int:
        try:
            return self.path.stat().st_size
        except OSError:
            return 0

    def wait_for_check(self, timeout: float | None = None) -> bool | None:
        """Wait for a background integrity check: True ok, False damaged, None none ran or still running."""
        return None if self._checker is None else self._checker.result(timeout)

    def _file_state(self) -> str | None:
        """Size and modification time of a cleanly closed file; None if there is a WAL file (in use, or a crash)."""
        try:
            if self.path.with_name(self.path.name + "-wal").exists():
                return None
            stat = self.path.stat()
        except OSError:
            return None
        return f"{stat.st_size} {stat.st_mtime_ns}"

    def _unchanged_since_close(self) -> bool:
        try:
            noted = self._closed_note.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return False
        return self._file_state() == noted

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def journal_mode(self) -> str:
        return str(self._conn.execute("PRAGMA journal_mode").fetchone()[0])

    def check_writable(self, wait_ms: int = 200) -> None:
        """Raise HistoryError (with the reason and the fix) unless an attempt could be recorded now;
        waits at most ``wait_ms`` for another program's write to finish."""
        self._conn.execute(f"PRAGMA busy_timeout = {int(wait_ms)}")
        try:
            with self._writing():
                self._owner_token()
        finally:
            self._conn.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")

    @property
    def _owners_folder(self) -> Path:
        return self.path.with_name(self.path.name + ".owners")

    def _owner_token(self) -> str:
        """This process's lease, taken when it first records an attempt."""
        if self._lease is None:
            try:
                self._lease = OwnerLease(self._owners_folder)
            except OSError as exc:
                raise HistoryError(storage_problem(HISTORY, self._owners_folder / "lease", exc)) from exc
        return self._lease.token

    def integrity_ok(self) -> bool:
        return [row[0] for row in self._conn.execute("PRAGMA integrity_check")] == ["ok"]

    # --- writing -------------------------------------------------------------------------------
    def record_attempt(
        self,
        *,
        profile: str,
        profile_id: str,
        provider: str,
        from_number: str | None,
        to: str | None,
        request: dict[str, Any],
        values: dict[str, Any],
        skipped_checks: list[str] | None = None,
    ) -> int:
        """Store a new attempt in state ``sending``; it is committed when this returns.  ``skipped_checks``:
        the local checks' objections, for an attempt sent without them."""
        from_number, to = _clean(from_number), _clean(to)
        now = stamp(self._clock())
        row: dict[str, Any] = {
            "started_at": now, "updated_at": now, "profile": profile, "profile_id": profile_id,
            "provider": provider, "from_number": from_number, "to_number": to,
            "status": AttemptStatus.SENDING.value, "call_id": None, "error": None, "provider_status": None,
            "skipped_checks": dump(skipped_checks) if skipped_checks else None,
            "owner": self._owner_token(),
        }
        row["search"] = row_search_key(row)
        with self._writing():
            cursor = self._conn.execute(
                f"INSERT INTO attempts ({', '.join(row)}) VALUES ({', '.join(f':{name}' for name in row)})", row
            )
            attempt_id = cursor.lastrowid
            assert attempt_id is not None
            self._conn.execute(
                "INSERT INTO attempt_payloads (attempt_id, request_json, values_json) VALUES (?, ?, ?)",
                (attempt_id, _clean_dump(request), _clean_dump(values)),
            )
        return attempt_id

    def record_call(self, attempt_id: int, call: CallResource) -> None:
        """What the provider last said about the call; its phase becomes the attempt's status."""
        with self._writing():
            self._update(
                attempt_id,
                status=AttemptStatus(call.phase.value).value,
                outcome=call.outcome.value if call.outcome else None,
                provider_status=call.provider_status,
                call_id=call.call_id or None,
                duration=call.duration,
            )
            self._set_response(attempt_id, call.raw)

    def record_known_call(self, call: CallResource) -> int:
        """A final state learned later (``status``, ``hangup``): every attempt of the same provider and call
        id takes it, and loses the "stopped before the outcome was known" note.  Returns how many."""
        if not call.final or not call.call_id:
            return 0
        with self._writing():
            rows = self._conn.execute(
                "SELECT id, error FROM attempts WHERE provider = ? AND call_id = ?", (call.provider, call.call_id)
            ).fetchall()
            for attempt_id, error in rows:
                if error == UNFINISHED_MESSAGE:
                    self._update(attempt_id, error=None)
                self.record_call(attempt_id, call)
        return len(rows)

    def record_error(
        self,
        attempt_id: int,
        *,
        status: AttemptStatus,
        message: str,
        code: str | None = None,
        http_status: int | None = None,
        response: dict[str, Any] | None = None,
    ) -> None:
        with self._writing():
            self._update(
                attempt_id, status=AttemptStatus(status).value, error=message, error_code=code, http_status=http_status
            )
            if response is not None:
                self._set_response(attempt_id, response)

    def tag_test(self, attempt_id: int, suite: str, test: str) -> None:
        """Note that ``attempt_id`` was placed by ``test`` of call-test ``suite``."""
        with self._writing():
            self._conn.execute("INSERT OR REPLACE INTO attempt_tests (attempt_id, suite, test) VALUES (?, ?, ?)",
                               (attempt_id, suite, test))
            self._update(attempt_id)  # the names join the searchable text

    def test_tag(self, attempt_id: int) -> tuple[str, str] | None:
        """(suite, test) that placed ``attempt_id``, or None for a call placed by hand."""
        row = self._conn.execute("SELECT suite, test FROM attempt_tests WHERE attempt_id = ?", (attempt_id,)).fetchone()
        return (row[0], row[1]) if row else None

    def mark_unfinished_as_unknown(self) -> int:
        """At startup: attempts left in flight by an app that was killed become ``unknown`` (request and
        values kept); those of an app still running (another CLI or window placing or following a call)
        are left alone.  Returns how many were marked.  An app that closes its history cleanly settles
        its own attempts still in flight (``close``), so a count here means a crash."""
        marks = ", ".join("?" for _ in UNFINISHED_STATUSES)
        owners = [row[0] for row in self._conn.execute(
            f"SELECT DISTINCT owner FROM attempts WHERE status IN ({marks})", UNFINISHED_STATUSES)]
        mine = self._lease.token if self._lease is not None else None
        gone = [owner for owner in owners
                if owner is None or (owner != mine and not owner_alive(self._owners_folder, owner))]
        # nothing to write when none is gone: a start never waits for a history another app is writing
        count = sum(self._settle(owner) for owner in gone)
        for owner in gone:
            if owner is not None:
                forget(self._owners_folder, owner)
        sweep(self._owners_folder)  # the files of crashed apps that had nothing in flight
        return count

    def _settle(self, owner: str | None) -> int:
        """``owner``'s attempts still in flight become ``unknown``: nobody follows them any more."""
        marks = ", ".join("?" for _ in UNFINISHED_STATUSES)
        owner_test = "owner IS NULL" if owner is None else "owner = ?"
        with self._writing():
            cursor = self._conn.execute(
                "UPDATE attempts SET status = ?, error = ?, updated_at = ?, search = search || char(10) || ? "
                f"WHERE status IN ({marks}) AND {owner_test}",
                (AttemptStatus.UNKNOWN.value, UNFINISHED_MESSAGE, stamp(self._clock()),
                 search_key(UNFINISHED_MESSAGE), *UNFINISHED_STATUSES, *([] if owner is None else [owner])),
            )
        return cursor.rowcount

    def insert_attempts(self, attempts: Iterable[Attempt]) -> int:
        """Bulk insert in one transaction (imports, tests); new ids are assigned, ``Attempt.id`` is ignored."""
        columns = [*SUMMARY_COLUMNS, "search"]
        insert_summary = f"INSERT INTO attempts ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
        insert_payload = (
            "INSERT INTO attempt_payloads (attempt_id, request_json, values_json, response_json) VALUES (?, ?, ?, ?)"
        )
        count = 0
        with self._writing():
            next_id = int(self._conn.execute("SELECT coalesce(max(id), 0) FROM attempts").fetchone()[0]) + 1
            for chunk in _chunks(attempts, 5000):
                ids = range(next_id + count, next_id + count + len(chunk))
                pairs = list(zip(ids, chunk, strict=True))
                self._conn.executemany(insert_summary, (attempt_row(i, a) for i, a in pairs))
                self._conn.executemany(insert_payload, (
                    (i, dump(a.request), dump(a.values), None if a.response is None else dump(a.response))
                    for i, a in pairs
                ))
                count += len(chunk)
        return count

    def _set_response(self, attempt_id: int, response: dict[str, Any]) -> None:
        self._conn.execute(
            "UPDATE attempt_payloads SET response_json = ? WHERE attempt_id = ?", (_clean_dump(response), attempt_id)
        )

    def _update(self, attempt_id: int, **changes: Any) -> None:
        """Change columns (names come from this module, never from input) and the search text."""
        changes = {name: _clean(value) for name, value in changes.items()}
        row = self._conn.execute("SELECT * FROM attempts WHERE id = ?", (attempt_id,)).fetchone()
        if row is None:
            raise KeyError(f"No attempt {attempt_id} in the call history")
        tag = self._conn.execute("SELECT suite, test FROM attempt_tests WHERE attempt_id = ?", (attempt_id,)).fetchone()
        tagged = "\n" + search_key(tag[0], tag[1]) if tag else ""
        changes["search"] = row_search_key(dict(row) | changes) + tagged
        changes["updated_at"] = stamp(self._clock())
        assignments = ", ".join(f"{name} = :{name}" for name in changes)
        self._conn.execute(
            f"UPDATE attempts SET {assignments} WHERE id = :attempt_id", changes | {"attempt_id": attempt_id}
        )

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """One transaction (nested uses join the outer one); sqlite errors become HistoryError."""
        if self._conn.in_transaction:
            yield
            return
        try:
            with _transaction(self._conn):
                yield
        except sqlite3.Error as exc:
            raise HistoryError(storage_problem(HISTORY, self.path, exc)) from exc

    # --- reading -------------------------------------------------------------------------------
    def get(self, attempt_id: int) -> Attempt:
        row = self._conn.execute(
            f"{SELECT_FULL} FROM attempts AS a {JOIN_PAYLOADS} WHERE a.id = ?", (attempt_id,)
        ).fetchone()
        if row is None:
            raise KeyError(f"No attempt {attempt_id} in the call history")
        return attempt_from_row(row)

    def query(
        self,
        flt: HistoryFilter | None = None,
        sort: str = "started_at",
        descending: bool = True,
        offset: int = 0,
        limit: int = 200,
    ) -> list[Attempt]:
        """One page of matches; ``sort`` is a key of ``SORT_KEYS`` (anything else is a ValueError)."""
        flt = flt or HistoryFilter()
        where, params = where_clause(flt, indexed=self._use_index(flt))
        order = order_clause(sort, descending)
        # Sort and page the ids only (a light sorter), then read rows and bodies of just that page.
        page = f"(SELECT a.id AS page_id FROM attempts AS a{where} ORDER BY {order} LIMIT ? OFFSET ?) AS page"
        sql = f"{SELECT_FULL} FROM {page} JOIN attempts AS a ON a.id = page.page_id {JOIN_PAYLOADS} ORDER BY {order}"
        rows = self._conn.execute(sql, [*params, max(limit, 0), max(offset, 0)])
        return [attempt_from_row(row) for row in rows]

    def page_versions(
        self, flt: HistoryFilter | None = None, sort: str = "started_at", descending: bool = True, limit: int = 200
    ) -> list[tuple[int, datetime]]:
        """(id, updated_at) of the first ``limit`` matches: lets a view re-read only rows that changed."""
        flt = flt or HistoryFilter()
        where, params = where_clause(flt, indexed=self._use_index(flt))
        sql = f"SELECT a.id, a.updated_at FROM attempts AS a{where} ORDER BY {order_clause(sort, descending)} LIMIT ?"
        return [(row[0], datetime.fromisoformat(row[1])) for row in self._conn.execute(sql, [*params, max(limit, 0)])]

    def first_page(
        self, flt: HistoryFilter | None = None, sort: str = "started_at", descending: bool = True, limit: int = 200
    ) -> tuple[int, list[Attempt]]:
        """How many attempts match, and the first ``limit`` of them.  A page that is not full has
        scanned every match, so the count is free; only a full page costs a second scan."""
        page = self.query(flt, sort, descending, 0, limit)
        return (len(page) if len(page) < limit else self.count(flt)), page

    def count(self, flt: HistoryFilter | None = None) -> int:
        flt = flt or HistoryFilter()
        if not flt.active:
            return self._total()
        where, params = where_clause(flt, indexed=self._use_index(flt))
        return int(self._conn.execute(f"SELECT count(*) FROM attempts AS a{where}", params).fetchone()[0])

    def count_if_quick(self, flt: HistoryFilter | None = None) -> int | None:
        """``count(flt)`` when it needs no long scan, else None (``count_in_background`` then gives it):
        text found in many of a large history's attempts can only be counted by reading them all."""
        flt = flt or HistoryFilter()
        if not search_needles(flt.text) or self._total() < _INDEX_MIN_ROWS or self._use_index(flt):
            return self.count(flt)
        return None

    def _total(self) -> int:
        """Every attempt, from the count the triggers keep (no scan)."""
        return int(self._conn.execute("SELECT n FROM attempt_count").fetchone()[0])

    def _use_index(self, flt: HistoryFilter) -> bool:
        """Whether the trigram index should pick the candidates of ``flt``'s text.  The index is quick for
        text that few attempts contain and slow for text most contain (its lists are long), where walking
        the newest attempts finds a page at once; a look at the newest few thousand tells which it is."""
        needles = search_needles(flt.text)
        if not indexable(needles) or self._total() < _INDEX_MIN_ROWS:
            return False
        found = " OR ".join("instr(search, ?) > 0" for _ in needles)
        newest = "SELECT search FROM attempts ORDER BY started_at DESC, id DESC LIMIT ?"
        probe = f"SELECT count(*) FROM ({newest}) WHERE {found}"
        return int(self._conn.execute(probe, (_PROBE_ROWS, *needles)).fetchone()[0]) < _PROBE_DENSE

    def iter_attempts(
        self, flt: HistoryFilter | None = None, sort: str = "started_at", descending: bool = True, *,
        bodies: bool = True,
    ) -> Iterator[Attempt]:
        """Every match, read as it is consumed (never all rows in memory); without bodies if not needed."""
        flt = flt or HistoryFilter()
        where, params = where_clause(flt, indexed=self._use_index(flt))
        select = (
            f"{SELECT_FULL} FROM attempts AS a {JOIN_PAYLOADS}"
            if bodies
            else f"{SELECT_SUMMARY} FROM attempts AS a"
        )
        cursor = self._conn.execute(f"{select}{where} ORDER BY {order_clause(sort, descending)}", params)
        try:
            while batch := cursor.fetchmany(500):
                yield from (attempt_from_row(row) for row in batch)
        finally:
            cursor.close()

    # --- export --------------------------------------------------------------------------------
    def export_csv(self, path: Path | str, flt: HistoryFilter | None = None) -> int:
        """The matching attempts as CSV (``CSV_COLUMNS``, no bodies), newest first; returns the row count."""
        count = 0
        with _replacing(Path(path), newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(CSV_COLUMNS)
            for a in self.iter_attempts(flt, bodies=False):
                writer.writerow(csv_cells(a))
                count += 1
        return count

    def export_json(self, path: Path | str, flt: HistoryFilter | None = None) -> int:
        """The matching attempts as a JSON array, request and response included; returns how many."""
        count = 0
        with _replacing(Path(path)) as handle:
            handle.write("[")
            for a in self.iter_attempts(flt):
                handle.write(",\n  " if count else "\n  ")
                handle.write(_clean_dump(a.to_json()))
                count += 1
            handle.write("\n]\n" if count else "]\n")
        return count


class UnavailableHistory(HistoryStore):
    """Stands in for a history that cannot be opened: empty, kept in memory, and it refuses to record,
    so the window can start, say why, and place no call that history could not hold."""

    def __init__(self, path: Path, problem: str) -> None:
        self.path = path
        self.problem = problem
        self._clock = lambda: datetime.now(UTC)
        self.recovered_from = None
        self.recovery_note = None
        self._lease = None
        self._conn = sqlite3.connect(":memory:", isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        with _transaction(self._conn):
            migrate(self._conn, 0)

    def check_writable(self, wait_ms: int = 200) -> None:
        raise HistoryError(self.problem)

    def record_attempt(self, **attempt: Any) -> int:
        raise HistoryError(self.problem)

    def mark_unfinished_as_unknown(self) -> int:
        return 0

    def close(self) -> None:
        self._conn.close()


class _ExportReader(HistoryStore):
    """A second, read-only connection to the same file: an export can run in a worker thread while
    the app keeps recording calls on its own connection (WAL lets one writer and readers overlap)."""

    def __init__(self, path: Path) -> None:  # no recovery, no migration: the app's store did that
        self.path = path
        try:
            self._conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
        except sqlite3.Error as exc:
            raise HistoryError(f"The call history {path} cannot be read: {exc}") from exc
        self._conn.row_factory = sqlite3.Row

    def close(self) -> None:
        self._conn.close()


class _BackgroundCheck:
    """``PRAGMA quick_check`` of a large file in a worker thread, on a read-only connection of its own;
    problems are written to ``note`` so that the next open sets the file aside."""

    def __init__(self, path: Path, note: Path) -> None:
        self._path, self._note = path, note
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self._stopped = False
        self._ok: bool | None = None
        self._thread = threading.Thread(target=self._run, name="history-check", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        _lower_this_threads_priority()
        try:
            with self._lock:
                if self._stopped:
                    return
                conn = self._conn = sqlite3.connect(f"{self._path.resolve().as_uri()}?mode=ro", uri=True,
                                                    check_same_thread=False)
            problems = [row[0] for row in conn.execute("PRAGMA quick_check")]
        except sqlite3.DatabaseError as exc:
            if self._stopped or exc.sqlite_errorcode & 0xFF not in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
                return  # interrupted by close, or not about the file's contents: the next open checks again
            problems = [str(exc)]
        finally:
            with self._lock:
                if self._conn is not None:
                    self._conn.close()
                    self._conn = None
        self._ok = problems == ["ok"]
        if not self._ok:
            with contextlib.suppress(OSError):
                self._note.write_text("; ".join(problems[:3]), encoding="utf-8")

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            if self._conn is not None:
                self._conn.interrupt()
        self._thread.join(timeout=5)

    def result(self, timeout: float | None) -> bool | None:
        self._thread.join(timeout)
        return None if self._thread.is_alive() else self._ok


def export_history(db_path: Path, target: Path | str, kind: str, flt: HistoryFilter | None = None) -> int:
    """``export_csv`` or ``export_json`` (``kind`` "csv" or "json") over a connection of its own, so
    it may run in any thread; returns the number of attempts written."""
    reader = _ExportReader(db_path)
    try:
        return reader.export_json(target, flt) if kind == "json" else reader.export_csv(target, flt)
    finally:
        reader.close()


def _lower_this_threads_priority() -> None:
    """Background work yields the CPU to the window (Linux schedules threads one by one; elsewhere a no-op)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)


def count_in_background(
    db_path: Path, flt: HistoryFilter, done: Callable[[int | None], None]
) -> threading.Thread:
    """``count(flt)`` on a read-only connection in a worker thread; ``done(count)`` (None if the
    file could not be read) is then called *in that thread*."""
    def work() -> None:
        _lower_this_threads_priority()
        try:
            reader = _ExportReader(db_path)
            try:
                count = reader.count(flt)
            finally:
                reader.close()
        except (HistoryError, sqlite3.Error):
            done(None)
        else:
            done(count)

    thread = threading.Thread(target=work, name="history-count", daemon=True)
    thread.start()
    return thread


def export_history_in_background(
    db_path: Path, target: Path | str, kind: str, flt: HistoryFilter | None,
    done: Callable[[int | None, str | None], None],
) -> threading.Thread:
    """``export_history`` in a worker thread; ``done(count, None)`` or ``done(None, message)`` is then
    called *in that thread*."""
    def work() -> None:
        try:
            count = export_history(db_path, target, kind, flt)
        except (OSError, HistoryError, sqlite3.Error) as exc:
            done(None, f"Could not export to {target}: {exc}")
        else:
            done(count, None)

    thread = threading.Thread(target=work, name="history-export", daemon=True)
    thread.start()
    return thread


def csv_cells(a: Attempt) -> list[object]:
    """One attempt's ``CSV_COLUMNS``, each safe to open in a spreadsheet."""
    return [spreadsheet_safe(_clean(cell)) for cell in (
        a.started_at.isoformat(), a.profile, a.provider, a.from_number, a.to, a.status.value, a.outcome,
        a.provider_status, a.call_id, None if a.duration is None else f"{a.duration:g}", a.error,
        a.error_code, a.http_status,
    )]


def _clean(value: Any) -> Any:
    """Text on its way into the history or an export, with every known secret scrubbed."""
    return SCRUBBER.text(value) if isinstance(value, str) else value


def _clean_dump(value: Any) -> str:
    """``value`` as JSON, its strings scrubbed; if an escaped form still slipped through, the text is
    scrubbed too and, should that break the JSON, the document is withheld rather than stored."""
    text = dump(SCRUBBER.json(value))
    if not SCRUBBER.leaks(text):
        return text
    text = SCRUBBER.text(text)
    try:
        json.loads(text)
    except ValueError:
        return dump({"withheld": f"{REDACTED} (this document held a secret and could not be shown without it)"})
    return text


_PHONE_LIKE = re.compile(r"[+-][\d ().-]*")


def spreadsheet_safe(cell: object) -> object:
    """A cell a spreadsheet will show as text instead of evaluating: text that would start a formula
    (``=``, ``@``, tab, carriage return, or ``+``/``-`` followed by anything but a number) gets a leading
    apostrophe.  Error texts and names come from providers and people, so they may be hostile; numbers
    such as "+15555551212" are left as they are."""
    if not isinstance(cell, str) or not cell:
        return cell
    if cell[0] in "=@\t\r" or (cell[0] in "+-" and not _PHONE_LIKE.fullmatch(cell)):
        return "'" + cell
    return cell


def _chunks(items: Iterable[Attempt], size: int) -> Iterator[list[Attempt]]:
    chunk: list[Attempt] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@contextlib.contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if conn.in_transaction:  # SQLite has already rolled back after some errors (disk full)
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


@contextlib.contextmanager
def _replacing(path: Path, newline: str | None = None) -> Iterator[Any]:
    """A text file that replaces ``path`` only once fully written, so a failed export leaves no half file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline=newline) as handle:
            yield handle
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
