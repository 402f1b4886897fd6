"""Paths shared by the tests (importable because pyproject sets pythonpath = tests)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "stories" / "mini"
SHIPPED = ROOT / "story"
