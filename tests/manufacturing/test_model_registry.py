"""Model registry (issue 16 item 4): versions, aliases, and refusal of a dataset hash mismatch."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from tiro.core.errors import Conflict, InvalidInput, NotFound
from tiro.core.models import AuditEntry
from tiro.manufacturing import service
from tiro.manufacturing.models import RegisteredModel
from tiro.manufacturing.quality import datasets, workbench


@pytest.fixture(scope="module")
def result():
    r = workbench.RECIPES["automotive_life"]
    return workbench.train(datasets.load(r.dataset), r)


def _count(session, table) -> int:
    return session.execute(select(func.count()).select_from(table)).scalar_one()


@pytest.mark.postgres
def test_versions_aliases_and_audit(session, result):
    one = service.register(session=session, name="life", result=result, actor="ana")
    two = service.register(session=session, name="life", result=result, actor="ana")
    assert (one["version"], two["version"]) == (1, 2)
    assert one["dataset_hash"] == datasets.content_hash(datasets.load("reliability:automotive"))
    assert one["code_version"] == workbench.code_version()
    service.set_alias(session=session, name="life", alias="champion", version=1, actor="op")
    assert service.get(session=session, name="life", alias="champion")["version"] == 1
    service.set_alias(session=session, name="life", alias="champion", version=2, actor="op")
    got = service.get(session=session, name="life", alias="champion")
    assert got["version"] == 2 and got["aliases"] == ["champion"]
    assert got["metrics"]["alpha"] == pytest.approx(134_651.04, rel=1e-6)
    assert service.get(session=session, name="life")["version"] == 2
    actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-4:] == ["model.register", "model.register", "model.alias", "model.alias"]


@pytest.mark.postgres
def test_a_dataset_hash_mismatch_is_refused_and_nothing_written(session, result):
    forged = {**result, "dataset_hash": "0" * 64}
    before = (_count(session, RegisteredModel), _count(session, AuditEntry))
    with pytest.raises(Conflict) as err:
        service.register(session=session, name="life", result=forged, actor="ana")
    assert err.value.field == "dataset_hash"
    assert (_count(session, RegisteredModel), _count(session, AuditEntry)) == before


def test_unknown_alias_version_and_bad_names(session, result):
    service.register(session=session, name="life", result=result, actor="ana")
    with pytest.raises(NotFound) as err:
        service.get(session=session, name="life", alias="champion")
    assert err.value.field == "alias"
    with pytest.raises(NotFound) as err:
        service.set_alias(session=session, name="life", alias="champion", version=9, actor="op")
    assert err.value.field == "version"
    with pytest.raises(NotFound):
        service.get(session=session, name="nothing")
    with pytest.raises(InvalidInput) as err:
        service.register(session=session, name="Bad Name!", result=result, actor="ana")
    assert err.value.field == "name"
    with pytest.raises(InvalidInput) as err:
        service.set_alias(session=session, name="life", alias="9lives", version=1, actor="op")
    assert err.value.field == "alias"


def test_cli_train_register_alias_show(cli):
    out = cli(["manufacturing", "models", "train", "--recipe", "solder_defect_count",
               "--register", "solder-skips", "--json"])  # fmt: skip
    assert out.exit_code == 0, out.stderr
    got = json.loads(out.stdout)
    assert got["registered"] == {"name": "solder-skips", "version": 1}
    assert got["metrics"]["deviance_explained"] == pytest.approx(0.785, abs=5e-4)
    out = cli(["manufacturing", "models", "alias", "solder-skips", "1", "champion", "--json"])
    assert out.exit_code == 0, out.stderr
    out = cli(["manufacturing", "models", "show", "solder-skips", "--alias", "champion", "--json"])
    assert json.loads(out.stdout)["version"] == 1
    out = cli(["manufacturing", "models", "show", "solder-skips", "--alias", "gold", "--json"])
    assert out.exit_code != 0 and out.stderr.startswith("error: alias:")


def test_cli_expect_hash_mismatch_writes_nothing(cli):
    out = cli(["manufacturing", "models", "train", "--recipe", "solder_defect_count",
               "--expect-hash", "f" * 64, "--register", "solder-skips", "--json"])  # fmt: skip
    assert out.exit_code != 0 and out.stdout == ""
    assert out.stderr.startswith("error: --expect-hash:") and len(out.stderr.splitlines()) == 1
    out = cli(["manufacturing", "models", "list", "--json"])
    assert json.loads(out.stdout) == []
    out = cli(["manufacturing", "models", "train", "--recipe", "random_forest", "--json"])
    assert out.exit_code != 0 and out.stderr.startswith("error: --recipe:")
