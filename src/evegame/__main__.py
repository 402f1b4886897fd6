"""python -m evegame"""

from evegame.cli import main

raise SystemExit(main())
