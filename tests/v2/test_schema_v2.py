"""The JSON Schema states what the loader accepts: the same keys, and the ending/choices rule."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from evegame.authoring.storyschema import story_schema
from evegame.engine import loader

DEFS = story_schema()["definitions"]


@pytest.mark.parametrize(
    ("definition", "keys"),
    [
        (DEFS["scene"], loader.SCENE_KEYS),
        (DEFS["choice"], loader.CHOICE_KEYS),
        (DEFS["paragraph"]["oneOf"][1], loader.PARAGRAPH_KEYS),
        (DEFS["codex_entry"], loader.CODEX_KEYS),
        (DEFS["manifest"], loader.MANIFEST_KEYS),
        (DEFS["manifest"]["properties"]["status"]["items"], loader.STATUS_KEYS),
        (DEFS["manifest"]["properties"]["achievements"]["items"], loader.ACHIEVEMENT_KEYS),
    ],
    ids=["scene", "choice", "paragraph", "codex", "manifest", "status", "achievement"],
)
def test_schema_keys_are_the_loaders_keys(definition: dict[str, Any], keys: set[str]) -> None:
    assert set(definition["properties"]) == set(keys)


def _valid(doc: dict[str, Any]) -> bool:
    return jsonschema.Draft7Validator(story_schema()).is_valid(doc)


def test_schema_says_an_ending_has_no_choices_and_any_other_scene_needs_them() -> None:
    # Seen: the schema did not state "an ending has no choices, any other scene needs choices".
    go = [{"text": "Go", "goto": "b"}]
    assert _valid({"scenes": [{"id": "a", "text": "x", "choices": go}, {"id": "b", "text": "y", "ending": "e"}]})
    assert not _valid({"scenes": [{"id": "b", "text": "y", "ending": "e", "choices": go}]})
    assert not _valid({"scenes": [{"id": "a", "text": "x"}]})
    assert not _valid({"scenes": [{"id": "a", "text": "x", "choices": []}]})


def test_paragraph_else_is_in_the_schema() -> None:
    para = {"if": "lamp", "text": "Lit.", "else": "Dark."}
    assert _valid({"scenes": [{"id": "b", "text": [para], "ending": "e"}]})
