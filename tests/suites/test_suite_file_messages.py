"""A suite file that cannot be used: the words say why, never the system's error numbers; nothing is placed."""

from __future__ import annotations

from pathlib import Path

from launcher.core.history import HistoryStore
from tests.suites.test_cli_test_command import run_cli
from tests.suites.test_suite_file import problems_of

ONE_TEST = ('[[test]]\nname = "a"\nprofile = "sandbox-twilio"\n'
            'set = {To = "+15555551313", From = "+15555551212", Url = "https://example.com/twiml"}\n')


def placed(home: Path) -> int:
    path = home / "data" / "history.sqlite3"
    if not path.exists():
        return 0
    with HistoryStore(path) as store:
        return store.count()


def test_a_missing_file_or_a_folder_is_named_in_words(launcher_home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "suites"
    folder.mkdir()
    text = tmp_path / "latin1.toml"
    text.write_bytes(b'name = "caf\xe9"\n')
    cases = {
        tmp_path / "missing.toml": "  missing.toml: no such file.",
        folder: "  suites: is a folder, not a suite file.",
        tmp_path / "missing" / "x.toml": "  x.toml: no such file.",
        text: "  latin1.toml: is not UTF-8 text (byte 12 cannot be read); a suite file is TOML text.",
    }
    for path, line in cases.items():
        result = run_cli("test", str(path), home=launcher_home)
        assert (result.returncode, result.stderr.splitlines()) == (
            2, [f"call-launcher: invalid suite {path} (nothing was placed):", line])


def test_a_junit_path_that_is_a_folder_is_refused_before_anything_is_placed(
        launcher_home: Path, tmp_path: Path) -> None:
    suite = tmp_path / "one.toml"
    suite.write_text(ONE_TEST, encoding="utf-8")
    result = run_cli("test", str(suite), "--junit", str(tmp_path), home=launcher_home)
    assert (result.returncode, result.stderr) == (
        2, f"call-launcher: --junit {tmp_path}: is a folder; give a file name, like {tmp_path / 'results.xml'}. "
           "Nothing was placed.\n")
    assert placed(launcher_home) == 0


def test_a_junit_file_that_cannot_be_written_is_said_after_the_results(launcher_home: Path, tmp_path: Path) -> None:
    suite = tmp_path / "one.toml"
    suite.write_text(ONE_TEST, encoding="utf-8")
    (tmp_path / "afile").write_text("", encoding="utf-8")
    junit = tmp_path / "afile" / "out.xml"
    result = run_cli("test", str(suite), "--junit", str(junit), "--sandbox-speed", "50", home=launcher_home)
    assert result.returncode == 5
    assert result.stderr.splitlines()[-2:] == [
        "1 passed, 0 failed",
        f"call-launcher: --junit {junit}: the results could not be written: a part of its path is a file, "
        "not a folder."]


def test_a_duplicate_name_is_found_even_when_the_first_test_has_a_problem() -> None:
    text = ('[[test]]\nname = "a"\nprofile = "sandbox-twilio"\nset.To = "+15555550100"\n'
            '[[test]]\nname = "a"\nprofile = "sandbox-twilio"\nset.To = "+15555550100"\n')
    problems = problems_of(text)
    assert "line 6: Another test is already named 'a' (line 2); names must differ." in problems
