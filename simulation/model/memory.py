"""Will a run fit in memory? An estimate made before anything is allocated.

A run holds every dyad in one process, so its peak memory grows with the number of dyads (and the
episode slots of a day), not with the months simulated. The figures below were measured with
``/usr/bin/time -f %M`` on the whole command (``run_sim.py good_enough --dyads N --months 2
--no-figures``, 16 episode slots; 2026-12-02, 2-core x86_64 machine, Python 3.12, numpy 2.5):
peak resident memory 331 MB at 10,000 dyads, 583 MB at 40,000, 906 MB at 80,000 — 8.2 kB per
dyad on top of about 250 MB for Python and the libraries; at 1,000,000 dyads (one month) the peak
was 8.65 GB against 8.45 GB from that line. The estimate adds a 25% safety margin.
"""

from __future__ import annotations

import os
import resource
from pathlib import Path

from simulation.errors import UserError

BASE_BYTES = 500e6
"""Python, numpy, pandas, Mesa and matplotlib loaded: 250 MB measured (the intercept above), but a
20,000-dyad run peaked at 652 MB in one CI run where the fit gives 414 MB, so the fixed part is
taken as 500 MB."""
BYTES_PER_DYAD = 8.2e3
"""Peak bytes per dyad at the default 16 episode slots (measured slope)."""
BYTES_PER_SLOT = 4 * 13 + 40
"""Per dyad and extra episode slot: the day's 13 float32 draws plus the day's episode arrays."""
BYTES_PER_SECOND_CAREGIVER = 4e3
"""Peak bytes per dyad added by households (``household.two_caregivers`` > 0: a second row of
caregiver state for every dyad, and its share of the day's episode arrays). Measured 2026-12-04:
community at 10,000 dyads x 12 months peaked at 307 MB with one caregiver and 344 MB with two
(``benchmarks/bench_engine.py --parts households``), 3.7 kB a dyad; good_enough against two_parents
at 50,000 dyads x 2 months, 809 against 922 MB, 2.3 kB a dyad (scenarios differ too). The larger,
rounded up."""
DEFAULT_SLOTS = 16
MARGIN = 1.25
"""Safety factor on the estimate (allocator fragmentation, pandas copies when writing tables)."""


def estimate_peak_bytes(n_dyads: int, episode_slots: int = DEFAULT_SLOTS, households: bool = False) -> float:
    """Estimated peak resident memory of a run of ``n_dyads`` (bytes, with the safety margin);
    ``households``: the run has second caregivers."""
    per_dyad = BYTES_PER_DYAD + BYTES_PER_SLOT * max(0, episode_slots - DEFAULT_SLOTS)
    per_dyad += BYTES_PER_SECOND_CAREGIVER if households else 0.0
    return MARGIN * (BASE_BYTES + n_dyads * per_dyad)


def _meminfo_available() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return float(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def _cgroup_available() -> float | None:
    try:
        limit = Path("/sys/fs/cgroup/memory.max").read_text().strip()
        if limit == "max":
            return None
        used = float(Path("/sys/fs/cgroup/memory.current").read_text().strip())
        return float(limit) - used
    except (OSError, ValueError):
        return None


def _rlimit_available() -> float | None:
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY:
        return None
    try:  # address space already in use by this process
        pages = int(Path("/proc/self/statm").read_text().split()[0])
        used = pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        used = 0
    return float(soft) - used


def available_bytes() -> float | None:
    """The memory this process may still use: the least of what the machine, its control group
    and its address-space limit leave (None if none of them can be read)."""
    found = [x for x in (_meminfo_available(), _cgroup_available(), _rlimit_available()) if x is not None]
    return min(found) if found else None


def check_fits(n_dyads: int, episode_slots: int = DEFAULT_SLOTS, key: str = "simulation.n_dyads",
               households: bool = False) -> None:
    """Refuse (UserError) a run whose estimated peak memory exceeds what is available."""
    need, free = estimate_peak_bytes(n_dyads, episode_slots, households), available_bytes()
    if free is None or need <= free:
        return
    per_dyad = estimate_peak_bytes(1, episode_slots, households) - estimate_peak_bytes(0, episode_slots, households)
    most = max(0, int((free - estimate_peak_bytes(0, episode_slots, households)) / per_dyad))
    raise UserError(f"{key} = {n_dyads:,} needs about {need / 1e9:.1f} GB of memory (estimated from "
                    f"{per_dyad / 1e3:.1f} kB a dyad), but only {free / 1e9:.1f} GB is available here; "
                    f"run at most about {most:,} dyads at once, or run the population as a cohort in blocks "
                    f"(run_sim.py SCENARIO --dyads {n_dyads} --cohort; simulation.study.cohort), which gives "
                    f"the same dyads the same numbers")
