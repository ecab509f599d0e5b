"""Alert rules at scale: 1,000,000 resource-day observations through evaluate_frame, and the
SWAP life cycle (request→confirm→release→arrive→repay) 200 times on SQLite.
Run: .venv/bin/python bench/alert_bench.py  (results: bench/results/alert_swap.txt)"""

from __future__ import annotations

import datetime as dt
import tempfile
import time

import numpy as np
import polars as pl

from tiro.core import migrate
from tiro.core.db import get_engine, session_scope
from tiro.core.parameters import get_params
from tiro.energy.alerts import rules as alert_rules
from tiro.energy.reference import load_reference
from tiro.energy.swap import service as swap_service


def main() -> None:
    params = get_params()
    rng = np.random.default_rng(7)
    n = 1_000_000
    days = pl.date_range(dt.date(2025, 3, 1), dt.date(2026, 11, 25), eager=True)
    frame = pl.DataFrame(
        {
            "date": days.sample(n, with_replacement=True, seed=7),
            "resource": rng.choice(["crude", "gas"], n),
            "price_change": rng.uniform(-0.2, 0.8, n),
            "disrupted_share": rng.uniform(0, 0.4, n),
            "stock_ratio": rng.uniform(0.5, 1.5, n),
            "index": rng.uniform(0, 5, n),
            "transport_risk": rng.random(n) < 0.5,
        }
    )
    for with_rules in (False, True):
        start = time.perf_counter()
        out = alert_rules.evaluate_frame(params, frame, with_rules=with_rules)
        took = time.perf_counter() - start
        counts = out.group_by("entry_rank").len().sort("entry_rank")["len"].to_list()
        print(
            f"evaluate_frame {n:,} rows, with_rules={with_rules}: {took:.3f} s "
            f"(rows per level 정상..심각: {counts})"
        )

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        migrate.upgrade(url)
        engine = get_engine(url)
        with session_scope(engine) as s:
            load_reference(session=s)
        loops = 200
        start = time.perf_counter()
        eta = dt.date(2026, 4, 20)
        for i in range(loops):
            with session_scope(engine) as s:
                loan = swap_service.request_loan(
                    session=s, params=params, key=f"q{i}", actor="bench", refiner="gs_caltex",
                    site="yeosu", grade="Arab Light", vessel="MT", origin="US", cargo_grade="WTI",
                    cargo_bbl=20_000, loading_date=dt.date(2026, 3, 20), eta=eta,
                    requested_bbl=10_000,
                )  # fmt: skip
                lid = loan["id"]
                swap_service.confirm_loading(session=s, key=f"b{i}", actor="bench", loan_id=lid,
                                             bl_number="BL", confirmed_bbl=20_000)  # fmt: skip
                swap_service.release(session=s, params=params, key=f"r{i}", actor="bench",
                                     loan_id=lid, on=eta)  # fmt: skip
                swap_service.arrive(session=s, key=f"a{i}", actor="bench", loan_id=lid, on=eta)
                swap_service.repay(session=s, key=f"p{i}", actor="bench", loan_id=lid,
                                   volume_bbl=10_000, on=eta)  # fmt: skip
        took = time.perf_counter() - start
        print(f"SWAP life cycle x{loops} (5 keyed, audited steps each) on SQLite: {took:.3f} s "
              f"({took / loops * 1000:.1f} ms per loan)")  # fmt: skip


if __name__ == "__main__":
    main()
