"""HTS rate text (세율 표기) as data: ``Free``, ``2.5%``, ``1.7¢/kg``, ``4.4¢/kg + 6%``.

The Harmonized Tariff Schedule of the United States writes every column-1 and column-2 rate
as text (General Note 3; the "Rates of Duty" columns of chapters 1-97). A rate is a sum of
terms, each either *ad valorem* (a percent of customs value) or *specific* (an amount of
money per unit of quantity), sometimes on a stated part of the good (``on drained weight``,
``on copper content``, ``on the case``). The special column lists a rate per programme code,
``Free (A+,AU,...,KR,...) 1.1% (JP)``; ``KR`` is the Korea-US FTA (KORUS, General Note 33).

This module only reads and writes that text; vectorised use lives in ``hts_rates``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from tiro.core.errors import InvalidInput

# HTS unit spelling -> tiro's unit name. The HTS writes a unit after "/" (``¢/kg``) or, for
# "each", after a space (``5¢ each``). Units outside this table are kept verbatim.
_UNIT_NAMES: dict[str, str] = {
    "kg": "kg",
    "clean kg": "clean_kg",
    "liter": "liter",
    "pf. liter": "proof_liter",
    "pf.liter": "proof_liter",
    "each": "each",
    "pr.": "pair",
    "doz.": "dozen",
    "doz. pr.": "dozen_pairs",
    "gross": "gross",
    "m2": "m2",
    "m3": "m3",
    "t": "t",
    "bbl": "bbl",
    "head": "head",
    "thousand": "thousand",
    "jewel": "jewel",
    "article": "article",
}
_HTS_SPELLING: dict[str, str] = {
    "kg": "kg",
    "clean_kg": "clean kg",
    "liter": "liter",
    "proof_liter": "pf. liter",
    "each": "each",
    "pair": "pr.",
    "dozen": "doz.",
    "dozen_pairs": "doz. pr.",
    "gross": "gross",
    "m2": "m2",
    "m3": "m3",
    "t": "t",
    "bbl": "bbl",
    "head": "head",
    "thousand": "thousand",
    "jewel": "jewel",
    "article": "article",
}
KNOWN_UNITS: tuple[str, ...] = tuple(sorted(_HTS_SPELLING))

_NUM = r"(?P<num>\d+(?:\.\d+)?)"
_BASIS = r"(?:\s+(?P<basis>(?:on|of)\s+.+))?"
_AD_VALOREM = re.compile(rf"^{_NUM}\s*%{_BASIS}$")
_CENTS = re.compile(rf"^{_NUM}\s*¢\s*(?:/\s*(?P<unit>[^+]+?)|\s+(?P<each>each)){_BASIS}$")
_DOLLARS = re.compile(rf"^\$\s*{_NUM}\s*(?:/\s*(?P<unit>[^+]+?)|\s+(?P<each>each)){_BASIS}$")
_UNIT_OK = re.compile(r"^[A-Za-z0-9][A-Za-z0-9., /]{0,24}$")
_UNIT_STOPWORDS = ("less", "but", "for", "than", "each")
_HTML_TAG = re.compile(r"<[^>]*>")
_FOOTNOTE_MARK = re.compile(r"\s+\d+/$")
_SPECIAL_GROUP = re.compile(r"([^()]+?)\s*\(([^()]*)\)")
_HUNDRED = Decimal(100)


@dataclass(frozen=True)
class DutyTerm:
    """One term of a rate: ``rate`` is a fraction (ad valorem) or USD per ``unit`` (specific)."""

    kind: str  # "ad_valorem" | "specific"
    rate: Decimal
    unit: str | None = None
    basis: str | None = None  # part of the good the term is levied on; None = the whole good


@dataclass(frozen=True)
class ParsedRate:
    """A parsed HTS rate: the sum of its terms; no terms means ``Free``."""

    terms: tuple[DutyTerm, ...] = ()

    @property
    def kind(self) -> str:
        """``free``, ``ad_valorem``, ``specific`` or ``compound`` (both kinds of term)."""
        kinds = {t.kind for t in self.terms}
        if not kinds:
            return "free"
        return "compound" if len(kinds) > 1 else kinds.pop()

    @property
    def ad_valorem(self) -> Decimal:
        """Sum of the ad valorem terms levied on the whole customs value (fraction)."""
        return sum(
            (t.rate for t in self.terms if t.kind == "ad_valorem" and t.basis is None),
            Decimal(0),
        )

    @property
    def specific(self) -> tuple[DutyTerm, ...]:
        """The specific terms (USD per unit)."""
        return tuple(t for t in self.terms if t.kind == "specific")

    @property
    def specific_amount(self) -> Decimal | None:
        """USD per unit when the rate has exactly one specific term, else None."""
        spec = self.specific
        return spec[0].rate if len(spec) == 1 else None

    @property
    def specific_unit(self) -> str | None:
        """The unit of the single specific term, else None."""
        spec = self.specific
        return spec[0].unit if len(spec) == 1 else None

    @property
    def computable(self) -> bool:
        """True when an ad valorem equivalent needs only (quantity in one unit, customs value).

        Terms on a part of the good (``on the case``, ``on copper content``) or a second
        specific unit need facts a declaration line does not carry, so they are not.
        """
        return all(t.basis is None for t in self.terms) and len(self.specific) <= 1

    def ave(self, *, quantity: float | None, customs_value: float) -> float:
        """Ad valorem equivalent: adval + specific * quantity / customs value (a fraction)."""
        if not self.computable:
            raise InvalidInput(f"rate {format_rate(self)!r} has no single AVE", field="rate_text")
        if customs_value <= 0:
            raise InvalidInput("must be positive", field="customs_value")
        amount = self.specific_amount
        if amount is None:
            return float(self.ad_valorem)
        if quantity is None or quantity < 0:
            raise InvalidInput(f"needed in {self.specific_unit} (>= 0)", field="quantity")
        return float(self.ad_valorem) + float(amount) * quantity / customs_value


def clean_rate_text(text: str | None) -> str:
    """Collapse whitespace, drop HTML tags and trailing footnote marks (``2.5% 1/``)."""
    if text is None:
        return ""
    out = _HTML_TAG.sub(" ", str(text))
    out = " ".join(out.split())
    return _FOOTNOTE_MARK.sub("", out).strip()


def _unit_name(raw: str, text: str) -> str:
    unit = " ".join(raw.split())
    if unit in _UNIT_NAMES:
        return _UNIT_NAMES[unit]
    words = unit.lower().split()
    if not _UNIT_OK.match(unit) or any(w in _UNIT_STOPWORDS for w in words):
        raise InvalidInput(f"unknown unit {unit!r} in {text!r}", field="rate_text")
    return unit


def _parse_term(term: str, text: str) -> DutyTerm:
    if m := _AD_VALOREM.match(term):
        return DutyTerm("ad_valorem", Decimal(m["num"]) / _HUNDRED, None, m["basis"])
    for pattern, scale in ((_CENTS, _HUNDRED), (_DOLLARS, Decimal(1))):
        if m := pattern.match(term):
            unit = "each" if m["each"] else _unit_name(m["unit"], text)
            return DutyTerm("specific", Decimal(m["num"]) / scale, unit, m["basis"])
    raise InvalidInput(
        f"{text!r} is not an HTS rate (expected Free, N%, N¢/unit, $N/unit or a sum)",
        field="rate_text",
    )


def parse_rate(text: str | None) -> ParsedRate:
    """Parse one HTS rate cell (General, a special programme's rate, or column 2).

    ``Free`` -> no terms; ``2.5%`` -> ad valorem 0.025; ``1.7¢/kg`` -> USD 0.017 per kg;
    ``4.4¢/kg + 6%`` -> both. Text that is not a rate (``The duty provided in the applicable
    subheading + 25%``, ``See 9903.88.03``) raises ``InvalidInput`` on field ``rate_text``.
    """
    cleaned = clean_rate_text(text)
    if not cleaned:
        raise InvalidInput("empty rate text", field="rate_text")
    if cleaned.lower() == "free":
        return ParsedRate(())
    parts = [p.strip() for p in cleaned.split("+")]
    if any(not p for p in parts):
        raise InvalidInput(f"{cleaned!r} has an empty term", field="rate_text")
    return ParsedRate(tuple(_parse_term(p, cleaned) for p in parts))


def try_parse_rate(text: str | None) -> ParsedRate | None:
    """``parse_rate`` that answers None for text that is not a rate."""
    try:
        return parse_rate(text)
    except InvalidInput:
        return None


def parse_special(text: str | None) -> dict[str, ParsedRate]:
    """Map each programme code of the special column to its rate.

    ``Free (A+,AU,B,...,KR,...) 1.1% (JP)`` -> {"A+": Free, ..., "KR": Free, "JP": 1.1%}.
    Groups whose rate is a cross-reference (``See 9823.xx.xx (S+)``) are left out: they are
    not rates. ``No change`` and an empty cell give {}.
    """
    cleaned = clean_rate_text(text)
    out: dict[str, ParsedRate] = {}
    for match in _SPECIAL_GROUP.finditer(cleaned):
        rate = try_parse_rate(match.group(1))
        if rate is None:
            continue
        for code in match.group(2).split(","):
            if code.strip():
                out[code.strip()] = rate
    return out


def _number(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _format_term(term: DutyTerm) -> str:
    if term.kind == "ad_valorem":
        body = f"{_number(term.rate * _HUNDRED)}%"
    else:
        unit = term.unit or ""
        spelled = _HTS_SPELLING.get(unit, unit)
        amount = f"{_number(term.rate * _HUNDRED)}¢" if term.rate < 1 else f"${_number(term.rate)}"
        body = f"{amount} each" if unit == "each" else f"{amount}/{spelled}"
    return f"{body} {term.basis}" if term.basis else body


def format_rate(rate: ParsedRate) -> str:
    """Write a parsed rate back as HTS text (``Free``, ``4.4¢/kg + 6%``)."""
    if not rate.terms:
        return "Free"
    return " + ".join(_format_term(t) for t in rate.terms)
