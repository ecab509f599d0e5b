"""The data library section of /manufacturing in headless Chromium, as three members.

A live server of its own (a fresh database and data directory) holds the real rpart:solder
data registered by its owner; the steward approves from the page, the analyst executes and
reads the released result, a withheld request shows its reason and no data, and an auditor
sees the catalogue and states but no result and no step buttons. Expected values are
computed here from the dataset itself, not read back from the API.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from tests.manufacturing.library.library_factories import BY_MASK, CONSUMER, OWNER_ORG, PEOPLE
from tests.servers import serve

pytestmark = pytest.mark.browser

L = "/api/v1/manufacturing/library"
HEAD = {"kind": "user_code", "source": "def analyse(frame):\n    return frame.head()\n"}


@pytest.fixture(scope="module")
def library_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict, dict]]:
    """Live server; solder registered, a finalised contract, one request pending (by mask)
    and one executed and withheld (head)."""
    from fastapi.testclient import TestClient

    from tiro.api.app import create_app
    from tiro.core import auth, migrate
    from tiro.core.db import _engine_for, get_engine, session_scope
    from tiro.core.settings import get_settings
    from tiro.manufacturing.library import members

    base = tmp_path_factory.mktemp("library-page")
    url = f"sqlite:///{base / 'tiro.db'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TIRO_DATABASE_URL", url)
        patch.setenv("TIRO_DATA_DIR", str(base / "var"))
        get_settings.cache_clear()
        migrate.upgrade(url)
        tokens = {}
        with session_scope(get_engine(url)) as s:
            for name, role, _, _ in PEOPLE:
                auth.add_user(session=s, name=name, role=role, actor="test")
                tokens[name] = auth.issue_token(session=s, name=name, actor="test")
        with session_scope(get_engine(url)) as s:
            for name, _, org, role in PEOPLE:
                if org:
                    members.add_member(session=s, actor="admin", user=name, organisation=org,
                                       role=role)  # fmt: skip
        app = create_app(url)
        h = {n: {"Authorization": f"Bearer {t}"} for n, t in tokens.items()}
        ids: dict[str, int] = {}
        with TestClient(app) as c:
            a = c.post(f"{L}/assets", headers=h["olivia"],
                       json={"dataset": "rpart:solder", "organisation": OWNER_ORG})  # fmt: skip
            assert a.status_code == 201, a.text
            c.post(f"{L}/assets/rpart:solder/policy", headers=h["olivia"], json={
                "purposes": ["quality_improvement"], "organisations": [OWNER_ORG, CONSUMER],
                "expires_on": (dt.date.today() + dt.timedelta(days=30)).isoformat(),
                "min_group_size": 5, "max_rows": 100, "allowed_model_types": ["user_code"],
            }).raise_for_status()  # fmt: skip
            cid = c.post(f"{L}/contracts", headers=h["ana"],
                         json={"asset": "rpart:solder", "purpose": "quality_improvement"}).json()["id"]  # fmt: skip
            for step, who in (("offer", "olivia"), ("agree", "ana"), ("finalise", "sam")):
                c.post(f"{L}/contracts/{cid}/{step}", headers=h[who]).raise_for_status()
            for name, recipe in (("by_mask", BY_MASK), ("head", HEAD)):
                r = c.post(f"{L}/requests", headers=h["ana"],
                           json={"contract_id": cid, "recipe": recipe})  # fmt: skip
                assert r.status_code == 201, r.text
                ids[name] = r.json()["id"]
            c.post(f"{L}/requests/{ids['head']}/approve", headers=h["sam"]).raise_for_status()
            c.post(f"{L}/requests/{ids['head']}/execute", headers=h["ana"]).raise_for_status()
        with serve(app) as base:
            yield base, tokens, ids
        get_settings.cache_clear()
    _engine_for(url).dispose()


def _open(browser, base: str, token: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=base, locale="ko-KR")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto("/manufacturing")
    page.fill("#lib-token", token)
    page.click("#lib-auth-form button[type=submit]")
    page.wait_for_selector("#lib-assets tbody tr[data-asset]")
    return context, page, errors


def _row(page, kind: str, ident: int):  # type: ignore[no-untyped-def]
    return page.locator(f"#lib-{kind}s tbody tr[data-{kind}='{ident}']")


def test_catalogue_shows_owner_hash_and_mock_never_rows(browser, library_server) -> None:
    from tiro.manufacturing.quality import datasets

    base, tokens, _ = library_server
    context, page, errors = _open(browser, base, tokens["ana"])
    row = page.locator("#lib-assets tbody tr[data-asset='rpart:solder']")
    text = row.inner_text()
    assert OWNER_ORG in text and "confidential" in text and "900" in text
    assert "…" in row.locator("code.hash").inner_text()
    row.locator("summary").click()
    page.wait_for_selector("#lib-assets .lib-mock tbody tr")
    mock = row.locator(".lib-mock").inner_text()
    real_masks = set(datasets.load("rpart:solder")["Mask"].unique().to_list())
    assert not any(m in mock.split() for m in real_masks)  # synthetic labels only
    assert "Mask_" in mock
    assert errors == []
    context.close()


def test_steward_approves_analyst_executes_and_reads_the_released_result(
    browser, library_server
) -> None:
    from tiro.manufacturing.quality import datasets

    base, tokens, ids = library_server
    rid = ids["by_mask"]
    context, page, errors = _open(browser, base, tokens["sam"])
    page.wait_for_selector(f"#lib-requests tr[data-request='{rid}'] button[data-step=approve]")
    # the steward sees no execute/agree buttons that belong to the analyst
    assert _row(page, "request", rid).get_attribute("data-state") == "pending"
    _row(page, "request", rid).locator("button[data-step=approve]").click()
    page.wait_for_selector(f"#lib-requests tr[data-request='{rid}'][data-state=approved]")
    assert "approved" in page.locator("#lib-status").inner_text()
    context.close()

    context, page, errors2 = _open(browser, base, tokens["ana"])
    page.wait_for_selector(f"#lib-requests tr[data-request='{rid}'] button[data-step=execute]")
    _row(page, "request", rid).locator("button[data-step=execute]").click()
    page.wait_for_selector(f"#lib-requests tr[data-request='{rid}'][data-state=released] .lib-mock",
                           timeout=60000)  # fmt: skip
    released = _row(page, "request", rid).locator(".outcome").inner_text()
    solder = datasets.load("rpart:solder")
    means = solder.group_by("Mask").agg(n=__import__("polars").len(),
                                        m=__import__("polars").col("skips").mean())  # fmt: skip
    a15 = means.filter(means["Mask"] == "A1.5").row(0, named=True)
    assert "A1.5" in released and str(a15["n"]) in released
    assert f"{a15['m']:.4f}"[:5] in released  # 0.42... shown by the page
    withheld = _row(page, "request", ids["head"]).locator(".outcome").inner_text()
    assert "withheld" in withheld and "raw_row_copy" in withheld
    assert _row(page, "request", ids["head"]).locator("table").count() == 0  # no data
    assert errors == [] and errors2 == []
    context.close()


def test_analyst_requests_a_contract_from_the_form(browser, library_server) -> None:
    base, tokens, _ = library_server
    context, page, errors = _open(browser, base, tokens["ana"])
    page.wait_for_selector("#lib-analyst-forms:not([hidden])")
    page.fill("#lib-contract-form input[name=purpose]", "quality_improvement")
    page.click("#lib-contract-form button[type=submit]")
    page.wait_for_selector("#lib-contracts tbody tr[data-state=requested]")
    assert "requested" in page.locator("#lib-status").inner_text()
    # a purpose outside the policy is refused with the reason (and audited by the service)
    page.fill("#lib-contract-form input[name=purpose]", "marketing")
    page.click("#lib-contract-form button[type=submit]")
    page.wait_for_function("document.getElementById('lib-error').textContent.includes('403')")
    assert "purpose" in page.locator("#lib-error").inner_text()
    assert errors == []
    context.close()


def test_auditor_sees_states_but_no_result_and_no_steps(browser, library_server) -> None:
    base, tokens, ids = library_server
    context, page, errors = _open(browser, base, tokens["aud"])
    page.wait_for_selector(f"#lib-requests tr[data-request='{ids['head']}']")
    assert page.locator("#lib-requests button, #lib-contracts button").count() == 0
    assert page.locator("#lib-analyst-forms").is_hidden()
    assert page.locator("#lib-requests .lib-mock").count() == 0
    assert errors == []
    context.close()


def test_owner_offers_the_requested_contract_from_the_page(browser, library_server) -> None:
    """Runs after the analyst's form test: the owner sees 'offer' on that request and the
    policy is frozen into the contract; the analyst then sees 'agree'."""
    base, tokens, _ = library_server
    context, page, errors = _open(browser, base, tokens["olivia"])
    requested = page.locator("#lib-contracts tbody tr[data-state=requested]")
    requested.first.wait_for()
    ident = requested.first.get_attribute("data-contract")
    assert requested.first.locator("button[data-step=agree]").count() == 0
    requested.first.locator("button[data-step=offer]").click()
    page.wait_for_selector(f"#lib-contracts tr[data-contract='{ident}'][data-state=offered]")
    assert errors == []
    context.close()
    context, page, errors = _open(browser, base, tokens["ana"])
    row = page.locator(f"#lib-contracts tr[data-contract='{ident}']")
    row.locator("button[data-step=agree]").wait_for()
    assert row.locator("button[data-step=offer]").count() == 0
    assert errors == []
    context.close()
