"""The screens of the TUI: title, play, ending, and the panels opened over them."""
