"""Regression tests for the inputs that hung, crashed or blew up an ingest (issue 15), each on
the input that showed it: per-record failures naming the file and record, good records still
taken, bounded work, and text that a store and a terminal can take."""

from __future__ import annotations

import gzip
import json
import os
import signal
from pathlib import Path

import pytest

from presstrace.ingest.sanitize import MAX_CONTENT_CHARS, clean_text, shown

from .helpers import read, warc_record

BODY = "The minister said the new bridge over the river would open in the spring. " * 8


@pytest.fixture(autouse=True)
def no_hang():
    """Every test here fails (instead of hanging CI) after 20 s: most of them once hung."""

    def hung(*_):
        raise TimeoutError("the read hung")

    old = signal.signal(signal.SIGALRM, hung)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


def jsonl(*records: dict | str) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


def reasons(failures) -> list[str]:
    return [f.reason for f in failures]


# -- 2: lone surrogates and file names ---------------------------------------------------------


@pytest.mark.parametrize("field", ["title", "url", "author", "date", "language"])
def test_lone_surrogate_in_a_metadata_field_is_replaced(tmp_path, field):
    path = tmp_path / "a.jsonl"
    path.write_text(jsonl({field: "x \ud800 y", "text": BODY}, {"text": BODY + "2"}),
                    encoding="utf-8", errors="surrogatepass")  # fmt: skip
    docs, failures = read(path)
    assert not failures
    assert len(docs) == 2
    assert docs[0].hints[field] == "x \ufffd y"
    json.dumps(docs[0].hints).encode("utf-8")  # what add_batch choked on


def test_surrogates_nul_and_escapes_leave_the_text(tmp_path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"text": BODY + "\ud800 a\x00b \x1b[31mred\x7f"}))
    (doc,), _ = read(path)
    assert doc.content.endswith("\ufffd ab [31mred")
    doc.content.encode("utf-8")


def test_a_name_that_is_not_utf8_or_holds_a_newline_is_shown_escaped(tmp_path):
    os.mkdir(tmp_path / "in")
    with open(os.path.join(os.fsencode(tmp_path / "in"), b"bad\xffname.txt"), "wb") as f:
        f.write(BODY.encode())
    (tmp_path / "in" / "evil\nname\x1b[31m.txt").write_text("")
    docs, failures = read(tmp_path / "in")
    assert [Path(d.source).name for d in docs] == ["bad\\xffname.txt"]
    docs[0].source.encode("utf-8")
    assert [Path(f.source).name for f in failures] == ["evil\\nname\\x1b[31m.txt"]
    assert "\n" not in str(failures[0]) and "\x1b" not in str(failures[0])


def test_shown_and_clean_text_are_idempotent():
    for name in ["a\nb", "bad\udcffname", "\x1b[2J", "plain.txt", "tab\there", "e\u2028f"]:
        assert shown(shown(name)) == shown(name)
        assert shown(name).isprintable()
    assert clean_text("a\x0cb\x0bc") == "a\nb\nc"
    assert clean_text("caf\u00e9 \u201cok\u201d\n\tx") == "caf\u00e9 \u201cok\u201d\n\tx"


def test_cli_stores_the_good_records_beside_a_surrogate_title(run_cli, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    records = [{"title": "Bridge \ud800", "url": "http://a/\udc80", "text": BODY}]
    records += [{"title": f"Story {n}", "text": f"{BODY} Number {n}."} for n in range(5)]
    (folder / "a.jsonl").write_text(jsonl(*records), encoding="utf-8", errors="surrogatepass")
    with open(os.path.join(os.fsencode(folder), b"caf\xe9.txt"), "wb") as f:
        f.write(f"{BODY} A latin-1 named file.".encode())
    proc = run_cli("ingest", "--skip", "extract", "--skip", "stories", str(folder), "--json")
    assert proc.returncode == 0, proc.stderr.decode()
    assert b"Traceback" not in proc.stderr
    assert json.loads(proc.stdout)["added"] == 7
    listed = run_cli("export", "--format", "jsonl").stdout.decode("utf-8")
    sources = sorted(json.loads(line)["source"] for line in listed.splitlines())
    assert sources[0] == f"{folder}/a.jsonl#1" and sources[-1] == f"{folder}/caf\\xe9.txt"


def test_cli_failure_lines_cannot_be_forged_by_a_file_name(run_cli, tmp_path):
    name = "x.txt\npresstrace: all good\x1b[2K"
    (tmp_path / name).write_bytes(b"")
    proc = run_cli("ingest", "--skip", "extract", str(tmp_path / name))
    assert proc.returncode == 1
    err = proc.stderr.decode()
    assert "\x1b" not in err
    assert [line for line in err.splitlines() if "empty file" in line] == [
        f"presstrace: {tmp_path}/x.txt\\npresstrace: all good\\x1b[2K: empty file"
    ]


@pytest.mark.parametrize("value", ["0", "-1"])
def test_max_bytes_must_be_positive(run_cli, value):
    proc = run_cli("ingest", "--max-bytes", value, "x.txt")
    assert proc.returncode == 2
    assert b"must be 1 or more" in proc.stderr


# -- 3: inputs that never finished -----------------------------------------------------------


def test_json_array_holding_a_4400_digit_integer_ends(tmp_path):
    path = tmp_path / "a.json"
    path.write_text("[" + "1" * 4400 + "]")
    docs, failures = read(path)
    assert not docs
    assert reasons(failures) == [
        "record 1 (line 1): holds an integer too long to read (over 4,300 digits)"
    ]


def test_a_bad_array_element_costs_one_record(tmp_path):
    path = tmp_path / "a.json"
    path.write_text(
        "[\n"
        + json.dumps({"text": BODY}) + ",\n"
        + "9" * 5000 + ",\n"
        + "[" * 1200 + "]" * 1200 + ",\n"
        + '{"text": nope},\n'
        + json.dumps({"text": BODY + " 2"}) + "\n]"
    )  # fmt: skip
    docs, failures = read(path)
    assert [d.source.rsplit("#")[1] for d in docs] == ["1", "5"]
    assert reasons(failures) == [
        "record 2 (line 3): holds an integer too long to read (over 4,300 digits)",
        "record 3 (line 4): nested too deep to read",
        "record 4 (line 5): invalid JSON (Expecting value)",
    ]
    assert all(f.source == str(path) for f in failures)


def test_a_fifo_given_or_in_a_folder_does_not_block(tmp_path, monkeypatch):
    monkeypatch.setattr("presstrace.ingest.inputs.FIFO_WAIT", 0.5)
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "pipe.txt")
    (folder / "ok.txt").write_text(BODY)
    docs, failures = read(folder)
    assert [Path(d.source).name for d in docs] == ["ok.txt"]
    assert reasons(failures) == ["not a regular file (a named pipe); skipped"]
    docs, failures = read(folder / "pipe.txt")
    assert not docs and reasons(failures) == ["named pipe: nothing written to it in 0.5 s"]


def test_recursive_glob_over_symlink_loops_ends_and_reads_each_file_once(tmp_path):
    (tmp_path / "a.txt").write_text(BODY)
    os.symlink(".", tmp_path / "l1")
    os.symlink(".", tmp_path / "l2")
    docs, failures = read(f"{tmp_path}/**/*.txt")
    assert [d.source for d in docs] == [f"{tmp_path}/a.txt"]
    assert not failures
    docs, _ = read(f"{tmp_path}/*/*/*.txt")  # bounded by the pattern; still read once
    assert len(docs) == 1


def test_recursive_glob_still_finds_nested_files(tmp_path):
    (tmp_path / "x" / "y").mkdir(parents=True)
    (tmp_path / "x" / "y" / "b.txt").write_text(BODY)
    (tmp_path / "a.txt").write_text(BODY + "a")
    (tmp_path / ".hidden.txt").write_text(BODY + "h")
    docs, _ = read(f"{tmp_path}/**/*.txt")
    assert sorted(Path(d.source).name for d in docs) == ["a.txt", "b.txt"]


# -- 5, 6: amplification and bombs ---------------------------------------------------------------


def test_an_overlong_text_is_stored_cut_with_a_note(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("It rose 5% to $3 million, he said. " * (MAX_CONTENT_CHARS // 30))
    (doc,), failures = read(path)
    assert not failures
    assert len(doc.content) == MAX_CONTENT_CHARS
    assert "characters were not kept" in doc.hints["truncated"]


def test_gzip_bomb_in_a_warc_record_fails_that_record(tmp_path):
    bomb = gzip.compress(b"<html><body><p>" + b"a" * (20 << 20) + b"</p></body></html>")
    page = b"<html><body><p>" + BODY.encode() + b"</p></body></html>"
    path = tmp_path / "a.warc"
    path.write_bytes(
        warc_record("http://x/bomb", bomb, http_headers="Content-Encoding: gzip\r\n")
        + warc_record("http://x/ok", page)
    )
    docs, failures = read(path, max_bytes=1 << 20)
    assert [d.hints["url"] for d in docs] == ["http://x/ok"]
    assert reasons(failures) == [
        "record 1: gzip body inflates to over the 1.0 MB limit (a compression bomb?)"
    ]


# -- 7: one bad line must not end a file ------------------------------------------------------


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ("[" * 995 + "]" * 995, "line 2: nested too deep to read"),
        ('{"text": "a", "n": ' + "1" * 5000 + "}",
         "line 2: holds an integer too long to read (over 4,300 digits)"),
    ],
)  # fmt: skip
def test_one_bad_jsonl_line_costs_one_record(tmp_path, bad, reason):
    path = tmp_path / "a.jsonl"
    path.write_text(jsonl({"text": BODY}, bad, {"text": BODY + " 3"}))
    docs, failures = read(path)
    assert [d.source for d in docs] == [f"{path}#1", f"{path}#3"]
    assert [str(f) for f in failures] == [f"{path}: {reason}"]


def test_a_surrogate_character_reference_in_a_feed_costs_nothing(tmp_path):
    path = tmp_path / "a.rss"
    path.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        "<item><title>a &#xD800; b</title><description>First item text.</description></item>"
        "<item><title>b</title><description>Second item text.</description></item>"
        "</channel></rss>"
    )
    docs, failures = read(path)
    assert not failures
    assert [d.hints["title"] for d in docs] == ["a \ufffd b", "b"]


def test_a_truncated_small_gzip_keeps_its_complete_records(tmp_path):
    data = jsonl(*({"text": f"{BODY} {n}"} for n in range(40))).encode()
    packed = gzip.compress(data)
    assert len(packed) < 64 * 1024
    path = tmp_path / "a.jsonl.gz"
    path.write_bytes(packed[: len(packed) * 3 // 4])
    docs, failures = read(path)
    assert len(docs) >= 20
    assert [d.source for d in docs] == [f"{path}#{n}" for n in range(1, len(docs) + 1)]
    assert failures[-1].reason.startswith("truncated gzip data")
    assert len(failures) <= 2  # the cut line, and the truncation


def test_a_corrupt_gzip_is_one_failure(tmp_path):
    path = tmp_path / "a.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00garbage-not-gzip")
    docs, failures = read(path)
    assert not docs
    assert len(failures) == 1 and failures[0].reason.startswith("corrupt gzip data")


# -- 9: right reasons ---------------------------------------------------------------------------


def test_a_single_too_long_jsonl_line_says_so(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(jsonl({"text": "a" * 3000}))
    docs, failures = read(path, max_bytes=1000)
    assert not docs
    assert reasons(failures) == ["line 1 too large (2.9 KB > 1000.0 B limit)"] or reasons(failures)[
        0
    ].startswith("line 1 too large")


def test_mixed_utf8_and_cp1252_text_is_read_not_called_binary(tmp_path):
    path = tmp_path / "a.txt"
    mixed = ("Caf\u00e9 r\u00e9sum\u00e9 ".encode() + b"\x93quoted\x94 \x96 it\x92s ") * 6
    path.write_bytes(BODY.encode() + mixed)
    (doc,), failures = read(path)
    assert not failures
    assert "Caf\u00e9" in doc.content


def test_html_nested_past_the_parser_limit_says_so(tmp_path):
    path = tmp_path / "a.html"
    path.write_text("<html><body>" + "<div>" * 300 + "<p>Deep text.</p>" + "</div>" * 300)
    assert reasons(read(path)[1]) == [
        "HTML nested over 250 elements deep (parsers stop reading there)"
    ]


@pytest.mark.parametrize("label", ["rot13", "base64", "hex", "zlib", "unicode_escape"])
def test_a_charset_label_that_is_no_charset_is_ignored(tmp_path, label):
    path = tmp_path / "a.html"
    path.write_text(f'<html><head><meta charset="{label}"></head><body><p>{BODY}</p></body>')
    (doc,), failures = read(path)
    assert not failures
    assert "new bridge" in doc.content


def test_json_array_records_are_held_to_max_bytes(tmp_path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps([{"text": "x" * 5000}, {"text": BODY}]))
    docs, failures = read(path, max_bytes=4000)
    assert [d.source for d in docs] == [f"{path}#2"]
    assert reasons(failures) == ["record 1 (line 1) too large (4.9 KB > 3.9 KB limit)"]


def test_a_huge_csv_header_is_not_echoed(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text(",".join(f"column{n}" * 30 for n in range(400)) + "\nx\n")
    (failure,) = read(path)[1]
    assert failure.reason.startswith("no text column")
    assert len(failure.reason) <= 700


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("a.json", "[]", "empty JSON array (no records)"),
        ("b.json", '{"articles": []}', "'articles' is an empty list (no records)"),
        ("c.csv", "title,text\n", "no rows after the header"),
        ("d.csv", "title,text\n,\n ,\n", "no records (every row is empty)"),
        ("e.csv", "\n\n\n", "only whitespace (no rows)"),
    ],
)
def test_containers_with_no_records_are_a_failure_not_silence(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_text(content)
    docs, failures = read(path)
    assert not docs
    assert reasons(failures) == [reason]


def test_a_warc_from_a_pipe_is_read_without_a_panic(tmp_path):
    """fastwarc seeks; on a pipe (stdin, a FIFO, a fetched or gunzipped stream) it panicked
    with a Rust backtrace. The input is spooled to a seekable file first."""
    import threading

    page = b"<html><body><p>" + BODY.encode() + b"</p></body></html>"
    data = gzip.compress(warc_record("http://x/a", page)) + gzip.compress(
        warc_record("http://x/b", page.replace(b"spring", b"summer"))
    )
    fifo = tmp_path / "in.warc.gz"
    os.mkfifo(fifo)

    def writer() -> None:
        with open(fifo, "wb") as f:
            f.write(data)

    thread = threading.Thread(target=writer)
    thread.start()
    docs, failures = read(fifo)
    thread.join()
    assert not failures
    assert [d.hints["url"] for d in docs] == ["http://x/a", "http://x/b"]
