"""Page furniture of flattened web pages (every visible line, one per line, no blank lines):
sign-up boxes with their blurb, orphan labels, app and affiliate notices, card lists and
author boxes after the article. Each test checks what goes and the body that stays."""

from __future__ import annotations

from presstrace.clean.text import clean_text

HEADLINE = "Council approves new cycle lanes for the city centre after long debate"
BODY = [
    "The city council voted on Tuesday to build eleven kilometres of protected cycle lanes "
    "through the centre, ending a dispute that had run for almost two years.",
    "Supporters said the lanes would cut traffic and make the streets safer for children, "
    "while shop owners warned that losing parking spaces would drive customers away.",
    "The first section, along the river embankment, is due to open next spring, and the "
    "council said work would be done at night to limit disruption to buses.",
    "A review of the scheme will be published after twelve months, the transport committee "
    "said, and lanes that are little used could be removed or moved elsewhere.",
]


def page(*tail: str, head: tuple[str, ...] = ("Home", "News", "Local")) -> str:
    """A flattened page: menu, headline, body, then the given tail, one line each."""
    return "\n".join([*head, HEADLINE, *BODY, *tail])


def kept(text: str) -> str:
    return clean_text(text).text


def assert_body(out: str) -> None:
    for paragraph in BODY:
        assert paragraph in out


def test_sign_up_box_blurb_goes_with_the_box():
    out = kept(
        page(
            "Sign up for the Morning Briefing newsletter",
            "Daily news about politics, business and culture in your city.",
            "Email",
            "Subscribe",
            "About us",
            "Contact",
        )
    )
    assert_body(out)
    assert "Daily news about politics" not in out


def test_sign_me_up_button_and_promotional_small_print():
    out = kept(
        page(
            "Get our Evening Edition newsletter",
            "The best stories of the day from our reporters across the region.",
            "Sign Me Up",
            "You may occasionally receive promotional content from the Daily Courier.",
            "Privacy Policy",
        )
    )
    assert_body(out)
    assert "The best stories of the day" not in out
    assert "promotional content" not in out


def test_orphan_label_goes_with_the_tags_below_it():
    result = clean_text(
        page("Tagged:", "cycling", "transport", "city council", "Share", "Twitter", "Facebook")
    )
    assert_body(result.text)
    assert "Tagged:" not in result.text
    assert {r.text: r.reason for r in result.removed}["Tagged:"] == "label"


def test_label_that_introduces_body_text_stays():
    text = "\n\n".join([HEADLINE, BODY[0], "The plan in brief:", BODY[1], BODY[2], BODY[3]])
    out = kept(text)
    assert "The plan in brief:" in out
    assert_body(out)


def test_app_promotion_and_newsletter_join_lines():
    out = kept(
        page(
            "Get the latest news straight to your phone with the Daily Courier app.",
            "Join the thousands of readers who get our best stories delivered to their inboxes "
            "every week.",
            "12 Comments",
        )
    )
    assert_body(out)
    assert "Courier app" not in out
    assert "Join the thousands" not in out


def test_affiliate_disclosure_and_cookie_consent():
    text = page(
        "This page contains references to products from one or more of our advertisers, and "
        "we may receive compensation when you click on links to those products. Terms apply to "
        "the offers listed on this page.",
        "We use analytics to understand how readers use the site and to improve it for you. "
        "By continuing to browse the site you are agreeing to our use of cookies.",
        "Agree",
    )
    out = kept(text)
    assert_body(out)
    assert "references to products" not in out
    assert "use of cookies" not in out


def test_news_sentence_about_an_app_stays():
    line = (
        "Residents will be able to report blocked lanes with the city's new app, which the "
        "council says will be ready before the first section opens."
    )
    text = "\n\n".join([HEADLINE, BODY[0], BODY[1], line, BODY[2], BODY[3]])
    out = kept(text)
    assert line in out
    assert_body(out)


CARDS = [
    "More from News",
    "Mayor faces questions over budget shortfall",
    "The mayor was asked to explain a gap of four million in the city's accounts.",
    "Local",
    "New bus routes planned for the northern suburbs",
    "Three new routes will link the suburbs with the hospital and the university.",
    "City to plant 10,000 trees by 2030",
    "The council says the trees will cool the streets during summer heatwaves.",
    "About us",
    "Contact",
]


def test_related_cards_with_teasers_after_the_body():
    result = clean_text(page(*CARDS))
    assert_body(result.text)
    for line in CARDS:
        assert line not in result.text
    why = {r.text: r.reason for r in result.removed}
    assert why[CARDS[2]] == "teaser"


def test_cards_separated_by_read_more_links():
    tail = [
        "Read more",
        "Mayor faces questions over budget shortfall",
        "The mayor was asked to explain a gap of four million in the city's accounts.",
        "Read more",
        "New bus routes planned for the northern suburbs",
        "Three new routes will link the suburbs with the hospital and the university.",
        "Read more",
    ]
    out = kept(page(*tail))
    assert_body(out)
    assert "gap of four million" not in out
    assert "Three new routes" not in out


def test_read_more_link_inside_the_article_does_not_take_paragraphs():
    """One "READ MORE" link, then paragraphs under subheadings: the article goes on."""
    text = "\n".join(
        [
            HEADLINE,
            BODY[0],
            "READ MORE: Mayor faces questions over budget shortfall",
            BODY[1],
            "What happens next",
            BODY[2],
            "Who pays for it",
            BODY[3],
        ]
    )
    out = kept(text)
    assert_body(out)
    assert "What happens next" in out


def test_author_box_that_writes_about():
    tail = [
        "Jane Doe writes about transport, housing and local politics for the Daily Courier.",
        "Twitter",
        "Email",
    ]
    result = clean_text(page(*tail))
    assert_body(result.text)
    assert tail[0] not in result.text
    assert {r.text: r.reason for r in result.removed}[tail[0]] == "aggregator-bio"


def test_quoted_writer_in_the_body_stays():
    line = (
        "Anna Berg writes about the scheme in her new book, arguing that cities which built "
        "lanes early saw fewer accidents within five years."
    )
    text = "\n\n".join([HEADLINE, BODY[0], BODY[1], line, BODY[2], BODY[3]])
    out = kept(text)
    assert line in out
    assert_body(out)


COMMENT_1 = (
    "I have lived on this street for thirty years and nobody asked us what we wanted before "
    "they drew these lines on the map, and the consultation was a joke from start to finish."
)
COMMENT_2 = (
    "The lanes in the next town over have been a great success and the shops there are doing "
    "better than ever, so I do not understand what all the fuss is about from the owners here."
)


def test_comment_section_with_handles_times_and_votes():
    tail = [
        "Comments (2)",
        "bikefan88",
        "2 years ago",
        COMMENT_1,
        "Like (12)",
        "Reply",
        "oldtimer · 3h",
        COMMENT_2,
        "4 likes",
        "Reply",
    ]
    result = clean_text(page(*tail))
    assert_body(result.text)
    assert COMMENT_1 not in result.text
    assert COMMENT_2 not in result.text
    why = {r.text: r.reason for r in result.removed}
    assert why["2 years ago"] == why["oldtimer · 3h"] == why["Like (12)"] == "comment-header"


def test_wordpress_comments_after_thoughts_on_title():
    tail = [
        "2 thoughts on “Council approves new cycle lanes”",
        "John Smith says:",
        "March 3, 2021 at 4:12 pm",
        COMMENT_1,
        "Reply",
        "Mary K. on March 4, 2021 at 9:01 am said:",
        COMMENT_2,
        "Reply",
        "Leave a Reply",
    ]
    out = kept(page(*tail))
    assert_body(out)
    assert COMMENT_1 not in out
    assert COMMENT_2 not in out


def test_listicle_headline_and_quote_opener_are_not_comment_chrome():
    head = "5 Thoughts on Why the Council Finally Said Yes to Cycle Lanes"
    quote = "The deputy mayor on Tuesday at 10am said:"
    text = "\n".join([head, BODY[0], BODY[1], quote, BODY[2], BODY[3]])
    result = clean_text(text)
    assert result.title == head
    assert quote in result.text
    assert_body(result.text)


def test_excerpt_cards_under_a_decorated_opener():
    excerpt_1 = (
        "I run a small service that imports timetables every night. It is not real-time, so "
        "nobody noticed when the import started to take four hours instead of ten minutes, "
        "until the morning the buses had no schedule at all."
    )
    excerpt_2 = (
        "Every week someone asks me why the memory chart of their app climbs like a staircase. "
        "The answer is less mysterious than it looks, and it has to do with how the allocator "
        "hands pages back to the system."
    )
    tail = [
        "Keep Reading 🚀",
        "The Curious Case of the Slow Nightly Import",
        excerpt_1,
        "Read More",
        "Why does my app's memory grow over time?",
        excerpt_2,
        "Read More",
    ]
    out = kept(page(*tail))
    assert_body(out)
    assert excerpt_1 not in out
    assert excerpt_2 not in out


def test_author_box_covering_and_previously():
    bio = (
        "Jane Doe is a senior writer for the Daily Courier, covering transport and city hall. "
        "She was previously a reporter at the Evening Post."
    )
    tail = ["More Great Courier Stories", "Mayor faces questions over budget", bio, "Senior Writer"]
    result = clean_text(page(*tail))
    assert_body(result.text)
    assert bio not in result.text
    assert {r.text: r.reason for r in result.removed}[bio] == "aggregator-bio"


def test_never_miss_line_next_to_sign_up_button():
    line = "Get the Daily Courier's morning edition by email and never miss our top stories"
    text = "\n".join([HEADLINE, BODY[0], BODY[1], line, "Free Sign Up", BODY[2], BODY[3]])
    out = kept(text)
    assert line not in out
    assert_body(out)


def test_newsletter_box_and_cookie_banner_after_the_body():
    blurb = (
        "Start your day with the stories that matter, picked by our editors and delivered "
        "every weekday at 7am."
    )
    consent = (
        "We and our partners store and access information on your device, such as unique IDs "
        "in cookies, to process personal data."
    )
    tail = [
        "The Morning Briefing",
        blurb,
        "Email address",
        "Sign up",
        "We value your privacy",
        consent,
        "Accept all",
        "Manage preferences",
    ]
    out = kept(page(*tail))
    assert_body(out)
    assert blurb not in out
    assert consent not in out


def test_plain_comments_under_a_comments_heading():
    tail = ["Comments", "bikefan88", COMMENT_1, "oldtimer", COMMENT_2]
    out = kept(page(*tail))
    assert_body(out)
    assert COMMENT_1 not in out
    assert COMMENT_2 not in out


def test_article_about_personal_data_keeps_its_sentences():
    line = (
        "The council said the cameras counting cyclists would not store personal data, and "
        "that the figures would be published every month."
    )
    text = "\n\n".join([HEADLINE, BODY[0], BODY[1], line, BODY[2], BODY[3]])
    out = kept(text)
    assert line in out
    assert_body(out)


def test_comment_count_link_near_the_top_does_not_close_the_article():
    out = kept("\n".join(["Home", HEADLINE, "By Jane Doe", "14 Comments", *BODY]))
    assert_body(out)
    # a comments link above most of the article's prose closes nothing below it
    out = kept("\n\n".join([HEADLINE, BODY[0], BODY[1], "Comments", BODY[2], BODY[3], BODY[0]]))
    assert BODY[2] in out and BODY[3] in out
