"""The story map as Mermaid or Graphviz DOT text: scenes, choices, conditions, one cluster per file."""

from __future__ import annotations

from collections.abc import Iterator

from ..engine.model import Choice, Scene, Story
from ..engine.validate import reachable_from, return_points
from . import story_relative

FORMATS = ("mermaid", "dot")


def _files(story: Story) -> dict[str, list[Scene]]:
    out: dict[str, list[Scene]] = {}
    for scene in story.scenes.values():
        out.setdefault(scene.loc.file, []).append(scene)
    return dict(sorted(out.items()))


def _label(story: Story, scene: Scene, unreachable: bool) -> str:
    label = f"{scene.title} ({scene.id})" if scene.title and scene.title != scene.id else scene.id
    if scene.id == story.start:
        label = f"START: {label}"
    if scene.is_ending:
        name = story.ending_title(scene.ending or "")
        label = f"ENDING: {label}" if name == scene.title else f"ENDING {name}: {label}"
    if unreachable:
        label = f"UNREACHABLE: {label}"
    return label


def _edge_label(choice: Choice, limit: int = 48) -> str:
    text = choice.text.strip()
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    if choice.condition is not None:
        text = f"{text} [if {choice.condition.source}]"
    return text


def render(story: Story, fmt: str = "mermaid") -> str:
    if fmt not in FORMATS:
        raise ValueError(f"unknown graph format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return "\n".join(_mermaid(story) if fmt == "mermaid" else _dot(story)) + "\n"


def _mermaid_text(text: str) -> str:
    return '"' + text.replace('"', "#quot;").replace("\n", " ") + '"'


def _node(sid: str) -> str:
    """Mermaid node names: prefixed, so that scene ids like 'end' are not read as keywords."""
    return f"s_{sid}"


def _mermaid(story: Story) -> Iterator[str]:
    reached = reachable_from(story, story.start)
    yield "flowchart TD"
    for i, (file, scenes) in enumerate(_files(story).items()):
        yield f"  subgraph file{i}[{_mermaid_text(story_relative(story, file))}]"
        for scene in scenes:
            label = _mermaid_text(_label(story, scene, scene.id not in reached))
            shape = f"(({label}))" if scene.is_ending else (f"[/{label}/]" if scene.id == story.start else f"[{label}]")
            yield f"    {_node(scene.id)}{shape}"
        yield "  end"
    for scene in story.scenes.values():
        for choice in scene.choices:
            for target, note, kind in _edges(story, choice):
                arrow = "==>" if kind == "chance" else "-->" if kind == "plain" and choice.condition is None else "-.->"
                text = f"{note}: {_edge_label(choice)}" if note else _edge_label(choice)
                yield f"  {_node(scene.id)} {arrow}|{_mermaid_text(text)}| {_node(target)}"
    yield "  classDef ending stroke-width:3px"
    yield "  classDef unreachable stroke-dasharray:4 4"
    endings = [s.id for s in story.scenes.values() if s.is_ending]
    if endings:
        yield f"  class {','.join(map(_node, endings))} ending"
    lost = [sid for sid in story.scenes if sid not in reached]
    if lost:
        yield f"  class {','.join(map(_node, lost))} unreachable"


def _edges(story: Story, choice: Choice) -> list[tuple[str, str, str]]:
    """A choice's arrows: (target, note, kind); kind is plain, branch (by condition), chance, call or return."""
    if choice.returns:
        return [(after, "return", "return") for after in return_points(story)]
    if choice.call is not None:
        return [(choice.call, "call", "call"), (choice.goto, "after the call", "return")]
    if not choice.branches:
        return [(choice.goto, "", "plain")]
    if choice.branches[0].chance is not None:
        return [(b.scene, f"{b.chance}%", "chance") for b in choice.branches]
    return [(b.scene, f"if {b.condition}" if b.condition else "otherwise", "branch") for b in choice.branches]


def _dot_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _dot(story: Story) -> Iterator[str]:
    reached = reachable_from(story, story.start)
    yield f"digraph {_dot_text(story.id)} {{"
    yield f"  label={_dot_text(story.title)};"
    yield "  rankdir=TB;"
    yield '  node [shape=box, style=rounded, fontname="Helvetica"];'
    yield '  edge [fontname="Helvetica", fontsize=10];'
    for i, (file, scenes) in enumerate(_files(story).items()):
        yield f"  subgraph cluster_{i} {{"
        yield f"    label={_dot_text(story_relative(story, file))};"
        for scene in scenes:
            attrs = [f"label={_dot_text(_label(story, scene, scene.id not in reached))}"]
            if scene.is_ending:
                attrs.append("shape=doubleoctagon")
            if scene.id == story.start:
                attrs.append("shape=invhouse")
            if scene.id not in reached:
                attrs.append("style=dashed")
            yield f"    {_dot_text(scene.id)} [{', '.join(attrs)}];"
        yield "  }"
    for scene in story.scenes.values():
        for choice in scene.choices:
            for target, note, kind in _edges(story, choice):
                style = {"chance": ", style=bold", "branch": ", style=dashed", "return": ", style=dotted"}.get(kind, "")
                if kind == "plain" and choice.condition is not None:
                    style = ", style=dashed"
                text = f"{note}: {_edge_label(choice)}" if note else _edge_label(choice)
                yield f"  {_dot_text(scene.id)} -> {_dot_text(target)} [label={_dot_text(text)}{style}];"
    yield "}"
