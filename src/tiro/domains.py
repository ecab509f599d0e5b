"""The domains of tiro, by package name, in the report's order (sections 1-5).

Kept apart from :mod:`tiro.models` (which imports every domain's tables, and with them
SQLAlchemy) so that code which only needs the names — the CLI's root command listing its
sub-apps — starts without loading a database layer.
"""

from __future__ import annotations

DOMAINS = ("tariff", "invest", "petrochem", "energy", "trade", "manufacturing")
