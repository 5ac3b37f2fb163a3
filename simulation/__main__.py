"""``python -m simulation [SCENARIO ...] [options]``: the command line of ``run_sim.py`` (simulation/cli/),
for an installed package as well as a checkout."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
