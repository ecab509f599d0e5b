"""Operating-system isolation of the sandbox child, detected once per process.

Two layouts, the first that passes its probe wins: ``root`` — a new read-only root holding
only the OS's /usr tree, Python, the venv, tiro's source, four device files and the run
directory (``WRAP_ROOT``, entered with chroot), so nothing else of the machine can even be
read; ``namespaces`` — the machine's own tree with every mount read-only and the data
directory hidden (``WRAP``, below). Both share the rest. Where unprivileged user
namespaces work (``unshare -rn true`` succeeds), the child runs as:

    unshare -rnm --fork --pid --kill-child --mount-proc  sh -c WRAP…  setpriv … python -I -m …

- ``-n``: a new network namespace with only a down loopback — no route anywhere, whatever
  the code does (Polars' Rust readers, which bypass Python's audit hooks, included);
- ``-m`` + the layout: nothing outside the run's own temp directory can be written — the
  asset file, tiro's own source, the database — again below Python (and, in ``root``,
  nothing else of the machine can be read either: /etc, /root, /home, other assets);
- ``--pid --kill-child``: the child is PID 1 of its namespace; when it dies (or the parent
  kills ``unshare``) the kernel kills every process it may have started;
- ``setpriv``: drops every capability the namespace's root had, so the read-only mounts
  cannot be undone.

Detection runs each wrapper once with a probe (write inside TMP must work, writing next to
it must fail, there must be no network device but ``lo``, and in ``root`` a file next to
TMP must not exist); if both fail, the sandbox falls back to a plain child with the audit
hook and rlimits only, and says so in every result (``isolation``).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

# Bind TMP onto itself (so it is a mount of its own), cover each HIDE directory with an
# empty read-only tmpfs (the library's data directory: other assets, the database), then
# remount every other mount read-only; /proc, /sys and /dev stay as they are (the new /proc
# is the PID namespace's). ``cd`` again at the end: a working directory entered before the
# bind still points into the old, now read-only, mount. Arguments: TMP HIDE... -- COMMAND...
WRAP = r"""
T="$1"; shift
mount --bind "$T" "$T" || exit 90
while [ "$1" != "--" ]; do mount -t tmpfs -o ro,size=4k tiro-hidden "$1" || exit 89; shift; done
shift
for m in $(awk '{print $5}' /proc/self/mountinfo); do
  [ "$m" = "$T" ] && continue
  case "$m" in /proc|/proc/*|/sys|/sys/*|/dev|/dev/pts) continue;; esac
  mount -o remount,bind,ro "$m" 2>/dev/null || exit 91
done
cd "$T" || exit 88
exec "$@"
"""
# The preferred layout: a new, read-only root holding only what the child needs (the OS's
# /usr tree, Python, the venv, tiro's source, four device files) plus the run directory;
# nothing else of the machine — /etc, /root, /home, the data directory, other runs — exists
# inside. Arguments: TMP NEEDED... -- COMMAND... (NEEDED: directories, symlinks or files).
WRAP_ROOT = r"""
T="$1"; shift
R="$(dirname "$T")/root"
mkdir -p "$R" && mount -t tmpfs -o size=4m,mode=755 tiro-root "$R" || exit 80
while [ "$1" != "--" ]; do
  P="$1"; shift
  mkdir -p "$R$(dirname "$P")" || exit 81
  if [ -L "$P" ]; then ln -s "$(readlink "$P")" "$R$P" || exit 81
  elif [ -d "$P" ]; then
    mkdir -p "$R$P" && mount --bind "$P" "$R$P" && mount -o remount,bind,ro "$R$P" || exit 82
  elif [ -e "$P" ]; then touch "$R$P" && mount --bind "$P" "$R$P" || exit 82
  fi
done
shift
mkdir -p "$R$T" "$R/proc" && mount --bind "$T" "$R$T" && mount --bind /proc "$R/proc" || exit 83
mount -o remount,bind,ro "$R" || exit 84
exec chroot "$R" /bin/sh -c 'cd "$0" || exit 88; exec "$@"' "$T" "$@"
"""
SANDBOX_PATH = "/usr/bin:/bin:/usr/sbin:/sbin"  # chroot lives in sbin
DEVICES = ("/dev/null", "/dev/zero", "/dev/random", "/dev/urandom")
SYSTEM = ("/usr", "/bin", "/lib", "/lib64", "/sbin")
PROBE = r"""
touch inside || exit 92
touch "$1/../tiro-sandbox-probe-$$" 2>/dev/null && exit 93
[ "$(grep -c : /proc/net/dev)" = 1 ] || exit 94
[ "$2" = root ] && [ -e "$1/../sentinel" ] && exit 95
exit 0
"""


def needed_paths() -> tuple[Path, ...]:
    """What the child must see: system tree, Python, the venv, tiro, import paths, devices
    (each once: a path inside another needed directory is not bound again)."""
    import sys

    import tiro

    wanted = [*map(Path, SYSTEM), *map(Path, DEVICES), Path(sys.base_prefix), Path(sys.prefix),
              Path(sys.executable).resolve().parent, Path(tiro.__file__).resolve().parent.parent,
              *(Path(p) for p in sys.path if p)]  # fmt: skip
    found = {p if p.is_symlink() else p.resolve() for p in wanted if p.exists() or p.is_symlink()}
    out: list[Path] = []
    for path in sorted(found, key=lambda p: len(p.parts)):
        if not any(q in path.parents for q in out if q.is_dir() and not q.is_symlink()):
            out.append(path)
    return tuple(out)


def root_prefix(tmp: Path) -> list[str]:
    """The command words for the minimal-root layout (see ``WRAP_ROOT``)."""
    return [
        "unshare", "-rnm", "--fork", "--pid", "--kill-child", "--mount-proc",
        "sh", "-c", WRAP_ROOT, "sh", str(tmp), *map(str, needed_paths()), "--",
        "setpriv", "--bounding-set=-all", "--inh-caps=-all", "--no-new-privs",
    ]  # fmt: skip


def namespace_prefix(tmp: Path, hide: tuple[Path, ...] = ()) -> list[str]:
    """The command words that put what follows into the namespaces (see the module doc)."""
    return [
        "unshare", "-rnm", "--fork", "--pid", "--kill-child", "--mount-proc",
        "sh", "-c", WRAP, "sh", str(tmp), *map(str, hide), "--",
        "setpriv", "--bounding-set=-all", "--inh-caps=-all", "--no-new-privs",
    ]  # fmt: skip


def _probe(prefix: Callable[[Path], list[str]], mode: str) -> bool:
    with tempfile.TemporaryDirectory(prefix="tiro-sandbox-probe-") as tmp:
        root = Path(tmp) / "run"
        root.mkdir()
        (Path(tmp) / "sentinel").touch()
        done = subprocess.run(
            [*prefix(root), "sh", "-c", PROBE, "sh", str(root), mode],
            capture_output=True, timeout=30, cwd=root, env={"PATH": SANDBOX_PATH},
        )  # fmt: skip
        return done.returncode == 0


@cache
def isolation_mode() -> str | None:
    """``root`` (minimal read-only root), ``namespaces`` (every mount read-only, the data
    directory hidden) or None (neither works here), probed once per process."""
    if not all(shutil.which(b) for b in ("unshare", "setpriv", "mount", "awk", "chroot")):
        return None
    try:
        if subprocess.run(["unshare", "-rn", "true"], capture_output=True, timeout=10).returncode:
            return None
        if _probe(root_prefix, "root"):
            return "root"
        if _probe(namespace_prefix, "namespaces"):
            return "namespaces"
    except (OSError, subprocess.SubprocessError):
        return None
    return None


def namespaces_available() -> bool:
    """True when either namespace layout works here."""
    return isolation_mode() is not None
