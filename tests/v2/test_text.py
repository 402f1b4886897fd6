"""Story format v2, text: {var} everywhere a player reads, paragraph `else`, inline {if COND: a|b}, {{ }} literal."""

from __future__ import annotations

from pathlib import Path

from evegame.engine import Game, load_story
from evegame.session.labels import codex_markdown

MANIFEST = """\
story:
  title: T
  start: a
  variables:
    coins: 3
    name: eve
    lamp: false
  status:
    - {var: coins, label: "Coins of {name}"}
  endings:
    done: "The end of {name}"
"""
SCENES = """\
scenes:
  - id: a
    title: "{name} at the door"
    text:
      - "You have {coins} coins. {{not a name}}"
      - {if: lamp, text: The lamp is lit., else: "It is dark, {name}."}
      - "{if coins > 2: Rich {name}|Poor {name}}, {if lamp: lit}."
    choices:
      - text: "Spend {coins} coins"
        effects:
          add: {coins: -3}
          set: {lamp: true}
          unlock: [note]
        goto: b
  - id: b
    text: "{if coins > 2: Rich|Poor}. {if lamp: The lamp is lit.|Dark.}"
    ending: done
codex:
  - id: note
    title: "A note for {name}"
    text: "It says {coins}."
"""


def test_every_text_a_player_reads_is_filled_in(write_story) -> None:
    game = Game.load(write_story({"scenes.yaml": SCENES}, MANIFEST))
    view = game.scene
    assert view.title == "eve at the door"
    assert view.text.split("\n\n") == ["You have 3 coins. {not a name}", "It is dark, eve.", "Rich eve, ."]
    assert [c.text for c in game.choices] == ["Spend 3 coins"]
    assert game.status() == [("Coins of eve", "3")]
    game.choose("Spend 3 coins")  # the text as shown chooses it
    assert game.scene.text == "Poor. The lamp is lit."
    assert game.scene.ending_title == "The end of eve"
    assert "### A note for eve" in codex_markdown(game, set()) and "It says 0." in codex_markdown(game, set())


def _errors(root: Path) -> list[tuple[int, int, str]]:
    return [(p.line, p.col, p.message) for p in load_story(root).errors]


def test_an_undeclared_name_in_a_choice_text_is_an_error_at_its_place(write_story) -> None:
    # Seen: `{nosuch}` in a choice text passed check and reached the player with its braces.
    root = write_story({"scenes.yaml": SCENES.replace("Spend {coins} coins", "Spend {coinz} coins")}, MANIFEST)
    assert _errors(root) == [
        (
            9,
            22,
            "text uses undeclared variable {coinz} (did you mean 'coins'?) (write {{ for a literal brace)",
        )
    ]


def test_undeclared_names_in_titles_codex_endings_and_labels_are_errors(write_story) -> None:
    manifest = MANIFEST.replace("Coins of {name}", "Coins of {nome}").replace("The end of {name}", "End {x}")
    scenes = SCENES.replace('title: "{name} at the door"', 'title: "{who} at the door"').replace(
        "It says {coins}.", "It says {coin}."
    )
    root = write_story({"scenes.yaml": scenes}, manifest)
    found = sorted((Path(p.path).name, p.line, p.message.split(" (")[0]) for p in load_story(root).errors)
    assert found == [
        ("scenes.yaml", 3, "text uses undeclared variable {who}"),
        ("scenes.yaml", 21, "text uses undeclared variable {coin}"),
        ("story.yaml", 9, "text uses undeclared variable {nome}"),
        ("story.yaml", 11, "text uses undeclared variable {x}"),
    ]


def test_a_bad_inline_condition_is_located_inside_the_text(write_story) -> None:
    root = write_story(
        {"scenes.yaml": SCENES.replace("{if coins > 2: Rich|Poor}", "{if coins >> 2: Rich|Poor}")}, MANIFEST
    )
    ((line, col, message),) = _errors(root)
    assert line == 16 and col > 11 and "bad condition 'coins >> 2'" in message


def test_else_needs_if(write_story) -> None:
    root = write_story(
        {"scenes.yaml": SCENES.replace("{if: lamp, text: The lamp is lit., else:", "{text: The lamp is lit., else:")},
        MANIFEST,
    )
    ((line, _, message),) = _errors(root)
    assert line == 6 and "'else' needs an 'if'" in message


def test_an_unclosed_brace_is_an_error(write_story) -> None:
    root = write_story({"scenes.yaml": SCENES.replace("{{not a name}}", "{not a name")}, MANIFEST)
    ((line, _, message),) = _errors(root)
    assert line == 5 and "unclosed '{'" in message


def test_apostrophes_in_an_inline_alternative_are_prose(write_story) -> None:
    # An apostrophe in the shown text ("you're") once opened a quoted string, hid the '|',
    # and the player read both parts joined by the bar.
    scenes = SCENES.replace(
        '"{if coins > 2: Rich {name}|Poor {name}}, {if lamp: lit}."',
        "\"{if name == 'x' or lamp: You're lit|You're in the dark, aren't you}. {if coins > 2: Don't|Do}.\"",
    )
    game = Game.load(write_story({"scenes.yaml": scenes}, MANIFEST))
    assert game.scene.text.split("\n\n")[2] == "You're in the dark, aren't you. Don't."
