"""The documentation site builds strictly, its examples run, its figures come from our code."""

from __future__ import annotations

import doctest
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import scipy.signal
import yaml

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def _nav_files(nav: list) -> list[str]:
    out: list[str] = []
    for entry in nav:
        for value in entry.values() if isinstance(entry, dict) else [entry]:
            out.extend(_nav_files(value) if isinstance(value, list) else [value])
    return out


def test_mkdocs_build_is_strict_and_clean(tmp_path):
    site = tmp_path / "site"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site), "--config-file", str(ROOT / "mkdocs.yml")],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert "WARNING" not in proc.stderr
    assert "Black or Ruff" not in proc.stderr  # signatures are not formatted: no formatter needed
    api = (site / "api" / "index.html").read_text()
    assert "True convolution computed with TensorFlow" in api  # mkdocstrings rendered the docstrings
    cli = (site / "cli" / "index.html").read_text()
    from filterbank.cli import COMMAND_MODULES

    for command in COMMAND_MODULES:
        assert f"usage: filterbank {command}" in cli, f"no generated --help for {command}"
    assert "cli-help" not in cli
    assert (site / "img" / "correlation-vs-convolution.png").exists()


#: Modules whose docstrings still hold Sphinx roles (being converted by their owners); remove names as they go.
ROLES_PENDING: set[str] = set()
SPHINX_ROLE = r":(?:py:)?(?:func|class|meth|mod|data|attr|exc|obj|const):`"


@pytest.mark.parametrize("module", sorted(p.relative_to(ROOT / "filterbank").as_posix()
                                          for p in (ROOT / "filterbank").rglob("*.py")))
def test_docstrings_use_markup_that_mkdocstrings_renders(module):
    import re

    roles = re.findall(SPHINX_ROLE + r"[^`]*`", (ROOT / "filterbank" / module).read_text())
    if module in ROLES_PENDING:
        assert roles, f"{module} has no Sphinx roles left: remove it from ROLES_PENDING"
    else:
        assert not roles, f"{module}: write `name` (or [name][filterbank.name]) instead of {roles[:3]}"


def test_every_page_is_in_the_nav():
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text().replace("!!python", "python"))
    nav = set(_nav_files(config["nav"]))
    pages = {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")}
    assert pages == nav


@pytest.mark.parametrize("page", sorted(p.name for p in DOCS.glob("*.md") if ">>>" in p.read_text()))
def test_python_examples_in_the_docs_run(page):
    failures, tried = doctest.testfile(str(DOCS / page), module_relative=False, optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    assert tried > 0
    assert failures == 0


def test_figures_are_committed_small_and_drawn_by_filterbank(tmp_path):
    spec = importlib.util.spec_from_file_location("make_figures", DOCS / "make_figures.py")
    assert spec is not None and spec.loader is not None
    figures = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(figures)
    for name in ("correlation-vs-convolution.png", "extension-modes.png", "coefficient-mosaic.png"):
        committed = DOCS / "img" / name
        assert committed.read_bytes()[:4] == b"\x89PNG"
        assert committed.stat().st_size < 100_000, f"{name} should stay small"
    r = figures.correlation_vs_convolution(tmp_path / "c.png")
    k = figures.KERNEL
    # hand-derived: an impulse at n = 5 convolved ('same', K = 5 crops from 2) is k starting at n = 3;
    # correlated it is k reversed, ending at n = 7
    expected_conv = np.zeros(15)
    expected_conv[3:8] = k
    expected_corr = np.zeros(15)
    expected_corr[3:8] = k[::-1]
    np.testing.assert_allclose(r["fb.convolve"], expected_conv, atol=1e-15)
    np.testing.assert_allclose(r["scipy.signal.convolve"], expected_conv, atol=1e-15)
    np.testing.assert_allclose(r["fb.correlate"], expected_corr, atol=1e-15)
    np.testing.assert_allclose(r["tf.nn.conv1d (raw)"], expected_corr, atol=1e-15)
    assert np.abs(expected_conv - scipy.signal.correlate(np.eye(15)[5], k, "same")).max() > 0.5


def test_extension_mode_drawing_matches_pywavelets():
    import pywt

    spec = importlib.util.spec_from_file_location("make_figures", DOCS / "make_figures.py")
    assert spec is not None and spec.loader is not None
    figures = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(figures)
    x = figures.SIGNAL
    for mode in ("zero", "constant", "symmetric", "periodic", "reflect"):
        np.testing.assert_array_equal(figures._extend(x, 7, mode), pywt.pad(x, 7, mode), err_msg=mode)


def test_mosaic_figure_is_a_real_decomposition(tmp_path):
    import pywt
    import pywt.data

    spec = importlib.util.spec_from_file_location("make_figures", DOCS / "make_figures.py")
    assert spec is not None and spec.loader is not None
    figures = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(figures)
    coeffs = figures.coefficient_mosaic(tmp_path / "m.png")
    reference = pywt.wavedec2(pywt.data.camera().astype(float)[::2, ::2], "db2", "periodization", 2)
    np.testing.assert_allclose(coeffs[0], reference[0], atol=1e-10)
    for ours, theirs in zip(coeffs[1:], reference[1:]):
        for a, b in zip(ours, theirs):
            np.testing.assert_allclose(a, b, atol=1e-10)
    assert (tmp_path / "m.png").stat().st_size < 100_000


def test_readme_links_point_at_files():
    import re

    readme = (ROOT / "README.md").read_text()
    links = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", readme)
    local = [link for link in links if not link.startswith(("http://", "https://"))]
    assert any(link.startswith("docs/") for link in local)
    for link in local:
        assert (ROOT / link).exists(), f"README links to missing {link}"


def test_packet_chirp_figure_follows_the_chirp_and_equals_pywavelets(tmp_path):
    import pywt

    spec = importlib.util.spec_from_file_location("make_figures", DOCS / "make_figures.py")
    assert spec is not None and spec.loader is not None
    figures = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(figures)
    nodes = figures.packet_chirp(tmp_path / "p.png")
    level = figures.CHIRP_LEVEL
    wp = pywt.WaveletPacket(figures.chirp(), "sym8", "periodization", maxlevel=level)
    np.testing.assert_allclose(nodes, np.stack([n.data for n in wp.get_level(level, "freq")]), atol=1e-10)
    # the loudest band in each column follows the chirp's frequency f(t) = top * t / n (band = 2 f 2**level)
    m = nodes.shape[1]
    t = (np.arange(m) + 0.5) * figures.CHIRP_N / m
    expected = np.floor(2 * figures.CHIRP_TOP * t / figures.CHIRP_N * 2**level)
    assert np.mean(np.abs(np.abs(nodes).argmax(axis=0) - expected) <= 1) > 0.8
    for p in (tmp_path / "p.png", DOCS / "img" / "packet-chirp.png"):
        assert p.read_bytes()[:4] == b"\x89PNG" and p.stat().st_size < 100_000
