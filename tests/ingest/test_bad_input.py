"""Inputs that cannot be read: each is one failure with a short, specific reason."""

from __future__ import annotations

import os
import struct
import tempfile
import time
import zipfile
import zlib

import pytest

from presstrace.ingest import read_inputs

from .helpers import one_failure, read


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    chunks = chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks


def test_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert one_failure(path) == f"{path}: empty file"


def test_whitespace_only_file(tmp_path):
    path = tmp_path / "blank.txt"
    path.write_bytes(b"  \n\t\r\n   \n")
    assert one_failure(path) == f"{path}: only whitespace (no text)"


def test_binary_file_with_nul_bytes(tmp_path):
    path = tmp_path / "data.txt"
    path.write_bytes(b"abc\x00\x01\x02def" * 100)
    assert one_failure(path) == f"{path}: binary file (not text)"


def test_binary_file_of_control_characters(tmp_path):
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(range(1, 9)) * 50 + b"some letters" * 5)
    assert one_failure(path) == f"{path}: binary file (not text)"


def test_png_image(tmp_path):
    path = tmp_path / "photo.png"
    path.write_bytes(_png())
    assert one_failure(path) == f"{path}: binary file (PNG image)"


def test_png_renamed_to_txt_is_still_binary(tmp_path):
    path = tmp_path / "photo.txt"
    path.write_bytes(_png())
    assert one_failure(path) == f"{path}: binary file (PNG image)"


def test_zip_archive(tmp_path):
    path = tmp_path / "articles.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("a.txt", "An article.")
    assert one_failure(path) == f"{path}: binary file (ZIP archive; unpack it first)"


def test_pdf(tmp_path):
    path = tmp_path / "paper.pdf"
    path.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    assert one_failure(path) == f"{path}: binary file (PDF document; extract its text first)"


def test_missing_path(tmp_path):
    path = tmp_path / "nope.txt"
    assert one_failure(path) == f"{path}: no such file or directory"


def test_glob_matching_nothing(tmp_path):
    pattern = str(tmp_path / "*.nothing")
    assert one_failure(pattern) == f"{pattern}: no files match this pattern"


def test_sparse_file_over_the_limit_fails_without_being_read(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.write(b"A real article begins here.\n" * 40_000)  # ~1 MB of text, then a hole
        f.truncate(310 * 2**20)
    start = time.monotonic()
    message = one_failure(path)
    assert time.monotonic() - start < 1.0  # checked by size: 310 MB are never read
    assert message == (
        f"{path}: file too large (310 MB > 50 MB limit; split it or raise --max-bytes)"
    )


def test_max_bytes_is_configurable(tmp_path):
    path = tmp_path / "long.html"
    path.write_text("<html><body>" + "<p>Paragraph.</p>" * 200 + "</body></html>")
    docs, _ = read(path)
    assert len(docs) == 1
    message = one_failure(path, max_bytes=1024)
    assert message == (
        f"{path}: file too large (3.3 KB > 1.0 KB limit; split it or raise --max-bytes)"
    )


def _as_nobody(fn):
    """Run fn with the effective uid of `nobody` when root (root reads any file)."""
    if os.geteuid() != 0:
        return fn()
    os.seteuid(65534)
    try:
        return fn()
    finally:
        os.seteuid(0)


def test_permission_denied():
    folder = tempfile.mkdtemp(prefix="presstrace-perm-")
    try:
        os.chmod(folder, 0o755)
        path = os.path.join(folder, "secret.txt")
        with open(path, "w") as f:
            f.write("An article nobody may read.")
        os.chmod(path, 0o000)
        docs, failures = _as_nobody(lambda: read(path))
        assert not docs
        assert [f"{f.source}: {f.reason}" for f in failures] == [f"{path}: permission denied"]
    finally:
        os.chmod(path, 0o644)
        os.remove(path)
        os.rmdir(folder)


def test_permission_denied_inside_a_folder_spares_the_rest():
    folder = tempfile.mkdtemp(prefix="presstrace-perm-")
    locked = os.path.join(folder, "locked")
    try:
        os.chmod(folder, 0o755)
        os.mkdir(locked)
        with open(os.path.join(folder, "ok.txt"), "w") as f:
            f.write("A readable article.")
        with open(os.path.join(locked, "hidden.txt"), "w") as f:
            f.write("Unreachable.")
        os.chmod(locked, 0o000)
        docs, failures = _as_nobody(lambda: read(folder))
        assert [os.path.basename(d.source) for d in docs] == ["ok.txt"]
        assert [f"{f.source}: {f.reason}" for f in failures] == [f"{locked}: permission denied"]
    finally:
        os.chmod(locked, 0o755)
        os.remove(os.path.join(locked, "hidden.txt"))
        os.rmdir(locked)
        os.remove(os.path.join(folder, "ok.txt"))
        os.rmdir(folder)


def test_a_failure_never_stops_the_other_inputs(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("A good article about the war.")
    (tmp_path / "empty.txt").write_bytes(b"")
    items = list(read_inputs([str(tmp_path / "missing"), str(tmp_path / "empty.txt"), str(good)]))
    assert [type(i).__name__ for i in items] == ["IngestFailure", "IngestFailure", "RawDocument"]


@pytest.mark.parametrize(
    "content,reason",
    [
        (b"<?xml version='1.0'?><urlset><url><loc>x</loc></url></urlset>", "XML but not an RSS"),
        (b"\x1f\x8b\x08\x00garbage-not-gzip", "gzip"),
    ],
)
def test_unsupported_or_corrupt_containers(tmp_path, content, reason):
    path = tmp_path / "thing"
    path.write_bytes(content)
    assert reason in one_failure(path)
