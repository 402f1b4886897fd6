"""Hypothesis profiles for the fuzz tests: ``dev`` (the default, quick) and ``ci`` (2,000 examples).

Select one with ``HYPOTHESIS_PROFILE=ci pytest tests/fuzz -q``. Every example also runs under a
hard time limit (see ``deadline_guard`` in test_loader_fuzz.py), so a hang fails instead of waiting.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_COMMON = {
    "deadline": 5000,  # ms per example; real loads of these small stories take a few ms
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    "print_blob": True,  # a failure prints the blob that reproduces it with @reproduce_failure
}
settings.register_profile("dev", max_examples=100, **_COMMON)
settings.register_profile("ci", max_examples=2000, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
