"""Disruption-scenario input: the YAML file an analyst writes, parsed and checked.

A scenario says how much of a region's supply stops from which date for how long, and which
responses are used: government stock releases (the IEA collective action, 공동방출), reserve
SWAP loans (비축유 SWAP: lent now, repaid when the refiner's cargo arrives) and demand
restraint (수요관리). All volumes are barrels per day or barrels; nothing may be negative,
NaN, infinite or absurdly large (tiro.core.validation), a window lasts at least one whole day,
and a file with a duplicate key is refused (a second ``share:`` would hide the first).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, ValidationError, model_validator

from tiro.core.errors import InvalidInput
from tiro.core.validation import InputModel
from tiro.core.yaml_strict import read_user_yaml
from tiro.energy.inputs import Positive, Share, Volume

#: Longest window or scenario, in days (ten years): longer is a typo, and dates must stay
#: inside the calendar.
MAX_DAYS = 3660
#: Most entries in one list of a scenario (each adds a term to every day's flows).
MAX_ITEMS = 1000


class _Model(InputModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, populate_by_name=True)


class Baseline(_Model):
    """Normal-year flows and opening stocks (crude-oil equivalent, barrels)."""

    demand_bbl_per_day: Volume = Field(description="refinery intake / demand per day")
    supply_bbl_per_day: dict[str, Volume] = Field(
        max_length=MAX_ITEMS, description="imports per day by region"
    )
    daily_net_imports_bbl: Annotated[Positive, Field(ge=1)] = Field(
        description="IEA-basis daily net imports (naphtha-adjusted), bbl/d"
    )
    government_stocks_bbl: Volume = Field(description="crude stocks, bbl")
    private_stocks_bbl: Volume = Field(description="crude stocks, bbl")
    private_floor_bbl: Volume = Field(default=0, description="operating minimum")

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
    weeks: Annotated[Positive, Field(le=MAX_DAYS / 7)] | None = None
    days: int | None = Field(default=None, gt=0, le=MAX_DAYS)

    @model_validator(mode="after")
    def _one_length(self) -> Window:
        if (self.weeks is None) == (self.days is None):
            raise ValueError("give exactly one of weeks or days")
        if self.length_days < 1:
            raise ValueError(f"{self.weeks} weeks is less than one day; a window lasts >= 1 day")
        try:
            self.end  # noqa: B018 - the end must be a calendar date
        except OverflowError:
            raise ValueError("the window ends after the year 9999") from None
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
    share: Share = Field(description="share of the region's supply lost")


class Restraint(Window):
    share: Share = Field(description="share of demand cut (IEA: up to 10%)")


class Release(Window):
    name: str = "release"
    volume_bbl: Volume | Literal["iea_share"] = Field(
        description="barrels released over the window, or 'iea_share' for Korea's share"
    )


class SwapLoan(_Model):
    refiner: str
    volume_bbl: Positive
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
    days: Positive | None = None
    ratio_of_obligation: Positive | None = None
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
    days: int = Field(gt=0, le=MAX_DAYS)
    baseline: Baseline
    disruptions: list[Disruption] = Field(default_factory=list, max_length=MAX_ITEMS)
    releases: list[Release] = Field(default_factory=list, max_length=MAX_ITEMS)
    swaps: list[SwapLoan] = Field(default_factory=list, max_length=MAX_ITEMS)
    demand_restraint: list[Restraint] = Field(default_factory=list, max_length=MAX_ITEMS)
    thresholds: list[Threshold] = Field(default_factory=list, max_length=MAX_ITEMS)

    @property
    def end(self) -> date:
        return self.start + timedelta(days=self.days - 1)

    @model_validator(mode="after")
    def _in_calendar(self) -> DisruptionScenario:
        try:
            self.end  # noqa: B018 - the last day must be a calendar date
        except OverflowError:
            raise ValueError("the scenario ends after the year 9999") from None
        return self


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
    return parse_scenario(read_user_yaml(path, what="scenario key"))
