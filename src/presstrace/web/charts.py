"""Geometry of the articles-over-time bar chart, drawn as inline SVG by the templates (no
JavaScript, no chart library: the page and the report work offline under a strict CSP)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# More days than this between the first and the last date: one bar per month instead.
DAILY_SPAN = 120


@dataclass
class Bar:
    x: float
    y: float
    w: float
    h: float
    label: str
    n: int
    low_h: float = 0.0  # the top part of the bar whose dates have a low confidence
    low: int = 0
    quotes: int | None = None


@dataclass
class Chart:
    width: int
    height: int
    bars: list[Bar]
    unit: str  # "day", "week" or "month"
    first: str = ""
    last: str = ""
    peak: int = 0


def bucket(points: list[dict]) -> tuple[list[tuple[str, int]], str]:
    """Counts per day, or per month when the span is long; gaps filled with zeros."""
    days = []
    for p in points:
        try:
            days.append((date.fromisoformat(p["day"]), int(p["n"])))
        except (TypeError, ValueError):
            continue  # a malformed stored date is skipped, not drawn
    if not days:
        return [], "day"
    days.sort()
    first, last = days[0][0], days[-1][0]
    counts: dict[str, int] = {}
    if (last - first).days <= DAILY_SPAN:
        for offset in range((last - first).days + 1):
            counts[date.fromordinal(first.toordinal() + offset).isoformat()] = 0
        for d, n in days:
            counts[d.isoformat()] += n
        return list(counts.items()), "day"
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        counts[f"{year:04d}-{month:02d}"] = 0
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    for d, n in days:
        counts[f"{d.year:04d}-{d.month:02d}"] += n
    return list(counts.items()), "month"


def bar_chart(points: list[dict], width: int = 720, height: int = 160) -> Chart:
    series, unit = bucket(points)
    chart = Chart(width, height, [], unit)
    if not series:
        return chart
    peak = max(n for _, n in series) or 1
    step = width / len(series)
    gap = min(2.0, step * 0.2)
    for i, (label, n) in enumerate(series):
        h = round((height - 4) * n / peak, 2)
        chart.bars.append(Bar(round(i * step, 2), round(height - h, 2),
                              round(max(step - gap, 0.5), 2), h, label, n))  # fmt: skip
    chart.first, chart.last, chart.peak = series[0][0], series[-1][0], peak
    return chart


def timeline_chart(t: dict, width: int = 720, height: int = 160) -> Chart:
    """A chart of a store.timeline result (its buckets as they are: day, week or month),
    the low-confidence part of each bar drawn apart, quotes in each bar's tooltip."""
    series = t.get("buckets") or []
    chart = Chart(width, height, [], t.get("by") or "day")
    if not series:
        return chart
    peak = max(b["articles"] for b in series) or 1
    step = width / len(series)
    gap = min(2.0, step * 0.2)
    for i, b in enumerate(series):
        h = round((height - 4) * b["articles"] / peak, 2)
        low_h = round((height - 4) * b["low_confidence"] / peak, 2)
        chart.bars.append(Bar(round(i * step, 2), round(height - h, 2),
                              round(max(step - gap, 0.5), 2), h, b["start"], b["articles"],
                              low_h, b["low_confidence"], b["quotes"]))  # fmt: skip
    chart.first, chart.last, chart.peak = series[0]["start"], series[-1]["start"], peak
    return chart


@dataclass
class SeriesBar:
    x: float
    y: float
    w: float
    h: float
    series: int  # 0: the query, 1: the one compared with it
    label: str  # the bucket's first day
    end: str
    n: int
    href: str  # the search for this query and period


@dataclass
class CompareChart:
    width: int
    height: int
    bars: list[SeriesBar]
    unit: str
    names: list[str]  # each series' query
    first: str = ""
    last: str = ""
    peak: int = 0


def compare_chart(found: dict, width: int = 720, height: int = 180) -> CompareChart:
    """Grouped bars of a store.queries.query_timeline result: one group per bucket, one bar
    per query in it, each bar a link to the documents of that query and period."""
    from urllib.parse import urlencode

    buckets = found.get("buckets") or []
    names = [s["query"] for s in found.get("series") or []]
    chart = CompareChart(width, height, [], found.get("by") or "day", names)
    if not buckets or not names:
        return chart
    peak = max(max(b["counts"]) for b in buckets) or 1
    step = width / len(buckets)
    gap = min(2.0, step * 0.2)
    bar_w = max((step - gap) / len(names), 0.5)
    for i, b in enumerate(buckets):
        for k, n in enumerate(b["counts"]):
            h = round((height - 4) * n / peak, 2)
            href = "/search?" + urlencode({"q": b["links"][k]})
            x = round(i * step + k * bar_w, 2)
            chart.bars.append(SeriesBar(x, round(height - h, 2), round(bar_w, 2), h, k,
                                        b["start"], b["end"], n, href))  # fmt: skip
    chart.first, chart.last, chart.peak = buckets[0]["start"], buckets[-1]["start"], peak
    return chart
