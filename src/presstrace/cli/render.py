"""Text layouts for people: tables and document views the CLI prints. Presentation only."""

from __future__ import annotations

import shutil
import textwrap

from presstrace.model import Document


def _width() -> int:
    return max(60, min(shutil.get_terminal_size((100, 20)).columns, 120))


def cut(value: object, width: int) -> str:
    """One line of at most `width` characters (an ellipsis where cut); None is empty."""
    text = " ".join(("" if value is None else str(value)).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _cut(value: object, width: int) -> str:
    return cut(value if value is not None else "–", width)


def table(rows: list[dict], columns: list[tuple[str, str, int]]) -> str:
    """columns: (key, header, max width); the last column takes the rest of the line."""
    if not rows:
        return "(nothing)"
    fixed = [
        min(w, max(len(h), *(len(_cut(r.get(k), w)) for r in rows))) for k, h, w in columns[:-1]
    ]
    rest = max(20, _width() - sum(fixed) - 2 * len(fixed))
    widths = [*fixed, rest]
    lines = ["  ".join(h.ljust(w) for (_, h, _), w in zip(columns, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        cells = [_cut(row.get(k), w).ljust(w) for (k, _, _), w in zip(columns, widths, strict=True)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def document(doc: Document) -> str:
    width = min(_width(), 100)
    p = doc.published
    if p.date:
        conf = f"{p.date}  (between {p.earliest} and {p.latest}, confidence {p.confidence:.2f})"
    else:
        conf = "unknown"
    head = [
        doc.title or "(no title)",
        "=" * min(width, len(doc.title or "(no title)")),
        f"id         {doc.id}",
        f"source     {doc.source}",
        f"published  {conf}",
    ]
    if p.evidence:
        head.append(f"  evidence {_cut(p.evidence, width - 11)}")
    head += [
        f"outlet     {doc.outlet or '–'}"
        + (f"  ({_cut(doc.outlet_evidence, 60)})" if doc.outlet_evidence else ""),
        f"cites      {', '.join(doc.cited_sources) or '–'}",
        f"language   {doc.language or '–'}",
    ]
    # what a stage did not do for this document, and why: silence said, never hidden
    head += [f"not done   {stage}: {_cut(why, width - 13 - len(stage))}"
             for stage, why in sorted(doc.abstained.items())]  # fmt: skip
    body = [textwrap.fill(par, width=width) for par in doc.text.split("\n\n") if par.strip()]
    removed = [f"Removed by cleaning ({len(doc.removed)}):"] if doc.removed else []
    removed += [f"  [{r.reason}] {_cut(r.text, width - len(r.reason) - 5)}" for r in doc.removed]
    return (
        "\n".join(head)
        + "\n\n"
        + "\n\n".join(body)
        + ("\n\n" + "\n".join(removed) if removed else "")
    )


def query_page(page: dict, snippets: bool = True) -> str:
    """A search or list result: the total, one line per document (its snippet under it
    for a search; "+N copies" where copies are counted under it), notes, then the facets."""
    q = f" for {page['query']}" if page["query"] else ""
    shown = len(page["items"])
    head = f"{page['total']:,} document{'' if page['total'] == 1 else 's'}{q}"
    if shown:
        head += f"; {page['offset'] + 1}–{page['offset'] + shown} shown, {page['sort']} first"
    if page["copies"] == "collapsed":
        head += "; copies counted under their original (--copies to list them)"
    out = [head]
    out += [f"note: {note}" for note in page["notes"]]
    if shown:
        out.append("")
    width = _width()
    for item in page["items"]:
        n = item.get("copies") or 0
        extra = f"  (+{n} cop{'y' if n == 1 else 'ies'})" if n else ""
        title = item["title"] or item["source"]
        line = (f"{item['id'][:12]}  {(item['published_date'] or '????-??-??')[:10]}  "
                f"{_cut(item['outlet'], 18):<18}  {item['language'] or '--':<3} ")  # fmt: skip
        out.append(line + _cut(title, max(20, width - len(line) - len(extra))) + extra)
        if snippets:
            text = "".join(piece for piece, _ in item["snippet"])
            out.append(f"    {_cut(text, width - 4)}")
    if page.get("facets"):
        out.append("")
        out.append(facets(page["facets"]))
    return "\n".join(out)


def facets(found: dict) -> str:
    """One line per facet: value count · value count …, and how to narrow to one."""
    lines = []
    for name, facet in found.items():
        if not facet["values"]:
            continue
        shown = " · ".join(f"{_cut(v['label'], 40)} {v['n']:,}" for v in facet["values"])
        sampled = facet.get("sampled")
        note = f"  (in {sampled[0]:,} of {sampled[1]:,} matches)" if sampled else ""
        lines.append(f"{name:<10} {shown}{note}")
    if lines:
        lines.append('narrow with a field: lang:de outlet:"The Telegraph" entity:NAME '
                     "story:ID after:2023-05 before:2023-05 has:quotes")  # fmt: skip
    return "\n".join(lines)


def ingest_summary(s: dict) -> str:
    line = f"added {s['added']} documents, {s['already_stored']} already stored"
    if s["failed"]:
        line += f", {s['failed']} failed (see above)"
    lines = [line + f"; {s['documents_in_store']} documents in {s['store']}"]
    for step, figures in (s.get("steps") or {}).items():
        shown = ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in figures.items())
        lines.append(f"{step + ':':<12}{shown or 'nothing new'}")
    return "\n".join(lines)


def stats(s: dict) -> str:
    def counts(d: dict) -> str:
        return ", ".join(f"{k} {v}" for k, v in d.items()) or "–"

    return "\n".join(
        [
            f"store       {s['store']} (schema v{s['schema_version']})",
            f"documents   {s['documents']} ({s['dated']} dated)",
            f"date span   {s['earliest'] or '–'} … {s['latest'] or '–'}",
            f"text        {s['text_chars']:,} characters",
            f"kinds       {counts(s['kinds'])}",
            f"languages   {counts(s['languages'])}",
            f"outlets     {counts(s['outlets'])}",
            *abstentions(s.get("abstained") or {}),
        ]
    )


def abstentions(by_stage: dict[str, dict[str, int]]) -> list[str]:
    """One line per stage: documents it abstained on, in all and per language."""
    if not by_stage:
        return ["abstained   –"]
    lines = ["abstained   (documents a stage did not handle, by language)"]
    for stage, langs in by_stage.items():
        shown = ", ".join(f"{lang} {n}" for lang, n in langs.items())
        lines.append(f"  {stage:<12}{sum(langs.values()):>7}  {shown}")
    return lines
