"""Choice agency: which choices change what happens next, and which only look as if they do.

Static figures over the story (conditions are read, not evaluated):

* a choice is *indistinguishable* from a sibling when another choice of its scene has
  the same destination and the same effects;
* an effect is *read later* when a condition (of a choice, a paragraph or an
  achievement) or a ``{variable}`` in text, in a scene the choice can lead to, reads
  what it changes (for a list item: a test of that item, or the whole list);
* a choice *changes what happens next* when it sets state that is read later, or leads
  where no sibling leads; it *sets state* when it changes a variable;
* a scene is *cosmetic* when it offers two or more choices that all lead to the same
  place and change nothing.

Choices marked ``flavour: true`` are colour by intent: counted apart, never listed as
problems. Per ending, seeded uniform random games (the random explorer) give its share
of games and the median words read on the way.
"""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass, field
from typing import Any

from ..engine.conditions import Binary, Lit, Var
from ..engine.effects import changes_variable
from ..engine.flow import targets
from ..engine.model import Choice, Story
from ..engine.operators import MEMBERSHIP, OPERATORS
from ..engine.render import Alternative, Part, Slot, compiled
from .abstraction import children
from .sim import leads_to

Atom = tuple[str, str]  # (variable, list item) or (variable, "*"): what a read or an effect touches


@dataclass
class EndingFigures:
    ending: str
    title: str
    games: int
    share: float  # percent of the games played
    median_words: float | None  # words read on the way (None: no game reached it)


@dataclass
class Agency:
    choices: int
    flavour: int  # choices marked ``flavour: true``: counted apart, never in the shares below
    counted: int  # choices not marked flavour: the base of the shares
    change_next: int
    sets_state: int
    indistinguishable: list[str]  # "scene:choice = scene:sibling"
    unread_effects: list[str]  # "scene:choice: var, var"
    set_never_read: list[str]  # variables
    given_never_tested: list[str]  # "list: item"
    cosmetic_scenes: list[str]
    games: int
    seed: int
    endings: list[EndingFigures] = field(default_factory=list)
    flavour_choices: list[str] = field(default_factory=list)  # "scene:choice", each marked flavour
    flavour_that_matters: list[str] = field(default_factory=list)  # marked flavour, yet read later or alone

    def share(self, n: int) -> float:
        return round(100.0 * n / self.counted, 1) if self.counted else 0.0

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["change_next_percent"] = self.share(self.change_next)
        out["sets_state_percent"] = self.share(self.sets_state)
        out["indistinguishable_percent"] = self.share(len(self.indistinguishable))
        return out


def analyse(story: Story, *, games: int = 2000, seed: int = 0) -> Agency:
    """The agency figures of a story; ``games`` seeded random games measure the endings."""
    reads = {sid: _scene_reads(story, sid) for sid in story.scenes}
    returns = _return_points(story)
    later = _reads_from(story, reads, returns)
    # achievements read the final state, which every choice of a finished story can lead to
    achievements = {a for ach in story.achievements if ach.condition for a in _reads(ach.condition.tree)}
    all_reads = set().union(*reads.values(), achievements) if reads else achievements
    choices = change = sets = 0
    flavour: list[str] = []  # choices marked flavour: true
    flavour_matters: list[str] = []  # ... that change what happens next all the same
    twins: list[str] = []
    unread: list[str] = []
    cosmetic: list[str] = []
    for sid, scene in story.scenes.items():
        if scene.is_ending:
            continue
        if (
            len(scene.choices) > 1
            and len({_destinations(c, story) for c in scene.choices}) == 1
            and not any(_sets(c) for c in scene.choices)
        ):
            cosmetic.append(sid)
        for c in scene.choices:
            choices += 1
            siblings = [o for o in scene.choices if o is not c]
            touched = _touched(c)
            ahead = set().union(*(later[t] for t in _destinations(c, story))) | achievements
            read = {a for a in touched if _is_read(a, ahead)}
            alone = bool(siblings) and all(
                not set(_destinations(o, story)) & set(_destinations(c, story)) for o in siblings
            )
            if c.flavour:
                flavour.append(f"{sid}:{c.key}")
                if read or (alone and _destinations(c, story) != (sid,)):
                    flavour_matters.append(
                        f"{sid}:{c.key}" + (f": {_atoms_text(read)}" if read else ": leads where no sibling leads")
                    )
                continue
            twin = next((o for o in siblings if _outcome(o) == _outcome(c)), None)
            if twin is not None:
                twins.append(f"{sid}:{c.key} = {sid}:{twin.key}")
            if touched and not read:
                unread.append(f"{sid}:{c.key}: {_atoms_text(touched)}")
            sets += bool(touched)
            if read or alone:
                change += 1
    written = {a for scene in story.scenes.values() for e in _all_effects(scene) for a in _effect_atoms(e)}
    never = sorted({v for v, _ in written if not any(r[0] == v for r in all_reads)})
    untested = sorted(
        f"{v}: {item}"
        for v, item in written
        if item != "*" and v not in never and (v, item) not in all_reads and (v, "*") not in all_reads
    )
    result = Agency(
        choices=choices,
        flavour=len(flavour),
        counted=choices - len(flavour),
        flavour_choices=flavour,
        flavour_that_matters=flavour_matters,
        change_next=change,
        sets_state=sets,
        indistinguishable=twins,
        unread_effects=unread,
        set_never_read=never,
        given_never_tested=untested,
        cosmetic_scenes=cosmetic,
        games=games,
        seed=seed,
    )
    if games > 0:
        result.endings = _endings(story, games, seed)
    return result


def _endings(story: Story, games: int, seed: int) -> list[EndingFigures]:
    from .randomwalk import explore_random

    report = explore_random(story, games, seed=seed)
    words: dict[str, list[int]] = {}
    for ending, n in report.route_words:
        words.setdefault(ending, []).append(n)
    played = report.games or 1
    return [
        EndingFigures(
            name,
            story.ending_title(name),
            report.endings.get(name, 0),
            round(100.0 * report.endings.get(name, 0) / played, 1),
            statistics.median(words[name]) if name in words else None,
        )
        for name in sorted(story.endings)
    ]


# --- reads and effects --------------------------------------------------------------------


def _outcome(c: Choice) -> tuple[Any, ...]:
    effects = sorted((e.op, e.var, tuple(e.value) if isinstance(e.value, list) else e.value) for e in c.effects)
    branches = tuple((b.scene, b.condition.source if b.condition else None, b.chance) for b in c.branches)
    return (c.goto, c.call, c.returns, branches, tuple(effects))


def _return_points(story: Story) -> frozenset[str]:
    """Every scene a ``return`` can lead to: the ``goto`` of every choice that calls."""
    return frozenset(c.goto for s in story.scenes.values() for c in s.choices if c.call is not None)


def _leads_to(c: Choice, returns: frozenset[str]) -> frozenset[str]:
    """The scenes a choice can lead to: its goto, its branches, the scene it calls; a return, any return point."""
    return returns if c.returns else frozenset(targets(c))


def _destinations(c: Choice, story: Story) -> tuple[str, ...]:
    return leads_to(story, c)


def _atoms_text(atoms: set[Atom]) -> str:
    return ", ".join(sorted({_atom_text(a) for a in atoms}))


def _sets(c: Choice) -> bool:
    return any(changes_variable(e) for e in c.effects)


def _effect_atoms(effect: Any) -> list[Atom]:
    if not changes_variable(effect):
        return []
    if effect.op in ("give", "take"):
        return [(effect.var, effect.value)]
    if effect.op == "set" and isinstance(effect.value, list):
        return [(effect.var, "*"), *((effect.var, v) for v in effect.value)]
    return [(effect.var, "*")]


def _touched(c: Choice) -> set[Atom]:
    return {a for e in c.effects for a in _effect_atoms(e)}


def _all_effects(scene: Any) -> list[Any]:
    return [*scene.on_enter, *(e for c in scene.choices for e in c.effects)]


def _reads(node: Any) -> set[Atom]:
    """What a condition reads: list items it tests, and whole variables."""
    membership = isinstance(node, Binary) and OPERATORS[node.op].abstract is MEMBERSHIP
    if membership and isinstance(node.left, Lit) and isinstance(node.right, Var):
        return {(node.right.name, node.left.value)}
    if isinstance(node, Var):
        return {(node.name, "*")}
    out: set[Atom] = set()
    for child in children(node):
        out |= _reads(child)
    return out


def _text_reads(text: str | None, story: Story) -> set[Atom]:
    """What a text reads: its ``{name}``s, and the conditions of its ``{if ...}`` alternatives."""
    out: set[Atom] = set()

    def walk(parts: tuple[Part, ...]) -> None:
        for part in parts:
            if isinstance(part, Slot):
                out.add((part.name, "*"))
            elif isinstance(part, Alternative):
                out.update(_reads(part.condition.tree))
                walk(part.then)
                walk(part.otherwise)

    if text and "{" in text:
        walk(compiled(text, story.variables))
    return out


def _scene_reads(story: Story, sid: str) -> set[Atom]:
    scene = story.scenes[sid]
    out = _text_reads(scene.title, story)
    for p in scene.paragraphs:
        out |= _text_reads(p.text, story) | _text_reads(p.otherwise, story)
        if p.condition is not None:
            out |= _reads(p.condition.tree)
    for c in scene.choices:
        out |= _text_reads(c.text, story)
        for cond in (c.condition, c.requires, *(b.condition for b in c.branches)):
            if cond is not None:
                out |= _reads(cond.tree)
        out |= _text_reads(c.locked, story)
    return out


def _reads_from(story: Story, reads: dict[str, set[Atom]], returns: frozenset[str]) -> dict[str, set[Atom]]:
    """Per scene: what it and every scene it can lead to read (conditions ignored)."""
    out = {sid: set(r) for sid, r in reads.items()}
    preds: dict[str, set[str]] = {sid: set() for sid in story.scenes}
    for sid, scene in story.scenes.items():
        for c in scene.choices:
            for target in _destinations(c, story):
                preds[target].add(sid)
    work = list(story.scenes)
    while work:
        t = work.pop()
        for s in preds[t]:
            if not out[t] <= out[s]:
                out[s] |= out[t]
                work.append(s)
    return out


def _is_read(atom: Atom, reads: set[Atom]) -> bool:
    var, item = atom
    if item == "*":
        return any(r[0] == var for r in reads)
    return (var, item) in reads or (var, "*") in reads


def _atom_text(atom: Atom) -> str:
    return atom[0] if atom[1] == "*" else f"{atom[0]} ({atom[1]})"


# --- text ------------------------------------------------------------------------------------


def format_text(a: Agency, story: Story, show: int = 10) -> str:
    def listed(title: str, items: list[str]) -> list[str]:
        head = f"  {title}: {len(items)}"
        body = [f"    {x}" for x in items[:show]]
        if len(items) > show:
            body.append(f"    … and {len(items) - show} more (see --format json)")
        return [head, *body]

    lines = [
        f"Agency of {story.title}: {a.choices} choices"
        + (f" ({a.flavour} marked flavour, counted apart)" if a.flavour else ""),
        f"  change what happens next  {a.change_next:>5} ({a.share(a.change_next):.1f}%)"
        "  (set state read later, or lead where no sibling leads)",
        f"  set state                 {a.sets_state:>5} ({a.share(a.sets_state):.1f}%)",
        f"  indistinguishable         {len(a.indistinguishable):>5} ({a.share(len(a.indistinguishable)):.1f}%)"
        "  (same destination and effects as a sibling)",
    ]
    lines += listed("choices indistinguishable from a sibling", a.indistinguishable)
    if a.flavour_choices:  # stories that mark none are not told about the mark
        lines += listed("choices marked flavour (counted apart)", a.flavour_choices)
        lines += listed("choices marked flavour that change what happens next", a.flavour_that_matters)
    lines += listed("choices whose effects nothing later reads", a.unread_effects)
    lines += listed("variables set but never read", a.set_never_read)
    lines += listed("items given but never tested", a.given_never_tested)
    lines += listed("scenes whose every choice leads to the same place unchanged", a.cosmetic_scenes)
    if a.endings:
        lines.append(f"  endings in {a.games:,} uniform random games (seed {a.seed}): share, median words read")
        width = max(len(e.ending) for e in a.endings)
        for e in a.endings:
            words = f"{e.median_words:,.0f}" if e.median_words is not None else "-"
            lines.append(f"    {e.ending:<{width}}  {e.share:5.1f}%  {words:>7} words")
    return "\n".join(lines)
