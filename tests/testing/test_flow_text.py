"""Text coverage of stories using story format v2's flow (goto by chance or condition, call/return,
once, requires, bounded numbers, set expressions): both explorers count every paragraph, else,
inline alternative, codex entry and achievement, and exhaustive exploration says why the rest
never shows."""

from __future__ import annotations

from evegame.engine import read_story
from evegame.testing.agency import analyse, format_text
from evegame.testing.exhaustive import explore_exhaustive
from evegame.testing.randomwalk import explore_random
from helpers import ROOT

V2FLOW = ROOT / "tests" / "stories" / "v2flow"
NEVER = {
    "bridge ¶3": ("tests/stories/v2flow/scenes.yaml:8", "coins is only 2–4 here"),
    "lost ¶2": ("tests/stories/v2flow/scenes.yaml:73", "luck is only 3 here"),
    "won ¶1 {if luck >= 3:|}": ("tests/stories/v2flow/scenes.yaml:63", "luck is only 3 here"),
    "achievement rich": ("tests/stories/v2flow/story.yaml:18", "coins is only 0–4 here"),
}


def test_exhaustive_names_the_text_of_a_flow_story_no_state_shows() -> None:
    report = explore_exhaustive(read_story(V2FLOW))
    cat, text = report.catalogue, report.text
    assert cat is not None and text is not None and not report.bound_hit
    never = {cat.items[k].label: (cat.items[k].where(), why) for k, why in text.reasons.items()}
    assert set(never) == set(NEVER)
    assert never["lost ¶2"] == NEVER["lost ¶2"]  # a bounded number never goes below its min
    assert never["won ¶1 {if luck >= 3:|}"] == NEVER["won ¶1 {if luck >= 3:|}"]  # the dice always leave luck at 3
    shown = cat.shown(report.scenes_reached, report.choices_taken, text.shown)
    missed = {item.label for item, s in zip(cat.items, shown, strict=True) if not s}
    assert missed == set(NEVER) | {"codex never_note"}
    kinds = {item.kind for item, s in zip(cat.items, shown, strict=True) if s}
    assert kinds == {"paragraph", "else", "inline", "codex", "achievement"}
    assert "bank ¶2" in {item.label for item, s in zip(cat.items, shown, strict=True) if s}  # reached by call only


def test_random_games_of_a_flow_story_count_its_text() -> None:
    report = explore_random(read_story(V2FLOW), 300, seed=1)
    hits = {item.label: n for item, n in zip(report.catalogue.items, report.text_hits, strict=True)}
    assert all(hits[label] == 0 for label in NEVER) and hits["codex never_note"] == 0
    assert hits["bank ¶2"] > 0 and hits["bank ¶2 else"] > 0  # the subroutine's paragraph and its else
    assert hits["bridge title {if coins < toll:}"] > 0 and hits["won ¶1 {if luck >= 3:}"] > 0
    assert hits["far ¶2"] > 0 and hits["far ¶2 else"] > 0  # after a conditional goto, and after paying
    assert hits["achievement dry"] > 0 and hits["codex river_note"] > 0
    assert report.route_words and all(words > 0 for _ending, words in report.route_words)


def test_random_and_exhaustive_agree_on_a_flow_story() -> None:
    story = read_story(V2FLOW)
    ex = explore_exhaustive(story)
    rnd = explore_random(story, 2000, seed=0)
    assert ex.catalogue is not None and ex.text is not None
    by_ex = ex.catalogue.shown(ex.scenes_reached, ex.choices_taken, ex.text.shown)
    by_rnd = rnd.catalogue.shown(
        [h > 0 for h in rnd.scene_hits], [h > 0 for h in rnd.choice_hits], [h > 0 for h in rnd.text_hits]
    )
    assert by_ex == by_rnd


def test_agency_counts_flavour_choices_apart_and_reads_branch_destinations() -> None:
    story = read_story(V2FLOW)
    a = analyse(story, games=50)
    assert a.flavour == 2 and a.flavour_choices == ["bridge:wave", "lost:curse"] and a.counted == a.choices - 2
    assert a.flavour_that_matters == ["lost:curse: luck"]  # marked colour, yet luck is read later
    assert "wave" not in " ".join(a.indistinguishable + a.unread_effects)
    text = format_text(a, story)
    assert "(2 marked flavour, counted apart)" in text and "choices marked flavour (counted apart): 2" in text
    assert "choices marked flavour that change what happens next: 1\n    lost:curse: luck" in text
    assert a.to_dict()["flavour_that_matters"] == ["lost:curse: luck"]
    assert a.endings and a.endings[0].median_words is not None


def test_flavour_in_the_agency_json_and_the_html_report(tmp_path) -> None:
    import json
    import subprocess
    import sys
    from html.parser import HTMLParser

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "evegame", *args], capture_output=True, text=True, timeout=120, cwd=ROOT
        )

    done = run("stats", "--agency", "tests/stories/v2flow", "--games", "20", "--format", "json")
    payload = json.loads(done.stdout)
    assert payload["flavour"] == 2 and payload["flavour_choices"] == ["bridge:wave", "lost:curse"]
    out = tmp_path / "r.html"
    assert run("explore", "tests/stories/v2flow", "--exhaustive", "--report", str(out)).returncode == 0
    texts: list[str] = []
    parser = HTMLParser()
    parser.handle_data = texts.append  # type: ignore[method-assign]
    parser.feed(out.read_text(encoding="utf-8"))
    text = " ".join(texts)
    assert "Choices marked flavour (counted apart): 2" in text and "lost:curse: luck" in text
    assert "luck is only 3 here" in text  # why the flow story's text never shows
