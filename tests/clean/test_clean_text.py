"""The plain-text boilerplate classifier on single patterns, each inside a realistic article.

Every test builds an article around prose paragraphs and checks both sides: the furniture
goes (with its reason) and the article's own lines, short ones included, stay.
"""

from __future__ import annotations

from presstrace.clean.text import clean_text

HEADLINE = "Floods force thousands from their homes as river bursts its banks"
P1 = (
    "Emergency crews evacuated more than 4,000 residents from low-lying districts on "
    "Saturday after the river rose two metres overnight, officials said."
)
P2 = (
    "The regional governor said the water level was expected to peak on Sunday evening and "
    "urged people who had stayed behind to move to higher ground immediately."
)
P3 = (
    "Forecasters warned that a second band of heavy rain could reach the valley by Tuesday, "
    "raising the risk of landslides on the slopes above the town."
)
P4 = (
    "Local businesses have begun moving stock to upper floors, and the army has sent two "
    "hundred soldiers with boats to help with the evacuation."
)


def article(*middle: str, title: str | None = HEADLINE) -> str:
    head = [title] if title else []
    return "\n\n".join([*head, P1, P2, *middle, P3, P4])


def paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


def reasons(result) -> dict[str, str]:
    return {r.text: r.reason for r in result.removed}


def assert_body_intact(result) -> None:
    for p in (P1, P2, P3, P4):
        assert p in paragraphs(result.text)


def test_link_list_after_dont_miss():
    items = [
        "Russian forces begin installing new radar system [REPORT]",
        "Minister placed under investigation after leak [REVEAL]",
        "Should the city build a new dam? POLL",
        "Villagers recall ‘terrifying’ night as water rose",
    ]
    r = clean_text(article("Don’t miss:\n" + "\n".join(items)))
    assert_body_intact(r)
    got = reasons(r)
    assert got["Don’t miss:"] == "link-list"
    assert all(got[item] == "link-list" for item in items)


def test_read_more_line_with_its_headline():
    r = clean_text(article("READ MORE: Dam operator under fire over warnings[REVEAL ]"))
    assert_body_intact(r)
    assert reasons(r)["READ MORE: Dam operator under fire over warnings[REVEAL ]"] == "read-more"


def test_ad_markers():
    r = clean_text("\n\n".join([HEADLINE, "[ad_1]", P1, P2, "Advertisement", P3, P4, "[ad_2]"]))
    assert_body_intact(r)
    got = reasons(r)
    assert got["[ad_1]"] == got["[ad_2]"] == got["Advertisement"] == "ad-marker"


def test_newsletter_notice_in_the_middle():
    notice = (
        "Sign up to our free morning newsletter and get the day's top stories delivered "
        "straight to your inbox. You can unsubscribe at any time."
    )
    r = clean_text(article(notice))
    assert_body_intact(r)
    assert reasons(r)[notice] == "newsletter-notice"


def test_paywall_offer_at_the_tail():
    offer = (
        "Enjoy unlimited digital access to our journalism. Try it free for a month, then "
        "just $2 a week with our exclusive offer."
    )
    r = clean_text(article() + "\n\n" + offer)
    assert_body_intact(r)
    assert reasons(r)[offer] == "subscription-notice"


def test_prose_about_cookies_is_not_a_notice():
    prose = (
        "The regulator said websites must obtain consent before placing cookies on a "
        "visitor's device, and that refusing them should be as easy as accepting them."
    )
    r = clean_text(article(prose))
    assert prose in paragraphs(r.text)


def test_truncated_caption_before_its_full_version():
    full = "Rescue workers search the rubble of a collapsed building in the old town on Sunday."
    r = clean_text(article("Rescue workers search the", full))
    assert reasons(r)["Rescue workers search the"] == "truncated-caption"
    assert full in paragraphs(r.text)


def test_repeated_captions_differing_only_in_quotes_kept_once():
    a = "A resident wades through the ‘worst flooding in living memory’ in the town centre"
    b = "A resident wades through the 'worst flooding in living memory' in the town centre"
    r = clean_text(article(a, b))
    assert paragraphs(r.text).count(a) == 1 and b not in paragraphs(r.text)
    assert reasons(r)[b] == "repeat"


def test_title_repeated_in_the_body_is_dropped():
    r = clean_text(article(HEADLINE))
    assert r.title == HEADLINE
    assert HEADLINE not in r.text
    assert reasons(r)[HEADLINE] == "title-repeat"


def test_no_title_when_the_text_starts_with_prose():
    r = clean_text(article(title=None))
    assert r.title is None
    assert paragraphs(r.text)[0] == P1


def test_site_names_and_tags_above_the_headline():
    r = clean_text("close\n\nfirst Drop\n\nDaily News Wire 2024\n\n" + article() + "\n\nShare")
    assert r.title == HEADLINE
    assert_body_intact(r)
    got = reasons(r)
    assert {"close", "first Drop", "Daily News Wire 2024", "Share"} <= set(got)


def test_aggregator_bio_at_the_tail():
    bio = (
        "Mark Dale is a senior reporter at Global Wire Today, where he covers climate and "
        "disasters. His work has appeared in several regional newspapers."
    )
    r = clean_text(article() + "\n\n" + bio)
    assert_body_intact(r)
    assert reasons(r)[bio] == "aggregator-bio"


def test_source_line_reason():
    r = clean_text(article() + "\nSource: Kathimerini\n\nSource: Read Full Article")
    got = reasons(r)
    assert got.get("Source: Kathimerini", "source-line") == "source-line"
    assert got["Source: Read Full Article"] == "read-more"


def test_short_real_lines_inside_the_article_survive():
    one_sentence = "He declined to comment."
    r = clean_text(article("Roads closed", one_sentence, "What happens next"))
    assert_body_intact(r)
    assert one_sentence in paragraphs(r.text)
    assert "Roads closed" in paragraphs(r.text)


def test_a_line_starting_like_an_opener_can_be_prose():
    prose = "Latest figures show the river is still rising by three centimetres an hour."
    related = "Related: Dam operator under fire"
    r = clean_text(article(prose, related))
    assert prose in paragraphs(r.text)
    assert reasons(r)[related] == "read-more"


def test_mojibake_repaired_and_curly_quotes_kept():
    broken = "The mayor said: â€œWe are doing everything we can.â€\x9d Itâ€™s a long night."
    r = clean_text(article(broken))
    assert "The mayor said: “We are doing everything we can.” It’s a long night." in r.text
    assert "â€" not in r.text


def test_hard_wrapped_paragraphs_are_joined():
    wrapped = (
        "Emergency crews evacuated more than 4,000 residents from low-lying\n"
        "districts on Saturday after the river rose two metres overnight,\n"
        "officials said, and more evacuations were expected on Sunday as\n"
        "the water kept rising.\n"
    )
    r = clean_text(HEADLINE + "\n\n" + wrapped + "\n" + P2)
    assert paragraphs(r.text)[0] == " ".join(wrapped.split())


def test_menus_and_footers_around_a_flattened_article():
    menu = "\n".join(["Home", "News", "World", "Business", "Sport", "Weather", "Search"])
    footer = "\n".join(
        [
            "Most Popular",
            "Council approves new budget after long debate",
            "Police appeal for witnesses after crash",
            "About Us",
            "Contact Us",
            "Privacy Policy",
            "© 2024 Valley Herald Media Ltd. All rights reserved.",
        ]
    )
    r = clean_text(menu + "\n" + HEADLINE + "\n" + "\n".join([P1, P2, P3, P4]) + "\n" + footer)
    assert r.title == HEADLINE
    assert r.text == "\n\n".join([P1, P2, P3, P4])


def test_empty_and_blank_input():
    for text in ("", "\n\n  \n"):
        r = clean_text(text)
        assert r.title is None and r.text == "" and r.removed == []


def test_question_headline_and_title_case_headline():
    question = "Will the new flood barrier be ready before next winter?"
    r = clean_text(article(title=question))
    assert r.title == question and paragraphs(r.text)[0] == P1
    title_case = "River Bursts Banks Across Valley"
    r = clean_text("News\n\n" + article(title=title_case))
    assert r.title == title_case
    assert_body_intact(r)


def test_bulleted_list_at_the_end_of_the_article_stays():
    bullets = [
        "- More than 4,000 people were moved to schools and sports halls",
        "- Two bridges on the main road were closed as a precaution",
        "- The army sent boats and two hundred soldiers to the valley",
    ]
    r = clean_text(article() + "\n\nWhat we know so far:\n" + "\n".join(bullets))
    assert_body_intact(r)
    for bullet in bullets:
        assert bullet in paragraphs(r.text)


def test_caseless_scripts_are_prose_too():
    arabic = [
        "أعلنت السلطات المحلية يوم السبت إجلاء أكثر من أربعة آلاف شخص من الأحياء المنخفضة بعد "
        "ارتفاع منسوب النهر بشكل كبير خلال الليل.",
        "وقال المحافظ إن من المتوقع أن يبلغ منسوب المياه ذروته مساء الأحد، ودعا السكان إلى "
        "التوجه فورا إلى المناطق المرتفعة.",
        "وحذر خبراء الأرصاد من موجة جديدة من الأمطار الغزيرة قد تصل إلى الوادي يوم الثلاثاء.",
    ]
    r = clean_text("[ad_1]\n\n" + "\n\n".join(arabic) + "\n\nShare")
    assert paragraphs(r.text) == arabic
    japanese = [
        "土曜日、川の水位が一晩で二メートル上昇し、低地の住民四千人以上が避難した。",
        "知事は、水位は日曜日の夕方にピークに達する見込みだと述べ、残っている住民に高台へ移動するよう呼びかけた。",
        "気象台は、火曜日にも再び激しい雨が降る恐れがあると警告している。",
    ]
    r = clean_text("Advertisement\n" + "\n".join(japanese))
    assert paragraphs(r.text) == japanese


def test_table_rows_inside_an_article_stay():
    rows = [
        "| District | Evacuated |",
        "|---|---|",
        "| Riverside | 2,100 |",
        "| Old Town | 1,900 |",
    ]
    r = clean_text(article() + "\n\n" + "\n".join(rows))
    assert_body_intact(r)
    assert all(row in paragraphs(r.text) for row in rows)


def test_two_paragraph_article_with_an_ad_between_keeps_both():
    short_first = "Officials said the river rose two metres overnight."
    r = clean_text("\n\n".join([HEADLINE, short_first, "[ad_1]", P2, "Share\nTags"]))
    assert paragraphs(r.text) == [short_first, P2]
