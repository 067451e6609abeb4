"""Text laid out one sentence per line, with no blank line between paragraphs.

The passages are real news text from ECB+ (Cybulska & Vossen 2014), CC BY 3.0, quoted as the
corpus has them (its tokenisation leaves spaces such as "6. 1" and "06: 00"). Every sentence
must survive, short ones ("Good luck, Tara.") and those between a headline and a date line
included, while a menu and footer in the same layout still go.
"""

from __future__ import annotations

from presstrace.clean.text import clean_text

# ECB+ (Cybulska & Vossen 2014), CC BY 3.0: 1_13ecb
TARA = [
    "Perpetual mess Tara Reid has finally decided to try and shed her drunk-girl image and "
    "has entered rehab.",
    '"Tara Reid has checked herself into Promises Treatment Center," her rep told UsMagazine.com.',
    '"We appreciate your respect to her and her family\'s privacy at this time."',
    "Rehab has been calling her name loud and clear for years.",
    "Best decision ever.",
    "Good luck, Tara.",
]

# ECB+ (Cybulska & Vossen 2014), CC BY 3.0: 20_11ecbplus (headline, two deck sentences, a
# date line, then the story)
QESHM_TITLE = "Earthquake Levels Villages on Iranian Island of Qeshm"
QESHM_DECK = [
    "Ten people are killed and about 50 hurt.",
    "U. S. Geological Survey puts the magnitude at 6. 1.",
]
QESHM_DATE = "November 28, 2005"
QESHM_BODY = [
    "Ten people were killed and at least 50 injured when an earthquake razed mud-brick "
    "villages on the Persian Gulf island of Qeshm off Iran's southern coast Sunday, officials "
    "and state media said.",
    "A magnitude 6 quake can cause severe damage.",
    "The temblor was felt across the gulf in Oman and the United Arab Emirates.",
    "No further details on structural damage were provided.",
    "State media said three strong aftershocks were felt.",
]

# ECB+ (Cybulska & Vossen 2014), CC BY 3.0: 14_3ecbplus (date line above the headline)
WAITROSE_DATE = "22 July 2013 Last updated at 17: 50 GMT"
WAITROSE_TITLE = "Man charged with arson over Waitrose fire in Wellington"
WAITROSE_BODY = [
    "A man has been charged with arson after a fire at the Waitrose supermarket in "
    "Wellington, Somerset.",
    "Robert Pitman, 24, from the town is due to appear before Taunton Deane Magistrates' "
    "Court on Tuesday.",
    "No-one was injured in the fire.",
    "The main building remains closed.",
]

# ECB+ (Cybulska & Vossen 2014), CC BY 3.0: 6_2ecbplus ("Sources tell" is not "Source: X")
HUNGER = [
    "Lionsgate is also facing an issue with the sequel’ s scheduled November 22, 2013 "
    "release date.",
    "Fox could stymie Lionsgate’ s plans by exercising Lawrence’ s option to do the sequel "
    "for X-Men: First Class.",
    "Sources tell THR that Fox’ s option would take priority over Lionsgate’ s.",
    "However, First Class 2 doesn’ t have a release date.",
]

# ECB+ (Cybulska & Vossen 2014), CC BY 3.0: 10_17ecbplus (a sentence broken across two
# lines, and sentences that trail off)
SOX = [
    "Michael Silverman reports that the Red Sox",
    "have made an offer [for Mark Teixeira], the biggest and longest yet for this current "
    "ownership group.",
    "The offer is believed to be for at least eight years...",
    'There is every indication that the Red Sox view Teixiera in the same "must-have" light '
    "as they did Matsuzaka.",
]

# Page furniture in the same layout: one item per line, no blank lines.
MENU = ["Home", "News", "Entertainment", "Sport | Business | Tech", "Sign in"]
FOOTER = [
    "Share this article",
    "Related stories",
    "Lindsay Lohan checks into rehab at Betty Ford Center",
    "Oscar host announced for next year's ceremony",
    "Comments",
    "© 2013 Example Media Group. All rights reserved.",
]


def body_lines(result) -> set[str]:
    return set(result.text.split("\n\n"))


def test_short_closing_sentences_survive():
    r = clean_text("\n".join(["It's about time, right?", *TARA]))
    assert set(TARA) <= body_lines(r)


def test_sentences_between_headline_and_date_line_survive():
    r = clean_text("\n".join([QESHM_TITLE, *QESHM_DECK, QESHM_DATE, *QESHM_BODY]))
    assert r.title == QESHM_TITLE
    assert set(QESHM_DECK + QESHM_BODY) <= body_lines(r)
    assert {x.text: x.reason for x in r.removed}[QESHM_DATE] == "dateline"


def test_short_last_sentences_survive_after_a_date_line_at_the_top():
    r = clean_text("\n".join([WAITROSE_DATE, WAITROSE_TITLE, *WAITROSE_BODY]))
    assert r.title == WAITROSE_TITLE
    assert set(WAITROSE_BODY) <= body_lines(r)


def test_a_sentence_starting_with_sources_is_not_a_source_line():
    r = clean_text("\n".join(HUNGER))
    assert set(HUNGER) <= body_lines(r)


def test_broken_and_trailing_off_sentences_survive():
    r = clean_text("\n".join(["Herald: Sox Make Offer To Teixeira (8 Years?)", *SOX]))
    body = body_lines(r)
    assert f"{SOX[0]} {SOX[1]}" in body
    assert set(SOX[2:]) <= body


def test_menu_and_footer_in_the_same_layout_still_go():
    article = [*MENU, QESHM_TITLE, *QESHM_DECK, QESHM_DATE, *QESHM_BODY, *FOOTER]
    r = clean_text("\n".join(article))
    assert r.title == QESHM_TITLE
    assert set(QESHM_DECK + QESHM_BODY) <= body_lines(r)
    removed = {x.text for x in r.removed}
    assert set(MENU + FOOTER) <= removed
    assert not any(line in r.text for line in MENU + FOOTER)
