"""Request bodies of the tariff API and the scenario a remote caller may name.

Every body inherits ``InputModel`` (unknown keys and NaN/infinity refused, issue 9 items 1/4).
Over HTTP a scenario is a shipped name or an overlay object sent in the body — never a path the
server would read (issue 9 item 20): names go through ``tiro.core.scenarios.shipped_scenario_name``
and an overlay is size-limited here and validated like a shipped scenario's ``tariff_measures``.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

import polars as pl
from pydantic import Discriminator, Field, Tag, field_validator

from tiro.core.errors import InvalidInput, TiroError
from tiro.core.scenarios import SCENARIO_NAME_PATTERN, shipped_scenario_name
from tiro.core.validation import FiniteFloat, InputModel, finite_tree
from tiro.tariff.deal.compare import DEFAULT_SCENARIOS
from tiro.tariff.measures.data import MeasureSet, apply_overlay, load_measure_set
from tiro.tariff.measures.tables import tables_for

MAX_OVERLAY_RECORDS = 50
MAX_OVERLAY_BYTES = 64_000
"""An overlay is a what-if of a few records, not a second measure database."""


class TariffOverlay(InputModel):
    """A scenario sent in the body: the ``tariff_measures`` keys of a scenario file."""

    description: str = Field("", max_length=500, description="What the what-if assumes")
    remove: list[str] = Field(
        default_factory=list, max_length=MAX_OVERLAY_RECORDS, description="Measure ids to drop"
    )
    end: dict[str, dt.date] = Field(
        default_factory=dict, description="Measure id -> date the record stops (exclusive)"
    )
    add: list[dict[str, Any]] = Field(
        default_factory=list,
        max_length=MAX_OVERLAY_RECORDS,
        description="Measure records in the shape of data/tariff/measures/*.yaml",
    )


def _scenario_kind(value: Any) -> str:
    return "overlay" if isinstance(value, dict | TariffOverlay) else "name"


ScenarioField = (
    Annotated[
        Annotated[str, Tag("name")] | Annotated[TariffOverlay, Tag("overlay")],
        Discriminator(_scenario_kind),
    ]
    | None
)
"""A shipped scenario's name, or an overlay object; errors are located under ``scenario``."""
SCENARIO_DESCRIPTION = (
    "Shipped scenario name (GET /api/v1/scenarios lists them; default: actual), or an overlay "
    "object {description, remove, end, add} applied to the actual measures. Never a path."
)


def overlay_measure_set(overlay: TariffOverlay) -> MeasureSet:
    """The actual measures with a request's overlay applied and validated; any problem in it is
    the caller's (422 on ``scenario``), never a server error."""
    if len(overlay.end) > MAX_OVERLAY_RECORDS:
        raise InvalidInput(f"at most {MAX_OVERLAY_RECORDS} records to end", field="scenario")
    raw = overlay.model_dump(mode="json")
    if len(json.dumps(raw)) > MAX_OVERLAY_BYTES:
        raise InvalidInput(
            f"the overlay is larger than {MAX_OVERLAY_BYTES} bytes", field="scenario"
        )
    finite_tree(raw["add"], "scenario.add")
    from tiro.tariff.measures.validate import check_measure_set

    try:
        ms = apply_overlay(load_measure_set(None), raw, "request")
        check_measure_set(ms)
        tables_for(ms)  # built once here, so a record the engine cannot table is refused now
    except InvalidInput:
        raise
    except TiroError as exc:
        raise InvalidInput(exc.message, field="scenario") from None
    except (TypeError, ValueError, AttributeError, KeyError, pl.exceptions.PolarsError) as exc:
        raise InvalidInput(f"malformed overlay record: {exc}", field="scenario") from None
    return ms


def http_measure_set(scenario: ScenarioField) -> MeasureSet:
    """The measure set for a scenario given over HTTP: a shipped name or an overlay object."""
    if isinstance(scenario, TariffOverlay):
        return overlay_measure_set(scenario)
    return load_measure_set(shipped_scenario_name(scenario))


#: The transport modes (as ``tiro.tariff.broker.fees.MODES``), matched in any letter case with
#: surrounding spaces, as the CLI and the engine take them: OCEAN, Ocean and ocean agree.
TRANSPORT_MODES = ("ocean", "air", "truck", "rail", "mail")
MODE_PATTERN = (
    r"^\s*(?:"
    + "|".join("".join(f"[{c.upper()}{c}]" for c in m) for m in TRANSPORT_MODES)
    + r")\s*$"
)


class QuoteRequest(InputModel):
    """One declaration line to quote."""

    hts: str = Field(
        ...,
        max_length=20,
        description="HTS code, 8 or 10 digits (dots allowed)",
        examples=["8703.23.01"],
    )
    origin: str = Field("KR", max_length=8, description="Country of origin, ISO 3166-1 alpha-2")
    entry_date: str = Field(
        ..., max_length=10, description="Entry date YYYY-MM-DD", examples=["2025-12-01"]
    )
    customs_value: FiniteFloat = Field(..., ge=0, description="Customs value, USD")
    quantity: FiniteFloat | None = Field(None, ge=0, description="Quantity, for specific rates")
    unit: str | None = Field(
        None, max_length=16, description="Unit of quantity (kg, t, liter, bbl, ...)"
    )
    korus: bool | None = Field(None, description="KORUS claimed (default: yes for KR)")
    metal_share: FiniteFloat | None = Field(
        None, ge=0, le=1, description="Steel/aluminium/copper share of value, 0-1"
    )
    facts: dict[str, bool] = Field(
        default_factory=dict,
        description="Other facts: civil_aircraft, advanced_chip, pharma_patented, listed_company, "
        "vehicle_part, civil_aircraft_use, pharma_use, auto_parts_certified, mhdv_parts_certified, "
        "uas_use, uas_thermal_imaging, uas_allied_components, mip_documented, usmca",
    )
    scenario: ScenarioField = Field(None, description=SCENARIO_DESCRIPTION)
    mode: str | None = Field(
        None,
        pattern=MODE_PATTERN,
        max_length=40,
        description="Transport mode: ocean, air, truck, rail or mail, in any letter case "
        "(OCEAN is ocean, as on the CLI; answered in lower case); the harbor maintenance fee is "
        "due on ocean cargo only",
    )
    producer: str | None = Field(
        None,
        min_length=1,
        max_length=200,
        description="Producer, for AD/CVD cash deposits (a name the order does not list: all-others)",
    )
    landed: bool = Field(
        False, description="Add the landed cost: value + duties + MPF + HMF + AD/CVD"
    )
    krw: bool = Field(False, description="Landed cost in KRW too, at the entry date's H.10 rate")
    krw_rate: FiniteFloat | None = Field(
        None, gt=0, le=100_000, description="Your own KRW per USD rate instead of the H.10 table"
    )
    compare_korus: bool = Field(
        False, description="Add the line priced with and without the KORUS claim, side by side"
    )

    @field_validator("mode")
    @classmethod
    def _mode_lower(cls, mode: str | None) -> str | None:
        """One vocabulary for the CLI, the API and the engine (``broker.fees.check_mode``)."""
        return None if mode is None else mode.strip().lower()

    def broker(self) -> dict[str, Any]:
        """The broker options of ``tiro.tariff.broker.landed.broker_view``."""
        return {
            "mode": self.mode,
            "producer": self.producer,
            "landed": self.landed,
            "krw": self.krw,
            "krw_rate": self.krw_rate,
            "compare_korus": self.compare_korus,
        }


class BasketLine(InputModel):
    """One basket row."""

    hts: str | None = Field(None, max_length=20)
    value_usd: FiniteFloat = Field(..., ge=0)
    product_group: str | None = Field(None, max_length=200)
    metal_share: FiniteFloat | None = Field(None, ge=0, le=1)


class CompareRequest(InputModel):
    """A basket (default: Korea's 2024 exports to the US) and the scenarios to price it under."""

    scenarios: list[str] = Field(
        default_factory=lambda: list(DEFAULT_SCENARIOS),
        min_length=1,
        max_length=8,
        description="Shipped scenario names, each at most once",
    )
    entry_date: str | None = Field(None, description="Entry date YYYY-MM-DD (default: today)")
    basket: list[BasketLine] | None = Field(
        None, min_length=1, max_length=10_000, description="Rows; omit for the shipped basket"
    )


__all__ = [
    "SCENARIO_NAME_PATTERN",
    "BasketLine",
    "CompareRequest",
    "QuoteRequest",
    "TariffOverlay",
    "http_measure_set",
]
