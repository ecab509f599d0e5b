"""Reference codes a trade flow may carry: countries, partner aggregates, products.

Countries are ISO 3166-1 alpha-3 (the plain CSV contract), with the alpha-2 codes the KCS
Open API uses (``cntyCd``) and the numeric codes UN Comtrade uses (``reporterCode``; a few
differ from ISO, e.g. 842 for the United States). ``WLD`` is the world. Published Korean
figures are often by region (아세안, 중남미, CIS): those partners carry the partner-group code
in upper case (``ASEAN``), so group shares can be read from region rows or country rows alike.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

import polars as pl

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "trade"
WORLD = "WLD"
TOTAL_PRODUCT = "TOTAL"
HS_RESERVED_CHAPTERS = frozenset({"77"})
_HS = re.compile(r"^(\d{2})(\d{2}){0,4}$")
_MTI = re.compile(r"^\d{1,6}$")
_ITEM = re.compile(r"^[a-z][a-z0-9_]*$")


@lru_cache
def countries() -> pl.DataFrame:
    """The ISO 3166-1 table shipped in ``data/trade/countries.csv`` (see its header)."""
    text = (DATA_DIR / "countries.csv").read_text("utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    rows = list(csv.DictReader(lines))
    return pl.DataFrame(rows, schema={k: pl.String for k in rows[0]})


@lru_cache
def iso3_codes() -> frozenset[str]:
    """Every ISO alpha-3 code plus ``WLD``."""
    return frozenset(countries()["alpha3"].to_list()) | {WORLD}


@lru_cache
def alpha2_to_iso3() -> dict[str, str]:
    """KCS ``cntyCd`` (ISO alpha-2) to alpha-3."""
    table = countries()
    return dict(zip(table["alpha2"].to_list(), table["alpha3"].to_list(), strict=True))


@lru_cache
def non_country_partners() -> pl.DataFrame:
    """Comtrade's non-country partner areas (899 Areas, nes; 837 Bunkers; ...) and tiro's
    explicit codes for them (``data/trade/non_country_partners.csv``, see its header)."""
    text = (DATA_DIR / "non_country_partners.csv").read_text("utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    rows = list(csv.DictReader(lines))
    return pl.DataFrame(rows, schema={k: pl.String for k in rows[0]})


@lru_cache
def non_country_codes() -> frozenset[str]:
    """Partner codes that count in a world total but never as a country (``XNS``, ...)."""
    return frozenset(non_country_partners()["code"].to_list())


@lru_cache
def comtrade_to_iso3() -> dict[str, str]:
    """UN Comtrade numeric reporter/partner code to tiro's code (0 is the world).

    Countries map to ISO alpha-3; Comtrade's non-country areas map to their explicit codes
    (899 -> ``XNS``), which the flow schema accepts as partners only.
    """
    table = countries()
    mapping = {str(int(c)): a for c, a in zip(table["comtrade"], table["alpha3"], strict=True)}
    areas = non_country_partners()
    for code, tiro_code in zip(areas["comtrade"], areas["code"], strict=True):
        mapping[str(int(code))] = tiro_code
    mapping["0"] = WORLD
    return mapping


def product_code_problem(code: str, classification: str) -> str | None:
    """Why a product code is not valid for its classification, or None when it is.

    HS codes have 2 to 10 digits in pairs and start with a chapter 01–99 other than the
    reserved chapter 77; MTI codes have 1 to 6 digits (MTI 21, 2001 revision); ``ITEM`` codes
    name one of MOTIE's major export items (주력 수출품목) in snake case.
    """
    if code == TOTAL_PRODUCT:
        return None
    if classification == "HS":
        match = _HS.match(code)
        if not match:
            return f"{code!r} is not an HS code (2, 4, 6, 8 or 10 digits) or TOTAL"
        chapter = match.group(1)
        if chapter == "00" or chapter in HS_RESERVED_CHAPTERS:
            return f"{code!r} has no HS chapter {chapter}"
        return None
    if classification == "MTI":
        return None if _MTI.match(code) else f"{code!r} is not an MTI code (1 to 6 digits)"
    if classification == "ITEM":
        return None if _ITEM.match(code) else f"{code!r} is not a major-item key"
    return f"unknown classification {classification!r} (HS, MTI or ITEM)"
