"""``filterbank match IMAGE TEMPLATE``: the best matches printed, the plot written safely, bad input one line."""

from __future__ import annotations

import numpy as np
import pytest

from filterbank.cli import main


@pytest.fixture
def files(tmp_path):
    rng = np.random.default_rng(4)
    image = rng.standard_normal((60, 70))
    template = rng.standard_normal((6, 5))
    for r, c in ((3, 50), (30, 8)):
        image[r:r + 6, c:c + 5] += 3 * template
    np.save(tmp_path / "image.npy", image)
    np.save(tmp_path / "template.npy", template)
    return tmp_path


def test_prints_best_positions_and_scores(files, capsys):
    assert main(["match", str(files / "image.npy"), str(files / "template.npy"), "-k", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["rank", "corner", "centre", "score"]
    rows = [line.split("  ") for line in lines[1:]]
    corners = sorted(line[line.index("("):line.index(")") + 1] for line in lines[1:])
    assert corners == ["(3, 50)", "(30, 8)"] and len(rows) == 2
    assert all(float(line.split()[-1]) > 0.9 for line in lines[1:])


def test_pad_input_reports_the_same_corners(files, capsys):
    assert main(["match", str(files / "image.npy"), str(files / "template.npy"), "-k", "1", "--pad-input",
                 "--mode", "reflect"]) == 0
    row = capsys.readouterr().out.splitlines()[1]
    assert "(3, 50)" in row or "(30, 8)" in row
    assert "(6, 52)" in row or "(33, 10)" in row  # the centre: corner + (6 // 2, 5 // 2)


def test_threshold_can_leave_no_match(files, capsys):
    assert main(["match", str(files / "image.npy"), str(files / "template.npy"), "--threshold", "0.9999"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "no match with score >= 0.9999"


def test_plot_written_once_then_refused_without_force(files, capsys):
    out = files / "scores.png"
    args = ["match", str(files / "image.npy"), str(files / "template.npy"), "--plot", str(out)]
    assert main(args) == 0
    assert out.read_bytes()[:4] == b"\x89PNG"
    assert capsys.readouterr().out.splitlines()[-1] == f"wrote {out}"
    assert main(args) == 2
    assert "exists; pass --force to overwrite it" in capsys.readouterr().err
    assert main([*args, "--force"]) == 0


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--mode", "refelct"], "did you mean 'reflect'?"),
        (["-k", "0"], "--matches must be >= 1; got 0"),
        (["--min-distance", "0"], "--min-distance must be >= 1; got 0"),
        (["--plot", "scores.txt"], "must end in an image suffix"),
    ],
)
def test_bad_arguments_one_line_exit_2(files, capsys, extra, message):
    assert main(["match", str(files / "image.npy"), str(files / "template.npy"), *extra]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1 and err.startswith("filterbank match: error:")


def test_bad_inputs_one_line_exit_2(files, capsys):
    np.save(files / "flat.npy", np.ones((4, 4)))
    np.save(files / "big.npy", np.ones((80, 80)))
    cases = [
        ([str(files / "missing.npy"), str(files / "template.npy")], "IMAGE"),
        ([str(files / "image.npy"), str(files / "flat.npy")], "template must not be constant"),
        ([str(files / "image.npy"), str(files / "big.npy")], "template must fit in the image"),
    ]
    for paths, message in cases:
        assert main(["match", *paths]) == 2
        err = capsys.readouterr().err
        assert message in err and len(err.strip().splitlines()) == 1
