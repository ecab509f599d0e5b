"""Support packages: project 1's KRW 2.1tn+ items, conditions that block, totals (item 4)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from tiro.core.errors import Conflict, InvalidInput, NotFound
from tiro.core.models import AuditEntry
from tiro.petrochem import reference, support
from tiro.petrochem.models import SupportItem

TRN = 1_000_000_000_000  # 1조원


@pytest.fixture
def seeded(session):
    assert reference.load_reference(session=session) == {"projects": 5, "support_items": 7}
    session.commit()
    return session


def _item(session, instrument_start: str) -> SupportItem:
    items = session.execute(select(SupportItem)).scalars().all()
    return next(i for i in items if i.instrument.startswith(instrument_start))


def _audits(session) -> int:
    return session.execute(select(func.count()).select_from(AuditEntry)).scalar_one()


@pytest.mark.postgres
def test_totals(seeded):
    d = support.packages(session=seeded, on=dt.date(2026, 6, 1))
    p1 = d["projects"]["daesan-1"]
    assert p1["amount_krw"] == 2 * TRN  # new money 1tn + perpetual-bond conversion 1tn
    assert p1["stated_total_krw"] == 2_100_000_000_000  # "2.1조원 이상": the rest is not priced
    assert p1["unpriced_items"] == 5 and len(p1["items"]) == 7
    assert d["programme"]["by_kind_krw"] == {"finance": 2 * TRN}
    assert all(i["condition_met"] for i in p1["items"])  # Lotte Daesan suspended 2026-02


@pytest.mark.postgres
def test_disburse_within_amount_and_condition(seeded):
    money = _item(seeded, "신규자금")
    before = _audits(seeded)
    out = support.disburse(
        session=seeded, item_id=money.id, amount_krw=TRN // 2, on=dt.date(2026, 3, 1), actor="t"
    )
    seeded.commit()
    assert out["disbursed_krw"] == TRN // 2 and _audits(seeded) == before + 1
    with pytest.raises(Conflict, match=f"only {TRN // 2} won left"):
        support.disburse(session=seeded, item_id=money.id, amount_krw=TRN // 2 + 1,
                         on=dt.date(2026, 3, 1), actor="t")  # fmt: skip


@pytest.mark.postgres
def test_unmet_condition_and_bad_items_change_nothing(seeded):
    money = _item(seeded, "영구채")
    before = _audits(seeded)
    # On 2026-01-15 Lotte Daesan still operated: the capacity condition blocks disbursement.
    with pytest.raises(Conflict, match="condition not met: lotte_daesan is operating"):
        support.disburse(session=seeded, item_id=money.id, amount_krw=1, on=dt.date(2026, 1, 15),
                         actor="t")  # fmt: skip
    with pytest.raises(Conflict, match="no amount"):
        support.disburse(session=seeded, item_id=_item(seeded, "관세").id, amount_krw=1,
                         on=dt.date(2026, 3, 1), actor="t")  # fmt: skip
    with pytest.raises(InvalidInput):
        support.disburse(session=seeded, item_id=money.id, amount_krw=-5, on=dt.date(2026, 3, 1),
                         actor="t")  # fmt: skip
    with pytest.raises(NotFound):
        support.disburse(session=seeded, item_id=999, amount_krw=1, on=dt.date(2026, 3, 1),
                         actor="t")  # fmt: skip
    seeded.add(SupportItem(project_id="yeosu-2", kind="finance", instrument="x", amount_krw=10,
                           disbursed_krw=0, source="test"))  # fmt: skip
    seeded.flush()
    other = _item(seeded, "x")
    with pytest.raises(Conflict, match="not approved"):
        support.disburse(session=seeded, item_id=other.id, amount_krw=1, on=dt.date(2026, 6, 1),
                         actor="t")  # fmt: skip
    seeded.rollback()
    assert _audits(seeded) == before
    assert _item(seeded, "영구채").disbursed_krw == 0


def test_cli_packages_and_disburse(cli, configured):
    import json

    from tiro.core.db import get_engine, session_scope

    with session_scope(get_engine(configured)) as s:
        reference.load_reference(session=s)
    data = json.loads(cli(["petrochem", "packages", "--json", "--date", "2026-06-01"]).stdout)
    money = next(i for i in data["projects"]["daesan-1"]["items"] if i["kind"] == "finance")
    args = ["petrochem", "disburse", str(money["id"]), "--amount-krw", "5"]
    result = cli([*args, "--date", "2026-01-15"])
    assert result.exit_code == 4 and "condition not met" in result.stderr
    result = cli([*args, "--date", "2026-03-01", "--json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["disbursed_krw"] == 5
