"""The call form, driven through its editors as a person would, for every provider."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QCheckBox, QLabel, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from launcher.core.providers import all_adapters
from launcher.core.schema import ProviderSchema, secret_paths
from launcher.ui.form import REGISTRY, CallForm, DialPad
from launcher.ui.form.collection_editors import ChoiceListEditor, MapEditor
from launcher.ui.form.scalar_editors import TextEditor
from launcher.view.carry_over import get_path

ADAPTERS = all_adapters()
PROVIDERS = list(ADAPTERS)

# What a person types into each provider's required fields to make a callable request.
REQUIRED: dict[str, dict[str, str]] = {
    "twilio": {"To": "(555) 555-1313", "From": "+15555551212", "Url": "https://example.com/twiml"},
    "bandwidth": {"to": "+15555551313", "from": "+15555551212",
                  "applicationId": "7fc9698a-b04a-468b-9e8f-91238c0d0086", "answerUrl": "https://example.com/answer"},
    "catapult": {"from": "+19195551212", "to": "+19195551313"},
    "jambonz": {"from": "+15083728299", "to.number": "+16172375089",
                "application_sid": "0e06a1b0-d49f-4fb8-b973-b5a3c6758de1"},
}


@pytest.fixture
def form(qtbot: QtBot) -> CallForm:
    widget = CallForm()
    qtbot.addWidget(widget)
    widget.resize(640, 900)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    return widget


def schema_of(form: CallForm) -> ProviderSchema:
    adapter = form.provider()
    assert adapter is not None
    return adapter.schema


def type_into(qtbot: QtBot, form: CallForm, path: str, text: str) -> None:
    assert form.focus_field(path), path
    editor = form.editor(path)
    assert editor is not None
    target = editor.focus_target()
    assert target.isVisible(), f"{path} is hidden"
    qtbot.keyClicks(target, text)


def button(widget: QWidget, name: str) -> QAbstractButton:
    found = [b for b in widget.findChildren(QAbstractButton) if b.accessibleName() == name]
    assert len(found) == 1, name
    return found[0]


def click(qtbot: QtBot, widget: QWidget) -> None:
    pos = QPoint(min(widget.width(), widget.sizeHint().width()) // 2, widget.height() // 2)
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)


def add_pair(qtbot: QtBot, editor: MapEditor, name: str, value: str) -> None:
    qtbot.mouseClick(button(editor, f"Add {editor.spec.label} entry"), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(QApplication.focusWidget(), name)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)  # on to the value cell
    qtbot.keyClicks(QApplication.focusWidget(), value)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor.table())  # the cell editor has closed


def test_every_provider_has_a_recipe() -> None:
    assert set(REQUIRED) == set(PROVIDERS)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_the_form_has_an_editor_for_every_schema_field(form: CallForm, provider: str) -> None:
    form.set_provider(ADAPTERS[provider], "US")
    schema_paths = [path for path, _spec in ADAPTERS[provider].schema.walk()]
    assert sorted(form.editor_paths()) == sorted(schema_paths)
    for path in schema_paths:
        row = form.row(path)
        assert row is not None and row.editor.path == path
        assert row.editor.focus_target().accessibleName(), path
    advanced = {spec.group for spec in ADAPTERS[provider].schema.fields if spec.advanced}
    assert all(not form.section(group).expanded() for group in advanced)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_an_invalid_to_shows_its_message_only_after_leaving_the_field(
        form: CallForm, qtbot: QtBot, provider: str) -> None:
    form.set_provider(ADAPTERS[provider], "US")
    to = schema_of(form).by_meaning("to")
    row = form.row(to or "")
    assert row is not None
    with qtbot.waitSignal(form.validity_changed):  # the debounced validation ran on the typed text
        type_into(qtbot, form, "to", "+1 617")
    assert "Too few digits" in " ".join(form.validation_result().errors[row.path])
    assert not row.error_label.isVisible() and row.editor.error() is None

    qtbot.keyClick(row.editor.focus_target(), Qt.Key.Key_Tab)

    qtbot.waitUntil(row.error_label.isVisible)
    assert "E.164" in row.error_label.text()
    assert row.editor.error() is not None
    from_row = form.row(schema_of(form).by_meaning("from") or "")
    assert from_row is not None and not from_row.error_label.isVisible()  # untouched: still quiet


@pytest.mark.parametrize("provider", PROVIDERS)
def test_call_validity_flips_as_the_required_fields_are_filled(form: CallForm, qtbot: QtBot, provider: str) -> None:
    states: list[tuple[bool, str]] = []
    form.validity_changed.connect(lambda ok, tip: states.append((ok, tip)))
    form.set_provider(ADAPTERS[provider], "US")
    to_label = schema_of(form).field(schema_of(form).by_meaning("to") or "").label
    assert states[-1][0] is False
    assert states[-1][1].startswith("Fix: ") and to_label in states[-1][1]

    for path, text in REQUIRED[provider].items():
        type_into(qtbot, form, path, text)
    qtbot.waitUntil(lambda: states[-1] == (True, ""))
    assert form.validation_result().ok

    target = form.editor("to")
    assert target is not None
    line = target.focus_target()
    qtbot.keyClick(line, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(line, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: states[-1][0] is False)
    assert to_label in states[-1][1]


def fill_twilio(qtbot: QtBot, form: CallForm) -> dict[str, Any]:
    form.focus_field("StatusCallbackEvent")
    events = form.editor("StatusCallbackEvent")
    assert isinstance(events, ChoiceListEditor)
    click(qtbot, events.check_box("completed"))
    click(qtbot, events.check_box("initiated"))
    type_into(qtbot, form, "Twiml", "<Response><Say>Hi</Say></Response>")
    return {"StatusCallbackEvent": ["initiated", "completed"], "Twiml": "<Response><Say>Hi</Say></Response>"}


def fill_bandwidth(qtbot: QtBot, form: CallForm) -> dict[str, Any]:
    type_into(qtbot, form, "machineDetection.mode", "sync")  # keyboard search in the combo box
    type_into(qtbot, form, "machineDetection.detectionTimeout", "12.5")
    type_into(qtbot, form, "machineDetection.callbackUrl", "https://example.com/amd")
    return {"machineDetection": {"mode": "sync", "detectionTimeout": 12.5, "callbackUrl": "https://example.com/amd"}}


def fill_catapult(qtbot: QtBot, form: CallForm) -> dict[str, Any]:
    form.focus_field("sipHeaders")
    headers = form.editor("sipHeaders")
    assert isinstance(headers, MapEditor)
    add_pair(qtbot, headers, "X-Ticket", "4711")
    add_pair(qtbot, headers, "Ticket", "1")
    assert list(headers.key_problems()) == [1]  # the name without X- is marked as it is typed
    assert "X-" in headers.key_problems()[1]
    form.mark_submitted()
    row = form.row("sipHeaders")
    assert row is not None and row.error_label.text().startswith("SIP header names start with X-")
    return {"sipHeaders": {"X-Ticket": "4711", "Ticket": "1"}}


def fill_jambonz(qtbot: QtBot, form: CallForm) -> dict[str, Any]:
    type_into(qtbot, form, "to.number", "+16172375089")
    type_into(qtbot, form, "to.auth.username", "alice")
    type_into(qtbot, form, "to.auth.password", "pw")
    form.focus_field("tag")
    tag = form.editor("tag")
    assert isinstance(tag, MapEditor)
    add_pair(qtbot, tag, "ticket", "4711")
    type_into(qtbot, form, "dtmfCapture", "*2")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # Enter opens the next entry
    qtbot.keyClicks(QApplication.focusWidget(), "#9")
    type_into(qtbot, form, "amd.actionHook", "https://example.com/amd")
    type_into(qtbot, form, "amd.timers.noSpeechTimeoutMs", "4000")
    return {
        "to": {"type": "phone", "number": "+16172375089", "auth": {"username": "alice", "password": "pw"}},
        "tag": {"ticket": "4711"},
        "dtmfCapture": ["*2", "#9"],
        "amd": {"actionHook": "https://example.com/amd", "timers": {"noSpeechTimeoutMs": 4000}},
    }


FILLERS: dict[str, Callable[[QtBot, CallForm], dict[str, Any]]] = {
    "twilio": fill_twilio, "bandwidth": fill_bandwidth, "catapult": fill_catapult, "jambonz": fill_jambonz,
}


@pytest.mark.parametrize("provider", PROVIDERS)
def test_nested_list_and_map_editors_produce_nested_values(form: CallForm, qtbot: QtBot, provider: str) -> None:
    form.set_provider(ADAPTERS[provider], "US")
    expected = FILLERS[provider](qtbot, form)
    assert form.values() == expected
    result = form.validation_result()
    invalid = {"sipHeaders"} if provider == "catapult" else set()  # the map with a name lacking X-
    assert {name for name in expected if any(p.split(".")[0] == name for p in result.errors)} == invalid
    for name, value in expected.items():
        if name not in invalid:
            assert result.values[name] == value
    form.set_values(expected)  # and back: every editor shows what it produced
    assert form.values() == expected


@pytest.mark.parametrize("provider", PROVIDERS)
def test_secrets_are_left_out_of_remembered_values(form: CallForm, qtbot: QtBot, provider: str) -> None:
    form.set_provider(ADAPTERS[provider], "US")
    secrets = sorted(secret_paths(schema_of(form)))
    type_into(qtbot, form, "to", "+15555551313")
    for number, path in enumerate(secrets):
        type_into(qtbot, form, path, f"s3cret-{number}")
    values, remembered = form.values(), form.remembered_values()
    for number, path in enumerate(secrets):
        assert get_path(values, path) == f"s3cret-{number}"
        assert get_path(remembered, path) is None
    assert "s3cret" not in json.dumps(remembered)
    to = schema_of(form).by_meaning("to") or ""
    assert get_path(remembered, to) == get_path(values, to) is not None
    if not secrets:
        assert remembered == values


@pytest.mark.parametrize("provider", PROVIDERS)
def test_switching_provider_carries_to_from_and_ring_timeout(form: CallForm, qtbot: QtBot, provider: str) -> None:
    target = PROVIDERS[(PROVIDERS.index(provider) + 1) % len(PROVIDERS)]
    form.set_provider(ADAPTERS[provider], "US")
    type_into(qtbot, form, "to", "+1 555 555 1313")
    type_into(qtbot, form, "from", "+15555551212")
    type_into(qtbot, form, "ring_timeout", "45")
    answer = schema_of(form).by_meaning("answer_url")
    if answer:
        type_into(qtbot, form, answer, "https://example.com/only-for-" + provider)

    form.set_provider(ADAPTERS[target], "US")

    schema = schema_of(form)
    normalized = form.validation_result().values
    assert get_path(normalized, schema.by_meaning("to") or "") == "+15555551313"
    assert get_path(normalized, schema.by_meaning("from") or "") == "+15555551212"
    assert get_path(normalized, schema.by_meaning("ring_timeout") or "") == 45
    assert "only-for" not in json.dumps(form.values())  # webhook URLs belong to one provider


def test_switching_between_profiles_of_one_provider_keeps_typing_and_takes_new_values(
        form: CallForm, qtbot: QtBot) -> None:
    form.set_provider(ADAPTERS["twilio"], "US", {"Url": "https://example.com/a", "Record": True})
    type_into(qtbot, form, "To", "+15555551313")
    form.set_provider(ADAPTERS["twilio"], "US", {"Url": "https://example.com/b"})
    assert form.values() == {"To": "+1 555-555-1313", "Url": "https://example.com/b", "Record": True}
    form.set_provider(ADAPTERS["twilio"], "US", {}, carry_over=False)
    assert form.values() == {}


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_provider_error_shows_under_its_field_until_edited(form: CallForm, qtbot: QtBot, provider: str) -> None:
    form.set_provider(ADAPTERS[provider], "US")
    to = schema_of(form).by_meaning("to") or ""
    row = form.row(to)
    assert row is not None
    assert form.show_provider_error(to, "The destination cannot be reached")
    assert row.error_label.isVisible()  # shown although the field was never touched
    assert row.error_label.text() == f"{ADAPTERS[provider].name}: The destination cannot be reached"

    type_into(qtbot, form, "to", "5")

    qtbot.waitUntil(lambda: not row.error_label.isVisible())
    assert not form.show_provider_error("noSuchField", "x")


def test_a_provider_error_on_a_nested_field_opens_its_section_and_groups(form: CallForm) -> None:
    form.set_provider(ADAPTERS["jambonz"], "US")
    section = form.section("Audio streaming (listen)")
    assert section is not None and not section.expanded()
    assert form.show_provider_error("listen.url", "Websocket refused")
    row = form.row("listen.url")
    assert row is not None and row.error_label.isVisible() and section.expanded()
    assert form.show_provider_error("listen.wsAuth.token", "Bad token")  # unknown member: the nearest group
    group = form.row("listen.wsAuth")
    assert group is not None and "Bad token" in group.error_label.text()


@pytest.mark.parametrize("provider", PROVIDERS)
def test_the_dial_pad_types_into_to(form: CallForm, qtbot: QtBot, provider: str) -> None:
    form.set_provider(ADAPTERS[provider], "US")
    pad = DialPad()
    qtbot.addWidget(pad)
    pad.key_pressed.connect(lambda key: form.insert_into_field("to", key))
    pad.backspace_pressed.connect(lambda: form.backspace_in_field("to"))
    for symbol in "+155555513139":
        qtbot.mouseClick(pad.key(symbol), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(pad.key("⌫"), Qt.MouseButton.LeftButton)
    typed = form.field_value("to")
    assert re.sub(r"[^\d+]", "", typed) == "+15555551313"
    to = schema_of(form).by_meaning("to") or ""
    assert get_path(form.validation_result().values, to) == "+15555551313"


def test_phone_numbers_are_grouped_as_typed_without_fighting_the_cursor(form: CallForm, qtbot: QtBot) -> None:
    form.set_provider(ADAPTERS["twilio"], "US")
    type_into(qtbot, form, "To", "5555551212")
    editor = form.editor("To")
    assert editor is not None
    line = editor.focus_target()
    assert isinstance(line, QLineEdit)
    assert line.text() == "(555) 555-1212"
    qtbot.keyClick(line, Qt.Key.Key_Backspace)
    assert line.text() == "(555) 555-121"  # deleting never re-inserts what was removed
    qtbot.keyClick(line, Qt.Key.Key_Home)
    qtbot.keyClicks(line, "1")
    assert line.text() == "1(555) 555-121" and line.cursorPosition() == 1  # mid-text edits are left alone
    line.clear()
    qtbot.keyClicks(line, "client:alice")
    assert editor.value() == "client:alice"
    form.set_provider(ADAPTERS["jambonz"], "US", carry_over=False)
    type_into(qtbot, form, "to.number", "0049301234")
    assert form.field_value("to.number") == "0049301234"  # forwarded as typed, so never regrouped


def test_huge_technical_limits_read_in_days_not_digits(form: CallForm) -> None:
    """jambonz's 2147483 s timer limit reads as 24 days; ordinary ranges keep their numbers."""
    form.set_provider(ADAPTERS["jambonz"], "US")
    shown = {}
    for label in ("timeLimit", "timeout"):
        editor = form.editor(label)
        assert editor is not None
        texts = [widget.text() for widget in editor.findChildren(QLabel) if widget.text().startswith("(")]
        shown[label] = (texts, editor.focus_target().accessibleDescription())
    assert shown["timeLimit"][0] == ["(up to 24 days)"]
    assert shown["timeout"][0] == ["(1 s – 24 days)"]
    assert shown["timeout"][1].endswith("Allowed: 1 s – 24 days.")
    assert "2147483" not in str([texts for texts, _ in shown.values()])


def test_enum_bool_and_number_editors_show_defaults_units_and_ranges(form: CallForm, qtbot: QtBot) -> None:
    form.set_provider(ADAPTERS["twilio"], "US")
    method = form.editor("Method")
    record = form.editor("Record")
    timeout = form.editor("Timeout")
    assert method is not None and record is not None and timeout is not None
    assert method.focus_target().currentText() == "(default: POST)" and method.value() is None  # type: ignore[attr-defined]
    assert [record.focus_target().itemText(i) for i in range(3)] == ["(default: No)", "Yes", "No"]  # type: ignore[attr-defined]
    type_into(qtbot, form, "Record", "Y")
    assert record.value() is True
    form.validation_result()
    qtbot.waitUntil(lambda: form.section("Recording").status() == "1 set")
    labels = [label.text() for label in timeout.findChildren(QLabel)]
    assert "s" in labels and "(1 – 600)" in labels
    assert form.focus_field("Timeout")
    qtbot.keyClick(timeout.focus_target(), Qt.Key.Key_Up)  # from empty: the default
    qtbot.keyClick(timeout.focus_target(), Qt.Key.Key_Up)
    assert timeout.value() == 61
    qtbot.keyClicks(timeout.focus_target(), "0")
    qtbot.keyClick(timeout.focus_target(), Qt.Key.Key_Tab)
    row = form.row("Timeout")
    assert row is not None and row.error_label.text() == "Must be between 1 and 600 s."


def test_mark_submitted_shows_every_problem_and_opens_sections(form: CallForm, qtbot: QtBot) -> None:
    form.set_provider(ADAPTERS["jambonz"], "US")
    row = form.row("from")
    section = form.section("Speech defaults")
    assert row is not None and section is not None
    assert not row.error_label.isVisible() and not section.expanded()
    form.mark_submitted()
    assert row.error_label.text() == "From is required."
    assert section.expanded() and "5 problems" in section.status()
    assert form.focus_first_error()


def test_warnings_show_in_the_softer_style_and_do_not_block(form: CallForm, qtbot: QtBot) -> None:
    form.set_provider(ADAPTERS["bandwidth"], "US")
    fill_bandwidth(qtbot, form)
    form.mark_submitted()
    row = form.row("machineDetection.callbackUrl")
    assert row is not None
    assert row.warning_label.isVisible() and row.warning_label.text().startswith("⚠ The callback URL is only used")
    assert not row.error_label.isVisible() and row.editor.error() is None
    assert row.warning_label.styleSheet() != form.row("to").error_label.styleSheet()


def test_the_validity_tooltip_names_what_to_fix(form: CallForm, qtbot: QtBot) -> None:
    form.set_provider(ADAPTERS["twilio"], "US")
    type_into(qtbot, form, "To", "+1 617")
    with qtbot.waitSignal(form.validity_changed) as blocker:
        pass
    valid, tip = blocker.args
    assert valid is False
    assert tip.startswith("Fix: To — Too few digits for country code +1")
    assert "; From is required; TwiML URL — Set one of Url, Twiml or ApplicationSid" in tip


def test_a_registered_editor_with_a_higher_rank_wins(form: CallForm) -> None:
    class ShoutingEditor(TextEditor):
        def value(self) -> Any:
            text = super().value()
            return text.upper() if text else text

    registry = REGISTRY.copy()
    registry.register(lambda spec: 100 if spec.name == "CallReason" else 0, ShoutingEditor)
    custom = CallForm(registry=registry)
    custom.set_provider(ADAPTERS["twilio"], "US", {"CallReason": "support"})
    assert isinstance(custom.editor("CallReason"), ShoutingEditor)
    assert custom.values() == {"CallReason": "SUPPORT"}
    custom.deleteLater()
    form.set_provider(ADAPTERS["twilio"], "US")
    assert type(form.editor("CallReason")) is TextEditor


def test_secret_fields_can_be_shown_and_hidden(form: CallForm, qtbot: QtBot) -> None:
    form.set_provider(ADAPTERS["twilio"], "US")
    editor = form.editor("SipAuthPassword")
    assert editor is not None
    form.focus_field("SipAuthPassword")
    line = editor.focus_target()
    assert isinstance(line, QLineEdit) and line.echoMode() == QLineEdit.EchoMode.Password
    qtbot.mouseClick(button(editor, "Show SIP auth password"), Qt.MouseButton.LeftButton)
    assert line.echoMode() == QLineEdit.EchoMode.Normal


def test_focus_field_opens_nested_groups(form: CallForm) -> None:
    form.set_provider(ADAPTERS["jambonz"], "US")
    assert form.focus_field("amd.timers.noSpeechTimeoutMs")
    editor = form.editor("amd.timers.noSpeechTimeoutMs")
    assert editor is not None and editor.focus_target().isVisible()
    assert QApplication.focusWidget() is editor.focus_target()
    assert not form.focus_field("nothing.here")
    assert form.set_field_value("to", "+16172375089")  # a tel: link writes To by meaning
    assert form.values()["to"] == {"type": "phone", "number": "+16172375089"}


def test_choice_boxes_keep_the_provider_order(form: CallForm, qtbot: QtBot) -> None:
    form.set_provider(ADAPTERS["twilio"], "US", {"StatusCallbackEvent": ["Completed", "ringing"]})
    events = form.editor("StatusCallbackEvent")
    assert isinstance(events, ChoiceListEditor)
    assert events.value() == ["ringing", "completed"]
    assert [box.text() for box in events.findChildren(QCheckBox)] == ["initiated", "ringing", "answered", "completed"]


def test_values_set_from_code_show_their_start_while_typing_keeps_the_cursor(form: CallForm, qtbot: QtBot) -> None:
    """A loaded To or URL reads "+1555…" / "https://…", not its tail; typing still appends at the cursor."""
    form.set_provider(ADAPTERS["twilio"], "US")
    form.resize(360, 900)
    long_url = "https://very-long-host-name.example.com/docs/voice/answer/with/a/long/path/voice.xml"
    focused = QApplication.focusWidget()
    if focused is not None:
        focused.clearFocus()
    form.set_values({"To": "+15555550100", "Url": long_url})
    to_edit = form.editor("To")
    url_edit = form.editor("Url")
    assert to_edit is not None and url_edit is not None
    for editor, text in ((to_edit, "+15555550100"), (url_edit, long_url)):
        line = editor.focus_target()
        assert isinstance(line, QLineEdit) and line.text() == text
        assert line.cursorPosition() == 0
        assert line.cursorRect().left() < line.fontMetrics().horizontalAdvance("+1")
    assert form.focus_field("Url")
    assert isinstance(line, QLineEdit)
    qtbot.waitUntil(line.hasFocus)
    line.setText(long_url)  # while the user is in the field, Qt's cursor at the end stays
    assert line.cursorPosition() == len(long_url)


@pytest.mark.parametrize("provider", [name for name in PROVIDERS if name != "jambonz"])  # jambonz: To is nested
def test_a_long_error_under_to_stays_on_its_reserved_line(form: CallForm, qtbot: QtBot, provider: str) -> None:
    form.set_provider(ADAPTERS[provider], "US")
    schema = schema_of(form)
    to_row = form.row(schema.by_meaning("to") or "")
    assert to_row is not None
    form.resize(420, 900)
    qtbot.waitUntil(lambda: form.width() == 420)
    QApplication.processEvents()

    def top(row_path: str) -> int:
        found = form.row(row_path)
        assert found is not None
        return found.editor.mapTo(form, QPoint(0, 0)).y()

    below = min((path for path in form.editor_paths() if form.editor(path) is not None
                 and form.editor(path).isVisible() and top(path) > top(to_row.path)), key=top)
    before = top(below)
    message = "The destination cannot be reached from this account. " * 3 + "\nCheck the number.\nThird line."
    assert form.show_provider_error(to_row.path, message)
    QApplication.processEvents()
    label = to_row.error_label
    assert label.isVisible()
    assert top(below) == before  # the field under To did not move
    assert label.height() == label.fontMetrics().height()  # one line
    full = f"{ADAPTERS[provider].name}: {message}"
    assert label.text() == full and label.toolTip() == full
    shown = label.one_line()
    assert shown.endswith("…") and "\n" not in shown
    assert label.fontMetrics().horizontalAdvance(shown) <= label.contentsRect().width()
