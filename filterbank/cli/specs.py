"""``filterbank specs [NAME]``: list the bundled specs, or print one as YAML."""

from __future__ import annotations

import argparse

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``specs`` sub-command."""
    p = subparsers.add_parser(
        "specs",
        help="list the bundled filter-bank specs",
        description="List the bundled specs (loadable by name), or print the YAML of one to copy and edit.",
    )
    p.add_argument("name", nargs="?", help="print this bundled spec's YAML")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """List or print; return 0."""
    from filterbank.spec.files import bundled_specs, read_spec_text

    if args.name:
        print(read_spec_text(args.name), end="")
        return 0
    specs = bundled_specs()
    width = max(len(n) for n in specs)
    for name, description in specs.items():
        first = description.split(". ")[0].rstrip(".")
        print(f"{name:<{width}}  {first}")
    return 0
