"""Usage-policy terms: what a contract allows, as a frozen value snapshotted into the contract.

A policy in the Eclipse Dataspace sense is a set of constraints on use (purpose, who, until
when) plus, for compute-to-data, constraints on what may leave (minimum group size k,
maximum rows, model types). The terms are a value, not a row: the contract stores
``as_dict()`` at offer time, so a later edit of the asset's policy never changes an agreed
contract. ``from_dict`` is strict (unknown keys, wrong types and out-of-range numbers are
refused, naming the field), because it also reads what a user sends.

``allowed_model_types`` lists the model kinds a contract may train or evaluate (the workbench
kinds ``classification``, ``poisson``, ``negbin``, ``linear``, ``weibull``) and
``user_code`` for submitted Python; empty means no models and no user code (aggregates and
rule scores only). The defaults for k and the row limit come from the parameter tree
(``manufacturing.library.min_group_size`` / ``max_rows``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from tiro.core.errors import InvalidInput

MODEL_TYPES = ("classification", "poisson", "negbin", "linear", "weibull", "user_code")
"""Every value ``allowed_model_types`` may hold (the workbench kinds plus user code)."""

_FIELDS = (
    "purposes",
    "organisations",
    "expires_on",
    "min_group_size",
    "max_rows",
    "allowed_model_types",
    "public_categories",
)
_MAX_K = 1_000_000
_MAX_ROWS = 10_000_000


@dataclass(frozen=True)
class PolicyTerms:
    """Constraints on use and on release. Sequences are tuples so the value is hashable.

    ``public_categories`` names text columns whose category labels the owner declares not
    sensitive: the mock twin may show their real labels (default: none — synthetic labels).
    """

    purposes: tuple[str, ...]
    organisations: tuple[str, ...]
    expires_on: dt.date | None
    min_group_size: int
    max_rows: int
    allowed_model_types: tuple[str, ...] = ()
    public_categories: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check(self)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (the contract's snapshot)."""
        out = asdict(self)
        out = {k: list(v) if isinstance(v, tuple) else v for k, v in out.items()}
        out["expires_on"] = None if self.expires_on is None else self.expires_on.isoformat()
        return out

    @classmethod
    def from_dict(cls, data: Any) -> PolicyTerms:
        """Read terms back (a snapshot or a user's body); anything odd names its field."""
        if not isinstance(data, dict):
            raise InvalidInput("policy terms must be a mapping", field="policy")
        extra = sorted(set(data) - set(_FIELDS))
        if extra:
            raise InvalidInput(f"unknown key {extra[0]!r}", field=f"policy.{extra[0]}")
        for key in ("purposes", "organisations", "min_group_size", "max_rows"):
            if key not in data:
                raise InvalidInput("is required", field=f"policy.{key}")
        expires = data.get("expires_on")
        if isinstance(expires, str):
            try:
                expires = dt.date.fromisoformat(expires)
            except ValueError:
                raise InvalidInput(
                    f"{expires!r} is not a date (YYYY-MM-DD)", field="policy.expires_on"
                ) from None
        return cls(
            purposes=_strings(data["purposes"], "purposes"),
            organisations=_strings(data["organisations"], "organisations"),
            expires_on=expires,
            min_group_size=data["min_group_size"],
            max_rows=data["max_rows"],
            allowed_model_types=_strings(
                data.get("allowed_model_types", ()), "allowed_model_types"
            ),
            public_categories=_strings(data.get("public_categories", ()), "public_categories"),
        )

    def refusal(self, *, organisation: str, purpose: str, on: dt.date) -> str | None:
        """Why this organisation may not use the data for this purpose on this date, or None.

        Checked at contract time and again at execution (the issue: expiry and purpose are
        checked twice). The reason names the rule: ``organisation``, ``purpose``, ``expired``.
        """
        if organisation not in self.organisations:
            return f"organisation: {organisation!r} is not a permitted organisation"
        if purpose not in self.purposes:
            return f"purpose: {purpose!r} is not a permitted purpose"
        if self.expires_on is not None and on > self.expires_on:
            return f"expired: the policy expired on {self.expires_on.isoformat()}"
        return None


def _strings(value: Any, name: str) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise InvalidInput("must be a list of text values", field=f"policy.{name}")
    if not all(isinstance(v, str) and 0 < len(v) <= 200 for v in value) or len(value) > 200:
        raise InvalidInput("must be at most 200 texts of 1-200 characters", field=f"policy.{name}")
    return tuple(value)


def _check(terms: PolicyTerms) -> None:
    for name in ("purposes", "organisations", "allowed_model_types", "public_categories"):
        _strings(getattr(terms, name), name)
    if not terms.purposes:
        raise InvalidInput("at least one purpose is needed", field="policy.purposes")
    if not terms.organisations:
        raise InvalidInput("at least one organisation is needed", field="policy.organisations")
    if terms.expires_on is not None and (
        isinstance(terms.expires_on, dt.datetime) or not isinstance(terms.expires_on, dt.date)
    ):
        raise InvalidInput("must be a date or null", field="policy.expires_on")
    for name, top in (("min_group_size", _MAX_K), ("max_rows", _MAX_ROWS)):
        value = getattr(terms, name)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= top:
            raise InvalidInput(f"must be a whole number in 1..{top}", field=f"policy.{name}")
    unknown = [m for m in terms.allowed_model_types if m not in MODEL_TYPES]
    if unknown:
        raise InvalidInput(
            f"unknown model type {unknown[0]!r}; known: {', '.join(MODEL_TYPES)}",
            field="policy.allowed_model_types",
        )


def default_terms(
    *,
    purposes: tuple[str, ...],
    organisations: tuple[str, ...],
    expires_on: dt.date | None = None,
    on: dt.date | None = None,
    scenario: str | None = None,
    **overrides: Any,
) -> PolicyTerms:
    """Terms with k and the row limit from the parameter tree on ``on`` (default today)."""
    from tiro.core.parameters import get_params

    params = get_params(scenario)
    day = on or dt.date.today()
    values = {
        "min_group_size": int(params.at("manufacturing.library.min_group_size", day)),
        "max_rows": int(params.at("manufacturing.library.max_rows", day)),
        **overrides,
    }
    return PolicyTerms(
        purposes=tuple(purposes), organisations=tuple(organisations), expires_on=expires_on,
        **values,
    )  # fmt: skip
