"""Mutation testing: does any test notice when a core module's code is changed a little?

    python3 dev.py mutate [MODULE ...]      e.g. validate, phone, http, twilio (default: every one below)

Each mutant changes one spot of one module (a comparison flipped, ``and`` for ``or``, a ``not``
dropped, a constant changed, a returned value replaced by None) and runs only the tests that cover that
module, in a copy of the package, stopping at the first failure.  A mutant no test notices "survives":
it marks behaviour nothing checks.  The score is the share of mutants killed.

The mutants are made from the syntax tree, so strings inside f-strings, docstrings, type annotations
and ``if TYPE_CHECKING:`` blocks are left alone: changing them changes no behaviour a test could see.
"""

from __future__ import annotations

import argparse
import ast
import copy
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "launcher"

# module: (source file, the tests that cover it)
TARGETS: dict[str, tuple[str, tuple[str, ...]]] = {
    "validate": ("core/validate.py", ("tests/core/test_core_edges.py", "tests/core/test_validate.py")),
    "phone": ("core/phone.py", ("tests/core/test_core_edges.py", "tests/core/test_phone_edges.py",
                                "tests/core/test_validate.py", "tests/core/test_links.py")),
    # http: the fast, pure tests (the sandbox round trips in test_http_and_calls take ~15 s a run)
    "http": ("core/http.py", ("tests/core/test_core_edges.py", "tests/core/test_http_edges.py")),
    "calls": ("core/calls.py", ("tests/core/test_http_and_calls.py", "tests/core/test_bandwidth_oauth.py")),
    "history": ("core/history.py", ("tests/core/test_history.py",)),
    "twilio": ("core/providers/twilio.py", ("tests/core/test_core_edges.py", "tests/core/test_twilio_edges.py",
                                            "tests/core/test_provider_twilio.py")),
    "bandwidth": ("core/providers/bandwidth.py", ("tests/core/test_provider_bandwidth.py",
                                                  "tests/core/test_bandwidth_oauth.py")),
    "catapult": ("core/providers/catapult.py", ("tests/core/test_provider_catapult.py",)),
    "jambonz": ("core/providers/jambonz.py", ("tests/core/test_provider_jambonz.py",)),
}

FLIPPED_COMPARISONS: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt,
    ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is,
}
FLIPPED_ARITHMETIC: dict[type[ast.operator], type[ast.operator]] = {
    ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.FloorDiv, ast.FloorDiv: ast.Mult, ast.Div: ast.Mult,
    ast.Mod: ast.Mult,
}


@dataclass(frozen=True)
class Mutant:
    site: int  # index of the node in ast.walk order
    line: int
    before: str
    after: str


def _inert_nodes(tree: ast.Module) -> set[int]:
    """ids of nodes whose change no test could see: annotations, docstrings, TYPE_CHECKING blocks, f-strings."""
    inert: set[int] = set()

    def mark(node: ast.AST | None) -> None:
        if node is not None:
            inert.update(id(sub) for sub in ast.walk(node))

    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            mark(node.returns)
            for arg in [*node.args.args, *node.args.kwonlyargs, *node.args.posonlyargs,
                        node.args.vararg, node.args.kwarg]:
                if arg is not None:
                    mark(arg.annotation)
        if isinstance(node, ast.AnnAssign):
            mark(node.annotation)
        if isinstance(node, ast.JoinedStr):
            mark(node)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                mark(body[0])
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            mark(node)  # attribute docstrings
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            mark(node)
        if isinstance(node, ast.Call) and ast.unparse(node.func).startswith(("log.", "logger.", "LOG.")):
            mark(node)
    return inert


def _mutate(node: ast.AST) -> ast.AST | None:
    """The one mutation of ``node``, as a new node; None when this kind of node is not mutated."""
    if isinstance(node, ast.Compare) and type(node.ops[0]) in FLIPPED_COMPARISONS:
        return ast.Compare(node.left, [FLIPPED_COMPARISONS[type(node.ops[0])](), *node.ops[1:]], node.comparators)
    if isinstance(node, ast.BoolOp):
        return ast.BoolOp(ast.Or() if isinstance(node.op, ast.And) else ast.And(), node.values)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return node.operand
    if isinstance(node, ast.BinOp) and type(node.op) in FLIPPED_ARITHMETIC:
        return ast.BinOp(node.left, FLIPPED_ARITHMETIC[type(node.op)](), node.right)
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool):
            return ast.Constant(not value)
        if isinstance(value, int | float):
            return ast.Constant(value + 1)
        if isinstance(value, str):
            return ast.Constant(f"XX{value}XX")
    if isinstance(node, ast.Return) and node.value is not None and not (
            isinstance(node.value, ast.Constant) and node.value.value is None):
        return ast.Return(ast.Constant(None))
    return None


def _parents(tree: ast.AST) -> dict[int, tuple[ast.AST, str, int | None]]:
    found: dict[int, tuple[ast.AST, str, int | None]] = {}
    for parent in ast.walk(tree):
        for name, value in ast.iter_fields(parent):
            if isinstance(value, list):
                for index, item in enumerate(value):
                    if isinstance(item, ast.AST):
                        found[id(item)] = (parent, name, index)
            elif isinstance(value, ast.AST):
                found[id(value)] = (parent, name, None)
    return found


def mutants(source: str) -> list[Mutant]:
    tree = ast.parse(source)
    inert = _inert_nodes(tree)
    found = []
    for site, node in enumerate(ast.walk(tree)):
        if id(node) in inert:
            continue
        changed = _mutate(node)
        if changed is not None:
            found.append(Mutant(site, getattr(node, "lineno", 0), ast.unparse(node).splitlines()[0][:80],
                                ast.unparse(changed).splitlines()[0][:80]))
    return found


def mutated_source(source: str, mutant: Mutant) -> str:
    tree = ast.parse(source)
    node = next(node for site, node in enumerate(ast.walk(tree)) if site == mutant.site)
    changed = _mutate(copy.deepcopy(node))
    assert changed is not None
    parent, field, index = _parents(tree)[id(node)]
    if index is None:
        setattr(parent, field, changed)
    else:
        getattr(parent, field)[index] = changed
    return ast.unparse(ast.fix_missing_locations(tree))


def _copy_project(scratch: Path) -> None:
    """The package, the tests and the test configuration, so that pytest imports the copy (pytest puts
    the project's own folder first on the path, ahead of anything on PYTHONPATH)."""
    skip = shutil.ignore_patterns("__pycache__")
    shutil.copytree(PACKAGE, scratch / "launcher", ignore=skip)
    shutil.copytree(ROOT / "tests", scratch / "tests", ignore=skip)
    shutil.copy2(ROOT / "pyproject.toml", scratch / "pyproject.toml")


def _run_tests(copy_root: Path, tests: tuple[str, ...], timeout: float) -> tuple[bool, float]:
    """(passed, seconds) for ``tests`` run in the project copy ``copy_root``."""
    shared = os.environ.get("CALL_LAUNCHER_SHARED_DIR") or str(ROOT.parent / "shared")  # beside the real checkout
    env = dict(os.environ, PYTHONPATH=str(copy_root), PYTHONDONTWRITEBYTECODE="1", QT_QPA_PLATFORM="offscreen",
               CALL_LAUNCHER_SHARED_DIR=shared)
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "--no-header", *tests]
    started = time.monotonic()
    try:
        result = subprocess.run(command, cwd=copy_root, env=env, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return False, timeout
    return result.returncode == 0, time.monotonic() - started


@dataclass
class Score:
    module: str
    total: int
    killed: int
    survivors: list[Mutant]

    @property
    def percent(self) -> float:
        return 100.0 * self.killed / self.total if self.total else 100.0


def run_module(name: str, every: int = 1, progress: bool = True) -> Score:
    """Run every ``every``-th mutant of module ``name`` (1: all of them)."""
    relative, tests = TARGETS[name]
    source = (PACKAGE / relative).read_text(encoding="utf-8")
    found = mutants(source)[::every]
    with tempfile.TemporaryDirectory(prefix="mutants-") as scratch:
        copy_root = Path(scratch)
        _copy_project(copy_root)
        target = copy_root / "launcher" / relative
        passed, baseline = _run_tests(copy_root, tests, timeout=600)
        if not passed:
            raise SystemExit(f"{name}: the tests fail without any mutant; fix them first: {' '.join(tests)}")
        target.write_text("raise ImportError('a mutant that breaks the module')\n", encoding="utf-8")
        if _run_tests(copy_root, tests, timeout=600)[0]:
            raise SystemExit(f"{name}: the tests pass with the module broken: they do not run the copy")
        timeout = baseline * 3 + 10
        survivors = []
        for number, mutant in enumerate(found, 1):
            target.write_text(mutated_source(source, mutant), encoding="utf-8")
            survived, _ = _run_tests(copy_root, tests, timeout)
            if survived:
                survivors.append(mutant)
            if progress:
                mark = "SURVIVED" if survived else "killed"
                print(f"[{number}/{len(found)}] {name}:{mutant.line} {mutant.before!r} -> {mutant.after!r}: {mark}",
                      flush=True)
    return Score(name, len(found), len(found) - len(survivors), survivors)


def report(scores: list[Score]) -> Iterator[str]:
    for score in scores:
        yield f"{score.module}: {score.percent:.0f} % ({score.killed} of {score.total} mutants killed)"
        for mutant in score.survivors:
            yield f"  survived, line {mutant.line}: {mutant.before}  ->  {mutant.after}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", metavar="MODULE", help=f"one or more of: {', '.join(TARGETS)}")
    parser.add_argument("--list", action="store_true", help="only list the mutants")
    parser.add_argument("--every", type=int, default=1, metavar="N",
                        help="run only every N-th mutant: a quicker estimate of the score")
    args = parser.parse_args(argv)
    names = args.modules or list(TARGETS)
    unknown = [name for name in names if name not in TARGETS]
    if unknown:
        parser.error(f"unknown module {', '.join(unknown)}; choose from {', '.join(TARGETS)}")
    if args.list:
        for name in names:
            for mutant in mutants((PACKAGE / TARGETS[name][0]).read_text(encoding="utf-8")):
                print(f"{name}:{mutant.line} {mutant.before!r} -> {mutant.after!r}")
        return 0
    scores = [run_module(name, args.every) for name in names]  # one module at a time: each run is CPU heavy
    print("\n".join(report(scores)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
