"""Capital-call scheduler: a linear programme through HiGHS (``scipy.optimize.linprog``).

Each pipeline line (a project's amount requested for a year) is paid in its requested year
or later, split across years if need be; no calendar year's calls exceed that year's cap
(연간 납입한도); the objective is the priority-weighted deferral Σ w_i·(year − requested)·x.
With every weight positive, an optimum never leaves a year's cap unused while something that
could be paid in it waits, and a higher priority carries a larger weight, so it is paid first.
Weights come from the priority's dense rank (1 + rank), so any numbers may serve as priorities.

An FX-volatility adjustment request (환율 변동성 조정 요청) is an earliest year for a project:
the line may not be paid before it, and the programme is solved again.

Money is solved in units of the largest cap (values near 1 keep HiGHS's tolerances tight),
then brought back to whole cents; a rounding repair keeps every project's total exact and
every year at or under its cap, so the cap holds exactly, not within a solver tolerance.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

import numpy as np
import polars as pl
from scipy.optimize import linprog
from scipy.sparse import coo_matrix

from tiro.core.errors import Conflict, InvalidInput
from tiro.invest.limits import check_year

PIPELINE_COLUMNS = ("project", "priority", "requested_year", "amount_usd")
#: Largest programme solved in one request (line-years); the 200 x 10 benchmark needs ~26,000.
MAX_VARIABLES = 1_000_000


@dataclass(frozen=True)
class Plan:
    """The solved schedule: calls, totals by year, deferrals, and the solver's own figures."""

    calls: pl.DataFrame  # project, year, amount (USD)
    by_year: dict[str, float]
    deferred: list[dict[str, object]]
    caps: dict[str, float]
    objective: float
    first_year: int | None = None

    def contract(self) -> dict[str, object]:
        """The JSON contract of ``tiro invest schedule`` (issue 12 item 5), with the first
        year a call may fall in when the schedule was floored at the current year."""
        out: dict[str, object] = {
            "calls": self.calls.to_dicts(),
            "by_year": self.by_year,
            "deferred": self.deferred,
        }
        if self.first_year is not None:
            out["first_year"] = {"year": self.first_year, "reason": PAST_YEARS}
        return out


PAST_YEARS = (
    "calls start in the current year: a capital call follows a US notice of a selected "
    "project and is paid within 45 US business days of it (MOU 2025-11-14; spec tariff.md "
    "section 4), so a year already over cannot be called; a request for such a year is "
    "listed as deferred to the current year"
)


def _horizon(pipeline: pl.DataFrame, cap_of: Callable[[int], float]) -> list[int]:
    """Years from the first payable year until every dollar fits even if paid after the last."""
    first = int(pipeline["earliest_year"].min())
    last = int(pipeline["earliest_year"].max())
    total = float(pipeline["amount_usd"].sum())
    years = list(range(first, last + 1))
    room = cap_of(last)
    while room < total:
        years.append(years[-1] + 1)
        room += cap_of(years[-1])
        if len(years) > 1000:
            raise InvalidInput(
                "the pipeline needs more than 1000 years under this cap", field="cap"
            )
    return years


def solve(
    pipeline: pl.DataFrame,
    cap_of: Callable[[int], float],
    *,
    earliest: Mapping[str, int] | None = None,
    first_year: int | None = None,
) -> Plan:
    """Schedule a pipeline (columns :data:`PIPELINE_COLUMNS`) under ``cap_of(year)``.

    ``first_year`` (the interfaces pass the current year) is the first year a call may fall
    in: a line requesting an earlier year is paid from it, as if deferred (:data:`PAST_YEARS`).
    """
    lines = pipeline.select(PIPELINE_COLUMNS).with_columns(
        pl.col("requested_year").cast(pl.Int64), pl.col("amount_usd").cast(pl.Float64)
    )
    if (lines["amount_usd"] < 0.01).any():
        raise InvalidInput("an amount below one cent cannot be called", field="amount_usd")
    asks = {name: check_year(year, "defer") for name, year in (earliest or {}).items()}
    unknown = sorted(set(asks) - set(lines["project"].to_list()))
    if unknown:
        raise InvalidInput(f"unknown project {unknown[0]!r} in the deferral", field="defer")
    lines = lines.with_columns(
        pl.max_horizontal(
            pl.col("requested_year"),
            pl.col("project").replace_strict(asks, default=None, return_dtype=pl.Int64),
            pl.lit(first_year, dtype=pl.Int64),
        ).alias("earliest_year"),
        (pl.col("priority").rank("dense") + 1).cast(pl.Float64).alias("weight"),
    )
    years = _horizon(lines, cap_of)
    if lines.height * len(years) > MAX_VARIABLES:
        raise InvalidInput(
            f"{lines.height} lines over {len(years)} years is too large to schedule at once "
            f"(at most {MAX_VARIABLES:,} line-years)",
            field="pipeline",
        )
    caps = np.array([cap_of(y) for y in years], dtype=float)
    scale = float(caps.max())
    n, t = lines.height, len(years)
    year0 = years[0]
    year_idx = np.arange(t)
    start = lines["earliest_year"].to_numpy() - year0
    allowed = year_idx[None, :] >= start[:, None]
    rows, cols = np.nonzero(allowed)
    deferral = (year_idx[cols] + year0) - lines["requested_year"].to_numpy()[rows]
    cost = lines["weight"].to_numpy()[rows] * deferral
    var = np.arange(rows.size)
    a_eq = coo_matrix((np.ones(rows.size), (rows, var)), shape=(n, rows.size))
    a_ub = coo_matrix((np.ones(rows.size), (cols, var)), shape=(t, rows.size))
    amounts = lines["amount_usd"].to_numpy()
    result = linprog(
        cost,
        A_ub=a_ub.tocsr(),
        b_ub=caps / scale,
        A_eq=a_eq.tocsr(),
        b_eq=amounts / scale,
        bounds=(0, None),
        method="highs",
        options={"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10},
    )
    if result.status != 0:
        raise Conflict(
            f"the capital-call programme has no solution ({result.message})", field="cap"
        )
    cents = _to_cents(result.x * scale, rows, cols, amounts, caps, n, t)
    plan = _plan(lines, years, rows, cols, cents, caps, float(result.fun))
    return plan if first_year is None else replace(plan, first_year=first_year)


def _to_cents(x, rows, cols, amounts, caps, n: int, t: int) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Whole cents; each line's total exact, then each year at or under its cap.

    The solver's values are rounded to cents; what a line then lacks or has too much (a few
    cents of rounding and solver tolerance, either sign) goes to its largest call, and a
    year above its cap moves its excess to a later year of the same line.
    """
    cents = np.rint(np.maximum(x, 0.0) * 100.0).astype(np.int64)  # a tolerance below 0 is 0
    target = np.rint(amounts * 100).astype(np.int64)
    deficit = target - np.bincount(rows, cents, minlength=n).astype(np.int64)
    order = np.lexsort((-cents, rows))  # by line, largest call first
    first = order[np.searchsorted(rows[order], np.arange(n), side="left")]
    cents[first] += deficit
    cap_cents = np.floor(caps * 100 + 1e-6).astype(np.int64)
    for year in range(t):
        over = int(cents[cols == year].sum() - cap_cents[year])
        while over > 0:
            here = np.nonzero((cols == year) & (cents > 0))[0]
            later = np.nonzero(cols > year)[0]
            moved = False
            for k in here[::-1]:
                targets = later[rows[later] == rows[k]]
                if targets.size:
                    step = min(over, int(cents[k]))
                    cents[k] -= step
                    cents[targets[0]] += step
                    over -= step
                    moved = True
                    if over == 0:
                        break
            if not moved:
                raise Conflict(f"the cap of year {year} cannot be met to the cent", field="cap")
    return cents


def _plan(lines, years, rows, cols, cents, caps, objective: float) -> Plan:  # type: ignore[no-untyped-def]
    paid = cents > 0
    frame = pl.DataFrame(
        {
            "project": pl.Series(lines["project"].to_numpy()[rows[paid]], dtype=pl.Utf8),
            "requested_year": lines["requested_year"].to_numpy()[rows[paid]],
            "year": np.asarray(years)[cols[paid]],
            "cents": cents[paid],
        }
    )
    calls = (
        frame.group_by("project", "year", maintain_order=True)
        .agg(pl.col("cents").sum())
        .sort("year", "project")
        .select("project", "year", (pl.col("cents") / 100).alias("amount"))
    )
    totals = frame.group_by("year").agg(pl.col("cents").sum()).sort("year")
    by_year = {str(y): c / 100 for y, c in totals.iter_rows()}
    late = (
        frame.filter(pl.col("year") > pl.col("requested_year"))
        .group_by("project", "requested_year", "year", maintain_order=True)
        .agg(pl.col("cents").sum())
        .sort("requested_year", "year", "project")
    )
    deferred = [
        {"project": p, "amount": c / 100, "from_year": int(f), "to_year": int(t)}
        for p, f, t, c in late.iter_rows()
    ]
    caps_by_year = {str(y): float(c) for y, c in zip(years, caps, strict=True)}
    return Plan(calls, by_year, deferred, caps_by_year, objective)
