"""``tiro db seed`` for invest: the sample pipeline, walked through the real workflow.

Idempotent: a project already in the registry (by name) is left as it is.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tiro.core.parameters import get_params
from tiro.invest import service
from tiro.invest.models import InvestProject
from tiro.invest.sample import PATHS, STEP_DATES, sample_projects

ACTOR = "seed:invest-sample"


def load_reference(*, session: Session) -> dict[str, int]:
    """Insert and advance the sample projects that are not there yet; count what was added."""
    params = get_params()
    have = set(session.execute(select(InvestProject.name)).scalars())
    added = 0
    for item in sample_projects():
        if item["name"] in have:
            continue
        service.submit(
            session=session, params=params, actor=ACTOR, name=item["name"],
            sector=item["sector"], sponsor=item["sponsor"], capital=item["capital"],
            cash_flows=item["cash_flows"], on=STEP_DATES["submitted"],
            korean_suppliers=item["korean_suppliers"], us_spv=item["us_spv"],
            priority=item["priority"], notes=item["notes"], data_label="sample",
        )  # fmt: skip
        for step in PATHS[item["state"]]:
            service.advance(
                session=session, params=params, actor=ACTOR, role="operator",
                project=item["name"], to=step, reason=f"sample step: {step}",
                on=STEP_DATES[step],
            )  # fmt: skip
        added += 1
    return {"invest_projects": added}
