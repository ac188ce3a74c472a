"""Every script in examples/ runs, in fast mode, and finds what it claims to find."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_script(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    full_env.update({"PYTHONPATH": str(ROOT), **(env or {})})
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=full_env, cwd=ROOT, timeout=300)


def test_every_example_is_run_by_a_test():
    source = "\n".join(p.read_text() for p in Path(__file__).parent.glob("test_*.py"))
    for path in sorted(EXAMPLES.glob("*.py")):
        assert path.stem in source, f"examples/{path.name} is not run by any test in tests/"


def test_example_specs_load_and_have_distinct_names():
    import filterbank as fb

    names = {path.name: fb.load_spec(path).name for path in sorted(EXAMPLES.glob("*.yaml"))}
    assert names["firwin_bank.yaml"] == "my-firwin-qmf" and names["firwin_qmf.yaml"] == "my-firwin-qmf-40"
    assert len(set(names.values())) == len(names), names


@pytest.mark.parametrize("name", ["conv2d_correlates", "template_matching"])
def test_example_runs_as_a_script_quietly(name, tmp_path):
    proc = run_script(f"examples/{name}.py", "--fast")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert proc.stdout.strip()


def test_conv2d_correlates_reproduces_the_seed():
    r = load("conv2d_correlates").run(fast=True)
    # the seed's numbers: conv2d is sum(patch * kernel) and correlate2d, not convolve2d
    assert r["conv2d vs sum(patch * kernel)"] < 1e-14
    assert r["conv2d vs scipy convolve2d"] > 1.0
    for key in ("conv2d vs convolve2d, kernel flipped", "conv2d vs scipy correlate2d",
                "fb.convolve vs scipy convolve2d", "fb.correlate vs tf.nn.conv2d"):
        assert r[key] < 1e-14, key


def test_template_matching_finds_the_true_position_and_the_flip_does_not(tmp_path):
    module = load("template_matching")
    r = module.run(fast=True)
    assert r["found (fb.match_template)"] == r["true position"] == (60, 100)
    assert r["score there"] == pytest.approx(1.0, abs=1e-9)
    assert r["found (flipped template)"] != r["true position"]
    assert r["flipped best score"] < 0.9
    assert r["max |fb.correlate - scipy.signal.correlate| / max"] < 1e-12
    module.plot(r, str(tmp_path / "m.png"))
    assert (tmp_path / "m.png").read_bytes()[:4] == b"\x89PNG"


def test_my_filter_property_tests_pass_when_a_user_runs_them():
    proc = run_script("-m", "pytest", "-q", "examples/test_my_filter.py", env={"MY_FILTER_EXAMPLES": "15"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "8 passed" in proc.stdout  # five filter properties and the bank's three


def test_my_filter_bank_properties_find_and_shrink_a_broken_tap_in_seconds():
    import re
    import time

    import filterbank as fb
    from hypothesis import settings

    from filterbank.testing import BankCase, assert_round_trip, bank_properties

    good = fb.load(str(EXAMPLES / "firwin_qmf.yaml"))
    rec_lo = good.rec_lo.copy()
    rec_lo[5] = -rec_lo[5]  # the slip: one synthesis tap negated
    broken = fb.FilterBank(name="my-firwin-qmf-broken", dec_lo=good.dec_lo, dec_hi=good.dec_hi, rec_lo=rec_lo,
                           rec_hi=good.rec_hi, spec=good.spec, verify=False)
    test = settings(derandomize=True, database=None, max_examples=100, deadline=None)(bank_properties(broken).round_trip)
    start = time.perf_counter()
    with pytest.raises(AssertionError, match=r"^bank 'my-firwin-qmf-broken': round trip error .* > bound") as info:
        test()
    assert time.perf_counter() - start < 60  # numpy tier: no compile per shrink step (about 1 s alone)
    printed = info.value.__notes__[0]
    assert "BankCase(shape=" in printed and "_fill" not in printed and "random_array" not in printed
    pasted = re.search(r"case=(BankCase\(.*?\)),\n", printed).group(1)  # what a user copies
    case = eval(pasted, {"BankCase": BankCase})
    assert case.level == 1 and case.shape == (case.length,)  # shrunk: one level of the shortest signal
    with pytest.raises(AssertionError, match=r"round trip error"):
        assert_round_trip(broken, case)  # the printed case reproduces it


def test_custom_firwin_bank_checks_plots_and_reconstructs_as_reported(tmp_path):
    import numpy as np
    import pywt.data
    import scipy.signal

    r = load("custom_bank").run(fast=True, plot_path=str(tmp_path / "bank.png"))
    bank, report = r["bank"], r["report"]
    # the low-pass is exactly scipy's firwin design, scaled to PyWavelets' sqrt(2) DC gain
    expected = scipy.signal.firwin(32, 0.5275, window=("kaiser", 6.0), fs=2.0)
    np.testing.assert_allclose(bank.dec_lo, expected * np.sqrt(2) / expected.sum(), rtol=0, atol=1e-15)
    assert (bank.mode, bank.level) == ("periodization", 3)  # the spec's defaults
    assert report.ok and 1e-4 < report.pr_error < 5e-3  # near-PR, honestly reported
    assert report.aliasing_error < 1e-12  # the QMF rule cancels aliasing exactly
    assert 1e-6 < r["reconstruction error (relative)"] <= report.pr_error
    assert r["low-band energy share"] > 0.99
    x = pywt.data.ecg().astype(float)[:512]
    low, high, _ = load("custom_bank").analysis_synthesis(bank, x)
    np.testing.assert_allclose(low, np.convolve(x, bank.dec_lo)[::2], atol=1e-12 * np.abs(x).max())
    np.testing.assert_allclose(high, np.convolve(x, bank.dec_hi)[::2], atol=1e-12 * np.abs(x).max())
    assert (tmp_path / "bank.png").read_bytes()[:4] == b"\x89PNG"


def test_custom_bank_yaml_passes_filterbank_check_on_the_command_line():
    proc = run_script("-m", "filterbank", "check", "examples/firwin_bank.yaml")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "within tolerance 5.0e-03" in proc.stdout


# BFGS stops on "precision loss" with a gradient of about 5e-8 (the cost's own
# rounding), and the cost's Hessian at the optimum has smallest eigenvalue about 1.08
# (both measured on the 16 free taps). Two points whose gradients are below g lie
# within 2 g sqrt(16) / 1.08 ~ 4e-7 of each other, so regenerated taps may differ by
# that much between machines (Intel and AMD CPUs differ at 1e-11); 1e-6 is that
# bound with margin, and a wrong design (other cut-off, window or weight) moves taps
# by more than 1e-3.
JOHNSTON_TAP_TOLERANCE = 1e-6


def _spec_taps(text: str) -> tuple[list[str], np.ndarray]:
    lines = text.splitlines()
    taps = [float(line.split("- ", 1)[1]) for line in lines if line.startswith("    - ")]
    return [line for line in lines if not line.startswith("    - ")], np.array(taps)


def test_johnston_qmf_regenerates_the_bundled_spec():
    proc = run_script("examples/johnston_qmf.py")
    assert proc.returncode == 0, proc.stderr
    made_text, made = _spec_taps(proc.stdout)
    bundled_text, bundled = _spec_taps((ROOT / "filterbank" / "spec" / "bundled" / "johnston-qmf.yaml").read_text())
    assert made_text == bundled_text
    assert made.shape == bundled.shape == (32,)
    np.testing.assert_allclose(made, bundled, rtol=0, atol=JOHNSTON_TAP_TOLERANCE)


def test_denoise_on_tensorflow_equals_pywavelets_and_gains_psnr():
    r = load("denoise").run(fast=True)
    # white noise of sigma 25 on a 0..255 scale: 20 log10(255 / 25) = 20.17 dB, up to sampling error
    assert r["PSNR noisy (dB)"] == pytest.approx(20.17, abs=0.1)
    assert r["PSNR denoised, filterbank on TF (dB)"] > r["PSNR noisy (dB)"] + 3.0
    assert r["max |filterbank - PyWavelets|"] < 1e-9
    assert r["PSNR denoised, filterbank on TF (dB)"] == pytest.approx(r["PSNR denoised, PyWavelets (dB)"], abs=1e-9)


def test_denoise_runs_as_a_script_quietly():
    proc = run_script("examples/denoise.py", "--fast")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert "PSNR denoised, filterbank on TF (dB)" in proc.stdout
