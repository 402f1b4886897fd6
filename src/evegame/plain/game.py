"""Plain line mode: the game as lines of text and typed commands, for screen readers, pipes and scripts.

A client of the engine through ``GameSession``, like the TUI: the same saves, the same autosave
after every choice, the same Continue. It reads one line at a time, so a script can play it:
``printf '1\\n2\\nquit\\n' | evegame play --plain``. End of input saves and leaves.
"""

from __future__ import annotations

from collections.abc import Callable

from ..engine import Game
from ..engine.errors import ChoiceError, SaveError, SlotChanged
from ..engine.saves import AUTOSAVE, PREVIOUS, SLOTS, slot_label
from ..session import GameSession, codex_markdown, counted, format_duration, slot_lines, to_markdown, transcript
from .commands import YES, help_lines, parse
from .output import Output

PROMPT = "> "
ENDED_HINT = "The story is over: type new, undo, history or quit."

Reader = Callable[[str], "str | None"]


def load_slot(word: str) -> str | None:
    """The slot ``load`` names: 1-9, auto, or previous N (also auto-N); None when it names none."""
    words = word.strip().lower().replace("-", " ").split()
    if words in (["auto"], ["autosave"], ["a"]):
        return AUTOSAVE
    if len(words) == 2 and words[0] in ("previous", "prev", "auto") and f"auto-{words[1]}" in PREVIOUS:
        return f"auto-{words[1]}"
    return words[0] if len(words) == 1 and words[0] in SLOTS else None


def load_word(slot: str) -> str:
    """What to type after ``load`` for ``slot``."""
    return f"previous {slot.removeprefix('auto-')}" if slot in PREVIOUS else slot


class PlainGame:
    """One run of plain mode: ``run()`` plays until quit or end of input and returns the exit status."""

    def __init__(self, session: GameSession, read_line: Reader, out: Output) -> None:
        self.session = session
        self.read_line = read_line
        self.out = out
        self.pending: Callable[[], None] | None = None  # what yes does, when a yes/no question is open

    @property
    def game(self) -> Game:
        assert self.session.game is not None
        return self.session.game

    # -- the loop ----------------------------------------------------------------------

    def run(self) -> int:
        self.out.line(self.session.story.title, "title")
        self.out.line()
        self.begin()
        self.show_scene()
        try:
            while True:
                line = self.read_line(PROMPT)
                if line is None:
                    self.finish("End of input.")
                    return 0
                if not self.handle(line):
                    self.finish("Goodbye.")
                    return 0
        except KeyboardInterrupt:
            self.out.line()
            self.finish("Interrupted.")
            return 130

    def begin(self) -> None:
        """Continue the game last played, or start a new one when there is none."""
        session = self.session
        unsaved = session.check_data_dir()
        if unsaved is not None:
            self.problem(unsaved)
        info = session.continue_slot()
        if info is not None:
            try:
                notices = session.load(info.slot)
            except SaveError as exc:
                self.problem(f"Cannot continue the saved game ({slot_label(info.slot)}): {exc}")
            else:
                self.note(
                    f"Continuing your last game ({slot_label(info.slot)}: {counted(info.turns, 'choice')}, "
                    f"played {format_duration(info.play_time)}). Type new to start again, help for commands."
                )
                for notice in notices:
                    self.note(notice)
                return
        self.start_new_game(" Type a choice's number, or help for commands.")

    def finish(self, why: str) -> None:
        """Save the game in the autosave slot and say so (or why it could not be saved)."""
        if not self.session.writable:
            self.note(f"{why} Nothing was saved: the data folder cannot be written.")
            return
        problems = self.session.autosave() if self.session.game is not None else []
        self.problems(problems)
        saved = " Your game is saved; evegame play continues it." if not problems else ""
        self.note(f"{why}{saved}")

    def handle(self, line: str) -> bool:
        """Act on one line of input; False when the player asked to quit."""
        if self.pending is not None:
            yes, self.pending = self.pending, None
            if line.strip().lower() in YES:
                yes()
            else:
                self.note("Not done.")
            return True
        command = parse(line)
        if command.verb == "quit":
            return False
        handler = getattr(self, f"do_{command.verb}")
        handler(command.arg)
        return True

    def ask(self, question: str, yes: Callable[[], None]) -> None:
        self.pending = yes
        self.out.line(f"{question} (yes or no)")

    # -- showing -----------------------------------------------------------------------

    def note(self, text: str) -> None:
        self.out.line(text, "note")

    def problem(self, text: str) -> None:
        self.out.line(text, "problem")

    def problems(self, texts: list[str]) -> None:
        for text in texts:
            self.problem(text)

    def show_scene(self, new_finds: list[str] | None = None) -> None:
        game = self.game
        if game.is_over:
            self.show_ending(new_finds or [])
            return
        view = game.scene
        self.out.line()
        if view.title:
            self.out.line(view.title, "title")
            self.out.line()
        self.out.markdown(view.text)
        self.out.line()
        choices = game.choices
        for choice in choices:
            if choice.locked is None:
                self.out.numbered(choice.number, choice.text)
            else:  # shown greyed (on a colour terminal) with the reason
                self.out.numbered(choice.number, f"{choice.text} (locked: {choice.locked})", "note")
        if not choices:
            self.note("No choice is open here: type undo to step back, load N, or new.")

    def show_ending(self, new_finds: list[str]) -> None:
        game, story = self.game, self.game.story
        view = game.scene
        self.out.line()
        self.out.line("THE END", "end")
        new = " (new ending!)" if view.ending in new_finds else ""
        self.out.line(f"Ending: {view.ending_title}{new}", "title")
        if view.title and view.title != view.ending_title:
            self.out.line(view.title, "title")
        self.out.line()
        self.out.markdown(view.text)
        self.out.line()
        earned = game.achievements()
        self.out.line("Achievements:" if earned else "Achievements: none this time.", "title")
        for achievement in earned:
            fresh = " (new!)" if achievement.id in new_finds else ""
            self.out.line(f"- {achievement.title}{fresh}: {achievement.description}", indent="  ", hang="  ")
        found = len(self.session.gallery.endings(story.id))
        self.out.line(f"Endings found: {found} of {len(story.endings)}. Choices made: {len(game.path)}.")
        self.note(ENDED_HINT)

    # -- the commands --------------------------------------------------------------------

    def do_empty(self, _: str) -> None:
        self.note("Type a choice's number, or help for commands." if not self.game.is_over else ENDED_HINT)

    def do_unknown(self, text: str) -> None:
        self.note(f"Unknown command {text!r}. {self._choice_hint()}, or help.")

    def _choice_hint(self) -> str:
        count = len(self.game.choices)
        if self.game.is_over:
            return "The story is over: type new, undo, history, quit"
        if count == 0:
            return "No choice is open here: type undo, load N, new"
        return "Type 1 to choose" if count == 1 else f"Type a choice's number (1-{count})"

    def do_choose(self, number: str) -> None:
        game = self.game
        if game.is_over:
            self.note(ENDED_HINT)
            return
        if not 1 <= int(number) <= len(game.choices):
            self.note(f"There is no choice {number} here. {self._choice_hint()}.")
            return
        locked = game.choices[int(number) - 1].locked
        if locked is not None:
            self.note(f"Choice {number} is locked: {locked}.")
            return
        try:
            chosen = self.session.choose(int(number))
        except ChoiceError as exc:
            self.problem(str(exc))
            return
        for message in chosen.messages:
            self.note(message)
        self.problems(chosen.problems)
        self.show_scene(chosen.new_finds)

    def do_undo(self, _: str) -> None:
        if not self.game.can_undo:
            self.note("Nothing to undo: this is the start of the game.")
            return
        self.problems(self.session.undo()[1])
        self.note(f"Undone. {self.game.undo_depth} more step(s) can be undone.")
        self.show_scene()

    def do_save(self, arg: str) -> None:
        slot = arg.strip()
        if slot not in SLOTS:
            self.note("Which slot? Type save and a number from 1 to 9, for example: save 1")
            return
        info = self.session.saves.info(slot)
        if info is None:
            self._save(slot)
            return
        what = f"a save of {info.scene_title}" if info.ok else "a damaged save file"
        self.ask(f"Slot {slot} holds {what}. Overwrite it?", lambda: self._save(slot))

    def _save(self, slot: str, *, overwrite: bool = False) -> None:
        try:
            result = self.session.save(slot, overwrite=overwrite)
        except SlotChanged as exc:
            self.ask(f"{exc}. Save over it anyway?", lambda: self._save(slot, overwrite=True))
            return
        except SaveError as exc:
            self.problem(f"Cannot save: {exc}")
            return
        self.problems(result.notes)
        self.note(f"Saved in slot {slot}.")

    def do_load(self, arg: str) -> None:
        slot = load_slot(arg)
        if slot is None:
            self.do_saves("")
            return
        info = self.session.saves.info(slot)
        if info is None:
            self.note(f"{slot_label(slot)} is empty; type saves to list the saved games.")
            return
        if not info.ok:
            self.problem(f"That save is damaged: {info.reason}")
            return
        try:
            notices = self.session.load(slot)
        except SaveError as exc:
            self.problem(f"Cannot load: {exc}")
            return
        self.note(f"Loaded {'the autosave' if slot == AUTOSAVE else slot_label(slot).lower()}.")
        for notice in notices:
            self.note(notice)
        self.show_scene()

    def do_saves(self, _: str) -> None:
        listed = self.session.saves.list()
        if not listed:
            self.note("No saved games yet.")
            return
        for info in listed:
            head, detail = slot_lines(info.slot, info)
            self.out.line(f"{head}.{detail.rstrip() and ' ' + detail.strip()}", indent="  ", hang="  ")
        self.note("Type load and a slot: load 1 (to 9), load auto, load previous 1.")

    def do_history(self, _: str) -> None:
        game = self.game
        ending = game.scene.ending_title if game.is_over else None
        self.out.markdown(to_markdown(game.story.title, transcript(game), ending=ending))

    def do_codex(self, _: str) -> None:
        game = self.game
        self.out.markdown(codex_markdown(game, self.session.codex_seen))
        self.session.codex_seen.update(game.codex)

    def do_status(self, _: str) -> None:
        game = self.game
        self.out.line("Status", "title")
        for label, value in game.status():
            self.out.line(f"{label}: {value}", indent="  ", hang="  ")
        self.out.line(f"Choices made: {len(game.path)}", indent="  ")
        if game.story.codex:
            self.out.line(f"Codex: {len(game.codex)} of {len(game.story.codex)} entries found", indent="  ")
        self.out.line(f"Played: {format_duration(self.session.clock.elapsed)}", indent="  ")

    def do_look(self, _: str) -> None:
        self.show_scene()

    def do_new(self, _: str) -> None:
        if self.game.is_over or not self.game.path:
            self.new_game()
            return
        self.ask(
            "Start a new game from the beginning? (This one stays in the saves, as a previous game.)", self.new_game
        )

    def new_game(self) -> None:
        self.start_new_game()
        self.show_scene()

    def start_new_game(self, hint: str = "") -> None:
        """A new game; the game the autosave held is kept as a previous game, and the player told where."""
        self.session.kept_previous = None
        self.problems(self.session.new_game())
        kept = self.session.kept_previous
        where = f" The game before is kept as {slot_label(kept)} (load {load_word(kept)})." if kept else ""
        self.note(f"A new game.{where}{hint}")

    def do_help(self, _: str) -> None:
        for line in help_lines():
            self.out.line(line, hang="    ")
