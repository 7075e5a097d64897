"""The profile bar and the profile editor, driven as a person would: typing, choosing, clicking."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from launcher.core.calls import CallService
from launcher.core.profile_library import ProfileManager
from launcher.core.profiles import Profile, ProfileStore
from launcher.core.providers import all_adapters, get_adapter
from launcher.core.secrets import SERVICE, KeyringSecrets
from launcher.sandbox.app import IN_PROCESS_URL, sandbox_client
from launcher.sandbox.builtin_profiles import builtin_profiles, builtin_secret
from launcher.sandbox.providers.twilio import ACCOUNT_SID, AUTH_TOKEN
from launcher.ui.profile_bar import ProfileBar, status_color
from launcher.ui.profile_editor import ProfileEditor, TestConnection

# The offscreen platform plugin warns whenever a top-level window's size limits change.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

PROD_SID = "AC0123456789abcdef0123456789abcdef"
PROVIDER_NAMES = {adapter.id: adapter.name for adapter in all_adapters().values()}


async def never_called(profile: Profile, secret: str | None) -> str:
    raise AssertionError("no connection test expected")


def make_manager(tmp_path: Path, *, keyring_ok: bool) -> ProfileManager:
    secrets = KeyringSecrets() if keyring_ok else KeyringSecrets(fail.Keyring())
    return ProfileManager(ProfileStore(tmp_path / "profiles.json"), secrets, builtin_profiles, builtin_secret)


def open_editor(qtbot: QtBot, manager: ProfileManager, test: TestConnection = never_called,
                profile: Profile | None = None) -> ProfileEditor:
    editor = ProfileEditor(manager, test, profile=profile)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    return editor


def retype(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    """Select everything in ``edit`` and type ``text`` over it (Backspace when empty)."""
    edit.setFocus()
    edit.selectAll()
    if text:
        qtbot.keyClicks(edit, text)
    else:
        qtbot.keyClick(edit, Qt.Key.Key_Backspace)


def choose_provider(editor: ProfileEditor, provider_id: str) -> None:
    combo = editor.form.provider_combo
    combo.setCurrentIndex(combo.findData(provider_id))


def fill_twilio(qtbot: QtBot, editor: ProfileEditor, *, name: str, sid: str, secret: str, base_url: str = "") -> None:
    form = editor.form
    retype(qtbot, form.name_edit, name)
    choose_provider(editor, "twilio")
    retype(qtbot, form.account_edit, sid)
    retype(qtbot, form.base_url_edit, base_url)
    retype(qtbot, form.secret_edit, secret)


def visible_error(editor: ProfileEditor, key: str) -> str:
    label = editor.form.errors[key]
    return label.text() if label.isVisible() else ""


def answer_message_box(qtbot: QtBot, editor: ProfileEditor, button: QMessageBox.StandardButton) -> None:
    def box() -> QMessageBox | None:
        return next((b for b in editor.findChildren(QMessageBox) if b.isVisible()), None)

    qtbot.waitUntil(lambda: box() is not None)
    found = box()
    assert found is not None
    qtbot.mouseClick(found.button(button), Qt.MouseButton.LeftButton)


@pytest.fixture
def sandbox_tester(qloop: asyncio.AbstractEventLoop, qtbot: QtBot) -> Iterator[TestConnection]:
    """test_connection as the window builds it, against the in-process sandbox."""
    client = sandbox_client()
    service = CallService(client)

    async def test_connection(profile: Profile, secret: str | None) -> str:
        response = await service.test_connection(get_adapter(profile.provider), profile.account(secret))
        return f"Connected: HTTP {response.status}"

    yield test_connection
    closing = asyncio.ensure_future(client.aclose())
    qtbot.waitUntil(closing.done)


# -- the editor ---------------------------------------------------------------------------------------
def test_relabels_account_settings_for_each_provider(qtbot: QtBot, tmp_path: Path) -> None:
    editor = open_editor(qtbot, make_manager(tmp_path, keyring_ok=False))
    form = editor.form
    choose_provider(editor, "bandwidth")
    assert form.account_label.text() == "Account ID" and form.username_label.text() == "Client ID"
    assert form.username_edit.isVisible() and form.secret_label.text() == "Client secret"
    choose_provider(editor, "jambonz")
    assert not form.username_edit.isVisible()
    assert form.base_url_label.text() == "Base URL (required)"
    choose_provider(editor, "twilio")
    assert form.account_label.text() == "Account SID" and form.username_edit.isVisible()
    assert "optional" in form.username_label.text().lower()
    assert "defaults to the Account SID" in form.username_edit.placeholderText()
    assert form.base_url_edit.placeholderText() == "https://api.twilio.com"


def test_bandwidth_offers_oauth2_client_credentials_with_their_own_labels(qtbot: QtBot, tmp_path: Path) -> None:
    editor = open_editor(qtbot, make_manager(tmp_path, keyring_ok=False))
    form = editor.form
    choose_provider(editor, "twilio")
    assert not form.auth_combo.isVisible()
    choose_provider(editor, "bandwidth")
    assert form.auth_combo.isVisible() and form.auth_combo.currentData() == "oauth2"  # new profiles: the future
    form.auth_combo.setCurrentIndex(form.auth_combo.findData(""))
    assert "retires API users on 2 December 2026" in form.auth_note.text() and form.auth_note.isVisible()
    assert (form.username_label.text(), form.secret_label.text()) == ("API username", "API password")
    form.auth_combo.setCurrentIndex(form.auth_combo.findData("oauth2"))
    assert (form.username_label.text(), form.secret_label.text()) == ("Client ID", "Client secret")
    assert form.username_edit.accessibleName() == "Client ID" and not form.auth_note.isVisible()
    retype(qtbot, form.name_edit, "bw oauth")
    retype(qtbot, form.account_edit, "9900000")
    retype(qtbot, form.username_edit, "x")
    retype(qtbot, form.username_edit, "")
    qtbot.waitUntil(lambda: visible_error(editor, "username") == "Enter the Client ID.")
    retype(qtbot, form.username_edit, "client-1")
    profile = form.profile()
    assert (profile.provider, profile.auth, profile.username) == ("bandwidth", "oauth2", "client-1")
    choose_provider(editor, "twilio")
    assert form.profile().auth == "" and not form.auth_combo.isVisible()
    choose_provider(editor, "bandwidth")
    assert form.auth_combo.currentData() == "oauth2"  # the choice survives a look at another provider
    form.load(Profile(name="older", provider="bandwidth", account_id="9900000", username="api-user"), show_all=True)
    assert form.auth_combo.currentData() == "" and form.username_label.text() == "API username"  # kept as saved


def test_create_twilio_profile_secret_goes_to_keyring_only(
    qtbot: QtBot, tmp_path: Path, secret_service: None,
) -> None:
    manager = make_manager(tmp_path, keyring_ok=True)
    editor = open_editor(qtbot, manager)
    assert not editor.keyring_warning.isVisible()
    assert "Secrets are stored in: OS keyring" in editor.secrets_label.text()

    fill_twilio(qtbot, editor, name="support", sid="AC123", secret="tw-secret-1234",
                base_url="http://api.example.com")
    assert "AC followed by 32 hex digits" in visible_error(editor, "account_id")
    assert "plain http" in visible_error(editor, "base_url")
    assert not editor.save_button.isEnabled()
    assert visible_error(editor, "region") == ""  # untouched settings stay quiet

    retype(qtbot, editor.form.account_edit, PROD_SID)
    retype(qtbot, editor.form.base_url_edit, "")
    region_line = editor.form.region_combo.lineEdit()
    assert region_line is not None
    retype(qtbot, region_line, "gb")
    retype(qtbot, editor.form.label_edit, "PROD")
    qtbot.mouseClick(editor.form.color_buttons["#d32f2f"], Qt.MouseButton.LeftButton)
    assert visible_error(editor, "account_id") == "" and visible_error(editor, "base_url") == ""
    assert editor.save_button.isEnabled()
    assert not editor.form.links_check.isChecked()

    with qtbot.waitSignal(editor.profiles_changed) as changed:
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    text = (tmp_path / "profiles.json").read_text()
    assert "tw-secret-1234" not in text
    saved = json.loads(text)["profiles"]
    assert len(saved) == 1 and saved[0]["name"] == "support" and saved[0]["region"] == "GB"
    assert saved[0]["label"] == "PROD" and saved[0]["color"] == "#d32f2f"
    assert changed.args == [saved[0]["id"]]
    assert keyring.get_password(SERVICE, f"profile/{saved[0]['id']}") == "tw-secret-1234"
    assert editor.profile_list.currentItem().text() == "support — PROD"
    assert editor.form.secret_edit.text() == "" and "keep the stored secret" in editor.form.secret_hint.text()

    manager.delete(manager.find(saved[0]["id"]) or Profile(name="", provider=""))
    assert keyring.get_password(SERVICE, f"profile/{saved[0]['id']}") is None


def test_without_keyring_warns_and_keeps_secret_in_session_memory(qtbot: QtBot, tmp_path: Path) -> None:
    manager = make_manager(tmp_path, keyring_ok=False)
    editor = open_editor(qtbot, manager)
    assert editor.keyring_warning.isVisible() and editor.keyring_warning.text().startswith(
        "Secrets are kept for this session only")
    assert not editor.secrets_label.isVisible()  # said once, in the warning

    fill_twilio(qtbot, editor, name="support", sid=PROD_SID, secret="memory-only-secret")
    with qtbot.waitSignal(editor.profiles_changed) as changed:
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.status_label.text() == "Saved 'support'. Secret kept in this session only."
    assert "memory-only-secret" not in (tmp_path / "profiles.json").read_text()
    profile = manager.find(changed.args[0])
    assert profile is not None and manager.secret_for(profile) == "memory-only-secret"
    restarted = make_manager(tmp_path, keyring_ok=False)
    assert restarted.secret_for(profile) is None  # gone after a restart, as the warning says


def test_duplicate_name_and_builtins_are_not_editable(qtbot: QtBot, tmp_path: Path) -> None:
    manager = make_manager(tmp_path, keyring_ok=False)
    manager.save(Profile(name="support", provider="twilio", account_id=PROD_SID), "s1")
    sandbox = builtin_profiles()[0]
    editor = open_editor(qtbot, manager, profile=sandbox)
    items = [editor.profile_list.item(i).text() for i in range(editor.profile_list.count())]
    assert items == ["support"]  # sandbox profiles are not listed

    qtbot.mouseClick(editor.new_button, Qt.MouseButton.LeftButton)
    fill_twilio(qtbot, editor, name="Support", sid=PROD_SID, secret="s2")
    assert "already called" in visible_error(editor, "name") and not editor.save_button.isEnabled()


def test_duplicate_reuses_secret_and_delete_asks_first(qtbot: QtBot, tmp_path: Path) -> None:
    manager = make_manager(tmp_path, keyring_ok=False)
    manager.save(Profile(name="support", provider="twilio", account_id=PROD_SID, label="PROD"), "orig-secret")
    editor = open_editor(qtbot, manager)

    qtbot.mouseClick(editor.duplicate_button, Qt.MouseButton.LeftButton)
    assert editor.form.name_edit.text() == "support copy"
    assert "reuse the secret of 'support'" in editor.form.secret_hint.text()
    with qtbot.waitSignal(editor.profiles_changed) as changed:
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    copy = manager.find(changed.args[0])
    assert copy is not None and copy.name == "support copy" and manager.secret_for(copy) == "orig-secret"

    qtbot.mouseClick(editor.delete_button, Qt.MouseButton.LeftButton)
    answer_message_box(qtbot, editor, QMessageBox.StandardButton.Cancel)
    assert manager.find(copy.id) is not None
    with qtbot.waitSignal(editor.profiles_changed) as deleted:
        qtbot.mouseClick(editor.delete_button, Qt.MouseButton.LeftButton)
        answer_message_box(qtbot, editor, QMessageBox.StandardButton.Yes)
    assert deleted.args == [None]
    assert manager.find(copy.id) is None and manager.secret_for(copy) is None
    assert [p.name for p in manager.all() if not p.builtin] == ["support"]


def test_switching_profiles_asks_before_dropping_unsaved_changes(qtbot: QtBot, tmp_path: Path) -> None:
    manager = make_manager(tmp_path, keyring_ok=False)
    for name in ("alpha", "beta"):
        manager.save(Profile(name=name, provider="twilio", account_id=PROD_SID), None)
    editor = open_editor(qtbot, manager)
    retype(qtbot, editor.form.label_edit, "PROD")

    editor.profile_list.setCurrentRow(1)
    answer_message_box(qtbot, editor, QMessageBox.StandardButton.Cancel)
    assert editor.profile_list.currentRow() == 0 and editor.form.label_edit.text() == "PROD"

    editor.profile_list.setCurrentRow(1)
    answer_message_box(qtbot, editor, QMessageBox.StandardButton.Discard)
    assert editor.profile_list.currentRow() == 1 and editor.form.name_edit.text() == "beta"
    assert all(p.label == "" for p in manager.all() if not p.builtin)


# -- test connection ------------------------------------------------------------------------------------
def test_connection_against_sandbox_shows_success_then_auth_error(
    qtbot: QtBot, tmp_path: Path, sandbox_tester: TestConnection,
) -> None:
    editor = open_editor(qtbot, make_manager(tmp_path, keyring_ok=False), sandbox_tester)
    fill_twilio(qtbot, editor, name="sandbox copy", sid=ACCOUNT_SID, secret=AUTH_TOKEN, base_url=IN_PROCESS_URL)

    qtbot.mouseClick(editor.test_button, Qt.MouseButton.LeftButton)
    assert not editor.test_button.isEnabled() and editor.test_button.text() == "Testing…"
    qtbot.waitUntil(lambda: editor.test_button.isEnabled())
    assert editor.test_result.text() == "Connected: HTTP 200"
    assert status_color(editor.palette(), "ok") in editor.test_result.styleSheet()
    assert editor.test_button.text() == "Test connection"

    retype(qtbot, editor.form.secret_edit, "wrong-token")
    qtbot.mouseClick(editor.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.test_button.isEnabled())
    assert "HTTP 401" in editor.test_result.text() and "code 20003" in editor.test_result.text()
    assert "credentials" in editor.test_result.text()
    assert status_color(editor.palette(), "error") in editor.test_result.styleSheet()

    # Saved with the right secret, an empty secret field tests with the stored one.
    retype(qtbot, editor.form.secret_edit, AUTH_TOKEN)
    with qtbot.waitSignal(editor.profiles_changed):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.form.secret_edit.text() == ""
    qtbot.mouseClick(editor.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.test_button.isEnabled())
    assert editor.test_result.text() == "Connected: HTTP 200"


def test_connection_with_bandwidth_api_credentials_gets_a_token_first(
    qtbot: QtBot, tmp_path: Path, sandbox_tester: TestConnection,
) -> None:
    editor = open_editor(qtbot, make_manager(tmp_path, keyring_ok=False), sandbox_tester)
    form = editor.form
    retype(qtbot, form.name_edit, "bw oauth")
    choose_provider(editor, "bandwidth")
    form.auth_combo.setCurrentIndex(form.auth_combo.findData("oauth2"))
    retype(qtbot, form.account_edit, "9900000")
    retype(qtbot, form.username_edit, "sandbox-user")
    retype(qtbot, form.base_url_edit, IN_PROCESS_URL + "/api/v2")
    retype(qtbot, form.secret_edit, "sandbox-password")
    qtbot.mouseClick(editor.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.test_button.isEnabled())
    assert editor.test_result.text() == "Connected: HTTP 200"

    retype(qtbot, form.secret_edit, "wrong-secret")
    qtbot.mouseClick(editor.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.test_button.isEnabled())
    text = editor.test_result.text()
    assert "refused the OAuth 2.0 client credentials" in text and "invalid_client" in text, text
    assert "wrong-secret" not in text


def test_connection_refused_shows_transport_error(
    qtbot: QtBot, tmp_path: Path, sandbox_tester: TestConnection,
) -> None:
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    editor = open_editor(qtbot, make_manager(tmp_path, keyring_ok=False), sandbox_tester)
    fill_twilio(qtbot, editor, name="local", sid=ACCOUNT_SID, secret="x", base_url=f"http://127.0.0.1:{port}")
    qtbot.mouseClick(editor.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.test_button.isEnabled(), timeout=10_000)
    assert "refused" in editor.test_result.text() and "Is the server running" in editor.test_result.text()
    assert editor.isVisible()


def test_test_connection_needs_valid_connection_settings(qtbot: QtBot, tmp_path: Path) -> None:
    editor = open_editor(qtbot, make_manager(tmp_path, keyring_ok=False))
    fill_twilio(qtbot, editor, name="x", sid="AC1", secret="s")
    assert not editor.test_button.isEnabled()
    retype(qtbot, editor.form.account_edit, PROD_SID)
    assert editor.test_button.isEnabled()


# -- the bar ----------------------------------------------------------------------------------------------
def test_bar_lists_builtins_first_and_shows_the_selected_profile(qtbot: QtBot, tmp_path: Path) -> None:
    manager = make_manager(tmp_path, keyring_ok=False)
    prod = Profile(name="support", provider="twilio", account_id=PROD_SID, label="PROD", color="#d32f2f")
    manager.save(prod, None)
    bar = ProfileBar(manager, PROVIDER_NAMES)
    qtbot.addWidget(bar)
    bar.show()
    qtbot.waitExposed(bar)

    texts = [bar.combo.itemText(i) for i in range(bar.combo.count())]
    assert all("SANDBOX" in text for text in texts[:-1]) and texts[-1] == "support — PROD"
    assert bar.current_profile() is not None and bar.current_profile().builtin
    assert bar.band.text() == "SANDBOX"  # the label once, as a pill: the name is in the selector

    bar.combo.setFocus()
    with qtbot.waitSignal(bar.profile_selected) as selected:
        qtbot.keyClick(bar.combo, Qt.Key.Key_End)
    assert selected.args[0].id == prod.id
    assert bar.account_label.text() == "Twilio · AC01…cdef"
    assert bar.band.isVisible() and bar.band.text() == "PROD"
    image = bar.band.grab().toImage()
    ratio = image.devicePixelRatio()
    edge = image.pixelColor(round(4 * ratio), image.height() // 2)
    assert edge.name() == "#d32f2f"
    assert "color: #ffffff" in bar.band.styleSheet()  # white reads on red

    with qtbot.waitSignal(bar.edit_requested):
        qtbot.mouseClick(bar.edit_button, Qt.MouseButton.LeftButton)
    assert not bar.select_profile("no-such-profile")


def test_bar_reload_selects_and_reports_an_unreadable_file(qtbot: QtBot, tmp_path: Path) -> None:
    manager = make_manager(tmp_path, keyring_ok=False)
    bar = ProfileBar(manager, PROVIDER_NAMES)
    qtbot.addWidget(bar)
    bar.show()
    added = Profile(name="lab", provider="twilio", account_id=PROD_SID)
    manager.save(added, None)
    with qtbot.waitSignal(bar.profile_selected) as selected:
        bar.reload(added.id)
    assert selected.args[0].id == added.id and not bar.band.isVisible()  # no label, no colour: no band
    assert not bar.strip.isVisible()
    assert not bar.problem_label.isVisible()

    (tmp_path / "profiles.json").write_text("{ not json")
    bar.reload()
    assert bar.problem_label.isVisible() and "could not be read" in bar.problem_label.text()
    assert bar.current_profile() is not None and bar.current_profile().builtin


def test_a_secret_http_cannot_carry_is_refused_next_to_the_field(qtbot: QtBot, tmp_path: Path) -> None:
    manager = make_manager(tmp_path, keyring_ok=False)
    editor = open_editor(qtbot, manager)
    fill_twilio(qtbot, editor, name="pasted", sid=PROD_SID, secret="pasted")
    editor.form.secret_edit.setText("pasted-with-a-bell\x07")  # as a paste can bring in
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert visible_error(editor, "secret") == (
        "The secret cannot be sent: it contains a control character (a line break, a tab or another invisible "
        "character). Check it was not copied with a line break.")
    assert not editor.save_button.isEnabled() and [p.name for p in manager.all() if not p.builtin] == []
    assert editor.form.secret_edit.text() == "pasted-with-a-bell\x07"  # nothing typed is lost


def test_new_duplicate_and_delete_are_never_clipped(qtbot: QtBot, tmp_path: Path) -> None:
    editor = open_editor(qtbot, make_manager(tmp_path, keyring_ok=True))
    for button in (editor.new_button, editor.duplicate_button, editor.delete_button):
        assert button.width() >= button.minimumSizeHint().width(), button.text()
        assert button.width() > button.fontMetrics().horizontalAdvance(button.text()), button.text()
