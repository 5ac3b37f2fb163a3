"""Sweep designs: which points (dicts of dotted scenario keys -> values) a sweep runs.

A grid, a Latin hypercube (scipy), Sobol' and Morris designs (SALib; they keep their raw sample
matrix, which SALib's analysers need) or an explicit list of points. Parameter names are never
hard-coded: a design takes any dotted scenario key, and :func:`simulation.study.sweep.run.plan`
checks every point against the schema before anything runs. The checks here are those that need
no scenario (names, bounds, counts), with one :class:`~simulation.errors.UserError` each.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from simulation.errors import UserError


@dataclass(frozen=True)
class Parameter:
    """A design parameter: a dotted scenario key with its grid ``values`` or its ``bounds``."""

    name: str
    values: tuple | None = None
    bounds: tuple[float, float] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, **({"values": list(self.values)} if self.values is not None else {}),
                **({"bounds": list(self.bounds)} if self.bounds is not None else {})}


@dataclass
class Design:
    """Design points (dicts of overrides) and, for sampled designs, the raw sample matrix.

    ``matrix`` (points x parameters) is what SALib's analysers need; ``points`` are the values
    run (integer parameters are rounded when the sweep is planned, the matrix is not).
    """

    kind: str
    parameters: list[Parameter]
    points: list[dict[str, Any]]
    matrix: np.ndarray | None = None
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.parameters]

    def __len__(self) -> int:
        return len(self.points)

    def problem(self) -> dict[str, Any]:
        """The SALib problem dict (only for designs with bounds)."""
        if any(p.bounds is None for p in self.parameters):
            raise UserError(f"a {self.kind} design has no bounds; sensitivity analysis needs a sobol or morris design")
        return {"num_vars": len(self.parameters), "names": self.names,
                "bounds": [list(p.bounds) for p in self.parameters]}

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "parameters": [p.to_dict() for p in self.parameters],
                "n_points": len(self.points), **self.options}


def _check_name(name: Any) -> str:
    if not isinstance(name, str) or not name.strip() or any(not part for part in name.split(".")):
        raise UserError(f"design parameter {name!r}: a parameter is a dotted scenario key, e.g. 'caregiver.repair'")
    return name.strip()


def _check_bounds(name: str, bounds: Any) -> tuple[float, float]:
    try:
        low, high = bounds
    except (TypeError, ValueError):
        raise UserError(f"design parameter '{name}': bounds must be two numbers (low, high), got {bounds!r}") from None
    for v in (low, high):
        if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)) or not math.isfinite(v):
            raise UserError(f"design parameter '{name}': bounds must be two finite numbers (low, high), got {bounds!r}")
    if not low < high:
        what = "give an empty range" if low == high else "are decreasing"
        raise UserError(f"design parameter '{name}': bounds ({low!r}, {high!r}) {what}; allowed: low < high")
    return float(low), float(high)


def _check_count(what: str, n: Any, minimum: int = 1) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < minimum:
        raise UserError(f"{what} must be a whole number >= {minimum}, got {n!r}")
    return int(n)


def _plain(value: Any) -> Any:
    """numpy scalars -> Python scalars (for hashing, JSON and pydantic)."""
    return value.item() if isinstance(value, np.generic) else value


def _bounded(bounds: Mapping[str, Any]) -> list[Parameter]:
    if not bounds:
        raise UserError("a design needs at least one parameter")
    return [Parameter(_check_name(k), bounds=_check_bounds(str(k), b)) for k, b in bounds.items()]


def _sampled(kind: str, params: list[Parameter], matrix: np.ndarray, **options: Any) -> Design:
    points = [{p.name: float(x) for p, x in zip(params, row)} for row in matrix]
    return Design(kind, params, points, np.asarray(matrix, dtype=float), options)


def grid(values: Mapping[str, Sequence[Any]]) -> Design:
    """Full factorial grid; the last parameter varies fastest."""
    if not values:
        raise UserError("a design needs at least one parameter")
    params = []
    for name, vals in values.items():
        name = _check_name(name)
        if isinstance(vals, (str, bytes)) or not isinstance(vals, Iterable):
            raise UserError(f"design parameter '{name}': grid values must be a list, got {vals!r}")
        vals = tuple(_plain(v) for v in vals)
        if not vals:
            raise UserError(f"design parameter '{name}': empty list of values; give at least one value")
        for v in vals:
            if not isinstance(v, (int, float, str, bool)) or (isinstance(v, float) and not math.isfinite(v)):
                raise UserError(f"design parameter '{name}': grid value {v!r} is not allowed; "
                                f"allowed: finite numbers, booleans or strings")
        if len(set(vals)) != len(vals):
            raise UserError(f"design parameter '{name}': grid values {list(vals)} contain duplicates")
        params.append(Parameter(name, values=vals))
    points = [dict(zip((p.name for p in params), combo)) for combo in itertools.product(*(p.values for p in params))]
    return Design("grid", params, points)


def latin_hypercube(bounds: Mapping[str, tuple[float, float]], n: int, *, seed: int = 0) -> Design:
    """``n`` points of a Latin hypercube (scipy.stats.qmc) within ``bounds``."""
    from scipy.stats import qmc

    params = _bounded(bounds)
    n = _check_count("the number of Latin hypercube points", n)
    seed = _check_count("the design seed", seed, 0)
    try:
        engine = qmc.LatinHypercube(len(params), rng=seed)
    except TypeError:  # scipy < 1.15
        engine = qmc.LatinHypercube(len(params), seed=seed)
    unit = engine.random(n)
    lows, highs = (np.array([p.bounds[i] for p in params]) for i in (0, 1))
    return _sampled("lhs", params, qmc.scale(unit, lows, highs), n=n, seed=seed)


def sobol(bounds: Mapping[str, tuple[float, float]], n: int, *, second_order: bool = True, seed: int = 0) -> Design:
    """Saltelli/Sobol' design (SALib): ``n * (2D + 2)`` points, or ``n * (D + 2)`` without
    second-order indices. ``n`` must be a power of two (the Sobol' sequence's balance)."""
    from SALib.sample import sobol as salib_sobol

    params = _bounded(bounds)
    n = _check_count("the Sobol base sample size n", n)
    if n & (n - 1):
        lower = 1 << (n.bit_length() - 1)
        raise UserError(f"the Sobol base sample size n = {n} is not allowed: it must be a power of two "
                        f"(e.g. {lower} or {lower * 2})")
    seed = _check_count("the design seed", seed, 0)
    problem = {"num_vars": len(params), "names": [p.name for p in params], "bounds": [list(p.bounds) for p in params]}
    matrix = salib_sobol.sample(problem, n, calc_second_order=second_order, scramble=True, seed=seed)
    return _sampled("sobol", params, matrix, n=n, second_order=bool(second_order), seed=seed)


def morris(bounds: Mapping[str, tuple[float, float]], trajectories: int = 10, *, levels: int = 4,
           seed: int = 0) -> Design:
    """Morris elementary-effects design (SALib): ``trajectories * (D + 1)`` points."""
    from SALib.sample import morris as salib_morris

    params = _bounded(bounds)
    trajectories = _check_count("the number of Morris trajectories", trajectories, 2)
    levels = _check_count("the number of Morris levels", levels, 2)
    if levels % 2:
        raise UserError(f"the number of Morris levels must be even, got {levels}")
    seed = _check_count("the design seed", seed, 0)
    problem = {"num_vars": len(params), "names": [p.name for p in params], "bounds": [list(p.bounds) for p in params]}
    matrix = salib_morris.sample(problem, trajectories, num_levels=levels, seed=seed)
    return _sampled("morris", params, matrix, n=trajectories, levels=levels, seed=seed)


def points(rows: Sequence[Mapping[str, Any]]) -> Design:
    """An explicit list of design points (every row must set the same keys)."""
    rows = [dict(r) for r in rows]
    if not rows or not rows[0]:
        raise UserError("a design needs at least one point with at least one parameter")
    names = [_check_name(k) for k in rows[0]]
    for i, row in enumerate(rows):
        if sorted(row) != sorted(names):
            raise UserError(f"design point {i} sets {sorted(row)}, but point 0 sets {sorted(names)}; "
                            f"every point must set the same parameters")
    params = [Parameter(n, values=tuple(dict.fromkeys(_plain(r[n]) for r in rows))) for n in names]
    return Design("points", params, [{n: _plain(r[n]) for n in names} for r in rows])
