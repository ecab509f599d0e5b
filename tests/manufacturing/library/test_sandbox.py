"""The compute-to-data sandbox: real answers, and every way out stopped (issue 17).

Each denial runs real user code in the real child process; the limits are small so the
suite stays quick, and each test asserts the rule named in the reason and what was measured.
"""

from __future__ import annotations

import hashlib
import socket
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import polars as pl
import pytest

from tiro.core.errors import NotFound
from tiro.manufacturing.knowledge import rules
from tiro.manufacturing.library.mock import mock_twin
from tiro.manufacturing.library.recipes import validate_recipe
from tiro.manufacturing.library.sandbox import Limits, default_limits, run, run_frame
from tiro.manufacturing.library.sandbox.isolation import (
    isolation_mode,
    namespace_prefix,
    namespaces_available,
)
from tiro.manufacturing.quality import datasets, workbench

QUICK = Limits(cpu_seconds=5, memory_mb=3072, wall_seconds=60, max_output_bytes=1 << 20)


def code(body: str) -> object:
    return validate_recipe({"kind": "user_code", "source": textwrap.dedent(body)})


@pytest.fixture
def asset(tmp_path: Path) -> Path:
    """The solder data as a Parquet file in an 'assets' directory of its own."""
    folder = tmp_path / "assets"
    folder.mkdir()
    path = folder / "solder.parquet"
    datasets.load("rpart:solder").write_parquet(path)
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- answers -----------------------------------------------------------------------------


def test_aggregate_matches_plain_polars(asset: Path):
    frame = pl.read_parquet(asset)
    expected = frame.group_by("Mask").agg(pl.len().alias("n"), pl.col("skips").mean()).sort("Mask")
    recipe = validate_recipe(
        {"kind": "aggregate", "group_by": ["Mask"],
         "metrics": [{"column": "skips", "fn": "mean"}]}
    )  # fmt: skip
    result = run(recipe, asset, limits=QUICK)
    assert result.status == "ok", result.reason
    got = result.output
    assert got["Mask"].to_list() == ["A1.5", "A3", "A6", "B3", "B6"]
    assert got["n"].to_list() == expected["n"].to_list() == [180, 270, 90, 180, 180]
    assert got["skips_mean"].to_list() == pytest.approx(expected["skips"].to_list())
    # A6: hand check of one group against the rows themselves
    a6 = [r["skips"] for r in frame.to_dicts() if r["Mask"] == "A6"]
    assert got.filter(pl.col("Mask") == "A6")["skips_mean"][0] == pytest.approx(sum(a6) / len(a6))
    assert result.cpu_seconds > 0 and result.max_rss_mb > 10 and result.wall_seconds > 0


def test_filtered_aggregate_and_user_code_agree(asset: Path):
    frame = pl.read_parquet(asset)
    thin = frame.filter(pl.col("Solder") == "Thin")
    recipe = validate_recipe(
        {"kind": "aggregate", "filters": [{"column": "Solder", "op": "==", "value": "Thin"}],
         "metrics": [{"column": "skips", "fn": "sum"}, {"column": "skips", "fn": "max"}]}
    )  # fmt: skip
    agg = run(recipe, asset, limits=QUICK)
    user = run(
        code("""
            def analyse(frame):
                thin = frame.filter(pl.col("Solder") == "Thin")
                return {"n": thin.height, "total": int(thin["skips"].sum())}
        """),
        asset,
        limits=QUICK,
    )
    assert agg.status == user.status == "ok"
    assert agg.output.to_dicts() == [
        {"n": 450, "skips_sum": int(thin["skips"].sum()), "skips_max": int(thin["skips"].max())}
    ]
    assert user.output == {"n": 450, "total": int(thin["skips"].sum())}


def test_rule_score_and_training_equal_the_engines_in_process(asset: Path):
    frame = pl.read_parquet(asset)
    cond = [{"column": "Opening", "op": "==", "value": "S"}]
    outcome = {"column": "skips", "op": ">=", "value": 10}
    scored = run(validate_recipe({"kind": "rule_score", "conditions": cond, "outcome": outcome}),
                 asset, limits=QUICK)  # fmt: skip
    assert scored.status == "ok"
    assert scored.output == pytest.approx(rules.score(frame, cond, outcome))
    trained = run(validate_recipe({"kind": "train", "preset": "solder_defect_count"}), asset,
                  limits=QUICK)  # fmt: skip
    assert trained.status == "ok", trained.reason
    direct = workbench.train(frame, workbench.Recipe(**{
        **workbench.RECIPES["solder_defect_count"].__dict__, "dataset": "library:asset"}))  # fmt: skip
    assert trained.output["coefficients"] == pytest.approx(direct["coefficients"])
    assert trained.output["metrics"]["deviance_explained"] == pytest.approx(
        direct["metrics"]["deviance_explained"]
    )


def test_a_recipe_runs_on_the_mock_twin_through_the_same_sandbox():
    twin = mock_twin(datasets.load("rpart:solder"), rows=40, seed=3)
    recipe = validate_recipe({"kind": "aggregate", "group_by": ["Mask"]})
    result = run_frame(recipe, twin, limits=QUICK)
    assert result.status == "ok"
    assert result.output["n"].sum() == 40
    assert set(result.output["Mask"]) <= {f"Mask_{i}" for i in range(1, 6)}


def test_a_recipe_error_names_its_field(asset: Path):
    recipe = validate_recipe({"kind": "aggregate", "metrics": [{"column": "Mask", "fn": "mean"}]})
    result = run(recipe, asset, limits=QUICK)
    assert (result.status, result.reason) == ("failed", "metrics[0].fn: Mask is not numeric")


def test_the_temp_directory_is_removed_and_the_child_may_write_inside_it(asset, monkeypatch):
    scratch = asset.parent.parent / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    result = run(
        code("""
            import os
            def analyse(frame):
                with open("notes.txt", "w") as f:
                    f.write("x")
                return {"cwd_files": len(os.listdir(".")), "n": frame.height}
        """),
        asset,
        limits=QUICK,
    )
    assert result.status == "ok", result.reason
    assert result.output == {"cwd_files": 3, "n": 900}  # data copy, request, notes
    assert list(scratch.iterdir()) == []


def test_default_limits_come_from_the_parameters():
    limits = default_limits()
    assert (limits.cpu_seconds, limits.memory_mb, limits.wall_seconds) == (30, 3072, 60)
    assert limits.max_output_bytes == 1_048_576
    with pytest.raises(NotFound) as err:
        run(code("def analyse(frame):\n    return {}"), Path("/nonexistent/x.parquet"))
    assert err.value.field == "data_path"


# --- denials -----------------------------------------------------------------------------


def test_a_socket_is_refused(asset: Path):
    result = run(
        code("""
            import socket
            def analyse(frame):
                s = socket.socket()
                s.connect(("127.0.0.1", 9))
                return {"n": frame.height}
        """),
        asset,
        limits=QUICK,
    )
    assert (result.status, result.reason) == ("killed", "import: refused import socket")


def test_a_socket_module_held_from_before_the_hook_is_refused_on_use(tmp_path: Path):
    """The hook forgets socket from sys.modules; a reference kept from before still fails
    at socket.__new__ (exit code 70 and a fixed-form refusal on the result descriptor)."""
    script = (
        "import os, socket, sys\n"
        "from tiro.manufacturing.library.sandbox import guard\n"
        "r, w = os.pipe()\n"
        f"guard.install({str(tmp_path)!r}, w, [])\n"
        "try:\n"
        "    socket.socket()\n"
        "finally:\n"
        "    print('not reached')\n"
    )
    done = subprocess.run([sys.executable, "-I", "-c", script], capture_output=True, timeout=60)
    assert done.returncode == 70
    assert b"not reached" not in done.stdout


def test_urllib_is_refused(asset: Path):
    result = run(
        code("""
            def analyse(frame):
                import urllib.request
                return {"page": urllib.request.urlopen("http://example.com").read()[:10]}
        """),
        asset,
        limits=QUICK,
    )
    assert (result.status, result.reason) == ("killed", "import: refused import urllib.request")


@pytest.mark.skipif(not namespaces_available(), reason="no user namespaces on this machine")
def test_the_network_namespace_has_no_route_even_without_the_hook(tmp_path: Path):
    """A plain socket in the wrapper (no audit hook) cannot reach a server on the host."""
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    probe = f"import socket; socket.create_connection(('127.0.0.1', {port}), timeout=3)"
    try:
        outside = subprocess.run([sys.executable, "-c", probe], capture_output=True, timeout=30)
        inside = subprocess.run(
            [*namespace_prefix(tmp_path), sys.executable, "-c", probe],
            capture_output=True, timeout=30, cwd=tmp_path,
        )  # fmt: skip
    finally:
        server.close()
    assert outside.returncode == 0
    assert inside.returncode != 0
    assert b"ConnectionRefusedError" in inside.stderr or b"unreachable" in inside.stderr


def test_cpu_time_is_limited(asset: Path):
    limits = Limits(cpu_seconds=2, memory_mb=3072, wall_seconds=120, max_output_bytes=1 << 20)
    result = run(code("def analyse(frame):\n    while True:\n        pass\n"), asset, limits=limits)
    assert result.status == "killed"
    assert result.reason.startswith("cpu_seconds: stopped at the CPU-time limit of 2 s after ")
    assert 2.0 <= result.cpu_seconds < 4.0  # SIGXCPU at 2 s, SIGKILL at 3 s at the latest


def test_memory_is_limited(asset: Path):
    result = run(
        code("def analyse(frame):\n    block = bytearray(4 * 1024**3)\n    return {'n': 1}\n"),
        asset,
        limits=QUICK,
    )
    assert result.status == "killed"
    assert result.reason == (
        "memory_mb: an allocation was refused at the memory limit of 3072 MB (MemoryError)"
    )
    assert result.max_rss_mb < 3072


def test_wall_time_is_limited(asset: Path):
    limits = Limits(cpu_seconds=30, memory_mb=3072, wall_seconds=3, max_output_bytes=1 << 20)
    result = run(code("import time\ndef analyse(frame):\n    time.sleep(60)\n"), asset,
                 limits=limits)  # fmt: skip
    assert (result.status, result.reason) == (
        "killed", "wall_seconds: stopped at the wall-clock limit of 3 s")  # fmt: skip
    assert 3.0 <= result.wall_seconds < 6.0
    assert result.cpu_seconds < 3.0  # sleeping, not computing


def test_writing_into_the_asset_directory_is_refused(asset: Path):
    before = digest(asset)
    result = run(
        code(f"""
            def analyse(frame):
                with open({str(asset.parent / "stolen.csv")!r}, "w") as f:
                    f.write("x")
                return {{"n": frame.height}}
        """),
        asset,
        limits=QUICK,
    )
    assert result.status == "killed"
    assert result.reason == "filesystem: refused open for writing outside the run directory"
    assert sorted(p.name for p in asset.parent.iterdir()) == ["solder.parquet"]
    assert digest(asset) == before


def test_overwriting_the_asset_from_native_code_cannot_change_it(asset: Path):
    """Polars writes from Rust, below the audit hook: the namespaces (read-only mounts, the
    asset's directory hidden) stop it; without them the parent's hash check reports it."""
    before = digest(asset)
    result = run(
        code(f"""
            def analyse(frame):
                frame.head(1).write_csv({str(asset)!r})
                return {{"n": frame.height}}
        """),
        asset,
        limits=QUICK,
    )
    if namespaces_available():
        # read-only mounts: OSError (EROFS); a minimal root: the path does not exist
        assert result.status == "failed"
        assert result.reason in ("user_code: OSError on line 3",
                                 "user_code: FileNotFoundError on line 3")  # fmt: skip
        assert digest(asset) == before
    else:
        assert result.reason == "asset_modified: the asset file changed during the run"


def test_reading_outside_the_run_directory_is_refused(asset: Path):
    result = run(code("def analyse(frame):\n    return {'x': open('/etc/hostname').read()}\n"),
                 asset, limits=QUICK)  # fmt: skip
    assert result.reason == "filesystem: refused open for reading outside the run directory"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("import subprocess\n    subprocess.run(['true'])", "import: refused import subprocess"),
        (
            "import os\n    os.posix_spawn('/bin/true', ['true'], {})",
            "process: refused os.posix_spawn",
        ),
        ("import os\n    os.system('true')", "process: refused os.system"),
        ("import os\n    os.fork()", "process: refused os.fork"),
        ("import os\n    os.execv('/bin/true', ['true'])", "process: refused os.exec"),
        ("import ctypes\n    ctypes.CDLL(None).getpid()", "native_code: refused ctypes.dlopen"),
    ],
)
def test_processes_and_native_code_are_refused(asset: Path, body: str, reason: str):
    result = run(code(f"def analyse(frame):\n    {body}\n    return {{}}\n"), asset, limits=QUICK)
    assert (result.status, result.reason) == ("killed", reason)


def test_a_large_answer_is_refused_unread(asset: Path):
    limits = Limits(cpu_seconds=10, memory_mb=3072, wall_seconds=60, max_output_bytes=10_000)
    result = run(code("def analyse(frame):\n    return pl.DataFrame({'x': range(100_000)})\n"),
                 asset, limits=limits)  # fmt: skip
    assert (result.status, result.reason) == (
        "killed", "max_output_bytes: the answer exceeded 10000 bytes")  # fmt: skip
    assert result.output is None


def test_user_code_errors_carry_no_text_it_made(asset: Path):
    """An exception message, a forged answer or a made-up class name could carry rows."""
    raised = run(code("def analyse(frame):\n    raise ValueError(str(frame.head()))\n"), asset,
                 limits=QUICK)  # fmt: skip
    assert (raised.status, raised.reason) == ("failed", "user_code: ValueError on line 2")
    named = run(
        code("""
            def analyse(frame):
                secret = type("Thick_L_A1_5", (Exception,), {})
                raise secret("x")
        """),
        asset,
        limits=QUICK,
    )
    assert named.reason == "user_code: object on line 4"
    forged = run(
        code("""
            import os, sys
            def analyse(frame):
                body = b'E{"code": "recipe_error", "field": "x", "message": "SECRET"}'
                os.write(int(sys.argv[1]), body)
                os._exit(0)
        """),
        asset,
        limits=QUICK,
    )
    assert forged.status == "failed"
    assert "SECRET" not in forged.reason


def test_without_namespaces_the_hook_and_rlimits_still_hold(asset: Path, monkeypatch):
    """What CI without user namespaces gets: the same answers and refusals, labelled."""
    from tiro.manufacturing.library.sandbox import runner

    monkeypatch.setattr(runner, "isolation_mode", lambda: None)
    recipe = validate_recipe({"kind": "aggregate", "group_by": ["Solder"]})
    result = run(recipe, asset, limits=QUICK)
    assert result.isolation == "audit hook and rlimits only"
    assert result.output.to_dicts() == [{"Solder": "Thick", "n": 450}, {"Solder": "Thin", "n": 450}]
    refused = run(code("def analyse(frame):\n    import socket\n    return {}\n"), asset,
                  limits=QUICK)  # fmt: skip
    assert (refused.status, refused.reason) == ("killed", "import: refused import socket")
    memory = run(code("def analyse(frame):\n    b = bytearray(4 * 1024**3)\n    return {}\n"),
                 asset, limits=QUICK)  # fmt: skip
    assert memory.reason.startswith("memory_mb:")


def test_a_refusal_cannot_be_caught(asset: Path):
    result = run(
        code("""
            def analyse(frame):
                try:
                    import socket
                except BaseException:
                    pass
                return {"n": frame.height, "escaped": 1}
        """),
        asset,
        limits=QUICK,
    )
    assert (result.status, result.reason, result.output) == (
        "killed", "import: refused import socket", None)  # fmt: skip


@pytest.mark.skipif(not namespaces_available(), reason="no user namespaces on this machine")
def test_another_asset_beside_this_one_cannot_be_read_even_natively(asset: Path):
    """The asset's directory is covered by an empty read-only tmpfs in the child: Polars'
    Rust reader (below the audit hook) finds nothing there."""
    other = asset.parent / "other_owner.csv"
    other.write_text("secret\n42\n")
    result = run(
        code(f"""
            def analyse(frame):
                return {{"secret": int(pl.read_csv({str(other)!r})["secret"][0])}}
        """),
        asset,
        limits=QUICK,
    )
    assert result.status == "failed"
    assert result.reason.startswith("user_code: ")
    assert "42" not in result.reason


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"cpu_seconds": 0}, "cpu_seconds"), ({"memory_mb": 32}, "memory_mb"),
     ({"wall_seconds": float("nan")}, "wall_seconds"), ({"max_output_bytes": True},
                                                        "max_output_bytes")],
)  # fmt: skip
def test_bad_limits_name_the_field(kwargs, field):
    from tiro.core.errors import InvalidInput

    base = {"cpu_seconds": 1, "memory_mb": 512, "wall_seconds": 1, "max_output_bytes": 10}
    with pytest.raises(InvalidInput) as err:
        Limits(**{**base, **kwargs})
    assert err.value.field == field


def test_spawning_through_a_module_polars_loaded_is_refused(asset: Path):
    """Found by trying: polars keeps a reference to ``subprocess``, whose ``_fork_exec``
    raises no audit event. The hook takes it out; where namespaces exist, a process that
    still got out would die with the child (it is in the child's PID namespace)."""
    result = run(
        code("""
            import sys, os
            def analyse(frame):
                holders = [m for m in list(sys.modules.values())
                           if type(getattr(m, "subprocess", None)).__name__ == "module"]
                spawn = holders[0].subprocess._fork_exec
                r, w = os.pipe()
                spawn([b"/bin/sh", b"-c", b"sleep 100"], [b"/bin/sh"], True, (w,), None, None,
                      -1, -1, -1, -1, -1, -1, r, w, True, False, -1, None, None, None, -1,
                      None, True)
                return {"n": frame.height}
        """),
        asset,
        limits=QUICK,
    )
    assert (result.status, result.reason) == ("failed", "user_code: PermissionError on line 8")


@pytest.mark.skipif(isolation_mode() != "root", reason="the minimal root is not available here")
def test_in_the_minimal_root_nothing_else_of_the_machine_exists(asset: Path):
    """Native reads (Polars) bypass the hook; in the minimal root there is nothing to read:
    no /etc, no home directory, no data directory — only the system tree, Python, the venv,
    tiro's source and the run directory."""
    import tiro

    source_root = Path(tiro.__file__).resolve().parent.parent
    result = run(
        code(f"""
            import os
            def analyse(frame):
                seen = {{p: int(os.path.exists(p)) for p in
                        ("/etc/passwd", "/etc", "/home", {str(asset)!r}, {str(source_root)!r})}}
                return {{"top": " ".join(sorted(os.listdir("/"))), **seen}}
        """),
        asset,
        limits=QUICK,
    )
    assert result.status == "ok", result.reason
    out = result.output
    assert (out["/etc/passwd"], out["/etc"], out["/home"], out[str(asset)]) == (0, 0, 0, 0)
    assert out[str(source_root)] == 1
    assert "etc" not in out["top"].split() and "usr" in out["top"].split()


@pytest.mark.skipif(not namespaces_available(), reason="no user namespaces on this machine")
def test_the_second_layout_read_only_mounts_also_holds(asset: Path, monkeypatch):
    """Where the minimal root fails its probe, every mount read-only + the data dir hidden."""
    from tiro.manufacturing.library.sandbox import runner

    monkeypatch.setattr(runner, "isolation_mode", lambda: "namespaces")
    before = digest(asset)
    ok = run(validate_recipe({"kind": "aggregate", "group_by": ["Solder"]}), asset, limits=QUICK)
    assert (ok.status, ok.isolation) == ("ok", "namespaces")
    assert ok.output["n"].to_list() == [450, 450]
    native = run(code(f"def analyse(frame):\n    frame.write_csv({str(asset)!r})\n"), asset,
                 limits=QUICK)  # fmt: skip
    assert native.reason in ("user_code: OSError on line 2",
                             "user_code: FileNotFoundError on line 2")  # fmt: skip
    assert digest(asset) == before
