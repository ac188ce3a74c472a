"""`filterbank check`, `filterbank plot` and `filterbank specs`, run as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

FIRWIN_QMF = """\
filterbank: 1
name: my-qmf
filters:
  dec_lo:
    design: firwin
    numtaps: 32
    cutoff: 0.525
    window: hamming
derive: qmf
perfect_reconstruction: false
tolerance: 1.0e-2
"""


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3"}
    return subprocess.run(
        [sys.executable, "-m", "filterbank", *args], check=False, capture_output=True, text=True, env=env, cwd=cwd, timeout=300
    )


def write(tmp_path: Path, text: str, name: str = "bank.yaml") -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


@pytest.mark.parametrize("source", ["db4", "bior4.4", "sym5"])
def test_check_pr_bank_exits_0(source):
    proc = cli("check", source)
    assert proc.returncode == 0, proc.stderr
    assert f"filter bank {source!r}" in proc.stdout
    assert "within tolerance 1.0e-09" in proc.stdout
    assert proc.stderr == ""


def test_user_firwin_yaml_checks_plots_and_loads(tmp_path):
    path = write(tmp_path, FIRWIN_QMF)
    proc = cli("check", path)
    assert proc.returncode == 0, proc.stderr
    assert "reconstruction error     4.545e-03  (within tolerance 1.0e-02)" in proc.stdout
    png = tmp_path / "response.png"
    proc = cli("plot", path, "-o", str(png))
    assert proc.returncode == 0, proc.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000
    import filterbank as fb

    bank = fb.load(path)
    assert bank.name == "my-qmf" and bank.dec_len == 32


def test_check_non_pr_bank_exits_1_with_the_report(tmp_path):
    # a PR-claiming spec that is not PR: the report is printed (exit 1), not a crash (exit 2)
    path = write(tmp_path, FIRWIN_QMF.replace("perfect_reconstruction: false\ntolerance: 1.0e-2\n", ""))
    proc = cli("check", path)
    assert proc.returncode == 1
    assert "EXCEEDS tolerance 1.0e-09" in proc.stdout
    assert proc.stderr.startswith("filterbank check: bank 'my-qmf' does not reconstruct perfectly: PR error 0.00455")
    assert cli("check", "firwin-qmf", "--tolerance", "1e-9").returncode == 1
    assert cli("check", "dmey").returncode == 1


@pytest.mark.parametrize(
    "text, message",
    [
        ("filterbank: 1\nfilters:\n  dec_lo: {design: firwin, numtaps: 0, cutoff: 0.5}\n",
         "filters.dec_lo.numtaps: must be an integer in [1, 16384]; got 0"),
        ("filterbank: 1\nwavelet: db44\n", "wavelet: must be a discrete PyWavelets wavelet"),
        ("filterbank: 1\nwavelet: !!python/object/apply:os.system [echo pwned]\n",
         "yaml: tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed"),
        ("filterbank: [1\n", "yaml: bank.yaml is not valid YAML"),
    ],
)
def test_check_invalid_spec_exits_2_with_one_line(tmp_path, text, message):
    path = write(tmp_path, text)
    proc = cli("check", path)
    assert proc.returncode == 2
    assert proc.stdout == "" and "pwned" not in proc.stdout
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr
    assert lines[0].startswith(f"filterbank check: error: {path}: ") or lines[0].startswith("filterbank check: error: ")
    assert message in lines[0]


def test_check_reports_every_spec_problem_in_one_run(tmp_path):
    path = write(tmp_path, "filterbank: 1\nlevle: 3\nmode: periodisation\nderive: qmf\n"
                           "filters:\n  dec_lo: {design: firwin, numtaps: 32, cutof: 0.5}\n")
    proc = cli("check", path)
    assert proc.returncode == 2 and proc.stdout == "" and "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert lines[0] == f"filterbank check: error: {path}: 3 problems:"
    assert [line.split(":")[0] for line in lines[1:]] == ["  levle", "  mode", "  filters.dec_lo.cutof"]
    assert "(did you mean 'periodization'?)" in lines[2]


def test_check_unknown_name_exits_2_with_a_suggestion():
    proc = cli("check", "johnston-qfm")
    assert proc.returncode == 2
    assert "did you mean 'johnston-qmf'?" in proc.stderr and "Traceback" not in proc.stderr


def test_check_json():
    proc = cli("check", "haar", "--json")
    assert proc.returncode == 0
    data = json.loads(proc.stdout)
    assert data["ok"] and data["orthogonal"] and data["delay"] == 1
    assert data["filters"][0]["role"] == "dec_lo"


def test_specs_lists_and_prints(tmp_path):
    proc = cli("specs")
    assert proc.returncode == 0
    names = [line.split()[0] for line in proc.stdout.splitlines()]
    assert names == ["bior4.4", "cmor1.5-1.0", "coif3", "db4", "dft8", "firwin-qmf", "haar", "johnston-qmf", "mexh",
                     "pqmf16", "pqmf32", "pqmf4", "pqmf8", "sym8"]
    proc = cli("specs", "johnston-qmf")
    assert proc.returncode == 0 and proc.stdout.startswith("filterbank: 1\nname: johnston-qmf\n")
    import filterbank as fb

    copy = write(tmp_path, proc.stdout, "copy.yaml")
    assert fb.load(copy).check().pr_error == fb.load("johnston-qmf").check().pr_error


def test_plot_bad_output_exits_2(tmp_path):
    proc = cli("plot", "haar", "-o", str(tmp_path / "missing-dir" / "x.png"))
    assert proc.returncode == 2
    assert proc.stderr.startswith("filterbank plot: error: cannot write")
    proc = cli("plot", "haar", "-o", str(tmp_path / "outdir"))
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.startswith(f"filterbank plot: error: output {str(tmp_path / 'outdir')!r} must end in an image "
                                  "suffix: .eps, ")
    proc = cli("plot", "haar", "-o", str(tmp_path))
    assert proc.returncode == 2 and "is a folder; give a file name" in proc.stderr
    assert list(tmp_path.iterdir()) == []
    proc = cli("plot", "haar", "-o", str(tmp_path / "r.svg"))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == f"wrote {tmp_path / 'r.svg'}\n" and (tmp_path / "r.svg").read_text().startswith("<?xml")


def test_check_is_fast_and_does_not_load_tensorflow():
    code = (
        "import sys, time; t = time.perf_counter(); from filterbank.cli import main; rc = main(['check', 'db4']); "
        "print(rc, time.perf_counter() - t, any(m.startswith('tensorflow') for m in sys.modules))"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, env=env, timeout=120)
    rc, seconds, tf_loaded = proc.stdout.split()[-3:]
    assert rc == "0" and tf_loaded == "False"
    assert float(seconds) < 5.0  # typically ~0.3 s; generous for loaded CI machines


def test_plot_and_check_of_a_single_filter(tmp_path):
    spec = write(tmp_path, "filterbank: 1\nkind: filter\nname: lp\nfilter: {design: firwin, numtaps: 31, cutoff: 0.3}\n")
    png = tmp_path / "lp.png"
    proc = cli("plot", spec, "-o", str(png))
    assert proc.returncode == 0, proc.stderr
    assert png.read_bytes()[:4] == b"\x89PNG"
    proc = cli("check", spec)
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"filterbank check: error: {spec}: is a 'kind: filter' spec; this command needs a bank"


def test_check_refuses_a_bad_tolerance():
    proc = cli("check", "haar", "--tolerance", "-1")
    assert proc.returncode == 2
    assert proc.stderr.strip() == "filterbank check: error: --tolerance must be in (0, 1]; got -1.0"


@pytest.mark.parametrize("args, code", [("check db4", 141), ("check db4 --json", 141), ("specs", 141),
                                        ("specs johnston-qmf", 141), ("--help", 0)])
def test_a_reader_that_goes_away_ends_the_command_quietly(args, code):
    read, write = os.pipe()
    os.close(read)  # the reader is gone before the first write: every write fails with EPIPE
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    try:
        proc = subprocess.run([sys.executable, "-m", "filterbank", *args.split()], stdout=write,
                              stderr=subprocess.PIPE, text=True, env=env, timeout=120, check=False)
    finally:
        os.close(write)
    assert (proc.returncode, proc.stderr) == (code, "")


def test_head_of_a_long_report_through_a_shell_pipe():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    script = f"set -o pipefail; {sys.executable} -m filterbank check db4 --json | head -3"
    proc = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=env, timeout=120, check=False)
    assert proc.stdout.splitlines()[0] == "{" and len(proc.stdout.splitlines()) == 3
    assert proc.stderr == "" and proc.returncode in (0, 141)  # 0 when head read all before it closed
