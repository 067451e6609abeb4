"""Outlet signatures, "Source:" lines, hints, and the outlets an article cites."""

from __future__ import annotations

from presstrace.meta.outlet import canonical_outlet, find_cited_sources, find_outlet

EXPRESS_NOTICE = (
    "We use your sign-up to provide content in ways you\u2019ve consented to and to improve our "
    "understanding of you. This may include adverts from us and 3rd parties based on our "
    "understanding. You can unsubscribe at any time. More info"
)
BODY = "Vladimir Putin has come under fierce scrutiny within his inner circle.\n\nHe added more."


def test_newsletter_notice_in_removed_lines() -> None:
    name, evidence = find_outlet(BODY, [EXPRESS_NOTICE])
    assert name == "Express"
    assert evidence.startswith("We use your sign-up")


def test_paywall_promo() -> None:
    promo = (
        "Broaden your horizons with award-winning British journalism. Try The Telegraph free for "
        "a month, then enjoy one year for just $9 with our exclusive US offer."
    )
    assert find_outlet(BODY, [promo])[0] == "The Telegraph"
    assert find_outlet(BODY + "\n\nTry The Spectator free for a month.", [])[0] == "The Spectator"


def test_source_line() -> None:
    text = BODY + "\nSource: Kathimerini"
    assert find_outlet(text, []) == ("Kathimerini", "Source: Kathimerini")
    assert find_outlet(BODY, ["Source: reuters.com"])[0] == "Reuters"


def test_source_read_full_article_is_not_an_outlet() -> None:
    assert find_outlet(BODY, ["Source: Read Full Article"]) == (None, None)
    assert find_outlet(BODY + "\nSource: Read Full Article", []) == (None, None)
    assert find_outlet(BODY, ["Source: Getty Images"]) == (None, None)


def test_copyright_lines() -> None:
    assert find_outlet(BODY, ["\u00a9 2023 Reuters. All rights reserved."])[0] == "Reuters"
    assert find_outlet(BODY, ["Copyright The Associated Press"])[0] == "The Associated Press"


def test_cited_outlet_is_not_the_publisher() -> None:
    text = (
        "In an article for The Telegraph, John Healey said the Russian dictator could face "
        "mounting internal pressure.\n\nKiev would use the long-range missiles to attack Russian "
        "supply lines, an adviser to Ukrainian President Volodymyr Zelensky told The Telegraph."
    )
    assert find_outlet(text, ["close", "first Drop", "Com TW NOw News 2024", "news"]) == (
        None,
        None,
    )
    assert find_cited_sources(text) == ["The Telegraph"]


def test_hints() -> None:
    assert find_outlet(BODY, [], {"sitename": "The Guardian"})[0] == "The Guardian"
    assert find_outlet(BODY, [], {"url": "https://www.express.co.uk/news/world/1"})[0] == "Express"
    # a known host decides between outlets sharing one notice (Reach titles)
    hint = {"url": "https://www.mirror.co.uk/news/world-news/x"}
    assert find_outlet(BODY, [EXPRESS_NOTICE], hint)[0] == "Daily Mirror"
    # an explicit attribution beats the aggregator's own host
    hint = {"url": "https://247newsreel.com/some-story/"}
    assert find_outlet(BODY + "\nSource: Kathimerini", [], hint)[0] == "Kathimerini"


def test_cited_sources() -> None:
    text = (
        "Mikhail Zygar, editor-in-chief of Russia's TV Rain, told CNN: \u201cHe is close to the "
        "edge.\u201d\n"
        "According to Mark Galeotti, writing in his analysis for Spectator magazine, the drones "
        "had previously exploded further away.\n"
        "\u201cThe Kremlin deliberately decided to publicize the drone episode,\u201d Anton "
        "Troyanovsky of the New York Times noted in his analysis.\n"
        "Dan Lamothe and Isabelle Khurshudyan wrote in the Washington Post.\n"
        "One senior official told The Independent that they were hoping for more.\n"
        "The sun rose over the Times Square crowds as the Guardian angel statue was unveiled."
    )
    assert find_cited_sources(text) == [
        "CNN",
        "The Spectator",
        "The New York Times",
        "The Washington Post",
        "The Independent",
    ]


def test_aliases_normalise() -> None:
    assert canonical_outlet("Spectator magazine") == canonical_outlet("The Spectator")
    assert canonical_outlet("the Washington Post") == "The Washington Post"
    assert canonical_outlet("Daily Express") == "Express"
    assert canonical_outlet("Acme Widgets") is None
    text = "Ms Smith told the Daily Express and later told Express.co.uk the same."
    assert find_cited_sources(text) == ["Express"]


def test_copyright_holders_and_lookalikes() -> None:
    assert find_outlet(BODY, ["\u00a9 Telegraph Media Group Limited 2022"])[0] == "The Telegraph"
    assert find_outlet(BODY, ["\u00a9 2021 Cable News Network. A Warner Media Company."])[0] == (
        "CNN"
    )
    assert find_outlet(BODY, ["\u00a9 Provided by The Guardian"])[0] == "The Guardian"
    # not publishers: a slogan, a law's name, mojibake of "Condé"
    assert find_outlet(BODY, ["Support independent journalism"]) == (None, None)
    assert find_outlet(BODY, ["Digital Millennium Copyright Act - Editorial Policies"]) == (
        None,
        None,
    )
    assert find_outlet(BODY, ["Cond\u00c3\u00a9 Nast Store"]) == (None, None)


def test_lookalike_names_are_not_citations() -> None:
    text = (
        "Pamela Anderson - The High Times interview, Oct 24, 2016.\n"
        "A photo of the protest via Reuters was shared widely.\n"
        "Jean-Paul Claverie, advisor to Arnault, told Observer the museum was delighted."
    )
    assert find_cited_sources(text) == ["The Observer"]


def test_signature_needles_are_literals_of_their_patterns() -> None:
    """A needle is what every match must contain: lower-case ASCII, written in the pattern."""
    from presstrace.meta.outlet import _outlets

    with_needles = [s for s in _outlets().signatures if s.needles]
    assert with_needles
    for sig in with_needles:
        for needle in sig.needles:
            assert needle.isascii() and needle == needle.lower(), needle
            assert needle in sig.pattern.pattern.lower(), (needle, sig.pattern.pattern)


def test_needles_see_what_a_case_insensitive_regex_sees() -> None:
    """re.IGNORECASE matches "ſ" to "s" and "ı"/"İ" to "i" (str.lower() does not): a
    signature or copyright line written with them is still found."""
    assert find_outlet(BODY, ["Do you have a ſtory for The Sun?"])[0] == "The Sun"
    assert find_outlet(BODY, ["WHY YOU CAN TRUST BBC NEWS"])[0] == "BBC"
    assert find_outlet(BODY, ["Copyrİght 2023 Reuters."])[0] == "Reuters"
    assert find_outlet(BODY, ["(C) 2023 Reuters."])[0] == "Reuters"
