"""Allocation routes (``/api/v1/energy/allocate``): 필수품목 우선 공급 (HiGHS LP).

Pure computations over the posted (or shipped example) request and parameters: no token.
The body refuses unknown keys and non-finite numbers (422 naming the field).
"""

from __future__ import annotations

from fastapi import APIRouter

from tiro.api.deps import SCENARIO_QUERY, http_params
from tiro.energy.allocation.io import AllocationRequest, load_request, parse_request, run_allocation
from tiro.energy.supply.figures import DATA_DIR

router = APIRouter(prefix="/api/v1/energy", tags=["energy: allocation"])
EXAMPLE_ALLOCATION = DATA_DIR / "allocation" / "ethylene_2026_05.yaml"
SCENARIO_Q = SCENARIO_QUERY


@router.post("/allocate", summary="Allocate scarce supply by priority tier (필수품목 우선 공급)")
def allocate(body: AllocationRequest, scenario: str | None = SCENARIO_Q) -> dict:
    """Who gets what and the unmet demand by tier: tiers in order, pro rata within a tier,
    minimums and regional limits respected (HiGHS linear programme). The body is the request
    as in data/energy/allocation/*.yaml; a region without a limit is left out, not NaN."""
    return run_allocation(parse_request(body.model_dump()), params=http_params(scenario))


@router.get("/allocate/example", summary="The shipped example allocation, solved")
def allocate_example(scenario: str | None = SCENARIO_Q) -> dict:
    """The illustrative ethylene-derived feedstock allocation of May 2026 (labelled sample)."""
    return run_allocation(load_request(EXAMPLE_ALLOCATION), params=http_params(scenario))
