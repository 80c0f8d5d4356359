"""The encoder's thread policy: ``--threads`` / the config key ``threads``, else automatic.

Automatic: torch uses the CPUs this process may run on (its affinity), never more, unless
``OMP_NUM_THREADS`` says otherwise. The encoder is asked for whole batches (one pass per phase),
so all threads work on large matrices; on a busy runner ``--threads 1`` avoids oversubscription.
"""
from __future__ import annotations

import os

_requested: int | None = None


def set_threads(threads: int | None) -> None:
    """Use ``threads`` encoder threads from now on (None: automatic)."""
    global _requested
    _requested = threads
    import sys

    if "torch" in sys.modules:  # an encoder is loaded already: apply at once
        apply_threads()


def available_cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def apply_threads(threads: int | None = None) -> None:
    """Set torch's thread count by the policy (``threads`` overrides the requested setting)."""
    import torch

    n = threads or _requested
    if n:
        torch.set_num_threads(n)
    elif "OMP_NUM_THREADS" not in os.environ and torch.get_num_threads() > available_cpus():
        torch.set_num_threads(available_cpus())
