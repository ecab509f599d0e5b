"""The batch path's allocator setting: glibc accepts it; elsewhere it is a no-op that says so."""

from __future__ import annotations

import ctypes.util

from tiro.core.memory import keep_freed_memory


def test_glibc_takes_the_thresholds():
    libc = ctypes.util.find_library("c") or ""
    assert keep_freed_memory() is ("libc.so" in libc)
