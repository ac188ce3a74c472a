"""MkDocs hook: fill ``<!-- cli-help COMMAND -->`` markers with the live ``--help`` text.

The command-line reference is therefore generated from the argument parsers
themselves and cannot drift from them. ``filterbank`` is imported without
TensorFlow, so this is cheap.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
from typing import Any

_MARKER = re.compile(r"<!-- cli-help ?([a-z-]*) -->")


def _help(command: str) -> str:
    from filterbank.cli import build_parser

    parser = build_parser()
    if command:
        sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
        parser = sub.choices[command]  # type: ignore[attr-defined]
    out = io.StringIO()
    saved = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "96"  # the same wrapping on every machine
    try:
        with contextlib.redirect_stdout(out):
            parser.print_help()
    finally:
        if saved is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = saved
    return out.getvalue()


def on_page_markdown(markdown: str, **kwargs: Any) -> str:
    """Replace each marker with a fenced block holding that command's ``--help``."""
    return _MARKER.sub(lambda m: "```text\n" + _help(m.group(1)).rstrip() + "\n```", markdown)
