"""Fuzzing the story loader with generated stories, mutated stories and random files.

The property: ``load_story`` returns; its result is either a story with no errors, or
``Problem``s (a path, a message, a severity, and a line and column >= 1 whenever the
problem is in a file); it never raises anything else and never hangs. A story that loads
also plays a few random steps without an exception.

Profiles (tests/fuzz/conftest.py): ``dev`` (default, ~100 examples per test) and ``ci``
(2,000), chosen with ``HYPOTHESIS_PROFILE=ci``.
"""

from __future__ import annotations

import contextlib
import copy
import json
import random
import signal
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from evegame.engine import Game, LoadResult, Problem, load_story
from evegame.engine.model import Story
from evegame.paths import cache_dir
from helpers import value_paths

HARD_LIMIT = 20.0  # seconds for one example: far above any real load of these stories
# "if": text interpolates {name}, and {if ...} opens an inline alternative, so a variable named if cannot be shown
RESERVED = {"and", "or", "not", "in", "true", "false", "seen", "visits", "items", "if"}
ITEMS = ["knife", "pistol", "marker", "coin"]
ODD_IDS = [
    "K",  # the Kelvin sign: lowercases to ASCII 'k'
    "ſ",  # long s: uppercases to ASCII 'S'
    "ı",
    "İ",
    "a\u202eb",  # right-to-left override
    "a\u200bb",  # zero-width space
    "e\u0301",  # combining accent
    "😀",
    "\ufeff",
    "",
    " ",
    "a b",
    "A",
    "1",
    "-",
    "s\x00",
    "très",
    "ⅰ",  # roman numeral one
    "ａ",  # fullwidth a
    "a" * 300,
]
WEIRD_VALUES: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    10**30,
    -(10**30),
    1.5,
    float("inf"),
    float("nan"),
    "",
    "x" * 2000,
    [],
    {},
    [[[]]],
    {"a": {"b": {}}},
    ["a", 1, None],
    {1: 2},
    b"\x00\xff",
    *ODD_IDS,
]
SNIPPETS = [
    "!!python/object/apply:os.system ['echo pwned']",
    "!!python/name:os.system",
    "!!python/object:evegame.engine.model.Story {}",
    "!evegame {}",
    "!!int abc",
    "!!float x",
    "!!bool maybe",
    "!!timestamp 2020-13-45",
    "!!binary '@@@'",
    "!!set {a, b}",
    "!!omap [a: 1, b: 2]",
    "!!pairs [a: 1]",
    "!!null x",
    "9" * 5000,
    "-" + "9" * 5000,
    "0x" + "f" * 5000,
    "1e99999",
    "-.inf",
    ".nan",
    "0o777",
    "0b101",
    "1_000",
    "2001-12-14",
    "~",
    "y",
    "off",
    "<<: *missing",
    "*undefined",
    "&anchor",
    "&a [*a]",
    "? [a]\n: b",
    "{[1]: 2}",
    "[" * 5000 + "]" * 5000,
    "{a: " * 300 + "1" + "}" * 300,
    "- " * 400 + "x",
    "\t",
    "\x00",
    "\x07",
    "\ufeff",
    "---",
    "...",
    "%YAML 1.1",
    "%TAG ! tag:example.com,2000:",
    "|",
    ">-",
    "'unterminated",
    '"\\xZZ"',
    "{{coins}} {coins} {",
    "seen(",
    "((((((((((((((((((((((((((((((((((((((((x))))))))))))))))))))))))))))))))))))))))",
    " and ".join(["coins > 0"] * 300),
    "not " * 300 + "flag",
    "coins > " + "9" * 40,
]
BOMB = (
    "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
    "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
    "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
    "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
    "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
    "h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
    "i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]\n"
)
BOMB_USES = ["scenes: *i\n", "codex: *i\n", "scenes:\n  - {id: x, text: *i, ending: e}\n", "story: *i\n"]
BAD_UTF8 = [b"\xff", b"\xfe\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xe2\x82", b"\x80"]


class Hang(BaseException):
    """Raised by the alarm: a BaseException, so no ``except Exception`` in the loader can swallow it."""


@contextlib.contextmanager
def deadline_guard(seconds: float = HARD_LIMIT) -> Iterator[None]:
    """Fail an example that runs longer than ``seconds`` (a hang) instead of waiting for it."""

    def alarm(signum: int, frame: object) -> None:
        raise Hang(f"load_story ran for more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --- generating valid stories ------------------------------------------------------------

NAMES = st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True).filter(lambda s: s not in RESERVED)
IDS = st.from_regex(r"[a-z0-9_]{1,8}", fullmatch=True)
PROSE = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp"), exclude_characters="{}\ufeff\x85"),
    max_size=60,
)
CMP = ["<", "<=", ">", ">=", "==", "!="]


@dataclass
class Spec:
    """A generated story: its documents (file -> data), the scene ids, and how to write it."""

    docs: dict[str, dict[str, Any]]
    scene_ids: list[str]
    style: dict[str, Any]

    def files(self) -> dict[str, bytes]:
        return {name: dump(doc, self.style) for name, doc in self.docs.items()}


class _Dumper(yaml.SafeDumper):
    """PyYAML's dumper, quoting the words YAML 1.1 reads as flags (y, N, ...): the loader refuses them bare."""


def _quote_yaml11_words(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "'" if value.lower() in ("y", "n", "yes", "no", "on", "off") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _quote_yaml11_words)


def dump(doc: Any, style: dict[str, Any]) -> bytes:
    return yaml.dump(doc, Dumper=_Dumper, sort_keys=False, **style).encode("utf-8")


def pick(draw: st.DrawFn, items: list[Any]) -> Any:
    """One of ``items`` (cheaper than building a new sampled_from strategy for every draw)."""
    return items[draw(st.integers(0, len(items) - 1))]


def condition(draw: st.DrawFn, kinds: dict[str, str], scene_ids: list[str], depth: int = 0) -> str:
    """A condition that type-checks against ``kinds``: atoms joined by and/or, up to two levels deep."""
    if depth < 2 and draw(st.integers(0, 3)) == 0:
        left, right = condition(draw, kinds, scene_ids, depth + 1), condition(draw, kinds, scene_ids, depth + 1)
        return f"({left}) {pick(draw, ['and', 'or'])} ({right})"
    by_kind = {k: [v for v, kind in kinds.items() if kind == k] for k in ("int", "bool", "str")}
    shapes = ["in", "not in", "seen", "visits"] + [k for k in ("int", "bool", "str") if by_kind[k]]
    shape = pick(draw, shapes)
    if shape in ("in", "not in"):
        return f"'{pick(draw, ITEMS)}' {shape} items"
    if shape == "seen":
        return f"seen({pick(draw, scene_ids)})"
    if shape == "visits":
        return f"visits({pick(draw, scene_ids)}) {pick(draw, CMP)} {draw(st.integers(0, 3))}"
    var = pick(draw, by_kind[shape])
    if shape == "int":
        return f"{var} {pick(draw, CMP)} {draw(st.integers(-5, 5))}"
    if shape == "bool":
        return f"not {var}" if draw(st.booleans()) else var
    return f"{var} == 'x'"


def effects(draw: st.DrawFn, kinds: dict[str, str], codex_ids: list[str]) -> Any:
    """Effects that type-check: one block, or a list of one to three."""
    blocks: list[dict[str, Any]] = []
    for _ in range(draw(st.integers(1, 3))):
        shape = pick(draw, ["give", "take", "var", "unlock"] if codex_ids else ["give", "take", "var"])
        if shape == "give":
            blocks.append({"give": [pick(draw, ITEMS)]})
        elif shape == "take":
            blocks.append({"take": [pick(draw, ITEMS)], "from": "items"})
        elif shape == "unlock":
            blocks.append({"unlock": [pick(draw, codex_ids)]})
        elif kinds:
            var = pick(draw, sorted(kinds))
            if kinds[var] == "int":
                blocks.append({pick(draw, ["add", "set"]): {var: draw(st.integers(-3, 3))}})
            elif kinds[var] == "bool":
                blocks.append({"set": {var: draw(st.booleans())}})
            else:
                blocks.append({"set": {var: draw(PROSE)}})
        else:
            blocks.append({"give": ["coin"]})
    return blocks[0] if len(blocks) == 1 and draw(st.booleans()) else blocks


@st.composite
def stories(draw: st.DrawFn) -> Spec:
    names = draw(st.lists(NAMES, max_size=5, unique=True))
    kinds = {n: pick(draw, ["int", "bool", "str"]) for n in names}
    start_values = {"int": st.integers(-10, 10), "bool": st.booleans(), "str": PROSE}
    variables: dict[str, Any] = {n: draw(start_values[k]) for n, k in kinds.items()}
    variables["items"] = draw(st.lists(st.sampled_from(ITEMS), max_size=2, unique=True))
    n = draw(st.integers(2, 8))
    ids = draw(st.lists(IDS, min_size=n, max_size=n, unique=True))
    k = draw(st.integers(1, min(2, n - 1)))
    ending_names = draw(st.lists(IDS, min_size=k, max_size=k, unique=True))
    codex_ids = draw(st.lists(IDS, max_size=2, unique=True))
    scenes = []
    for i, sid in enumerate(ids):
        scene: dict[str, Any] = {"id": sid}
        if draw(st.booleans()):
            scene["title"] = draw(PROSE)
        paragraphs: list[Any] = []
        for _ in range(draw(st.integers(1, 3))):
            text = draw(PROSE)
            if names and draw(st.integers(0, 4)) == 0:
                text += " {" + pick(draw, names) + "}"
            if draw(st.integers(0, 3)) == 0:
                paragraphs.append({"if": condition(draw, kinds, ids), "text": text})
            else:
                paragraphs.append(text)
        scene["text"] = paragraphs[0] if len(paragraphs) == 1 and isinstance(paragraphs[0], str) else paragraphs
        if draw(st.integers(0, 4)) == 0:
            scene["on_enter"] = effects(draw, kinds, codex_ids)
        if i >= n - k:
            scene["ending"] = ending_names[i - (n - k)]
        else:
            targets = [ids[i + 1]] if i + 1 < n - k else ids[n - k :]  # every scene reaches an ending
            targets += draw(st.lists(st.sampled_from(ids), max_size=2))
            choices = []
            for j, target in enumerate(targets):
                choice: dict[str, Any] = {"text": f"{j + 1}. {draw(PROSE)}", "goto": target}
                if draw(st.booleans()):
                    choice["id"] = f"c{j}"
                if j >= (1 if i + 1 < n - k else k) and draw(st.booleans()):
                    choice["if"] = condition(draw, kinds, ids)
                if draw(st.integers(0, 2)) == 0:
                    choice["effects"] = effects(draw, kinds, codex_ids)
                choices.append(choice)
            scene["choices"] = choices
        scenes.append(scene)
    manifest: dict[str, Any] = {"title": draw(PROSE) or "Fuzz", "start": ids[0], "variables": variables}
    if draw(st.booleans()):
        manifest["id"] = draw(IDS)
    if names and draw(st.booleans()):
        manifest["status"] = [{"var": v, "label": draw(PROSE) or v} for v in names[:2]]
    if draw(st.booleans()):
        manifest["endings"] = {name: draw(PROSE) or name for name in ending_names}
    if draw(st.booleans()):
        manifest["achievements"] = [{"id": "ach", "title": "Done", "if": condition(draw, kinds, ids)}]
    codex = [
        {"id": cid, "title": draw(PROSE) or cid, "text": draw(PROSE), "unlocked_by": pick(draw, ids)}
        for cid in codex_ids
    ]
    # spread over one to three files, sometimes in a subfolder
    cut = sorted(draw(st.lists(st.integers(0, n), min_size=2, max_size=2)))
    docs: dict[str, dict[str, Any]] = {"story.yaml": {"story": manifest}}
    if scenes[: cut[0]]:
        docs["story.yaml"]["scenes"] = scenes[: cut[0]]
    if scenes[cut[0] : cut[1]]:
        docs["part/one.yaml"] = {"scenes": scenes[cut[0] : cut[1]]}
    if scenes[cut[1] :]:
        docs["two.yml"] = {"scenes": scenes[cut[1] :]}
    if codex:
        docs.setdefault(draw(st.sampled_from(["story.yaml", "codex.yaml"])), {})["codex"] = codex
    style = {
        "allow_unicode": draw(st.booleans()),
        "default_flow_style": draw(st.sampled_from([False, None, True])),
        "width": draw(st.sampled_from([20, 80, 4096])),
        "explicit_start": draw(st.booleans()),
    }
    return Spec(docs, ids, style)


# --- checking results --------------------------------------------------------------------


def write(root: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def check_result(result: LoadResult, root: Path) -> None:
    """The loader's contract, whatever the input."""
    assert isinstance(result, LoadResult)
    for p in result.problems:
        assert type(p) is Problem, p
        assert p.severity in ("error", "warning"), p
        assert isinstance(p.message, str) and p.message, p
        assert isinstance(p.path, str) and p.path, p
        where = Path(p.path) if Path(p.path).is_absolute() else Path.cwd() / p.path
        if where.is_file():
            assert p.line >= 1 and p.col >= 1, f"no position for a problem in a file: {p}"
        assert str(p)
        json.dumps(p.to_dict())
    if result.story is None:
        assert result.errors, "no story and no error"
    else:
        assert not result.errors, [str(p) for p in result.errors]


def play(story: Story, seed: int, steps: int = 12) -> None:
    """A few random steps through a story that loaded: the checker's word that it can be played."""
    rnd = random.Random(seed)
    game = Game(story)
    for _ in range(steps):
        assert game.scene.text is not None
        game.status()
        json.dumps(game.snapshot())
        if game.is_over:
            game.achievements()
            break
        choices = game.choices
        if not choices:
            break
        game.choose(rnd.randrange(len(choices)) + 1)
        if rnd.random() < 0.2 and game.can_undo:
            game.undo()


def load_checked(root: Path, *, lenient: bool = False, use_cache: bool = False) -> LoadResult:
    with deadline_guard():
        result = load_story(root, lenient=lenient, cache_dir=cache_dir() if use_cache else None)
    check_result(result, root)
    return result


# --- mutations ---------------------------------------------------------------------------


def _get(node: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        node = node[step]
    return node


def _nested(depth: int, kind: str) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = [value] if kind == "list" else {"a": value}
    return value


def mutate_tree(data: st.DataObject, docs: dict[str, Any]) -> str:
    """One structural mutation of the documents; returns what it did (for the failure report)."""
    name = data.draw(st.sampled_from(sorted(docs)))
    paths = list(value_paths(docs[name]))
    path = data.draw(st.sampled_from(paths))
    parent_path, last = path[:-1], path[-1] if path else None
    op = data.draw(
        st.sampled_from(["replace", "delete", "unknown_key", "duplicate", "odd_id", "break_ref", "deep", "swap_doc"])
    )
    if op == "swap_doc" or not path:
        docs[name] = data.draw(st.sampled_from([*WEIRD_VALUES, {"scenes": {}}, {"story": []}, {"codex": "x"}]))
        return f"{name}: whole document replaced"
    parent = _get(docs[name], parent_path)
    if op == "replace":
        parent[last] = copy.deepcopy(data.draw(st.sampled_from(WEIRD_VALUES)))
    elif op == "delete":
        del parent[last]
    elif op == "unknown_key":
        target = _get(docs[name], path)
        if isinstance(target, dict):
            target[data.draw(st.sampled_from(["txt", "choice", "go_to", "If", "ID", "effect", 7, None]))] = "?"
        else:
            parent[last] = {"surprise": target}
    elif op == "duplicate":
        if isinstance(parent, list):
            parent.append(copy.deepcopy(parent[last]))
        else:
            parent[f"{last}_copy"] = copy.deepcopy(parent[last])
    elif op == "odd_id":
        parent[last] = data.draw(st.sampled_from(ODD_IDS) | st.text(max_size=6))
    elif op == "break_ref":
        parent[last] = data.draw(st.sampled_from(["nowhere", "s0", "", "prologue", "seen", "items"]))
    else:  # deep
        parent[last] = _nested(data.draw(st.integers(20, 60)), data.draw(st.sampled_from(["list", "dict"])))
    return f"{name}: {op} at {path!r}"


def mutate_bytes(data: st.DataObject, files: dict[str, bytes]) -> str:
    """One byte-level mutation of one file (or a new file); returns what it did."""
    name = data.draw(st.sampled_from(sorted(files)))
    text = files[name]
    op = data.draw(
        st.sampled_from(["truncate", "insert", "flip", "bad_utf8", "snippet", "snippet", "bomb", "random", "new_file"])
    )
    at = data.draw(st.integers(0, len(text)))
    if op == "truncate":
        files[name] = text[:at]
    elif op == "insert":
        files[name] = text[:at] + data.draw(st.binary(max_size=16)) + text[at:]
    elif op == "flip" and text:
        at = min(at, len(text) - 1)
        files[name] = text[:at] + bytes([text[at] ^ data.draw(st.integers(1, 255))]) + text[at + 1 :]
    elif op == "bad_utf8":
        files[name] = text[:at] + data.draw(st.sampled_from(BAD_UTF8)) + text[at:]
    elif op == "snippet":
        lines = text.split(b"\n")
        i = data.draw(st.integers(0, max(0, len(lines) - 1)))
        snippet = data.draw(st.sampled_from(SNIPPETS)).encode("utf-8")
        line = lines[i]
        if b": " in line and data.draw(st.booleans()):
            lines[i] = line.split(b": ", 1)[0] + b": " + snippet  # a value replaced
        else:
            indent = line[: len(line) - len(line.lstrip())]
            lines.insert(i, indent + snippet)
        files[name] = b"\n".join(lines)
    elif op == "bomb":
        files[name] = (BOMB + data.draw(st.sampled_from(BOMB_USES))).encode()
    elif op == "random":
        files[name] = data.draw(st.binary(max_size=200))
    else:
        extra = data.draw(st.sampled_from(["junk.yaml", "ü/ñ.yml", "deep/er/x.yaml", "a.yaml.yaml", "story2.yaml"]))
        files[extra] = data.draw(st.binary(max_size=100) | st.sampled_from([t.encode() for t in SNIPPETS]))
        return f"new file {extra}"
    return f"{name}: {op} at byte {at}"


# --- the tests -----------------------------------------------------------------------------

FUZZ = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(spec=stories(), seed=st.integers(0, 2**16))
def test_generated_stories_load_clean_play_and_cache(spec: Spec, seed: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = write(Path(tmp), spec.files())
        result = load_checked(root, use_cache=True)
        assert result.story is not None, [str(p) for p in result.problems]
        assert list(result.story.scenes) == _scene_order(spec)
        again = load_checked(root, use_cache=True)  # from the compiled-story cache when it is clean
        assert again.story is not None and again.problems == result.problems
        assert _summary(again.story) == _summary(result.story)
        play(again.story, seed)


@FUZZ
@given(spec=stories(), data=st.data())
def test_mutated_stories_load_or_report_located_problems(spec: Spec, data: st.DataObject) -> None:
    docs = copy.deepcopy(spec.docs)
    for _ in range(data.draw(st.integers(1, 3))):
        note(mutate_tree(data, docs))
    files = {name: dump(doc, spec.style) for name, doc in docs.items()}
    for _ in range(data.draw(st.integers(0, 2))):
        note(mutate_bytes(data, files))
    with tempfile.TemporaryDirectory() as tmp:
        root = write(Path(tmp), files)
        result = load_checked(root, lenient=data.draw(st.booleans()), use_cache=data.draw(st.booleans()))
        if result.story is not None:
            play(result.story, data.draw(st.integers(0, 2**16)))


@FUZZ
@given(spec=stories(), data=st.data())
def test_byte_mutations_load_or_report_located_problems(spec: Spec, data: st.DataObject) -> None:
    files = spec.files()
    for _ in range(data.draw(st.integers(1, 4))):
        note(mutate_bytes(data, files))
    with tempfile.TemporaryDirectory() as tmp:
        root = write(Path(tmp), files)
        result = load_checked(root, lenient=data.draw(st.booleans()))
        if result.story is not None:
            play(result.story, data.draw(st.integers(0, 2**16)))


YAMLISH = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=True)
    | st.text(max_size=20)
    | st.sampled_from(ODD_IDS),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8) | st.integers(), inner, max_size=4),
    max_leaves=25,
)
TOP = st.dictionaries(st.sampled_from(["story", "scenes", "codex", "stroy", "scene"]), YAMLISH, max_size=3)


@FUZZ
@given(files=st.dictionaries(st.sampled_from(["story.yaml", "a.yaml", "b/c.yml"]), TOP | YAMLISH, min_size=1))
def test_random_documents_never_crash(files: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = write(Path(tmp), {name: dump(doc, {"allow_unicode": True}) for name, doc in files.items()})
        load_checked(root)


@FUZZ
@given(files=st.dictionaries(st.sampled_from(["story.yaml", "x.yaml", "y.yml"]), st.binary(max_size=300), min_size=1))
def test_random_bytes_never_crash(files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = write(Path(tmp), files)
        load_checked(root)


@pytest.mark.parametrize("snippet", SNIPPETS, ids=[f"snippet{i}" for i in range(len(SNIPPETS))])
def test_every_snippet_as_a_scene_text_and_a_condition(snippet: str, tmp_path: Path) -> None:
    """The hostile inputs above, each placed where a story keeps prose and where it keeps a condition."""
    base = "story:\n  title: T\n  start: a\n  variables: {coins: 1, flag: false}\n"
    for where in (
        "    text: {}\n    ending: e\n",
        "    text: t\n    choices:\n      - text: go\n        if: {}\n        goto: a\n",
    ):
        (tmp_path / "story.yaml").write_text(base, encoding="utf-8")
        (tmp_path / "scenes.yaml").write_text("scenes:\n  - id: a\n" + where.replace("{}", snippet), encoding="utf-8")
        load_checked(tmp_path)


def _scene_order(spec: Spec) -> list[str]:
    order = []
    for name in sorted(spec.docs, key=Path):  # the loader reads files in this order
        order += [s["id"] for s in spec.docs[name].get("scenes", [])]
    return order


def _summary(story: Story) -> list[Any]:
    out: list[Any] = []
    for sid in story.scenes:
        scene = story.scenes[sid]
        out.append(
            (
                sid,
                scene.title,
                [(p.text, p.condition and p.condition.source) for p in scene.paragraphs],
                [(c.key, c.text, c.goto, c.condition and c.condition.source, c.effects) for c in scene.choices],
                scene.on_enter,
                scene.ending,
            )
        )
    return out
