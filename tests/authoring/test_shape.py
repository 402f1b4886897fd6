"""`evegame stats --shape`: the words a player reads, per route, per part and from a scene to the end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evegame.authoring import shape
from evegame.cli import main
from evegame.engine import read_story

FILES = {
    "one/intro.yaml": """\
        scenes:
          - id: a
            text: One two three four five six.
            choices:
              - {text: Long way, goto: b}
              - {text: Short way, goto: c}
        """,
    "two/rest.yaml": """\
        scenes:
          - id: b
            text: Four words here now.
            choices: [{text: Onward, goto: end}]
          - id: c
            text: "{coins} words."
            choices: [{text: Onward, goto: end}]
          - id: end
            text: The end.
            ending: done
        """,
}
MANIFEST = "story: {title: Shape, start: a, variables: {coins: 3}}\n"


@pytest.fixture
def story_dir(write_story) -> Path:  # type: ignore[no-untyped-def]
    return write_story(FILES, MANIFEST)


def test_routes_parts_and_the_climax_are_measured_as_read(story_dir: Path) -> None:
    measured = shape.measure(read_story(story_dir), games=200, seed=3, from_scenes=["b"])
    assert measured.ended == 200
    # a (6) + b (4) + end (2) = 12, or a (6) + c (2, the number read as a word) + end (2) = 10
    assert {measured.route_words.low, measured.route_words.high} == {10, 12}
    assert set(measured.part_share) == {"one", "two"}  # the top-level folders
    assert 50.0 <= measured.part_share["one"] <= 60.0
    assert measured.part_words["one"] == 6
    b = measured.from_scenes["b"]
    assert 0 < b.count < 200 and b.median == b.low == b.high == 6  # b (4) + end (2), on the games that went there
    assert measured.scene_words == {"a": 6, "b": 4, "c": 2, "end": 2}


def test_the_same_seed_measures_the_same(story_dir: Path) -> None:
    story = read_story(story_dir)
    first = shape.measure(story, games=50, seed=9, from_scenes=["c"]).to_dict()
    assert shape.measure(story, games=50, seed=9, from_scenes=["c"]).to_dict() == first


def test_cli_text_json_and_an_unknown_scene(story_dir: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["stats", str(story_dir), "--shape", "--games", "40", "--from", "b"]) == 0
    out = capsys.readouterr().out
    assert "words read on a route" in out and "one" in out and "from b to the end" in out
    assert main(["stats", str(story_dir), "--from", "c", "--games", "40", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ended"] == 40 and set(data["parts"]) == {"one", "two"} and data["from"]["c"]["max"] == 4
    assert main(["stats", str(story_dir), "--from", "nowhere"]) == 2
    assert "no scene named 'nowhere'" in capsys.readouterr().err
