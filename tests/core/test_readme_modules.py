"""The README's Architecture section lists every module of launcher/, one line each, and nothing else."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENTRY = re.compile(r"^(?P<indent> *)(?P<name>[\w.]+(?:/|\.py))\s{2,}\S")


def listed_modules(readme: str) -> list[str]:
    """Paths (``launcher/core/calls/follow.py``, ``launcher/core/calls/``) of the Architecture block's entries."""
    section = readme.split("## Architecture", 1)[1]
    block = section.split("```", 2)[1]
    lines = block.splitlines()[1:]  # after the opening fence's line
    assert lines[0] == "launcher/", "the Architecture block starts with launcher/"
    stack = ["launcher/"]
    paths: list[str] = []
    for line in lines[1:]:
        match = ENTRY.match(line)
        if match is None:
            continue  # a description wrapped onto its own line
        depth = len(match["indent"]) // 2
        del stack[depth:]
        paths.append("".join(stack) + match["name"])
        if match["name"].endswith("/"):
            stack.append(match["name"])
    return paths


def modules_on_disk() -> list[str]:
    """Every module and package of launcher/ (a package by its folder, not its ``__init__.py``)."""
    found: list[str] = []
    for path in (ROOT / "launcher").rglob("*.py"):
        relative = path.relative_to(ROOT)
        if path.name == "__init__.py":
            if relative.parent != Path("launcher"):
                found.append(f"{relative.parent.as_posix()}/")
        else:
            found.append(relative.as_posix())
    return found


def test_every_module_is_listed_once_and_nothing_else() -> None:
    listed = listed_modules((ROOT / "README.md").read_text(encoding="utf-8"))
    on_disk = modules_on_disk()
    assert sorted(set(on_disk) - set(listed)) == [], "modules missing from the README's Architecture"
    assert sorted(set(listed) - set(on_disk)) == [], "README lists modules that do not exist"
    assert sorted(name for name in listed if listed.count(name) > 1) == []


def test_the_parser_reads_nesting_and_skips_wrapped_text() -> None:
    readme = ("## Architecture\n\n```\nlauncher/\n  a.py       one\n  core/      two\n    b.py     three\n"
              "               wrapped text\n    sub/     four\n      c.py   five\n  d.py       six\n```\n")
    assert listed_modules(readme) == ["launcher/a.py", "launcher/core/", "launcher/core/b.py",
                                      "launcher/core/sub/", "launcher/core/sub/c.py", "launcher/d.py"]
