"""Whole-story checks that need every scene: the graph, endings, and suspicious things.

Called by the loader once the pieces parse; adds problems, never raises.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable

from .effects import changes_variable
from .flow import targets
from .model import Choice, Effect, Scene, SourceLoc, Story
from .problems import Problems
from .render import compiled, template_names
from .yamlsource import Key


def return_points(story: Story) -> tuple[str, ...]:
    """Every scene a call returns to (the ``goto`` of each choice with ``call``)."""
    return tuple(dict.fromkeys(c.goto for s in story.scenes.values() for c in s.choices if c.call))


def next_scenes(
    story: Story, choice: Choice, *, outside_calls: bool = False, points: tuple[str, ...] | None = None
) -> tuple[str, ...]:
    """Where a choice can lead, conditions and chances ignored: a call leads into its scene and (once it
    returns) to its ``goto``; a return to any scene a call returns to (``points``, computed when not
    given). ``outside_calls``: a call's scene is skipped and a return leads nowhere (the graph of
    play with no call open)."""
    if choice.returns:
        return () if outside_calls else return_points(story) if points is None else points
    if choice.call is not None:
        return (choice.goto,) if outside_calls else (choice.call, choice.goto)
    return targets(choice)


def successors(story: Story, *, outside_calls: bool = False) -> dict[str, tuple[str, ...]]:
    """Each scene's ``next_scenes`` over all its choices: the story's graph, built once for every walk over it."""
    return _graphs(story)[1 if outside_calls else 0]


def _graphs(story: Story) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """The story's graph, and the graph of play with no call open (they differ only at calls and returns)."""
    points = return_points(story)
    graph: dict[str, tuple[str, ...]] = {}
    special: list[str] = []  # scenes with a call or a return
    for sid, scene in story.scenes.items():
        following: list[str] = []
        for choice in scene.choices:
            if choice.call is None and not choice.returns and not choice.branches:
                following.append(choice.goto)  # the usual choice: one goto (as next_scenes gives, without a call)
            else:
                following += next_scenes(story, choice, points=points)
                if choice.call is not None or choice.returns:
                    special.append(sid)
        graph[sid] = tuple(following)
    outside = dict(graph)
    for sid in dict.fromkeys(special):
        outside[sid] = tuple(
            t for c in story.scenes[sid].choices for t in next_scenes(story, c, outside_calls=True, points=points)
        )
    return graph, outside


def reachable_from(
    story: Story, start: str, *, outside_calls: bool = False, graph: dict[str, tuple[str, ...]] | None = None
) -> set[str]:
    """Scene ids reachable from ``start`` following every goto, conditions ignored (``graph``: the
    story's ``successors`` with the same ``outside_calls``, when already built)."""
    if graph is None:
        graph = successors(story, outside_calls=outside_calls)
    seen = {start}
    queue = deque([start])
    while queue:
        for target in graph.get(queue.popleft(), ()):
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


def can_reach_ending(story: Story, graph: dict[str, tuple[str, ...]] | None = None) -> set[str]:
    """Scene ids from which some ending is reachable, conditions ignored (``graph``: ``successors(story)``)."""
    if graph is None:
        graph = successors(story)
    incoming: dict[str, list[str]] = {sid: [] for sid in story.scenes}
    for sid, following in graph.items():
        for target in following:
            incoming.setdefault(target, []).append(sid)
    good = {sid for sid, s in story.scenes.items() if s.is_ending}
    queue = deque(good)
    while queue:
        for src in incoming.get(queue.popleft(), ()):
            if src not in good:
                good.add(src)
                queue.append(src)
    return good


def all_effects(story: Story) -> Iterable[Effect]:
    for scene in story.scenes.values():
        yield from scene.on_enter
        for choice in scene.choices:
            yield from choice.effects


def check_story(story: Story, problems: Problems, *, lenient: bool = False) -> None:
    report = problems.warning if lenient else problems.error
    endings = [s for s in story.scenes.values() if s.is_ending]
    if not endings and story.manifest_loc is not None:
        problems.error(
            story.manifest_loc, "the story has no ending: mark at least one scene with 'ending: NAME'", "ending"
        )
    graph, outside = _graphs(story)
    reached = reachable_from(story, story.start, graph=graph)
    for scene in story.scenes.values():
        if scene.id in reached:
            continue
        if scene.is_ending:
            report(
                _id_loc(scene),
                f"ending {scene.ending!r} is never reached: no path from {story.start!r} leads to scene {scene.id!r}",
                "unreachable-ending",
            )
        else:
            report(
                _id_loc(scene),
                f"scene {scene.id!r} is unreachable: no path from the start scene {story.start!r} leads here",
                "unreachable",
            )
    if endings:
        good = can_reach_ending(story, graph)
        for scene in story.scenes.values():
            if scene.id in reached and scene.id not in good:
                problems.error(
                    _id_loc(scene),
                    f"no ending can be reached from scene {scene.id!r}: every path from it loops without end",
                    "trap",
                )
    for sid in sorted(reachable_from(story, story.start, outside_calls=True, graph=outside)):
        found = story.scenes.get(sid)
        for choice in found.choices if found is not None else ():
            if choice.returns:
                problems.error(
                    choice.loc.child("return"),
                    f"this 'return' can be reached with no call open: scene {sid!r} is reached from the start "
                    "without a 'call' (reach it only through 'call', or use 'goto')",
                    "return",
                )
    _warnings(story, problems)


def _id_loc(scene: Scene) -> SourceLoc:
    return scene.loc.child("id")


def _warnings(story: Story, problems: Problems) -> None:
    used: set[str] = set()
    changed: set[str] = set()
    unlocked: set[str] = set()
    for effect in all_effects(story):
        if not changes_variable(effect):
            unlocked.add(effect.value)
        else:
            used.add(effect.var)
            changed.add(effect.var)
    conditions = []
    for scene in story.scenes.values():
        for para in scene.paragraphs:
            if para.condition is not None:
                conditions.append((para.condition, scene.loc))
            if "{" in para.text:
                used.update(_interpolated(para.text, story))
            if para.otherwise and "{" in para.otherwise:
                used.update(_interpolated(para.otherwise, story))
        if "{" in scene.title:
            used.update(_interpolated(scene.title, story))
        for choice in scene.choices:
            if "{" in choice.text:
                used.update(_interpolated(choice.text, story))
        for choice in scene.choices:
            if choice.condition is not None:
                conditions.append((choice.condition, choice.loc.child("if")))
        if len(scene.choices) < 2:
            continue
        stripped = [c.text.strip() for c in scene.choices]
        if len(set(stripped)) == len(stripped):  # the usual case: every choice reads differently
            continue
        texts = Counter(stripped)
        for choice in scene.choices:
            if texts[choice.text.strip()] > 1 and choice.condition is None:
                problems.warning(
                    choice.loc.child("text"),
                    f"two choices in scene {scene.id!r} read {choice.text.strip()!r}: players cannot tell them apart",
                    "identical-choices",
                )
    for item in story.status:
        if item.condition is not None:
            conditions.append((item.condition, story.manifest_loc or SourceLoc.at(story.root)))
    for a in story.achievements:
        if a.condition is not None:
            conditions.append((a.condition, a.loc.child("if")))
    for cond, _ in conditions:
        used.update(cond.variables)
    for cond, loc in conditions:
        if cond.scenes or not cond.variables <= (set(story.variables) - changed):
            continue
        if not cond(story.variables, {}):
            names = ", ".join(sorted(cond.variables))
            problems.warning(
                loc,
                f"condition {cond.source!r} can never hold: {names} never change from their start values",
                "never-true",
            )
    status_vars = {s.var for s in story.status}
    if story.manifest_loc is not None:
        vloc = story.manifest_loc.child("variables")
        for name in story.variables:
            if name not in used and name not in status_vars:
                problems.warning(
                    vloc.child(Key(name)), f"variable {name!r} is declared but never used", "unused-variable"
                )
        ending_names = {s.ending for s in story.scenes.values() if s.is_ending}
        for name in story.ending_titles:
            if name not in ending_names:
                problems.warning(
                    story.manifest_loc.child("endings", Key(name)),
                    f"title given for ending {name!r}, but no scene ends with it",
                    "unused-ending",
                )
    for entry in story.codex.values():
        if entry.unlocked_by is None and entry.id not in unlocked:
            problems.warning(
                entry.loc.child("id"),
                f"codex entry {entry.id!r} is never unlocked (add 'unlocked_by: SCENE' or an 'unlock' effect)",
                "codex-locked",
            )


def _interpolated(text: str, story: Story) -> set[str]:
    if "{" not in text:
        return set()
    return template_names(compiled(text, story.variables))
