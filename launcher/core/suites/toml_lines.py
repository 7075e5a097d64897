"""Where each key of a TOML document is written: ``tomllib`` parses but keeps no positions.

:func:`key_lines` scans the text once and maps every key path to its 1-based line, array-of-tables
entries by index — ``("test", 1, "expect", "result")`` — including keys inside inline tables.  It
only needs to be right for documents ``tomllib`` accepted; it never decides validity itself.
"""

from __future__ import annotations

import re

KeyPath = tuple[str | int, ...]
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def key_lines(text: str) -> dict[KeyPath, int]:
    """Every table header and key path in ``text`` and the line it starts on."""
    lines: dict[KeyPath, int] = {}
    array_counts: dict[KeyPath, int] = {}
    table: KeyPath = ()
    scanner = _Scanner(text)
    while not scanner.done():
        scanner.skip_blank()
        if scanner.done():
            break
        line = scanner.line
        if scanner.peek("[["):
            scanner.pos += 2
            names = scanner.read_key()
            scanner.skip_to_line_end()
            base = _resolve(names, array_counts)
            index = array_counts.get(base, -1) + 1
            array_counts[base] = index
            table = (*base, index)
            lines.setdefault(base, line)
            lines[table] = line
        elif scanner.peek("["):
            scanner.pos += 1
            table = _resolve(scanner.read_key(), array_counts)
            scanner.skip_to_line_end()
            lines.setdefault(table, line)
        else:
            _key_value(scanner, table, lines)
            scanner.skip_to_line_end()
    return lines


def line_of(lines: dict[KeyPath, int], path: KeyPath) -> int | None:
    """The line of ``path``, or of the nearest enclosing key or table that has one."""
    for end in range(len(path), 0, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


def _resolve(names: list[str], array_counts: dict[KeyPath, int]) -> KeyPath:
    """A header's names with the current index inserted after each array of tables it passes through."""
    path: KeyPath = ()
    for name in names:
        path = (*path, name)
        if path in array_counts and len(path) < len(names):
            path = (*path, array_counts[path])
    return path


def _key_value(scanner: _Scanner, table: KeyPath, lines: dict[KeyPath, int]) -> None:
    line = scanner.line
    path = (*table, *scanner.read_key())
    lines[path] = line
    scanner.skip_spaces()
    if scanner.peek("="):
        scanner.pos += 1
    scanner.skip_spaces()
    _value(scanner, path, lines)


def _value(scanner: _Scanner, path: KeyPath, lines: dict[KeyPath, int]) -> None:
    if scanner.peek("{"):
        scanner.pos += 1
        while not scanner.done():
            scanner.skip_blank()
            if scanner.peek("}"):
                scanner.pos += 1
                return
            if scanner.peek(","):
                scanner.pos += 1
                continue
            _key_value(scanner, path, lines)
        return
    if scanner.peek("["):
        scanner.pos += 1
        index = 0
        while not scanner.done():
            scanner.skip_blank()
            if scanner.peek("]"):
                scanner.pos += 1
                return
            if scanner.peek(","):
                scanner.pos += 1
                index += 1
                continue
            lines.setdefault((*path, index), scanner.line)
            _value(scanner, (*path, index), lines)
        return
    if scanner.peek('"') or scanner.peek("'"):
        scanner.read_string()
        return
    while not scanner.done() and scanner.text[scanner.pos] not in ",}]\n#":
        scanner.pos += 1


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    @property
    def line(self) -> int:
        return self.text.count("\n", 0, self.pos) + 1

    def done(self) -> bool:
        return self.pos >= len(self.text)

    def peek(self, token: str) -> bool:
        return self.text.startswith(token, self.pos)

    def skip_spaces(self) -> None:
        while not self.done() and self.text[self.pos] in " \t":
            self.pos += 1

    def skip_blank(self) -> None:
        """Spaces, newlines and comments."""
        while not self.done():
            char = self.text[self.pos]
            if char in " \t\r\n":
                self.pos += 1
            elif char == "#":
                end = self.text.find("\n", self.pos)
                self.pos = len(self.text) if end < 0 else end
            else:
                return

    def skip_to_line_end(self) -> None:
        end = self.text.find("\n", self.pos)
        self.pos = len(self.text) if end < 0 else end + 1

    def read_key(self) -> list[str]:
        """A dotted key (bare or quoted parts)."""
        names: list[str] = []
        while not self.done():
            self.skip_spaces()
            if self.peek('"') or self.peek("'"):
                names.append(self.read_string())
            else:
                match = _BARE_KEY.match(self.text, self.pos)
                if match is None:
                    break
                names.append(match.group())
                self.pos = match.end()
            self.skip_spaces()
            if not self.peek("."):
                break
            self.pos += 1
        while not self.done() and self.text[self.pos] in "]":
            self.pos += 1
        return names

    def read_string(self) -> str:
        quote = self.text[self.pos]
        triple = quote * 3
        if self.peek(triple):
            end = self.text.find(triple, self.pos + 3)
            end = len(self.text) if end < 0 else end
            while self.text.startswith(quote, end + 3):  # up to two quotes may close the content
                end += 1
            value = self.text[self.pos + 3:end]
            self.pos = end + 3
            return value
        start = self.pos + 1
        self.pos = start
        while not self.done() and self.text[self.pos] not in (quote, "\n"):
            if quote == '"' and self.text[self.pos] == "\\":
                self.pos += 1
            self.pos += 1
        value = self.text[start:self.pos]
        self.pos += 1
        return value
