"""How hard the Hypothesis properties fuzz: a few derandomized examples by default (CI stays
reproducible and quick), many fresh random ones with STIGMACARDS_FUZZ_EXAMPLES=N (`make fuzz`)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

FUZZ_EXAMPLES = os.environ.get("STIGMACARDS_FUZZ_EXAMPLES")


def fuzz(default: int, *, share: float = 1.0) -> settings:
    """Settings for a fuzzing property: `default` examples in CI; with STIGMACARDS_FUZZ_EXAMPLES,
    that many times `share` (a slow property, e.g. one that generates whole decks, takes a share)."""
    return settings(
        max_examples=max(1, int(int(FUZZ_EXAMPLES) * share)) if FUZZ_EXAMPLES else default,
        derandomize=not FUZZ_EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
