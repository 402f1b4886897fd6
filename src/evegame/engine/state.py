"""The game state: variables, visit counts, current scene, path taken, codex; plain-dict snapshots."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from .effects import apply_effect
from .errors import SaveError
from .model import Effect, Story, Value
from .values import type_name


@dataclass
class GameState:
    """Everything that changes during play. ``path`` holds (scene id, choice key) pairs."""

    scene: str
    variables: dict[str, Value]
    visits: dict[str, int] = field(default_factory=dict)
    path: list[tuple[str, str]] = field(default_factory=list)
    codex: list[str] = field(default_factory=list)
    stack: list[str] = field(default_factory=list)  # where each open call returns to, innermost last
    taken: list[str] = field(default_factory=list)  # "scene:choice" of each 'once' choice taken
    rng: int = 0  # the game's random generator (``flow.roll``)
    seed: int = 0  # the generator's state when the game began

    @classmethod
    def initial(cls, story: Story, seed: int = 0) -> GameState:
        seed &= (1 << 64) - 1
        return cls(scene=story.start, variables=copy.deepcopy(story.variables), rng=seed, seed=seed)

    def copy(self) -> GameState:
        return GameState(
            self.scene,
            {k: (list(v) if isinstance(v, list) else v) for k, v in self.variables.items()},
            dict(self.visits),
            list(self.path),
            list(self.codex),
            list(self.stack),
            list(self.taken),
            self.rng,
            self.seed,
        )

    def apply(self, effect: Effect) -> None:
        """Apply one effect (its rule is in ``effects.EFFECTS``)."""
        apply_effect(effect, self.variables, self.codex)

    def snapshot(self) -> dict[str, Any]:
        """A JSON-ready copy of the state."""
        return {
            "scene": self.scene,
            "variables": {k: (list(v) if isinstance(v, list) else v) for k, v in self.variables.items()},
            "visits": dict(self.visits),
            "path": [[s, c] for s, c in self.path],
            "codex": list(self.codex),
            "stack": list(self.stack),
            "taken": list(self.taken),
            "rng": self.rng,
            "seed": self.seed,
        }

    @classmethod
    def from_snapshot(cls, story: Story, data: Any) -> tuple[GameState, list[str]]:
        """Rebuild a state for ``story``; return it with notices about what had to adapt.

        Raises SaveError when the data cannot describe a state of this story.
        """
        if not isinstance(data, dict):
            raise SaveError("the saved state is not a mapping")
        notices: list[str] = []
        scene = data.get("scene")
        if not isinstance(scene, str):
            raise SaveError("the saved state has no scene")
        if scene not in story.scenes:
            raise SaveError(f"the saved scene {scene!r} no longer exists in this story")
        raw_vars = data.get("variables", {})
        if not isinstance(raw_vars, dict):
            raise SaveError("the saved variables are not a mapping")
        variables = copy.deepcopy(story.variables)
        for name, value in raw_vars.items():
            if name not in story.variables:
                notices.append(f"variable {name!r} is no longer in the story and was dropped")
                continue
            want = type_name(story.variables[name])
            if type_name(value) != want or (want == "list" and not all(isinstance(v, str) for v in value)):
                raise SaveError(f"the saved variable {name!r} is not {want}")
            variables[name] = list(value) if want == "list" else value
        for name in story.variables:
            if name not in raw_vars:
                notices.append(f"new variable {name!r} starts at its default")
        visits = data.get("visits", {})
        path = data.get("path", [])
        codex = data.get("codex", [])
        if not (
            isinstance(visits, dict) and all(isinstance(k, str) and type_name(v) == "int" for k, v in visits.items())
        ):
            raise SaveError("the saved visit counts are malformed")
        if not (
            isinstance(path, list)
            and all(isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p) for p in path)
        ):
            raise SaveError("the saved path is malformed")
        if not (isinstance(codex, list) and all(isinstance(c, str) for c in codex)):
            raise SaveError("the saved codex is malformed")
        stack, taken, rng = data.get("stack", []), data.get("taken", []), data.get("rng", 0)  # absent in old saves
        seed = data.get("seed", rng)
        if not (isinstance(stack, list) and all(isinstance(s, str) and s in story.scenes for s in stack)):
            raise SaveError("the saved call stack is malformed or names a scene this story no longer has")
        if not (isinstance(taken, list) and all(isinstance(t, str) for t in taken)):
            raise SaveError("the saved list of choices taken once is malformed")
        if not (isinstance(rng, int) and isinstance(seed, int)) or any(
            type_name(n) != "int" or not 0 <= n < 1 << 64 for n in (rng, seed)
        ):
            raise SaveError("the saved random generator state is malformed")
        state = cls(
            scene,
            variables,
            dict(visits),
            [(s, c) for s, c in path],
            [c for c in codex if c in story.codex],
            list(stack),
            list(taken),
            rng,
            seed,
        )
        return state, notices
