"""Reading a user's labelled examples for `presstrace train-narratives`.

Accepted layouts, recognised by content:

- JSON Lines: `{"text": "...", "labels": ["URW: ...", ...]}` or `{"id": "<stored document
  id>", "labels": [...]}` per line.
- CSV with a header: a `text` or `id` column and a `labels` column (labels separated by `;`).
- The SemEval-2025 Task 10 annotation file: `file<TAB>narratives<TAB>subnarratives` per line
  (labels separated by `;`), the article texts in a folder of .txt files (`raw-documents/`
  next to the file, the file's own folder, or the folder given).

A line that cannot be read is an error naming the file and the line. Labels the taxonomy does
not know are warnings (the example keeps its other labels): a SemEval file from another year
or language may carry labels a taxonomy left out, and that should not block training.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from presstrace.errors import ConfigError


class ExamplesError(ConfigError):
    """A label file that cannot be used (one line naming the file and the line)."""


@dataclass
class Example:
    line: int
    labels: list[str]
    text: str | None = None
    doc_id: str | None = None


@dataclass
class Examples:
    items: list[Example] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def read(path: str | Path, known: set[str], texts_dir: str | Path | None = None) -> Examples:
    path = Path(path)
    try:
        content = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ExamplesError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise ExamplesError(f"{path}: not UTF-8 text") from None
    first = next((line for line in content.splitlines() if line.strip()), "")
    if not first:
        raise ExamplesError(f"{path}: no examples in the file")
    if first.lstrip().startswith("{"):
        items = _jsonl(path, content)
    elif first.count("\t") == 2 and first.split("\t")[0].strip().lower().endswith(".txt"):
        items = _semeval(path, content, texts_dir)
    else:
        items = _csv(path, content)
    result = Examples()
    for item in items:
        unknown = [label for label in item.labels if label not in known]
        for label in unknown:
            result.warnings.append(f"{path}: line {item.line}: unknown label {label!r} (ignored)")
        item.labels = [label for label in item.labels if label in known]
        result.items.append(item)
    if not any(item.labels for item in result.items):
        raise ExamplesError(f"{path}: none of its labels is in the taxonomy")
    return result


def _labels(value: object, path: Path, line: int) -> list[str]:
    if isinstance(value, str):
        value = value.split(";")
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ExamplesError(f"{path}: line {line}: 'labels' must be a list of strings")
    labels = [" ".join(v.split()) for v in value if v.strip()]
    if not labels:
        raise ExamplesError(f"{path}: line {line}: no labels")
    return list(dict.fromkeys(labels))


def _jsonl(path: Path, content: str) -> list[Example]:
    out = []
    for number, line in enumerate(content.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ExamplesError(f"{path}: line {number}: not valid JSON ({exc.msg})") from None
        if not isinstance(record, dict):
            raise ExamplesError(f"{path}: line {number}: expected an object with text and labels")
        out.append(_record(record, path, number))
    return out


def _record(record: dict, path: Path, number: int) -> Example:
    text, doc_id = record.get("text"), record.get("id")
    if isinstance(text, str) and text.strip():
        return Example(number, _labels(record.get("labels"), path, number), text=text)
    if isinstance(doc_id, str) and doc_id.strip():
        return Example(number, _labels(record.get("labels"), path, number), doc_id=doc_id.strip())
    raise ExamplesError(f"{path}: line {number}: needs a non-empty 'text' or 'id'")


def _csv(path: Path, content: str) -> list[Example]:
    try:
        dialect = csv.Sniffer().sniff(content[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(content), dialect=dialect)
    fields = {f.strip().lower(): f for f in reader.fieldnames or []}
    if "labels" not in fields or not ({"text", "id"} & set(fields)):
        raise ExamplesError(
            f"{path}: line 1: expected JSON Lines, a CSV header with 'text' (or 'id') and "
            "'labels', or a SemEval annotation file (file<TAB>narratives<TAB>subnarratives)"
        )
    out = []
    for row in reader:
        number = reader.line_num
        record = {k: (row.get(fields[k]) or "") for k in ("text", "id", "labels") if k in fields}
        out.append(_record(record, path, number))
    return out


def _semeval(path: Path, content: str, texts_dir: str | Path | None) -> list[Example]:
    folders = (
        [Path(texts_dir)]
        if texts_dir
        else [path.parent / "raw-documents", path.parent / "raw_documents", path.parent]
    )
    out = []
    for number, line in enumerate(content.splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) != 3:
            raise ExamplesError(
                f"{path}: line {number}: expected file<TAB>narratives<TAB>subnarratives"
            )
        name = parts[0].strip()
        article = next((f / name for f in folders if (f / name).is_file()), None)
        if article is None:
            raise ExamplesError(
                f"{path}: line {number}: article {name} not found in "
                + " or ".join(str(f) for f in folders)
            )
        labels = _labels(parts[1], path, number) + _labels(parts[2], path, number)
        text = article.read_text(encoding="utf-8", errors="replace")
        out.append(Example(number, list(dict.fromkeys(labels)), text=text))
    return out
