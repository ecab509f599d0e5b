"""Operating-system isolation of the sandbox child, detected once per process.

Where unprivileged user namespaces work (``unshare -rn true`` succeeds), the child runs as:

    unshare -rnm --fork --pid --kill-child --mount-proc  sh -c WRAP  sh TMP  setpriv … python -I -m …

- ``-n``: a new network namespace with only a down loopback — no route anywhere, whatever
  the code does (Polars' Rust readers, which bypass Python's audit hooks, included);
- ``-m`` + WRAP: every mount is remounted read-only except the run's own temp directory,
  so nothing outside it — the asset file, tiro's own source, the database — can be written,
  again below Python;
- ``--pid --kill-child``: the child is PID 1 of its namespace; when it dies (or the parent
  kills ``unshare``) the kernel kills every process it may have started;
- ``setpriv``: drops every capability the namespace's root had, so the read-only mounts
  cannot be undone.

Detection runs the whole wrapper once with a probe (write inside TMP must work, writing
next to it must fail, and there must be no network device but ``lo``); if anything fails,
the sandbox falls back to a plain child with the audit hook and rlimits only, and says so
in every result (``isolation``).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
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
PROBE = r"""
touch inside || exit 92
touch "$1/../tiro-sandbox-probe-$$" 2>/dev/null && exit 93
[ "$(awk -F: 'NR>2{gsub(/ /,"",$1); print $1}' /proc/net/dev)" = "lo" ] || exit 94
exit 0
"""


def namespace_prefix(tmp: Path, hide: tuple[Path, ...] = ()) -> list[str]:
    """The command words that put what follows into the namespaces (see the module doc)."""
    return [
        "unshare", "-rnm", "--fork", "--pid", "--kill-child", "--mount-proc",
        "sh", "-c", WRAP, "sh", str(tmp), *map(str, hide), "--",
        "setpriv", "--bounding-set=-all", "--inh-caps=-all", "--no-new-privs",
    ]  # fmt: skip


@cache
def namespaces_available() -> bool:
    """True when the full namespace wrapper works here (probed once per process)."""
    if not all(shutil.which(b) for b in ("unshare", "setpriv", "mount", "awk")):
        return False
    try:
        if subprocess.run(["unshare", "-rn", "true"], capture_output=True, timeout=10).returncode:
            return False
        with tempfile.TemporaryDirectory(prefix="tiro-sandbox-probe-") as tmp:
            root = Path(tmp) / "run"
            root.mkdir()
            probe = subprocess.run(
                [*namespace_prefix(root), "sh", "-c", PROBE, "sh", str(root)],
                capture_output=True,
                timeout=20,
                cwd=root,
            )
            return probe.returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False
