"""Mutation testing of filterbank's core modules with mutmut, sampled so a developer waits minutes.

Usage (from the repository root, ``pip install -e .[test,mutation]`` first)::

    python tools/mutate.py                      # 20 mutants of each core module, seed 0
    python tools/mutate.py --modules check ops --sample 50
    python tools/mutate.py --modules swt --sample 0           # every mutant of swt.py
    python tools/mutate.py --shard 2/4 --sample 0             # a quarter of all mutants, for CI

It never touches the working tree: the tracked and untracked (not ignored)
files are copied to ``--workdir`` (default ``/tmp/filterbank-mutation``,
reused between runs so mutmut's test-to-function map is kept), mutmut is
configured there (a ``setup.cfg`` written by this script: mutate only the
chosen modules, run only their tests and doctests, forkserver isolation
because TensorFlow is not fork-safe) and each sampled mutant runs only the
tests that call the mutated function. The summary counts killed, survived,
timed-out and untested mutants per module; mutants listed in
``docs/testing.md`` under "Equivalent mutants" are reported as equivalent
and left out of the score ``killed / (killed + survived)``. Exit status 1
when a sampled, non-equivalent mutant survives.

A Python script rather than a shell one: it must sample, shard, parse
mutmut's results and read the equivalents list, and run the same on every OS.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: Short name of a core module -> its file under filterbank/ (the names of the sample in docs/testing.md).
PATHS: dict[str, str] = {
    "plan": "plans/decimated",
    "modes": "modes",
    "numpy_backend": "backend/numpy_executors",
    "executors": "backend/tf_executors",
    "derive": "design/derive",
    "check": "design/check",
    "swt": "transforms/stationary",
    "a_trous": "backend/a_trous",
    "tree": "plans/tree",
    "dtypes": "dtypes",
    "ops": "ops",
}

#: Core module -> the tests that exercise it (its own doctests are always added).
TESTS: dict[str, tuple[str, ...]] = {
    "plan": ("tests/test_plan.py", "tests/test_transform_parity.py", "tests/test_mutants_core.py"),
    "modes": ("tests/test_modes.py", "tests/test_transform_parity.py", "tests/test_mutants_modes.py"),
    "numpy_backend": ("tests/test_transform_parity.py", "tests/test_tiers.py", "tests/test_mutants_numpy.py"),
    "executors": ("tests/test_transform.py", "tests/test_transform_parity.py", "tests/test_mutants_numpy.py"),
    "derive": ("tests/test_derive.py", "tests/test_design.py", "tests/test_mutants_core.py"),
    "check": ("tests/test_check.py", "tests/test_design.py", "tests/test_testing_banks.py", "tests/test_mutants_core.py"),
    "swt": ("tests/test_swt.py", "tests/test_mutants_swt.py"),
    "a_trous": ("tests/test_swt.py", "tests/test_mutants_swt.py"),
    "tree": ("tests/test_tree.py", "tests/test_transform_parity.py", "tests/test_swt.py"),
    "dtypes": ("tests/test_dtypes.py", "tests/test_transform.py", "tests/test_ops.py", "tests/test_mutants_core.py"),
    "ops": ("tests/test_ops.py", "tests/test_ops_scipy.py"),
}

_STATUS = re.compile(r"^\s*(filterbank\.\S+): (.+)$")
_EQUIVALENT = re.compile(r"`(filterbank\.[\wǁ.]+__mutmut_\d+)`")


def equivalents(doc: Path = ROOT / "docs" / "testing.md") -> set[str]:
    """Mutant names listed as equivalent (with why) in docs/testing.md."""
    if not doc.exists():
        return set()
    section = doc.read_text().partition("### Equivalent mutants")[2]
    return {name for line in section.splitlines() if line.startswith("- `filterbank.") for name in _EQUIVALENT.findall(line.split(": ", 1)[0])}


def copy_tree(workdir: Path) -> None:
    files = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    for rel in files:
        src, dst = ROOT / rel, workdir / rel
        if src.is_file() and (not dst.exists() or dst.read_bytes() != src.read_bytes()):
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)


def write_config(workdir: Path, modules: list[str]) -> None:
    tests = sorted({t for m in modules for t in TESTS[m]} | {f"filterbank/{PATHS[m]}.py" for m in modules})
    lines = [
        "[mutmut]",
        "source_paths = filterbank",
        "only_mutate =\n" + "\n".join(f"    filterbank/{PATHS[m]}.py" for m in modules),
        "pytest_add_cli_args_test_selection =\n" + "\n".join(f"    {t}" for t in tests),
        "pytest_add_cli_args =\n    -p\n    no:cacheprovider\n    -q\n    --doctest-modules",
        "process_isolation = forkserver",
        "timeout_multiplier = 5.0",
        "",
    ]
    (workdir / "setup.cfg").write_text("\n".join(lines))
    # mutmut reads [tool.mutmut] from pyproject.toml first: keep ours out of the way
    py = workdir / "pyproject.toml"
    py.write_text(re.sub(r"(?ms)^\[tool\.mutmut\].*?(?=^\[|\Z)", "", py.read_text()))


def mutmut(workdir: Path, *args: str, capture: bool = False) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONPATH": str(workdir / "mutants")}
    cmd = [sys.executable, "-m", "mutmut", *args]
    return subprocess.run(cmd, cwd=workdir, env=env, text=True, capture_output=capture)


def generate(workdir: Path) -> list[str]:
    """Create the mutants (mutmut's own generation step) and return every mutant name."""
    code = (
        "import os; os.environ['MUTANT_UNDER_TEST'] = 'mutant_generation'\n"
        "import mutmut.__main__ as m\n"
        "from pathlib import Path\n"
        "Path('mutants').mkdir(exist_ok=True)\n"
        "m.copy_src_dir(); m.copy_also_copy_files(); m.setup_source_paths(); m.create_mutants(1)\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=workdir, check=True, capture_output=True, text=True)
    names = []
    for meta in sorted((workdir / "mutants" / "filterbank").rglob("*.py.meta")):
        names += json.loads(meta.read_text())["exit_code_by_key"]
    return names


def results(workdir: Path) -> dict[str, str]:
    out = mutmut(workdir, "results", "--all", "true", capture=True).stdout
    return {m.group(1): m.group(2).strip() for line in out.splitlines() if (m := _STATUS.match(line))}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--modules", nargs="+", default=sorted(TESTS), choices=sorted(TESTS), metavar="MODULE")
    p.add_argument("--sample", type=int, default=20, help="mutants per module (0: all); default 20")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--shard", default="1/1", help="i/n: run the i-th of n interleaved slices of the sample")
    p.add_argument("--jobs", type=int, default=1, help="mutants run in parallel (default 1)")
    p.add_argument("--workdir", type=Path, default=Path("/tmp/filterbank-mutation"))
    args = p.parse_args(argv)
    index, count = (int(v) for v in args.shard.split("/"))

    args.workdir.mkdir(parents=True, exist_ok=True)
    copy_tree(args.workdir)
    write_config(args.workdir, args.modules)
    names = generate(args.workdir)
    rng = random.Random(args.seed)
    chosen: list[str] = []
    for module in args.modules:
        mine = sorted(n for n in names if n.startswith(f"filterbank.{module}."))
        chosen += mine if args.sample <= 0 or args.sample >= len(mine) else sorted(rng.sample(mine, args.sample))
    chosen = chosen[index - 1 :: count]
    print(f"{len(chosen)} mutants of {len(names)} in {', '.join(args.modules)} (seed {args.seed}, shard {args.shard})")
    if chosen:
        mutmut(args.workdir, "run", "--max-children", str(args.jobs), *chosen, capture=True)

    status = results(args.workdir)
    equivalent = equivalents()
    survivors = []
    print(f"\n{'module':<15}{'killed':>8}{'survived':>10}{'equivalent':>12}{'untested':>10}{'other':>7}{'score':>8}")
    for module in args.modules:
        mine = [n for n in chosen if n.startswith(f"filterbank.{module}.")]
        counts = {"killed": 0, "survived": 0, "equivalent": 0, "untested": 0, "other": 0}
        for n in mine:
            s = status.get(n, "not run")
            if n in equivalent and s == "survived":
                counts["equivalent"] += 1
            elif s in ("killed", "timeout", "segfault"):
                counts["killed"] += 1
            elif s == "survived":
                counts["survived"] += 1
                survivors.append(n)
            elif s == "no tests":
                counts["untested"] += 1
                survivors.append(n)
            else:
                counts["other"] += 1
        scored = counts["killed"] + counts["survived"] + counts["untested"]
        score = f"{100 * counts['killed'] / scored:.0f}%" if scored else "-"
        print(f"{module:<15}" + "".join(f"{counts[k]:>{w}}" for k, w in
                                        (("killed", 8), ("survived", 10), ("equivalent", 12), ("untested", 10), ("other", 7)))
              + f"{score:>8}")
    for n in survivors:
        diff = mutmut(args.workdir, "show", n, capture=True).stdout
        change = [line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")]
        print(f"\n{n} ({status.get(n)}):\n  " + "\n  ".join(change))
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
