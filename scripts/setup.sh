#!/usr/bin/env bash
# Creates .venv with a Python >= 3.12 and installs the project (with the extras named in
# $SECUREBASE_EXTRAS, default "test"). Re-installs only when pyproject.toml changed.
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

extras="${SECUREBASE_EXTRAS:-test}"
stamp=".venv/.installed-$(cat pyproject.toml | sha256sum | cut -c1-16)-${extras//,/_}"
if [ -x .venv/bin/python ] && [ -f "$stamp" ]; then
    exit 0
fi
if [ ! -x .venv/bin/python ]; then
    py=$(find_python) || { echo "error: SecureBase needs Python >= 3.12 (Mesa 3.5 requires it); none found. Install one (e.g. 'pyenv install 3.12') and retry." >&2; exit 2; }
    echo "setup: creating .venv with $py ($("$py" --version))"
    "$py" -m venv .venv
fi
echo "setup: installing securebase[$extras] into .venv"
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip >/dev/null
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[$extras]"
rm -f .venv/.installed-*
touch "$stamp"
