"""Generate a synthetic story of N scenes in the real story format.

The shape follows the shipped story: ~100 words of text per scene with a
conditional paragraph now and then, 2-4 choices with conditions and effects,
codex entries, spread over many files (100 scenes per file). Every scene is
reachable and every ending reachable, so the story checks clean.

    python benchmarks/gen_story.py 10000 /tmp/story10k
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

WORDS = ["you", "the", "rain", "continental", "coin", "charon", "marker", "table", "bridge", "prague", "theatre", "dance", "blade", "quiet", "corridor", "ledger", "winston", "lamp", "shadow", "river", "knife", "gold", "rule", "bow", "silence", "steps", "velvet", "smoke", "glass", "stairwell", "ticket", "brand", "grey", "choir", "courtesy", "debt", "oath", "night", "snow", "chapel", "wound", "doctor"]
PER_FILE = 100


def sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random, words: int) -> str:
    out, left = [], words
    while left > 0:
        n = min(left, rng.randint(6, 14))
        out.append(sentence(rng, n))
        left -= n
    return " ".join(out)


def scene_yaml(i: int, n: int, rng: random.Random, endings: int) -> str:
    sid = f"s{i}"
    lines = [f"  - id: {sid}", f"    title: Scene {i}", "    text:", f"      - {paragraph(rng, 80)}"]
    if i % 3 == 0:
        lines += ["      - if: coins >= 2", f"        text: {paragraph(rng, 20)}"]
    if i % 7 == 0:
        lines += ["    on_enter:", "      add: {heat: 1}"]
    first_ending = n - endings
    if i >= first_ending:
        lines += [f"    ending: end{i - first_ending}"]
        return "\n".join(lines)
    targets = [i + 1]  # a spine keeps every scene reachable
    for _ in range(rng.randint(1, 3)):
        targets.append(min(n - 1, i + rng.randint(1, 40)))
    if i + 1 >= first_ending:
        targets = [first_ending + k for k in range(endings)]
    lines.append("    choices:")
    for k, target in enumerate(targets):
        lines += [f"      - id: c{k}", f"        text: {sentence(rng, 5)}"]
        if k == 1:
            lines.append("        if: coins >= 1 and not excommunicado")
            lines += ["        effects:", "          add: {coins: -1}", "          give: [pistol]"]
        elif k == 2:
            lines.append("        if: \"'pistol' in items or heat < 5\"")
            lines += ["        effects:", "          set: {excommunicado: false}"]
        lines.append(f"        goto: s{target}")
    return "\n".join(lines)


def generate(n: int, out: Path, seed: int = 1) -> Path:
    rng = random.Random(seed)
    endings = min(8, max(2, n // 10))
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / "story.yaml").write_text(
        "story:\n  title: Synthetic\n  start: s0\n  variables:\n    coins: 3\n    heat: 0\n"
        "    excommunicado: false\n    items: []\n"
        "  status:\n    - {var: coins, label: Coins}\n",
        encoding="utf-8",
    )
    for f in range(0, n, PER_FILE):
        body = "\n".join(scene_yaml(i, n, rng, endings) for i in range(f, min(n, f + PER_FILE)))
        sub = out / f"part{f // (PER_FILE * 20):03d}"
        sub.mkdir(exist_ok=True)
        (sub / f"scenes_{f // PER_FILE:05d}.yaml").write_text("scenes:\n" + body + "\n", encoding="utf-8")
    codex = "\n".join(f"  - id: c{i}\n    title: Entry {i}\n    text: {paragraph(rng, 40)}\n    unlocked_by: s{i * 7 % n}" for i in range(min(50, n)))
    (out / "codex.yaml").write_text("codex:\n" + codex + "\n", encoding="utf-8")
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
