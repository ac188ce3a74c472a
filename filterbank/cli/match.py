"""``filterbank match IMAGE TEMPLATE``: find a template in an image, print the best matches.

Scores every placement of TEMPLATE in IMAGE by normalised cross-correlation
(fb.match_template, equal to skimage.feature.match_template) and prints the
best ones, at least --min-distance apart, with their corner, centre and score;
--plot also draws the score map with the matches marked. IMAGE and TEMPLATE
are .npy / .npz (one array) or image files; colour images are matched in grey
(the mean of their colour channels).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np

from filterbank.cli._common import add_budget_option, budget, describe

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``match`` sub-command."""
    p = subparsers.add_parser("match", help="find a template in an image (normalised cross-correlation)",
                              description=describe(__doc__))
    p.add_argument("image", metavar="IMAGE", help="array (.npy, .npz) or image file to search")
    p.add_argument("template", metavar="TEMPLATE", help="array or image file to look for (1-3 axes)")
    p.add_argument("-k", "--matches", type=int, default=5, metavar="K", help="how many matches at most (default: 5)")
    p.add_argument("--min-distance", type=int, default=None, metavar="D",
                   help="matches differ by at least D samples on some axis (default: half the template)")
    p.add_argument("--threshold", type=float, default=None, metavar="SCORE", help="only scores >= SCORE")
    p.add_argument("--pad-input", action="store_true",
                   help="score every image sample (template centred there), extending the image by --mode")
    p.add_argument("--mode", default="constant", help="how the image is extended with --pad-input (numpy.pad's "
                   "modes; default: constant)")
    p.add_argument("--plot", default=None, metavar="OUT.png", help="also draw the score map with the matches marked")
    p.add_argument("-f", "--force", action="store_true", help="overwrite an existing --plot file")
    add_budget_option(p)
    p.set_defaults(func=run)


def _read(path: str, what: str, limit: int) -> np.ndarray:
    from filterbank.cli._inputs import read_items
    from filterbank.errors import InputError

    file = Path(path)
    if not file.is_file():
        raise InputError(f"{what} {path!r} is not a file")
    items = list(read_items([file], limit))
    if len(items) != 1:
        raise InputError(f"{what} {path!r} must hold one array; got {len(items)} ({', '.join(i.name for i in items)})")
    item = items[0]
    data = item.data
    if item.image and data.ndim == 3:
        data = data[..., : min(3, data.shape[-1])].mean(axis=-1)
    return data


def run(args: argparse.Namespace) -> int:
    """Match, print one line per match, optionally plot; return 0."""
    from filterbank.cli._write import atomic_write, check_writable
    from filterbank.errors import InputError
    from filterbank.match import best_matches, make_plan, match_template

    if args.matches < 1:
        raise InputError(f"--matches must be >= 1; got {args.matches}")
    if args.min_distance is not None and args.min_distance < 1:
        raise InputError(f"--min-distance must be >= 1; got {args.min_distance}")
    out = Path(args.plot) if args.plot else None
    if out is not None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        fmt = out.suffix.lower().lstrip(".")
        if fmt not in FigureCanvasAgg.get_supported_filetypes():
            raise InputError(f"--plot {args.plot!r} must end in an image suffix such as .png")
        check_writable(out, force=args.force)
    limit = budget(args)
    image = _read(args.image, "IMAGE", limit)
    template = _read(args.template, "TEMPLATE", limit)
    if image.ndim != template.ndim:
        raise InputError(f"IMAGE and TEMPLATE must have the same number of axes; got image shape {image.shape}, "
                         f"template shape {template.shape}")
    make_plan(image.shape, template.shape, dtype="float64", pad_input=args.pad_input, mode=args.mode)
    scores = match_template(image, template, pad_input=args.pad_input, mode=args.mode)
    distance = args.min_distance or max(1, min(template.shape) // 2)
    found = best_matches(scores, k=args.matches, min_distance=distance, threshold=args.threshold)
    half = np.array([m // 2 for m in template.shape])
    print(f"{'rank':>4}  {'corner':<16}  {'centre':<16}  score")
    for rank, (pos, score) in enumerate(zip(found.positions, found.scores), 1):
        corner = pos - half if args.pad_input else pos
        print(f"{rank:>4}  {_tuple(corner):<16}  {_tuple(corner + half):<16}  {score:.6f}")
    if not len(found.scores):
        print("no match" + (f" with score >= {args.threshold}" if args.threshold is not None else ""))
    if out is not None:
        fig = _figure(scores, found, template.shape, args.pad_input)
        written = atomic_write(out, lambda f: fig.savefig(f, format=out.suffix.lower().lstrip("."), dpi=90),
                               force=args.force, parents=False)
        print(f"wrote {written}")
    return 0


def _tuple(pos: Any) -> str:
    return "(" + ", ".join(str(int(i)) for i in pos) + ")"


def _figure(scores: np.ndarray, found: Any, tshape: tuple[int, ...], pad_input: bool) -> Any:
    """The score map (a line for 1-D, an image for 2-D, the best match's slice for 3-D), matches marked."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7, 5) if scores.ndim > 1 else (8, 3.5))
    ax = fig.add_subplot()
    where = "centre" if pad_input else "corner"
    if scores.ndim == 1:
        ax.plot(scores, color="k", lw=1)
        ax.plot(found.positions[:, 0], found.scores, "o", color="tab:red")
        ax.set_xlabel(f"position of the template's {where}")
        ax.set_ylabel("score")
    else:
        view = scores if scores.ndim == 2 else scores[..., int(found.positions[0, 2]) if len(found.scores) else 0]
        im = ax.imshow(view, cmap="magma", vmin=-1, vmax=1)
        fig.colorbar(im, ax=ax, shrink=0.85, label="score")
        ax.plot(found.positions[:, 1], found.positions[:, 0], "+", color="cyan", ms=14, mew=2)
        ax.set_xlabel(f"template's {where}: column")
        ax.set_ylabel("row")
    for rank, (pos, score) in enumerate(zip(found.positions, found.scores), 1):
        xy = (pos[0], score) if scores.ndim == 1 else (pos[1], pos[0])
        ax.annotate(f"{rank}: {score:.3f}", xy, xytext=(6, 6), textcoords="offset points", color="tab:cyan"
                    if scores.ndim > 1 else "tab:red", fontsize=9)
    ax.set_title(f"match_template scores, template {'x'.join(map(str, tshape))}: {len(found.scores)} best")
    return fig
