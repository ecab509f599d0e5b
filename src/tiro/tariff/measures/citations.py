"""The primary-source rule for Chapter 99 records: a measure cites its legal basis, not a report on it.

The legal basis of a Chapter 99 heading is the instrument that made it — a proclamation, an
executive order or presidential memorandum, a Federal Register notice, a CBP CSMS message that
implements it, or the HTSUS note that codifies it (and, for what they decide, a statute or a
court). A shipped record's ``citation`` names that instrument with a ``kind`` and an ``href`` on
the host that publishes it; newspapers, law-firm notes and other codebases that helped find or
read it stay in the record's ``see_also`` list. Interaction rules are held to the same rule.
Scenario and watch overlays add assumptions, not law: their records and rules are held to it only
when they claim a ``kind``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol
from urllib.parse import urlsplit

_PRESIDENTIAL = ("federalregister.gov", "govinfo.gov", "whitehouse.gov")
_FEDERAL_REGISTER = ("federalregister.gov", "govinfo.gov")

PRIMARY_HOSTS: dict[str, tuple[str, ...]] = {
    "proclamation": _PRESIDENTIAL,
    "executive_order": _PRESIDENTIAL,
    "memorandum": _PRESIDENTIAL,
    # ustr.gov: a USTR notice as USTR posts it on the day it signs it, before the FR prints it
    "federal_register": (*_FEDERAL_REGISTER, "ustr.gov"),
    "csms": ("content.govdelivery.com", "cbp.gov"),
    "hts_note": ("hts.usitc.gov",),
    "statute": ("congress.gov", "uscode.house.gov", "govinfo.gov"),
    "court": ("cit.uscourts.gov", "cafc.uscourts.gov", "supremecourt.gov", "govinfo.gov"),
}
"""Each kind of legal instrument and the hosts that publish its authoritative text."""

OVERLAY_SOURCE = "scenario "
"""``source`` of a record or rule added by a scenario or watch overlay (``apply_overlay``)."""

_CBP_ACCOUNT = "USDHSCBP"
"""GovDelivery hosts every agency's bulletins; a CSMS message is one of CBP's account."""


class _Record(Protocol):
    source: str
    citation: dict[str, str]


def needs_primary(record: _Record) -> bool:
    """Shipped records and rules always; an overlay's only when its citation claims a kind."""
    return not record.source.startswith(OVERLAY_SOURCE) or "kind" in record.citation


def _on_host(host: str, allowed: tuple[str, ...]) -> bool:
    return any(host == h or host.endswith("." + h) for h in allowed)


def primary_citation_problems(citation: Mapping[str, str]) -> list[str]:
    """Why a citation is not a primary one (empty when it is): kind, title and an https href
    on a host that publishes that kind of instrument."""
    kind = citation.get("kind")
    if kind not in PRIMARY_HOSTS:
        return [
            f"citation.kind {kind!r} is not a primary source kind ({', '.join(PRIMARY_HOSTS)}); "
            "secondary sources belong in see_also"
        ]
    problems = []
    if not citation.get("title"):
        problems.append("citation needs a title")
    href = citation.get("href") or ""
    parts = urlsplit(href)
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or not _on_host(host, PRIMARY_HOSTS[kind]):
        problems.append(
            f"citation.href {href!r} is not on a primary host for a {kind} "
            f"({', '.join(PRIMARY_HOSTS[kind])}); secondary sources belong in see_also"
        )
    elif host == "content.govdelivery.com" and _CBP_ACCOUNT not in parts.path:
        problems.append(f"citation.href {href!r} is not a CBP bulletin ({_CBP_ACCOUNT})")
    return problems
