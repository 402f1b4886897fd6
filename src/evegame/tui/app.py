"""EveGameApp: the screens, the key bindings and the command palette around one ``Game``."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import ClassVar

from rich.console import RenderableType
from textual import events
from textual.app import App, CSSPathType, SystemCommand
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.markup import escape
from textual.notifications import SeverityLevel
from textual.screen import ModalScreen, Screen
from textual.theme import Theme

from .. import paths
from ..engine import Game, Story
from ..engine.errors import ChoiceError, SaveError, SlotChanged
from ..engine.saves import AUTOSAVE, SaveInfo, SaveStore
from ..session import GameSession, PlayClock, counted, to_markdown, transcript
from ..userdata import Gallery, Settings
from .reload import StoryWatcher, reload_story

HERE = Path(__file__).parent


class EveGameApp(App[int]):
    """The game in a terminal. ``story`` is already loaded; ``story_dir`` is where to reload it from."""

    TITLE = "evegame"
    CSS_PATH: ClassVar[CSSPathType | None] = [HERE / "app.tcss", HERE / "screens.tcss"]  # absolute: subclasses too
    # Textual declares these two as plain (instance) attributes: annotating them ClassVar is a type error
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (80, "-wide")]  # noqa: RUF012
    VERTICAL_BREAKPOINTS = [(0, "-short"), (18, "-tall")]  # noqa: RUF012
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("q", "request_quit", "Quit"),
        Binding("ctrl+r", "reload", "Reload story", show=False),
    ]

    def __init__(
        self,
        story: Story,
        story_dir: str | Path | None = None,
        data_dir: str | Path | None = None,
        watch: bool = False,
    ) -> None:
        super().__init__()
        self.story_dir = Path(story_dir) if story_dir is not None else None
        self.data_path = paths.data_dir(data_dir)
        self.settings = Settings.load(self.data_path)
        self.session = GameSession(story, self.data_path)
        self.watch_story = watch
        self.saving_problem = self.session.check_data_dir()  # why nothing can be saved: said once, at start
        self.watcher: StoryWatcher | None = None
        self.title = story.title
        self.animation_level = "full" if self.settings.animations else "none"

    # -- the session's parts, as the screens read them ----------------------------------

    @property
    def story(self) -> Story:
        return self.session.story

    @property
    def game(self) -> Game | None:
        return self.session.game

    @property
    def saves(self) -> SaveStore:
        return self.session.saves

    @property
    def gallery(self) -> Gallery:
        return self.session.gallery

    @property
    def clock(self) -> PlayClock:
        return self.session.clock

    @property
    def codex_seen(self) -> set[str]:
        return self.session.codex_seen

    # -- start-up -----------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        """The title screen is the bottom of the stack: no blank screen is painted first."""
        from .screens.title import TitleScreen

        return TitleScreen()

    def on_mount(self) -> None:
        self.fit_window(self.size)
        if self.saving_problem:
            from .screens.dialogs import NoticeScreen

            self.push_screen(NoticeScreen("Your games cannot be saved", self.saving_problem))
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self.app_suspend_signal.subscribe(self, lambda _app: self.flush_autosave(), immediate=True)
        for warning in (self.settings.warning, self.gallery.warning):
            if warning:
                self.notify(warning, title="Settings", severity="warning")
        if self.watch_story and self.story_dir is not None:
            self.watcher = StoryWatcher(self.story_dir)
            self.set_interval(1.0, self.poll_story, name="story-watch")

    # -- window size ---------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self.fit_window(event.size)

    def fit_window(self, size: Size) -> None:
        """Below the smallest usable size show only a calm message; take it away when the window grows.

        Runs before the screens are laid out at the new size, so no screen is ever laid out too small.
        """
        from .screens.base import apply_breakpoints
        from .screens.too_small import TooSmallScreen, too_small

        small = too_small(size.width, size.height)
        if small and not isinstance(self.screen, TooSmallScreen):
            self.push_screen(TooSmallScreen())
        elif not small and isinstance(self.screen, TooSmallScreen):
            self.pop_screen()
            for screen in self.screen_stack:
                apply_breakpoints(screen, size)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While the window is too small only quitting works (nothing else could be shown)."""
        from .screens.too_small import TooSmallScreen

        if isinstance(self.screen, TooSmallScreen):
            return action in ("quit", "request_quit")
        return True

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """One notification at a time, on one line where it can: a new one replaces the one shown.

        The title leads the message and its lines are joined, so a toast fits the footer's line
        (narrow windows) or the sidebar's corner (app.tcss), never over the scene text or the choices.
        """
        self.call_later(self.clear_notifications)  # in turn with the posted notifications: the older ones go
        text = " · ".join(line.strip() for line in message.splitlines() if line.strip())
        if title:
            text = f"{escape(title) if markup else title}: {text}"
        super().notify(text, title="", severity=severity, timeout=timeout, markup=markup)

    def _theme_changed(self, theme: Theme) -> None:
        if self.settings.theme != theme.name:
            self.settings.theme = theme.name
            self.save_settings()

    def save_settings(self) -> None:
        self.animation_level = "full" if self.settings.animations else "none"
        if self.saving_problem:
            return  # said at start; the settings still apply to this session
        try:
            self.settings.save(self.data_path)
        except OSError as exc:
            self.notify(f"Cannot save settings: {exc}", severity="error")

    # -- the game ------------------------------------------------------------------------

    def game_in_progress(self) -> str | None:
        """A few words naming the unfinished game a new game would replace, or None when there is none."""
        game = self.game
        if game is not None and not game.is_over:
            scene = game.scene.title or game.scene.id
            return f"{scene}, {counted(len(game.path), 'choice')}"
        info = self.continue_slot() if game is None else None
        if info is not None:
            return f"{info.scene_title}, {counted(info.turns, 'choice')}"
        return None

    def action_new_game(self) -> None:
        """Start the story from the beginning; ask first when that would put a game in progress aside."""
        from .screens.dialogs import ConfirmScreen

        current = self.game_in_progress()
        if current is None:
            self.start_new_game()
            return
        if self.saving_problem:
            detail = f"Your game in progress ({current}) cannot be saved and will be lost."
        else:
            detail = f"Your game in progress ({current}) is kept: Load lists it under Previous games."

        def answer(yes: bool | None) -> None:
            if yes:
                self.start_new_game()

        self.push_screen(ConfirmScreen("Start a new game?", detail, yes="New game", no="Keep playing"), answer)

    def start_new_game(self) -> None:
        problems = self.session.new_game()
        self.show_game()
        self.show_problems(problems)

    def continue_slot(self) -> SaveInfo | None:
        """The save Continue resumes: the latest loadable one whose game is not over."""
        return self.session.continue_slot()

    def action_continue(self) -> None:
        """Back to the game open now, else the game last played (from its save)."""
        if self.game is not None and not self.game.is_over:
            self.show_game()
            return
        info = self.continue_slot()
        if info is None:
            self.notify("There is no game to continue.", severity="warning")
            return
        self.load_slot(info.slot, quiet=True)

    def load_slot(self, slot: str, *, quiet: bool = False) -> bool:
        try:
            notices = self.session.load(slot)
        except SaveError as exc:
            self.notify(f"Cannot load: {exc}", title="Load", severity="error")
            return False
        self.show_game()
        for notice in notices:
            self.notify(notice, title="Story changed", severity="warning", timeout=8)
        if not quiet:
            self.notify(f"Loaded {'the autosave' if slot == AUTOSAVE else f'slot {slot}'}.", title="Load")
        return True

    def save_slot(self, slot: str, *, overwrite: bool = False, then: Callable[[], object] | None = None) -> bool:
        """Save into ``slot`` (then call ``then``); when another game wrote the slot meanwhile, ask first."""

        if self.game is None:
            return False
        try:
            result = self.session.save(slot, overwrite=overwrite)
        except SlotChanged as exc:
            self.ask_slot_changed(slot, str(exc), then)
            return False
        except SaveError as exc:
            self.notify(f"Cannot save: {exc}", title="Save", severity="error", markup=False)
            return False
        self.show_problems(result.notes)
        if slot != AUTOSAVE:
            self.notify(f"Saved in slot {slot}.", title="Save")
        if then is not None:
            then()
        return True

    def ask_slot_changed(self, slot: str, why: str, then: Callable[[], object] | None) -> None:
        """Another game wrote ``slot`` since it was listed: overwrite it, keep theirs, or save elsewhere."""
        from .screens.dialogs import AnswersScreen
        from .screens.saves import SlotsScreen

        info = self.saves.info(slot)
        if info is not None and info.ok:
            now = f"It now holds {info.scene_title}, {counted(info.turns, 'choice')} in."
        else:
            now = "It now holds a save that cannot be read." if info is not None else "It is empty again."
        answers = [("o", "Overwrite it with this game", "overwrite"), ("e", "Save in another slot", "elsewhere")]
        answers.append(("k", "Keep theirs (save nothing)", "keep"))

        def answer(choice: str | None) -> None:
            slots = self.screen if isinstance(self.screen, SlotsScreen) and self.screen.mode == "save" else None
            if choice == "overwrite":
                self.save_slot(slot, overwrite=True, then=then)
            elif choice == "elsewhere":
                if slots is not None:
                    slots.refresh_slots(highlight_free=True)
                else:
                    self.push_screen(SlotsScreen("save"))
            else:
                self.notify(f"Slot {slot} is kept as the other game saved it; nothing was saved.", title="Save")
                if slots is not None:
                    slots.refresh_slots()

        self.push_screen(AnswersScreen(f"Slot {slot} changed on disk", f"{why}. {now}", answers), answer)

    def autosave(self) -> None:
        self.show_problems(self.session.autosave())

    def flush_autosave(self) -> None:
        """Write the autosave the last choice left pending (a no-op when there is none)."""
        self.show_problems(self.session.flush())

    def exit(self, result: int | None = None, return_code: int = 0, message: RenderableType | None = None) -> None:
        """Quit, with the last choice saved first (whatever asked to quit: the dialog, ctrl+q, a test)."""
        self.flush_autosave()
        super().exit(result, return_code, message)

    def choose(self, choice: str | int) -> None:
        """Take a choice, show the result, tell the player what changed, and autosave once it is drawn.

        The autosave (a write, an fsync and a lock) runs after the next refresh, so the new scene
        appears first; it is also flushed before quitting, before another screen opens and on
        suspend. A crash in between loses at most the last choice (docs/reliability.md).
        """
        game = self.game
        if game is None or game.is_over:
            return
        try:
            chosen = self.session.choose(choice, autosave=False)
        except ChoiceError as exc:
            self.notify(str(exc), severity="error")
            return
        self.clear_notifications()  # one toast at a time: the last choice's news replaces the one before
        if chosen.messages:
            self.notify("\n".join(chosen.messages), title="Changed", markup=False, timeout=4)
        self.show_problems(chosen.problems)
        self.show_game(new_finds=chosen.new_finds)
        self.flush_after_draw()

    def flush_after_draw(self) -> None:
        """Autosave after the frame that shows the new scene: once its text is mounted (the play
        screen's Markdown parses it in a thread and mounts it a few frames later), then after a refresh."""
        from .screens.play import PlayScreen

        shown = self.screen.text_shown if isinstance(self.screen, PlayScreen) else None
        if shown is None or shown.is_done:
            self.call_after_refresh(self.flush_autosave)
            return

        async def flush_when_shown() -> None:
            try:
                await shown
            finally:
                self.call_after_refresh(self.flush_autosave)

        self._flush_task = asyncio.create_task(flush_when_shown())  # a reference keeps the task alive

    def show_problems(self, problems: list[str]) -> None:
        for problem in problems:
            self.notify(problem, severity="error", markup=False)

    def show_game(self, new_finds: list[str] | None = None) -> None:
        """Show the current game: the play screen, or the ending screen once it is over."""
        from .screens.ending import EndingScreen
        from .screens.play import PlayScreen

        if self.game is None:
            return
        while isinstance(self.screen, ModalScreen) and len(self.screen_stack) > 1:
            self.pop_screen()
        wanted: type[Screen] = EndingScreen if self.game.is_over else PlayScreen
        current = self.screen
        if isinstance(current, PlayScreen) and wanted is PlayScreen:
            current.refresh_view()
            return
        screen = EndingScreen(new_finds or []) if wanted is EndingScreen else PlayScreen()
        if isinstance(current, (PlayScreen, EndingScreen)):
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def require_game(self) -> Game | None:
        if self.game is None:
            self.notify("Start or continue a game first.", severity="warning")
        return self.game

    # -- actions (keys, menus and the command palette) ------------------------------------

    def action_undo(self) -> None:
        game = self.require_game()
        if game is None:
            return
        if not game.can_undo:
            self.notify("Nothing to undo: this is the start of the game.", title="Undo", severity="warning")
            return
        _, problems = self.session.undo()
        self.show_problems(problems)
        self.notify(f"Undone. {game.undo_depth} more step(s) can be undone.", title="Undo")
        self.show_game()

    def action_title(self) -> None:
        from .screens.title import TitleScreen

        while len(self.screen_stack) > 1 and not isinstance(self.screen, TitleScreen):
            self.pop_screen()
        if not isinstance(self.screen, TitleScreen):
            self.push_screen(TitleScreen())

    def action_save(self) -> None:
        from .screens.saves import SlotsScreen

        if self.require_game() is not None:
            self.push_screen(SlotsScreen("save"))

    def action_load(self) -> None:
        from .screens.saves import SlotsScreen

        self.push_screen(SlotsScreen("load"))

    def action_history(self) -> None:
        from .screens.history import HistoryScreen

        if self.require_game() is not None:
            self.push_screen(HistoryScreen())

    def action_export_history(self) -> Path | None:
        """Write the transcript as Markdown into the data folder and say where."""
        game = self.require_game()
        if game is None:
            return None
        from datetime import datetime

        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        path = self.data_path / "transcripts" / f"{self.story.id}-{stamp}.md"
        ending = game.scene.ending_title if game.is_over else None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(to_markdown(self.story.title, transcript(game), ending=ending), encoding="utf-8")
        except OSError as exc:
            self.notify(f"Cannot export the history: {exc}", severity="error")
            return None
        self.notify(f"History exported to {path}", title="Export", markup=False, timeout=10)
        return path

    def action_codex(self) -> None:
        from .screens.codex import CodexScreen

        if self.require_game() is not None:
            self.push_screen(CodexScreen())

    def action_map(self) -> None:
        from .screens.map import MapScreen

        if self.require_game() is not None:
            self.push_screen(MapScreen())

    def action_gallery(self) -> None:
        from .screens.gallery import GalleryScreen

        self.push_screen(GalleryScreen())

    def action_settings(self) -> None:
        from .screens.settings import SettingsScreen

        self.push_screen(SettingsScreen())

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_request_quit(self) -> None:
        from .screens.dialogs import ConfirmScreen

        if isinstance(self.screen, ConfirmScreen):
            return
        self.flush_autosave()  # the dialog says whether the game is saved: make it so first
        detail = self.quit_detail()

        def answer(yes: bool | None) -> None:
            if yes:
                self.exit(0)

        self.push_screen(ConfirmScreen("Quit evegame?", detail, yes="Quit", no="Stay"), answer)

    def quit_detail(self) -> str:
        """What quitting does to the game, saying only what is true."""
        game = self.game
        if game is None or game.is_over:
            return ""
        if self.saving_problem:
            return "Nothing can be saved in this data folder: this game will be lost."
        if self.session.unsaved:
            return f"The last autosave failed ({self.session.unsaved}): your latest choices will be lost."
        return "Your game is saved; Continue on the title screen resumes it here."

    # -- hot reload ----------------------------------------------------------------------

    def poll_story(self) -> None:
        if self.watcher is not None and self.watcher.changed():
            self.action_reload()

    def action_reload(self) -> None:
        from .screens.dialogs import ProblemsScreen

        if self.story_dir is None:
            self.notify("This story was not loaded from a folder; nothing to reload.", severity="warning")
            return
        if self.watcher is not None:
            self.watcher.changed()  # remember the files as they are now
        result = reload_story(self.story_dir, self.game)
        if isinstance(self.screen, ProblemsScreen):
            self.screen.dismiss()
        if result.problems:
            self.push_screen(ProblemsScreen(result.headline, result.problems))
            return
        assert result.story is not None
        self.session.use_story(result.story, result.game)
        self.title = result.story.title
        if result.message:
            self.notify(result.message, title="Reload", severity=result.severity, timeout=8, markup=False)
        self._refresh_title()
        if result.game is not None:
            self._refresh_game_screen()

    def _refresh_game_screen(self) -> None:
        """After a reload: redraw the game where it is shown, leaving the title screen and panels alone."""
        from .screens.ending import EndingScreen
        from .screens.play import PlayScreen

        game_screens = [s for s in self.screen_stack if isinstance(s, (PlayScreen, EndingScreen))]
        if not game_screens or self.game is None:
            return
        shown = game_screens[-1]
        if isinstance(shown, PlayScreen) and not self.game.is_over:
            shown.refresh_view()
        else:
            self.show_game()

    def _refresh_title(self) -> None:
        from .screens.title import TitleScreen

        for screen in self.screen_stack:
            if isinstance(screen, TitleScreen):
                screen.refresh_menu()

    # -- the command palette --------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand("New game", "Start the story from the beginning", self.action_new_game)
        yield SystemCommand("Continue", "Resume the latest saved game", self.action_continue)
        yield SystemCommand("Save", "Save the game in a slot (1-9)", self.action_save)
        yield SystemCommand("Load", "Load a saved game", self.action_load)
        yield SystemCommand("Undo", "Take back the last choice", self.action_undo)
        yield SystemCommand("History", "The transcript of scenes read and choices made", self.action_history)
        yield SystemCommand("Export history", "Write the transcript as Markdown", self.action_export_history)
        yield SystemCommand("Codex", "The entries you have unlocked", self.action_codex)
        yield SystemCommand("Map", "The scenes you have visited and their exits", self.action_map)
        yield SystemCommand("Endings gallery", "Endings found and achievements earned", self.action_gallery)
        yield SystemCommand("Settings", "Theme, text reveal speed, animations", self.action_settings)
        yield SystemCommand("Theme", "Change the colour theme", self.action_change_theme)
        yield SystemCommand("Reload story", "Read the story files again (ctrl+r)", self.action_reload)
        yield SystemCommand("Title screen", "Back to the title menu", self.action_title)
        yield SystemCommand("Help", "Every key binding", self.action_help)
        yield SystemCommand("Quit", "Leave evegame (asks first)", self.action_request_quit)
