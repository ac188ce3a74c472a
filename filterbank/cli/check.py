"""``filterbank check SPEC_OR_NAME``: print a bank's check report.

Exit status: 0 when the bank reconstructs within its tolerance, 1 when it does
not, 2 when the spec is invalid (one line on stderr, no traceback).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import warnings
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from filterbank.design.bank import Filter, FilterBank
    from filterbank.design.continuous import ContinuousWavelet
    from filterbank.design.mchannel import MChannelBank

__all__ = ["load_for_cli", "register", "run"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``check`` sub-command."""
    p = subparsers.add_parser(
        "check",
        help="check a filter bank: perfect reconstruction, aliasing, orthogonality",
        description="Load a spec (YAML file, bundled spec or PyWavelets wavelet name) and print "
        "its check report. Exit 0 if it reconstructs within tolerance, 1 if not, 2 if the spec is invalid.",
    )
    p.add_argument("spec", metavar="SPEC_OR_NAME", help="YAML spec file, bundled spec name or wavelet name")
    p.add_argument("--tolerance", type=float, default=None, help="override the spec's PR tolerance")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=run)


def load_for_cli(source: str, *, filters_too: bool = False) -> FilterBank | Filter | MChannelBank | ContinuousWavelet:
    """Load a bank (or, with ``filters_too``, a filter) without the PR gate.

    Spec errors get the file name in front of their key path.
    """
    from filterbank.design.bank import FilterBank
    from filterbank.design.continuous import ContinuousWavelet
    from filterbank.design.mchannel import MChannelBank
    from filterbank.errors import FilterBankTypeError, SpecError
    from filterbank.design.names import load

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            bank = load(source, verify=False)
    except SpecError as exc:
        raise SpecError(f"{source}: {exc}") from None
    if not isinstance(bank, (FilterBank, MChannelBank, ContinuousWavelet)) and not filters_too:
        raise FilterBankTypeError(f"{source}: is a 'kind: filter' spec; this command needs a bank")
    return bank


def run(args: argparse.Namespace) -> int:
    """Print the report; return 0 (PR within tolerance) or 1."""
    from filterbank.design.bank import FilterBank

    if args.tolerance is not None and not 0.0 < args.tolerance <= 1.0:
        from filterbank.errors import InputError

        raise InputError(f"--tolerance must be in (0, 1]; got {args.tolerance}")
    bank = load_for_cli(args.spec)
    if type(bank).__name__ == "ContinuousWavelet":
        return _run_continuous(bank, args)
    if not isinstance(bank, FilterBank):
        return _run_mchannel(bank, args)
    report = bank.check(tolerance=args.tolerance)
    if args.json:
        data = dataclasses.asdict(report)
        data.update(ok=report.ok, orthogonal=report.orthogonal, biorthogonal=report.biorthogonal)
        print(json.dumps(data, indent=2))
    else:
        print(report.table())
    if not report.ok:
        print(f"filterbank check: {report.problem()}", file=sys.stderr)
    return 0 if report.ok else 1


def _run_mchannel(bank: object, args: argparse.Namespace) -> int:
    """The report of an M-channel bank (``kind: mchannel``)."""
    from filterbank.design.mchannel import MChannelBank

    assert isinstance(bank, MChannelBank)
    report = bank.check(tolerance=args.tolerance)
    if args.json:
        data = dataclasses.asdict(report)
        data.update(ok=report.ok, aliasing_error=report.aliasing_error)
        print(json.dumps(data, indent=2))
    else:
        print(report.table())
    if not report.ok:
        print(f"filterbank check: {report.problem()}", file=sys.stderr)
    return 0 if report.ok else 1


def _run_continuous(wavelet: object, args: argparse.Namespace) -> int:
    """The report of a continuous wavelet (``kind: continuous``): admissibility, centre frequency, cone."""
    from filterbank.design.continuous_check import check_continuous

    report = check_continuous(wavelet, tolerance=1e-3 if args.tolerance is None else args.tolerance)
    if args.json:
        print(json.dumps({**report._asdict(), "ok": report.ok}, indent=2))
    else:
        print(report.table())
    if not report.ok:
        print(f"filterbank check: {report.name} is not admissible: relative mean {report.mean:.3g} "
              f"> tolerance {report.tolerance:g}", file=sys.stderr)
    return 0 if report.ok else 1
