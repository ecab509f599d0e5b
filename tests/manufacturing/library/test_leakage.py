"""An analyst (and a rival organisation's analyst, and an auditor) tries to read raw rows.

The asset is the real ``modeldata:chem_proc_yield`` table (176 batches x 58 measurements,
Kuhn & Johnson): its rows are made of two-decimal measurements, so a row copied into any
output — as JSON records, as text, joined into one string, renamed, or spread over "model
coefficients" — is found by :func:`leaked_rows`, which looks for any real row whose values
(at least 80% of its distinct non-null values) appear together in one record or one line.

The attacks are submitted through the API as the permitted analyst, approved by the steward
(the worst case: the release check is the only control left) and executed. Then every library
route of the app and every library command of the CLI — enumerated from ``app.routes`` and the
click command tree, so a route or command added later is swept too — is called as each of
the three readers, and no answer may contain a real row.

Renamed columns with an invented ``n``, a row joined into one string and a row spread over a
mapping's values were released when this file was first run (14:30 UTC); release.py's
``copies`` check (commit a573739) now withholds them, and they are asserted withheld here.
Differencing two honest aggregates one row apart ("all but one") recovered a row here; the
release's query-set rule withholds it since. A tracker (two filters each leaving out at
least k rows, differing by one row) still works: a strict xfail, so it flips when closed.
Rows packed into one list or struct cell per record were released at 15:17 UTC (a defect, reported); release.py withholds nested
columns since commit 94f2f03.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from tests.manufacturing.library.library_factories import (
    CONSUMER,
    OWNER_ORG,
    PEOPLE,
    PURPOSE,
)
from tests.servers import run_tiro

PREFIX = "/api/v1/manufacturing/library"
DATASET = "modeldata:chem_proc_yield"
ASSET = "chem"
K = 5
MAX_ROWS = 100
READERS = ("ana", "otto", "aud")
SHARE = 0.8
CLI_REQUESTS = ("aggregate_mean", "print_rows", "train_linear", "head", "renamed_columns")

ATTACKS: dict[str, dict[str, Any]] = {
    "frame": {"kind": "user_code", "source": "def analyse(frame):\n    return frame\n"},
    "head": {"kind": "user_code", "source": "def analyse(frame):\n    return frame.head()\n"},
    "head_with_invented_n": {
        "kind": "user_code",
        "source": "def analyse(frame):\n    return frame.head().with_columns(n=pl.lit(1000))\n",
    },
    "one_row_per_group": {
        "kind": "user_code",
        "source": "def analyse(frame):\n"
        "    return frame.group_by(frame.columns).agg(pl.len().alias('n'))\n",
    },
    "sample": {
        "kind": "user_code",
        "source": "def analyse(frame):\n"
        "    return frame.sample(5, seed=1).with_columns(n=pl.lit(50))\n",
    },
    "first_row_as_dict": {
        "kind": "user_code",
        "source": "def analyse(frame):\n    return frame.row(0, named=True)\n",
    },
    # the next two behave on the 50-row mock twin and misbehave on the 176 real rows
    "output_too_large": {
        "kind": "user_code",
        "source": "def analyse(frame):\n    reps = 1 if frame.height <= 50 else 2000\n"
        "    return pl.concat([frame] * reps).with_columns(n=pl.lit(50))\n",
    },
    "exception_carrying_a_row": {
        "kind": "user_code",
        "source": "def analyse(frame):\n    if frame.height > 50:\n"
        "        raise ValueError(str(frame.row(0)))\n    return {'rows': frame.height}\n",
    },
    "categorical_level_per_batch": {
        "kind": "train",
        "model": {
            "kind": "linear",
            "target": "yield",
            "features": ["man_proc_09", "man_proc_32"],
            "categorical": ["man_proc_09"],
        },
    },
    "print_rows": {
        "kind": "user_code",
        "source": "def analyse(frame):\n    print(frame.head())\n    return {'rows': frame.height}\n",
    },
    "aggregate_one_batch": {
        "kind": "aggregate",
        "filters": [{"column": "yield", "op": "==", "value": 38.0}],
        "metrics": [
            {"column": c, "fn": "max"}
            for c in ("bio_material_01", "bio_material_02", "man_proc_01", "man_proc_02")
        ],
    },
    "aggregate_group_by_unique": {
        "kind": "aggregate",
        "group_by": ["yield"],
        "metrics": [{"column": "bio_material_01", "fn": "mean"}],
    },
    "train_linear": {
        "kind": "train",
        "model": {
            "kind": "linear",
            "target": "yield",
            "features": ["bio_material_01", "man_proc_09"],
        },
    },
    "aggregate_mean": {
        "kind": "aggregate",
        "metrics": [{"column": "yield", "fn": "mean"}, {"column": "yield", "fn": "count"}],
    },
    # --- copied values under other names, with an invented n (withheld since a573739) ---
    "renamed_columns": {
        "kind": "user_code",
        "source": "def analyse(frame):\n"
        "    return frame.head(20).select(pl.all().name.suffix('_x')).with_columns(n=pl.lit(20))\n",
    },
    "join_of_all_columns": {
        "kind": "user_code",
        "source": "def analyse(frame):\n    row = pl.concat_str(pl.all().cast(pl.Utf8), "
        "separator='|').alias('row')\n    return frame.head(20).select(row).with_columns(n=pl.lit(20))\n",
    },
    # --- rows inside one nested cell per record (released at 15:17 UTC; withheld since 94f2f03)
    "rows_in_a_list_column": {
        "kind": "user_code",
        "source": "def analyse(frame):\n    row = pl.concat_list(pl.all()).alias('row')\n"
        "    return frame.head(20).select(row).with_columns(n=pl.lit(20))\n",
    },
    "rows_in_a_struct_column": {
        "kind": "user_code",
        "source": "def analyse(frame):\n    row = pl.struct(pl.all()).alias('row')\n"
        "    return frame.head(20).select(row).with_columns(n=pl.lit(20))\n",
    },
    "shifted_values": {
        "kind": "user_code",
        "source": "def analyse(frame):\n    shifted = (pl.all() + 0.001).name.suffix('_x')\n"
        "    return frame.head(20).select(shifted).with_columns(n=pl.lit(20))\n",
    },
    "coefficients_encode_a_row": {
        "kind": "user_code",
        "source": "def analyse(frame):\n"
        "    return {f'coef_{i}': v for i, v in enumerate(frame.row(0))}\n",
    },
}

KNOWN_DEFECTS: dict[str, str] = {}
"""Attacks that leak today: strict xfails, so the suite shows them and flips when fixed."""


# ---- the detector ----------------------------------------------------------------------

NUMBER = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")
SPLIT = re.compile(r"[^0-9A-Za-z_.\-]+")


def _norm(token: str) -> str:
    if NUMBER.match(token):
        value = float(token)
        return f"{value:.6g}" if abs(value) < 1e15 else token
    return token


def _tokens(value: Any) -> set[str]:
    if value is None or isinstance(value, bool):
        return set()
    if isinstance(value, int | float):
        return {_norm(repr(float(value)) if isinstance(value, float) else str(value))}
    return {_norm(t) for t in SPLIT.split(str(value)) if t}


def row_signatures(frame: pl.DataFrame) -> list[frozenset[str]]:
    """Each real row as the set of its distinct non-null values, normalised."""
    out = []
    for row in frame.iter_rows():
        tokens: set[str] = set()
        for value in row:
            tokens |= _tokens(value)
        out.append(frozenset(tokens))
    return out


def _candidates(data: Any) -> Iterator[set[str]]:
    """Every record (a dict's or list's scalar children, recursively) and every text line."""
    if isinstance(data, dict):
        mine: set[str] = set()
        for value in data.values():
            if isinstance(value, dict | list):
                yield from _candidates(value)
            else:
                mine |= _tokens(value)
        yield mine
    elif isinstance(data, list):
        mine = set()
        for value in data:
            if isinstance(value, dict | list):
                yield from _candidates(value)
            else:
                mine |= _tokens(value)
        yield mine
    elif isinstance(data, str):
        try:
            parsed = json.loads(data)
        except ValueError:
            parsed = None
        if isinstance(parsed, dict | list):
            yield from _candidates(parsed)
        for line in data.splitlines():
            yield _tokens(line)
        yield _tokens(data)


def leaked_rows(data: Any, signatures: list[frozenset[str]]) -> list[int]:
    """Indices of real rows that appear (≥ 80% of their values) in one record or line."""
    found = set()
    for candidate in _candidates(data):
        if len(candidate) < 5:
            continue
        for i, sig in enumerate(signatures):
            if len(sig) >= 5 and len(sig & candidate) >= SHARE * len(sig):
                found.add(i)
    return sorted(found)


def test_the_detector_finds_a_row_in_every_shape() -> None:
    """The detector can fail: a real row as a record, a line, a joined string, renamed."""
    from tiro.manufacturing.quality import datasets

    frame = datasets.load(DATASET)
    sigs = row_signatures(frame)
    row = frame.row(7, named=True)
    assert 7 in leaked_rows([row], sigs)
    assert 7 in leaked_rows(json.dumps({"result": {"rows": [row]}}), sigs)
    assert 7 in leaked_rows("| " + " | ".join(str(v) for v in row.values()) + " |", sigs)
    assert 7 in leaked_rows({f"coef_{i}": v for i, v in enumerate(row.values())}, sigs)
    assert 7 in leaked_rows({"row": "|".join(str(v) for v in row.values()), "n": 20}, sigs)
    # an honest aggregate is not a row
    means = frame.select(pl.all().mean()).row(0, named=True)
    assert leaked_rows([means, {"n": 176}], sigs) == []


# ---- the world -------------------------------------------------------------------------


@dataclass
class World:
    """The app, the CLI runner, tokens, the real rows and every id the attacks made."""

    client: Any
    tokens: dict[str, dict[str, str]]
    real: pl.DataFrame
    signatures: list[frozenset[str]]
    asset_id: int
    contract_id: int
    rival_asset_id: int
    requests: dict[str, int] = field(default_factory=dict)
    outcomes: dict[str, dict[str, Any]] = field(default_factory=dict)
    url: str = ""
    data_dir: Path = Path()


def _call(client: Any, method: str, path: str, who: dict[str, str], body: Any = None) -> Any:
    response = client.request(method, path, headers=who, json=body)
    assert response.status_code < 500, (method, path, response.text[:300])
    return response


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    from fastapi.testclient import TestClient

    from tiro.api.app import create_app
    from tiro.core import auth, migrate
    from tiro.core.db import _engine_for, get_engine, session_scope
    from tiro.core.settings import get_settings
    from tiro.manufacturing.library import members

    base = tmp_path_factory.mktemp("leakage")
    url = f"sqlite:///{base / 'tiro.db'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TIRO_DATABASE_URL", url)
        patch.setenv("TIRO_DATA_DIR", str(base / "var"))
        patch.delenv("TIRO_USER", raising=False)
        get_settings.cache_clear()
        migrate.upgrade(url)
        tokens = {}
        with session_scope(get_engine(url)) as s:
            for name, role, _, _ in PEOPLE:
                auth.add_user(session=s, name=name, role=role, actor="test")
                tokens[name] = {"Authorization": f"Bearer {auth.issue_token(session=s, name=name, actor='test')}"}  # fmt: skip
        with session_scope(get_engine(url)) as s:
            for name, _, org, role in PEOPLE:
                if org:
                    members.add_member(session=s, actor="admin", user=name, organisation=org,
                                       role=role)  # fmt: skip
            members.add_member(session=s, actor="admin", user="otto", organisation="rival-co",
                               role="owner")  # fmt: skip
        with TestClient(create_app(url)) as client:
            w = _build(client, tokens, url, base / "var")
            yield w
        get_settings.cache_clear()
    _engine_for(url).dispose()


def _build(client: Any, tokens: dict, url: str, data_dir: Path) -> World:
    olivia, sam, ana, otto = (tokens[n] for n in ("olivia", "sam", "ana", "otto"))
    asset = _call(client, "POST", f"{PREFIX}/assets", olivia,
                  {"dataset": DATASET, "organisation": OWNER_ORG, "name": ASSET}).json()  # fmt: skip
    expires = (dt.date.today() + dt.timedelta(days=60)).isoformat()
    _call(client, "POST", f"{PREFIX}/assets/{ASSET}/policy", olivia,
          {"purposes": [PURPOSE], "organisations": [OWNER_ORG, CONSUMER], "expires_on": expires,
           "min_group_size": K, "max_rows": MAX_ROWS,
           "allowed_model_types": ["linear", "user_code"]}).raise_for_status()  # fmt: skip
    # the rival organisation's own asset, with its own (permitted) contract
    rival = _call(client, "POST", f"{PREFIX}/assets", otto,
                  {"dataset": "rpart:solder", "organisation": "rival-co", "name": "rival-solder"}).json()  # fmt: skip
    contract = _call(client, "POST", f"{PREFIX}/contracts", ana,
                     {"asset": ASSET, "purpose": PURPOSE}).json()  # fmt: skip
    cid = contract["id"]
    for step, who in (("offer", olivia), ("agree", ana), ("finalise", sam)):
        _call(client, "POST", f"{PREFIX}/contracts/{cid}/{step}", who).raise_for_status()
    from tiro.core.settings import get_settings

    real = pl.read_parquet(
        get_settings().data_dir / "library" / "assets" / f"{asset['id']}.parquet"
    )
    world = World(client, tokens, real, row_signatures(real), asset["id"], cid, rival["id"],
                  url=url, data_dir=data_dir)  # fmt: skip
    for name, recipe in ATTACKS.items():
        submitted = _call(client, "POST", f"{PREFIX}/requests", ana,
                          {"contract_id": cid, "recipe": recipe})  # fmt: skip
        outcome: dict[str, Any] = {"submit": submitted.status_code, "responses": [submitted.text]}
        if submitted.status_code == 201:
            rid = submitted.json()["id"]
            world.requests[name] = rid
            approve = _call(client, "POST", f"{PREFIX}/requests/{rid}/approve", sam)
            run = _call(client, "POST", f"{PREFIX}/requests/{rid}/execute", ana)
            outcome.update(state=run.json().get("state"), reason=run.json().get("withheld_reason"))
            result = _call(client, "GET", f"{PREFIX}/requests/{rid}/result", ana)
            outcome["responses"] += [approve.text, run.text, result.text]
        world.outcomes[name] = outcome
    return world


def test_the_asset_is_the_real_dataset(world: World) -> None:
    from tiro.manufacturing.quality import datasets

    assert world.real.equals(datasets.load(DATASET))
    assert world.real.shape == (176, 58)


@pytest.mark.parametrize(
    "attack",
    [
        pytest.param(a, marks=pytest.mark.xfail(strict=True, reason=KNOWN_DEFECTS[a]))
        if a in KNOWN_DEFECTS
        else a
        for a in ATTACKS
    ],
)
def test_no_attack_returns_a_real_row(world: World, attack: str) -> None:
    """Submit, approve, execute, read the result: nothing any step answered holds a row."""
    outcome = world.outcomes[attack]
    for text in outcome["responses"]:
        assert leaked_rows(text, world.signatures) == [], (attack, outcome.get("reason"))


def test_each_attack_is_withheld_for_its_reason(world: World) -> None:
    """What the release check (or the sandbox) said to each attack, as measured."""
    got = {a: (o.get("state"), (o.get("reason") or "").split(":")[0]) for a, o in world.outcomes.items()}  # fmt: skip
    assert got["frame"] == ("withheld", "max_rows")
    assert got["head"][0] == "withheld" and "min_group_size" in world.outcomes["head"]["reason"]
    assert "raw_row_copy" in world.outcomes["head_with_invented_n"]["reason"]
    assert "raw_row_copy" in world.outcomes["sample"]["reason"]
    assert "min_group_size" in world.outcomes["one_row_per_group"]["reason"]
    assert "raw_row_copy" in world.outcomes["first_row_as_dict"]["reason"]
    assert got["output_too_large"] == ("withheld", "sandbox killed")
    assert "max_output_bytes" in world.outcomes["output_too_large"]["reason"]
    assert world.outcomes["exception_carrying_a_row"]["reason"] == (
        "sandbox failed: user_code: ValueError on line 3"
    )
    assert "min_group_size" in world.outcomes["aggregate_one_batch"]["reason"]
    assert "min_group_size" in world.outcomes["aggregate_group_by_unique"]["reason"]
    assert (
        "levels of the categorical feature"
        in world.outcomes["categorical_level_per_batch"]["reason"]
    )
    # honest recipes are released
    assert got["aggregate_mean"] == ("released", "")
    assert got["print_rows"] == ("released", "")
    assert got["train_linear"] == ("released", "")
    for attack in ("rows_in_a_list_column", "rows_in_a_struct_column"):
        assert got[attack] == ("withheld", "output"), (attack, world.outcomes[attack])
    for attack in ("renamed_columns", "join_of_all_columns", "coefficients_encode_a_row"):
        assert got[attack][0] == "withheld", (attack, world.outcomes[attack])
        assert "raw_row_copy" in world.outcomes[attack]["reason"], attack


def test_the_mock_twin_holds_no_real_row(world: World) -> None:
    shown = _call(world.client, "GET", f"{PREFIX}/assets/{ASSET}", world.tokens["ana"]).json()
    mock = pl.DataFrame(shown["mock"]["rows"], infer_schema_length=None)
    assert mock.columns == world.real.columns and mock.height > 0
    joined = mock.join(world.real, on=world.real.columns, how="inner", nulls_equal=True)
    assert joined.height == 0
    assert leaked_rows(shown, world.signatures) == []
    # no mock value equals a real value of its column (numbers drawn independently)
    for column in ("yield", "bio_material_01", "man_proc_09"):
        real = set(world.real[column].drop_nulls().to_list())
        assert not real & set(mock[column].drop_nulls().to_list()), column


def test_another_organisation_cannot_read_a_result(world: World) -> None:
    rid = world.requests["aggregate_mean"]
    for reader in ("otto", "aud"):
        r = _call(world.client, "GET", f"{PREFIX}/requests/{rid}/result", world.tokens[reader])
        assert r.status_code == 403, (reader, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
    # the released one is there for the analyst (so the 403s above are about who asks)
    ok = _call(world.client, "GET", f"{PREFIX}/requests/{rid}/result", world.tokens["ana"])
    assert ok.status_code == 200 and ok.json()["result"]["kind"] == "table"
    assert ok.json()["result"]["rows"][0]["n"] == 176


# ---- differencing: two honest aggregates, one row apart ----------------------------------


def _column_sums(world: World, filters: list[dict], chunk: list[str]) -> dict:
    """One aggregate request (sum of each column of ``chunk``) run to its end: the request."""
    ana, sam = world.tokens["ana"], world.tokens["sam"]
    recipe = {"kind": "aggregate", "filters": filters,
              "metrics": [{"column": c, "fn": "sum"} for c in chunk]}  # fmt: skip
    submitted = _call(world.client, "POST", f"{PREFIX}/requests", ana,
                      {"contract_id": world.contract_id, "recipe": recipe})  # fmt: skip
    assert submitted.status_code == 201, submitted.text
    rid = submitted.json()["id"]
    _call(world.client, "POST", f"{PREFIX}/requests/{rid}/approve", sam)
    done = _call(world.client, "POST", f"{PREFIX}/requests/{rid}/execute", ana).json()
    if done["state"] == "released":
        result = _call(world.client, "GET", f"{PREFIX}/requests/{rid}/result", ana).json()
        done["row"] = result["result"]["rows"][0]
    return done


def _difference(world: World, pair: tuple[list[dict], list[dict]]) -> dict[str, float]:
    """Column sums under the first filters minus under the second, over every column."""
    columns = [c for c in world.real.columns if c != "yield"]
    recovered: dict[str, float] = {}
    for start in range(0, len(columns), 20):
        chunk = columns[start : start + 20]
        first, second = (_column_sums(world, filters, chunk) for filters in pair)
        assert first["state"] == second["state"] == "released", (first, second)
        recovered |= {c: round(first["row"][f"{c}_sum"] - second["row"][f"{c}_sum"], 2)
                      for c in chunk}  # fmt: skip
    return recovered


def test_all_but_one_row_is_withheld_by_the_query_set_rule(world: World) -> None:
    """Sum every column over all batches, and over all but one batch (by its unique yield):
    the difference would be that batch's row. The second query leaves out 1 < k rows, so the
    query-set rule withholds it (it was released, and the row recovered, before that rule)."""
    victim = 7  # yield 43.06 occurs once and the row has no missing value
    y = world.real["yield"][victim]
    assert (world.real["yield"] == y).sum() == 1
    chunk = [c for c in world.real.columns if c != "yield"][:20]
    assert _column_sums(world, [], chunk)["state"] == "released"
    done = _column_sums(world, [{"column": "yield", "op": "!=", "value": y}], chunk)
    assert done["state"] == "withheld" and "row" not in done
    assert done["withheld_reason"].startswith("query_set: the filters leave out 1 source rows")


@pytest.mark.xfail(
    strict=True,
    reason="release.py: a tracker — two filters that each leave out at least k rows but differ "
    "by one row (yield >= y and yield > y) — passes the query-set rule; closing it needs an "
    "audit of every query released under the contract, or noise",
)
def test_a_tracker_of_two_released_aggregates_does_not_recover_a_row(world: World) -> None:
    victim = 7
    y = world.real["yield"][victim]
    left_out = ((world.real["yield"] < y).sum(), (world.real["yield"] <= y).sum())
    assert left_out[0] >= K and left_out[1] <= world.real.height - K  # each passes on its own
    recovered = {"yield": y} | _difference(
        world,
        (
            [{"column": "yield", "op": ">=", "value": y}],
            [{"column": "yield", "op": ">", "value": y}],
        ),
    )
    assert leaked_rows(recovered, world.signatures) == []


# ---- every route, every command --------------------------------------------------------


def _library_routes(app: Any) -> list[tuple[str, str]]:
    """(method, path) of every route under the prefix: the app's routes walked into included
    routers, checked against /openapi.json so neither list can miss one."""

    def walk(routes: list[Any]) -> Iterator[tuple[str, str]]:
        for route in routes:
            if hasattr(route, "original_router"):
                yield from walk(route.original_router.routes)
            elif getattr(route, "path", "").startswith(PREFIX):
                yield from ((m, route.path) for m in route.methods - {"HEAD", "OPTIONS"})

    found = sorted(set(walk(app.routes)))
    published = {
        (m.upper(), path)
        for path, ops in app.openapi()["paths"].items()
        if path.startswith(PREFIX)
        for m in ops
    }
    assert set(found) == published
    return found


def _bodies(world: World) -> dict[tuple[str, str], list[Any]]:
    expires = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    return {
        ("POST", "/members"): [{"user": "ana", "organisation": OWNER_ORG, "role": "owner"}],
        ("POST", "/assets"): [{"dataset": DATASET, "organisation": CONSUMER, "name": "copy"}],
        ("POST", "/assets/{asset}/policy"): [
            {"purposes": ["x"], "organisations": [CONSUMER], "expires_on": expires}
        ],
        ("POST", "/contracts"): [{"asset": ASSET, "purpose": PURPOSE}],
        ("POST", "/contracts/{contract_id}/terminate"): [{"reason": "leak test"}],
        ("POST", "/requests"): [{"contract_id": world.contract_id, "recipe": ATTACKS["head"]}],
        ("POST", "/requests/{request_id}/reject"): [{"note": "leak test"}],
    }


def _expand(path: str, world: World) -> list[str]:
    paths = [path]
    subs = {
        "{asset}": [ASSET, str(world.asset_id), "rival-solder"],
        "{contract_id}": [str(world.contract_id)],
        "{request_id}": [str(r) for r in world.requests.values()],
    }
    for key, values in subs.items():
        paths = [p.replace(key, v) for p in paths for v in values] if key in path else paths
    return paths


def test_every_library_route_as_every_reader(world: World) -> None:
    """Every method and path under the library prefix, as analyst, rival and auditor."""
    routes = _library_routes(world.client.app)
    assert len(routes) >= 19
    bodies = _bodies(world)
    calls = 0
    for method, template in routes:
        rel = template.removeprefix(PREFIX)
        for reader in READERS:
            for path in _expand(template, world):
                if reader == "ana" and path in _defect_results(world, "{}/requests/{}/result"):
                    continue  # the known defects' released copies: asserted (xfail) above
                if rel == "/assets/upload":
                    upload = world.real.head(3).write_csv().encode()
                    r = world.client.post(path, headers=world.tokens[reader],
                                          params={"organisation": CONSUMER, "name": f"up-{reader}"},
                                          files={"file": ("mine.csv", upload, "text/csv")})  # fmt: skip
                    # the analyst's own upload is theirs; compare with the library's rows only
                    assert r.status_code < 500
                    calls += 1
                    continue
                for body in bodies.get((method, rel), [None]):
                    r = _call(world.client, method, path, world.tokens[reader], body)
                    calls += 1
                    assert leaked_rows(r.text, world.signatures) == [], (method, path, reader)
                    if r.status_code >= 400:
                        assert r.headers["content-type"].startswith("application/problem+json")
    assert calls > 100


def _defect_results(world: World, fmt: str = "{1}") -> set[str]:
    """The known defects' result addresses (as API paths or CLI ids)."""
    return {fmt.format(PREFIX, world.requests[a]) for a in KNOWN_DEFECTS if a in world.requests}


def _cli(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    with pytest.MonkeyPatch.context() as patch:
        for k, v in env.items():
            patch.setenv(k, v)
        code, out, err = run_tiro(args)
    return code, out + err


def _library_commands() -> list[tuple[list[str], Any]]:
    """(path, click command) of every leaf under the library sub-apps of `tiro manufacturing`."""
    import click
    import typer

    from tiro.cli import manufacturing_library as lib
    from tiro.cli.manufacturing import LIBRARY_APPS

    out = []
    for name, _ in LIBRARY_APPS:
        group = typer.main.get_command(getattr(lib, f"{name}_app"))
        assert isinstance(group, click.Group | typer.core.TyperGroup)
        for sub, command in group.commands.items():
            out.append((["manufacturing", name, sub], command))
    return out


def _arguments(command: Any, world: World, reader: str, tmp: Path) -> list[list[str]]:
    """Argument lists for a command: every required parameter filled (a new one fails here)."""
    values: dict[str, list[str]] = {
        "asset": [ASSET, "rival-solder"],
        "contract_id": [str(world.contract_id)],
        # a released table, a released mapping, a released model and a withheld copy
        "request_id": [str(world.requests[a]) for a in CLI_REQUESTS],
        "user": ["ana"],
    }
    options = {
        "--organisation": CONSUMER, "--dataset": DATASET, "--purpose": PURPOSE,
        "--expires": (dt.date.today() + dt.timedelta(days=30)).isoformat(),
        "--reason": "leak test", "--note": "leak test", "--user": "ana", "--role": "owner",
        "--recipe-json": json.dumps(ATTACKS["head"]), "--name": f"cli-{reader}",
    }  # fmt: skip
    lists: list[list[str]] = [[]]
    for param in command.params:
        if param.param_type_name == "argument":
            assert param.name in values, f"no value for argument {param.name} of {command.name}"
            lists = [[*a, v] for a in lists for v in values[param.name]]
        elif param.required:
            opt = max(param.opts, key=len)
            assert opt in options, f"no value for required option {opt} of {command.name}"
            lists = [[*a, opt, options[opt]] for a in lists]
    if command.name == "register":
        mine = tmp / f"{reader}.csv"
        mine.write_text("a,b\n1,2\n")
        lists += [[*a, "--organisation", CONSUMER, "--file", str(mine), "--name", f"f-{reader}"]
                  for a in [[]]]  # fmt: skip
    if any(p.name == "contract" for p in command.params):
        lists += [[*a, "--contract", str(world.contract_id)] for a in list(lists)]
    return lists


def test_every_library_command_as_every_reader(world: World, tmp_path: Path) -> None:
    """Every leaf command of assets|policies|contracts|requests|members|library, human and
    --json, as each reader (the CLI trusts --actor: each acts as themself here)."""
    commands = _library_commands()
    assert {" ".join(p[1:]) for p, _ in commands} >= {
        "assets list", "assets show", "assets register", "policies show", "policies set",
        "contracts request", "contracts list", "contracts show", "requests submit",
        "requests list", "requests show", "requests result", "requests execute",
        "members list", "library audit",
    }  # fmt: skip
    env = {"TIRO_DATABASE_URL": world.url, "TIRO_DATA_DIR": str(world.data_dir),
           "COLUMNS": "400"}  # fmt: skip
    runs = 0
    for path, command in commands:
        if path[-1] == "seed":  # no actor: registers the shipped datasets (metadata only)
            code, text = _cli([*path, "--json"], env)
            assert code == 0 and leaked_rows(text, world.signatures) == []
            runs += 1
            continue
        for reader in READERS:
            for args in _arguments(command, world, reader, tmp_path):
                for fmt in ([], ["--json"]):
                    code, text = _cli([*path, *args, "--actor", reader, *fmt], env)
                    runs += 1
                    assert "Traceback" not in text, (path, args, text[-500:])
                    assert leaked_rows(text, world.signatures) == [], (path, args, reader)
    assert runs > 100


@pytest.mark.xfail(
    strict=True,
    reason="release.py: values transformed before they leave (here + 0.001) are not covered; "
    "the steward's review of the code is the control",
)
def test_shifted_values_do_not_recover_rows(world: World) -> None:
    """The answer holds no real value as such; undoing the shift gives the rows back."""
    rid = world.requests["shifted_values"]
    r = _call(world.client, "GET", f"{PREFIX}/requests/{rid}/result", world.tokens["ana"])
    assert r.status_code == 200, r.text  # released
    rows = r.json()["result"]["rows"]
    undone = [{k: None if v is None else round(v - 0.001, 2) for k, v in row.items() if k != "n"}
              for row in rows]  # fmt: skip
    assert leaked_rows(undone, world.signatures) == []


# ---- the audit chain -------------------------------------------------------------------


def test_the_audit_chain_verifies_then_detects_a_tampered_row(world: World) -> None:
    """Runs last: every attack, refusal and read above is in the chain, which verifies;
    changing one library entry's content breaks it at that entry."""
    from sqlalchemy import select, update
    from sqlalchemy import text as sql

    from tiro.core.audit import verify_chain
    from tiro.core.db import get_engine, session_scope
    from tiro.core.models import AuditEntry

    env = {"TIRO_DATABASE_URL": world.url, "TIRO_DATA_DIR": str(world.data_dir)}
    code, out = _cli(["audit", "verify", "--json"], env)
    assert code == 0, out
    with session_scope(get_engine(world.url)) as s:
        report = verify_chain(s)
        assert report.ok and report.entries > 100
        refused = s.execute(
            select(AuditEntry.id).where(AuditEntry.action.like("manufacturing.library.%refused"))
        ).scalars().all()  # fmt: skip
        assert len(refused) > 50  # every refused attempt above was recorded
        victim = s.execute(
            select(AuditEntry).where(AuditEntry.action == "manufacturing.library.request.withhold")
        ).scalars().first()  # fmt: skip
        # tamper as a superuser would: drop the append-only guard, then rewrite the entry
        s.execute(sql("DROP TRIGGER IF EXISTS audit_log_no_update"))
        s.execute(
            update(AuditEntry).where(AuditEntry.id == victim.id).values(after={"state": "released"})
        )
    with session_scope(get_engine(world.url)) as s:
        broken = verify_chain(s)
    assert not broken.ok and broken.first_bad_id == victim.id
    code, out = _cli(["audit", "verify", "--json"], env)
    assert code != 0, out
    assert json.loads(out.split("\nerror:")[0])["first_bad_id"] == victim.id
