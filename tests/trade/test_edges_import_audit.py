"""``POST /api/v1/trade/import`` audits the caller by name.

Found by T-BREAK reading the route: the actor was ``getattr(user, "email", None) or
str(user)``, but a tiro user has a ``name`` and no ``email`` and no ``__str__``, so every
import over HTTP was audited as ``<tiro.core.models.User object at 0x…>`` — who imported the
batch was lost from the audit trail.
"""

from __future__ import annotations

import sqlalchemy as sa

from tiro.core.db import get_engine

CSV = "period,reporter,partner,product,flow,value\n2025,KOR,CHN,8542,X,100\n"


def test_an_http_import_is_audited_as_the_callers_name(api_client, auth_headers, configured):
    headers = {**auth_headers("operator"), "content-type": "text/plain"}
    r = api_client.post("/api/v1/trade/import", content=CSV, headers=headers)
    assert r.status_code == 200, r.text
    with get_engine(configured).connect() as conn:
        actors = (
            conn.execute(sa.text("SELECT actor FROM audit_log WHERE action = 'trade.import'"))
            .scalars()
            .all()
        )
    assert len(actors) == 1
    assert actors[0].startswith("operator-"), actors  # the name auth_headers gave the user
