"""The story model: plain dataclasses built once by the loader, never mutated."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .conditions import Condition

Value = int | bool | str | list[str]
YamlPath = tuple[Any, ...]


class SourceLoc(tuple[str, "YamlPath"]):
    """Where something was written: a file and the path of keys/indexes to it.

    A bare tuple subclass, built with ``SourceLoc.at(file, path)``: the loader makes
    one for every node it reads, and with no Python-level ``__new__`` each costs
    little more than a tuple.
    """

    __slots__ = ()

    @classmethod
    def at(cls, file: str, path: YamlPath = ()) -> SourceLoc:
        return cls((file, path))

    @property
    def file(self) -> str:
        return self[0]

    @property
    def path(self) -> YamlPath:
        return self[1]

    def child(self, *keys: Any) -> SourceLoc:
        return SourceLoc((self[0], self[1] + keys))


@dataclass(frozen=True)
class Effect:
    """One change to the game state; its kind (``op``) is defined in ``effects.EFFECTS``."""

    op: str  # the name of its kind in effects.EFFECTS
    var: str  # the variable (for give/take: the list; for unlock: "")
    value: Any  # new value, amount, item name or codex id


@dataclass(frozen=True)
class Clamp:
    """The value of a ``set``/``add`` on a bounded number or with an expression: the amount (a whole
    number, or a compiled expression over the variables) and the bounds the result is clamped to."""

    amount: Any
    low: int | None = None
    high: int | None = None

    def limit(self, value: int) -> int:
        if self.low is not None and value < self.low:
            return self.low
        if self.high is not None and value > self.high:
            return self.high
        return value

    def resolve(self, variables: Any) -> int:
        """The amount now: the number, or the expression evaluated over ``variables``."""
        amount = self.amount
        return amount if isinstance(amount, int) else int(amount.evaluate(variables, {}))


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of a scene: shown while its condition holds, else ``otherwise``."""

    text: str
    condition: Condition | None = None
    otherwise: str | None = None  # shown instead of ``text`` while the condition is false


@dataclass(frozen=True)
class Branch:
    """One branch of a ``goto`` list: a scene, with an ``if`` condition or a chance in percent (or neither: the last)."""

    scene: str
    condition: Condition | None = None
    chance: int | None = None


@dataclass(frozen=True)
class Choice:
    """One choice of a scene: its text, where it leads, its condition and its effects."""

    key: str  # the choice id, or "choice_N" (1-based position) when none is written
    text: str
    goto: str  # the scene it leads to; with 'call', where the call returns to; "" for branches and returns
    condition: Condition | None
    effects: tuple[Effect, ...]
    loc: SourceLoc
    branches: tuple[Branch, ...] = ()  # goto as a list: by condition (first true wins) or by chance
    call: str | None = None  # call this scene; a later 'return' comes back to ``goto``
    returns: bool = False  # go back to where the innermost call returns to
    once: bool = False  # not offered again once taken
    requires: Condition | None = None  # shown greyed (with ``locked``) and refused while false
    locked: str = ""
    flavour: bool = False  # colour the author means as such (the agency analysis counts it apart)


@dataclass(frozen=True)
class Scene:
    """One scene (or ending) of a story, as loaded."""

    id: str
    title: str
    paragraphs: tuple[Paragraph, ...]
    choices: tuple[Choice, ...]
    on_enter: tuple[Effect, ...]
    ending: str | None
    loc: SourceLoc

    @property
    def is_ending(self) -> bool:
        return self.ending is not None


@dataclass(frozen=True)
class CodexEntry:
    """One codex entry: unlocked by effects, read in the codex panel."""

    id: str
    title: str
    text: str
    category: str
    unlocked_by: str | None
    loc: SourceLoc


@dataclass(frozen=True)
class StatusItem:
    """A variable the player sees in the sidebar, with its label."""

    var: str
    label: str
    condition: Condition | None = None


@dataclass(frozen=True)
class Achievement:
    """Earned when a game ends with its condition holding (e.g. rules kept or broken)."""

    id: str
    title: str
    description: str
    condition: Condition | None
    loc: SourceLoc


@dataclass
class Story:
    """A loaded story: its scenes (possibly decoded lazily from the cache), variables and extras."""

    id: str
    title: str
    start: str
    variables: dict[str, Value]
    scenes: Mapping[str, Scene]  # a dict, or the story cache's lazily read scenes
    codex: dict[str, CodexEntry]
    status: list[StatusItem]
    ending_titles: dict[str, str]
    inventory: str | None
    root: str
    author: str = ""
    version: str = ""
    description: str = ""
    content_hash: str = ""
    files: list[str] = field(default_factory=list)
    manifest_loc: SourceLoc | None = None
    achievements: list[Achievement] = field(default_factory=list)
    bounds: dict[str, tuple[int | None, ...]] = field(default_factory=dict)  # bounded numbers: (min, max)
    labels: dict[str, str] = field(default_factory=dict)  # a word lists or text variables hold -> its display name

    def ending_title(self, ending: str) -> str:
        if ending in self.ending_titles:
            return self.ending_titles[ending]
        return ending.replace("_", " ").capitalize()

    @property
    def endings(self) -> dict[str, list[str]]:
        """Ending name -> ids of the scenes that end the game with it."""
        out: dict[str, list[str]] = {}
        known = getattr(self.scenes, "ending_scenes", None)  # a cached story knows without unpickling scenes
        pairs = known().items() if known else ((s.id, s.ending) for s in self.scenes.values())
        for sid, ending in pairs:
            if ending is not None:
                out.setdefault(ending, []).append(sid)
        return out
