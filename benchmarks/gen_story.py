"""Generate a synthetic story of N scenes in the real story format.

The shape follows the shipped story (``story/``), scaled down to ~100 words of
text per scene as the issue asks:

* text as 2-4 paragraphs, mostly folded block scalars (``>-``) wrapped at ~76
  columns like the hand-written chapters, some quoted dialogue, and a
  conditional paragraph (``if:`` + ``text:``) in about a third of the scenes;
* 2-4 choices per scene, about 40 % with a condition (comparisons, ``and``/``not``,
  ``'x' in items``, ``seen(scene)``) and 30 % with effects (``add``, ``set``,
  ``give``, ``take``, ``unlock``), flow mappings as in the chapters;
* ``on_enter`` effects in a fifth of the scenes, endings with titles, codex
  entries unlocked by scenes and by effects, a status bar in the manifest;
* spread over many files (50 scenes per file, 20 files per folder), with the
  schema comment line the chapters start with.

Every scene is reachable (a spine of unconditional choices), every ending is
reachable, every variable is used: the story checks clean with ``--strict``.
The output depends only on N and the seed.

    python benchmarks/gen_story.py 10000 /tmp/story10k
"""

from __future__ import annotations

import argparse
import random
import shutil
import textwrap
from pathlib import Path

_VOCABULARY = """
you the rain continental coin charon marker table bridge prague theatre dance blade quiet corridor ledger
winston lamp shadow river knife gold rule bow silence steps velvet smoke glass stairwell ticket brand grey
choir courtesy debt oath night snow chapel wound doctor director ballet mirror rose door key floor hand
the a of and in her his it to on at with
"""
WORDS = tuple(_VOCABULARY.split())
PER_FILE = 50
FILES_PER_DIR = 20
ENDINGS = 8
CODEX = 60
SCHEMA = "# yaml-language-server: $schema=../../src/evegame/schemas/story.schema.json"
CONDITIONS = (
    "coins >= 1",
    "coins >= 2 and not excommunicado",
    "'knife' in items",
    "'pistol' not in items",
    "heat < 5 or favour >= 2",
    "wounds <= 2",
    "favour >= 3",
    "seen({seen})",
    "coins * 2 + favour > 5",
    "not empty(items) and len(items) < 3",
    "resolve >= 3",
)


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + rng.choice(".....!?")


def words(rng: random.Random, total: int) -> str:
    out, left = [], total
    while left > 0:
        n = min(left, rng.randint(5, 14))
        out.append(sentence(rng, n))
        left -= n
    return " ".join(out)


def folded(text: str, indent: int) -> list[str]:
    pad = " " * indent
    return [pad + line for line in textwrap.wrap(text, 76 - indent)]


def paragraph_lines(rng: random.Random, n_words: int) -> list[str]:
    """One list item of ``text:``: folded (most), a quoted line of dialogue, or plain."""
    style = rng.random()
    if style < 0.7:
        return ["      - >-", *folded(words(rng, n_words), 8)]
    if style < 0.85:
        return [f'      - "\\"{words(rng, n_words)}\\" she says."']
    return [f"      - {words(rng, n_words)}"]


def effects_lines(rng: random.Random, kind: int, codex_id: str, indent: str) -> list[str]:
    if kind == 0:
        return [f"{indent}effects:", f"{indent}  add: {{coins: -1, heat: {rng.randint(1, 2)}}}"]
    if kind == 1:
        return [f"{indent}effects:", f"{indent}  give: [pistol]", f"{indent}  add: {{favour: 1}}"]
    if kind == 2:
        return [f"{indent}effects:", f"{indent}  take: [knife]", f"{indent}  set: {{excommunicado: true}}"]
    if kind == 3:
        return [f"{indent}effects:", f"{indent}  - unlock: [{codex_id}]", f"{indent}  - add: {{wounds: 1}}"]
    if kind == 4:
        return [f"{indent}effects:", f"{indent}  give: [knife]", f"{indent}  set: {{met_wick: true}}"]
    return [
        f"{indent}effects:",
        f'{indent}  - set: {{heat: "heat + wounds // 2"}}',
        f"{indent}  - add: {{resolve: -1}}",
    ]


def scene_yaml(i: int, n: int, rng: random.Random) -> list[str]:
    first_ending = n - ENDINGS
    lines = [f"  - id: s{i}", f"    title: {sentence(rng, rng.randint(2, 4))[:-1]}", "    text:"]
    budget = rng.randint(90, 110)
    paragraphs = rng.randint(2, 4)
    conditional = rng.random() < 0.35
    shares = [budget // paragraphs] * paragraphs
    for k, share in enumerate(shares):
        if conditional and k == paragraphs - 1:
            cond = rng.choice(CONDITIONS).format(seen=f"s{max(0, i - rng.randint(1, 30))}")
            lines += [f'      - if: "{cond}"', "        text: >-", *folded(words(rng, share), 10)]
            if rng.random() < 0.5:  # v2: an else part
                lines += ["        else: >-", *folded(words(rng, share // 2), 10)]
        elif rng.random() < 0.1:  # v2: an inline alternative and interpolation
            lines += [f'      - "{words(rng, share // 2)} {{if heat > 2: {words(rng, 4)}|{words(rng, 4)}}} {{coins}}."']
        else:
            lines += paragraph_lines(rng, share)
    if rng.random() < 0.2:
        lines += ["    on_enter:", f"      add: {{heat: {rng.choice((1, -1))}}}"]
    if i >= first_ending:
        lines.append(f"    ending: end{i - first_ending}")
        return lines
    targets = [i + 1]  # the spine: every scene is reachable, every path ends
    last = first_ending - 1 - i  # the last ENDINGS // 2 scenes before the endings lead to two each
    if last < ENDINGS // 2:
        targets = [*targets[: min(1, last)], first_ending + 2 * last, first_ending + 2 * last + 1]
    else:
        targets += [min(first_ending - 1, i + rng.randint(2, 40)) for _ in range(rng.randint(1, 3))]
    lines.append("    choices:")
    for k, target in enumerate(targets):
        text = sentence(rng, rng.randint(4, 10))
        if rng.random() < 0.1:  # v2: interpolation in a choice
            text = f'"{text[:-1]} ({{coins}} coins)"'
        lines += [f"      - id: c{k}", f"        text: {text}"]
        if k > 0 and rng.random() < 0.55:
            cond = rng.choice(CONDITIONS).format(seen=f"s{max(0, i - rng.randint(1, 30))}")
            lines.append(f'        if: "{cond}"')
        if k > 0 and rng.random() < 0.1:  # v2: choices that remember and refuse
            lines.append("        once: true")
        if k > 0 and rng.random() < 0.05:
            lines += ['        requires: "coins + favour >= 3"', '        locked: "You have {coins} coins."']
        if rng.random() < 0.3:
            lines += effects_lines(rng, rng.randrange(6), f"codex{rng.randrange(CODEX)}", "        ")
        branch = rng.random()
        if k > 0 and branch < 0.05:  # v2: goto by condition
            lines += [
                "        goto:",
                f'          - {{if: "heat * 2 > wounds", scene: s{target}}}',
                f"          - {{scene: s{i + 1}}}",
            ]
        elif k > 0 and branch < 0.08:  # v2: goto by chance
            lines += [
                "        goto:",
                f"          - {{chance: 40, scene: s{target}}}",
                f"          - {{chance: 60, scene: s{i + 1}}}",
            ]
        else:
            lines.append(f"        goto: s{target}")
    if i % 50 == 1 and i + 1 < first_ending:  # v2: a call into a subroutine that returns
        lines += [
            f"      - id: c{len(targets)}",
            "        text: Step aside for a moment",
            f"        call: sub{i // 50 % subroutine_count(n)}",
            f"        goto: s{i + 1}",
        ]
    return lines


def subroutine_count(n: int) -> int:
    """As many subroutines as call sites, at most four."""
    return min(4, len(range(1, n - ENDINGS - 1, 50)))


def subroutines(n: int) -> list[str]:
    """Scenes reached only by 'call', each returning."""
    lines = [SCHEMA, "# Subroutines: reached by call, left by return.", "scenes:"]
    for k in range(subroutine_count(n)):
        lines += [f"  - id: sub{k}", '    text: "An aside, {coins} coins in hand."', "    choices:"]
        lines += ["      - id: back", "        text: Go back", "        return: true", ""]
    return lines


def manifest(n: int) -> str:
    endings = "\n".join(f"    end{k}: {'Ending ' + str(k)}" for k in range(ENDINGS))
    return f"""{SCHEMA.replace("../../", "../")}
# The manifest of a synthetic story of {n} scenes (benchmarks/gen_story.py).
story:
  id: synthetic
  title: "Synthetic: {n} scenes"
  author: benchmarks/gen_story.py
  version: "1.0"
  start: s0
  inventory: items
  variables:
    coins: 4
    wounds: 0
    heat: 0
    favour: 2
    resolve: {{value: 5, min: 0, max: 10}}
    excommunicado: false
    met_wick: false
    items: [ticket]
  status:
    - {{var: coins, label: Gold coins}}
    - {{var: wounds, label: Wounds}}
    - {{var: heat, label: High Table heat}}
    - {{var: excommunicado, label: Excommunicado, if: excommunicado}}
    - {{var: met_wick, label: Met Wick, if: met_wick}}
    - {{var: items, label: Carrying}}
  endings:
{endings}
"""


def generate(n: int, out: Path, seed: int = 1) -> Path:
    """Write a story of ``n`` (>= 2 * 8 + 2) scenes to ``out`` (replaced); return ``out``."""
    if n < 2 * ENDINGS + 2:
        raise ValueError(f"a synthetic story needs at least {2 * ENDINGS + 2} scenes")
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / "story.yaml").write_text(manifest(n), encoding="utf-8")
    for f in range(0, n, PER_FILE):
        number = f // PER_FILE
        sub = out / f"part{number // FILES_PER_DIR:03d}"
        sub.mkdir(exist_ok=True)
        lines = [SCHEMA, f"# Scenes {f} to {min(n, f + PER_FILE) - 1}.", "scenes:"]
        for i in range(f, min(n, f + PER_FILE)):
            lines += scene_yaml(i, n, rng)
            lines.append("")
        (sub / f"scenes_{number:05d}.yaml").write_text("\n".join(lines), encoding="utf-8")
    codex = [SCHEMA.replace("../../", "../"), "codex:"]
    for k in range(CODEX):
        codex += [f"  - id: codex{k}", f"    title: {sentence(rng, 3)[:-1]}", f"    category: Lore {k % 4}"]
        codex += ["    text: >-", *folded(words(rng, 40), 6)]
        codex.append(f"    unlocked_by: s{k * 7919 % n}")
        codex.append("")
    (out / "codex.yaml").write_text("\n".join(codex), encoding="utf-8")
    (out / "subroutines.yaml").write_text("\n".join(subroutines(n)), encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenes", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.scenes, args.out, args.seed)
    print(f"wrote {args.scenes} scenes to {args.out}")


if __name__ == "__main__":
    main()
