"""The manifest's ``labels``: display names for the words lists and text variables hold."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from evegame.engine import Game, load_story
from evegame.session import outcome_messages
from helpers import MINI

LABELS = "  labels:\n    winston: Winston Scott\n    ticket: train ticket\n"


def mini_with(tmp_path: Path, manifest_tail: str) -> Path:
    """The MINI story with ``manifest_tail`` (indented lines) added to its manifest."""
    root = tmp_path / "mini"
    shutil.copytree(MINI, root)
    manifest = root / "story.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("  endings:\n", manifest_tail + "  endings:\n"), encoding="utf-8")
    return root


def errors(root: Path) -> list[tuple[str, int, int, str]]:
    return [(Path(p.path).name, p.line, p.col, p.message) for p in load_story(root).errors]


def test_the_player_reads_names_in_the_sidebar_the_text_and_the_changes(tmp_path: Path) -> None:
    result = load_story(mini_with(tmp_path, LABELS))
    assert result.problems == [] and result.story is not None
    game = Game(result.story)
    game.choose("to_desk")
    assert "You carry train ticket." in game.scene.text  # {items} interpolated with its label
    outcome = game.choose("pay")
    assert "Markers: + Winston Scott" in outcome_messages(game, outcome)
    assert ("Markers", "Winston Scott") in game.status()


def test_a_word_without_a_label_reads_with_spaces(tmp_path: Path) -> None:
    root = mini_with(tmp_path, "  labels:\n    ticket: train ticket\n")
    (root / "scenes.yaml").write_text(
        (root / "scenes.yaml").read_text(encoding="utf-8").replace("give: [winston]", "give: [old_friend]"),
        encoding="utf-8",
    )
    result = load_story(root)
    assert result.story is not None
    game = Game(result.story)
    game.choose("to_desk")
    game.choose("pay")
    assert ("Markers", "old friend") in game.status()


def test_a_label_can_name_a_value_of_a_text_variable(tmp_path: Path) -> None:
    root = mini_with(tmp_path, "  labels:\n    calm: calm, for now\n")
    manifest = root / "story.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8")
        .replace("    markers: []\n", "    markers: []\n    mood: calm\n")
        .replace("  status:\n", "  status:\n    - {var: mood, label: Mood}\n"),
        encoding="utf-8",
    )
    result = load_story(root)
    assert result.problems == [] and result.story is not None
    assert ("Mood", "calm, for now") in Game(result.story).status()


def test_a_label_for_a_word_nothing_holds_is_a_located_error_with_a_suggestion(tmp_path: Path) -> None:
    root = mini_with(tmp_path, "  labels:\n    winstn: Winston Scott\n")
    assert errors(root) == [
        (
            "story.yaml",
            14,
            5,
            "a label for 'winstn', but no list or text variable ever holds 'winstn' (did you mean 'winston'?)",
        )
    ]


@pytest.mark.parametrize(
    ("tail", "line", "message"),
    [
        (
            "  labels: [winston]\n",
            13,
            "'labels' must map words to display names, e.g. labels: {ox: the Ox}, not a list",
        ),
        ("  labels:\n    winston: 3\n", 14, "the label of 'winston' must be a string, not a number 3"),
        ("  labels:\n    winston: ''\n", 14, "the label of 'winston' is empty: write the name to show"),
        ("  labels:\n    winston: yes\n", 14, "the label of 'winston' must be a string, but the unquoted 'yes'"),
        ("  labels:\n    7: Seven\n", 14, "a label names a word a variable holds, not a number 7: quote it: '7'"),
    ],
)
def test_labels_of_the_wrong_type_are_located_errors(tmp_path: Path, tail: str, line: int, message: str) -> None:
    found = errors(mini_with(tmp_path, tail))
    assert len(found) == 1, found
    name, at, _, text = found[0]
    assert (name, at) == ("story.yaml", line) and text.startswith(message), text


def test_labels_survive_the_story_cache(tmp_path: Path) -> None:
    root = mini_with(tmp_path, LABELS)
    cache = tmp_path / "cache"
    fresh = load_story(root, cache_dir=cache).story
    cached = load_story(root, cache_dir=cache).story
    assert fresh is not None and cached is not None
    assert cached.labels == fresh.labels == {"winston": "Winston Scott", "ticket": "train ticket"}
    assert type(cached.scenes).__name__ == "LazyScenes"  # really served by the cache
