# The two commands of the README. Both create .venv (Python >= 3.12) when needed: `make run`
# installs what running needs, `make test` the test extra too (scripts/setup.sh).
.PHONY: run test setup

run:
	@bash scripts/setup.sh run
	@.venv/bin/python run_sim.py

test:
	@bash scripts/setup.sh test
	.venv/bin/python -m pytest

setup:
	@bash scripts/setup.sh test
