"""Publication-date inference on real sentences: each kind of evidence, and what must not win."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from presstrace.meta.dates import infer_published

NOW = dt.date(2026, 1, 1)
SHARED = Path(os.environ.get("PRESSTRACE_SHARED", Path(__file__).resolve().parents[3] / "shared"))


def within(p, lo: str, hi: str) -> bool:
    return p.date is not None and lo <= p.date <= hi


# ---------------------------------------------------------------- explicit dates


def test_caption_date_with_weekday() -> None:
    text = (
        "Still, a large-scale attack so close to the Kremlin is likely to increase pressure.\n\n"
        "Russian President Vladimir Putin chairs a meeting with members of the Security Council "
        "via video conference at the Novo-Ogaryovo State Residence, outside Moscow, Russia, "
        "Friday, August 23, 2024."
    )
    p = infer_published(text, now=NOW)
    assert p.date == "2024-08-23"
    assert p.earliest <= "2024-08-23" <= p.latest
    assert "Friday, August 23, 2024" in p.evidence
    assert p.method == "explicit"


def test_published_line_beats_page_header_date() -> None:
    text = (
        "Thursday, November 9th 2023\n"
        "Home | News | Sports\n"
        "St. Louis Park elects a new mayor\n"
        "PUBLISHED: November 8, 2023 at 11:30 p.m. | UPDATED: November 9, 2023 at 12:21 a.m.\n"
        "Voters in St. Louis Park elected a new mayor on Tuesday night."
    )
    assert infer_published(text, now=NOW).date == "2023-11-08"


def test_iso_date_and_byline() -> None:
    assert infer_published("By Jane Doe | 2022-04-26\nThe talks resumed.", now=NOW).date == (
        "2022-04-26"
    )
    text = "By Evan Symon, August 14, 2020 2:30 pm\nThe court ruled that Amazon is liable."
    assert infer_published(text, now=NOW).date == "2020-08-14"


def test_dates_glued_to_words_and_times_by_flattening() -> None:
    # lines of AP's and Reuters' pages flattened as a naive scraper does (fundus test pages):
    # the byline runs into the date, the year into the time
    text = (
        "Mexico’s president proposes a new law\n"
        "Associated PressApril 28, 2023 GMT\n"
        "A mother and her children sell bread in Ecatepec, Mexico, Tuesday, April 18, 2023.\n"
        "The proposal would change the rules for imports."
    )
    assert infer_published(text, now=NOW).date == "2023-04-28"
    text = (
        "Israeli tank killed Reuters journalist, UN finds\n"
        "March 7, 20247:55 AM UTCUpdated ago\n"
        "An Israeli tank crew killed a Reuters reporter in Lebanon in October."
    )
    assert infer_published(text, now=NOW).date == "2024-03-07"
    # a capitalised word is no glue: "Mayor 5 2020" holds no date
    assert infer_published("The Mayor 5 2020 plan was voted down.", now=NOW).date is None


def test_event_date_in_prose_is_a_lower_bound() -> None:
    text = (
        "Mercurial 5.2 was released on November 5, 2019. It is the first version of Mercurial "
        "that supports Python 3.\nJanuary 13, 2020 at 08:45 AM | categories: Python"
    )
    p = infer_published(text, now=NOW)
    assert p.date == "2020-01-13"


def test_dateparser_false_hits_are_not_dates() -> None:
    text = "We may march on, said the man. We will see what may come in March or may not."
    p = infer_published(text, now=NOW)
    assert p.date is None


def test_comment_and_list_dates_do_not_outvote_the_article() -> None:
    lines = ["Yellow Vests and I", "December 4, 2018", "I am glad that the media noticed."]
    lines += ["February 2020"] + [f"Feb {d}, 2020\nSome other post {d}" for d in range(13, 3, -1)]
    p = infer_published("\n".join(lines), now=NOW)
    assert p.date == "2018-12-04"


# ---------------------------------------------------------------- weekday-date consistency


def test_weekday_picks_the_year() -> None:
    text = (
        "The British Ministry of Defence, in an intelligence report on Monday (July 31), said "
        "the instability in Russia had shown that Putin was failing to insulate the population."
    )
    # July 31 was a Monday in 2023 and 2017: the latest such year not after `now`
    assert infer_published(text, now=dt.date(2024, 3, 1)).date == "2023-07-31"
    assert infer_published(text, now=dt.date(2020, 3, 1)).date == "2017-07-31"
    p = infer_published(text, now=dt.date(2024, 3, 1))
    assert p.method == "weekday-date"
    # with nothing else to go by the year is a guess: low confidence, the interval admits 2017
    assert p.confidence <= 0.25 and p.earliest <= "2017-07-31"


def test_weekday_year_follows_other_evidence() -> None:
    text = (
        "Since June 24, when they marched on Moscow, at least 11 commanders have been fired. "
        "Oleksiy Danilov said on Tuesday afternoon (August 1) that any future Russian offensive "
        "operations were not possible."
    )
    p = infer_published(text, now=NOW)
    assert within(p, "2023-08-01", "2023-08-07")


def test_wrong_weekday_weakens_a_full_date() -> None:
    text = "Monday, August 23, 2024\nSome report.\nPublished: 2024-08-20"
    assert infer_published(text, now=NOW).date == "2024-08-20"


# ---------------------------------------------------------------- anchors and relative phrases


def test_this_weeks_anchor_event() -> None:
    text = (
        "Russian Freedom Corps and Russian Volunteers Both are linked to this week's Belgorod "
        "attack, but remain committed to the goal of overthrowing Putin's dictatorship."
    )
    p = infer_published(text, now=NOW)
    assert within(p, "2023-05-22", "2023-05-28")
    assert p.method == "relative"


def test_last_months_anchor_event() -> None:
    text = "Aside from last month's drone attack on the Kremlin, there was another attack."
    p = infer_published(text, now=NOW)
    assert within(p, "2023-06-01", "2023-06-30")


def test_earlier_this_month_anchor_event() -> None:
    text = (
        "John Healey said the Russian dictator could face mounting internal pressure following "
        "Volodymyr Zelensky's Kursk operation earlier this month."
    )
    p = infer_published(text, now=NOW)
    assert within(p, "2024-08-06", "2024-08-31")


def test_anchor_mention_alone_bounds_from_below() -> None:
    text = (
        "Kherson was the only regional capital Russian troops had been able to seize since "
        "the invasion began."
    )
    p = infer_published(text, now=NOW)
    assert p.earliest >= "2022-02-24"
    assert p.date is None  # "after February 2022" is no point estimate


# ---------------------------------------------------------------- durations


def test_months_since_the_invasion() -> None:
    text = (
        "Kherson was the only regional capital Russian troops had been able to seize in the "
        "nearly ten months since the invasion began."
    )
    p = infer_published(text, now=NOW)
    assert within(p, "2022-11-20", "2022-12-26")
    assert p.method == "anchor-event"


def test_n_month_war() -> None:
    text = (
        "The drone incident came at a particularly tense period in Russia's 14-month war. "
        "Ukraine is preparing to launch a counteroffensive."
    )
    p = infer_published(text, now=NOW)
    assert within(p, "2023-04-05", "2023-05-31")


def test_months_of_the_special_military_operation() -> None:
    text = (
        "The instability in Russia had shown that after nearly 18 months of the \u201cspecial "
        "military operation\u201d, Putin was now failing to insulate the population from the war."
    )
    p = infer_published(text, now=NOW)
    assert within(p, "2023-07-15", "2023-08-31")


def test_pandemic_anniversary() -> None:
    text = (
        "Hospitals marked the first anniversary of the COVID-19 pandemic with a minute of silence."
    )
    p = infer_published(text, now=NOW)
    assert within(p, "2021-02-20", "2021-04-01")


def test_user_calendar_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    extra = tmp_path / "anchors.yaml"
    extra.write_text(
        "anchors:\n"
        "  - id: town-flood\n"
        "    date: 2021-07-14\n"
        "    keywords: [flood]\n"
        "    phrases: ['great flood of the ahr valley']\n"
        "    durations: [reconstruction]\n",
        encoding="utf-8",
    )
    text = "Residents remember last week's great flood of the Ahr valley."
    assert infer_published(text, now=NOW).date is None
    monkeypatch.setenv("PRESSTRACE_ANCHORS", str(extra))
    p = infer_published(text, now=NOW)
    assert within(p, "2021-07-19", "2021-07-27")


# ---------------------------------------------------------------- what must not win


def test_future_dates_are_never_returned() -> None:
    text = "Published: 2031-01-01\nThe vote will be held on November 5, 2030."
    p = infer_published(text, now=dt.date(2024, 6, 1))
    assert p.date is None or p.date <= "2024-06-01"
    assert p.latest is None or p.latest <= "2024-06-01"


def test_future_event_does_not_push_the_date() -> None:
    text = (
        "October 13, 2020\n"
        "Alaska Airlines has a new date for when it will be a full fledged member of the "
        "Oneworld alliance: March 31, 2021."
    )
    assert infer_published(text, now=NOW).date == "2020-10-13"


def test_historical_years_do_not_win() -> None:
    text = (
        "Mark Galeotti recalls the case of a 19-year-old German pilot Matthias Rust who in 1987 "
        "landed his small plane near the Kremlin. Military bloggers claimed that the last time "
        "someone tried to bomb Moscow was in the 1940s, during World War II.\n"
        "Moscow accuses Ukraine of a drone attack on the Kremlin last night."
    )
    p = infer_published(text, now=NOW)
    assert within(p, "2023-05-03", "2023-05-04")
    born = "The senator, born on March 3, 1955, said the bill would pass.\nPosted: 2019-10-02"
    assert infer_published(born, now=NOW).date == "2019-10-02"
    assert infer_published("In 1987 he landed his plane in Red Square.", now=NOW).date is None


# ---------------------------------------------------------------- hints


def test_metadata_hint_and_url() -> None:
    text = "The minister said the plan would go ahead."
    p = infer_published(text, hints={"date": "2023-03-05T10:00:00Z", "date_evidence": "json"})
    assert (p.date, p.method) == ("2023-03-05", "metadata")
    p = infer_published(text, hints={"url": "https://example.com/2023/08/01/plan-ahead/"}, now=NOW)
    assert (p.date, p.method) == ("2023-08-01", "url")
    rfc = {"date": "Tue, 01 Aug 2023 09:15:00 GMT", "date_evidence": "feed"}
    assert infer_published(text, hints=rfc, now=NOW).date == "2023-08-01"


def test_removed_lines_still_count() -> None:
    p = infer_published("The council met.", removed_texts=["Published: 12 March 2021"], now=NOW)
    assert p.date == "2021-03-12"


# ---------------------------------------------------------------- the seed articles


def _seed_cases() -> list[tuple[str, dict]]:
    gold = SHARED / "gold" / "seeds.json"
    if not gold.exists():
        return []
    return sorted(json.loads(gold.read_text(encoding="utf-8"))["documents"].items())


@pytest.mark.parametrize("name,gold", _seed_cases())
def test_seed_windows(name: str, gold: dict) -> None:
    lines = (SHARED / "seeds" / name).read_text(encoding="utf-8").split("\n")
    boiler = {b["line"] for b in gold["boilerplate"]}
    text = "\n".join(ln for i, ln in enumerate(lines, 1) if i not in boiler)
    removed = [lines[i - 1] for i in sorted(boiler)]
    p = infer_published(text, removed_texts=removed, title=gold.get("title"), now=NOW)
    lo = dt.date.fromisoformat(gold["published"]["earliest"]) - dt.timedelta(days=3)
    hi = dt.date.fromisoformat(gold["published"]["latest"]) + dt.timedelta(days=3)
    assert p.date is not None and lo <= dt.date.fromisoformat(p.date) <= hi, p
    assert p.evidence and p.evidence in "\n".join(lines)
    raw = infer_published("\n".join(lines), now=NOW)
    assert raw.date is not None and lo <= dt.date.fromisoformat(raw.date) <= hi, raw


def test_byline_with_slashes_and_copyright_footer() -> None:
    text = (
        "By Cat Lafuente/June 12, 2020 9:49 am EST/Updated: Aug. 18, 2020 4:17 pm EST\n"
        "When you take a multivitamin every day, this is what happens to your body.\n"
        "\u00a9 2020 Example Media. Use of this site constitutes acceptance of our User "
        "Agreement (updated 1/1/20) and Privacy Policy."
    )
    assert infer_published(text, now=NOW).date == "2020-06-12"


def test_scheduled_events_are_not_past_until_said_so() -> None:
    text = (
        "May 16, 2020\n"
        "The gender gap in the 2020 election will be record-breaking, pollsters say, and could "
        "persist long after it."
    )
    assert infer_published(text, now=NOW).date == "2020-05-16"


def test_every_anchor_phrase_holds_a_keyword() -> None:
    """find_anchor_hits only searches around keywords: a phrase without one is never found."""
    from presstrace.meta._data import data_file, load_yaml

    entries = load_yaml(data_file("anchors.yaml"))["anchors"]
    assert len(entries) >= 50
    for e in entries:
        dt.date.fromisoformat(str(e["date"]))
        for phrase in e.get("phrases") or []:
            src = phrase.lower().replace("\\", "")
            assert not e.get("keywords") or any(k in src for k in e["keywords"]), phrase


def test_crawl_dates_bound_from_above_and_epoch_hints() -> None:
    text = "Thursday, November 9, 2023\nThe council approved the budget on Tuesday (November 7)."
    warc = {"date": "2023-11-20T08:00:00Z", "date_evidence": "WARC-Date header"}
    p = infer_published(text, hints=warc, now=NOW)
    assert p.date == "2023-11-09" and p.method != "metadata"
    p = infer_published("The council met.", hints={"date": 1690848000, "date_evidence": "json"})
    assert p.date == "2023-08-01"
    both = {"date": "2023-11-08", "date_evidence": "HTML metadata", "crawl_date": "2023-11-20"}
    assert infer_published(text, hints=both, now=NOW).date == "2023-11-08"


def test_a_date_only_mentioned_in_prose_leaves_the_interval_open():
    """'Sept. 11, 2001 conspirator' describes a person: the article is from after that day,
    not from that week, so the interval must run to today and the confidence stay low."""
    text = (
        "Now that courthouse killer Brian Nichols has been sentenced to life without parole, "
        "one question is where he will serve time.\n\n"
        "He joins shoe bomber Richard Reid and Sept. 11, 2001 conspirator Zacarias Moussaoui "
        "among the notorious inmates."
    )
    p = infer_published(text, now=NOW)
    assert p.earliest == "2001-09-11"
    assert p.latest == NOW.isoformat()
    assert p.confidence < 0.3


def test_a_date_with_a_span_of_clock_times_schedules_a_session() -> None:
    # lines of a German labour-law news page (trafilatura's test pages): a seminar offer in
    # the sidebar above the article's own date line
    text = (
        "Online-Seminar\n"
        "19.1.23, 10:00-11:30 Uhr\n"
        "Kostenpflichtig anmelden »\n"
        "Rechtsprechung\n"
        "Verjährung von Urlaubsansprüchen\n"
        "20.12.2022\n"
        "Der gesetzliche Anspruch eines Arbeitnehmers auf bezahlten Jahresurlaub unterliegt der "
        "gesetzlichen Verjährung. Allerdings beginnt die dreijährige Verjährungsfrist erst am "
        "Ende des Kalenderjahres, in dem der Arbeitgeber den Arbeitnehmer belehrt hat.\n"
    )
    p = infer_published(text, now=NOW, lang="de")
    assert p.date == "2022-12-20"
    assert "10:00-11:30" not in (p.evidence or "")


def test_byline_naming_its_section_before_the_date() -> None:
    # Phoronix: "Written by <author> in <section> on <date>"; the related-news date below
    # must not outvote it
    text = (
        "Steam's Linux Marketshare Ticks Up Ever So Slightly For May\n"
        "Written by Michael Larabel in Valve on 1 June 2019 at 08:34 PM EDT. 51 Comments\n"
        "With the start of a new month, Valve has published their software/hardware survey "
        "numbers for the month prior.\n"
        "Related News\n"
        "Proton 4.2-5 Released With DXVK 1.2.1\n"
        "28 May 2019\n"
    )
    p = infer_published(
        text, now=NOW, title="Steam's Linux Marketshare Ticks Up Ever So Slightly For May"
    )
    assert p.date == "2019-06-01"
