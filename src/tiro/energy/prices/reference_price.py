"""A cost-built reference supply price from Singapore product prices, to compare with the cap.

reference = (CIF + crude tariff on CIF + import levy + margin + excise taxes) x (1 + VAT), with
CIF = MOPS (USD/bbl) / litres per barrel x KRW/USD + freight and insurance (KRW/L). The
template is the spec's (Korean refiners price off Singapore spot plus FX and taxes); the tariff
rate applied to products is the crude rate, and freight and margin are the user's: none of the
three is published for the cap [U].
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tiro.core.errors import InvalidInput
from tiro.core.parameters import ParameterTree
from tiro.core.validation import finite
from tiro.energy.prices.fuel_tax import fuel_tax

#: US oil barrel = 42 US gallons = 158.987 L (a unit definition, not a policy number).
LITRES_PER_BARREL = 158.987294928


def reference_price(
    *,
    params: ParameterTree,
    product: str,
    on: dt.date,
    mops_usd_bbl: float,
    krw_per_usd: float,
    freight_krw_per_litre: float,
    margin_krw_per_litre: float,
) -> dict[str, Any]:
    """The cost-built price per litre with every component, and the published cap beside it."""
    for value, field in ((mops_usd_bbl, "mops_usd_bbl"), (krw_per_usd, "krw_per_usd"),
                         (freight_krw_per_litre, "freight_krw_per_litre"),
                         (margin_krw_per_litre, "margin_krw_per_litre")):  # fmt: skip
        finite(value, field)
        if value < 0:
            raise InvalidInput(f"{field} cannot be negative", field=field)
    taxes = fuel_tax(params=params, product=product, on=on)
    excise = taxes["transport_tax"] + taxes["education_tax"] + taxes["driving_tax"]
    product_cost = mops_usd_bbl / LITRES_PER_BARREL * krw_per_usd
    cif = product_cost + freight_krw_per_litre
    tariff = cif * params.at("energy.fuel_tax.crude_tariff", on)
    levy = params.at("energy.fuel_tax.import_levy", on)
    vat_rate = params.at("energy.fuel_tax.vat_rate", on)
    before_vat = cif + tariff + levy + margin_krw_per_litre + excise
    price = before_vat * (1 + vat_rate)
    start = params.series("energy.price_cap.published")[0].effective_from
    published = params.at("energy.price_cap.published", on) if on >= start else None
    cap = (published or {}).get(product)
    return {
        "product": product,
        "date": on.isoformat(),
        "product_cost": round(product_cost, 2),
        "freight_insurance": freight_krw_per_litre,
        "tariff": round(tariff, 2),
        "import_levy": levy,
        "margin": margin_krw_per_litre,
        "excise_taxes": round(excise, 2),
        "vat": round(before_vat * vat_rate, 2),
        "reference_price": round(price, 2),
        "published_cap": cap,
        "cap_minus_reference": None if cap is None else round(cap - price, 2),
        "unit": "KRW/L",
    }
