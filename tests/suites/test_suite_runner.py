"""Running suites on the in-process sandbox: outcomes, limits, timeouts, cancellation, history tags."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from launcher.core.calls import CallService, PollPolicy
from launcher.core.history import HistoryStore
from launcher.core.models import CallPhase
from launcher.core.suites.parse import load_suite, parse_suite
from launcher.core.suites.runner import CaseResult, CaseState, RunEnvironment, SuiteRunner
from launcher.sandbox.app import sandbox_client
from launcher.sandbox.builtin_profiles import builtin_profiles, builtin_secret
from launcher.sandbox.engine import Engine, SandboxConfig

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "suites"
PROFILES = {p.name: p for p in builtin_profiles()}
SPEED = 100.0
HEADER = """[defaults]
profile = "sandbox-twilio"
[defaults.set]
From = "+15005550006"
Url = "https://example.com/twiml"
"""


def run_suite(suite: Any, tmp_path: Path, *, concurrency: int | None = None, engine: Engine | None = None,
              during: Callable[[SuiteRunner], Any] | None = None) -> tuple[list[CaseResult], HistoryStore]:
    engine = engine or Engine(SandboxConfig(speed=SPEED))
    history = HistoryStore(tmp_path / "history.sqlite3")
    changes: list[tuple[str, CaseState]] = []

    async def main() -> list[CaseResult]:
        client = sandbox_client(engine=engine)
        env = RunEnvironment(CallService(client), history, builtin_secret, lambda p: SPEED,
                             PollPolicy(first_delay=0.05, max_delay=0.2))
        runner = SuiteRunner(suite, env, concurrency=concurrency,
                             on_change=lambda r: changes.append((r.test.name, r.state)))
        try:
            if during is None:
                return await runner.run()
            return await during(runner)
        finally:
            await client.aclose()

    return asyncio.run(main()), history


def test_the_example_suite_passes_on_the_sandbox_and_tags_history(tmp_path: Path) -> None:
    suite = load_suite(EXAMPLES / "sandbox-twilio.toml", PROFILES)
    engine = Engine(SandboxConfig(speed=SPEED))
    results, history = run_suite(suite, tmp_path, concurrency=5, engine=engine)
    assert engine.create_requests == 5  # one create request per test, the refused one included
    assert [(r.test.name, r.state, r.reason) for r in results] == [(t.name, CaseState.PASSED, "") for t in suite.tests]
    assert [r.outcome for r in results] == ["completed", "busy", "no-answer", "completed", "refused"]
    assert results[3].hung_up is True and results[0].hung_up is False
    assert results[0].duration == 20.0  # the sandbox's default answered call talks for 20 simulated seconds
    assert (results[4].error_code, results[4].http_status, results[4].call_id) == ("21214", 400, None)
    for result in results:
        assert result.attempt_id is not None
        assert history.test_tag(result.attempt_id) == ("Twilio sandbox", result.test.name)
        attempt = history.get(result.attempt_id)
        assert attempt.call_id == result.call_id
    assert history.count() == 5
    history.close()


def test_failures_carry_every_unmet_expectation(tmp_path: Path) -> None:
    suite = load_suite(EXAMPLES / "fails-on-purpose.toml", PROFILES)
    results, history = run_suite(suite, tmp_path)
    assert [r.state for r in results] == [CaseState.PASSED, CaseState.FAILED]
    assert results[1].reasons == ["result: expected completed, got busy",
                                  "answered_within 10s: the call was not answered"]
    assert results[1].call_id is not None and results[1].call_id.startswith("CA")
    history.close()


def test_a_refusal_nobody_expected_fails_with_the_providers_words(tmp_path: Path) -> None:
    suite = parse_suite(HEADER + '[[test]]\nname = "x"\nset.To = "+15005550002"\n', Path("s.toml"), PROFILES)
    results, history = run_suite(suite, tmp_path)
    assert results[0].state is CaseState.FAILED
    assert results[0].reasons[0].startswith("the provider refused: ")
    assert "21214" in results[0].reasons[0]
    history.close()


def test_a_timeout_hangs_up_and_fails(tmp_path: Path) -> None:
    engine = Engine(SandboxConfig(speed=SPEED))
    suite = parse_suite(HEADER + '[[test]]\nname = "long"\ntimeout = "20s"\nset.To = "+15555550005"\n',
                        Path("s.toml"), PROFILES)
    results, history = run_suite(suite, tmp_path, engine=engine)
    assert results[0].state is CaseState.FAILED
    assert results[0].reasons == ["did not end within 20s: hung up"]
    (call,) = engine.calls.values()
    assert call.stopped_at is not None  # hung up through the API, not left running for an hour
    assert call.snapshot(engine.clock.now()).phase is CallPhase.ENDED
    assert history.get(results[0].attempt_id or 0).outcome == "completed"
    history.close()


def test_cancelling_a_run_hangs_up_the_calls_it_placed(tmp_path: Path) -> None:
    engine = Engine(SandboxConfig(speed=SPEED))
    suite = parse_suite(HEADER + '[[test]]\nname = "a"\nset.To = "+15555550005"\n'
                                 '[[test]]\nname = "b"\nset.To = "+15555560005"\n', Path("s.toml"), PROFILES)

    async def cancel_once_answered(runner: SuiteRunner) -> list[CaseResult]:
        task = asyncio.create_task(runner.run())
        while not (len(engine.calls) == 2 and all(
                c.snapshot(engine.clock.now()).phase is CallPhase.ANSWERED for c in engine.calls.values())):
            await asyncio.sleep(0.01)
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            return []
        raise AssertionError("the run was not cancelled")

    results, history = run_suite(suite, tmp_path, concurrency=2, engine=engine, during=cancel_once_answered)
    assert results == []
    assert len(engine.calls) == 2
    for call in engine.calls.values():
        assert call.stopped_at is not None
    assert sorted(a.outcome or "" for a in history.query()) == ["completed", "completed"]
    history.close()


def test_per_profile_limit_keeps_calls_from_overlapping(tmp_path: Path) -> None:
    tests = "".join(f'[[test]]\nname = "t{i}"\nset.To = "+1555555000{i}"\n' for i in (1, 3, 4))
    suite = parse_suite(HEADER + "[limits]\nconcurrency = 3\nper_profile = 1\n" + tests, Path("s.toml"), PROFILES)
    results, history = run_suite(suite, tmp_path)
    assert [r.state for r in results] == [CaseState.PASSED] * 3
    attempts = sorted(history.query(), key=lambda a: a.started_at)
    for earlier, later in itertools.pairwise(attempts):
        assert later.started_at >= earlier.updated_at  # the next call started only after the last one ended
    history.close()


def test_calls_per_second_spaces_the_calls(tmp_path: Path) -> None:
    tests = "".join(f'[[test]]\nname = "t{i}"\nset.To = "+1555555000{i}"\n' for i in (1, 3, 4))
    suite = parse_suite(HEADER + "[limits]\nconcurrency = 3\ncalls_per_second = 4\n" + tests, Path("s.toml"),
                        PROFILES)
    _results, history = run_suite(suite, tmp_path)
    starts = sorted(a.started_at for a in history.query())
    gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(starts)]
    assert len(gaps) == 2 and min(gaps) >= 0.24
    history.close()


def test_the_suite_and_test_names_find_their_calls_in_the_history(tmp_path: Path) -> None:
    from launcher.core.history import HistoryFilter

    suite = load_suite(EXAMPLES / "fails-on-purpose.toml", PROFILES)
    _, history = run_suite(suite, tmp_path)
    history.record_attempt(profile="by hand", profile_id="x", provider="twilio", from_number=None, to=None,
                           request={}, values={})
    assert history.count() == 3
    assert history.count(HistoryFilter(text="fails on PURPOSE")) == 2
    (busy,) = history.query(HistoryFilter(text="busy line expected"))
    assert busy.outcome == "busy"  # the names stay searchable after the call's later updates
