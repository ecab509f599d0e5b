"""The bounds of petrochem inputs, declared once for the CLI, the API and the services.

The API's query and body fields and the CLI's checks read these names, so a value one
interface refuses the other refuses too, naming the field (T-BREAK found the invest CLI and
API disagreeing; these were the same kind of pair here).
"""

from __future__ import annotations

import datetime as dt

from tiro.core.errors import InvalidInput

#: Dates the registry, projects and packages are asked about: the registry's history starts
#: with the first Korean crackers of the 1970s; 2100 is past any plan in the report.
EARLIEST, LATEST = dt.date(1950, 1, 1), dt.date(2100, 12, 31)
#: Largest cut (kt/y of ethylene) the optimiser is asked for: ~8x Korea's whole capacity
#: (12.8 Mt/y), so a value past it is a unit slip (t for kt); the engine then refuses a
#: target past the actual base capacity.
MAX_TARGET_KT = 100_000
#: Largest disbursement in won (10^15 = 1,000조; it fits a signed 64-bit column).
MAX_KRW = 10**15
#: China PE self-sufficiency a scenario may state (0.84 in 2024; 2 = twice its own use).
SELF_SUFFICIENCY = (0.0, 2.0)


def check_date(on: dt.date, field: str) -> dt.date:
    """``on`` if it lies within :data:`EARLIEST`..:data:`LATEST`; else a refusal naming ``field``."""
    if not EARLIEST <= on <= LATEST:
        raise InvalidInput(f"{on} is outside {EARLIEST}..{LATEST}", field=field)
    return on


def check_target_kt(target_kt: float, field: str) -> float:
    """A cut within 0..:data:`MAX_TARGET_KT`; else a refusal naming ``field``."""
    if not 0 <= target_kt <= MAX_TARGET_KT:
        raise InvalidInput(f"{target_kt:g} kt is outside 0..{MAX_TARGET_KT:g}", field=field)
    return target_kt + 0.0  # -0 (a typed "-0") is 0: no "-0.0" echoed in the answer
