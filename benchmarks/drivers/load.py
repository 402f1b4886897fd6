"""Time one ``load_story`` in this process and print JSON: {"seconds": ..., "scenes": ...}.

``--touch`` also reads every scene of the result (a warm load decodes scenes lazily: this
counts that work too). The cache is on unless EVEGAME_NO_CACHE=1; EVEGAME_CACHE_DIR says where.
"""

from __future__ import annotations

import json
import sys
import time

from evegame.engine import load_story
from evegame.paths import story_cache_dir


def main() -> None:
    root = sys.argv[1]
    began = time.perf_counter()
    result = load_story(root, cache_dir=story_cache_dir())
    story = result.story
    if story is None:
        sys.exit(f"{root}: {len(result.errors)} error(s)")
    if "--touch" in sys.argv:
        for sid in story.scenes:
            story.scenes[sid].choices  # noqa: B018
    seconds = time.perf_counter() - began
    print(json.dumps({"seconds": seconds, "scenes": len(story.scenes)}))


if __name__ == "__main__":
    main()
