"""Allocation request files and results: items mapped to tiers by parameter, then the LP.

The file names the shortage (product, unit, supply, date), regional limits and the customers
with their item, region, demand and optional minimum. Each item's tier comes from the dated
parameter `energy.allocation.item_tier` in force on the file's date, so a change of policy
(a new essential item) is a parameter change, not a code change.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
from pydantic import Field, ValidationError

from tiro.core.errors import InvalidInput
from tiro.core.validation import InputModel
from tiro.core.yaml_strict import read_user_yaml
from tiro.energy.allocation.engine import AllocationProblem, allocate, tier_summary
from tiro.energy.inputs import Volume

TIER_PARAM = "energy.allocation.item_tier"
#: Names of the tiers (spec energy.md §3; labels, not policy numbers).
TIER_LABELS = {
    1: {"ko": "생명·안전 (보건의료)", "en": "life/safety (medical)"},
    2: {"ko": "민생", "en": "livelihood"},
    3: {"ko": "핵심산업", "en": "core industry"},
    4: {"ko": "기타", "en": "other"},
}


class Customer(InputModel):
    """One customer: its essential item (→ tier), region, demand and guaranteed minimum."""

    id: str = Field(min_length=1)
    name: str = ""
    item: str
    region: str
    demand: Volume
    minimum: Volume = 0.0


class AllocationRequest(InputModel):
    """A shortage to allocate. Numbers are finite (a NaN limit is not "no limit": a region
    without a limit is simply not listed) and keys unknown to the model are refused."""

    name: str = "allocation"
    data_label: str = "sample"
    date: date
    product: str
    unit: str = "t"
    supply: Volume
    regional_limits: dict[str, Volume] = Field(default_factory=dict)
    customers: list[Customer] = Field(min_length=1, max_length=100_000)


def parse_request(data: Any) -> AllocationRequest:
    """Validate a mapping into a request; the error names the offending field."""
    if not isinstance(data, dict):
        raise InvalidInput("an allocation request must be a mapping", field="request")
    try:
        return AllocationRequest.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise InvalidInput(err["msg"], field=".".join(str(p) for p in err["loc"])) from None


def load_request(path: str | Path) -> AllocationRequest:
    """Read an allocation YAML file (example: src/tiro/data/energy/allocation/)."""
    return parse_request(read_user_yaml(path, what="request key"))


def run_allocation(req: AllocationRequest, *, params: Any) -> dict[str, Any]:
    """Map items to tiers (parameter), solve, and return customers, tiers and the rule used."""
    tiers: dict[str, int] = params.at(TIER_PARAM, req.date)
    unknown = sorted({c.item for c in req.customers} - set(tiers))
    if unknown:
        raise InvalidInput(
            f"item '{unknown[0]}' has no tier; known items: {', '.join(sorted(tiers))}",
            field="customers.item",
        )
    frame = pl.DataFrame(
        {
            "customer_id": [c.id for c in req.customers],
            "name": [c.name for c in req.customers],
            "item": [c.item for c in req.customers],
            "region": [c.region for c in req.customers],
            "demand": [float(c.demand) for c in req.customers],
            "minimum": [float(c.minimum) for c in req.customers],
        }
    )
    frame = frame.with_columns(
        pl.col("item").replace_strict(tiers, return_dtype=pl.Int64).alias("tier")
    )
    result = allocate(AllocationProblem(frame, req.supply, dict(req.regional_limits)))
    labels = {lang: {t: v[lang] for t, v in TIER_LABELS.items()} for lang in ("ko", "en")}
    summary = tier_summary(result).with_columns(
        pl.col("tier")
        .replace_strict(labels[lang], default=pl.col("tier").cast(pl.String))
        .alias(f"tier_{lang}")
        for lang in ("ko", "en")
    )
    return {
        "name": req.name,
        "data_label": req.data_label,
        "date": req.date,
        "product": req.product,
        "unit": req.unit,
        "supply": req.supply,
        "regional_limits": dict(req.regional_limits),
        "demand": float(result["demand"].sum()),
        "allocated": float(result["allocated"].sum()),
        "unmet": float(result["unmet"].sum()),
        "customers": result.sort("tier", "customer_id").to_dicts(),
        "tiers": summary.to_dicts(),
        "explain": [params.explain(TIER_PARAM, req.date).as_dict()],
    }
