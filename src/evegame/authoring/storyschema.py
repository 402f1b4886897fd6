"""The JSON Schema of story files, built from the engine's definitions.

The effect block and the condition language come from the engine's tables
(``engine.effects.EFFECTS``, ``engine.operators``), so the schema cannot drift from
what the loader accepts. The shipped ``schemas/story.schema.json`` is this
function's output (a test checks the file on disk); after changing the format, run
``python -m evegame.authoring.storyschema`` to write it again.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..engine.effects import block_schema
from ..engine.operators import summary

SHIPPED = Path(__file__).resolve().parent.parent / "schemas" / "story.schema.json"


def story_schema() -> dict[str, Any]:
    """The schema of one story file (manifest, scenes, codex), as a JSON-ready dict."""
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://evegame.invalid/schemas/story.schema.json",
        "title": "evegame story file",
        "description": "A file of an evegame story folder: the manifest (story:), scenes (scenes:) and codex "
        "entries (codex:).",
        "type": "object",
        "additionalProperties": False,
        "minProperties": 1,
        "properties": {
            "story": {"$ref": "#/definitions/manifest"},
            "scenes": {"type": ["array", "null"], "items": {"$ref": "#/definitions/scene"}},
            "codex": {"type": ["array", "null"], "items": {"$ref": "#/definitions/codex_entry"}},
        },
        "definitions": {
            "condition": {"type": "string", "minLength": 1, "description": summary()},
            "effect_block": block_schema(),
            "effects": {
                "oneOf": [
                    {"$ref": "#/definitions/effect_block"},
                    {"type": "array", "items": {"$ref": "#/definitions/effect_block"}},
                ]
            },
            "paragraph": {
                "oneOf": [
                    {"type": "string"},
                    {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["text"],
                        "properties": {
                            "if": {"$ref": "#/definitions/condition"},
                            "text": {"type": "string", "description": "Shown while the condition holds."},
                            "else": {"type": "string", "description": "Shown instead while it does not."},
                        },
                    },
                ]
            },
            "branch": {
                "type": "object",
                "additionalProperties": False,
                "required": ["scene"],
                "properties": {
                    "scene": {"type": "string", "pattern": "^[a-z0-9_]+$"},
                    "if": {
                        "$ref": "#/definitions/condition",
                        "description": "The first branch whose if holds is taken.",
                    },
                    "chance": {
                        "type": "integer",
                        "minimum": 1,
                        "maximum": 100,
                        "description": "Percent; the chances of one list add up to 100 (no 'if' with chances).",
                    },
                },
            },
            "choice": {
                "type": "object",
                "additionalProperties": False,
                "required": ["text"],
                "description": "Leads on by 'goto', by 'call' (with 'goto' to return to) or by 'return: true'.",
                "oneOf": [{"required": ["goto"]}, {"required": ["return"], "not": {"required": ["goto"]}}],
                "properties": {
                    "id": {
                        "type": "string",
                        "pattern": "^[a-z0-9_]+$",
                        "description": "Optional; unique within the scene; playthroughs may choose by it.",
                    },
                    "text": {"type": "string", "minLength": 1, "description": "What the player reads."},
                    "goto": {
                        "description": "The scene this choice leads to (any file of the story), or a list of "
                        "branches: by condition (first true wins; the last has no if) or by chance.",
                        "oneOf": [
                            {"type": "string", "pattern": "^[a-z0-9_]+$"},
                            {"type": "array", "minItems": 1, "items": {"$ref": "#/definitions/branch"}},
                        ],
                    },
                    "if": {"$ref": "#/definitions/condition", "description": "Shown only when this condition holds."},
                    "effects": {"$ref": "#/definitions/effects"},
                    "once": {"type": "boolean", "description": "Not offered again once taken."},
                    "requires": {
                        "$ref": "#/definitions/condition",
                        "description": "While false, the choice is shown greyed and cannot be taken.",
                    },
                    "locked": {"type": "string", "description": "The reason shown while 'requires' is false."},
                    "flavour": {"type": "boolean", "description": "Colour the author means as such (agency analysis)."},
                    "call": {
                        "type": "string",
                        "pattern": "^[a-z0-9_]+$",
                        "description": "Go to this scene; a later 'return: true' comes back to this choice's goto.",
                    },
                    "return": {
                        "type": "boolean",
                        "const": True,
                        "description": "Go back to the goto of the innermost call (at most 16 calls open).",
                    },
                },
            },
            "scene": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "text"],
                "description": "An ending scene has no choices; any other scene needs at least one.",
                "if": {"required": ["ending"]},
                "then": {"properties": {"choices": {"maxItems": 0}}},
                "else": {"required": ["choices"], "properties": {"choices": {"minItems": 1}}},
                "properties": {
                    "id": {
                        "type": "string",
                        "pattern": "^[a-z0-9_]+$",
                        "description": "Unique across the whole story.",
                    },
                    "title": {"type": "string"},
                    "text": {
                        "description": "Markdown; {var} interpolates a variable, {if COND: a|b} picks a part, "
                        "{{ and }} are literal braces. A string or a list of paragraphs.",
                        "oneOf": [{"type": "string"}, {"type": "array", "items": {"$ref": "#/definitions/paragraph"}}],
                    },
                    "on_enter": {
                        "$ref": "#/definitions/effects",
                        "description": "Effects applied each time the scene is entered.",
                    },
                    "choices": {"type": "array", "items": {"$ref": "#/definitions/choice"}},
                    "ending": {
                        "type": "string",
                        "pattern": "^[a-z0-9_]+$",
                        "description": "Marks an ending scene (no choices); the value names the ending.",
                    },
                },
            },
            "codex_entry": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "title", "text"],
                "properties": {
                    "id": {"type": "string", "pattern": "^[a-z0-9_]+$"},
                    "title": {"type": "string"},
                    "text": {"type": "string"},
                    "category": {"type": "string"},
                    "unlocked_by": {
                        "type": "string",
                        "pattern": "^[a-z0-9_]+$",
                        "description": "Scene id: the entry unlocks on the first visit.",
                    },
                },
            },
            "manifest": {
                "type": "object",
                "additionalProperties": False,
                "required": ["title", "start"],
                "properties": {
                    "id": {
                        "type": "string",
                        "pattern": "^[a-z0-9_]+$",
                        "description": "Story id (saves and the endings gallery use it); default: from the title.",
                    },
                    "title": {"type": "string"},
                    "start": {"type": "string", "pattern": "^[a-z0-9_]+$", "description": "The first scene's id."},
                    "author": {"type": "string"},
                    "version": {"type": ["string", "number"]},
                    "description": {"type": "string"},
                    "variables": {
                        "type": "object",
                        "description": "Every variable with its starting "
                        "value: a number, true/false, a "
                        "string or a list of strings.",
                        "propertyNames": {"pattern": "^[a-z_][a-z0-9_]*$"},
                        "additionalProperties": {
                            "oneOf": [
                                {"type": "integer"},
                                {
                                    "type": "object",
                                    "description": "A bounded number: add and set keep it between min and max.",
                                    "additionalProperties": False,
                                    "required": ["value"],
                                    "properties": {
                                        "value": {"type": "integer"},
                                        "min": {"type": "integer"},
                                        "max": {"type": "integer"},
                                    },
                                },
                                {"type": "boolean"},
                                {"type": "string"},
                                {"type": "array", "items": {"type": "string"}},
                            ]
                        },
                    },
                    "inventory": {
                        "type": "string",
                        "description": "The list variable give/take use without into:/from: (default: items).",
                    },
                    "status": {
                        "type": "array",
                        "description": "What the sidebar shows.",
                        "items": {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["var"],
                            "properties": {
                                "var": {"type": "string"},
                                "label": {"type": "string"},
                                "if": {"$ref": "#/definitions/condition"},
                            },
                        },
                    },
                    "endings": {
                        "type": "object",
                        "description": "Ending name → title shown to the player.",
                        "additionalProperties": {"type": "string"},
                    },
                    "labels": {
                        "type": "object",
                        "description": "A word that lists or text variables hold → the name the player reads "
                        "(in the sidebar, in {var} interpolation and in what a choice changed), e.g. ox: the Ox.",
                        "additionalProperties": {"type": "string", "minLength": 1},
                    },
                    "achievements": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["id", "title"],
                            "properties": {
                                "id": {"type": "string", "pattern": "^[a-z0-9_]+$"},
                                "title": {"type": "string"},
                                "description": {"type": "string"},
                                "if": {"$ref": "#/definitions/condition"},
                            },
                        },
                    },
                },
            },
        },
    }


def story_schema_text() -> str:
    return json.dumps(story_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    SHIPPED.write_text(story_schema_text(), encoding="utf-8")
    print(f"wrote {SHIPPED}")
