#!/usr/bin/env python3
"""SecureBase command line: compare caregiving scenarios (see ``run_sim.py --help``)."""

import sys

from simulation.cli import main

if __name__ == "__main__":
    sys.exit(main())
