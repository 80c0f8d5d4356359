"""The encoder's thread policy: ``--threads`` / the config key ``threads``, else automatic.

Automatic (measured, ``benchmarks/throughput.py`` ``policy``): torch gets the CPUs this process
may run on (its affinity) that the others leave idle (the 1-minute load average less this
process's own share of one), at least one, re-read before every forward call. On a 2-core machine that others keep busy, two
threads ran 2-6x slower than one (torch's threads wait on each other for a core); on an idle
machine every core helps. ``OMP_NUM_THREADS`` in the environment, ``--threads`` or ``threads``
in the config fix the number. The thread count never changes the output (the same batches give
bit-identical vectors with 1 and 2 threads).

numpy's BLAS gets one thread (:func:`limit_array_threads`): the arrays of the per-story stages
are small (words by words, sentences by sentences), and its second thread only waits.
"""
from __future__ import annotations

import os
import sys

_requested: int | None = None


def set_threads(threads: int | None) -> None:
    """Use ``threads`` encoder threads from now on (None: automatic)."""
    global _requested
    _requested = threads
    if "torch" in sys.modules:  # an encoder is loaded already: apply at once
        apply_threads()


def available_cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def idle_cpus() -> int:
    """The CPUs this process may use less the others' load of the last minute (the load average
    less one, this process's own share), rounded, at least one."""
    cpus = available_cpus()
    try:
        others = max(0.0, os.getloadavg()[0] - 1.0)
    except (AttributeError, OSError):  # no load average on this platform: assume idle
        others = 0.0
    return max(1, min(cpus, int(cpus - others + 0.5)))


def policy_threads(threads: int | None = None) -> int | None:
    """The thread count the policy chooses (None: leave torch as ``OMP_NUM_THREADS`` set it)."""
    n = threads or _requested
    if n:
        return n
    if "OMP_NUM_THREADS" in os.environ:
        return None
    return idle_cpus()


def apply_threads(threads: int | None = None) -> None:
    """Set torch's thread count by the policy (``threads`` overrides the requested setting)."""
    import torch

    n = policy_threads(threads)
    if n and torch.get_num_threads() != n:
        torch.set_num_threads(n)


def limit_array_threads() -> None:
    """One thread for numpy's BLAS, for the rest of the process. On a 2-core machine with another
    process busy, two threads made a word alignment's small product 20x slower (1.7 ms a pair of
    sentences against 0.08 ms) and a feed's per-story work 1.5x slower; on an idle machine one
    thread is as fast. torch's threads (the encoder's) are not numpy's and keep their policy."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")
