"""Small numeric helpers shared by the stages: robust location and spread, union-find."""
from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

import numpy as np

#: Scales a median absolute deviation to a normal distribution's standard deviation.
MAD_TO_SIGMA = 1.4826

T = TypeVar("T", bound=Hashable)


def median_mad(values: np.ndarray) -> tuple[float, float]:
    """Median and (unscaled) median absolute deviation of ``values``."""
    median = float(np.median(values))
    return median, float(np.median(np.abs(values - median)))


def robust_spread(values: np.ndarray, floor: float = 0.0) -> tuple[float, float]:
    """Median and MAD-estimated standard deviation of ``values``, at least ``floor``."""
    median, mad = median_mad(values)
    return median, max(MAD_TO_SIGMA * mad, floor)


class UnionFind(Generic[T]):
    """Disjoint sets of hashable items; the smaller item of two roots becomes the root."""

    def __init__(self, items: Iterable[T]) -> None:
        self.parent: dict[T, T] = {x: x for x in items}

    def find(self, x: T) -> T:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, x: T, y: T) -> bool:
        """Join the sets of ``x`` and ``y``; False when they were one set already."""
        rx, ry = self.find(x), self.find(y)
        if rx == ry:
            return False
        self.parent[max(rx, ry)] = min(rx, ry)  # type: ignore[type-var]  # deterministic root
        return True
