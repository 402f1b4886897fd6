"""Text coverage: conditional paragraphs, codex entries and achievements, in both explorers;
the reasons text never shows; hit counts; the agency analysis; the HTML report."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

from evegame.engine import Game, read_story
from evegame.testing.agency import analyse
from evegame.testing.exhaustive import explore_exhaustive
from evegame.testing.randomwalk import explore_random
from helpers import MINI, ROOT

TEXTCOV = ROOT / "tests" / "stories" / "textcov"


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "evegame", *args], capture_output=True, text=True, timeout=120, env=env, cwd=cwd
    )


def labels(report, shown: list[bool]) -> set[str]:
    return {item.label for item, s in zip(report.catalogue.items, shown, strict=True) if s}


# --- what is shown -----------------------------------------------------------------------------


def test_exhaustive_names_each_paragraph_no_state_shows_with_where_and_why() -> None:
    report = explore_exhaustive(read_story(TEXTCOV))
    cat, text = report.catalogue, report.text
    assert cat is not None and text is not None
    never = {cat.items[k].label: (cat.items[k].where(), why) for k, why in text.reasons.items()}
    assert set(never) == {"gate ¶2", "yard ¶3", "yard ¶4", "hall ¶4 {if 'director' in owes:}", "achievement owed"}
    assert never["gate ¶2"] == ("tests/stories/textcov/scenes.yaml:5", "wounds is only 0 here")
    assert never["yard ¶3"][1] == "no effect ever puts 'director' in owes"
    assert "never all together" in never["yard ¶4"][1]
    shown = cat.shown(report.scenes_reached, report.choices_taken, text.shown)
    assert labels(report, shown) == {
        "yard ¶2",
        "hall ¶1",
        "hall ¶3",
        "hall ¶3 else",  # paragraph else
        "hall ¶4 {if wounds >= 1:}",  # both branches of an inline alternative
        "hall ¶4 {if wounds >= 1:|}",
        "hall:choice_1 {if wounds >= 1:}",  # in a choice's text
        "achievement unhurt",
        "codex gate_note",
    }


def test_random_and_exhaustive_agree_on_what_is_shown() -> None:
    story = read_story(TEXTCOV)
    r = explore_random(story, 300, seed=3)
    e = explore_exhaustive(story)
    random_shown = r.catalogue.shown(
        [h > 0 for h in r.scene_hits], [h > 0 for h in r.choice_hits], [h > 0 for h in r.text_hits]
    )
    assert e.text is not None
    exhaustive_shown = e.catalogue.shown(e.scenes_reached, e.choices_taken, e.text.shown)
    assert random_shown == exhaustive_shown


def test_a_paragraph_only_a_rare_route_shows_is_found_by_the_exhaustive_search() -> None:
    """Text the random pass misses is decided on the search's states, not reported unreachable."""
    story = read_story(TEXTCOV)
    e = explore_exhaustive(story)
    assert e.text is not None and e.catalogue is not None
    k = next(k for k, item in enumerate(e.catalogue.items) if item.label == "hall ¶1")
    assert e.text.shown[k] and k not in e.text.reasons


# --- hit counts -------------------------------------------------------------------------------------


def reference_hits(story, games: int, seed: int) -> dict[str, int]:
    """Times each conditional paragraph is shown, through the Game API, drawn as explore_random draws."""
    hits: dict[str, int] = {}
    for game_no in range(games):
        rand = random.Random(seed + game_no).random
        game = Game(story, record_undo=False)
        while True:
            scene = game.current
            for n, p in enumerate(scene.paragraphs):
                if p.condition is not None and p.condition(game.variables, game.visits):
                    hits[f"{scene.id} ¶{n + 1}"] = hits.get(f"{scene.id} ¶{n + 1}", 0) + 1
            if game.is_over:
                break
            available = game.available()
            game.step(available[int(rand() * len(available))])
    return hits


def test_paragraph_hit_counts_match_the_games_played_through_the_engine() -> None:
    for path in (TEXTCOV, MINI):
        story = read_story(path)
        report = explore_random(story, 200, seed=11)
        counted = {
            i.label: n
            for i, n in zip(report.catalogue.items, report.text_hits, strict=True)
            if n and i.kind == "paragraph"
        }
        assert counted == reference_hits(story, 200, 11)


def test_hits_in_text_and_json() -> None:
    text = run("explore", str(MINI), "--random", "50", "--seed", "2", "--hits")
    assert text.returncode == 0
    assert "hits in 50 game(s)" in text.stdout
    hall = [line.split() for line in text.stdout.splitlines() if line.split()[-1:] == ["hall"]]
    assert len(hall) == 1 and int(hall[0][0]) >= 50  # every game starts in the hall (Fight comes back to it)
    done = run("explore", str(MINI), "--random", "50", "--seed", "2", "--format", "json")
    payload = json.loads(done.stdout)
    assert payload["hits"]["scenes"]["hall"] >= 50
    hurt = next(t for t in payload["hits"]["text"] if t["label"] == "hall ¶2")
    assert hurt["condition"] == "wounds > 0" and hurt["where"].endswith("mini/scenes.yaml:6") and hurt["hits"] > 0
    assert payload["coverage"]["paragraphs"] == {"covered": 1, "total": 1, "percent": 100.0, "missed": []}


def test_min_text_coverage_fails_the_run_and_min_coverage_ignores_text() -> None:
    scenes_only = run("explore", str(TEXTCOV), "--exhaustive", "--min-coverage", "100")
    assert scenes_only.returncode == 0, scenes_only.stdout
    assert "text never shown: 5 item(s)" in scenes_only.stdout
    text = run("explore", str(TEXTCOV), "--exhaustive", "--min-text-coverage", "100", "--format", "json")
    payload = json.loads(text.stdout)
    assert text.returncode == 1 and not payload["ok"]
    assert any("--min-text-coverage" in f for f in payload["failures"])
    never = {i["label"]: i for i in payload["text_never_shown"]}
    assert never["yard ¶3"]["where"] == "tests/stories/textcov/scenes.yaml:30"
    assert never["yard ¶3"]["reason"] == "no effect ever puts 'director' in owes"


# --- agency ------------------------------------------------------------------------------------------


def test_agency_figures_of_a_small_story() -> None:
    a = analyse(read_story(TEXTCOV), games=100)
    assert a.choices == 7
    assert sorted(a.indistinguishable) == ["gate:nod = gate:wave", "gate:wave = gate:nod"]
    assert a.unread_effects == ["yard:rest: bold"]
    assert a.set_never_read == ["bold"]
    assert a.sets_state == 3  # learn, fight, rest
    assert a.change_next == 2  # learn and fight set state read later; every other choice has a sibling going its way
    assert [(e.ending, e.share) for e in a.endings] == [("done", 100.0)]
    assert a.endings[0].median_words is not None and a.endings[0].median_words > 0


def test_stats_agency_text_and_json() -> None:
    text = run("stats", "--agency", str(TEXTCOV), "--games", "50")
    assert text.returncode == 0
    assert "indistinguishable             2 (28.6%)" in text.stdout
    assert "scenes whose every choice leads to the same place unchanged: 0" in text.stdout
    done = run("stats", "--agency", str(TEXTCOV), "--games", "50", "--format", "json")
    payload = json.loads(done.stdout)
    assert payload["set_never_read"] == ["bold"] and payload["indistinguishable_percent"] == 28.6


# --- the HTML report ------------------------------------------------------------------------------------


class Page(HTMLParser):
    """Tags, attributes and text of a page, for checks."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_the_html_report_is_one_self_contained_page_with_everything(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    done = run("explore", "tests/stories/textcov", "--exhaustive", "--report", str(out))
    assert done.returncode == 0, done.stderr
    page = Page()
    page.feed(out.read_text(encoding="utf-8"))
    tags = [t for t, _ in page.tags]
    text = " ".join(page.text)
    assert "script" not in tags and "link" not in tags and "img" not in tags  # nothing fetched, nothing run
    assert all(
        not (v or "").startswith(("http:", "https:", "//"))
        for _, attrs in page.tags
        for k, v in attrs.items()
        if k in ("src", "href")
    )
    assert tags.count("svg") == 1 and tags.count("rect") == 4  # the map: one box per scene
    assert {"map", "coverage", "never-shown", "hits", "agency"} <= {a.get("id") for _, a in page.tags}
    assert "tests/stories/textcov/scenes.yaml:30" in text and "no effect ever puts 'director' in owes" in text
    assert "paragraphs" in text and "achievements" in text and "codex" in text
    assert "gate:nod = gate:wave" in text  # agency
    assert "Endings in 2,000 uniform random games (seed 0)" in text


def test_the_html_report_of_random_games_has_hit_counts(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    done = run("explore", str(MINI), "--random", "40", "--report", str(out))
    assert done.returncode == 0
    page = Page()
    page.feed(out.read_text(encoding="utf-8"))
    text = " ".join(page.text)
    assert "Times reached in 40 games" in text and "wounds > 0" in text
    titles = [t for t in page.text if t.startswith("hall: The Hall; ")]
    assert titles and int(titles[0].split("; ")[1].replace(",", "")) >= 40  # the map's shading


def test_agency_follows_chance_and_conditional_branches_and_calls(tmp_path: Path) -> None:
    # A branching goto has no single destination: the analysis follows every branch (it raised KeyError)
    (tmp_path / "story.yaml").write_text(
        "story:\n  title: Branches\n  start: a\n  variables: {luck: 0, bag: []}\n", encoding="utf-8"
    )
    (tmp_path / "scenes.yaml").write_text(
        """\
scenes:
  - id: a
    text: Start.
    choices:
      - id: roll
        text: Roll
        effects: {add: {luck: 1}}
        goto:
          - {chance: 50, scene: b}
          - {chance: 50, scene: c}
      - id: pocket
        text: Pocket a stone
        effects: {give: [stone], into: bag}
        call: d
        goto: c
  - id: d
    text: A side room.
    choices:
      - {id: back, text: Back, return: true}
  - id: b
    text: "{if luck >= 1: Lucky.|Not lucky.}"
    ending: won
  - id: c
    text: Elsewhere.
    choices:
      - id: look
        text: Look
        goto:
          - {if: "'stone' in bag", scene: b}
          - {scene: e}
  - id: e
    text: End.
    ending: lost
""",
        encoding="utf-8",
    )
    a = analyse(read_story(tmp_path), games=20)
    assert a.choices == 4
    assert a.unread_effects == []  # luck is read in b (a chance branch); the stone in c's branch condition
    assert a.indistinguishable == []
    assert a.change_next == 2  # roll and pocket set state read later (look and back have no sibling)
