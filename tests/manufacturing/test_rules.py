"""Tacit-knowledge rules (issue 16 item 5): scores by hand, versions, refusals."""

from __future__ import annotations

import json

import pytest
import yaml
from sqlalchemy import func, select

from tiro.core.errors import InvalidInput, NotFound
from tiro.manufacturing import service
from tiro.manufacturing.knowledge import rules
from tiro.manufacturing.models import TacitRule
from tiro.manufacturing.quality import datasets

SMALL_THIN = [{"column": "Opening", "op": "==", "value": "S"},
              {"column": "Solder", "op": "==", "value": "Thin"}]  # fmt: skip
MANY = {"column": "skips", "op": ">=", "value": 10}


def test_score_equals_hand_counts_on_the_solder_data():
    frame = datasets.load("rpart:solder")
    rows = frame.to_dicts()
    cond = [r["Opening"] == "S" and r["Solder"] == "Thin" for r in rows]
    out = [r["skips"] >= 10 for r in rows]
    matched, hits, pos = sum(cond), sum(c and o for c, o in zip(cond, out, strict=True)), sum(out)
    got = rules.score(frame, SMALL_THIN, MANY)
    assert (got["matched"], got["hits"], got["outcome_rows"]) == (matched, hits, pos)
    assert got["support"] == pytest.approx(matched / 900)
    assert got["precision"] == pytest.approx(hits / matched)
    assert got["lift"] == pytest.approx((hits / matched) / (pos / 900))
    assert got["recall"] == pytest.approx(hits / pos)
    # 150 boards small+thin, 100 of them with >= 10 skips; 171 such boards in all
    assert (matched, hits, pos) == (150, 100, 171)


def test_in_operator_and_a_rule_that_never_applies():
    frame = datasets.load("rpart:solder")
    got = rules.score(frame, [{"column": "Mask", "op": "in", "value": ["A1.5", "A3"]}], MANY)
    assert got["matched"] == sum(r["Mask"] in ("A1.5", "A3") for r in frame.to_dicts())
    none = rules.score(frame, [{"column": "Panel", "op": ">", "value": 99}], MANY)
    assert none["matched"] == 0 and none["precision"] is None and none["lift"] is None


@pytest.mark.parametrize(
    ("conditions", "outcome", "field"),
    [
        ([{"column": "Nozzle", "op": "==", "value": "S"}], MANY, "conditions[0].column"),
        ([SMALL_THIN[0], {"column": "Solder", "op": "~", "value": "x"}], MANY, "conditions[1].op"),
        ([{"column": "skips", "op": ">", "value": "many"}], MANY, "conditions[0].value"),
        ([{"column": "Opening", "op": "<", "value": "S"}], MANY, "conditions[0].op"),
        ([{"column": "skips", "op": ">", "value": float("nan")}], MANY, "conditions[0].value"),
        (SMALL_THIN, {"column": "defects", "op": ">", "value": 1}, "outcome.column"),
        ([], MANY, "conditions"),
    ],
)
def test_bad_rules_name_the_clause(conditions, outcome, field):
    with pytest.raises(InvalidInput) as err:
        rules.score(datasets.load("rpart:solder"), conditions, outcome)
    assert err.value.field == field


def _rule(**change) -> dict:
    base = {"rule_id": "small-thin", "author": "line lead", "statement": "small+thin skips",
            "dataset": "rpart:solder", "conditions": SMALL_THIN, "outcome": MANY}  # fmt: skip
    return {**base, **change}


@pytest.mark.postgres
def test_versions_and_scoring_from_the_database(session):
    one = service.record_rule(session=session, rule=_rule(), actor="ana")
    two = service.record_rule(session=session, rule=_rule(outcome={**MANY, "value": 5}), actor="b")
    assert (one["version"], two["version"]) == (1, 2)
    assert service.get_rule(session=session, rule_id="small-thin", version=1)["outcome"] == MANY
    scored = service.score_rule(session=session, rule_id="small-thin")
    assert scored["version"] == 2 and scored["score"]["matched"] == 150
    with pytest.raises(NotFound):
        service.get_rule(session=session, rule_id="small-thin", version=3)


def test_a_rule_over_unknown_columns_is_refused_and_nothing_written(session):
    bad = _rule(conditions=[{"column": "Nozzle", "op": "==", "value": "S"}])
    with pytest.raises(InvalidInput) as err:
        service.record_rule(session=session, rule=bad, actor="ana")
    assert err.value.field == "conditions[0].column"
    assert session.execute(select(func.count()).select_from(TacitRule)).scalar_one() == 0


def test_cli_add_and_score(cli, tmp_path):
    file = tmp_path / "rule.yaml"
    file.write_text(yaml.safe_dump(_rule()), encoding="utf-8")
    out = cli(["manufacturing", "rules", "add", str(file), "--json"])
    assert out.exit_code == 0, out.stderr
    out = cli(["manufacturing", "rules", "score", "small-thin", "--json"])
    got = json.loads(out.stdout)
    assert got["score"]["lift"] == pytest.approx((100 / 150) / (171 / 900))
    file.write_text(yaml.safe_dump(_rule(outcome={"column": "defects", "op": ">", "value": 1})))
    out = cli(["manufacturing", "rules", "add", str(file), "--json"])
    assert out.exit_code != 0 and out.stderr.startswith("error: outcome.column:")
