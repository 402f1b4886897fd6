"""The parse baseline: every *.yaml file below a folder through ``yaml.load(..., CSafeLoader)``.

``--keep`` keeps every parsed document (the whole story in memory, for the memory figure);
without it each document is dropped once parsed (the fastest parse, for the time figures).
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml


def main() -> None:
    root = Path(sys.argv[1])
    keep = "--keep" in sys.argv
    docs = []
    for path in sorted(root.rglob("*.yaml")):
        data = yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
        if keep:
            docs.append(data)
    print(f"parsed {len(docs) if keep else 'and dropped'} documents")


if __name__ == "__main__":
    main()
