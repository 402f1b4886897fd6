"""``evegame explore --report FILE.html``: one self-contained page a person reads.

No script and nothing fetched: inline CSS, and the story map as inline SVG (scenes in
rows by their distance from the start, each shaded by how often it was reached:
random games' visits, or the exhaustive search's states). Then the coverage tables,
the text never shown (with the reason, from an exhaustive search), the hit counts and
the agency figures (``agency``).
"""

from __future__ import annotations

import math
from collections import deque
from html import escape
from typing import Any

from ..engine.model import Story
from . import report as rep
from .agency import Agency
from .exhaustive import ExhaustiveReport
from .randomwalk import RandomReport
from .report import Coverage
from .sim import leads_to

CSS = """
body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:72em;padding:0 1em;color:#1d1d1f}
h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:2em;border-bottom:1px solid #ddd}
.verdict{font-weight:bold;padding:.3em .6em;border-radius:4px;display:inline-block}
.ok{background:#d9f2dd}.fail{background:#f8d7d7}.incomplete{background:#fdf0c8}
table{border-collapse:collapse;margin:.5em 0}td,th{padding:.2em .7em;border-bottom:1px solid #eee;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums}.missed{color:#9b1c1c}
.map{overflow:auto;border:1px solid #ddd;max-height:48em}.small{color:#666;font-size:.9em}
code{background:#f4f4f6;padding:0 .2em;border-radius:3px}
"""
NODE_W, NODE_H, GAP_X, GAP_Y = 150, 26, 16, 30


def render(story: Story, label: str, result: RandomReport | ExhaustiveReport, agency: Agency) -> str:
    """The whole page for one exploration."""
    if isinstance(result, RandomReport):
        cov, verdict = rep.random_summary(result, label, None)
        text = rep.random_text_coverage(result)
        heat = result.scene_hits
        mode = f"random exploration: {result.games:,} games, seed {result.seed}"
        heat_word = "visits"
    else:
        cov, verdict = rep.exhaustive_summary(result, None)
        text = rep.exhaustive_text_coverage(result)
        heat = result.scene_states
        mode = f"exhaustive exploration: {result.states:,} states, {result.edges:,} choices followed"
        heat_word = "states"
    css_class = verdict.word.lower()
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>evegame report: {escape(story.title)}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>{escape(story.title)}</h1>",
        f'<p>{escape(mode)} of <code>{escape(label)}</code> &nbsp; <span class="verdict {css_class}">'
        f"{escape(verdict.line())}</span></p>",
        '<h2 id="map">Story map</h2>',
        f'<p class="small">Each scene shaded by {heat_word} (darker: more; outlined red: never reached). '
        "Rows: distance in choices from the start.</p>",
        f'<div class="map">{story_map(story, result.table.ids, heat)}</div>',
        '<h2 id="coverage">Coverage</h2>',
        _coverage_table({**cov, **text}),
        '<h2 id="never-shown">Text never shown</h2>',
        *_never_shown(result, text),
        '<h2 id="hits">Hit counts</h2>',
        *_hits(result),
        '<h2 id="agency">Agency</h2>',
        *_agency(agency),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


# --- the map ------------------------------------------------------------------------------------


def story_map(story: Story, ids: list[str], heat: list[int]) -> str:
    """An SVG of the scenes (rows by distance from the start) and their choices."""
    depth = {story.start: 0}
    queue = deque([story.start])
    while queue:
        sid = queue.popleft()
        for c in story.scenes[sid].choices:
            for target in leads_to(story, c):
                if target not in depth:
                    depth[target] = depth[sid] + 1
                    queue.append(target)
    last = max(depth.values(), default=0) + 1
    rows: dict[int, list[str]] = {}
    for sid in ids:
        rows.setdefault(depth.get(sid, last), []).append(sid)
    pos: dict[str, tuple[float, float]] = {}
    width = max((len(r) for r in rows.values()), default=1) * (NODE_W + GAP_X) + GAP_X
    for d, row in sorted(rows.items()):
        offset = (width - len(row) * (NODE_W + GAP_X)) / 2
        for n, sid in enumerate(row):
            pos[sid] = (offset + n * (NODE_W + GAP_X) + GAP_X / 2, GAP_Y / 2 + d * (NODE_H + GAP_Y))
    height = (max(rows) + 1) * (NODE_H + GAP_Y)
    top = max(heat, default=0)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="system-ui,sans-serif" font-size="10">'
    ]
    for sid in ids:
        x, y = pos[sid]
        for c in story.scenes[sid].choices:
            dashed = ' stroke-dasharray="3 3"' if c.branches or c.returns else ""  # branch or return: may go there
            for target in leads_to(story, c):
                tx, ty = pos[target]
                out.append(
                    f'<line x1="{x + NODE_W / 2:.0f}" y1="{y + NODE_H:.0f}" x2="{tx + NODE_W / 2:.0f}" '
                    f'y2="{ty:.0f}" stroke="#8a8fa3" stroke-opacity="0.35"{dashed}/>'
                )
    for sid, hits in zip(ids, heat, strict=True):
        x, y = pos[sid]
        scene = story.scenes[sid]
        level = math.log1p(hits) / math.log1p(top) if top else 0.0
        fill = _shade(level)
        stroke = ' stroke="#c0392b" stroke-width="2" stroke-dasharray="4 2"' if hits == 0 else ' stroke="#555"'
        ink = "#fff" if level > 0.6 else "#111"
        name = sid if len(sid) <= 22 else sid[:21] + "…"
        tip = f"{sid}: {scene.title or sid}; {hits:,}" + (f"; ending {scene.ending}" if scene.ending else "")
        rx = 12 if scene.is_ending else 3
        out.append(
            f'<g><title>{escape(tip)}</title><rect x="{x:.0f}" y="{y:.0f}" width="{NODE_W}" height="{NODE_H}" '
            f'rx="{rx}" fill="{fill}"{stroke}/><text x="{x + NODE_W / 2:.0f}" y="{y + NODE_H / 2 + 3.5:.0f}" '
            f'text-anchor="middle" fill="{ink}">{escape(name)}</text></g>'
        )
    out.append("</svg>")
    return "".join(out)


def _shade(level: float) -> str:
    """White to deep blue."""
    r, g, b = (int(255 + (c - 255) * level) for c in (31, 78, 160))
    return f"#{r:02x}{g:02x}{b:02x}"


# --- tables -----------------------------------------------------------------------------------


def _coverage_table(rows: dict[str, Coverage]) -> str:
    out = ["<table><tr><th>what</th><th>covered</th><th>of</th><th>%</th><th>missed</th></tr>"]
    for name, c in rows.items():
        missed = "<br>".join(escape(m) for m in c.missed[:50]) + (
            f"<br>… and {len(c.missed) - 50} more" if len(c.missed) > 50 else ""
        )
        out.append(
            f'<tr><td>{escape(name)}</td><td class="n">{c.covered:,}</td><td class="n">{c.total:,}</td>'
            f'<td class="n">{c.percent:.1f}</td><td class="missed">{missed}</td></tr>'
        )
    out.append("</table>")
    return "".join(out)


def _never_shown(result: RandomReport | ExhaustiveReport, text: dict[str, Coverage]) -> list[str]:
    if isinstance(result, RandomReport):
        missed = [m for c in text.values() for m in c.missed]
        note = (
            "<p>Not shown in these random games (a random exploration cannot tell never from rarely; "
            "an exhaustive one gives the reason):</p>"
        )
        return [note, "<ul>", *(f"<li>{escape(m)}</li>" for m in missed), "</ul>"] if missed else ["<p>None.</p>"]
    items = rep.never_shown(result)
    if not items:
        return ["<p>None: every conditional paragraph and achievement holds in some reachable state.</p>"]
    out = ["<table><tr><th>where</th><th>text</th><th>condition</th><th>why it never shows</th></tr>"]
    for i in items:
        why = i["reason"] if i["decided"] else f"undecided: {i['reason']}"
        out.append(
            f"<tr><td><code>{escape(i['where'])}</code></td><td>{escape(i['label'])}</td>"
            f"<td><code>{escape(i['condition'])}</code></td><td>{escape(why)}</td></tr>"
        )
    out.append("</table>")
    return out


def _hits(result: RandomReport | ExhaustiveReport) -> list[str]:
    if isinstance(result, ExhaustiveReport):
        rows = sorted(zip(result.table.ids, result.scene_states, strict=True), key=lambda r: -r[1])
        return [
            "<p>States explored per scene.</p><table><tr><th>scene</th><th>states</th></tr>",
            *(f'<tr><td>{escape(s)}</td><td class="n">{n:,}</td></tr>' for s, n in rows),
            "</table>",
        ]
    counts: dict[str, Any] = rep.hit_counts(result)
    out = [f"<p>Times reached in {result.games:,} games: scenes, choices and conditional text.</p>"]
    out.append("<table><tr><th>scene</th><th>hits</th></tr>")
    out += [f'<tr><td>{escape(s)}</td><td class="n">{n:,}</td></tr>' for s, n in counts["scenes"].items()]
    out.append("</table><table><tr><th>choice</th><th>hits</th></tr>")
    out += [f'<tr><td>{escape(c)}</td><td class="n">{n:,}</td></tr>' for c, n in counts["choices"].items()]
    out.append("</table><table><tr><th>text</th><th>where</th><th>condition</th><th>hits</th></tr>")
    out += [
        f"<tr><td>{escape(t['label'])}</td><td><code>{escape(t['where'])}</code></td>"
        f'<td><code>{escape(t["condition"])}</code></td><td class="n">{t["hits"]:,}</td></tr>'
        for t in counts["text"]
    ]
    out.append("</table>")
    return out


def _agency(a: Agency) -> list[str]:
    out = [
        "<table>",
        f'<tr><td>choices</td><td class="n">{a.choices:,}</td><td>{a.flavour} marked flavour, counted apart</td></tr>',
        f'<tr><td>change what happens next</td><td class="n">{a.change_next:,}</td><td>{a.share(a.change_next)}%</td></tr>',
        f'<tr><td>set state</td><td class="n">{a.sets_state:,}</td><td>{a.share(a.sets_state)}%</td></tr>',
        f'<tr><td>indistinguishable from a sibling</td><td class="n">{len(a.indistinguishable):,}</td>'
        f"<td>{a.share(len(a.indistinguishable))}%</td></tr>",
        "</table>",
    ]
    for title, items in (
        ("Choices indistinguishable from a sibling", a.indistinguishable),
        *(
            [
                ("Choices marked flavour (counted apart)", a.flavour_choices),
                ("Choices marked flavour that change what happens next", a.flavour_that_matters),
            ]
            if a.flavour_choices
            else []
        ),
        ("Choices whose effects nothing later reads", a.unread_effects),
        ("Variables set but never read", a.set_never_read),
        ("Items given but never tested", a.given_never_tested),
        ("Scenes whose every choice leads to the same place unchanged", a.cosmetic_scenes),
    ):
        out.append(f"<h3>{escape(title)}: {len(items)}</h3>")
        if items:
            out.append("<ul>" + "".join(f"<li>{escape(x)}</li>" for x in items) + "</ul>")
    if a.endings:
        out.append(f"<h3>Endings in {a.games:,} uniform random games (seed {a.seed})</h3>")
        out.append("<table><tr><th>ending</th><th>title</th><th>share</th><th>median words read</th></tr>")
        for e in a.endings:
            words = f"{e.median_words:,.0f}" if e.median_words is not None else "-"
            out.append(
                f'<tr><td>{escape(e.ending)}</td><td>{escape(e.title)}</td><td class="n">{e.share:.1f}%</td>'
                f'<td class="n">{words}</td></tr>'
            )
        out.append("</table>")
    return out
