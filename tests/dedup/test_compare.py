"""copy_match, measure, Fingerprint.of, facts, figures and contradicted on fictional news texts.

Covered: edited copies (sentence dropped, tail cut, words swapped, other site's lines added) are
copies; template stories with other figures, look-alike briefs and short excerpts are not; the
verdict is symmetric; names and numbers are read as a user would; Arabic text works.
"""

from __future__ import annotations

import itertools

import pytest

from newsarchive.dedup.compare import (
    CONTAINMENT,
    MIN_SIZE_RATIO,
    RESEMBLANCE,
    SHORT_CONTAINMENT,
    SHORT_WORDS,
    Fingerprint,
    Match,
    contradicted,
    copy_match,
    facts,
    figures,
    measure,
)
from newsarchive.dedup.signature import shingles, words

STORY = """Harbor City council voted 7 to 2 on Tuesday to close the Fenwick Street bridge for repairs from April 4, after inspectors found corrosion in 3 of its steel supports.
The bridge carries about 18,400 vehicles a day between the old town and the Marlow docks. Drivers will be sent over the Quayside ring road, which the council expects to add up to 12 minutes to a crossing at peak hours.
Council engineer Priya Okonkwo said the work would cost 2.3 million dollars and take about five months. "We would rather close it on our terms than have it closed for us," she told the meeting.
Shop owners on Fenwick Street asked for help with lost trade. Mayor Daniel Ashworth said the council would waive parking fees in the old town while the bridge is shut and review the plan in June.
Ferry operator Bluewater Lines said it would add two morning sailings from Marlow pier and extend its evening timetable until the bridge reopens."""

SIDEBAR = """Most read on the Marlow Gazette this week: the harbour festival returns with a new food market, a retired teacher in Pellham turns her garden into a bee sanctuary, and the county hockey team wins its first title in 21 years.
Sign up for our morning newsletter to get local news, weather and traffic in your inbox before 7 a.m. every weekday.
Readers can send tips and photos to the newsroom through the contact page, or call the Gazette desk, which is staffed from early morning until late evening on weekdays and on Saturday mornings."""

RESULTS = """Brightwater Foods, the dairy group based in Aldermoor, reported a net profit of 41.2 million euros for the quarter, up from 35.8 million a year earlier.
Chief executive Hannah Lindqvist said demand for its cheese and yoghurt brands had held up in the company's home markets despite higher prices for milk, packaging and transport. She said the group would keep investing in its plants around Aldermoor and in the new distribution centre at the port of Kessing, which opened last spring.
Brightwater makes cheese, butter and yoghurt under its own brands and for supermarket chains in several countries, and collects milk from farms across the region. The company kept its forecast for the full year and said it would continue its share buyback programme.
Its shares rose 3.1 percent in early trading in Aldermoor, where the group has its headquarters and its largest plant."""

NEXT_RESULTS = RESULTS.replace("41.2", "44.7").replace("35.8", "39.0").replace("3.1 percent", "1.4 percent")

BRIEF = """Northbound trains on the Kestrel Line are running up to 15 minutes late between Alderton and Munro Street after a signal fault, the operator said on Monday morning.
Passengers should allow extra time for their journeys and check the departure boards at each station before they travel."""

OTHER_BRIEF = BRIEF.replace("15", "25").replace("Alderton", "Hollinsby")

ARABIC = """أعلنت بلدية مدينة الميناء يوم الثلاثاء إغلاق جسر شارع النخيل لمدة ٥ أشهر بعد أن كشف المهندسون عن تآكل في ٣ من دعاماته الحديدية.
ويعبر الجسر نحو ١٨٤٠٠ سيارة يوميا بين البلدة القديمة والمرفأ، وستحول حركة المرور إلى الطريق الدائري الذي قد يضيف ١٢ دقيقة إلى الرحلة في ساعات الذروة.
وقالت مهندسة البلدية إن كلفة الأشغال تبلغ ٢٫٣ مليون دولار، وإن العمل سيبدأ في الرابع من نيسان ويستمر حتى نهاية الصيف.
وطالب أصحاب المحلات في الشارع بتعويضات عن خسائرهم، فيما وعد رئيس البلدية بإعفاء مواقف السيارات من الرسوم طوال فترة الإغلاق."""

_QUOTE = ' "We would rather close it on our terms than have it closed for us," she told the meeting.'
_TOKENS = STORY.split(" ")
DROPPED = STORY.replace(_QUOTE, "")
TAIL_CUT = " ".join(_TOKENS[: int(len(_TOKENS) * 0.75)])
SWAPPED = STORY.replace(" said ", " stated ").replace("about", "around")
CONTAINED = STORY + "\n" + SIDEBAR
EXCERPT = " ".join(_TOKENS[:60])
SHORT_EXCERPT = " ".join(_TOKENS[:30])

ALL_TEXTS = [STORY, DROPPED, TAIL_CUT, SWAPPED, CONTAINED, EXCERPT, RESULTS, NEXT_RESULTS, BRIEF, ARABIC]


def fp(text: str) -> Fingerprint:
    return Fingerprint.of(text)


@pytest.mark.parametrize(
    "copy", [DROPPED, TAIL_CUT, SWAPPED], ids=["sentence-dropped", "tail-cut", "swapped"]
)
def test_edited_copy_is_a_copy(copy: str) -> None:
    match = copy_match(fp(STORY), fp(copy))
    assert match is not None
    assert match.containment >= CONTAINMENT


def test_tail_cut_copy_is_kept_by_containment_not_resemblance() -> None:
    match = copy_match(fp(STORY), fp(TAIL_CUT))
    assert match is not None
    assert match.resemblance < RESEMBLANCE
    assert match.containment == 1.0


def test_text_inside_a_longer_one_is_a_copy_by_containment() -> None:
    match = copy_match(fp(STORY), fp(CONTAINED))
    assert match is not None
    assert match.resemblance < 0.7
    assert match.containment == 1.0


def test_template_story_with_other_figures_is_not_a_copy() -> None:
    a, b = fp(RESULTS), fp(NEXT_RESULTS)
    # the shingles alone would call it a copy: only the facts tell the two quarters apart
    assert measure(a, b).resemblance >= RESEMBLANCE
    assert facts(RESULTS)[1] == facts(NEXT_RESULTS)[1]
    assert contradicted(a, b)
    assert copy_match(a, b) is None


def test_two_briefs_sharing_most_words_are_not_merged() -> None:
    a, b = fp(BRIEF), fp(OTHER_BRIEF)
    assert a.words < SHORT_WORDS
    assert measure(a, b).containment >= CONTAINMENT  # a long text this alike would pass the shingles test
    assert copy_match(a, b) is None


def test_short_brief_with_a_line_added_is_a_copy() -> None:
    longer = BRIEF + "\nMore updates will follow on our travel page."
    match = copy_match(fp(BRIEF), fp(longer))
    assert match is not None
    assert match.containment >= SHORT_CONTAINMENT


@pytest.mark.parametrize("excerpt", [EXCERPT, SHORT_EXCERPT], ids=["60-words", "30-words"])
def test_short_excerpt_is_not_a_copy(excerpt: str) -> None:
    a, b = fp(STORY), fp(excerpt)
    assert b.words / a.words < MIN_SIZE_RATIO
    assert measure(a, b).containment == 1.0
    assert copy_match(a, b) is None


@pytest.mark.parametrize(("a", "b"), list(itertools.combinations(ALL_TEXTS, 2)))
def test_copy_match_is_symmetric(a: str, b: str) -> None:
    assert copy_match(fp(a), fp(b)) == copy_match(fp(b), fp(a))
    assert measure(fp(a), fp(b)) == measure(fp(b), fp(a))


def test_text_is_a_copy_of_itself() -> None:
    assert copy_match(fp(STORY), fp(STORY)) == Match(1.0, 1.0)


def test_different_stories_are_not_copies() -> None:
    assert measure(fp(STORY), fp(RESULTS)).containment < 0.1
    assert copy_match(fp(STORY), fp(RESULTS)) is None


def test_empty_text_is_never_a_copy() -> None:
    assert measure(fp(""), fp(STORY)) == Match(0.0, 0.0)
    assert copy_match(fp(""), fp(STORY)) is None
    assert copy_match(fp(""), fp("")) is None


def test_fingerprint_accepts_precomputed_shingles() -> None:
    assert Fingerprint.of(STORY, shingles(STORY)) == Fingerprint.of(STORY)
    assert fp(STORY).words == len(words(STORY))


def test_facts_sentence_openers_are_not_names() -> None:
    numbers, names = facts(
        "The council met on Friday. Mayor Ashworth said: Work starts soon.\nResidents agreed."
    )
    assert names == {"friday", "ashworth"}
    assert numbers == frozenset()


def test_facts_thousands_separator_is_ignored() -> None:
    assert facts("About 1,200 people came to the fair.")[0] == {"1200"}
    assert facts("About 1,200 people came.")[0] == facts("About 1200 people came.")[0]
    assert figures("so about 1,200 people came today") == figures("so about 1200 people came today")


def test_figures_key_numbers_by_their_context() -> None:
    assert figures("The firm said profit rose 12 percent in June.") == {"profit rose # percent in": {"12"}}
    assert figures("Up 12 percent") == {}  # too near the edge for two words either side


def test_contradicted_needs_shared_context_with_other_figures() -> None:
    base = fp("The firm said profit rose 12 percent in June, and sales were flat.")
    assert contradicted(base, fp("The firm said profit rose 15 percent in June, and sales were flat."))
    assert not contradicted(base, fp("The firm said profit rose 12 percent in June, and sales fell."))
    assert not contradicted(base, fp("The mayor said turnout fell 15 points since the last vote, sadly."))


def test_arabic_text_with_arabic_indic_digits() -> None:
    numbers, names = facts(ARABIC)
    assert "18400" in numbers  # any script's digits compare as ASCII
    assert names == frozenset()
    lines = ARABIC.splitlines()
    copy = "\n".join(lines[:2] + lines[3:])
    assert copy_match(fp(ARABIC), fp(copy)) is not None
    assert copy_match(fp(ARABIC), fp(STORY)) is None


def test_numbers_have_one_spelling_across_scripts_and_separators() -> None:
    numbers, _ = facts(
        "Costs rose to ١٬٢٠٠ dinars, or 1,200 in the old count, and 3,5 percent of 2.3 million."
    )
    assert {"1200", "3,5", "2.3"} <= numbers
    assert "35" not in numbers


def test_a_sentence_after_a_no_break_space_or_ellipsis_does_not_open_with_a_name() -> None:
    _, names = facts("The meeting ended.\u00a0Residents left early… Councillors stayed with Mayor Okafor.")
    assert names == {"mayor", "okafor"}  # a title before a name is capitalised mid-sentence too
