#!/usr/bin/env bash
# Creates .venv with a Python >= 3.12 and installs the project, pinned to constraints.txt (the exact
# versions the golden tables were made with).
#   scripts/setup.sh run    what running needs (make run)
#   scripts/setup.sh test   the test extra too: app, browser and worksheet tests, Dask, Hypothesis
# Re-installs only when pyproject.toml or constraints.txt changed. pip's output goes to
# .venv/setup.log; on failure its last lines are shown.
set -euo pipefail
cd "$(dirname "$0")/.."

find_python() {
    local candidates=()
    # pyenv honours .python-version (3.12) in this folder
    if command -v pyenv >/dev/null 2>&1; then
        candidates+=("$(pyenv which python3 2>/dev/null || true)")
        candidates+=("$(PYENV_VERSION=3.12 pyenv which python3 2>/dev/null || true)")
    fi
    candidates+=(python3.12 python3.13 python3.14 python3 python)
    for py in "${candidates[@]}"; do
        [ -n "$py" ] || continue
        command -v "$py" >/dev/null 2>&1 || continue
        if "$py" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
            command -v "$py"; return 0
        fi
    done
    return 1
}

what="${1:-run}"
case "$what" in
    run) extras="" ;;
    test) extras="[test]" ;;
    *) echo "usage: scripts/setup.sh [run|test]" >&2; exit 2 ;;
esac
hash=$(cat pyproject.toml constraints.txt | sha256sum | cut -c1-16)
# a test install also serves running
if [ -x .venv/bin/python ] && { [ -f ".venv/.installed-$hash-$what" ] || [ -f ".venv/.installed-$hash-test" ]; }; then
    exit 0
fi
if [ ! -x .venv/bin/python ]; then
    py=$(find_python) || { echo "error: SecureBase needs Python >= 3.12 (Mesa 3.5 requires it); none found. Install one (e.g. 'pyenv install 3.12') and retry." >&2; exit 2; }
    "$py" -m venv .venv
fi
log=.venv/setup.log
echo "setup: installing SecureBase ($what) into .venv, about a minute the first time (log: $log)"
if ! { .venv/bin/python -m pip install --disable-pip-version-check --upgrade "pip>=24" \
       && .venv/bin/python -m pip install --disable-pip-version-check -c constraints.txt -e ".$extras"; } >"$log" 2>&1; then
    echo "setup: the install failed; the end of $log:" >&2
    tail -n 25 "$log" >&2
    exit 1
fi
rm -f .venv/.installed-*
touch ".venv/.installed-$hash-$what"
