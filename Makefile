# The two commands of the README. Both create .venv (Python >= 3.12) when needed.
.PHONY: run test setup

run: setup
	.venv/bin/python run_sim.py

test: setup
	.venv/bin/python -m pytest

setup:
	@bash scripts/setup.sh
