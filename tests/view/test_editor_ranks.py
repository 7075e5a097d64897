"""Which editor a field gets, decided without Qt."""

from __future__ import annotations

import pytest

from launcher.core.schema import FieldKind, FieldSpec
from launcher.view.editor_ranks import (
    KIND,
    REFINED,
    is_choice_list,
    is_long_text,
    is_required_bool,
    is_secret,
    kind_is,
)


def test_kind_tester_ranks_only_its_kinds() -> None:
    tester = kind_is(FieldKind.INT, FieldKind.NUMBER)
    assert [tester(FieldSpec("n", "N", kind)) for kind in (FieldKind.INT, FieldKind.NUMBER, FieldKind.TEXT)] == [
        KIND, KIND, 0]
    assert kind_is(FieldKind.TEXT, rank=3)(FieldSpec("t", "T", FieldKind.TEXT)) == 3


@pytest.mark.parametrize(("spec", "rank"), [
    (FieldSpec("Twiml", "TwiML", FieldKind.TEXT), REFINED),
    (FieldSpec("body", "Application JSON", FieldKind.TEXT), REFINED),
    (FieldSpec("note", "Note", FieldKind.TEXT, max_length=1000), REFINED),
    (FieldSpec("note", "Note", FieldKind.TEXT, max_length=999), 0),
    (FieldSpec("xml", "XML", FieldKind.TEXT, secret=True), 0),
    (FieldSpec("xml", "XML", FieldKind.TEXT, pattern=r"\d+"), 0),
    (FieldSpec("xml", "XML", FieldKind.URL), 0),
])
def test_long_text(spec: FieldSpec, rank: int) -> None:
    assert is_long_text(spec) == rank


def test_refinements() -> None:
    assert is_secret(FieldSpec("token", "Token", FieldKind.TEXT, secret=True)) == REFINED
    assert is_secret(FieldSpec("token", "Token", FieldKind.TEXT)) == 0
    assert is_required_bool(FieldSpec("record", "Record", FieldKind.BOOL, required=True)) == REFINED
    assert is_required_bool(FieldSpec("record", "Record", FieldKind.BOOL)) == 0
    assert is_choice_list(FieldSpec("events", "Events", FieldKind.LIST, choices=("a", "b"))) == REFINED
    assert is_choice_list(FieldSpec("events", "Events", FieldKind.LIST)) == 0
