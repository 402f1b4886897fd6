"""evegame: Ballerina, a terminal text adventure on a YAML story engine."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("evegame")
except PackageNotFoundError:  # running from a checkout without an install
    __version__ = "0+unknown"
