"""A custom filter bank from YAML: designed with firwin, checked, plotted, used.

``examples/firwin_bank.yaml`` describes a two-channel QMF bank whose low-pass
is a Kaiser-windowed ``scipy.signal.firwin`` design; the high-pass and the
synthesis filters follow by the QMF rule. A FIR QMF bank (other than Haar)
cannot reconstruct perfectly, so the spec says ``perfect_reconstruction: false``
and gives the error it accepts (``tolerance``): loading checks the bank against
it, warns if it is exceeded, and refuses a bank that claims perfect
reconstruction without delivering it.

This script

1. loads the spec (``fb.load``) and prints the bank's check report;
2. draws the frequency responses (``filterbank.plot.plot_bank``);
3. runs one analysis / synthesis level on PyWavelets' ECG signal with
   ``fb.convolve`` on TensorFlow (filter, keep every second sample; put the
   zeros back, filter, add), and measures the reconstruction error, bounded by
   the worst case the check report measured.

Run it::

    python examples/custom_bank.py [--fast] [-o firwin_bank.png]

The same from the command line: ``filterbank check examples/firwin_bank.yaml``
and ``filterbank plot examples/firwin_bank.yaml -o firwin_bank.png``.
"""

from __future__ import annotations

import argparse
import os
import warnings
from pathlib import Path

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

SPEC = Path(__file__).resolve().parent / "firwin_bank.yaml"


def analysis_synthesis(bank, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One level of the two-channel bank by hand, every filter through ``fb.convolve``.

    Returns the low and high sub-bands and the reconstruction, delayed by
    ``L - 1`` samples for filters of ``L`` taps (the bank's delay).
    """
    import filterbank as fb

    low = fb.convolve(x, bank.dec_lo, "full")[::2]
    high = fb.convolve(x, bank.dec_hi, "full")[::2]
    up_low = np.zeros(2 * low.size)
    up_low[::2] = low
    up_high = np.zeros(2 * high.size)
    up_high[::2] = high
    y = fb.convolve(up_low, bank.rec_lo, "full") + fb.convolve(up_high, bank.rec_hi, "full")
    return low, high, y


def run(fast: bool = False, plot_path: str | None = None) -> dict[str, object]:
    """Load, check, optionally plot, and use the bank; return the figures."""
    import pywt.data

    import filterbank as fb

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        bank = fb.load(str(SPEC))
    report = bank.check()
    if plot_path:
        from filterbank.plot import plot_bank

        plot_bank(bank, plot_path)
    x = pywt.data.ecg().astype(np.float64)
    if fast:
        x = x[:512]
    low, high, y = analysis_synthesis(bank, x)
    delay = bank.dec_len - 1
    error = float(np.abs(y[delay:delay + x.size] - x).max() / np.abs(x).max())
    # energy split: an ECG is mostly slow, so the low band carries nearly all of it
    low_share = float(np.sum(low**2) / (np.sum(low**2) + np.sum(high**2)))
    return {
        "bank": bank,
        "report": report,
        "warnings": [str(w.message) for w in caught],
        "reconstruction error (relative)": error,
        "low-band energy share": low_share,
        "samples": x.size,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fast", action="store_true", help="use the first 512 ECG samples")
    parser.add_argument("-o", "--output", help="also draw the frequency responses into this image")
    args = parser.parse_args(argv)
    r = run(fast=args.fast, plot_path=args.output)
    for message in r["warnings"]:  # type: ignore[union-attr]
        print(f"warning on load: {message}")
    print(r["report"])
    print()
    print(f"one level on {r['samples']} ECG samples with fb.convolve:")
    print(f"  reconstruction error (relative)  {r['reconstruction error (relative)']:.3g}"
          f"   (check report: {r['report'].pr_error:.3g})")  # type: ignore[union-attr]
    print(f"  low-band energy share            {r['low-band energy share']:.4f}")
    if args.output:
        print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
