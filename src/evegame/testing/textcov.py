"""Text coverage: every piece of text a player may or may not be shown, and where it is written.

The catalogue lists each conditional paragraph, each paragraph's ``else``, each
branch of an inline alternative ``{if COND: a|b}`` (in scene titles, paragraphs and
choice texts), each codex entry and each achievement of a story (the text that scene
and choice coverage cannot see), with its source location and what must hold for a
player to see it:

* a conditional paragraph (its ``else``): its scene, entered in a state where its
  condition holds (does not); an inline branch: the same, with the conditions of the
  paragraph or choice around it;
* an achievement: an ending scene, reached in a state where its condition holds;
* a codex entry: a choice or a scene entry that unlocks it.

Both explorers report, per item, whether (random: how often) it was shown. The
catalogue knows nothing of how they search.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..engine.conditions import Condition
from ..engine.model import SourceLoc, Story
from ..engine.problems import display_path
from ..engine.render import Alternative, Part, Slot, compiled, count_words
from ..engine.yamlsource import locate
from .sim import Table

KINDS = ("paragraph", "else", "inline", "codex", "achievement")
KIND_TITLES = {
    "paragraph": "paragraphs",
    "else": "else",
    "inline": "inline",
    "codex": "codex",
    "achievement": "achievements",
}
Literals = tuple[tuple[Condition, bool], ...]
Probe = tuple[Callable[[Mapping[str, Any], Mapping[str, int]], Any], tuple[int, ...], tuple[int, ...]]


@dataclass(frozen=True)
class TextItem:
    """One piece of text: shown on entering one of ``scenes`` when every literal holds,
    or (codex) when one of ``choices`` is taken or one of ``scenes`` is entered."""

    kind: str
    label: str  # e.g. "ny_lobby ¶3", "codex rule_coins", "achievement kept_the_rules"
    scenes: tuple[int, ...]
    literals: tuple[tuple[Condition, bool], ...]  # (condition, the value it must have)
    loc: SourceLoc
    excerpt: str
    choices: tuple[int, ...] = ()
    words: int = 0  # words a player reads when it is shown (paragraphs)

    @property
    def condition(self) -> str:
        """What must hold, as a story author writes it ('' when nothing)."""
        parts = [c.source if want else f"not ({c.source})" for c, want in self.literals]
        return " and ".join(parts)

    def where(self) -> str:
        """``file:line`` of the item, the file as the author typed the story folder."""
        line, _col = locate(self.loc.file, self.loc.path)
        return f"{display_path(self.loc.file)}:{line}"


class Catalogue:
    """The text items of a story over an explorer's ``Table`` (scene and choice indexes)."""

    def __init__(self, table: Table, *, text: bool = True) -> None:
        """``text=False``: codex entries only (no condition to evaluate: the explorers' old cost)."""
        story = table.story
        self.table = table
        self.items: list[TextItem] = []
        for i, sid in enumerate(table.ids if text else ()):
            scene = story.scenes[sid]
            list_form = len(scene.paragraphs) != 1 or scene.paragraphs[0].condition is not None
            if scene.title:
                self._inline(story, f"{sid} title", i, (), scene.loc.child("title"), scene.title)
            for n, para in enumerate(scene.paragraphs):
                loc = scene.loc.child("text", n) if list_form else scene.loc.child("text")
                label = f"{sid} ¶{n + 1}"
                if para.condition is None:
                    self._inline(story, label, i, (), loc, para.text)
                    continue
                shown, hidden = ((para.condition, True),), ((para.condition, False),)
                self._add("paragraph", label, (i,), shown, loc, para.text, words=count_words(para.text))
                self._inline(story, label, i, shown, loc, para.text)
                if para.otherwise is not None:
                    words = count_words(para.otherwise)
                    self._add("else", f"{label} else", (i,), hidden, loc, para.otherwise, words=words)
                    self._inline(story, f"{label} else", i, hidden, loc, para.otherwise)
            for c in scene.choices if scene.ending is None else ():
                offered = ((c.condition, True),) if c.condition is not None else ()
                self._inline(story, f"{sid}:{c.key}", i, offered, c.loc.child("text"), c.text)
        self._codex(story)
        endings = tuple(i for i, name in enumerate(table.endings) if name is not None)
        for a in story.achievements if text else ():
            literals = ((a.condition, True),) if a.condition is not None else ()
            self._add("achievement", f"achievement {a.id}", endings, literals, a.loc, a.title)
        self.by_scene: list[list[int]] = [[] for _ in table.ids]
        for k, item in enumerate(self.items):
            if item.literals or item.kind != "codex":
                for s in item.scenes:
                    self.by_scene[s].append(k)

    def _add(
        self,
        kind: str,
        label: str,
        scenes: tuple[int, ...],
        literals: tuple[tuple[Condition, bool], ...],
        loc: SourceLoc,
        text: str,
        choices: tuple[int, ...] = (),
        words: int = 0,
    ) -> None:
        excerpt = " ".join(text.split())
        if len(excerpt) > 72:
            excerpt = excerpt[:71].rstrip() + "…"
        self.items.append(TextItem(kind, label, scenes, literals, loc, excerpt, choices, words))

    def _inline(self, story: Story, label: str, scene: int, context: Literals, loc: SourceLoc, text: str) -> None:
        """Both branches of each ``{if COND: a|b}`` in a text (the second when it has any text)."""
        if "{" not in text:
            return
        self._alternatives(compiled(text, story.variables), label, scene, context, loc)

    def _alternatives(self, parts: tuple[Part, ...], label: str, scene: int, context: Literals, loc: SourceLoc) -> None:
        for part in parts:
            if not isinstance(part, Alternative):
                continue
            cond = part.condition
            then, otherwise = (*context, (cond, True)), (*context, (cond, False))
            self._add("inline", f"{label} {{if {cond.source}:}}", (scene,), then, loc, _plain(part.then))
            self._alternatives(part.then, label, scene, then, loc)
            if part.otherwise:
                self._add("inline", f"{label} {{if {cond.source}:|}}", (scene,), otherwise, loc, _plain(part.otherwise))
                self._alternatives(part.otherwise, label, scene, otherwise, loc)

    def _codex(self, story: Story) -> None:
        table = self.table
        number = {pair: n for n, pair in enumerate(table.choice_ids)}
        by_choice: dict[str, list[int]] = {}
        by_scene: dict[str, list[int]] = {}
        for i, sid in enumerate(table.ids):
            scene = story.scenes[sid]
            for e in scene.on_enter:
                if e.op == "unlock":
                    by_scene.setdefault(e.value, []).append(i)
            for c in scene.choices:
                for e in c.effects:
                    if e.op == "unlock":
                        by_choice.setdefault(e.value, []).append(number[(sid, c.key)])
        for entry in story.codex.values():
            scenes = list(by_scene.get(entry.id, []))
            if entry.unlocked_by in table.index:
                scenes.append(table.index[entry.unlocked_by])
            self._add(
                "codex",
                f"codex {entry.id}",
                tuple(sorted(set(scenes))),
                (),
                entry.loc,
                entry.title,
                tuple(sorted(set(by_choice.get(entry.id, [])))),
            )

    # -- for the explorers ---------------------------------------------------------------

    @property
    def conditional(self) -> list[int]:
        """The items an explorer must evaluate conditions for (all but codex entries)."""
        return [k for k, item in enumerate(self.items) if item.kind != "codex"]

    def visit_scenes(self) -> set[str]:
        """Scenes whose visit counts the items' conditions read."""
        return {s for item in self.items for c, _ in item.literals for s in c.scenes}

    def probes(self) -> list[tuple[Probe, ...]]:
        """Per scene: (evaluate, items shown when true, items shown when false), one per condition.

        Items with one literal share their condition's evaluation; an item that needs
        several conditions gets an evaluator of their conjunction.
        """
        out: list[tuple[Probe, ...]] = []
        for keys in self.by_scene:
            grouped: dict[int, tuple[Any, list[int], list[int]]] = {}
            composite: list[Probe] = []
            for k in keys:
                literals = self.items[k].literals
                if len(literals) == 1:
                    cond, want = literals[0]
                    entry = grouped.setdefault(id(cond), (cond.evaluate, [], []))
                    (entry[1] if want else entry[2]).append(k)
                else:
                    composite.append((_conjunction(literals), (k,), ()))
            probes = [(ev, tuple(t), tuple(f)) for ev, t, f in grouped.values()]
            out.append(tuple(probes + composite))
        return out

    def shown(self, scenes: list[bool], choices: list[bool], evaluated: list[bool]) -> list[bool]:
        """Whether each item was shown: ``evaluated`` answers for conditional items, codex
        entries follow from the scenes reached and the choices taken."""
        out = []
        for k, item in enumerate(self.items):
            if item.kind == "codex":
                out.append(any(scenes[s] for s in item.scenes) or any(choices[c] for c in item.choices))
            elif not item.literals:
                out.append(any(scenes[s] for s in item.scenes))
            else:
                out.append(evaluated[k])
        return out


def _plain(parts: tuple[Part, ...]) -> str:
    """A branch's text for an excerpt (variables as {name}, nested alternatives as …)."""
    return "".join(p if isinstance(p, str) else f"{{{p.name}}}" if isinstance(p, Slot) else "…" for p in parts)


def _conjunction(
    literals: tuple[tuple[Condition, bool], ...],
) -> Callable[[Mapping[str, Any], Mapping[str, int]], bool]:
    tests = tuple((c.evaluate, want) for c, want in literals)
    return lambda v, s: all(bool(ev(v, s)) is want for ev, want in tests)
