"""The shipped JSON Schemas and `evegame new`: editors validate what the engine accepts."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from evegame.authoring.schema import schema
from evegame.cli import main
from evegame.engine import Game, read_story
from helpers import MINI, ROOT, SHIPPED

STORY_FILES = sorted(p for p in SHIPPED.rglob("*.yaml") if not p.name.endswith(".play.yaml"))
PLAY_FILES = sorted(ROOT.joinpath("tests").rglob("*.play.yaml"))


def _validate(kind: str, path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    jsonschema.validate(data, schema(kind), cls=jsonschema.Draft7Validator)


@pytest.mark.parametrize("path", STORY_FILES + sorted(MINI.glob("*.yaml")), ids=lambda p: p.name)
def test_every_shipped_story_file_validates(path: Path) -> None:
    _validate("story", path)


@pytest.mark.parametrize("path", PLAY_FILES, ids=lambda p: p.name)
def test_every_shipped_playthrough_validates(path: Path) -> None:
    _validate("playthrough", path)


def test_shipped_story_files_carry_the_modeline() -> None:
    for path in STORY_FILES:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        target = (path.parent / first.split("$schema=", 1)[1].strip()).resolve()
        assert target.name == "story.schema.json" and target.is_file(), path


def test_schema_rejects_what_the_loader_rejects() -> None:
    bad = {"scenes": [{"id": "a", "text": "x", "choices": [{"text": "go", "goto": "b", "when": "x"}]}]}
    with pytest.raises(jsonschema.ValidationError, match="when"):
        jsonschema.validate(bad, schema("story"), cls=jsonschema.Draft7Validator)


def test_schemas_are_valid_draft7() -> None:
    for kind in ("story", "playthrough"):
        jsonschema.Draft7Validator.check_schema(schema(kind))


def test_schema_cli_prints_json(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["schema", "playthrough"]) == 0
    assert json.loads(capsys.readouterr().out)["title"].startswith("evegame playthrough")


def test_new_story_checks_clean_and_plays(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "night_train"
    assert main(["new", str(target), "--title", "The Night Train"]) == 0
    assert "evegame play --story" in capsys.readouterr().out
    assert main(["check", str(target), "--strict"]) == 0
    story = read_story(target)
    assert story.title == "The Night Train" and story.id == "the_night_train"
    game = Game(story)
    for choice in ("ask_porter", "pay", "board", "get_on"):
        game.choose(choice)
    assert game.ending == "train"
    for path in target.rglob("*.yaml"):
        _validate("playthrough" if path.name.endswith(".play.yaml") else "story", path)


def test_new_refuses_a_folder_with_files(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "keep.txt").write_text("mine")
    assert main(["new", str(tmp_path)]) == 1
    assert "not empty" in capsys.readouterr().err
    assert (tmp_path / "keep.txt").read_text() == "mine"


def test_the_playthrough_schema_knows_choices_count() -> None:
    ok = {"steps": [{"expect": {"choices_count": 0}}, {"expect": {"choices_count": {"min": 1, "max": 3}}}]}
    jsonschema.validate(ok, schema("playthrough"), cls=jsonschema.Draft7Validator)
    for bad in ({"choices_count": -1}, {"choices_count": {"least": 1}}, {"choices_include": 0}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({"steps": [{"expect": bad}]}, schema("playthrough"), cls=jsonschema.Draft7Validator)
