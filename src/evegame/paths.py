"""Where evegame finds its shipped story and keeps the player's files."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "evegame"


def shipped_story_dir() -> Path:
    """The story that ships with evegame: inside the installed package, else the checkout's story/."""
    packaged = Path(__file__).parent / "story"
    if (packaged / "story.yaml").is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "story"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The folder for saves, settings and the endings gallery.

    ``override`` (``--data-dir``) wins, then ``EVEGAME_DATA_DIR``, then the platform's user data dir.
    """
    if override:
        return Path(override).expanduser()
    env = os.environ.get("EVEGAME_DATA_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def cache_dir() -> Path:
    """The folder for caches (the compiled-story cache); ``EVEGAME_CACHE_DIR`` overrides."""
    env = os.environ.get("EVEGAME_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_path

    return user_cache_path(APP_NAME, appauthor=False)


def story_cache_dir(enabled: bool = True) -> Path | None:
    """The compiled-story cache folder the CLI and the TUI use: None (no cache) when not
    ``enabled`` (``--no-cache``) or when ``EVEGAME_NO_CACHE`` is set to anything but 0."""
    if not enabled or os.environ.get("EVEGAME_NO_CACHE", "") not in ("", "0"):
        return None
    return cache_dir()


def data_dir_problem(folder: Path) -> str | None:
    """Why saves cannot be written in ``folder`` (a plain sentence naming it), or None when they can.

    Creates the folder when it is missing, and writes and removes one empty temp file in it.
    """
    import tempfile

    folder = Path(folder)
    advice = "you can play, but nothing will be saved; choose another folder with --data-dir"
    if folder.exists() and not folder.is_dir():
        return f"The data folder {folder} is a file, not a folder: {advice}."
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".evegame-write-check.", suffix=".tmp", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        why = exc.strerror or type(exc).__name__
        return f"The data folder {folder} cannot be written ({why.lower()}): {advice}."
    return None
