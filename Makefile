# The two commands of the README. Both create .venv (Python >= 3.12) when needed: `make run`
# installs what running needs, `make test` the test extra too (scripts/setup.sh).
.PHONY: run test test-fast setup

run:
	@bash scripts/setup.sh run
	@.venv/bin/python run_sim.py

# the whole suite on the 2 cores (pytest-xdist), then the tests marked serial (browser, memory) alone
test:
	@bash scripts/setup.sh test
	.venv/bin/python -m pytest -n 2 -m "not serial"
	.venv/bin/python -m pytest -m serial

# the fast lane only (tests/unit, under a minute): `make test` runs it too, with tests/population
# and tests/system
test-fast:
	@bash scripts/setup.sh test
	.venv/bin/python -m pytest tests/unit

setup:
	@bash scripts/setup.sh test
