"""``filterbank cwt INPUT... -o OUT.npz --wavelet cmor1.5-1.0 --freqs 1:100:64 --fs 250``: scalograms.

Continuous wavelet transform of each input's last axis at log-spaced
frequencies, saved as .npz (coefs, frequencies, scales, fs, wavelet, hop); with
several inputs (a folder, a glob) OUT is a folder of NAME.npz, with a progress bar.
"""

from __future__ import annotations

import argparse
import io
import time
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["parse_freqs", "register"]


def register(subparsers: Any) -> None:
    """Add the ``cwt`` sub-command."""
    from filterbank.cli._common import add_budget_option, describe

    p = subparsers.add_parser("cwt", help="continuous wavelet transform (scalogram) of signals",
                              description=describe(__doc__))
    p.add_argument("inputs", nargs="+", metavar="INPUT", help=".npy / .npz files, folders or globs")
    p.add_argument("-o", "--output", required=True, help="OUT.npz (one input) or a folder (several)")
    p.add_argument("--wavelet", default="cmor1.5-1.0", help="continuous wavelet name or kind: continuous spec (YAML file or bundled; default: cmor1.5-1.0)")
    p.add_argument("--freqs", default="1:100:64", metavar="FMIN:FMAX:N",
                   help="N log-spaced frequencies from FMIN to FMAX Hz (default: 1:100:64)")
    p.add_argument("--fs", type=float, default=250.0, metavar="HZ", help="sampling rate in Hz (default: 250)")
    p.add_argument("--method", choices=("fft", "conv"), default="fft", help="fft (default) or conv")
    p.add_argument("--hop", type=int, default=1, help="keep every HOP-th time sample (default: 1)")
    p.add_argument("--plot", default=None, metavar="PNG", help="also draw the first signal's scalogram (one input)")
    p.add_argument("--no-coi", action="store_true", help="do not draw the cone of influence on --plot")
    p.add_argument("-f", "--force", action="store_true", help="overwrite existing outputs")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    add_budget_option(p)
    p.set_defaults(func=_main)


def parse_freqs(text: str) -> tuple[float, float, int]:
    """``FMIN:FMAX:N`` as numbers.

    Examples
    --------
    >>> parse_freqs("1:100:64")
    (1.0, 100.0, 64)
    >>> parse_freqs("1:100")
    Traceback (most recent call last):
    ...
    filterbank.errors.InputError: --freqs must be FMIN:FMAX:N (numbers, N an integer); got '1:100'
    """
    from filterbank.errors import InputError

    parts = text.split(":")
    try:
        if len(parts) != 3:
            raise ValueError
        return float(parts[0]), float(parts[1]), int(parts[2])
    except ValueError:
        raise InputError(f"--freqs must be FMIN:FMAX:N (numbers, N an integer); got {text!r}") from None


def _main(args: argparse.Namespace) -> int:
    import filterbank as fb
    from filterbank.cli._common import budget, out_of_memory
    from filterbank.cli._inputs import Progress, expand_inputs, read_items
    from filterbank.cli._write import atomic_write, check_writable
    from filterbank.errors import InputError

    start = time.perf_counter()
    fmin, fmax, num = parse_freqs(args.freqs)
    if not 0 < args.fs < float("inf"):
        raise InputError(f"--fs must be a finite sampling rate > 0; got {args.fs}")
    from filterbank.design.continuous import as_continuous_wavelet

    wavelet = as_continuous_wavelet(args.wavelet)
    scales = fb.cwt_scales(wavelet, fmin, fmax, num, fs=args.fs)
    files, many = expand_inputs(args.inputs)
    out = Path(args.output)
    items = list(read_items(files, budget(args)))
    single = len(items) == 1 and not many
    if args.plot is not None and not single:
        raise InputError("--plot draws one input's scalogram; give one input file")
    targets = {it.name: (out if single else out / f"{it.name}.npz") for it in items}
    if single and out.suffix.lower() != ".npz":
        raise InputError(f"output {args.output!r} must end in .npz for one input")
    for t in targets.values():
        check_writable(t, force=args.force)
    progress = Progress(len(items), enabled=not (args.quiet or single))
    first = None
    for it in items:
        with out_of_memory(f"transforming {it.source} (shape {it.data.shape})", "use a larger --hop or fewer --freqs"):
            coefs, freqs = fb.cwt(it.data, scales, wavelet, 1 / args.fs, method=args.method, hop=args.hop)
        buf = io.BytesIO()
        np.savez(buf, coefs=coefs, frequencies=freqs, scales=scales, fs=np.float64(args.fs),
                 wavelet=np.str_(wavelet.name), hop=np.int64(args.hop))
        payload = buf.getvalue()
        atomic_write(targets[it.name], lambda f: f.write(payload), force=args.force)
        if first is None:
            first = (coefs, freqs)
        progress.advance()
    progress.close()
    if args.plot is not None and first is not None:
        coefs, freqs = first
        one = coefs.reshape(coefs.shape[0], -1, coefs.shape[-1])[:, 0]
        from filterbank.plot_cwt import scalogram

        fig = scalogram(one, freqs, fs=args.fs, hop=args.hop, title=f"{items[0].source}, {wavelet.name}",
                        wavelet=wavelet, coi=not args.no_coi)
        atomic_write(Path(args.plot), lambda f: fig.savefig(f, format="png", dpi=100), force=args.force, parents=False)
    where = targets[items[0].name] if single else out
    print(f"transformed {len(items)} input{'s' * (len(items) != 1)} with {wavelet.name} at {num} frequencies "
          f"({fmin:g}-{fmax:g} Hz, fs {args.fs:g} Hz) in {time.perf_counter() - start:.2f} s -> {where}")
    return 0
