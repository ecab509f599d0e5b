"""``tiro manufacturing contracts``: access contracts (이용 계약) between owner and consumer.

requested → offered → agreed → finalised | terminated; each step is one guarded service
call, so the offer/agree/finalise commands are made from one template.
"""

from __future__ import annotations

import json

import typer

from tiro.cli.manufacturing_library.common import ASSET, CONTRACT, call, lib
from tiro.cli.output import JSON_OPTION, cli_actor, console, details, emit, table
from tiro.cli.petrochem_common import ACTOR

contracts_app = typer.Typer(
    help="이용 계약 Access contracts: requested → offered → agreed → finalised | terminated.",
    no_args_is_help=True,
)


def _contract_line(d: dict) -> None:
    console.print(f"contract {d['id']} on {d['asset']} for {d['organisation']} "
                  f"({d['purpose']}): {d['state']}")  # fmt: skip


@contracts_app.command("request")
def contracts_request(
    asset: str = ASSET,
    purpose: str = typer.Option(..., "--purpose", help="What the data will be used for."),
    organisation: str | None = typer.Option(
        None, "--organisation", help="Your organisation (default: your only one)."
    ),
    actor: str | None = ACTOR,
    as_json: bool = JSON_OPTION,
) -> None:
    """An analyst requests access to an asset for a purpose."""
    data = call(lib("contracts").request_contract, actor=cli_actor(actor), asset=asset,
                purpose=purpose, organisation=organisation)  # fmt: skip
    emit(data, as_json, _contract_line)


def _contract_step(step: str, help_text: str) -> None:
    def command(
        contract_id: int = CONTRACT, actor: str | None = ACTOR, as_json: bool = JSON_OPTION
    ) -> None:
        data = call(getattr(lib("contracts"), step), actor=cli_actor(actor),
                    contract_id=contract_id)  # fmt: skip
        emit(data, as_json, _contract_line)

    command.__doc__ = help_text
    contracts_app.command(step)(command)


_contract_step("offer", "The owner offers the asset's current policy (frozen into the contract).")
_contract_step("agree", "The consumer's analyst agrees to the offered terms.")
_contract_step("finalise", "The owner or steward finalises an agreed contract.")


@contracts_app.command("terminate")
def contracts_terminate(
    contract_id: int = CONTRACT,
    reason: str = typer.Option(..., "--reason", help="Why the contract ends."),
    actor: str | None = ACTOR,
    as_json: bool = JSON_OPTION,
) -> None:
    """Either side ends a contract; no compute request may run under it afterwards."""
    data = call(lib("contracts").terminate, actor=cli_actor(actor), contract_id=contract_id,
                reason=reason)  # fmt: skip
    emit(data, as_json, _contract_line)


@contracts_app.command("list")
def contracts_list(
    state: str | None = typer.Option(None, "--state", help="Only contracts in this state."),
    actor: str | None = ACTOR,
    as_json: bool = JSON_OPTION,
) -> None:
    """Contracts you are party to (auditors: all)."""
    data = call(lib("views").list_contracts, actor=cli_actor(actor), state=state)
    cols = ["id", "asset", "organisation", "purpose", "state", "expires_on"]
    emit(data, as_json, lambda rows: console.print(table(
        f"contracts: {len(rows)}", cols, [[str(r[c] or "") for c in cols] for r in rows])))  # fmt: skip


@contracts_app.command("show")
def contracts_show(
    contract_id: int = CONTRACT, actor: str | None = ACTOR, as_json: bool = JSON_OPTION
) -> None:
    """One contract with its terms snapshot."""
    data = call(lib("views").show_contract, actor=cli_actor(actor), contract_id=contract_id)
    emit(data, as_json, lambda d: console.print(details(
        f"contract {d['id']}", [(k, json.dumps(v, default=str) if isinstance(v, dict) else str(v))
                                for k, v in d.items() if k != "id"])))  # fmt: skip
