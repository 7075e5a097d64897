"""History rows as the table shows them: columns, result words, durations, counts, tooltips.  No Qt here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from launcher.core.history import Attempt, CallResult
from launcher.view import messages
from launcher.view.messages import IN_PROGRESS_WORDS, RESULT_HELP, RESULT_WORDS, provider_says


def result_text(attempt: Attempt) -> str:
    """The result in one word; a call in progress says where it is ("Ringing")."""
    if attempt.result is CallResult.IN_PROGRESS:
        return IN_PROGRESS_WORDS.get(attempt.status.value, RESULT_WORDS[CallResult.IN_PROGRESS])
    return RESULT_WORDS[attempt.result]



def format_duration(seconds: float | None) -> str:
    """m:ss (h:mm:ss from an hour on); empty when unknown."""
    if seconds is None:
        return ""
    total = max(0, round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def format_count(count: int) -> str:
    """1 234 calls (a space between thousands reads the same in every locale)."""
    return messages.call_count(f"{count:,}".replace(",", " "), count)


@dataclass(frozen=True)
class Column:
    title: str
    sort_key: str  # a HistoryStore sort key
    text: Callable[[Attempt, dict[str, str]], str]


def _first_line(text: str | None) -> str:
    return (text or "").strip().splitlines()[0] if (text or "").strip() else ""


COLUMNS = (
    Column("Started", "started_at", lambda a, _: a.started_at.astimezone().strftime("%Y-%m-%d %H:%M")),
    Column("Result", "result", lambda a, _: result_text(a)),
    Column("To", "to", lambda a, _: a.to or ""),
    Column("Profile", "profile", lambda a, _: a.profile),
    Column("Duration", "duration", lambda a, _: format_duration(a.duration)),
    Column("From", "from_number", lambda a, _: a.from_number or ""),
    Column("Provider", "provider", lambda a, names: names.get(a.provider, a.provider)),
    Column("Call ID", "call_id", lambda a, _: a.call_id or ""),
    Column("Error", "error", lambda a, _: _first_line(a.error)),
)
COLUMN_INDEX = {column.title: index for index, column in enumerate(COLUMNS)}

def error_details(attempt: Attempt) -> str:
    """The attempt's error in full, with the HTTP status and provider code when there are any."""
    if not attempt.error:
        return ""
    details = [f"HTTP {attempt.http_status}" if attempt.http_status else "",
               f"code {attempt.error_code}" if attempt.error_code else ""]
    extra = ", ".join(d for d in details if d)
    return attempt.error + (f"\n({extra})" if extra else "")


def cell_tooltip(attempt: Attempt, column: int, names: dict[str, str]) -> str:
    title = COLUMNS[column].title
    if title == "Result":
        lines = [RESULT_HELP[attempt.result]]
        if attempt.provider_status:
            lines.append(provider_says(names.get(attempt.provider, attempt.provider), attempt.provider_status))
        if attempt.error:
            lines.append(error_details(attempt))
        return "\n".join(lines)
    if title == "Started":
        return attempt.started_at.astimezone().isoformat(sep=" ", timespec="seconds")
    if title == "Error":
        return error_details(attempt)
    if title == "Profile":
        return f"{attempt.profile} · {names.get(attempt.provider, attempt.provider)}"
    return COLUMNS[column].text(attempt, names)
