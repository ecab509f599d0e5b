"""Keep freed memory in the process for the next chunk (glibc ``mallopt``).

A batch over millions of lines allocates the same few dozen column-sized arrays for every
chunk. glibc hands blocks this large to the kernel and back (``mmap``/``munmap``), so each
chunk page-faults its arrays in afresh; on a 10M-line batch that was ~270,000 faults and a
third of the CPU time (``bench/results/tariff_batch.md``). Raising the mmap and trim
thresholds keeps the freed blocks on the heap for reuse. Only the batch path calls this: a
long-running server keeps the default, which returns memory sooner.
"""

from __future__ import annotations

import ctypes
import ctypes.util

_M_TRIM_THRESHOLD, _M_TOP_PAD, _M_MMAP_THRESHOLD = -1, -2, -3
_MMAP_THRESHOLD_MAX = 32 * 1024 * 1024  # glibc's ceiling on 64-bit (DEFAULT_MMAP_THRESHOLD_MAX)


def keep_freed_memory() -> bool:
    """Ask glibc to serve blocks up to 32 MiB from the heap and not trim it below 1 GiB.
    Returns False (and changes nothing) where the C library is not glibc."""
    name = ctypes.util.find_library("c")
    if not name:
        return False
    libc = ctypes.CDLL(name)
    if not hasattr(libc, "mallopt"):
        return False
    return all(
        libc.mallopt(option, value) == 1
        for option, value in (
            (_M_MMAP_THRESHOLD, _MMAP_THRESHOLD_MAX),
            (_M_TRIM_THRESHOLD, 1 << 30),
            (_M_TOP_PAD, 64 << 20),
        )
    )
