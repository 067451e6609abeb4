"""Folders, globs, stdin and the order in which inputs are read."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .helpers import one_failure, read

SRC = str(Path(__file__).resolve().parents[2] / "src")

READ_STDIN = """
import json, sys
from presstrace.ingest import IngestFailure, read_inputs
out = []
for item in read_inputs(sys.argv[1:]):
    if isinstance(item, IngestFailure):
        out.append({"failure": f"{item.source}: {item.reason}"})
    else:
        out.append({"source": item.source, "kind": item.kind, "content": item.content,
                    "id": item.id, "hints": item.hints})
print(json.dumps(out))
"""


def _stdin(data: bytes, *specs: str) -> list[dict]:
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run(
        [sys.executable, "-c", READ_STDIN, *(specs or ("-",))],
        input=data,
        capture_output=True,
        timeout=60,
        env=env,
        check=True,
    )
    return json.loads(done.stdout)


def _tree(root: Path) -> None:
    (root / "b").mkdir(parents=True)
    (root / "a.txt").write_text("Article A.")
    (root / "b" / "c.html").write_text("<html><body><p>Article C.</p></body></html>")
    (root / "b" / "d.jsonl").write_text('{"text": "D1"}\n{"text": "D2"}\n')
    (root / ".hidden.txt").write_text("secret")
    (root / ".git").mkdir()
    (root / ".git" / "config.txt").write_text("not an article")
    (root / "page_files").mkdir()
    (root / "page_files" / "style.css").write_text("p { color: red }")
    (root / "page_files" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n....")


def test_folder_is_walked_recursively_sorted_skipping_hidden_and_assets(tmp_path):
    _tree(tmp_path / "corpus")
    docs, failures = read(tmp_path / "corpus")
    assert not failures
    root = str(tmp_path / "corpus")
    assert [d.source for d in docs] == [
        os.path.join(root, "a.txt"),
        os.path.join(root, "b", "c.html"),
        os.path.join(root, "b", "d.jsonl") + "#1",
        os.path.join(root, "b", "d.jsonl") + "#2",
    ]


def test_empty_folder(tmp_path):
    (tmp_path / "empty").mkdir()
    assert one_failure(tmp_path / "empty") == f"{tmp_path / 'empty'}: folder has no files to read"


def test_recursive_glob(tmp_path):
    _tree(tmp_path / "corpus")
    docs, failures = read(str(tmp_path / "corpus" / "**" / "*.html"))
    assert not failures and [os.path.basename(d.source) for d in docs] == ["c.html"]
    docs, _ = read(str(tmp_path / "corpus" / "*"))  # matches a.txt and the folder b
    assert [os.path.basename(d.source) for d in docs] == [
        "a.txt",
        "c.html",
        "d.jsonl#1",
        "d.jsonl#2",
    ]


def test_a_file_named_like_a_glob_is_read_as_a_path(tmp_path):
    path = tmp_path / "notes[1].txt"
    path.write_text("Bracketed name.")
    [doc], _ = read(path)
    assert doc.source == str(path)


def test_relative_paths_are_kept_as_given(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("x.txt").write_text("Relative.")
    [doc], _ = read("x.txt")
    assert doc.source == "x.txt"


def test_unsupported_url_scheme():
    assert one_failure("ftp://example.com/a.txt") == (
        "ftp://example.com/a.txt: unsupported URL scheme 'ftp' (use http or https)"
    )


def test_stdin_text():
    [doc] = _stdin("Une dépêche.\r\nDeuxième ligne.\n".encode())
    assert doc["source"] == "<stdin>" and doc["kind"] == "text"
    assert doc["content"] == "Une dépêche.\nDeuxième ligne.\n"


def test_stdin_is_sniffed_html_and_jsonl():
    [doc] = _stdin(b"<!doctype html><html><body><p>Piped page.</p></body></html>")
    assert doc["kind"] == "html"
    docs = _stdin(b'{"text": "one", "url": "https://x/1"}\n{"text": "two"}\n')
    assert [d["source"] for d in docs] == ["<stdin>#1", "<stdin>#2"]
    assert docs[0]["hints"] == {"url": "https://x/1"}


def test_stdin_larger_than_the_sniffing_head_is_read_whole():
    lines = b"".join(b'{"text": "record %d"}\n' % i for i in range(20000))  # ~400 KB
    docs = _stdin(lines)
    assert len(docs) == 20000 and docs[-1]["content"] == "record 19999"


def test_empty_stdin():
    assert _stdin(b"") == [{"failure": "<stdin>: empty input"}]


def test_stdin_and_a_file_together(tmp_path):
    path = tmp_path / "f.txt"
    path.write_text("From a file.")
    docs = _stdin(b"From stdin.", str(path), "-")
    assert [d["content"] for d in docs] == ["From a file.", "From stdin."]


def test_stdin_given_twice_is_read_once():
    docs = _stdin(b"Only once.", "-", "-")
    assert docs == [
        {
            "source": "<stdin>",
            "kind": "text",
            "content": "Only once.",
            "id": docs[0]["id"],
            "hints": {},
        },
        {"failure": "<stdin>: empty input"},
    ]


def test_gzipped_stdin():
    import gzip

    docs = _stdin(gzip.compress(b'{"text": "a"}\n{"text": "b"}\n'))
    assert [d["content"] for d in docs] == ["a", "b"]
