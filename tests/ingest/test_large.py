"""Several hundred MB through the streamed readers, in a subprocess whose peak memory is
measured: a 300 MB container must cost about one record of memory, not the file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import read, warc_record

SRC = str(Path(__file__).resolve().parents[2] / "src")
RECORDS = 3500
PARAGRAPH = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod. " * 30
BODY = "\n\n".join([PARAGRAPH] * 40)  # ~90 KB per record, ~300 MB per file

COUNT = """
import sys
from presstrace.ingest import IngestFailure, read_inputs
docs = failures = 0
last = None
for item in read_inputs(sys.argv[1:]):
    if isinstance(item, IngestFailure):
        failures += 1
    else:
        docs += 1
        last = item.source
# VmHWM belongs to this program alone; ru_maxrss can carry the forking parent's peak
status = open("/proc/self/status").read()
peak = int(status.split("VmHWM:")[1].split()[0]) // 1024
print(docs, failures, last, peak)
"""


def _write(path: Path, fmt: str) -> None:
    with path.open("wb") as f:
        if fmt == "jsonl":
            for i in range(RECORDS):
                f.write(json.dumps({"title": f"T{i}", "text": f"{i} {BODY}"}).encode() + b"\n")
        elif fmt == "csv":
            f.write(b"id,title,text\n")
            for i in range(RECORDS):
                f.write(f'{i},"T{i}","{i} {BODY}"\n'.encode())
        else:
            page = f"<html><body><p>{BODY}</p></body></html>".encode()
            for i in range(RECORDS):
                f.write(warc_record(f"https://news.example/{i}", page))


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "warc"])
def test_300_mb_container_is_streamed_with_bounded_memory(tmp_path, fmt):
    path = tmp_path / f"big.{fmt}"
    try:
        _write(path, fmt)
        assert path.stat().st_size > 300_000_000
        env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
        done = subprocess.run(
            [sys.executable, "-c", COUNT, str(path)],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
            check=True,
        )
    finally:
        path.unlink(missing_ok=True)
    docs, failures, last, peak_mb = done.stdout.split()
    assert (int(docs), int(failures)) == (RECORDS, 0)
    assert last == f"{path}#{RECORDS}"
    assert int(peak_mb) < 150, f"peak RSS {peak_mb} MB for a 300 MB file"


def test_limit_applies_per_record_not_per_file(tmp_path):
    """The streaming path with a small max_bytes: a 1 MB file of 2 KB records is fine at a 4 KB
    limit, and only the one oversized record fails."""
    path = tmp_path / "many.jsonl"
    lines = [json.dumps({"text": f"{i} " + "word " * 400}) for i in range(500)]
    lines[250] = json.dumps({"text": "huge " * 2000})
    path.write_text("\n".join(lines) + "\n")
    docs, failures = read(path, max_bytes=4096)
    assert len(docs) == 499
    assert [f.reason for f in failures] == ["line 251 too large (9.8 KB > 4.0 KB limit)"]
