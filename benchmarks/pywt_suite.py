"""Run PyWavelets' own DWT and SWT test files with pywt's names routed to filterbank, in one process.

What it measures: the process's peak resident set (``VmHWM``) after the run,
and how many of PyWavelets' tests pass with filterbank underneath (a test that
checks PyWavelets' own error messages or internals fails by design). The
engine issue's target: the run stays under 2 GB.

Usage::

    python benchmarks/pywt_suite.py            # the DWT, SWT and multilevel files
    python benchmarks/pywt_suite.py -k dwt     # extra arguments go to pytest
    python benchmarks/pywt_suite.py --cwt      # the CWT files instead, with pywt's CWT names routed
    python benchmarks/pywt_suite.py --all      # also modes, MATLAB, MRA, thresholding, functions, wavelet
    python benchmarks/pywt_suite.py --file test_mra.py   # one file (repeatable)

The exit status is 1 when a routed test fails (``tests/test_pywt_suite.py``
runs a subset in CI and everything under the deep profile).

The test files are read from the installed PyWavelets (``pywt/tests``); nothing
of them is copied here.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))

#: PyWavelets names that filterbank implements with the same signature.
ROUTED = (
    "dwt", "idwt", "wavedec", "waverec", "dwt2", "idwt2", "wavedec2", "waverec2", "dwtn", "idwtn",
    "wavedecn", "waverecn", "swt", "iswt", "swt2", "iswt2", "swtn", "iswtn", "swt_max_level",
    "WaveletPacket", "WaveletPacket2D", "WaveletPacketND",
    # issue 14: MRA, the fully separable transform, the utilities
    "mra", "imra", "mra2", "imra2", "mran", "imran", "fswavedecn", "fswaverecn",
    "coeffs_to_array", "array_to_coeffs", "ravel_coeffs", "unravel_coeffs", "wavedecn_shapes", "wavedecn_size",
    "dwt_max_level", "dwt_coeff_len", "dwtn_max_level", "downcoef", "upcoef", "pad", "threshold", "threshold_firm",
)
#: The CWT names, routed with ``--cwt`` (``DiscreteContinuousWavelet`` gives ours for continuous names).
CWT_ROUTED = ("cwt", "ContinuousWavelet", "integrate_wavelet", "central_frequency", "scale2frequency",
              "frequency2scale")
CWT_FILES = ("test_cwt_wavelets.py", "test_matlab_compatibility_cwt.py")
#: The DWT, SWT, multilevel and packet files (the engine's memory check); ``--all`` adds the rest.
FILES = ("test_dwt_idwt.py", "test_multidim.py", "test_multilevel.py", "test_swt.py", "test_perfect_reconstruction.py",
         "test_wp.py", "test_wp2d.py", "test_wpnd.py")
MORE_FILES = (
    "test_modes.py", "test_matlab_compatibility.py", "test_mra.py", "test_thresholding.py", "test_functions.py",
    "test_wavelet.py",
)


class Router:
    """A pytest plugin that points pywt's public names at filterbank for the whole session."""

    def __init__(self, names: tuple[str, ...] = ROUTED) -> None:
        self.passed = self.failed = self.skipped = 0
        self.names = names
        self.per_file: dict[str, list[int]] = {}

    def pytest_sessionstart(self, session):  # noqa: ANN001 - pytest hook
        import pywt

        import filterbank as fb

        for name in self.names:
            setattr(pywt, name, getattr(fb, name))
        if "cwt" in self.names:
            theirs = pywt.DiscreteContinuousWavelet

            def discrete_continuous_wavelet(name, dtype=None):  # noqa: ANN001, ANN202 - pywt's signature
                if isinstance(name, str) and name.lower().startswith(fb.CONTINUOUS_FAMILIES):
                    return fb.ContinuousWavelet(name) if dtype is None else fb.ContinuousWavelet(name, dtype)
                return theirs(name) if dtype is None else theirs(name, dtype)

            pywt.DiscreteContinuousWavelet = discrete_continuous_wavelet

    def pytest_runtest_logreport(self, report):  # noqa: ANN001 - pytest hook
        counts = self.per_file.setdefault(report.nodeid.split("::")[0].rsplit("/", 1)[-1], [0, 0, 0])
        if report.when == "call":
            if report.passed:
                self.passed += 1
                counts[0] += 1
            elif report.failed:
                self.failed += 1
                counts[1] += 1
        if report.skipped:
            self.skipped += 1
            counts[2] += 1


def peak_rss() -> int:
    """The process's peak resident set in bytes (Linux)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise OSError("VmHWM not in /proc/self/status")


def main(argv: list[str]) -> int:
    import pytest
    import pywt

    tests = Path(pywt.__file__).parent / "tests"
    cwt = "--cwt" in argv
    argv = [a for a in argv if a != "--cwt"]
    files = list(CWT_FILES if cwt else FILES)
    if "--all" in argv:
        argv = [a for a in argv if a != "--all"]
        files += MORE_FILES
    chosen = [argv[i + 1] for i, a in enumerate(argv) if a == "--file"]
    if chosen:
        argv = [a for i, a in enumerate(argv) if a != "--file" and (i == 0 or argv[i - 1] != "--file")]
        files = chosen
    router = Router(CWT_ROUTED if cwt else ROUTED)
    t0 = time.perf_counter()
    code = pytest.main(
        [*(str(tests / f) for f in files), "-q", "-p", "no:cacheprovider", "-W", "ignore", "--no-header", "-rN", *argv],
        plugins=[router],
    )
    import filterbank as fb

    compiled = fb.cache_info()["compiled"].entries
    for name, (passed, failed, skipped) in sorted(router.per_file.items()):
        print(f"  {name:36s} {passed:5d} passed {failed:4d} failed {skipped:4d} skipped")
    print(
        f"PyWavelets' tests through filterbank: {router.passed} passed, {router.failed} failed, "
        f"{router.skipped} skipped in {time.perf_counter() - t0:.0f} s; peak RSS {peak_rss() / 2**20:.0f} MiB; "
        f"{compiled} compiled functions"
    )
    return 1 if router.failed or int(code) not in (0, 5) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
