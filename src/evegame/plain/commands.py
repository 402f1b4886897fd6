"""The words a player types in plain mode, their aliases, and the help that lists them."""

from __future__ import annotations

from dataclasses import dataclass

# verb -> (every word that means it, its argument, what it does as help shows it)
VERBS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "undo": (("undo", "u", "back"), "", "take back the last choice"),
    "save": (("save", "s"), " N", "save the game in slot N (1-9)"),
    "load": (("load", "restore"), " N", "load slot N (1-9, or auto); alone, list the saves"),
    "saves": (("saves", "slots"), "", "list the saved games"),
    "history": (("history", "h"), "", "the scenes read and the choices made"),
    "codex": (("codex", "c"), "", "the codex entries found so far"),
    "status": (("status", "st", "i", "inventory"), "", "what you carry and how the game stands"),
    "look": (("look", "l", "again"), "", "show the scene and its choices again"),
    "new": (("new", "restart"), "", "start a new game (asks first)"),
    "help": (("help", "?", "commands"), "", "this list"),
    "quit": (("quit", "q", "exit", "bye"), "", "save and leave (end of input does the same)"),
}
WORDS = {word: verb for verb, (words, _, _) in VERBS.items() for word in words}
YES = {"y", "yes"}


@dataclass(frozen=True)
class Command:
    """One line of input: a choice number, a verb with its argument, nothing, or an unknown word."""

    verb: str  # "choose", a key of VERBS, "empty" or "unknown"
    arg: str = ""


def parse(line: str) -> Command:
    words = line.strip().split(maxsplit=1)
    if not words:
        return Command("empty")
    head = words[0].lower()
    arg = words[1].strip() if len(words) > 1 else ""
    if head.isdigit():
        return Command("choose", head) if not arg else Command("unknown", line.strip())
    verb = WORDS.get(head)
    if verb is None:
        return Command("unknown", line.strip())
    return Command(verb, arg)


def help_lines() -> list[str]:
    """The help: how to choose, then one line per verb with its aliases."""
    lines = ["Type a choice's number to take it. Commands:"]
    for verb, (words, argument, text) in VERBS.items():
        aliases = f" ({', '.join(words[1:])})" if len(words) > 1 else ""
        lines.append(f"  {verb}{argument}{aliases}: {text}")
    return lines
