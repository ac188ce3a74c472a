"""``filterbank plot SPEC_OR_NAME -o response.png``: draw a bank's responses."""

from __future__ import annotations

import argparse

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``plot`` sub-command."""
    p = subparsers.add_parser(
        "plot",
        help="plot magnitude / phase responses and scaling / wavelet functions",
        description="Draw magnitude (dB) and phase of the four filters, and the scaling and wavelet "
        "functions where they exist, into an image file (format from its suffix). A 'kind: filter' "
        "spec draws its one filter.",
    )
    p.add_argument("spec", metavar="SPEC_OR_NAME", help="YAML spec file, bundled spec name or wavelet name")
    p.add_argument("-o", "--output", default="response.png", help="output image (default: response.png)")
    p.add_argument("--points", type=int, default=1024, help="number of frequencies (default: 1024)")
    p.add_argument("--fs", type=float, default=None, metavar="HZ",
                   help="sampling frequency: frequencies in Hz (default: the fs the spec's designs give, "
                   "else x pi rad/sample)")
    p.add_argument("-f", "--force", action="store_true", help="overwrite an existing output")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Draw and save atomically (never over an existing file without ``--force``); return 0."""
    from pathlib import Path

    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from filterbank.cli._write import atomic_write, check_writable
    from filterbank.cli.check import load_for_cli
    from filterbank.design.continuous import ContinuousWavelet
    from filterbank.errors import FilterBankTypeError, InputError
    from filterbank.plot import plot_bank

    if not 8 <= args.points <= 1 << 16:
        raise InputError(f"--points must be in [8, 65536]; got {args.points}")
    if args.fs is not None and not 0 < args.fs < float("inf"):
        raise InputError(f"--fs must be a finite sampling frequency > 0; got {args.fs}")
    out = Path(args.output)
    check_writable(out, force=args.force)
    formats = FigureCanvasAgg.get_supported_filetypes()
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in formats:
        raise InputError(f"output {args.output!r} must end in an image suffix: {', '.join('.' + f for f in formats)}")
    bank = load_for_cli(args.spec, filters_too=True)
    if isinstance(bank, ContinuousWavelet):
        raise FilterBankTypeError(f"{args.spec}: is a continuous wavelet (kind: continuous), not a bank; "
                                  "draw a scalogram with filterbank cwt --plot")
    fig = plot_bank(bank, points=args.points, fs=args.fs)
    written = atomic_write(out, lambda f: fig.savefig(f, format=fmt, dpi=100), force=args.force, parents=False)
    print(f"wrote {written}")
    return 0
