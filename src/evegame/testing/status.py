"""The status of an explored state, shared by the exhaustive search and its expanders."""

OPEN, EXPANDED, ENDING, DEAD, ERROR, PARTIAL = range(6)
