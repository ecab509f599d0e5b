"""``tiro manufacturing assets|policies|contracts|requests|members|library``: the data library.

Thin shell over tiro.manufacturing.library: parse, call one service, print. Every command
acts as ``--actor`` (default TIRO_USER, else the OS user), which must be a tiro user with a
library role; every change and every refusal is audited. No command prints an asset's rows:
``assets show`` gives metadata and the synthetic mock twin, ``requests result`` only a
released result. The sub-apps are mounted lazily by tiro.cli.manufacturing, which names them
here; each lives in the module of its mechanism: ``members`` (library roles), ``assets``
(assets and their usage policies), ``contracts`` (이용 계약), ``requests`` (원격 분석 요청) and
``library`` (seed and audit log), with the shared session and arguments in ``common``.
"""

from __future__ import annotations

from tiro.cli.manufacturing_library.assets import assets_app, policies_app
from tiro.cli.manufacturing_library.contracts import contracts_app
from tiro.cli.manufacturing_library.library import library_app
from tiro.cli.manufacturing_library.members import members_app
from tiro.cli.manufacturing_library.requests import requests_app

__all__ = [
    "assets_app",
    "contracts_app",
    "library_app",
    "members_app",
    "policies_app",
    "requests_app",
]
