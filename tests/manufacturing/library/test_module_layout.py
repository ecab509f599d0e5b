"""The library's API and CLI are split into one module per mechanism without changing what
clients see: the published paths in their order, the schema names of the request bodies,
and the help lines ``tiro manufacturing`` shows before it loads the sub-apps."""

from __future__ import annotations

import typer

from tiro.api.app import create_app

PREFIX = "/api/v1/manufacturing/library"
PATHS = [
    "/members",
    "/assets",
    "/assets/{asset}",
    "/assets/upload",
    "/assets/{asset}/policy",
    "/contracts",
    "/contracts/{contract_id}",
    "/contracts/{contract_id}/offer",
    "/contracts/{contract_id}/agree",
    "/contracts/{contract_id}/finalise",
    "/contracts/{contract_id}/terminate",
    "/requests",
    "/requests/{request_id}",
    "/requests/{request_id}/approve",
    "/requests/{request_id}/reject",
    "/requests/{request_id}/execute",
    "/requests/{request_id}/recover",
    "/requests/{request_id}/result",
    "/audit",
]
"""The order of the paths in /openapi.json before the split (members, assets with policies,
contracts, compute requests, audit)."""


def _routes(routes: list) -> list:
    out = []
    for route in routes:
        out += (
            _routes(route.original_router.routes) if hasattr(route, "original_router") else [route]
        )
    return out


def test_paths_keep_their_order_and_each_lives_in_its_mechanism_module(tmp_path) -> None:
    app = create_app(f"sqlite:///{tmp_path / 'layout.db'}")
    published = [p.removeprefix(PREFIX) for p in app.openapi()["paths"] if p.startswith(PREFIX)]
    assert published == PATHS
    library = [r for r in _routes(app.routes) if getattr(r, "path", "").startswith(PREFIX)]
    assert len(library) == 24  # 19 paths: GET and POST on 5 of them
    for route in library:
        first = route.path.removeprefix(PREFIX).split("/")[1]
        mechanism = route.endpoint.__module__.rsplit(".", 1)[1]
        assert mechanism == first, (route.path, route.endpoint.__module__)
        assert route.tags == ["manufacturing: data library"]


def test_bodies_named_like_other_routers_bodies_keep_their_schema_names(tmp_path) -> None:
    """SubmitBody and RejectBody clash with invest's and energy subsidies' bodies, so the
    OpenAPI names them by module: the names clients generated types from stay the same."""
    doc = create_app(f"sqlite:///{tmp_path / 'layout.db'}").openapi()

    def body_ref(path: str) -> str:
        content = doc["paths"][PREFIX + path]["post"]["requestBody"]["content"]
        return content["application/json"]["schema"]["$ref"]

    old = "#/components/schemas/tiro__api__routers__manufacturing_library__"
    assert body_ref("/requests") == old + "SubmitBody"
    assert body_ref("/requests/{request_id}/reject") == old + "RejectBody"
    assert body_ref("/contracts") == "#/components/schemas/ContractBody"


def test_lazy_help_lines_match_the_sub_apps() -> None:
    """``tiro manufacturing --help`` prints LIBRARY_APPS without importing the sub-apps; each
    line must be the help of the app its mechanism module defines."""
    from tiro.cli import manufacturing_library
    from tiro.cli.manufacturing import LIBRARY_APPS

    modules = {"assets": "assets", "policies": "assets", "contracts": "contracts",
               "requests": "requests", "members": "members", "library": "library"}  # fmt: skip
    assert [name for name, _ in LIBRARY_APPS] == list(modules)
    for name, text in LIBRARY_APPS:
        sub_app = getattr(manufacturing_library, f"{name}_app")
        assert typer.main.get_command(sub_app).help == text
        assert sub_app.registered_commands[0].callback.__module__ == (
            f"tiro.cli.manufacturing_library.{modules[name]}"
        )
