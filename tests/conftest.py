"""Shared test set-up: quiet TensorFlow and the hypothesis profiles.

Profiles: ``ci`` (derandomized, bounded, no deadline) is the default, so the
README's test command finishes in minutes on two cores; ``dev`` (300 examples
per property, randomized) is the deep run, opted into with
``HYPOTHESIS_PROFILE=dev``.
"""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile(
    "ci",
    derandomize=True,
    max_examples=40,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "dev",
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
