"""PyWavelets' own test files, with pywt's names routed to filterbank, must pass (``benchmarks/pywt_suite.py``).

The default profile runs a subset that finishes in about a minute on two
cores (the packet files, modes, thresholding, functions, wavelet, the 1-D
DWT, perfect reconstruction); the deep profile (``HYPOTHESIS_PROFILE=dev``)
runs every routed file (``--all``, several minutes). The suite runs in a
subprocess so that the routing never leaks into this session's ``pywt``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pywt = pytest.importorskip("pywt")

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "benchmarks" / "pywt_suite.py"
DEEP = os.environ.get("HYPOTHESIS_PROFILE", "") in ("dev", "filterbank-dev")
FAST_FILES = ("test_wp.py", "test_wp2d.py", "test_wpnd.py", "test_modes.py", "test_thresholding.py",
              "test_functions.py", "test_wavelet.py", "test_dwt_idwt.py", "test_perfect_reconstruction.py")


def _run(args: list[str], timeout: int) -> tuple[int, int, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3"}
    proc = subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, env=env,
                          timeout=timeout, cwd=ROOT)
    found = re.search(r"through filterbank: (\d+) passed, (\d+) failed", proc.stdout)
    assert found, proc.stdout[-3000:] + proc.stderr[-3000:]
    return int(found[1]), int(found[2]), proc.stdout[-6000:]


@pytest.mark.skipif(DEEP, reason="the deep profile runs every routed file instead")
def test_pywavelets_fast_subset_passes():
    args = [a for f in FAST_FILES for a in ("--file", f)]
    passed, failed, out = _run(args, timeout=600)
    assert failed == 0, out
    assert passed >= 60, out  # 67 routed tests; a broken router passes none


@pytest.mark.skipif(not DEEP, reason="every routed file: the deep profile (HYPOTHESIS_PROFILE=dev)")
def test_pywavelets_routed_files_all_pass():
    passed, failed, out = _run(["--all"], timeout=3600)
    assert failed == 0, out
    assert passed >= 900, out
