"""SWAP through the CLI and the API: reference sites, life cycle, errors as one clear line."""

from __future__ import annotations

import json

from tiro.core.db import get_engine, session_scope
from tiro.energy.reference import load_reference

REQUEST = ["energy", "swap", "request", "--refiner", "sk_energy", "--site", "ulsan",
           "--grade", "Oman", "--vessel", "MT Hormuz Bypass", "--origin", "United States",
           "--cargo-grade", "WTI", "--cargo-bbl", "2000000", "--loading-date", "2026-03-20",
           "--eta", "2026-04-25", "--volume", "1000000", "--actor", "kim", "--json"]  # fmt: skip


def _json(result) -> dict | list:
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_reference_sites_are_knoc_bases(cli) -> None:
    assert cli(["db", "seed"]).exit_code == 0
    sites = {s["code"]: s for s in _json(cli(["energy", "swap", "sites", "--json"]))}
    assert set(sites) == {"ulsan", "yeosu", "geoje", "seosan", "yongin", "gokseong",
                          "donghae", "pyeongtaek", "guri"}  # fmt: skip
    assert sites["yeosu"]["capacity_bbl"] == 52_000_000 and sites["guri"]["capacity_bbl"] is None
    # sample stocks add up to the published 76.48 Mbbl government stock
    assert sum(s["stock_bbl"] for s in sites.values()) == 76_480_000
    assert all(g["data_label"] == "sample" for s in sites.values() for g in s["grades"])
    # floor = ceil(stock × 0.5): Ulsan Oman 4,703,016 → 2,351,508
    oman = next(g for g in sites["ulsan"]["grades"] if g["grade"] == "Oman")
    assert (oman["stock_bbl"], oman["floor_bbl"]) == (4_703_016, 2_351_508)


def test_cli_life_cycle(cli) -> None:
    assert cli(["db", "seed"]).exit_code == 0
    loan = _json(cli([*REQUEST[:-1], "--key", "cli-req", "--json"]))
    assert (loan["status"], loan["due_date"]) == ("requested", "2026-05-09")  # ETA + 14 days
    early = cli(
        ["energy", "swap", "release", str(loan["id"]), "--key", "cli-early", "--on", "2026-03-21"]
    )
    assert early.exit_code != 0 and early.stderr.startswith("error: loan_id:")
    out = _json(cli(["energy", "swap", "confirm", str(loan["id"]), "--key", "cli-bl", "--bl", "BL-77",
                     "--confirmed-bbl", "1800000", "--json"]))  # fmt: skip
    assert out["approved_bbl"] == 1_000_000
    out = _json(cli(["energy", "swap", "release", str(loan["id"]), "--key", "cli-rel",
                     "--on", "2026-03-21", "--json"]))  # fmt: skip
    assert out["released_bbl"] == 1_000_000
    _json(
        cli(
            [
                "energy",
                "swap",
                "arrive",
                str(loan["id"]),
                "--key",
                "cli-arr",
                "--on",
                "2026-04-25",
                "--json",
            ]
        )
    )
    too_much = cli(
        ["energy", "swap", "repay", str(loan["id"]), "--key", "cli-big", "--volume", "1000001"]
    )
    assert too_much.exit_code != 0 and "error: volume_bbl:" in too_much.stderr
    negative = cli(
        ["energy", "swap", "repay", str(loan["id"]), "--key", "cli-neg", "--volume", "-5"]
    )
    assert negative.exit_code != 0 and "error: volume_bbl:" in negative.stderr
    status = _json(
        cli(["energy", "swap", "status", "--site", "ulsan", "--as-of", "2026-06-01", "--json"])
    )
    # not repaid by 2026-05-09 → overdue on 6/1; Oman 4,703,016 − 1,000,000 = 3,703,016
    assert status["totals"]["overdue_loans"] == 1
    oman = next(b for b in status["balances"] if b["grade"] == "Oman")
    assert (oman["stock_bbl"], oman["outstanding_bbl"]) == (3_703_016, 1_000_000)
    done = _json(cli(["energy", "swap", "repay", str(loan["id"]), "--key", "cli-pay", "--volume",
                      "1000000", "--on", "2026-04-28", "--json"]))  # fmt: skip
    assert done["status"] == "closed"
    assert _json(cli(["audit", "verify", "--json"]))["ok"]


def test_api_swap_errors_and_reads(api_client, auth_headers, configured) -> None:
    with session_scope(get_engine(configured)) as s:
        load_reference(session=s)
    op = auth_headers("operator")
    body = {"refiner": "gs_caltex", "site": "yeosu", "grade": "Arab Light", "vessel": "MT A",
            "origin": "Angola", "cargo_grade": "Girassol", "cargo_bbl": 950_000,
            "loading_date": "2026-04-01", "eta": "2026-05-10", "requested_bbl": 900_000}  # fmt: skip
    url = "/api/v1/energy/swap/loans"
    assert api_client.post(url, json=body, headers={"Idempotency-Key": "a"}).status_code == 401
    analyst = api_client.post(
        url, json=body, headers={**auth_headers("analyst"), "Idempotency-Key": "a"}
    )
    assert analyst.status_code == 403
    for change, field in [({"site": "busan"}, "site"), ({"grade": "Brent"}, "grade"),
                          ({"requested_bbl": -1}, "requested_bbl"), ({"requested_bbl": 950_001}, "requested_bbl")]:  # fmt: skip
        r = api_client.post(
            url, json=body | change, headers={**op, "Idempotency-Key": f"bad-{field}"}
        )
        assert (r.status_code, r.json()["field"]) == (422, field)
    no_key = api_client.post(url, json=body, headers=op)
    assert (no_key.status_code, no_key.json()["field"]) == (422, "idempotency_key")
    ok = api_client.post(url, json=body, headers={**op, "Idempotency-Key": "good"})
    assert ok.status_code == 201
    status = api_client.get("/api/v1/energy/swap/status", params={"site": "yeosu"}).json()
    assert [loan["id"] for loan in status["loans"]] == [ok.json()["id"]]
    assert status["ledger_balanced"] and status["totals"]["released_bbl"] == 0
    assert len(api_client.get("/api/v1/energy/swap/sites").json()) == 9


def test_status_of_an_unknown_site_or_refiner_is_an_error(cli, api_client) -> None:
    assert cli(["db", "seed"]).exit_code == 0
    # a mistyped site must not read as "nothing outstanding"
    site = cli(["energy", "swap", "status", "--site", "busan", "--json"])
    assert site.exit_code != 0 and site.stderr.startswith("error: site: unknown reserve site")
    assert site.stdout == ""
    refiner = cli(["energy", "swap", "status", "--refiner", "nobody", "--json"])
    assert refiner.exit_code != 0 and refiner.stderr.startswith("error: refiner:")
    known = _json(cli(["energy", "swap", "status", "--site", "ulsan", "--json"]))
    assert {b["grade"] for b in known["balances"]} == {"Arab Extra Light", "Oman"}
    r = api_client.get("/api/v1/energy/swap/status", params={"site": "busan"})
    assert (r.status_code, r.json()["field"]) == (422, "site")


def test_api_life_cycle_to_closed(api_client, auth_headers, configured) -> None:
    with session_scope(get_engine(configured)) as s:
        load_reference(session=s)
    op = auth_headers("operator")
    loans = "/api/v1/energy/swap/loans"

    def post(path: str, key: str, body: dict):
        return api_client.post(path, json=body, headers={**op, "Idempotency-Key": key})

    def yeosu_medium(as_of: str) -> tuple[dict, dict]:
        status = api_client.get(
            "/api/v1/energy/swap/status", params={"site": "yeosu", "as_of": as_of}
        ).json()
        return next(b for b in status["balances"] if b["grade"] == "Arab Medium"), status

    body = {"refiner": "s_oil", "site": "yeosu", "grade": "Arab Medium", "vessel": "MT Cycle",
            "origin": "Brazil", "cargo_grade": "Tupi", "cargo_bbl": 1_000_000,
            "loading_date": "2026-04-01", "eta": "2026-05-05", "requested_bbl": 800_000}  # fmt: skip
    loan = post(loans, "cy-req", body)
    assert loan.status_code == 201, loan.text
    lid = loan.json()["id"]
    early = post(f"{loans}/{lid}/release", "cy-early", {"on": "2026-04-02"})
    assert (early.status_code, early.json()["field"]) == (409, "loan_id")
    # B/L for 700,000 bbl caps the loan below the 800,000 asked
    bl = post(f"{loans}/{lid}/confirm", "cy-bl", {"bl_number": "BL-C", "confirmed_bbl": 700_000})
    assert bl.json()["approved_bbl"] == 700_000
    rel = post(f"{loans}/{lid}/release", "cy-rel", {"on": "2026-04-02"})
    assert (rel.status_code, rel.json()["released_bbl"]) == (200, 700_000)
    assert post(f"{loans}/{lid}/arrive", "cy-arr", {"on": "2026-05-05"}).status_code == 200
    before, _ = yeosu_medium("2026-05-06")
    # sample stock 8,734,172 − 700,000 released = 8,034,172; outstanding 700,000
    assert (before["stock_bbl"], before["outstanding_bbl"]) == (8_034_172, 700_000)
    too_much = post(f"{loans}/{lid}/repay", "cy-big", {"volume_bbl": 700_001, "on": "2026-05-06"})
    assert (too_much.status_code, too_much.json()["field"]) == (422, "volume_bbl")
    assert yeosu_medium("2026-05-06")[0] == before  # nothing changed
    part = post(f"{loans}/{lid}/repay", "cy-p1", {"volume_bbl": 300_000, "on": "2026-05-06"})
    assert (part.json()["status"], part.json()["outstanding_bbl"]) == ("arrived", 400_000)
    # due = ETA 5/5 + 14 days = 5/19: still owing on 5/20 → overdue
    balance, status = yeosu_medium("2026-05-20")
    assert status["loans"][0]["overdue"] and status["totals"]["overdue_loans"] == 1
    assert balance["released_bbl"] == balance["repaid_bbl"] + balance["outstanding_bbl"]
    done = post(f"{loans}/{lid}/repay", "cy-p2", {"volume_bbl": 400_000, "on": "2026-05-21"})
    assert (done.json()["status"], done.json()["closed_on"]) == ("closed", "2026-05-21")
    closed = post(f"{loans}/{lid}/repay", "cy-p3", {"volume_bbl": 1, "on": "2026-05-22"})
    assert closed.status_code == 409
    balance, status = yeosu_medium("2026-06-30")
    assert (balance["stock_bbl"], balance["outstanding_bbl"]) == (8_734_172, 0)
    assert not status["loans"][0]["overdue"] and status["ledger_balanced"]
