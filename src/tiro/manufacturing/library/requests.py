"""Compute requests (원격 분석 요청): code goes to the data, only checked results come back.

pending → approved | rejected → running → released | withheld. An analyst of the contract's
organisation submits a recipe under a finalised contract; it is validated against the
asset's schema and run on the mock twin in the sandbox (a request that cannot run on the
mock — a syntax slip, a socket, a runaway loop — is refused before any human looks at it).
A steward or owner of the asset's organisation (not the submitter) approves or rejects it.
``execute`` checks again, on that day, that the contract is finalised and its terms (and the
asset's current policy) still permit the organisation and purpose and have not expired, and
that the asset file's SHA-256 is the registered one; it then claims the request
(approved → running), runs the sandbox on a private copy of exactly the verified bytes, and
records ``released`` with the result only if :func:`release.check_release` passes, else
``withheld`` with the reasons (the output is discarded). Transitions are guarded updates,
so two approvals or two executions at once cannot both win.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from tiro.core.errors import Conflict, Forbidden, InvalidInput
from tiro.core.validation import json_safe
from tiro.manufacturing.library.assets import json_rows, verified_bytes
from tiro.manufacturing.library.contracts import get_contract
from tiro.manufacturing.library.members import (
    Actor,
    actor_name,
    audit,
    require,
    resolve,
    run_step,
    text,
)
from tiro.manufacturing.library.policies import check_use, required_policy, terms_of
from tiro.manufacturing.library.states import fresh, guarded_move
from tiro.manufacturing.library.tables import (
    LibraryAsset,
    LibraryContract,
    LibraryRequest,
)

ENTITY = "request"
PROVIDER = ("owner", "steward")


def request_dict(row: LibraryRequest, *, result: bool = False) -> dict[str, Any]:
    """Request metadata; the released result only when ``result`` (callers check who asks)."""
    out = {"id": row.id, "contract_id": row.contract_id, "asset_id": row.asset_id,
           "recipe_kind": row.recipe_kind, "recipe": row.recipe, "state": row.state,
           "submitted_by": row.submitted_by, "mock_run": row.mock_run,
           "decided_by": row.decided_by, "decision_note": row.decision_note,
           "executed_by": row.executed_by, "data_hash": row.data_hash,
           "result_rows": row.result_rows, "withheld_reason": row.withheld_reason,
           "cpu_seconds": row.cpu_seconds, "wall_seconds": row.wall_seconds,
           "max_rss_mb": row.max_rss_mb}  # fmt: skip
    if result:
        out["result"] = row.result
    return out


def get_request(session: Session, request_id: int) -> LibraryRequest:
    """The request as stored now (re-read, never a stale identity-map copy)."""
    return fresh(session, LibraryRequest, request_id, label="compute request", field="request")


def guarded_transition(
    session: Session, request_id: int, expected: str, new_state: str, step: str, **values: Any
) -> None:
    """Move the request only if it is still ``expected``: of two racing steps one wins."""
    guarded_move(session, LibraryRequest, request_id, (expected,), new_state, step=step,
                 label="request", field="request", **values)  # fmt: skip


def _step(session: Session, actor: Any, step: str, entity_id: Any, payload: dict, act: Any) -> Any:
    return run_step(session, actor=actor_name(actor), step=f"request.{step}", entity=ENTITY,
                    entity_id=entity_id, payload=payload, action=act)  # fmt: skip


def _check_contract_use(
    session: Session, contract: LibraryContract, asset: LibraryAsset, on: dt.date
) -> Any:
    """The contract is finalised and both its snapshot and the asset's current policy permit
    this organisation and purpose on ``on``; returns the snapshot terms (release rules)."""
    if contract.state != "finalised":
        raise Conflict(
            f"contract {contract.id} is {contract.state}; compute needs a finalised contract",
            field="contract",
        )
    terms = terms_of(contract.terms)
    check_use(terms, organisation=contract.organisation, purpose=contract.purpose, on=on,
              where=f"contract {contract.id}'s terms")  # fmt: skip
    policy = required_policy(session, asset.id, asset.name)
    check_use(terms_of(policy), organisation=contract.organisation, purpose=contract.purpose,
              on=on, where=f"the current policy of {asset.name} v{policy.version}")  # fmt: skip
    return terms


def mock_frame(asset: LibraryAsset) -> Any:
    """The mock twin as a table with the asset's dtypes (what a request is tested on)."""
    import polars as pl

    frame = pl.DataFrame(asset.mock, infer_schema_length=None) if asset.mock else pl.DataFrame()
    columns = []
    for col in asset.schema:
        name, dtype = col["name"], _dtype(col["dtype"])
        expr = pl.col(name) if name in frame.columns else pl.lit(None).alias(name)
        if dtype in (pl.Date, pl.Datetime) and name in frame.columns:
            kind = frame.schema[name]
            if kind == pl.String:
                expr = expr.str.to_date() if dtype == pl.Date else expr.str.to_datetime()
        columns.append(expr.cast(dtype, strict=False) if dtype is not None else expr)
    return frame.select(columns) if columns else frame


def _dtype(name: str) -> Any:
    import polars as pl

    head = name.split("(")[0]
    if head in ("Categorical", "Enum"):
        return pl.String
    if head == "Datetime":
        return pl.Datetime
    if head == "Decimal":
        return pl.Float64
    found = getattr(pl, head, None)
    return found if isinstance(found, type | pl.DataType) else None


def _run(recipe: Any, data: Any) -> Any:
    """Run a recipe in the sandbox: on a table (the mock twin) or on verified file bytes,
    written to a private temp file the sandbox copies read-only for its child."""
    from tiro.manufacturing.library.sandbox import default_limits, run, run_frame

    if not isinstance(data, bytes):
        return run_frame(recipe, data, limits=default_limits())
    with tempfile.TemporaryDirectory(prefix="tiro-library-") as tmp:
        path = Path(tmp) / "data.parquet"
        path.write_bytes(data)
        path.chmod(0o400)
        return run(recipe, path, limits=default_limits())


def _resources(result: Any) -> dict[str, Any]:
    return {"cpu_seconds": result.cpu_seconds, "wall_seconds": result.wall_seconds,
            "max_rss_mb": result.max_rss_mb}  # fmt: skip


def submit(
    *,
    session: Session,
    actor: str | Actor,
    contract_id: int,
    recipe: dict[str, Any],
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Queue a compute request once it has run on the mock twin; pending until decided."""
    from tiro.manufacturing.library.recipes import model_type, recipe_json, validate_recipe

    payload = {"contract": contract_id, "recipe_kind": (recipe or {}).get("kind")
               if isinstance(recipe, dict) else None}  # fmt: skip

    def act() -> dict[str, Any]:
        who = resolve(session, actor)
        contract = get_contract(session, contract_id)
        require(who, ("analyst",), contract.organisation, f"submit under contract {contract_id}")
        asset = session.get(LibraryAsset, contract.asset_id)
        terms = _check_contract_use(session, contract, asset, today or dt.date.today())
        spec = validate_recipe(recipe, columns=[c["name"] for c in asset.schema])
        kind = model_type(spec)
        if kind is not None and kind not in terms.allowed_model_types:
            allowed = ", ".join(terms.allowed_model_types) or "none"
            raise Forbidden(
                f"model type {kind!r} is not allowed by contract {contract_id} "
                f"(allowed: {allowed})",
                field="model_type",
            )
        trial = _run(spec, mock_frame(asset))
        if trial.status != "ok":
            how = "was stopped" if trial.status == "killed" else "failed"
            raise InvalidInput(f"the recipe {how} on the mock twin: {trial.reason}", field="recipe")
        shape = _shape(trial.output)
        row = LibraryRequest(
            contract_id=contract.id, asset_id=asset.id, recipe_kind=spec.kind,
            recipe=recipe_json(spec), state="pending", submitted_by=who.name,
            mock_run={"status": trial.status, **shape, **_resources(trial)},
        )  # fmt: skip
        session.add(row)
        session.flush()
        out = request_dict(row)
        audit(session, who.name, "request.submit", ENTITY, row.id, after=out)
        return out

    return _step(session, actor, "submit", contract_id, payload, act)


def _shape(output: Any) -> dict[str, Any]:
    if hasattr(output, "columns"):
        return {"output": "table", "columns": list(output.columns), "rows": output.height}
    return {"output": "values", "keys": sorted(output) if isinstance(output, dict) else []}


def _decide(
    session: Session, actor: str | Actor, request_id: int, new_state: str, note: str | None
) -> dict[str, Any]:
    step = {"approved": "approve", "rejected": "reject"}[new_state]

    def act() -> dict[str, Any]:
        who = resolve(session, actor)
        row = get_request(session, request_id)
        asset = session.get(LibraryAsset, row.asset_id)
        require(who, PROVIDER, asset.organisation, f"{step} request {request_id}", admin=True)
        if who.name == row.submitted_by:
            raise Forbidden(
                f"{who.name} submitted request {request_id} and may not also {step} it",
                field="actor",
            )
        why = None if note is None else text(note, "note", 2000)
        if new_state == "rejected" and why is None:
            raise InvalidInput("a rejection needs a reason", field="note")
        if row.state != "pending":
            raise Conflict(
                f"request {request_id} is {row.state}; {step} needs pending", field="request"
            )
        before = request_dict(row)
        guarded_transition(session, request_id, "pending", new_state, step,
                           decided_by=who.name, decision_note=why)  # fmt: skip
        out = request_dict(get_request(session, request_id))
        audit(session, who.name, f"request.{step}", ENTITY, request_id, before=before, after=out)
        return out

    return _step(session, actor, step, request_id, {"request": request_id, "note": note}, act)


def approve(
    *, session: Session, actor: str | Actor, request_id: int, note: str | None = None
) -> dict[str, Any]:
    """A steward or owner of the asset's organisation (or an admin) approves a request."""
    return _decide(session, actor, request_id, "approved", note)


def reject(*, session: Session, actor: str | Actor, request_id: int, note: str) -> dict[str, Any]:
    """A steward or owner rejects a request, with the reason."""
    return _decide(session, actor, request_id, "rejected", note)


def execute(
    *,
    session: Session,
    actor: str | Actor,
    request_id: int,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Run an approved request on the real data; release or withhold its result.

    Three transactions: the checks and the claim (approved → running), the sandbox run with
    no transaction open, the outcome (running → released | withheld). A refusal in the
    first leaves the request approved and is audited.
    """
    import polars as pl

    from tiro.manufacturing.library.recipes import validate_recipe
    from tiro.manufacturing.library.release import check_release
    from tiro.manufacturing.library.sandbox import default_limits

    claimed: dict[str, Any] = {}

    def claim() -> dict[str, Any]:
        who = resolve(session, actor)
        row = get_request(session, request_id)
        contract = get_contract(session, row.contract_id)
        asset = session.get(LibraryAsset, row.asset_id)
        if not (who.is_admin or who.has(PROVIDER, asset.organisation)):
            require(who, ("analyst",), contract.organisation, f"execute request {request_id}")
        if row.state != "approved":
            raise Conflict(
                f"request {request_id} is {row.state}; execute needs approved", field="request"
            )
        terms = _check_contract_use(session, contract, asset, today or dt.date.today())
        data = verified_bytes(asset)
        before = request_dict(row)
        guarded_transition(session, request_id, "approved", "running", "execute",
                           executed_by=who.name, data_hash=asset.content_hash)  # fmt: skip
        audit(session, who.name, "request.execute", ENTITY, request_id, before=before,
              after={"state": "running", "data_hash": asset.content_hash})  # fmt: skip
        claimed.update(who=who, data=data, terms=terms, recipe=row.recipe)
        return before

    _step(session, actor, "execute", request_id, {"request": request_id}, claim)
    verdict_reasons: list[str]
    output: Any = None
    resources: dict[str, Any] = {"cpu_seconds": None, "wall_seconds": None, "max_rss_mb": None}
    try:
        spec = validate_recipe(claimed["recipe"])
        result = _run(spec, claimed["data"])
        resources = _resources(result)
        if result.status != "ok":
            verdict_reasons = [f"sandbox {result.status}: {result.reason}"]
        else:
            source = pl.read_parquet(io.BytesIO(claimed["data"]))
            verdict = check_release(result.output, source, claimed["terms"], recipe=spec,
                                    max_output_bytes=default_limits().max_output_bytes)  # fmt: skip
            verdict_reasons = [] if verdict.released else list(verdict.reasons)
            output = result.output if verdict.released else None
    except Exception as exc:  # never leave a claimed request running
        # the kind only: an error's text could quote a value of the real data
        verdict_reasons = [f"internal error ({type(exc).__name__})"]
        output = None

    def finish() -> dict[str, Any]:
        who = claimed["who"]
        if output is not None:
            stored = _result_json(output)
            values = {"result": stored, "result_rows": _rows(output), **resources}
            guarded_transition(session, request_id, "running", "released", "release", **values)
            after = {"state": "released", "result_rows": values["result_rows"],
                     "result_sha256": _digest(stored), **resources}  # fmt: skip
            audit(session, who.name, "request.release", ENTITY, request_id, after=after)
        else:
            reason = "; ".join(verdict_reasons) or "withheld"
            guarded_transition(session, request_id, "running", "withheld", "withhold",
                               withheld_reason=reason, **resources)  # fmt: skip
            audit(session, who.name, "request.withhold", ENTITY, request_id,
                  after={"state": "withheld", "reasons": verdict_reasons, **resources})  # fmt: skip
        return request_dict(get_request(session, request_id))

    return _step(session, actor, "finish", request_id, {"request": request_id}, finish)


def _rows(output: Any) -> int:
    return output.height if hasattr(output, "height") else 1


def _result_json(output: Any) -> dict[str, Any]:
    if hasattr(output, "to_dicts"):
        return {"kind": "table",
                "schema": [{"name": c, "dtype": str(t)} for c, t in output.schema.items()],
                "rows": json_rows(output)}  # fmt: skip
    return {"kind": "values", "values": json.loads(json.dumps(json_safe(output), default=str))}


def _digest(stored: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(stored, sort_keys=True).encode()).hexdigest()


def recover(
    *, session: Session, actor: str | Actor, request_id: int, now: dt.datetime | None = None
) -> dict[str, Any]:
    """Withhold a request left ``running`` by an execution that died before recording its
    outcome (the process was killed, the machine stopped). Only once the sandbox's wall-clock
    limit has passed twice over since the claim, so a live run is never cut short; nothing
    from the lost run is kept. A steward or owner of the asset's organisation (or an admin).
    """
    from tiro.manufacturing.library.sandbox import default_limits

    def act() -> dict[str, Any]:
        who = resolve(session, actor)
        row = get_request(session, request_id)
        asset = session.get(LibraryAsset, row.asset_id)
        require(who, PROVIDER, asset.organisation, f"recover request {request_id}", admin=True)
        if row.state != "running":
            raise Conflict(
                f"request {request_id} is {row.state}; recover needs running", field="request"
            )
        claimed = row.updated_at if row.updated_at.tzinfo else row.updated_at.replace(tzinfo=dt.UTC)
        waited = ((now or dt.datetime.now(dt.UTC)) - claimed).total_seconds()
        grace = 2 * default_limits().wall_seconds
        if waited < grace:
            raise Conflict(
                f"request {request_id} was claimed {waited:.0f} s ago; it may still be running "
                f"(recover after {grace:.0f} s)",
                field="request",
            )
        before = request_dict(row)
        reason = "interrupted: the execution ended without recording an outcome"
        guarded_transition(session, request_id, "running", "withheld", "recover",
                           withheld_reason=reason)  # fmt: skip
        out = request_dict(get_request(session, request_id))
        audit(session, who.name, "request.recover", ENTITY, request_id, before=before, after=out)
        return out

    return _step(session, actor, "recover", request_id, {"request": request_id}, act)
