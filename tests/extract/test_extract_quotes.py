"""Quote attribution on real news sentences, one test per pattern the issue names."""

from __future__ import annotations

from extract_fixtures import run_extract, spacy_nlp  # noqa: F401 - shared fixtures

# the fixtures above are pytest fixtures: test parameters named like them are not redefinitions
# ruff: noqa: F811


def quotes_of(run_extract, *texts):
    return run_extract(*texts)[0][1]


def only(quotes, contains):
    found = [q for q in quotes if contains in q.text]
    assert len(found) == 1, [(q.text, q.speaker) for q in quotes]
    return found[0]


def test_direct_quote_with_trailing_attribution_and_offsets(run_extract):
    text = (
        "“We did not attack Putin. We leave it for judgment. We fight on our own land,” "
        "Ukrainian President Volodymyr Zelensky said in Helsinki."
    )
    q = only(quotes_of(run_extract, text), "We did not attack Putin")
    assert (q.speaker, q.direct, q.cue) == ("Volodymyr Zelensky", True, "said")
    assert text[q.start : q.end] == q.text  # one quote over three sentences
    assert q.text.endswith("our own land,") or q.text.endswith("our own land")


def test_every_common_quote_mark(run_extract):
    for opening, closing in (("“", "”"), ('"', '"'), ("«", "»"), ("„", "“")):
        text = (
            f"John Kirby told reporters: {opening}Russia has lost more than twenty thousand "
            f"soldiers in Bakhmut alone.{closing}"
        )
        q = only(quotes_of(run_extract, text), "Russia has lost")
        assert (q.speaker, q.direct) == ("John Kirby", True), (opening, q)


def test_leading_attribution_with_appositive_and_continuation_paragraphs(run_extract):
    text = (
        "Mikhail Zygar, editor-in-chief of Russia’s TV Rain, told CNN: “He is obviously "
        "close to the edge.\n\n"
        "“He is considered to be a loser by most of his inner circle – it is obvious that he "
        "has lost.”\n\n"
        "The withdrawal of troops from Kherson has marked an embarrassing shift in strategy."
    )
    quotes = quotes_of(run_extract, text)
    first = only(quotes, "close to the edge")
    second = only(quotes, "considered to be a loser")
    assert first.speaker == second.speaker == "Mikhail Zygar"
    assert second.direct and first.cue == "told"


def test_quote_split_around_its_attribution(run_extract):
    text = (
        "“The fire spread very quickly through the roof,” the chief fire officer, Matt "
        "Goodman, said. “We have been able to prevent it spreading to the main store.”"
    )
    quotes = quotes_of(run_extract, text)
    assert only(quotes, "spread very quickly").speaker == "Matt Goodman"
    assert only(quotes, "prevent it spreading").speaker == "Matt Goodman"


def test_indirect_speech_said_that(run_extract):
    text = (
        "Oleksiy Danilov, Ukraine’s top security official, said on Tuesday afternoon that "
        "any future Russian offensive operations were not possible."
    )
    q = only(quotes_of(run_extract, text), "offensive operations")
    assert (q.speaker, q.direct, q.cue) == ("Oleksiy Danilov", False, "said")
    assert q.text.startswith("any future Russian offensive")


def test_according_to(run_extract):
    text = (
        "Oleksiy Danilov spoke on Tuesday. According to Mr Danilov, Ukraine may not have "
        "to wait long to see these results."
    )
    q = only(quotes_of(run_extract, text), "wait long")
    assert (q.speaker, q.cue, q.direct) == ("Oleksiy Danilov", "according to", False)


def test_partial_quote_inside_reported_speech(run_extract):
    text = (
        "Zelensky said his forces were “strengthening” their positions in Russia’s Kursk "
        "region, where Kyiv has been conducting a major ground offensive."
    )
    q = only(quotes_of(run_extract, text), "strengthening")
    assert q.speaker == "Zelensky" and not q.direct and q.partial


def test_pronoun_resolves_to_the_named_speaker(run_extract):
    text = (
        "According to Mr Danilov, Ukraine may not have to wait long to see these results. "
        "A second mutiny would “not be much delayed”, he concluded in his statement.\n\n"
        "“The growth of protest of various colours of disaffected people in Russia cannot be "
        "pushed back,” he said."
    )
    quotes = quotes_of(run_extract, text)
    assert only(quotes, "not be much delayed").speaker == "Danilov"
    assert only(quotes, "growth of protest").speaker == "Danilov"
    assert only(quotes, "growth of protest").source == "he"


def test_description_resolves_to_the_person_it_describes(run_extract):
    text = (
        "Journalist Mikhail Zygar unmasked growing tension among the Russian elite.\n\n"
        "Speaking of Vladimir Putin’s inner circle of Kremlin colleagues, the Russian "
        "journalist added: “He is really close to his defeat, they understand that.”"
    )
    q = only(quotes_of(run_extract, text), "close to his defeat")
    assert (q.speaker, q.source) == ("Mikhail Zygar", "the Russian journalist")


def test_scare_quotes_are_not_speech(run_extract):
    text = (
        "One of the main reasons for President Vladimir Putin’s so-called “home policy” is "
        "“Special Military Operations” in Ukraine. Moscow condemned the “act of terrorism”."
    )
    assert quotes_of(run_extract, text) == []


def test_unnamed_speaker_is_kept_unnamed(run_extract):
    text = (
        "Ukrainian officials hope these events are heightening tensions. One senior official "
        "told The Independent that they were “hoping those negative effects will cascade "
        "down to further lower ordinary soldiers’ morale”."
    )
    q = only(quotes_of(run_extract, text), "negative effects")
    assert q.speaker is None and q.source == "One senior official"


def test_a_person_inside_a_prepositional_phrase_is_not_the_speaker(run_extract):
    text = (
        "Kiev would use the long-range missiles to attack Russian supply lines, an adviser "
        "to Ukrainian President Volodymyr Zelensky told The Telegraph."
    )
    q = only(quotes_of(run_extract, text), "long-range missiles")
    assert q.speaker is None and q.source == "an adviser"


def test_inverted_attribution_after_the_cue(run_extract):
    text = (
        "“The situation is under control and there is no threat to residents,” said Mayor "
        "Vitali Klitschko."
    )
    q = only(quotes_of(run_extract, text), "under control")
    assert q.speaker == "Vitali Klitschko" and q.direct


def test_a_participle_cue_starts_a_second_statement(run_extract):
    text = (
        "Zelensky said the counteroffensive had begun, adding that Ukrainian troops were "
        "advancing near Bakhmut."
    )
    quotes = quotes_of(run_extract, text)
    first = only(quotes, "counteroffensive")
    second = only(quotes, "advancing")
    assert first.text == "the counteroffensive had begun" and first.cue == "said"
    assert (second.speaker, second.cue) == ("Zelensky", "adding")


# --- the grammar of attribution (dependency parse), issue 12 ---


def test_verbs_that_are_not_speech_make_no_quote(run_extract):
    text = (
        "Harry Kane added a goal in the second half to seal the win for Tottenham. "
        "Senator Ted Cruz called Donald Trump a pathological liar on Tuesday. "
        "Mayor Sadiq Khan asked residents to stay at home during the storm."
    )
    assert quotes_of(run_extract, text) == []


def test_added_counts_with_a_that_clause(run_extract):
    text = "Harry Kane added that the team would fight for the title until the last day."
    q = only(quotes_of(run_extract, text), "fight for the title")
    assert (q.speaker, q.cue, q.direct) == ("Harry Kane", "added", False)


def test_asked_counts_with_a_direct_quote(run_extract):
    text = "“Does anybody know what the environmental platform is?” Lindsey Graham asked."
    q = only(quotes_of(run_extract, text), "environmental platform")
    assert (q.speaker, q.cue, q.direct) == ("Lindsey Graham", "asked", True)


def test_the_subject_of_the_verb_not_the_nearest_name(run_extract):
    text = (
        "Joy Baker, who met Hillary Clinton in Iowa on Monday, said the campaign had "
        "underestimated how angry rural voters were."
    )
    q = only(quotes_of(run_extract, text), "underestimated")
    assert q.speaker == "Joy Baker" and q.how.startswith("parse-nsubj")


def test_inverted_speaker_with_an_appositive(run_extract):
    text = "“We will not leave this city,” said Vitali Klitschko, the mayor of Kyiv, on Tuesday."
    q = only(quotes_of(run_extract, text), "not leave this city")
    assert (q.speaker, q.direct) == ("Vitali Klitschko", True)


def test_a_bare_surname_is_resolved_inside_its_article_first(run_extract):
    corpus_baker = (
        "Tom Baker, the actor, opened the festival. Tom Baker later met fans, and Tom "
        "Baker signed books. Tom Baker said he loved the city."
    )
    article = (
        "Joy Baker runs a bakery in Des Moines and has voted Republican all her life.\n\n"
        "Baker said she would not vote for either candidate this year."
    )
    results = run_extract(corpus_baker, article)
    q = only(results[1][1], "either candidate")
    assert q.speaker == "Joy Baker"
    assert (q.resolved_from, q.resolved_at) == ("Joy Baker", 0)


def test_a_person_never_borrows_another_kind_of_entity_name():
    from presstrace.extract import assemble
    from presstrace.extract.names import Canonical

    raw = {
        "mentions": [],
        "claims": [],
        "quotes": [
            {
                "text": "We need peace",
                "speaker": "Ban",
                "direct": True,
                "cue": "said",
                "start": 0,
                "end": 13,
                "source": "Mr. Ban",
                "partial": False,
                "speaker_type": "PERSON",
                "confidence": 0.95,
                "how": "parse-nsubj-name",
            },
        ],
    }
    mapping = {"Ban": Canonical("law:muslim-ban", "Donald Trump's Muslim Ban", "LAW")}
    q = assemble(raw, mapping)[1][0]
    assert (q.speaker, q.speaker_key) == ("Ban", None)


def test_confidence_follows_how_sure_the_attribution_is(run_extract):
    text = (
        "Oleksiy Danilov said on Tuesday that the offensive had stalled near the river.\n\n"
        "“We expected it to take longer,” he said.\n\n"
        "One senior official told reporters that the troops were exhausted after the march."
    )
    quotes = quotes_of(run_extract, text)
    named = only(quotes, "offensive had stalled")
    pronoun = only(quotes, "take longer")
    unnamed = only(quotes, "troops were exhausted")
    assert named.speaker == pronoun.speaker == "Oleksiy Danilov"
    assert 1 >= named.confidence > pronoun.confidence > 0
    assert unnamed.speaker is None and unnamed.confidence == 0


def test_transcript_labels_and_vox_pop_dashes_name_speakers(run_extract):
    text = (
        "Mike Pence spoke to Chris Wallace on Sunday.\n\n"
        '"WALLACE: Why would Trump do that, and will she actually be there?\n\n'
        '"PENCE: She will not be attending the debate tomorrow night, I can tell you.\n\n'
        "“Maybe we can build a wall around the candidate himself.” ― Steve Quinlan."
    )
    quotes = quotes_of(run_extract, text)
    assert only(quotes, "Why would Trump").speaker == "Chris Wallace"
    assert only(quotes, "not be attending").speaker == "Mike Pence"
    assert only(quotes, "build a wall").speaker == "Steve Quinlan"


# --- other languages: their quote marks and speech verbs, issue 11 ---


def _intl(spacy_nlp, text: str, language: str):
    """The step's own routing: a language with an NER model is read by that model, any
    other gets only the names the corpus knows (none here) and its quote rules."""
    from presstrace.extract import extract, extract_known, nlp
    from presstrace.extract.known import KnownNames

    model = nlp.model_for(language)
    if model is None:
        return extract_known(text, KnownNames([]), language)
    return extract(text, nlp.load(model)(text), model)


def test_quotes_in_the_marks_and_verbs_of_other_languages(spacy_nlp):
    cases = [
        (
            "de",
            "„Wir werden das schaffen“, sagte Bundeskanzlerin Angela Merkel in Berlin.",
            "Wir werden das schaffen",
            "Angela Merkel",
        ),
        (
            "fr",
            "« Nous sommes en guerre », a déclaré Emmanuel Macron lundi soir.",
            "Nous sommes en guerre",
            "Emmanuel Macron",
        ),
        (
            "ru",
            "Владимир Путин заявил: «Мы не собираемся ни на кого нападать».",
            "Мы не собираемся ни на кого нападать",
            "Владимир Путин",
        ),
        (
            "uk",
            "«Ми переможемо», — заявив Володимир Зеленський.",
            "Ми переможемо",
            "Володимир Зеленський",
        ),
        (
            "pl",
            "„Nie ma na to zgody” – powiedział Andrzej Duda.",
            "Nie ma na to zgody",
            "Andrzej Duda",
        ),
        (
            "es",
            "«No vamos a permitirlo», dijo Pedro Sánchez en Madrid.",
            "No vamos a permitirlo",
            "Pedro Sánchez",
        ),
        ("it", "«Siamo pronti», ha detto Giorgia Meloni.", "Siamo pronti", "Giorgia Meloni"),
        ("pt", "«Não vamos desistir», disse António Costa.", "Não vamos desistir", "António Costa"),
        ("nl", "„We gaan door”, zei Mark Rutte.", "We gaan door", "Mark Rutte"),
    ]
    for language, text, said, speaker in cases:
        raw = _intl(spacy_nlp, text, language)
        quotes = [(q["text"], q["speaker"]) for q in raw["quotes"]]
        assert quotes == [(said, speaker)], (language, quotes)
        assert "quotes" not in raw.get("abstained", {})


def test_a_german_job_title_is_not_part_of_the_speaker(spacy_nlp):
    text = (
        "„Die Lage ist ernst, aber beherrschbar“, sagte Wirtschaftsminister Cuerpo am Montag. "
        "„Wir handeln jetzt“, sagte Regierungssprecherin Anna Kuhn."
    )
    raw = _intl(spacy_nlp, text, "de")
    assert [q["speaker"] for q in raw["quotes"]] == ["Cuerpo", "Anna Kuhn"]


def test_a_description_is_not_a_name_in_german(spacy_nlp):
    raw = _intl(spacy_nlp, "Der Sprecher sagte: „Das ist nicht akzeptabel und hat Folgen.“", "de")
    assert [(q["text"], q["speaker"], q["cue"]) for q in raw["quotes"]] == [
        ("Das ist nicht akzeptabel und hat Folgen.", None, "sagte")
    ]


def test_a_language_without_quote_data_abstains(spacy_nlp):
    raw = _intl(spacy_nlp, "「これは重要な一歩だ」と首相は述べた。", "ja")
    assert raw["quotes"] == []
    assert "ja" in raw["abstained"]["quotes"]


# --- attributions beyond "said" (issue 12, second pass) ---


def test_quote_closing_right_before_speaker_and_verb_is_what_was_said(run_extract):
    text = (
        "“If she gets to pick her judges, nothing you can do, folks,” Donald Trump told a "
        "rally in North Carolina, saying Hillary Clinton wants to abolish the amendment."
    )
    quotes = quotes_of(run_extract, text)
    said = only(quotes, "pick her judges")
    assert (said.speaker, said.direct, said.cue) == ("Donald Trump", True, "told")
    clause = only(quotes, "wants to abolish")
    assert (clause.speaker, clause.direct, clause.cue) == ("Donald Trump", False, "saying")


def test_stance_verbs_attribute_their_object(run_extract):
    text = (
        "Senator Bernie Sanders called for a ban on fracking in every state. "
        "Governor Chris Christie defended his record on taxes despite the criticism."
    )
    quotes = quotes_of(run_extract, text)
    ban = only(quotes, "a ban on fracking")
    assert (ban.speaker, ban.direct) == ("Bernie Sanders", False)
    record = only(quotes, "his record on taxes")
    assert record.speaker == "Chris Christie"


def test_a_colon_ending_the_paragraph_introduces_the_next_quote(run_extract):
    text = (
        "Republican nominee Donald Trump issued the following statement:\n\n"
        "“Our prayers are with all those affected by this terrible attack.”"
    )
    q = only(quotes_of(run_extract, text), "Our prayers")
    assert (q.speaker, q.direct) == ("Donald Trump", True)


def test_headline_names_who_said_it_but_a_poll_is_no_one(run_extract):
    text = (
        "Lindsey Graham: Trump’s Rhetoric Is Destroying the Party’s Chances\n\n"
        "Poll: Bernie Sanders Takes a National Lead\n\n"
        "Senator Lindsey Graham spoke to a radio host in South Carolina on Monday."
    )
    quotes = quotes_of(run_extract, text)
    q = only(quotes, "Destroying the Party")
    assert (q.speaker, q.how) == ("Lindsey Graham", "headline")
    assert not [x for x in quotes if "National Lead" in x.text]


def test_a_campaign_speaks_as_itself_not_as_the_candidate(run_extract):
    text = (
        "Hillary Clinton spoke in Des Moines on Sunday. The Clinton campaign said the new "
        "poll was deeply flawed and would be corrected."
    )
    q = only(quotes_of(run_extract, text), "deeply flawed")
    assert q.speaker == "Clinton campaign"


def test_split_quote_halves_share_the_cue_between_them(run_extract):
    text = (
        '"Now somebody else who has never shown any regard for workers," Barack Obama said, '
        '"they don\'t suddenly become a populist because they say something controversial."'
    )
    quotes = quotes_of(run_extract, text)
    first = only(quotes, "never shown any regard")
    second = only(quotes, "suddenly become a populist")
    assert first.speaker == second.speaker == "Barack Obama"
    assert first.how == "split" and first.direct


def test_a_quote_opening_the_next_sentence_goes_on_with_the_attribution(run_extract):
    text = (
        'Bob Corker said he and his partners were "meticulous" about the wording. "If we '
        "were to touch it in any way, the administration would say that we were undermining "
        'the nuclear deal."\n\n'
        "Sam Lau, the communications director for the Iowa Democratic Party, said in a "
        "statement. “There are no paper ballots to recount.”"
    )
    quotes = quotes_of(run_extract, text)
    touch = only(quotes, "If we were to touch it")
    assert (touch.speaker, touch.how) == ("Bob Corker", "next")
    assert only(quotes, "no paper ballots").speaker == "Sam Lau"


def test_a_quote_in_the_next_paragraph_is_not_taken_by_an_indirect_statement(run_extract):
    text = (
        "Bob Corker said the bill was ready.\n\n"
        '"We will never accept a deal that leaves the border open to everyone," one protester '
        "shouted at the rally."
    )
    q = only(quotes_of(run_extract, text), "never accept a deal")
    assert q.speaker is None  # the protester is unnamed: not Corker


def test_an_aside_reports_the_clause_it_interrupts(run_extract):
    text = (
        "In contrast, Michael Berkman said, there seem to be more Republicans who want to "
        "stay as far away from the nominee as possible. As Ruth Marcus puts it, Obama is "
        "trying to make Republicans an offer they cannot refuse."
    )
    quotes = quotes_of(run_extract, text)
    aside = only(quotes, "more Republicans")
    assert (aside.speaker, aside.direct) == ("Michael Berkman", False)
    assert aside.text.startswith("there seem to be")
    put = only(quotes, "an offer they cannot refuse")
    assert put.speaker == "Ruth Marcus" and put.text.startswith("Obama is trying")


def test_called_with_quoted_words_attributes_the_words(run_extract):
    text = (
        "Valeant has become a punching bag in the campaign. Hillary Clinton called it "
        "“predatory.” Later that day Ackman called his mother from the airport."
    )
    quotes = quotes_of(run_extract, text)
    q = only(quotes, "predatory")
    assert (q.speaker, q.direct, q.cue) == ("Hillary Clinton", True, "called")
    assert not [x for x in quotes if "mother" in x.text]


def test_a_nested_quote_closing_the_quote_still_ends_a_statement(run_extract):
    text = (
        "“Donald Trump said, ‘I sort of hope that happens,’” Hillary Clinton told union "
        "workers in Los Angeles."
    )
    q = only(quotes_of(run_extract, text), "sort of hope")
    assert (q.speaker, q.direct) == ("Hillary Clinton", True)


def test_a_stance_verb_with_no_object_takes_the_quote_before_it(run_extract):
    text = (
        "“What was the massive pivot point to make him change so fundamentally?” Glenn Beck "
        "questioned."
    )
    q = only(quotes_of(run_extract, text), "pivot point")
    assert (q.speaker, q.cue) == ("Glenn Beck", "questioned")


def test_said_then_a_name_after_fronted_words(run_extract):
    text = (
        "Any cleareyed interpretation of Mr. Kerry's actions, said Michael Kofman, an expert "
        "on Russia at the Woodrow Wilson Center in Washington, would read this as a public "
        "admission of defeat."
    )
    quotes = quotes_of(run_extract, text)
    assert quotes and all(q.speaker == "Michael Kofman" for q in quotes), quotes


def test_names_alone_before_a_colon_label_the_quote(run_extract):
    text = (
        "IOWA POLLS NOT NECESSARILY WRONG, JUST TOO EARLY - Mark Blumenthal and Jon Cohen: "
        "“Although the polls failed to predict Ted Cruz’s Iowa win on Tuesday night, it "
        "isn’t because they were dead wrong.”\n\n"
        "The weather on Tuesday: “Cold and windy across the state, with snow by evening.”"
    )
    quotes = quotes_of(run_extract, text)
    q = only(quotes, "failed to predict")
    assert (q.speaker, q.how) == ("Mark Blumenthal", "byline-name")
    assert [x.speaker for x in quotes if "Cold and windy" in x.text] in ([], [None])


# --- strict speakers: the name in the source itself (issue 12, session 4) ---


def direct(quotes, contains):
    """The one direct quote holding `contains` (a reported clause around it may hold it too)."""
    found = [q for q in quotes if contains in q.text and q.direct]
    assert len(found) == 1, [(q.text, q.speaker, q.direct) for q in quotes]
    return found[0]


def test_surname_ner_missed_takes_the_full_name_of_this_article(run_extract):
    # NER reads "Fox News host Sean Hannity" as an organisation and misses the bare
    # "Hannity" later: the speaker is the full name the article gave before
    text = (
        "Fox News host Sean Hannity indicated Tuesday night that any bad blood from the "
        "bruising Republican primary has largely abated.\n\n"
        '"Marco Rubio won tonight and I was very glad to see that. I think we need him back '
        'in the Senate," Hannity said during a panel on his show.'
    )
    q = only(quotes_of(run_extract, text), "Marco Rubio won tonight")
    assert q.speaker == "Sean Hannity", q
    assert q.resolved_at == text.index("Sean Hannity")


def test_second_verb_without_a_subject_keeps_the_speaker_of_the_first(run_extract):
    text = (
        "De Blasio said the move was made by NYPD commissioner Bill Bratton and said, "
        "“Who are you going to trust on security and keeping people safe?”"
    )
    q = direct(quotes_of(run_extract, text), "Who are you going to trust")
    assert (q.speaker, q.direct) == ("De Blasio", True)


def test_participle_aside_before_the_verb_keeps_the_name(run_extract):
    text = (
        "So far, Sanders has shown little inclination to play a big role on that front. But "
        "Sen. Richard J. Durbin (D-Ill.), noting the size of Sanders's following, said, "
        '"Let me tell you, he\'s got a heck of an email list, and if he decides to use it to '
        'help the Democrats take control of the Senate, that creates a better opportunity."'
    )
    q = only(quotes_of(run_extract, text), "heck of an email list")
    assert q.speaker == "Richard J. Durbin", q


def test_description_in_apposition_to_a_name_speaks_for_the_name(run_extract):
    text = (
        "Zeke Emanuel, an oncologist who advised Obama on the health care overhaul, said "
        "Obamacare so far has been a success “by every metric you can use.”"
    )
    (q,) = [x for x in quotes_of(run_extract, text) if x.text.startswith("Obamacare so far")]
    assert q.speaker == "Zeke Emanuel", q


def test_verb_coordinated_inside_the_reported_clause_keeps_the_speaker(run_extract):
    text = (
        "As the campaigns battled Thursday, other candidates jumped into the fray. Sen. Rand "
        "Paul (R-Ky.) said Rubio's tax plan would give money to undocumented immigrants, and "
        'called him "the leading proponent for allowing people in the country illegally to '
        'stay."'
    )
    q = direct(quotes_of(run_extract, text), "the leading proponent")
    assert q.speaker == "Rand Paul", q


def test_unnamed_subject_of_a_plain_verb_stays_unnamed(run_extract):
    # the guard of the rules above: an explicit unnamed subject is never given the
    # speaker of an earlier cue
    text = (
        "Trump said the plan would fail. A White House official said, “We will not comment "
        "on a plan that does not exist yet.”"
    )
    q = only(quotes_of(run_extract, text), "We will not comment")
    assert q.speaker is None, q


def test_name_label_ner_missed_before_a_colon(run_extract):
    text = (
        "The demographic/economic interplay has been important for Republican contests - "
        "Philip Bump: “Two weeks ago, [Trump’s] strongest territory had been the South. Now, "
        "it’s the Northeast.”"
    )
    q = only(quotes_of(run_extract, text), "strongest territory")
    assert (q.speaker, q.how) == ("Philip Bump", "byline-name")


def test_a_verb_of_manner_beside_a_quote(run_extract):
    text = (
        "The vote this time was more partisan.\n\n"
        "“If they were serious about making progress on this, I think they would have gone to "
        "the only bill I know of that has bipartisan support,” Sen. Pat Toomey fumed on "
        "Tuesday."
    )
    q = only(quotes_of(run_extract, text), "serious about making progress")
    assert (q.speaker, q.cue) == ("Pat Toomey", "fumed")


def test_statement_put_out_speaks_for_who_put_it_out(run_extract):
    text = (
        "Black Lives Matter, the organizational Grand Marshal for the parade, withdrew from "
        "the event. The group issued a statement saying it took the action “because of the "
        "unsafe conditions created for our communities by law enforcement.” Officers found a "
        "note saying “we will be back tomorrow for the rest of it.”"
    )
    quotes = quotes_of(run_extract, text)
    issued = only(quotes, "unsafe conditions")
    assert issued.how == "parse-acl-unnamed"  # "the group": no name, but its own verb
    found = only(quotes, "back tomorrow")
    assert found.speaker is None and found.how != "parse-acl-unnamed"  # who wrote it is unknown


def test_pronoun_after_a_speaker_is_the_speaker_not_the_interviewer(run_extract):
    text = (
        "In a wide-ranging, in-prison interview with journalist Matei Rosca last year, Lazar "
        "said he welcomed extradition to the United States and added, \"I'll plead guilty, no "
        'problem."'
    )
    q = direct(quotes_of(run_extract, text), "plead guilty")
    assert q.speaker == "Lazar", q


def test_pronoun_skips_the_person_asking(run_extract):
    text = (
        "Melania Trump spoke to NBC News before her appearance Monday night. Asked by Matt "
        "Lauer whether she had practiced her speech, she said, \"I read it once over, and "
        "that's all because I wrote it with as little help as possible.\""
    )
    q = only(quotes_of(run_extract, text), "I read it once over")
    assert q.speaker == "Melania Trump", q


def test_pronoun_keeps_a_person_named_after_of(run_extract):
    text = (
        "Wagner may now be in Belarus, though its chief Yevgeny Prigozhin appears to have "
        "spent less than a few days exiled in the vassal state.\n\n"
        "And the complaints of Prigozhin against defence minister Sergei Shoigu and the head "
        "of the Russian Armed Forces in Ukraine, Valery Gerasimov – he said they were "
        "“incompetent” and responsible for the death of thousands of Russian soldiers – are "
        "now being echoed by generals of the “special military operation”, as well as the "
        "public."
    )
    q = only(quotes_of(run_extract, text), "incompetent")
    assert q.speaker == "Yevgeny Prigozhin", q


def test_split_quote_around_a_titled_speaker(run_extract):
    # "Mr." in the gap between the halves ends no sentence: both halves are Obama's
    text = (
        '"One of the reasons I think that China was prepared to go further," Mr. Obama said, '
        '"is that their overriding concern tends to be political stability."'
    )
    quotes = quotes_of(run_extract, text)
    assert only(quotes, "One of the reasons").speaker == "Obama"
    assert only(quotes, "overriding concern").speaker == "Obama"


def test_the_person_named_after_a_title_subject(run_extract):
    text = (
        "“To be frank, the city will never go back to normal as we understood it,” said the "
        "Rev. Peter Wherry, of Mayfield Memorial Missionary Baptist Church."
    )
    assert only(quotes_of(run_extract, text), "never go back").speaker == "Peter Wherry"


def test_advising_someone_is_not_speech(run_extract):
    text = (
        "Mark Cuban, who advised Obama on technology policy for two years, spoke to the "
        "crowd in Dallas on Tuesday."
    )
    assert quotes_of(run_extract, text) == []
    said = "“Keep your options open,” she advised. Jane Smith runs a bakery in Dallas."
    assert only(quotes_of(run_extract, said), "Keep your options").cue == "advised"


def test_a_sentence_whose_cue_words_are_nouns_is_not_parsed():
    """"the state", "was told": no word that can be an active reporting verb, so no parse
    and no rule-based cue either; a sentence with a real verb is parsed."""
    from presstrace.extract.quotes import find_quotes, plan_quotes

    nouns = "The state has a new budget this year. He was told that it would be balanced."
    assert plan_quotes(nouns, []).spans == []
    assert find_quotes(nouns, []) == []
    verb = nouns + " The governor said the budget was balanced."
    job = plan_quotes(verb, [])
    parsed = [verb[a:b].strip() for a, b in job.spans]
    assert parsed == ["The governor said the budget was balanced."]


def test_a_name_glued_to_the_closing_mark(run_extract):
    # ",”Clinton said" with no space: spaCy kept "families,”Clinton" as one token
    text = (
        "The rally in Ohio was loud. “We will not stop fighting for working families,”Clinton "
        "said on Monday."
    )
    assert only(quotes_of(run_extract, text), "working families").speaker == "Clinton"
