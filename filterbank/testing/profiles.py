"""Hypothesis profiles for property tests of filters and banks, as filterbank's own suite uses.

``filterbank-ci`` is bounded and reproducible (derandomized, 40 examples, no
deadline, the failing example's blob printed), so a suite of properties
finishes in minutes on two cores; ``filterbank-dev`` is the deep run (300
random examples per property). Neither has a deadline: the first example of a
new shape may load TensorFlow, which takes seconds once.

Examples
--------
>>> from hypothesis import settings
>>> register_profiles()
('filterbank-ci', 'filterbank-dev')
>>> settings.get_profile("filterbank-ci").max_examples, settings.get_profile("filterbank-dev").max_examples
(40, 300)
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

__all__ = ["load_profile", "register_profiles"]

_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large]


def register_profiles() -> tuple[str, str]:
    """Register ``filterbank-ci`` and ``filterbank-dev`` with hypothesis; return their names.

    Put ``register_profiles()`` and ``settings.load_profile(...)`` in your
    ``conftest.py``, or call `load_profile`, which does both.
    """
    base = settings.get_profile("default")  # not whatever profile is loaded now
    settings.register_profile(
        "filterbank-ci", base, derandomize=True, max_examples=40, deadline=None, print_blob=True,
        suppress_health_check=_QUIET,
    )
    settings.register_profile("filterbank-dev", base, max_examples=300, deadline=None, suppress_health_check=_QUIET)
    return ("filterbank-ci", "filterbank-dev")


def load_profile(default: str = "filterbank-ci") -> str:
    """Register the profiles and load ``$HYPOTHESIS_PROFILE`` (else ``default``); return its name.

    Examples
    --------
    >>> import os
    >>> os.environ.get("HYPOTHESIS_PROFILE") in (None, "ci", "dev", "filterbank-ci", "filterbank-dev")
    True
    """
    register_profiles()
    name = os.environ.get("HYPOTHESIS_PROFILE", default)
    settings.load_profile(name)
    return name
