"""Disruption-scenario input: the YAML file an analyst writes, parsed and checked.

A scenario says how much of a region's supply stops from which date for how long, and which
responses are used: government stock releases (the IEA collective action, 공동방출), reserve
SWAP loans (비축유 SWAP: lent now, repaid when the refiner's cargo arrives) and demand
restraint (수요관리). All volumes are barrels per day or barrels; nothing may be negative.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from tiro.core.errors import InvalidInput

NonNeg = Field(ge=0)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Baseline(_Model):
    """Normal-year flows and opening stocks (crude-oil equivalent, barrels)."""

    demand_bbl_per_day: float = Field(ge=0, description="refinery intake / demand per day")
    supply_bbl_per_day: dict[str, float] = Field(description="imports per day by region")
    daily_net_imports_bbl: float = Field(gt=0, description="basis for stock days (IEA)")
    government_stocks_bbl: float = NonNeg
    private_stocks_bbl: float = NonNeg
    private_floor_bbl: float = Field(default=0, ge=0, description="operating minimum")

    @model_validator(mode="after")
    def _non_negative_supply(self) -> Baseline:
        for region, v in self.supply_bbl_per_day.items():
            if v < 0:
                raise ValueError(f"supply of {region} must not be negative")
        if self.private_floor_bbl > self.private_stocks_bbl:
            raise ValueError("private_floor_bbl exceeds private_stocks_bbl")
        return self


class Window(_Model):
    """A period: `from` for `weeks` (or `days`)."""

    start: date = Field(alias="from")
    weeks: float | None = Field(default=None, gt=0)
    days: int | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _one_length(self) -> Window:
        if (self.weeks is None) == (self.days is None):
            raise ValueError("give exactly one of weeks or days")
        return self

    @property
    def length_days(self) -> int:
        return self.days if self.days is not None else round(self.weeks * 7)

    @property
    def end(self) -> date:
        """First day no longer in the window."""
        return self.start + timedelta(days=self.length_days)


class Disruption(Window):
    region: str
    share: float = Field(ge=0, le=1, description="share of the region's supply lost")


class Restraint(Window):
    share: float = Field(ge=0, le=1, description="share of demand cut (IEA: up to 10%)")


class Release(Window):
    name: str = "release"
    volume_bbl: Annotated[float, Field(ge=0)] | Literal["iea_share"] = Field(
        description="barrels released over the window, or 'iea_share' for Korea's share"
    )


class SwapLoan(_Model):
    refiner: str
    volume_bbl: float = Field(gt=0)
    lend_on: date
    repay_on: date

    @model_validator(mode="after")
    def _order(self) -> SwapLoan:
        if self.repay_on <= self.lend_on:
            raise ValueError("repay_on must be after lend_on")
        return self


class Threshold(_Model):
    """A line the path is watched against: days of stock cover, or a share of the obligation."""

    name: str
    days: float | None = Field(default=None, gt=0)
    ratio_of_obligation: float | None = Field(default=None, gt=0)
    basis: str = Field(default="total", pattern="^(total|government|private)$")

    @model_validator(mode="after")
    def _one(self) -> Threshold:
        if (self.days is None) == (self.ratio_of_obligation is None):
            raise ValueError("give exactly one of days or ratio_of_obligation")
        return self


class DisruptionScenario(_Model):
    name: str
    description: str = ""
    data_label: str = Field(default="sample", description="'sample' when inputs are illustrative")
    resource: str = Field(default="crude", description="resource whose alert criteria apply")
    start: date
    days: int = Field(gt=0, le=3660)
    baseline: Baseline
    disruptions: list[Disruption] = []
    releases: list[Release] = []
    swaps: list[SwapLoan] = []
    demand_restraint: list[Restraint] = []
    thresholds: list[Threshold] = []

    @property
    def end(self) -> date:
        return self.start + timedelta(days=self.days - 1)


def parse_scenario(data: Any) -> DisruptionScenario:
    """Validate a mapping into a scenario; errors name the offending field."""
    if not isinstance(data, dict):
        raise InvalidInput("a scenario must be a mapping", field="scenario")
    try:
        scenario = DisruptionScenario.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"]) or "scenario"
        raise InvalidInput(err["msg"], field=loc) from None
    for i, d in enumerate(scenario.disruptions):
        if d.region not in scenario.baseline.supply_bbl_per_day:
            known = ", ".join(scenario.baseline.supply_bbl_per_day)
            raise InvalidInput(
                f"region '{d.region}' has no baseline supply (known: {known})",
                field=f"disruptions.{i}.region",
            )
    return scenario


def load_scenario(path: str | Path) -> DisruptionScenario:
    """Read a scenario YAML file (see src/tiro/data/energy/scenarios/ for an example)."""
    p = Path(path)
    if not p.is_file():
        raise InvalidInput(f"no such file: {p}", field="file")
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InvalidInput(f"not valid YAML: {exc}", field="file") from None
    return parse_scenario(data)
