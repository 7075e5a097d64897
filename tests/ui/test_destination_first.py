"""To first, always: the same place and the largest type for every provider; jambonz's destination shows
only the members its type uses."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from launcher.core.providers import all_adapters, get_adapter
from launcher.ui.form.form import TO_SCALE, CallForm
from launcher.ui.form.rows import HoldsRows


@pytest.fixture
def form(qtbot: QtBot) -> CallForm:
    widget = CallForm(debounce_ms=0)
    qtbot.addWidget(widget)
    widget.resize(600, 800)
    widget.show()
    return widget


@pytest.mark.parametrize("provider", sorted(all_adapters()))
def test_to_comes_first_and_largest_then_from(form: CallForm, provider: str) -> None:
    adapter = get_adapter(provider)
    form.set_provider(adapter, "US", {})
    to_path, from_path = adapter.schema.by_meaning("to"), adapter.schema.by_meaning("from")
    assert to_path and from_path
    top_level = [path for path in form.editor_paths() if "." not in path]
    assert top_level[:2] == [to_path.split(".")[0], from_path]
    to_editor, from_editor = form.editor(to_path), form.editor(from_path)
    assert to_editor is not None and from_editor is not None
    assert to_editor.font().pointSizeF() == pytest.approx(from_editor.font().pointSizeF() * TO_SCALE)


def test_jambonz_destination_shows_only_its_types_members(form: CallForm) -> None:
    form.set_provider(get_adapter("jambonz"), "US", {"to": {"type": "phone"}, "from": "+15005550006"})

    def shown() -> list[str]:
        row = form.row("to")
        assert row is not None
        assert isinstance(row.editor, HoldsRows)
        return [r.spec.name for r in row.editor.child_rows()
                if "." not in r.path.removeprefix("to.") and r.editor.isVisibleTo(form)]

    assert shown() == ["type", "number", "trunk", "auth"]
    form.set_field_value("to.type", "sip")
    assert shown() == ["type", "sipUri", "auth"]
    form.set_field_value("to.type", "teams")
    assert shown() == ["type", "number", "tenant", "vmail", "auth"]
    form.set_field_value("to.trunk", "carrier-a")  # a member with a value never hides: it would be sent
    form.set_field_value("to.type", "user")
    assert shown() == ["type", "name", "trunk", "overrideTo", "auth"]
