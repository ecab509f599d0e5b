"""Days of net imports covered by stocks, by the IEA / EU 90-day method (비축일수).

Daily net imports = [primary-product net imports (stock-adjusted) x (1 - naphtha yield)
                     + product net imports excluding naphtha and bunkers x product factor]
                    / days in year                               (Dir. 2009/119/EC Annex I)
Obligation        = obligation days x daily net imports           (IEA 90-day rule)
Counted stocks    = (crude stocks x (1 - naphtha yield) + product stocks x product factor)
                    x (1 - unavailability deduction), stocks held by the military, in tankers
                    at sea, in pipelines, at service stations and by end users excluded
                    (Dir. 2009/119/EC Annex III; IEA net-imports table explanations)
Days              = counted stocks / daily net imports

KNOC reports Korea's stock days on this basis (government 111.2 + private 84.1 = 195.3 days
in 2022-09 on 2021 daily net imports of 101.37 kt/d). The engine works on a whole table at
once; `stock_days` is the one-row convenience used by the CLI and API.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl

from tiro.core.errors import InvalidInput
from tiro.core.validation import finite

PARAM = "energy.stock_cover."

#: Input columns (kt). The optional ones default to zero when absent.
REQUIRED = (
    "primary_net_imports_kt",
    "product_net_imports_kt",
    "crude_stocks_kt",
    "product_stocks_kt",
)
OPTIONAL = (
    "primary_stock_build_kt",  # stock build subtracted from primary net imports (stock-adjusted)
    "product_stock_build_kt",
    "product_naphtha_net_imports_kt",  # excluded from product net imports
    "bunkers_kt",  # international marine bunkers, excluded
    "excluded_crude_stocks_kt",  # military, tankers at sea, pipelines, end users
    "excluded_product_stocks_kt",  # military, service stations, end users
)
EXPLAINED = ("naphtha_yield", "product_factor", "unavailability_deduction", "obligation_days")
NON_NEGATIVE = ("crude_stocks_kt", "product_stocks_kt", "excluded_crude_stocks_kt")


def stock_cover_factors(params: Any, on: date) -> dict[str, float]:
    """The dated method factors in force on `on` (each a parameter with its source)."""
    names = (
        "naphtha_yield",
        "product_factor",
        "main_products_factor",
        "unavailability_deduction",
        "obligation_days",
    )
    return {n: float(params.at(PARAM + n, on)) for n in names}


def iea_counted_stocks(
    crude: pl.Expr,
    products: pl.Expr,
    factors: dict[str, float],
    *,
    main_products_only: bool = False,
) -> pl.Expr:
    """Stocks counted towards the obligation (Dir. 2009/119/EC Annex III), in the stocks' unit.

    Crude is reduced by the naphtha yield, products are taken in crude-oil equivalent (x the
    product factor, or the main-products factor when that method is chosen), and the whole
    is cut by the unavailability deduction. Exclusions (military, tankers at sea, ...) are
    subtracted by the caller before.
    """
    stock_factor = factors["main_products_factor" if main_products_only else "product_factor"]
    counted = crude * (1 - factors["naphtha_yield"]) + products * stock_factor
    return counted * (1 - factors["unavailability_deduction"])


def iea_stock_days(
    crude: pl.Expr,
    products: pl.Expr,
    daily_net_imports: pl.Expr,
    factors: dict[str, float],
    *,
    main_products_only: bool = False,
) -> pl.Expr:
    """THE stock-days formula on the IEA basis: counted stocks / daily net imports.

    Every view of stock days in tiro (``stock-days``, the disruption scenario's path, its
    government and private parts) calls this one function, so the same stocks and the same
    daily net imports give the same days everywhere. ``daily_net_imports`` is already on the
    IEA basis (naphtha-adjusted, Annex I) and in the same unit as the stocks (kt or bbl).
    """
    counted = iea_counted_stocks(crude, products, factors, main_products_only=main_products_only)
    return counted / daily_net_imports


def _check(frame: pl.DataFrame, days_in_year: int) -> pl.DataFrame:
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise InvalidInput(f"missing input column {missing[0]}", field=missing[0])
    if days_in_year not in (365, 366):
        raise InvalidInput("must be 365 or 366", field="days_in_year")
    frame = frame.with_columns(pl.lit(0.0).alias(c) for c in OPTIONAL if c not in frame.columns)
    frame = frame.with_columns(pl.col(c).cast(pl.Float64) for c in (*REQUIRED, *OPTIONAL))
    for col in (*NON_NEGATIVE, "excluded_product_stocks_kt", "bunkers_kt"):
        if frame.filter(pl.col(col).is_null() | (pl.col(col) < 0)).height:
            raise InvalidInput("must be a non-negative volume (kt)", field=col)
    for stock, excl in (
        ("crude_stocks_kt", "excluded_crude_stocks_kt"),
        ("product_stocks_kt", "excluded_product_stocks_kt"),
    ):
        if frame.filter(pl.col(excl) > pl.col(stock)).height:
            raise InvalidInput(f"excluded stocks exceed {stock}", field=excl)
    return frame


def stock_cover_table(
    frame: pl.DataFrame,
    *,
    params: Any,
    on: date,
    days_in_year: int = 365,
    main_products_only: bool = False,
) -> pl.DataFrame:
    """Add daily net imports, obligation, counted stocks and days to every row of `frame`.

    `main_products_only` switches the product-stock factor to the main-products method
    (x 1.2 instead of x 1.065), which the directive allows as an alternative.
    Net imports must be positive: a net exporter has no import-based obligation.
    """
    f = stock_cover_factors(params, on)
    frame = _check(frame, days_in_year)
    primary = pl.col("primary_net_imports_kt") - pl.col("primary_stock_build_kt")
    products = (
        pl.col("product_net_imports_kt")
        - pl.col("product_stock_build_kt")
        - pl.col("product_naphtha_net_imports_kt")
        - pl.col("bunkers_kt")
    )
    daily = (primary * (1 - f["naphtha_yield"]) + products * f["product_factor"]) / days_in_year
    crude = pl.col("crude_stocks_kt") - pl.col("excluded_crude_stocks_kt")
    products_held = pl.col("product_stocks_kt") - pl.col("excluded_product_stocks_kt")
    counted = iea_counted_stocks(crude, products_held, f, main_products_only=main_products_only)
    out = frame.with_columns(
        daily.alias("daily_net_imports_kt"), counted.alias("counted_stocks_kt")
    ).with_columns(
        (pl.col("daily_net_imports_kt") * f["obligation_days"]).alias("obligation_kt"),
        iea_stock_days(
            crude, products_held, pl.col("daily_net_imports_kt"), f,
            main_products_only=main_products_only,
        ).alias("days"),
    )  # fmt: skip
    if out.filter(pl.col("daily_net_imports_kt") <= 0).height:
        raise InvalidInput(
            "net imports after deductions must be positive to express stocks in days",
            field="primary_net_imports_kt",
        )
    return out.with_columns(
        (pl.col("counted_stocks_kt") - pl.col("obligation_kt")).alias("surplus_kt"),
        (pl.col("counted_stocks_kt") >= pl.col("obligation_kt")).alias("meets_obligation"),
    )


def stock_days(
    *,
    params: Any,
    on: date,
    primary_net_imports_kt: float,
    product_net_imports_kt: float,
    crude_stocks_kt: float,
    product_stocks_kt: float,
    days_in_year: int = 365,
    main_products_only: bool = False,
    **optional: float | None,
) -> dict[str, Any]:
    """One-row stock cover with the parameters that produced it (the CLI/API contract).

    Every engine input is reachable: the four required volumes, the optional ones in
    ``OPTIONAL`` (stock build, product naphtha, bunkers, excluded stocks; ``None`` = 0) and
    the main-products method. Each number is checked finite here, so the CLI and the API
    refuse ``nan``/``inf`` by the same rule.
    """
    unknown = set(optional) - set(OPTIONAL)
    if unknown:
        name = sorted(unknown)[0]
        raise InvalidInput("unknown input", field=name)
    given = {k: v for k, v in optional.items() if v is not None}
    required = {
        "primary_net_imports_kt": primary_net_imports_kt,
        "product_net_imports_kt": product_net_imports_kt,
        "crude_stocks_kt": crude_stocks_kt,
        "product_stocks_kt": product_stocks_kt,
    }
    for name, value in {**required, **given}.items():
        finite(value, name)
    row = {k: [float(v)] for k, v in {**required, **given}.items()}
    out = stock_cover_table(
        pl.DataFrame(row),
        params=params,
        on=on,
        days_in_year=days_in_year,
        main_products_only=main_products_only,
    )
    r = out.row(0, named=True)
    explained = (*EXPLAINED, "main_products_factor") if main_products_only else EXPLAINED
    return {
        "separate_lines": _separate_lines(params, on, r["daily_net_imports_kt"]),
        "daily_net_imports_kt": r["daily_net_imports_kt"],
        "obligation_kt": r["obligation_kt"],
        "counted_stocks_kt": r["counted_stocks_kt"],
        "days": r["days"],
        "surplus_kt": r["surplus_kt"],
        "obligation_days": stock_cover_factors(params, on)["obligation_days"],
        "meets_obligation": r["meets_obligation"],
        "method": "main_products" if main_products_only else "all_products",
        "inputs": {**required, **{k: float(r[k]) for k in OPTIONAL}, "days_in_year": days_in_year},
        "explain": [params.explain(PARAM + n, on).as_dict() for n in explained],
    }


def _separate_lines(params: Any, on: date, daily_net_imports_kt: float) -> list[dict[str, Any]]:
    """Oil in Korean tanks that is not Korea's: shown beside the stock days, never counted.

    The international joint stockpile (국제공동비축) is a foreign company's crude in KNOC's
    tanks; Korea holds only a priority right to buy it in a crisis, so the IEA days above
    exclude it. Its days are what the volume would add if bought (barrels set to tonnes of
    crude at the average gravity), so a reader can weigh the right against the obligation.
    """
    from tiro.energy.stockpile.records import joint_total_on

    joint = joint_total_on(on)
    if joint is None:
        return []
    bbl_per_t = float(params.at(PARAM + "crude_bbl_per_tonne", on))
    kt = joint["mbbl"] * 1000 / bbl_per_t
    return [{
        "line": "joint_stockpile",
        "label": {"ko": "국제공동비축 (우선구매권)", "en": "international joint stockpile (priority right)"},
        "mbbl": joint["mbbl"],
        "kt": kt,
        "days_if_bought": kt / daily_net_imports_kt,
        "counted_in_days": False,
        "as_of": joint["as_of"],
        "source": joint["source"],
    }]  # fmt: skip
