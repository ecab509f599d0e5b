"""Disruption-scenario routes (``/api/v1/energy/scenario``): 수급 차질 시나리오.

Pure computations over the posted (or shipped example) scenario and parameters: no token.
The body refuses unknown keys and non-finite numbers (422 naming the field).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from tiro.api.deps import SCENARIO_QUERY, http_params
from tiro.energy.disruption.engine import run_scenario
from tiro.energy.disruption.io import DisruptionScenario, load_scenario, parse_scenario
from tiro.energy.supply.figures import DATA_DIR

router = APIRouter(prefix="/api/v1/energy", tags=["energy: disruption scenarios"])
EXAMPLE_SCENARIO = DATA_DIR / "scenarios" / "hormuz_2026.yaml"
SCENARIO_Q = SCENARIO_QUERY


def _scenario_out(result: dict[str, Any]) -> dict[str, Any]:
    return {**result, "path": result["path"].to_dicts()}


@router.post("/scenario/run", summary="Run a disruption scenario (수급 차질 시나리오)")
def scenario_run(body: DisruptionScenario, scenario: str | None = SCENARIO_Q) -> dict:
    """Day-by-day supply, demand, government and private stocks, stock days, shortage, and the
    first day each threshold (the 90-day obligation, the scenario's alert lines) is crossed.
    The body is the scenario as in data/energy/scenarios/*.yaml."""
    checked = parse_scenario(body.model_dump(by_alias=True))
    return _scenario_out(run_scenario(checked, params=http_params(scenario)))


@router.get("/scenario/example", summary="The shipped example scenario, run")
def scenario_example(scenario: str | None = SCENARIO_Q) -> dict:
    """The illustrative Hormuz 2026 scenario (labelled sample) with its path and crossings."""
    example = load_scenario(EXAMPLE_SCENARIO)
    return _scenario_out(run_scenario(example, params=http_params(scenario)))


@router.get("/scenario/example/input", summary="The shipped example scenario, as input")
def scenario_example_input() -> dict:
    """The example scenario file as JSON, so a client can edit it and POST it to /scenario/run."""
    return load_scenario(EXAMPLE_SCENARIO).model_dump(mode="json", by_alias=True)
