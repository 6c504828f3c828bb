"""Small vectorised drawing helpers shared by the generator's modules.

Must never: hold a rate (rates live in ``calibration.yaml``) or keep state between calls.
"""

from __future__ import annotations

import numpy as np

NULL = np.int32(-(2**31))  # a date or count that does not exist (the step did not happen)


def uint(
    rng: np.random.Generator, lo: int | np.ndarray, hi: int | np.ndarray, n: int
) -> np.ndarray:
    """Uniform integers in [lo, hi] (inclusive, element-wise), as int32."""
    lo_a = np.asarray(lo, dtype=np.int64)
    span = np.asarray(hi, dtype=np.int64) - lo_a + 1
    return (lo_a + (rng.random(n) * span).astype(np.int64)).astype(np.int32)


def pick(rng: np.random.Generator, probs: list[float] | tuple[float, ...], n: int) -> np.ndarray:
    """``n`` category codes (int8) drawn with the given (not necessarily normalised) weights."""
    edges = np.cumsum(np.asarray(probs, dtype=np.float64))
    edges /= edges[-1]
    return np.searchsorted(edges, rng.random(n), side="right").astype(np.int8)


def pick_rows(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One category code (int8) per row of ``probs`` (rows of weights, shape n × k)."""
    edges = np.cumsum(probs, axis=1)
    edges /= edges[:, -1:]
    u = rng.random(probs.shape[0])
    return np.minimum((u[:, None] >= edges).sum(axis=1), probs.shape[1] - 1).astype(np.int8)


def where(mask: np.ndarray, value: np.ndarray | int) -> np.ndarray:
    """``value`` where ``mask``, else :data:`NULL` (int32)."""
    return np.where(mask, value, NULL).astype(np.int32)
