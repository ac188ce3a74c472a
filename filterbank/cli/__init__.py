"""The ``filterbank`` command line.

Each sub-command lives in its own module of this package and exposes
``register(subparsers)``, which adds its parser and sets ``func`` (a callable
taking the parsed namespace and returning an exit code). Errors from the
filterbank family print as one line on stderr with exit code 2; ``--debug``
shows the traceback instead. Any other exception is a bug: it prints as one
line too, with exit code 70. SIGINT exits with 130, SIGTERM with 143 (SIGHUP
129), after the temporary files of an unfinished write are removed. A reader
that stops early (``filterbank check db4 | head -3``) ends the command quietly
with 141, the status of a process ended by SIGPIPE, as ``yes | head`` does.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

__all__ = ["build_parser", "main"]

#: Exit status when the reader of stdout goes away: 128 + SIGPIPE, as a shell reports it.
BROKEN_PIPE = 141

#: Sub-command modules, in the order ``--help`` lists them.
COMMAND_MODULES: tuple[str, ...] = ("demo", "decompose", "reconstruct", "cwt", "info", "check", "plot", "specs", "match", "bench")


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line (exit code 2), like every other error."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every sub-command registered."""
    from filterbank import __version__

    parser = _Parser(
        prog="filterbank",
        description="Wavelets and filter banks on TensorFlow, proven equal to scipy and PyWavelets.",
    )
    parser.add_argument("--version", action="version", version=f"filterbank {__version__}")
    parser.add_argument("--debug", action="store_true", help="show full tracebacks on error")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"filterbank.cli.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit code.

    TensorFlow is imported only by the commands that run it, through
    the backend (`filterbank.backend`), which keeps its C++ logging quiet.
    """
    try:
        code = _main(argv)
        sys.stdout.flush()  # here, not at interpreter exit, so that a closed pipe is caught below
    except BrokenPipeError:
        _stdout_to_devnull()
        return BROKEN_PIPE
    return code


def _stdout_to_devnull() -> None:
    """Point stdout at /dev/null, so the interpreter's last flush cannot fail on the closed pipe again."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError):  # stdout without a file descriptor (replaced by a caller): nothing to flush
        pass


def _main(argv: Sequence[str] | None) -> int:
    from filterbank.cli._write import Interrupted, handle_signals
    from filterbank.errors import FilterBankError

    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    with handle_signals() as received:
        try:
            code = int(args.func(args) or 0)
        except FilterBankError as exc:
            if args.debug:
                raise
            print(f"filterbank {args.command}: error: {exc}", file=sys.stderr)
            code = 2
        except KeyboardInterrupt:
            code = 130
        except Interrupted as exc:
            code = 128 + exc.signum
        except BrokenPipeError:
            raise  # the reader went away: not a bug, handled in main
        except Exception as exc:  # a bug: still one line, as promised, and the way to the traceback
            if args.debug:
                raise
            first = (str(exc).strip().splitlines() or [""])[0][:300]
            print(f"filterbank {args.command}: internal error: {type(exc).__name__}: {first} "
                  "(rerun with --debug for the traceback, and please report it)", file=sys.stderr)
            code = 70
        if received:  # never report success after an interrupt, even one a library swallowed
            code = 128 + received[0]
    return code
