"""Story folder -> plain YAML values -> model, with every problem collected at once.

``load_story`` never raises for a bad story: it returns the problems. ``read_story``
is the strict front door used by ``Game.load``: it raises ``StoryError``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import cache, validate
from .conditions import Condition, ConditionError, parse_condition, parse_expression, tested_items
from .effects import EFFECT_KEYS, declared_var, parse_block
from .errors import Problem, StoryError
from .gcpause import gc_paused
from .model import (
    Achievement,
    Branch,
    Choice,
    CodexEntry,
    Effect,
    Paragraph,
    Scene,
    SourceLoc,
    StatusItem,
    Story,
    Value,
)
from .operators import FUNCTIONS, KEYWORDS
from .problems import Problems, did_you_mean
from .render import TemplateError, compile_template, remember, template_conditions, template_names
from .values import TYPE_WORDS, describe, type_name
from .yamlsource import Key, Within, YamlFileError, decode, parse_noting

NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
ID_RE = re.compile(r"[a-z0-9_]+\Z")
VAR_RE = re.compile(r"[a-z_][a-z0-9_]*\Z")

RESERVED = KEYWORDS | set(FUNCTIONS)

MANIFEST_KEYS = {
    "id",
    "title",
    "start",
    "variables",
    "status",
    "endings",
    "achievements",
    "inventory",
    "author",
    "version",
    "description",
    "labels",
}
ACHIEVEMENT_KEYS = {"id", "title", "description", "if"}
SCENE_KEYS = {"id", "title", "text", "on_enter", "choices", "ending"}
CHOICE_KEYS = {
    "id",
    "text",
    "goto",
    "if",
    "effects",
    "once",
    "requires",
    "locked",
    "flavour",
    "call",
    "return",
}
BRANCH_KEYS = {"scene", "if", "chance"}
PARAGRAPH_KEYS = {"if", "text", "else"}
CODEX_KEYS = {"id", "title", "text", "category", "unlocked_by"}
STATUS_KEYS = {"var", "label", "if"}
TOP_KEYS = {"story", "scenes", "codex"}


def story_files(root: Path) -> list[Path]:
    """Every story file below ``root``: *.yaml/*.yml, sorted, minus playthroughs and hidden paths."""
    files = []
    for path in root.rglob("*"):
        rel = path.relative_to(root)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if path.suffix in (".yaml", ".yml") and not path.name.endswith((".play.yaml", ".play.yml")) and path.is_file():
            files.append(path)
    return sorted(files)


def leads_outside(root: Path, path: Path) -> bool:
    """Whether ``path``, a file found under ``root``, is a symbolic link to a file outside it.

    Such a file is refused unread: a story cannot pull in (or echo in its errors) a file
    from elsewhere. The walk does not enter linked folders, so only the file can be a link.
    """
    return path.is_symlink() and not path.resolve().is_relative_to(root.resolve())


@dataclass
class LoadResult:
    """What loading a folder gives: the story (None when it has errors) and every problem."""

    story: Story | None
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


def read_story(root: str | Path, *, cache_dir: str | Path | None = None) -> Story:
    """Load a story or raise StoryError with every error found (``cache_dir``: see ``load_story``)."""
    result = load_story(root, cache_dir=cache_dir)
    if result.story is None:
        raise StoryError(result.problems)
    return result.story


def load_story(
    root: str | Path,
    *,
    lenient: bool = False,
    cache_dir: str | Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> LoadResult:
    """Load and validate the story folder ``root``; collect every problem.

    ``lenient`` turns unreachable scenes and endings into warnings. With ``cache_dir`` a clean
    story is kept in the compiled-story cache there and loads from it while its files are
    unchanged; without, nothing is written anywhere. (The CLI and the TUI pass the user's
    cache folder, ``paths.story_cache_dir()``.) The garbage collector is paused while the
    story's objects are built (none of them is garbage) and left as it was found.
    ``progress(files read, files)`` is called as each file of a fresh load is parsed.
    """
    with gc_paused():
        return _load_story(Path(root), lenient, Path(cache_dir) if cache_dir is not None else None, progress)


def _load_story(
    root: Path, lenient: bool, cache_dir: Path | None, progress: Callable[[int, int], None] | None = None
) -> LoadResult:
    key = ""
    use_cache = cache_dir is not None
    if root.is_dir():
        try:
            files = story_files(root)
            if any(leads_outside(root, f) for f in files):
                use_cache = False  # the builder refuses the link, unread
            else:
                key = cache.content_key(root, files)
        except OSError:
            use_cache = False  # an unreadable file: the builder reports it
        if use_cache and key and cache_dir is not None:
            cached = cache.load(cache_dir, key, fallback=lambda: _fresh_scenes(root, lenient), root=root)
            if cached is not None:
                return LoadResult(cached, [])
    builder = _Builder(root, progress=progress)
    story = builder.build(lenient=lenient)
    problems = builder.problems.resolve()
    if any(p.severity == "error" for p in problems):
        story = None
    if story is not None:
        story.content_hash = key
        if use_cache and key and not problems and cache_dir is not None:
            cache.store(cache_dir, key, story, root)
    return LoadResult(story, problems)


def _fresh_scenes(root: Path, lenient: bool) -> dict[str, Scene]:
    """Every scene of ``root`` loaded without the cache (for a cache entry whose scenes do not decode)."""
    story = _load_story(root, lenient, None).story
    if story is None:
        raise KeyError(f"{root} no longer loads")
    return dict(story.scenes)


@dataclass
class _RawDoc:
    """One parsed story file, before it is built."""

    file: str
    data: dict[str, Any]


@dataclass
class _Builder:
    """Builds a Story from parsed files, collecting problems."""

    root: Path
    problems: Problems = field(init=False)
    types: dict[str, str] = field(default_factory=dict)
    inventory: str | None = None
    incomplete: bool = False  # a file did not parse: references into it cannot be judged
    _conditions: dict[str, Condition] = field(default_factory=dict)
    _template_conditions: dict[str, Condition] = field(default_factory=dict)  # of {if ...} in texts, by source
    _noted: set[int] = field(default_factory=set)  # ids of those whose tested items are in _tested
    # unquoted yes/no/on/off/y/n not yet judged: (id of container, key) -> (file, word, line, col)
    _words: dict[tuple[int, Any], tuple[str, str, int, int]] = field(default_factory=dict)
    # names whose declaration went wrong -> that problem: errors where they are used follow from it
    _fallen: dict[str, int] = field(default_factory=dict)
    # list items: where each (list, name) is first given, and first tested by a condition; lists shown as text
    _given: dict[tuple[str, str], SourceLoc] = field(default_factory=dict)
    _tested: dict[tuple[str, str], SourceLoc] = field(default_factory=dict)
    _shown: set[str] = field(default_factory=set)
    bounds: dict[str, tuple[int | None, ...]] = field(default_factory=dict)
    progress: Callable[[int, int], None] | None = None  # (files read, files)

    def __post_init__(self) -> None:
        self.problems = Problems(self.root)

    # -- files ------------------------------------------------------------------

    def read_files(self) -> tuple[list[_RawDoc], str, list[str]]:
        root_loc = SourceLoc.at(str(self.root))
        if not self.root.exists():
            self.problems.error(root_loc, "story folder not found")
            return [], "", []
        if not self.root.is_dir():
            self.problems.error(root_loc, "not a folder: a story is a folder of YAML files")
            return [], "", []
        files = story_files(self.root)
        if not files:
            self.problems.error(root_loc, "no story files here (*.yaml or *.yml)")
            return [], "", []
        docs = []
        for done, path in enumerate(files):
            if self.progress is not None:
                self.progress(done, len(files))
            name = str(path)
            loc = SourceLoc.at(name)
            if leads_outside(self.root, path):
                self.problems.at(
                    loc, 0, 0, "a link to a file outside the story folder: story files must be inside it", "outside"
                )
                self.incomplete = True
                continue
            try:
                data = path.read_bytes()
            except OSError as exc:
                self.problems.at(loc, 0, 0, f"cannot read file: {exc.strerror}")
                continue
            try:
                value, notes = parse_noting(decode(data))
            except YamlFileError as exc:
                self.problems.at(loc, exc.line, exc.col, str(exc), "yaml")
                self.incomplete = True
                continue
            for line, col, message in notes.duplicates:
                self.problems.at(loc, line, col, message, "duplicate-key")
            for where, (word, line, col) in notes.words.items():
                self._words[where] = (name, word, line, col)
            if value is None:
                self.problems.at(loc, 1, 1, "empty file: expected 'story:', 'scenes:' or 'codex:'", "structure")
                continue
            if not isinstance(value, dict):
                self.problems.error(
                    loc,
                    f"a story file is a mapping with 'story:', 'scenes:' or 'codex:', not {describe(value)}",
                    "structure",
                )
                continue
            docs.append(_RawDoc(name, value))
        return docs, "", [str(f) for f in files]

    # -- building ------------------------------------------------------------------

    def build(self, *, lenient: bool) -> Story | None:
        story = self._build(lenient=lenient)
        self.warn_yaml11_words()
        return story

    def _build(self, *, lenient: bool) -> Story | None:
        docs, content_hash, files = self.read_files()
        if not docs:
            return None
        manifests = []
        for doc in docs:
            for key in doc.data:
                if key not in TOP_KEYS:
                    self.problems.error(
                        SourceLoc.at(doc.file, (Key(str(key)),)),
                        f"unknown top-level key {key!r}{did_you_mean(str(key), TOP_KEYS)}; a story file holds 'story:', 'scenes:' or 'codex:'",
                        "unknown-key",
                    )
            if "story" in doc.data:
                manifests.append(doc)
        if not manifests:
            if not self.incomplete:  # a file that failed to parse may be the manifest: say only what is known
                self.problems.error(
                    SourceLoc.at(str(self.root)),
                    "no manifest: one file must hold the top-level key 'story:'",
                    "manifest",
                )
            return None
        # the manifest nearest the folder's top (story.yaml first) is the story's; others are mistakes
        manifests.sort(key=lambda d: (len(Path(d.file).parts), Path(d.file).name != "story.yaml", d.file))
        for extra in manifests[1:]:
            handle = self.problems.error(
                SourceLoc.at(extra.file, (Key("story"),)),
                f"a second manifest: 'story:' is already in {self.problems.display(manifests[0].file)}",
                "manifest",
            )
            declared = extra.data["story"].get("variables") if isinstance(extra.data["story"], dict) else None
            for name in declared if isinstance(declared, dict) else ():
                self._fallen.setdefault(str(name), handle)
        manifest = manifests[0]
        m = self.mapping(manifest.data["story"], SourceLoc.at(manifest.file, ("story",)), MANIFEST_KEYS, "the manifest")
        if m is None:
            return None
        variables = self.parse_variables(m.get("variables", {}), SourceLoc.at(manifest.file, ("story", "variables")))
        self.parse_inventory(m, SourceLoc.at(manifest.file, ("story",)))

        raw_scenes: list[tuple[dict[str, Any], SourceLoc]] = []
        raw_codex: list[tuple[dict[str, Any], SourceLoc]] = []
        for doc in docs:
            for key, sink, what in (("scenes", raw_scenes, "a scene"), ("codex", raw_codex, "a codex entry")):
                if key not in doc.data:
                    continue
                items = doc.data[key]
                loc = SourceLoc.at(doc.file, (key,))
                if items is None:
                    continue
                if not isinstance(items, list):
                    self.problems.error(loc, f"'{key}' must be a list, not {describe(items)}", "type")
                    continue
                for i, item in enumerate(items):
                    iloc = loc.child(i)
                    if not isinstance(item, dict):
                        self.problems.error(iloc, f"{what} must be a mapping, not {describe(item)}", "type")
                        continue
                    sink.append((item, iloc))

        scene_ids = self.collect_ids(raw_scenes, "scene")
        codex_ids = self.collect_ids(raw_codex, "codex entry")
        scene_exists = (lambda _sid: True) if self.incomplete else scene_ids.__contains__
        self._scene_ids = scene_ids
        self._scene_exists = scene_exists
        self.codex_ids = codex_ids

        scenes: dict[str, Scene] = {}
        for raw, loc in raw_scenes:
            scene = self.parse_scene(raw, loc, scene_exists)
            if scene is not None and scene.id not in scenes:
                scenes[scene.id] = scene
        codex: dict[str, CodexEntry] = {}
        for raw, loc in raw_codex:
            entry = self.parse_codex(raw, loc, scene_exists)
            if entry is not None and entry.id not in codex:
                codex[entry.id] = entry

        mloc = SourceLoc.at(manifest.file, ("story",))
        title = self.string(m, "title", mloc, required=True) or "Untitled"
        start = self.string(m, "start", mloc, required=True)
        if start is not None and start not in scene_ids:
            self.ref_error(
                mloc.child("start"), f"start scene {start!r} does not exist{did_you_mean(start, scene_ids)}", "goto"
            )
        story_id = self.string(m, "id", mloc) or _slug(title)
        status = self.parse_status(m.get("status"), mloc.child("status"), scene_exists)
        ending_titles = self.parse_endings(m.get("endings"), mloc.child("endings"))
        achievements = self.parse_achievements(m.get("achievements"), mloc.child("achievements"), scene_exists)
        labels = self.parse_labels(m.get("labels"), mloc.child("labels"))
        story = Story(
            id=story_id,
            title=title,
            start=start or "",
            variables=variables,
            scenes=scenes,
            codex=codex,
            status=status,
            ending_titles=ending_titles,
            inventory=self.inventory,
            root=str(self.root),
            author=self.string(m, "author", mloc) or "",
            version=str(m.get("version", "")) if isinstance(m.get("version", ""), (str, int, float)) else "",
            description=self.string(m, "description", mloc) or "",
            content_hash=content_hash,
            files=files,
            manifest_loc=mloc,
            achievements=achievements,
            bounds=dict(self.bounds),
            labels=labels,
        )
        if self.problems.has_errors or self.incomplete:
            return story
        validate.check_story(story, self.problems, lenient=lenient)
        self.check_item_names(story)
        self.check_labels(story, mloc.child("labels"))
        return story

    def check_item_names(self, story: Story) -> None:
        """Warn of list items tested but never given, and given but never tested nor shown (typos)."""
        shown = self._shown | {s.var for s in story.status}
        for (var, name), loc in self._tested.items():
            if (var, name) not in self._given:
                others = [n for v, n in self._given if v == var]
                self.problems.warning(
                    loc,
                    f"a condition tests for {name!r} in {var!r}, but nothing ever gives it{did_you_mean(name, others)}",
                    "item-never-given",
                )
        for (var, name), loc in self._given.items():
            if (var, name) not in self._tested and var not in shown:
                others = [n for v, n in self._tested if v == var]
                self.problems.warning(
                    loc,
                    f"{name!r} is put in {var!r} but no condition tests for it and no text shows "
                    f"{var!r}{did_you_mean(name, others)}",
                    "item-never-tested",
                )

    def check_labels(self, story: Story, loc: SourceLoc) -> None:
        """A display name for a word no list and no text variable ever holds is an error (a typo, or a stale label)."""
        if not story.labels:
            return
        words = {name for _, name in self._given} | {name for _, name in self._tested}
        words.update(v for v in story.variables.values() if isinstance(v, str))
        for scene in story.scenes.values():
            for effect in (*scene.on_enter, *(e for c in scene.choices for e in c.effects)):
                if effect.op == "set" and isinstance(effect.value, str):
                    words.add(effect.value)
        for word in story.labels:
            if word not in words:
                self.problems.error(
                    loc.child(Key(word)),
                    f"a label for {word!r}, but no list or text variable ever holds {word!r}{did_you_mean(word, words)}",
                    "label",
                )

    def ref_error(self, loc: SourceLoc, message: str, code: str) -> None:
        """A reference to a missing scene or entry; not judged when a file failed to parse."""
        if not self.incomplete:
            self.problems.error(loc, message, code)

    # -- pieces --------------------------------------------------------------------

    def mapping(self, value: Any, loc: SourceLoc, keys: AbstractSet[str], what: str) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.problems.error(loc, f"{what} must be a mapping, not {describe(value)}", "type")
            return None
        if value.keys() <= keys:  # every key known: the usual case, checked in one step
            return value
        for key in value:
            if key not in keys:
                self.problems.error(
                    loc.child(Key(str(key))),
                    f"unknown key {key!r} in {what}{did_you_mean(str(key), keys)}",
                    "unknown-key",
                )
        return value

    def string(self, raw: dict[str, Any], key: str, loc: SourceLoc, *, required: bool = False) -> str | None:
        value = raw.get(key)
        if type(value) is str and not self._words:  # the usual case: text, and no YAML 1.1 word to judge
            return value
        if key not in raw:
            if required:
                self.problems.error(loc, f"missing required key {key!r}", "missing-key")
            return None
        value = raw[key]
        if self.yaml11_word(raw, key, f"{key!r} must be a string"):
            return None
        if not isinstance(value, str):
            hint = " (YAML reads true/false as a flag: put the text in quotes)" if isinstance(value, bool) else ""
            self.problems.error(loc.child(key), f"{key!r} must be a string, not {describe(value)}{hint}", "type")
            return None
        return value

    def yaml11_word(self, container: Any, key: Any, what: str) -> bool:
        """Where text is expected: an unquoted yes/no/on/off/y/n there is an error (True if one was)."""
        if not self._words:  # the usual case: no unquoted yes/no/on/off/y/n anywhere
            return False
        found = self._words.pop((id(container), key), None)
        if found is None:
            return False
        file, word, line, col = found
        self.problems.at(
            SourceLoc.at(file),
            line,
            col,
            f"{what}, but the unquoted {word!r} is a flag to YAML 1.1 (and text to YAML 1.2 editors): "
            f"quote it: '{word}'",
            "yaml11",
        )
        return True

    def warn_yaml11_words(self) -> None:
        """Unquoted yes/no/on/off/y/n left where a flag (or any value) is taken: a warning with the fix."""
        for container, key in list(self._words):
            self.warn_yaml11_word(container, key)

    def warn_yaml11_word(self, container: Any, key: Any) -> int | None:
        """The warning for one unquoted yes/no/on/off/y/n in ``container[key]``, if it is one; its handle."""
        found = self._words.pop((container if isinstance(container, int) else id(container), key), None)
        if found is None:
            return None
        file, word, line, col = found
        flag = "true" if word.lower() in ("yes", "on", "y") else "false"
        return self.problems.at(
            SourceLoc.at(file),
            line,
            col,
            f"the unquoted {word!r} is read as {flag} by YAML 1.1 but as text by YAML 1.2 editors: "
            f"write {flag} for a flag, or quote it: '{word}' for text",
            "yaml11",
            "warning",
        )

    def bounded(self, name: str, raw: dict[str, Any], loc: SourceLoc) -> int | None:
        """A bounded number ``{value: 2, min: 0, max: 5}``: its start value (bounds kept in ``bounds``)."""
        ok = True
        for key, val in raw.items():
            if key not in ("value", "min", "max"):
                self.problems.error(
                    loc.child(Key(str(key))),
                    f"unknown key {key!r} in a bounded number (value, min, max)",
                    "unknown-key",
                )
                ok = False
            elif type_name(val) != "int":
                self.problems.error(
                    loc.child(key), f"{key!r} of a bounded number is a whole number, not {describe(val)}", "type"
                )
                ok = False
        if "value" not in raw:
            self.problems.error(loc, "a bounded number needs 'value' (its start)", "missing-key")
            ok = False
        if not ok:
            self._fallen[name] = len(self.problems) - 1
            return None
        low, high, value = raw.get("min"), raw.get("max"), raw["value"]
        if low is not None and high is not None and low > high:
            self._fallen[name] = self.problems.error(loc, f"min {low} is above max {high}", "type")
            return None
        if (low is not None and value < low) or (high is not None and value > high):
            self._fallen[name] = self.problems.error(
                loc.child("value"), f"start value {value} is outside min/max", "type"
            )
            return None
        self.bounds[name] = (low, high)
        return int(value)

    def expression(self, source: str, loc: SourceLoc) -> Any:
        """A number expression in a ``set`` (parsed and type-checked now), or None after a located error."""
        try:
            return parse_expression(source, self.types)
        except ConditionError as exc:
            self.problems.error(
                loc.child(Within(source, exc.offset)),
                f"bad expression {source!r}: {exc} (at character {exc.offset + 1})",
                "condition",
                under=self.cause(NAME_RE.findall(source)),
            )
            return None

    def note_given(self, var: str, item: str, loc: SourceLoc) -> None:
        """An effect (or a starting value) puts ``item`` in the list ``var``, written at ``loc``."""
        self._given.setdefault((var, item), loc)

    def cause(self, names: Iterable[str]) -> int | None:
        """The problem that explains an error about these names (a declaration that failed), if any."""
        for name in names:
            if name in self._fallen:
                return self._fallen[name]
        return None

    def reader_text(self, raw: dict[str, Any], key: str, loc: SourceLoc, *, required: bool = False) -> str | None:
        """A string the player reads: {name}s and {if ...} alternatives in it are checked."""
        value = self.string(raw, key, loc, required=required)
        if value is not None and ("{" in value or "}" in value):
            self.check_interpolation(value, loc, key)
        return value

    def ident(self, raw: dict[str, Any], key: str, loc: SourceLoc, *, required: bool = False) -> str | None:
        value = self.string(raw, key, loc, required=required)
        if value is not None and not ID_RE.match(value):
            self.problems.error(loc.child(key), f"{key} {value!r} may use only a-z, 0-9 and _", "id")
            return None
        return value

    def collect_ids(self, items: list[tuple[dict[str, Any], SourceLoc]], what: str) -> set[str]:
        seen: dict[str, SourceLoc] = {}
        for raw, loc in items:
            value = raw.get("id")
            if isinstance(value, str) and ID_RE.match(value):
                if value in seen:
                    first = seen[value]
                    line, _ = _first_line(first)
                    self.problems.error(
                        loc.child("id"),
                        f"duplicate {what} id {value!r} (first defined at {self.problems.display(first.file)}:{line})",
                        "duplicate-id",
                    )
                else:
                    seen[value] = loc
        return set(seen)

    def parse_variables(self, raw: Any, loc: SourceLoc) -> dict[str, Value]:
        out: dict[str, Value] = {}
        if raw is None:
            return out
        if not isinstance(raw, dict):
            self.problems.error(
                loc, f"'variables' must be a mapping of names to starting values, not {describe(raw)}", "type"
            )
            return out
        for name, value in raw.items():
            vloc = loc.child(Key(str(name)))
            if not isinstance(name, str) or not VAR_RE.match(name):
                self._fallen[str(name)] = self.problems.error(
                    vloc, f"variable name {name!r} may use only a-z, 0-9 and _ and not start with a digit", "id"
                )
                continue
            if name in RESERVED:
                self._fallen[name] = self.problems.error(
                    vloc, f"{name!r} is a word of the condition language and cannot be a variable", "id"
                )
                continue
            if isinstance(value, dict):
                value = self.bounded(name, value, loc.child(name))
                if value is None:
                    continue
            kind = type_name(value)
            if kind == "list" and not all(isinstance(v, str) for v in value):
                self._fallen[name] = self.problems.error(
                    loc.child(name), f"list variable {name!r} holds strings only", "type"
                )
                continue
            if kind not in ("int", "bool", "str", "list"):
                self._fallen[name] = self.problems.error(
                    loc.child(name),
                    f"variable {name!r} must start as a number, true/false, a string or a list, not {describe(value)}",
                    "type",
                )
                continue
            word = self.warn_yaml11_word(raw, name)
            if word is not None:  # 'mood: off' declares a flag: what goes wrong where mood is used follows from it
                self._fallen[name] = word
            self.types[name] = kind
            out[name] = list(value) if kind == "list" else value
            if kind == "list":
                for i, item in enumerate(value):
                    self._given.setdefault((name, item), loc.child(name, i))
        return out

    def parse_inventory(self, m: dict[str, Any], loc: SourceLoc) -> None:
        """The list that give/take use without into:/from: (default: 'items' when declared)."""
        if "inventory" not in m:
            self.inventory = "items" if self.types.get("items") == "list" else None
            return
        name = declared_var(self, m["inventory"], loc.child("inventory"), "inventory")
        if name is not None and self.types[name] != "list":
            self.problems.error(
                loc.child("inventory"),
                f"inventory must name a list variable; {name!r} is {TYPE_WORDS[self.types[name]]}",
                "type",
            )
            name = None
        self.inventory = name

    def parse_scene(self, raw: dict[str, Any], loc: SourceLoc, scene_exists: Callable[[str], bool]) -> Scene | None:
        self.mapping(raw, loc, SCENE_KEYS, "a scene")
        sid = self.ident(raw, "id", loc, required=True)
        title = self.string(raw, "title", loc) or ""
        if title:
            self.check_interpolation(title, loc, "title")
        if self.yaml11_word(raw, "text", "'text' must be a string or a list of paragraphs"):
            paragraphs: tuple[Paragraph, ...] = ()
        else:
            paragraphs = self.parse_text(raw.get("text"), loc, scene_exists, required=True)
        on_enter = self.parse_effects(raw.get("on_enter"), loc.child("on_enter")) if "on_enter" in raw else ()
        ending = self.ident(raw, "ending", loc)
        choices: list[Choice] = []
        raw_choices = raw.get("choices")
        if raw_choices is not None and not isinstance(raw_choices, list):
            self.problems.error(loc.child("choices"), f"'choices' must be a list, not {describe(raw_choices)}", "type")
            raw_choices = None
        seen_keys: set[str] = set()
        for i, rc in enumerate(raw_choices or []):
            choice = self.parse_choice(rc, loc.child("choices", i), i, scene_exists)
            if choice is None:
                continue
            if choice.key in seen_keys:
                self.problems.error(
                    choice.loc.child("id"), f"duplicate choice id {choice.key!r} in scene {sid!r}", "duplicate-id"
                )
                continue
            seen_keys.add(choice.key)
            choices.append(choice)
        if sid is None:
            return None
        if "ending" in raw and raw_choices:
            self.problems.error(
                loc.child(Key("choices")), f"ending scene {sid!r} cannot have choices: the game ends here", "ending"
            )
        elif "ending" not in raw and not raw_choices:
            self.problems.error(
                loc.child(Key("id")) if "choices" not in raw else loc.child("choices"),
                f"scene {sid!r} has no choices and is not an ending: a dead end (add choices or 'ending: NAME')",
                "dead-end",
            )
        return Scene(sid, title, paragraphs, tuple(choices), on_enter, ending, loc)

    def parse_text(
        self, raw: Any, loc: SourceLoc, scene_exists: Callable[[str], bool], *, required: bool
    ) -> tuple[Paragraph, ...]:
        tloc = loc.child("text")
        if raw is None:
            if required:
                self.problems.error(
                    loc.child(Key("id")) if isinstance(raw, type(None)) else tloc,
                    "missing required key 'text'",
                    "missing-key",
                )
            return ()
        if isinstance(raw, str):
            self.check_interpolation(raw, tloc)
            return (Paragraph(raw),)
        if not isinstance(raw, list):
            self.problems.error(tloc, f"'text' must be a string or a list of paragraphs, not {describe(raw)}", "type")
            return ()
        out = []
        for i, para in enumerate(raw):
            if self.yaml11_word(raw, i, "a paragraph is text"):
                continue
            if isinstance(para, str):
                if "{" in para or "}" in para:
                    self.check_interpolation(para, tloc, i)
                out.append(Paragraph(para))
                continue
            ploc = tloc.child(i)
            p = self.mapping(para, ploc, PARAGRAPH_KEYS, "a paragraph")
            if p is None:
                continue
            text = self.string(p, "text", ploc, required=True)
            otherwise = self.string(p, "else", ploc)
            cond = self.condition(p, ploc, scene_exists)
            if otherwise is not None:
                if cond is None and "if" not in p:
                    self.problems.error(ploc.child(Key("else")), "'else' needs an 'if' in the same paragraph", "text")
                self.check_interpolation(otherwise, ploc, "else")
            if text is not None:
                self.check_interpolation(text, ploc, "text")
                out.append(Paragraph(text, cond, otherwise))
        return tuple(out)

    def check_interpolation(self, text: str, loc: SourceLoc, *keys: Any) -> None:
        """Compile a text the player reads (at ``loc``, or at its child ``keys``): {name}s declared,
        {if ...} alternatives sound; located errors. A text without braces is only text."""
        if "{" not in text and "}" not in text:
            return
        if keys:
            loc = loc.child(*keys)
        try:
            parts = compile_template(text, self.types, self._scene_exists, conditions=self._template_conditions)
        except TemplateError as exc:
            at = loc.child(Within(text[exc.offset :].split("\n", 1)[0][:40]))
            if exc.name:
                self._shown.add(exc.name)
                self.problems.error(
                    at,
                    f"text uses undeclared variable {{{exc.name}}}{did_you_mean(exc.name, self.types)} "
                    "(write {{ for a literal brace)",
                    "undeclared",
                    under=self.cause([exc.name]),
                )
            else:
                self.problems.error(at, f"text: {exc}", "text", under=self.cause(NAME_RE.findall(text)))
            return
        remember(text, parts)  # validation and rendering read it from there, not compiled again
        self._shown.update(template_names(parts))
        for cond in template_conditions(parts):
            if id(cond) in self._noted:  # a condition met in an earlier text: its items are noted already
                continue
            self._noted.add(id(cond))
            for var, name, _ in tested_items(cond.tree):
                self._tested.setdefault((var, name), loc)

    def condition(
        self, raw: dict[str, Any], loc: SourceLoc, scene_exists: Callable[[str], bool], key: str = "if"
    ) -> Condition | None:
        if key not in raw:
            return None
        source = raw[key]
        cloc = loc.child(key)
        if self.yaml11_word(raw, key, f"'{key}' must be a condition"):
            return None
        if isinstance(source, bool):
            self.problems.error(
                cloc,
                f"condition is the YAML value {str(source).lower()}; a condition over variables is expected",
                "type",
            )
            return None
        if not isinstance(source, str):
            self.problems.error(cloc, f"'if' must be a condition string, not {describe(source)}", "type")
            return None
        cached = self._conditions.get(source)
        if cached is not None:
            return cached
        try:
            cond = parse_condition(source, self.types, scene_exists)
        except ConditionError as exc:
            message = str(exc)
            if message.startswith("undeclared variable"):
                name = message.split("'")[1]
                message += did_you_mean(name, self.types)
            elif "names unknown scene" in message:
                name = message.rsplit("'", 2)[1]
                message += did_you_mean(name, self._scene_ids)
            code = "undeclared" if "undeclared" in message else "condition"
            self.problems.error(
                cloc.child(Within(source, exc.offset)),
                f"bad condition {source!r}: {message} (at character {exc.offset + 1})",
                code,
                under=self.cause(NAME_RE.findall(source)),
            )
            return None
        self._conditions[source] = cond  # the same text means the same condition everywhere
        for var, name, offset in tested_items(cond.tree):
            self._tested.setdefault((var, name), cloc.child(Within(source, offset)))
        return cond

    def parse_choice(self, raw: Any, loc: SourceLoc, index: int, scene_exists: Callable[[str], bool]) -> Choice | None:
        c = self.mapping(raw, loc, CHOICE_KEYS, "a choice")
        if c is None:
            return None
        # Each optional key is read only when written (most choices have a text, a goto and little else).
        cid = self.ident(c, "id", loc) if "id" in c else None
        text = self.reader_text(c, "text", loc, required=True)
        returns = self.flag(c, "return", loc) if "return" in c else False
        call = self.scene_ref(c, "call", loc) if "call" in c else None
        branches: tuple[Branch, ...] = ()
        goto: str | None = ""
        if returns:
            if "goto" in c or call is not None:
                self.problems.error(
                    loc.child(Key("return")),
                    "'return' goes back to where the call returns: no 'goto' or 'call' here",
                    "goto",
                )
        elif isinstance(c.get("goto"), list):
            branches = self.parse_branches(c["goto"], loc.child("goto"), scene_exists)
            if call is not None:
                self.problems.error(
                    loc.child(Key("call")), "'call' returns to one scene: its 'goto' is a scene id", "goto"
                )
        else:
            goto = self.scene_ref(c, "goto", loc, required=True)
        cond = self.condition(c, loc, scene_exists) if "if" in c else None
        requires = self.condition(c, loc, scene_exists, "requires") if "requires" in c else None
        locked = (self.reader_text(c, "locked", loc) or "") if "locked" in c else ""
        if locked and "requires" not in c:
            self.problems.error(
                loc.child(Key("locked")), "'locked' gives the reason a 'requires' fails: add 'requires'", "choice"
            )
        effects = self.parse_effects(c.get("effects"), loc.child("effects")) if "effects" in c else ()
        if text is None or goto is None:
            return None
        return Choice(
            cid or f"choice_{index + 1}",
            text,
            goto,
            cond,
            effects,
            loc,
            branches=branches,
            call=call,
            returns=returns,
            once=self.flag(c, "once", loc) if "once" in c else False,
            requires=requires,
            locked=locked,
            flavour=self.flag(c, "flavour", loc) if "flavour" in c else False,
        )

    def flag(self, raw: dict[str, Any], key: str, loc: SourceLoc) -> bool:
        """An optional true/false key (default false)."""
        value = raw.get(key, False)
        if not isinstance(value, bool):
            self.problems.error(loc.child(key), f"{key!r} is true or false, not {describe(value)}", "type")
            return False
        return value

    def scene_ref(self, raw: dict[str, Any], key: str, loc: SourceLoc, *, required: bool = False) -> str | None:
        """A scene id under ``key``, checked to exist."""
        sid = self.string(raw, key, loc, required=required)
        if sid is not None and sid not in self._scene_ids:
            self.ref_error(
                loc.child(key), f"{key} target {sid!r} is not a scene{did_you_mean(sid, self._scene_ids)}", "goto"
            )
        return sid

    def parse_branches(self, raw: list[Any], loc: SourceLoc, scene_exists: Callable[[str], bool]) -> tuple[Branch, ...]:
        """``goto`` as a list: conditions (first true wins, the last has none) or chances summing to 100."""
        out: list[Branch] = []
        if not raw:
            self.problems.error(loc, "'goto' as a list needs at least one branch", "goto")
            return ()
        if not all(isinstance(b, dict) for b in raw):
            self.problems.error(
                loc,
                f"'goto' must be a string (a scene id) or a list of branches like {{if: COND, scene: ID}}, "
                f"not {describe(raw)} of plain values",
                "type",
            )
            return ()
        chances = [isinstance(b, dict) and "chance" in b for b in raw]
        for i, item in enumerate(raw):
            bloc = loc.child(i)
            b = self.mapping(item, bloc, BRANCH_KEYS, "a goto branch")
            if b is None:
                continue
            scene = self.scene_ref(b, "scene", bloc, required=True)
            cond = self.condition(b, bloc, scene_exists)
            chance = b.get("chance")
            if any(chances) and not all(chances):
                self.problems.error(bloc, "conditions and chances do not mix in one goto list", "goto")
            elif "chance" in b and "if" in b:
                self.problems.error(bloc.child(Key("if")), "a chance branch has no 'if'", "goto")
            elif chance is not None and (
                not isinstance(chance, int) or isinstance(chance, bool) or not 0 < chance <= 100
            ):
                self.problems.error(
                    bloc.child("chance"), f"a chance is a whole percent from 1 to 100, not {describe(chance)}", "goto"
                )
                chance = None
            elif not any(chances) and i < len(raw) - 1 and "if" not in b:
                self.problems.error(
                    bloc, "only the last branch may have no 'if' (the branches after it are never taken)", "goto"
                )
            elif not any(chances) and i == len(raw) - 1 and "if" in b:
                self.problems.error(
                    bloc.child(Key("if")), "the last branch has no 'if': it is taken when no other is", "goto"
                )
            if scene is not None:
                out.append(Branch(scene, cond, chance))
        if all(chances) and len(out) == len(raw):
            total = sum(b.chance or 0 for b in out)
            if total != 100:
                self.problems.error(loc, f"the chances add up to {total}, not 100", "goto")
        return tuple(out)

    def parse_codex(
        self, raw: dict[str, Any], loc: SourceLoc, scene_exists: Callable[[str], bool]
    ) -> CodexEntry | None:
        self.mapping(raw, loc, CODEX_KEYS, "a codex entry")
        cid = self.ident(raw, "id", loc, required=True)
        title = self.reader_text(raw, "title", loc, required=True)
        text = self.reader_text(raw, "text", loc, required=True)
        category = self.string(raw, "category", loc) or "General"
        unlocked_by = self.string(raw, "unlocked_by", loc)
        if unlocked_by is not None and not scene_exists(unlocked_by):
            self.problems.error(
                loc.child("unlocked_by"),
                f"unlocked_by names unknown scene {unlocked_by!r}{did_you_mean(unlocked_by, self._scene_ids)}",
                "goto",
            )
        if cid is None or title is None or text is None:
            return None
        return CodexEntry(cid, title, text, category, unlocked_by, loc)

    def parse_status(self, raw: Any, loc: SourceLoc, scene_exists: Callable[[str], bool]) -> list[StatusItem]:
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.problems.error(loc, f"'status' must be a list of {{var, label}}, not {describe(raw)}", "type")
            return []
        out = []
        for i, item in enumerate(raw):
            iloc = loc.child(i)
            s = self.mapping(item, iloc, STATUS_KEYS, "a status entry")
            if s is None:
                continue
            var = self.string(s, "var", iloc, required=True)
            if var is not None and var not in self.types:
                self.problems.error(
                    iloc.child("var"),
                    f"status shows undeclared variable {var!r}{did_you_mean(var, self.types)}",
                    "undeclared",
                    under=self.cause([var]),
                )
                var = None
            label = self.reader_text(s, "label", iloc)
            cond = self.condition(s, iloc, scene_exists)
            if var is not None:
                out.append(StatusItem(var, label or var.replace("_", " ").capitalize(), cond))
        return out

    def parse_achievements(self, raw: Any, loc: SourceLoc, scene_exists: Callable[[str], bool]) -> list[Achievement]:
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.problems.error(loc, f"'achievements' must be a list of {{id, title, if}}, not {describe(raw)}", "type")
            return []
        out: list[Achievement] = []
        seen: set[str] = set()
        for i, item in enumerate(raw):
            iloc = loc.child(i)
            a = self.mapping(item, iloc, ACHIEVEMENT_KEYS, "an achievement")
            if a is None:
                continue
            aid = self.ident(a, "id", iloc, required=True)
            title = self.reader_text(a, "title", iloc, required=True)
            description = self.reader_text(a, "description", iloc) or ""
            cond = self.condition(a, iloc, scene_exists)
            if aid in seen:
                self.problems.error(iloc.child("id"), f"duplicate achievement id {aid!r}", "duplicate-id")
                continue
            if aid is not None and title is not None:
                seen.add(aid)
                out.append(Achievement(aid, title, description, cond, iloc))
        return out

    def parse_endings(self, raw: Any, loc: SourceLoc) -> dict[str, str]:
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            self.problems.error(loc, f"'endings' must map ending names to titles, not {describe(raw)}", "type")
            return {}
        out = {}
        for name, title in raw.items():
            if self.yaml11_word(raw, name, f"the title of ending {name!r} must be a string"):
                continue
            if not isinstance(title, str):
                self.problems.error(
                    loc.child(str(name)),
                    f"the title of ending {name!r} must be a string, not {describe(title)}",
                    "type",
                )
                continue
            self.check_interpolation(title, loc, str(name))
            out[str(name)] = title
        return out

    def parse_labels(self, raw: Any, loc: SourceLoc) -> dict[str, str]:
        """``labels``: the display name of each word a list or text variable holds (``ox: the Ox``)."""
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            self.problems.error(
                loc,
                f"'labels' must map words to display names, e.g. labels: {{ox: the Ox}}, not {describe(raw)}",
                "type",
            )
            return {}
        out = {}
        for word, name in raw.items():
            if not isinstance(word, str):
                self.problems.error(
                    loc.child(Key(str(word))),
                    f"a label names a word a variable holds, not {describe(word)}: quote it: '{word}'",
                    "type",
                )
                continue
            if self.yaml11_word(raw, word, f"the label of {word!r} must be a string"):
                continue
            if not isinstance(name, str):
                self.problems.error(
                    loc.child(word), f"the label of {word!r} must be a string, not {describe(name)}", "type"
                )
                continue
            if not name.strip():
                self.problems.error(loc.child(word), f"the label of {word!r} is empty: write the name to show", "type")
                continue
            out[word] = name
        return out

    # -- effects ---------------------------------------------------------------------

    def parse_effects(self, raw: Any, loc: SourceLoc) -> tuple[Effect, ...]:
        if raw is None:
            return ()
        if isinstance(raw, list):
            out: list[Effect] = []
            for i, item in enumerate(raw):
                out.extend(self.parse_effect_block(item, loc.child(i)))
            return tuple(out)
        return tuple(self.parse_effect_block(raw, loc))

    def parse_effect_block(self, raw: Any, loc: SourceLoc) -> Iterator[Effect]:
        e = self.mapping(raw, loc, EFFECT_KEYS, "effects")
        if e is not None:
            yield from parse_block(self, e, loc)


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", title.lower()).strip("_") or "story"


def _first_line(loc: SourceLoc) -> tuple[int, int]:
    from .yamlsource import locate

    return locate(loc.file, loc.path)
