"""`presstrace serve` and `presstrace report` as a user runs them, in subprocesses."""

from __future__ import annotations

import re
import subprocess
import sys
import time

import httpx

from .conftest import EXAMPLES, free_port


def test_serve_answers_on_loopback_until_stopped(run_cli):
    assert run_cli.ingested(str(EXAMPLES)).returncode == 0
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "presstrace", "--db", str(run_cli.db), "serve", "--port", str(port)],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 90  # a loaded CI machine starts Python slowly
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stderr.read()
                assert time.monotonic() < deadline, "serve did not come up"
                time.sleep(0.1)
        assert response.json()["counts"]["documents"] == 5
        page = httpx.get(f"http://127.0.0.1:{port}/search", params={"q": "drone"})
        assert page.status_code == 200 and "<mark>" in page.text
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    assert "warning" not in proc.stderr.read()


def test_report_is_one_self_contained_file(run_cli, tmp_path):
    assert run_cli.ingested(str(EXAMPLES)).returncode == 0
    out = tmp_path / "report.html"
    result = run_cli("report", "-o", str(out))
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") and "<svg" in html and "<style>" in html
    assert not re.search(r"<(script|link|img|iframe)\b", html)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)  # nothing to fetch
    assert 'content="default-src &#39;none&#39;; style-src &#39;sha256-' in html
    assert "Express" in html  # top outlet of the examples


def test_report_needs_an_output_file(run_cli):
    assert run_cli("report").returncode == 2
