"""Rate cells that point at another line (관세율 상호참조): "The rate applicable to ...".

Some HTS rate cells do not state a rate but name where it is: "The rate applicable to the
natural juice in heading 2009" (2106.90.52, 2202.99.36/.37), "The rate applicable to the
complete, assembled movement" (9110.11.00, 9110.90.20: heading 9108), "... to each garment in
the ensemble if separately entered" (6103.22, 6104.29.10, 6203.29.30, ...), "... to the article
of which it is a part or accessory" (9005.90.40, 9620.00.15), "... to each article in the absence
of this subheading" (9608.50), "... to that article in the set subject to the highest rate of
duty" (8205.90.60). Each names a line by what the goods are, not by a number, so the rate needs
one fact the code does not carry: the HTS line of the article named. ``cross_reference`` reads
the reference; its ``needs`` names that fact (``referenced_hts:<where to look>``), and
``candidates`` lists the lines of the revision it can be (a heading it names), so a quote
says what to declare instead of an unreadable ``rate_text``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl

from tiro.tariff.schedule.rate_text import clean_rate_text

_APPLICABLE = re.compile(r"^the rate (?:of duty )?applicable,? to (?P<what>.+)$", re.IGNORECASE)
_HEADING = re.compile(r"\bheading (?P<heading>\d{4})\b")
# What is named, by words of the cell -> where its line is (a heading, or the article itself)
_NAMED = (
    (re.compile(r"assembled movement", re.I), "9108"),
    (re.compile(r"each garment in the (?:in the )?ensemble", re.I), "each_garment"),
    (re.compile(r"article of which it is an? (?:part or )?accessory", re.I), "article"),
    (re.compile(r"each article in the absence of this subheading", re.I), "each_article"),
    (re.compile(r"highest rate of duty", re.I), "highest_rated_article"),
)


@dataclass(frozen=True)
class CrossReference:
    """What a rate cell refers to: ``target`` is a 4-digit heading or a kind of article."""

    text: str
    target: str

    @property
    def needs(self) -> str:
        """The fact a quote needs to price the line: the HTS line of the article named."""
        return f"referenced_hts:{self.target}"

    def candidates(self, schedule: pl.DataFrame) -> pl.DataFrame:
        """Lines of ``schedule`` the reference can mean (those of the heading it names; none
        when it names an article by its use)."""
        if not self.target.isdigit():
            return schedule.clear()
        return schedule.filter(pl.col("hts").str.starts_with(self.target))


def cross_reference(text: str | None) -> CrossReference | None:
    """The reference in a rate cell, or None when the cell is not one."""
    cleaned = clean_rate_text(text)
    found = _APPLICABLE.match(cleaned)
    if found is None:
        return None
    what = found.group("what")
    heading = _HEADING.search(what)
    if heading:
        return CrossReference(cleaned, heading.group("heading"))
    for pattern, target in _NAMED:
        if pattern.search(what):
            return CrossReference(cleaned, target)
    return CrossReference(cleaned, "article")
