"""`evegame stats` and `evegame graph`: the figures and the map an author sees."""

from __future__ import annotations

import json
import re

from evegame.authoring import graph, stats
from evegame.cli import main
from evegame.engine import read_story
from helpers import MINI


def test_stats_counts_the_mini_story() -> None:
    figures = stats.compute(read_story(MINI))
    assert figures.scenes == 5
    assert figures.endings == 2
    assert figures.ending_scenes == 2
    assert figures.choices == 5
    assert figures.conditional_choices == 1
    assert figures.conditional_paragraphs == 1
    assert figures.codex_entries == 1
    assert figures.shortest is not None and figures.shortest.scenes == ["hall", "desk", "end_bad"]
    assert figures.longest is not None and figures.longest.scenes == ["hall", "desk", "room", "end_mercy"]


def test_word_count_counts_contractions_and_hyphens_once() -> None:
    assert (
        stats.count_words("You don't stop. A well-kept rule, {coins} coins.") == 8
    )  # the interpolated number is read too


def test_stats_cli_text_and_json(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["stats", str(MINI), "--by-file"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"scenes\s+5", out)
    assert "shortest route" in out and "scenes.yaml" in out
    assert main(["stats", str(MINI), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["scenes"] == 5 and data["longest"]["length"] == 3


def test_mermaid_map_has_every_scene_and_choice() -> None:
    story = read_story(MINI)
    text = graph.render(story, "mermaid")
    assert text.startswith("flowchart TD")
    for sid in story.scenes:
        assert f"s_{sid}" in text
    edges = [line for line in text.splitlines() if "-->" in line or "-.->" in line]
    assert len(edges) == sum(len(s.choices) for s in story.scenes.values())
    assert "START: The Hall (hall)" in text
    assert "[if coins >= 1 and not excommunicado]" in text  # conditions shown on edges
    assert 'subgraph file0["scenes.yaml"]' in text


def test_dot_map_clusters_files_and_flags_unreachable(write_story) -> None:  # type: ignore[no-untyped-def]
    root = write_story(
        {
            "story.yaml": "story: {title: T, start: a}\n",
            "one.yaml": "scenes:\n  - {id: a, text: A, choices: [{text: go, goto: b}]}\n  - {id: b, text: B, ending: won}\n",
            "two.yaml": "scenes:\n  - {id: lost, text: L, choices: [{text: back, goto: a}]}\n",
        }
    )
    from evegame.engine import load_story

    story = load_story(root, lenient=True).story
    assert story is not None
    text = graph.render(story, "dot")
    assert text.count("subgraph cluster_") == 2
    assert '"lost" [label="UNREACHABLE: lost", style=dashed]' in text
    assert '"a" -> "b" [label="go"]' in text


def test_graph_cli_writes_a_file(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "map.dot"
    assert main(["graph", str(MINI), "--format", "dot", "--out", str(out)]) == 0
    assert out.read_text().startswith('digraph "mini"')


def test_tools_refuse_a_broken_story_with_locations(write_story, capsys) -> None:  # type: ignore[no-untyped-def]
    root = write_story({"story.yaml": "story: {title: T, start: nowhere}\n"})
    assert main(["stats", str(root)]) == 1
    err = capsys.readouterr().err
    assert "story.yaml:1:" in err and "nowhere" in err


def test_played_routes_are_measured_by_seeded_random_games(capsys) -> None:  # type: ignore[no-untyped-def]
    def played(*options: str) -> dict | None:  # type: ignore[type-arg]
        assert main(["stats", str(MINI), "--format", "json", *options]) == 0
        return json.loads(capsys.readouterr().out)["played"]

    first = played("--games", "200", "--seed", "3")
    assert first is not None and first["games"] == 200 and first["unfinished"] == 0
    # every game ends at end_bad (3 scenes) or end_mercy (4); the hall's "Fight" loop makes longer ones possible
    assert first["shortest"] == 3 and first["longest"] >= 4
    assert played("--games", "200", "--seed", "3") == first  # reproducible from the seed
    assert played("--games", "0") is None
