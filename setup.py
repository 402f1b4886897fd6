"""Copies the top-level story/ folder into the built package as evegame/story.

Everything else about the build is in pyproject.toml. An editable install reads
story/ from the checkout instead (see evegame.paths.shipped_story_dir).
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildPyWithStory(build_py):
    def run(self) -> None:
        super().run()
        source = Path(__file__).parent / "story"
        target = Path(self.build_lib) / "evegame" / "story"
        if source.is_dir() and not self.editable_mode:
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(source, target, ignore=shutil.ignore_patterns(".*", "__pycache__"))


setup(cmdclass={"build_py": BuildPyWithStory})
