"""What a player is told, as plain text for every front end: durations, save slots, what a choice changed, the codex."""

from __future__ import annotations

from ..engine import Game, Outcome
from ..engine.model import CodexEntry
from ..engine.render import format_value
from ..engine.saves import SaveInfo, saved_at_text, slot_label


def counted(n: int, word: str, plural: str | None = None) -> str:
    """``1 choice``, ``2 choices``: a number with its noun, singular only for one."""
    return f"{n:,} {word if n == 1 else plural or word + 's'}"


def format_duration(seconds: float) -> str:
    """``h:mm:ss`` (or ``m:ss`` under an hour)."""
    total = int(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def format_saved_at(stamp: str | None) -> str:
    """An ISO timestamp from a save, in local time; "unknown time" when it is odd (never raises)."""
    return saved_at_text(stamp)


def slot_lines(slot: str, info: SaveInfo | None) -> tuple[str, str]:
    """Two lines describing a save slot for the save/load screens."""
    name = slot_label(slot)
    if info is None:
        return f"{name}: empty", ""
    if not info.ok:
        return f"{name}: DAMAGED", f"  {info.reason} ({info.path.name} is kept)"
    title = info.scene_title or info.scene or "?"
    changed = " · story changed since" if info.story_changed else ""
    detail = f"  saved {format_saved_at(info.saved_at)} · played {format_duration(info.play_time)}"
    return f"{name}: {title}", f"{detail} · {counted(info.turns, 'choice')}{changed}"


def outcome_messages(game: Game, outcome: Outcome, codex_hint: str = "press c") -> list[str]:
    """What a player should be told after a choice: visible variables that changed, codex entries found.

    ``codex_hint`` says how this front end opens the codex.
    """
    story = game.story
    shown = {label for label, _ in game.status()}
    labels = {item.var: item.label for item in story.status if item.label in shown}
    names = story.labels
    messages = []
    for var, (old, new) in outcome.changes.items():
        if var not in labels:
            continue  # hidden variables stay hidden
        label = labels[var]
        if isinstance(old, list) and isinstance(new, list):
            gained = [v for v in new if v not in old]
            lost = [v for v in old if v not in new]
            parts = [f"+ {format_value([v], names)}" for v in gained] + [f"− {format_value([v], names)}" for v in lost]
            messages.append(f"{label}: {', '.join(parts) or format_value(new, names)}")
        elif isinstance(old, int) and isinstance(new, int) and not isinstance(new, bool):
            delta = new - old
            messages.append(f"{label}: {format_value(old)} → {format_value(new)} ({delta:+d})")
        else:
            messages.append(f"{label}: {format_value(old, names)} → {format_value(new, names)}")
    for cid in outcome.unlocked:
        entry = story.codex.get(cid)
        if entry is not None:
            messages.append(f"New codex entry: {entry.title} ({codex_hint})")
    return messages


def codex_markdown(game: Game, seen: set[str]) -> str:
    """The unlocked codex entries as Markdown, by category; entries not in ``seen`` marked new."""
    story = game.story
    found = [story.codex[c] for c in game.codex if c in story.codex]
    if not found:
        return "Nothing yet. Entries unlock as you play."
    lines = [f"**{len(found)} of {len(story.codex)} entries found.** New ones are marked **(new)**.", ""]
    by_category: dict[str, list[CodexEntry]] = {}
    for entry in found:
        by_category.setdefault(entry.category or "General", []).append(entry)
    for category in sorted(by_category):
        lines += [f"## {category}", ""]
        for entry in by_category[category]:
            new = " (new)" if entry.id not in seen else ""
            lines += [f"### {game.text(entry.title)}{new}", "", game.text(entry.text).strip(), ""]
    return "\n".join(lines)
