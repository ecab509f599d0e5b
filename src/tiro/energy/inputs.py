"""Number types for energy input models (scenario and allocation files, API bodies).

Each is finite and bounded by ``tiro.core.validation.MAX_MAGNITUDE``, and carries its own
lower bound in the same ``Field``: pydantic keeps only one ``ge`` per field, so writing
``x: FiniteFloat = Field(ge=0)`` would let the magnitude bound replace ``ge=0`` silently.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from tiro.core.validation import MAX_MAGNITUDE

#: A volume, flow or amount: 0 or more, finite.
Volume = Annotated[float, Field(allow_inf_nan=False, ge=0, le=MAX_MAGNITUDE)]
#: A strictly positive finite quantity.
Positive = Annotated[float, Field(allow_inf_nan=False, gt=0, le=MAX_MAGNITUDE)]
#: A share of a whole, 0 to 1.
Share = Annotated[float, Field(allow_inf_nan=False, ge=0, le=1)]
#: Whole barrels in a ledger: positive and small enough for a 64-bit column.
Barrels = Annotated[int, Field(gt=0, le=int(MAX_MAGNITUDE))]
