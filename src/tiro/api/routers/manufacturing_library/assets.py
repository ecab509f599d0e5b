"""``/assets`` and ``/assets/{asset}/policy``: data assets (데이터 자산) and usage policies.

An asset is registered from a shipped dataset name or an uploaded CSV/Parquet body (never a
server path); reading one gives metadata and the synthetic mock twin, never rows. A policy
(이용 정책) is a new version of the terms, set by the asset's owner.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import PurePath
from typing import Annotated, Any

from fastapi import APIRouter, File, Query, UploadFile
from pydantic import Field
from sqlalchemy.orm import Session

from tiro.api.routers.manufacturing_library.common import (
    DATASET,
    DB,
    ORG,
    PREFIX,
    SENSITIVITY,
    TAG,
    AssetRef,
    IdemKey,
    Member,
    keyed,
)
from tiro.core.errors import InvalidInput
from tiro.core.models import User
from tiro.core.validation import InputModel
from tiro.manufacturing.library import assets, policies, views

router = APIRouter(prefix=PREFIX, tags=[TAG])

MAX_UPLOAD_BYTES = 64 * 1024 * 1024
"""An uploaded table is read into memory once; larger files go through the CLI (--file)."""


# ---- assets ----------------------------------------------------------------------------


@router.get("/assets", summary="The catalogue with mock twins (데이터 자산)")
def assets_list(user: User = Member, session: Session = DB) -> list[dict]:
    """Every asset's metadata, current policy and synthetic mock twin — never real rows."""
    return views.catalogue(session=session, actor=user.name)


@router.get("/assets/{asset}", summary="One asset with its mock twin")
def assets_show(asset: AssetRef, user: User = Member, session: Session = DB) -> dict:
    """Metadata, schema, content hash, current policy and mock twin of one asset."""
    return views.show_asset(session=session, actor=user.name, asset=asset)


class DatasetBody(InputModel):
    """Register a shipped dataset as an asset of the owner's organisation."""

    dataset: DATASET = Field(..., description="A shipped dataset (rpart:solder, …).")
    organisation: ORG
    name: str | None = Field(
        None, pattern=r"^[a-z0-9][a-z0-9_.:-]{0,79}$", description="Asset name (default: dataset)."
    )
    description: str | None = Field(None, min_length=1, max_length=2000)
    sensitivity: SENSITIVITY = "confidential"


@router.post("/assets", summary="Register a shipped dataset as an asset", status_code=201)
def assets_register(
    body: DatasetBody, key: IdemKey = None, user: User = Member, session: Session = DB
) -> dict:
    """Copy the dataset into the library (Parquet, SHA-256, mock twin); owners only."""
    with keyed(user, key, "assets.register", body.model_dump()):
        return assets.register_dataset(session=session, actor=user.name, **body.model_dump())


@router.post("/assets/upload", summary="Register an uploaded CSV/Parquet table", status_code=201)
def assets_upload(
    file: UploadFile = File(..., description="A .csv or .parquet table (the upload body)."),
    organisation: str = Query(..., min_length=1, max_length=120, description="Owner org."),
    name: str = Query(..., pattern=r"^[a-z0-9][a-z0-9_.:-]{0,79}$", description="Asset name."),
    description: str | None = Query(None, min_length=1, max_length=2000),
    sensitivity: SENSITIVITY = Query("confidential"),
    key: IdemKey = None,
    user: User = Member,
    session: Session = DB,
) -> dict:
    """The uploaded bytes are parsed here and stored by the library — never a server path."""
    data = file.file.read(MAX_UPLOAD_BYTES + 1)
    frame = _uploaded_frame(file, data)
    source = f"upload {PurePath(file.filename or 'table').name[:150]}"
    asked = {"organisation": organisation, "name": name, "description": description,
             "sensitivity": sensitivity, "source": source,
             "file_sha256": hashlib.sha256(data).hexdigest()}  # fmt: skip
    with keyed(user, key, "assets.upload", asked):
        return assets.register_asset(
            session=session, actor=user.name, name=name, organisation=organisation,
            frame=frame, source=source, description=description, sensitivity=sensitivity,
        )  # fmt: skip


def _uploaded_frame(file: UploadFile, data: bytes) -> Any:
    if len(data) > MAX_UPLOAD_BYTES:
        raise InvalidInput(f"larger than {MAX_UPLOAD_BYTES:,} bytes", field="file")
    name = PurePath(file.filename or "upload").name[:150]
    return assets.read_table(data, PurePath(name).suffix, name)


# ---- policies --------------------------------------------------------------------------


class PolicyBody(InputModel):
    """The terms of a new policy version (k and max rows default to the dated parameters)."""

    purposes: list[Annotated[str, Field(min_length=1, max_length=120)]] = Field(
        ..., min_length=1, max_length=50
    )
    organisations: list[Annotated[str, Field(min_length=1, max_length=120)]] = Field(
        ..., min_length=1, max_length=50
    )
    expires_on: dt.date = Field(..., description="Expiry date (not before today).")
    min_group_size: int | None = Field(None, ge=1, le=1_000_000, description="k.")
    max_rows: int | None = Field(None, ge=1, le=10_000_000)
    allowed_model_types: list[Annotated[str, Field(min_length=1, max_length=40)]] = Field(
        default_factory=list, max_length=50
    )
    public_categories: list[Annotated[str, Field(min_length=1, max_length=120)]] = Field(
        default_factory=list, max_length=50
    )
    label: str | None = Field(None, max_length=200)


@router.get("/assets/{asset}/policy", summary="An asset's usage policy (이용 정책)")
def policy_show(asset: AssetRef, user: User = Member, session: Session = DB) -> dict:
    """The current policy with its earlier versions (any member)."""
    return policies.show_policy(session=session, actor=user.name, asset=asset)


@router.post("/assets/{asset}/policy", summary="Set a new policy version", status_code=201)
def policy_set(
    asset: AssetRef,
    body: PolicyBody,
    key: IdemKey = None,
    user: User = Member,
    session: Session = DB,
) -> dict:
    """The asset's owner attaches new terms; contracts snapshot the version they were offered."""
    with keyed(user, key, "policy.set", {"asset": asset, **body.model_dump()}):
        return policies.set_policy(
            session=session, actor=user.name, asset=asset, **body.model_dump()
        )
