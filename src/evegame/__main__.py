"""python -m evegame"""

from evegame.cli import run

run()
