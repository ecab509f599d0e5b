"""A record of what happened is dated on a day that has come (기록일 검사).

Ledgers and registers (the SWAP ledger, the station case register, the invest review steps,
the petrochem workflow and disbursements) record events once they happen. A step dated in the
future is a typo that does harm: later steps may not be earlier, so one date in 2199 freezes a
project, and a condition judged on a day that has not come can release money early.
"""

from __future__ import annotations

import datetime as dt

from tiro.core.errors import InvalidInput


def not_future(on: dt.date, today: dt.date | None = None, field: str = "on") -> None:
    """Refuse ``on`` after ``today`` (the system date when not given), naming ``field``."""
    today = today or dt.date.today()
    if on > today:
        raise InvalidInput(
            f"{on} is in the future, after today ({today}): record it once it happened", field=field
        )
