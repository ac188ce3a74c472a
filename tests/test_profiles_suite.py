"""The suite runs the profiles filterbank.testing ships (tests/conftest.py), ``ci`` unless told otherwise."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings


@pytest.mark.skipif("HYPOTHESIS_PROFILE" in os.environ, reason="a profile was chosen explicitly")
def test_the_suite_runs_the_shipped_ci_profile_by_default():
    assert settings.get_current_profile_name() == "ci"
    current = settings()
    assert current.derandomize is True and current.max_examples == 40 and current.deadline is None
    assert current.print_blob is True
    assert set(current.suppress_health_check) == {HealthCheck.too_slow, HealthCheck.data_too_large}


def test_short_names_are_the_shipped_profiles():
    for short, shipped in (("ci", "filterbank-ci"), ("dev", "filterbank-dev")):
        a, b = settings.get_profile(short), settings.get_profile(shipped)
        assert (a.max_examples, a.derandomize, a.deadline) == (b.max_examples, b.derandomize, b.deadline)
    assert settings.get_profile("dev").max_examples == 300 and settings.get_profile("dev").derandomize is False
