"""The package on its own: a wheel built from the checkout (``pip wheel``, no build isolation: no
download) is installed without dependencies into a new venv whose system site is .venv's (where the
dependencies are), and from a folder outside the checkout it lists the built-in scenarios, runs one
and passes the quick validation, reading the scenarios and targets shipped inside it.

The wheel is built from a copy of the checkout (its files, without .venv, .git, build/ or results),
so that the build neither writes build/ into the checkout nor picks up files left there by an
earlier build.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOT_COPIED = (".git", ".venv", "build", "dist", "results", "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis")
SMALL = ["--dyads", "40", "--months", "3", "--set", "simulation.assessment_ages=[3]",
         "--set", "simulation.observation_age_months=1", "--no-figures"]
QUICK_VALIDATION = ("from simulation.study import validation\n"
                    "targets = validation.load_targets()\n"
                    "assert len(targets) >= 30 and validation.load_misses()\n"
                    "results = validation.validate(quick=True, targets=targets[targets['scenario'] == 'good_enough'])\n"
                    "print(validation.format_table(results))\n"
                    "raise SystemExit(0 if validation.passed(results) else 1)\n")
"""The installed package finds its targets and the reasons for its misses, and validates a population
(the good-enough rows: a few seconds). The whole quick validation runs in tests/system/test_validation.py."""

pytestmark = pytest.mark.timeout(300)


def run(args: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = 180):
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    try:
        import setuptools  # noqa: F401  (the build backend, installed by the test extra)
    except ImportError:
        pytest.fail("setuptools is missing from this environment: run `bash scripts/setup.sh test`")
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    shutil.copytree(ROOT, src, symlinks=True, ignore=shutil.ignore_patterns(*NOT_COPIED))
    proc = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                "--disable-pip-version-check", "-q", "-w", str(tmp / "dist"), "."], cwd=src)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (built,) = (tmp / "dist").glob("securebase-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> tuple[Path, Path, dict[str, str]]:
    """The venv's python, a working folder outside the checkout, and the environment to run in."""
    tmp = tmp_path_factory.mktemp("venv")
    home = tmp / "venv"
    proc = run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(home)], cwd=tmp)
    assert proc.returncode == 0, proc.stderr
    python = home / "bin" / "python"
    # --system-site-packages gives the base interpreter's site; add .venv's (the dependencies, and the
    # editable install's finder, which must not shadow the wheel) after the venv's own
    purelib = Path(run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                       cwd=tmp).stdout.strip())
    (purelib / "_securebase_test_deps.pth").write_text(
        f"import site; site.addsitedir({sysconfig.get_paths()['purelib']!r})\n", encoding="utf-8")
    proc = run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index",
                "--disable-pip-version-check", "-q", str(wheel)], cwd=tmp)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    elsewhere = tmp / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "SECUREBASE_SCENARIOS")}
    env.update(MPLBACKEND="Agg", PYTHONNOUSERSITE="1")
    return python, elsewhere, env


def test_wheel_holds_every_module_and_the_shipped_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "simulation").rglob("*.py")}
    assert modules and modules <= names, f"missing from the wheel: {sorted(modules - names)}"
    assert "simulation/__main__.py" in names
    scenarios = {f"simulation/_data/scenarios/{p.name}" for p in (ROOT / "scenarios").glob("*.toml")}
    assert scenarios and scenarios <= names
    assert "simulation/_data/validation_targets.csv" in names


def test_the_wheel_is_imported_not_the_checkout(venv):
    python, elsewhere, env = venv
    proc = run([str(python), "-c", "import sys, simulation\n"
                "from simulation import scenario\nfrom simulation.study import validation\n"
                "print(simulation.__file__, scenario.scenario_dir(), validation.TARGETS_FILE, sep='\\n')\n"
                "print(*sys.path, sep='\\n', file=sys.stderr)"], cwd=elsewhere, env=env)
    assert proc.returncode == 0, proc.stderr
    home = python.parent.parent.resolve()
    paths = [Path(line).resolve() for line in proc.stdout.splitlines()]
    assert len(paths) == 3 and all(p.is_relative_to(home) for p in paths), proc.stdout
    assert paths[1].is_dir() and paths[2].is_file()
    assert not any(Path(p).resolve() == ROOT for p in proc.stderr.splitlines() if p), "the checkout is on sys.path"


def test_list_shows_the_built_in_scenarios(venv):
    python, elsewhere, env = venv
    proc = run([str(python), "-m", "simulation", "--list"], cwd=elsewhere, env=env)
    assert proc.returncode == 0, proc.stderr
    listed = [line.split()[0] for line in proc.stdout.splitlines() if line.strip()]
    assert listed == sorted(p.stem for p in (ROOT / "scenarios").glob("*.toml"))


def test_a_built_in_scenario_runs(venv):
    python, elsewhere, env = venv
    out = elsewhere / "res"
    # high_risk_isolated extends community by name: the shipped files find each other
    proc = run([str(python), "-m", "simulation", "high_risk_isolated", *SMALL, "--out", str(out)],
               cwd=elsewhere, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "high_risk_isolated" in proc.stdout and "95% CI" in proc.stdout
    assert {"dyads.csv", "daily.csv", "summary.csv", "manifest.json"} <= {p.name for p in out.iterdir()}
    assert len((out / "dyads.csv").read_text().splitlines()) == 41  # header + 40 dyads


def test_the_installed_package_validates(venv):
    python, elsewhere, env = venv
    proc = run([str(python), "-c", QUICK_VALIDATION], cwd=elsewhere, env=env, timeout=240)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count("in band") >= 2 and "OUT OF BAND" not in proc.stdout
