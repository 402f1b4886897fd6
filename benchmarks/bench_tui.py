"""TUI responsiveness, each figure against a bare Textual app doing the same widget updates, side by side.

    python benchmarks/bench_tui.py                 # 100-choice game, 7 rounds
    python benchmarks/bench_tui.py --choices 60 --rounds 5

Figures (targets from the TUI issue):
  choice   a choice key to the next scene drawn (title, text, choices, status), per step, vs a
           bare app whose key handler puts the same scene into the same widget kinds   <= 1.3x
  history  "h" to the History panel drawn after a 100-choice game: median time, and the ratio
           to a bare app pushing a modal screen with the same transcript as one Static    <= 100 ms

Both apps run headless in this process at 80x24, in turn (A B, B A, ...), each key timed from
the press to the frame that shows its result (the compositor's update handed to the driver,
``App._display``), in wall and CPU time of this process (the apps run one at a time, so the CPU
time is the work each does). The
story is generated: scenes of about 1,400 characters (the shipped story's average), two
choices that loop and one that ends, so a game can be any length. Saves go to a temp folder.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Header, Markdown, OptionList, Static

from evegame.engine import Game, read_story
from evegame.session import to_markdown, transcript
from evegame.tui import EveGameApp

SIZE = (80, 24)
PARAGRAPH = (
    "The rain has not stopped since the theatre. Eve counts the doors, the windows and the hands "
    "of the men at the bar, and keeps her own hands where the barman can see them. *Nobody here "
    "is a friend,* the Director said once, *and nobody here is an enemy until they move.* "
)


def write_story(root: Path) -> Path:
    """Two scenes that lead to each other (so a game is as long as we like) and an ending."""
    import yaml

    def scene(sid: str, other: str) -> dict[str, Any]:
        return {
            "id": sid,
            "title": f"The {sid.capitalize()}",
            "text": [PARAGRAPH * 2] * 3,
            "choices": [
                {"text": f"Walk on to the {other}", "effects": {"add": {"steps": 1}}, "goto": other},
                {"text": f"Wait a while, then go to the {other}", "goto": other},
                {"text": "Go home", "goto": "home"},
            ],
        }

    manifest = {
        "id": "bench",
        "title": "Bench",
        "start": "street",
        "variables": {"steps": 0},
        "status": [{"var": "steps", "label": "Steps"}],
        "endings": {"home": "Home"},
    }
    scenes = [scene("street", "bar"), scene("bar", "street"), {"id": "home", "text": "You go home.", "ending": "home"}]
    root.mkdir(parents=True, exist_ok=True)
    (root / "story.yaml").write_text(yaml.safe_dump({"story": manifest}, sort_keys=False))
    (root / "scenes.yaml").write_text(yaml.safe_dump({"scenes": scenes}, sort_keys=False, width=1000))
    return root


class BareScene(App[None]):
    """The baseline: the play screen's widget kinds, updated by a key handler with precomputed scenes."""

    CSS = """
    #scene { height: 1fr; } #choices { height: auto; max-height: 50%; } #side { width: 28; }
    """
    BINDINGS: ClassVar = [Binding("1", "next", "Next"), Binding("h", "history", "History")]

    def __init__(self, views: list[tuple[str, str, list[str], str]], history: str = "") -> None:
        super().__init__()
        self.views, self.step, self.history = views, 0, history

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            with Vertical():
                with VerticalScroll(id="scene"):
                    yield Static(id="title")
                    yield Markdown(id="text")
                yield OptionList(id="choices")
            yield Static(id="side")
        yield Footer()

    def on_mount(self) -> None:
        self.show(0)

    def show(self, step: int) -> None:
        title, text, choices, side = self.views[step]
        self.query_one("#title", Static).update(title)
        markdown = self.query_one("#text", Markdown)
        ready = text_replaced(markdown)
        markdown.update(text)
        menu = self.query_one("#choices", OptionList)
        menu.set_options([f"{n}. {c}" for n, c in enumerate(choices, 1)])
        menu.highlighted = 0
        self.query_one("#side", Static).update(side)
        self.query_one("#scene", VerticalScroll).scroll_home(animate=False)
        MARKS.after_paint(self.screen, ready)

    def action_next(self) -> None:
        self.step = min(self.step + 1, len(self.views) - 1)
        self.show(self.step)

    def action_history(self) -> None:
        self.push_screen(BareHistory(self.history))


class BareHistory(ModalScreen[None]):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(self.text, markup=False)

    def on_mount(self) -> None:
        MARKS.after_paint(self)


class Marks:
    """When the frame showing the change under measurement was drawn (set by hooks).

    ``after_paint`` arms the mark with a test of "the change is on screen"; the app's first
    ``_display`` (a frame the compositor made, handed to the terminal driver) at which the test
    holds sets it. A Markdown's new text is parsed in a thread and mounted a few frames later: the
    scene counts as drawn once its new blocks are mounted. Work scheduled after that frame
    (``call_after_refresh``) is not counted: the player already sees the new scene.
    """

    def __init__(self) -> None:
        self.painted = asyncio.Event()
        self.wall = self.cpu = 0.0
        self.ready: Any = None  # armed: the test that the change is on screen

    def mark(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        self.painted.set()

    def after_paint(self, widget: Any, ready: Any = lambda: True) -> None:
        """Mark at the first frame drawn once ``ready()`` holds."""
        app = widget.app
        if not getattr(app, "_bench_hooked", False):
            display = app._display

            def display_and_mark(screen: Any, renderable: Any) -> None:
                display(screen, renderable)
                if renderable is not None and self.ready is not None and self.ready():
                    self.ready = None
                    self.mark()

            app._display = display_and_mark
            app._bench_hooked = True
        self.ready = ready


def text_replaced(markdown: Markdown) -> Any:
    """A test that ``markdown`` shows the text given to it after now: its first block is a new, mounted one."""
    before = markdown.children[0] if markdown.children else None

    def ready() -> bool:
        first = markdown.children[0] if markdown.children else None
        return first is not None and first is not before and first.is_mounted

    return ready


MARKS = Marks()


def settle_heap() -> None:
    """Collect, then freeze what is left: a full garbage collection of what earlier runs in this process
    left behind (the bare History's 168,000-character Static, Textual's caches) must not land in a
    timed key of the next app (it cost either app 150-300 ms at random)."""
    gc.collect()
    gc.freeze()


async def timed(pilot: Any, key: str) -> tuple[float, float]:
    """Wall and CPU seconds from the key to the first refresh after the app's update (``MARKS``)."""
    MARKS.painted = asyncio.Event()
    wall, cpu = time.perf_counter(), time.process_time()
    await pilot.press(key)
    await MARKS.painted.wait()
    return MARKS.wall - wall, MARKS.cpu - cpu


def hook_evegame() -> None:
    """Mark the paint after the play screen shows a scene and after the History panel mounts."""
    from evegame.tui.screens.history import HistoryScreen
    from evegame.tui.screens.play import PlayScreen
    from evegame.tui.transcript_view import TranscriptView
    from evegame.tui.widgets import SceneText

    refresh_view, on_mount = PlayScreen.refresh_view, HistoryScreen.on_mount

    def refresh_and_mark(self: PlayScreen) -> None:
        ready = text_replaced(self.query_one(SceneText))
        refresh_view(self)
        MARKS.after_paint(self, ready)

    def mount_and_mark(self: HistoryScreen) -> None:
        on_mount(self)
        view = self.query_one(TranscriptView)
        MARKS.after_paint(self, lambda: view.virtual_size.height > 0)  # the transcript laid out

    PlayScreen.refresh_view = refresh_and_mark  # type: ignore[method-assign]
    HistoryScreen.on_mount = mount_and_mark  # type: ignore[method-assign]


async def evegame_choices(story_dir: Path, choices: int) -> list[tuple[float, float]]:
    app = EveGameApp(read_story(story_dir), data_dir=tempfile.mkdtemp(prefix="bench-tui-"))
    app.animation_level = "none"
    out = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await pilot.pause()
        settle_heap()
        for _ in range(choices):
            out.append(await timed(pilot, "1"))
            app.clear_notifications()
    return out


async def bare_choices(views: list[tuple[str, str, list[str], str]]) -> list[tuple[float, float]]:
    app = BareScene(views)
    out = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        settle_heap()
        for _ in range(len(views) - 1):
            out.append(await timed(pilot, "1"))
    return out


async def evegame_history(story_dir: Path, choices: int) -> tuple[float, float]:
    app = EveGameApp(read_story(story_dir), data_dir=tempfile.mkdtemp(prefix="bench-tui-"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        game = app.game
        assert game is not None
        for _ in range(choices):
            game.choose(1)  # straight through the engine: only the panel's opening is timed
        app.show_game()
        await pilot.pause()
        settle_heap()
        return await timed(pilot, "h")


async def bare_history(views: list[tuple[str, str, list[str], str]], text: str) -> tuple[float, float]:
    app = BareScene(views[:1], history=text)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        settle_heap()
        return await timed(pilot, "h")


def scene_views(story_dir: Path, choices: int) -> tuple[list[tuple[str, str, list[str], str]], str]:
    """What each step shows (for the bare app), and the transcript of the whole game as text."""
    game = Game(read_story(story_dir))
    views = []
    for _ in range(choices + 1):
        view = game.scene
        side = "\n".join(f"{label}: {value}" for label, value in game.status())
        views.append((view.title, view.text, [c.text for c in game.choices], side))
        if len(views) <= choices:
            game.choose(1)
    return views, to_markdown("Bench", transcript(game))


def report(name: str, eve: list[tuple[float, float]], bare: list[tuple[float, float]], target: str, ok: bool) -> str:
    def med(samples: list[tuple[float, float]], i: int) -> float:
        return statistics.median(x[i] for x in samples) * 1000

    return (
        f"{name:8} evegame {med(eve, 0):6.1f} ms (cpu {med(eve, 1):6.1f})   bare {med(bare, 0):6.1f} ms "
        f"(cpu {med(bare, 1):6.1f})   ratio {med(eve, 0) / med(bare, 0):.2f}x (cpu {med(eve, 1) / med(bare, 1):.2f}x)"
        f"   target {target}   {'PASS' if ok else 'FAIL'}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--choices", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args(argv)
    hook_evegame()
    story_dir = write_story(Path(tempfile.mkdtemp(prefix="bench-tui-story-")))
    views, text = scene_views(story_dir, args.choices)

    eve_steps: list[tuple[float, float]] = []
    bare_steps: list[tuple[float, float]] = []
    eve_hist: list[tuple[float, float]] = []
    bare_hist: list[tuple[float, float]] = []
    for round_ in range(args.rounds):
        first = round_ % 2 == 0
        for eve in (True, False) if first else (False, True):
            if eve:
                eve_steps.extend(asyncio.run(evegame_choices(story_dir, args.choices)))
                eve_hist.append(asyncio.run(evegame_history(story_dir, args.choices)))
            else:
                bare_steps.extend(asyncio.run(bare_choices(views)))
                bare_hist.append(asyncio.run(bare_history(views, text)))
        print(f"round {round_ + 1}/{args.rounds} done", file=sys.stderr)

    choice = statistics.median(x[0] for x in eve_steps) / statistics.median(x[0] for x in bare_steps)
    history_ms = statistics.median(x[0] for x in eve_hist) * 1000
    print(report("choice", eve_steps, bare_steps, "<= 1.3x", choice <= 1.3))
    print(report("history", eve_hist, bare_hist, "<= 100 ms", history_ms <= 100))
    print(f"({args.choices}-choice game, a transcript of {len(text):,} characters; 80x24, headless)")
    return 0 if choice <= 1.3 and history_ms <= 100 else 1


if __name__ == "__main__":
    sys.exit(main())
