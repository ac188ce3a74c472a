"""The judge's plumbing: scipy's own convolution tests, run with scipy's names routed to filterbank.

scipy's test module (:mod:`scipy.signal.tests.test_signaltools`, shipped in the
wheel) looks its functions up in its own namespace at call time, so routing is
a per-test monkeypatch of that namespace:

* the module-level names ``convolve``, ``correlate``, ``convolve2d`` and
  ``correlate2d`` become filterbank's;
* ``signal`` (the tests also call ``signal.correlate2d``) becomes a view of
  ``scipy.signal`` with those four names replaced;
* parameters bound at import time (``@pytest.mark.parametrize('func',
  [convolve2d, correlate2d])``) are swapped for filterbank's just before the call.

scipy's own ``conftest.py`` is not loaded (it lives in site-packages), so this
file provides what the tests need from it: the ``xp`` fixture (numpy, the only
backend filterbank takes array_like input from) and scipy's markers. Which tests
run, and which are left out and why, is listed in ``test_scipy_signaltools.py``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import scipy.signal

import filterbank as fb

ROUTED = {
    "convolve": fb.convolve,
    "correlate": fb.correlate,
    "convolve2d": fb.convolve2d,
    "correlate2d": fb.correlate2d,
}
_SCIPY_TO_FB = {id(getattr(scipy.signal, name)): ours for name, ours in ROUTED.items()}

_SCIPY_MARKERS = (
    "slow: scipy's slow tests",
    "xslow: scipy's very slow tests",
    "xfail_on_32bit: scipy's 32-bit xfails",
    "array_api_backends: scipy's array API tests",
    "skip_xp_backends: scipy's per-backend skips (numpy is never skipped)",
    "xfail_xp_backends: scipy's per-backend xfails (numpy is never xfailed)",
    "fail_slow: scipy's time budget marker",
    "timeout: scipy's timeout marker",
    "parallel_threads_limit: scipy's thread marker",
    "thread_unsafe: scipy's thread marker",
    "iterations: scipy's repeat marker",
)


def pytest_configure(config: pytest.Config) -> None:
    for line in _SCIPY_MARKERS:
        config.addinivalue_line("markers", line)


class RoutedSignal:
    """``scipy.signal`` with the judged names answered by filterbank."""

    def __getattr__(self, name: str) -> Any:
        return ROUTED[name] if name in ROUTED else getattr(scipy.signal, name)


@pytest.fixture
def xp() -> Any:
    """scipy's array namespace fixture, numpy only."""
    from scipy._lib._array_api import array_namespace

    return array_namespace(np.empty(0))


@pytest.fixture(autouse=True)
def route_to_filterbank(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    module = request.module.SCIPY_TESTS
    for name, ours in ROUTED.items():
        monkeypatch.setattr(module, name, ours)
    monkeypatch.setattr(module, "signal", RoutedSignal())


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> None:
    for name, value in pyfuncitem.funcargs.items():
        if callable(value) and id(value) in _SCIPY_TO_FB:
            pyfuncitem.funcargs[name] = _SCIPY_TO_FB[id(value)]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        left_out = getattr(getattr(item, "module", None), "LEFT_OUT", None)
        if left_out is None:
            continue
        key = item.nodeid.split("::", 1)[1].split("[", 1)[0]
        if key in left_out:
            item.add_marker(pytest.mark.skip(reason=f"left out of the judge: {left_out[key]}"))
