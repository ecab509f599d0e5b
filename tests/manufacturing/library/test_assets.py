"""Assets: the library's own Parquet copy, its SHA-256, the mock twin, owners only, the seed."""

from __future__ import annotations

import hashlib
import os
import stat

import polars as pl
import pytest

from tiro.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from tiro.manufacturing.library import assets, members, views
from tiro.manufacturing.library.tables import LibraryAsset, LibraryPolicy
from tiro.manufacturing.quality import datasets

from .library_factories import OWNER_ORG, actions, count


def test_a_shipped_dataset_is_copied_hashed_and_described(lib, tmp_path) -> None:
    a = assets.register_dataset(session=lib, actor="olivia", dataset="rpart:solder",
                                organisation=OWNER_ORG)  # fmt: skip
    path = tmp_path / "var" / "library" / "assets" / f"{a['id']}.parquet"
    data = path.read_bytes()
    assert a["content_hash"] == hashlib.sha256(data).hexdigest()
    assert pl.read_parquet(path).equals(datasets.load("rpart:solder"))  # the 900 real rows
    assert a["rows"] == 900 and [c["name"] for c in a["schema"]] == [
        "Opening", "Solder", "Mask", "PadType", "Panel", "skips"]  # fmt: skip
    assert not stat.S_IMODE(os.stat(path).st_mode) & 0o222  # read-only on disk
    assert a["storage"] == f"library/assets/{a['id']}.parquet"
    assert actions(lib)[-1] == "manufacturing.library.asset.register"


def test_the_catalogue_shows_the_mock_twin_never_a_real_row(lib) -> None:
    assets.register_dataset(session=lib, actor="olivia", dataset="rpart:solder",
                            organisation=OWNER_ORG)  # fmt: skip
    real = {tuple(r.values()) for r in datasets.load("rpart:solder").to_dicts()}
    for who in ("ana", "aud", "sam", "admin"):
        entry = views.show_asset(session=lib, actor=who, asset="rpart:solder")
        mock = entry["mock"]["rows"]
        assert mock and all(set(r) == {c["name"] for c in entry["schema"]} for r in mock)
        assert not any(tuple(r.values()) in real for r in mock)


def test_a_users_own_csv_file_is_registered(lib, tmp_path) -> None:
    csv = tmp_path / "line3.csv"
    csv.write_text("station,temp_c,defects\nA,210.5,0\nB,215.0,2\nA,212.25,1\n")
    frame = assets.read_table_file(csv)
    a = assets.register_asset(session=lib, actor="olivia", name="line3", organisation=OWNER_ORG,
                              frame=frame, source="file line3.csv")  # fmt: skip
    assert (a["rows"], a["schema"][1]) == (3, {"name": "temp_c", "dtype": "Float64"})
    stored = pl.read_parquet(tmp_path / "var" / "library" / "assets" / f"{a['id']}.parquet")
    assert stored["temp_c"].to_list() == [210.5, 215.0, 212.25]


@pytest.mark.parametrize(
    ("name", "body", "reason"),
    [("x.txt", "a\n1\n", "only .csv and .parquet"), ("missing.csv", None, "not a readable file"),
     ("bad.parquet", "not parquet", "could not be read"),
     ("twice.csv", "a,b,a\n1,2,3\n", "the column 'a' is repeated"),
     ("latin1.csv", "t\n\xe9\n", "could not be read")],
)  # fmt: skip
def test_unreadable_files_are_refused_naming_file(tmp_path, name, body, reason) -> None:
    path = tmp_path / name
    if body is not None:
        path.write_bytes(body.encode("latin-1"))
    with pytest.raises(InvalidInput, match=reason) as info:
        assets.read_table_file(path)
    assert info.value.field == "file"


@pytest.mark.parametrize(
    ("actor", "dataset", "organisation", "error", "field"),
    [
        ("ana", "rpart:solder", OWNER_ORG, Forbidden, "actor"),  # an analyst is no owner
        ("olivia", "rpart:solder", "max-lab", Forbidden, "actor"),  # owner of another org
        ("olivia", "rpart:nothing", OWNER_ORG, NotFound, "dataset"),
        ("nobody", "rpart:solder", OWNER_ORG, Forbidden, "actor"),
    ],
)
def test_refused_registrations_change_nothing_and_are_audited(
    lib, tmp_path, actor, dataset, organisation, error, field
) -> None:
    with pytest.raises(error) as info:
        assets.register_dataset(session=lib, actor=actor, dataset=dataset,
                                organisation=organisation)  # fmt: skip
    assert info.value.field == field
    assert count(lib, LibraryAsset) == 0
    assert not list((tmp_path / "var").rglob("*.parquet"))
    assert actions(lib)[-1] == "manufacturing.library.asset.register.refused"


def test_a_name_is_registered_once(lib) -> None:
    assets.register_dataset(session=lib, actor="olivia", dataset="rpart:solder",
                            organisation=OWNER_ORG)  # fmt: skip
    with pytest.raises(Conflict) as info:
        assets.register_dataset(session=lib, actor="olivia", dataset="rpart:solder",
                                organisation=OWNER_ORG)  # fmt: skip
    assert info.value.field == "name" and count(lib, LibraryAsset) == 1


def test_a_changed_file_no_longer_verifies(lib, tmp_path) -> None:
    a = assets.register_dataset(session=lib, actor="olivia", dataset="rpart:solder",
                                organisation=OWNER_ORG)  # fmt: skip
    row = assets.get_asset(lib, a["id"])
    assert assets.file_hash(assets.verified_bytes(row)) == a["content_hash"]
    path = assets.asset_path(row)
    os.chmod(path, 0o640)
    pl.read_parquet(path).with_columns(pl.lit(0).alias("skips")).write_parquet(path)
    with pytest.raises(Conflict) as info:
        assets.verified_bytes(row)
    assert info.value.field == "content_hash" and "changed on disk" in info.value.message
    path.unlink()
    with pytest.raises(Conflict, match="missing"):
        assets.verified_bytes(row)


def test_owners_add_analysts_and_auditors_to_their_own_organisation_only(lib) -> None:
    from tiro.core import auth

    auth.add_user(session=lib, name="new", role="analyst", actor="test")
    lib.commit()
    added = members.add_member(session=lib, actor="olivia", user="new", organisation=OWNER_ORG,
                               role="analyst")  # fmt: skip
    assert added == {"user": "new", "organisation": OWNER_ORG, "role": "analyst",
                     "added_by": "olivia"}  # fmt: skip
    with pytest.raises(Forbidden):
        members.add_member(session=lib, actor="olivia", user="new", organisation=OWNER_ORG,
                           role="steward")  # fmt: skip
    with pytest.raises(Forbidden):
        members.add_member(session=lib, actor="olivia", user="new", organisation="max-lab",
                           role="analyst")  # fmt: skip
    with pytest.raises(InvalidInput) as info:  # a core viewer cannot be a library analyst
        members.add_member(session=lib, actor="admin", user="aud", organisation=OWNER_ORG,
                           role="analyst")  # fmt: skip
    assert info.value.field == "role"


def test_the_seed_registers_the_real_datasets_once_with_sample_owners(lib) -> None:
    from tiro.manufacturing.library.seed import SEED, seed_library

    first = seed_library(session=lib)
    assert [r["asset"] for r in first] == [e["dataset"].lower() for e in SEED]
    assert all(r["added"] for r in first) and len(first) == 9
    assert first[0]["rows"] == 900  # rpart:solder
    again = seed_library(session=lib)
    assert not any(r["added"] for r in again)
    assert count(lib, LibraryAsset) == count(lib, LibraryPolicy) == 9
    catalogue = views.catalogue(session=lib, actor="aud")
    assert all("sample" in a["label"] and "sample" in a["policy"]["label"] for a in catalogue)
    assert {a["policy"]["terms"]["min_group_size"] for a in catalogue} == {10}
