"""Host memory: the process's peak RSS for the reports, and keeping glibc's heap from hoarding freed tensors."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import resource
import sys

_M_MMAP_THRESHOLD = -3  # glibc mallopt parameter


def _libc():
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None


_LIBC = _libc()


def peak_rss_bytes() -> int:
    """The most resident memory this process has had so far (what `/usr/bin/time -v` calls max RSS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024  # Linux reports KiB, macOS bytes


def limit_heap_fragmentation(threshold: int = 1 << 20) -> None:
    """Serve allocations of `threshold` bytes and more with their own mmap, returned to the OS when freed.

    glibc raises its mmap threshold each time a large block is freed (up to 32 MiB), after which the
    activations of a training step (tensors of a few MiB, a different size for each batch width) come
    from the heap; the freed holes are rarely reusable for the next step's sizes, so the heap grows step
    after step. A fixed threshold keeps those tensors out of the heap. No-op off glibc.
    """
    if _LIBC is not None and hasattr(_LIBC, "mallopt"):
        _LIBC.mallopt(_M_MMAP_THRESHOLD, threshold)


def release_free_memory() -> None:
    """Collects garbage and hands the heap's free pages back to the OS (after loading, before evaluating)."""
    gc.collect()
    if _LIBC is not None and hasattr(_LIBC, "malloc_trim"):
        _LIBC.malloc_trim(0)
