"""Tools for story authors: statistics, the story map, JSON Schemas and scaffolding.

Clients of the engine like the TUI and the test tools; nothing here imports Textual.
"""
