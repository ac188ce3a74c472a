"""Shared test set-up: quiet TensorFlow and the hypothesis profiles.

The profiles are the ones ``filterbank.testing`` ships to users
(`filterbank.testing.load_profile`), under the suite's short names: ``ci``
(``filterbank-ci``: derandomized, 40 examples, no deadline) is the default, so
the README's test command finishes in minutes on two cores; ``dev``
(``filterbank-dev``: 300 random examples per property) is the deep run,
opted into with ``HYPOTHESIS_PROFILE=dev``. The shipped names work too.
"""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from hypothesis import settings  # noqa: E402

from filterbank.testing import load_profile, register_profiles  # noqa: E402

for _short, _shipped in zip(("ci", "dev"), register_profiles()):
    settings.register_profile(_short, settings.get_profile(_shipped))
load_profile(default="ci")
