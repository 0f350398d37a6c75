"""Site chrome learning: what repeats across a site's pages is removed, articles are not."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsarchive.extract.chrome import (
    SiteChrome,
    apply_chrome,
    block_key,
    ends_sentence,
    select_body,
    word_count,
)
from newsarchive.extract.textdump import extract_textdump
from newsarchive.model import Capture, Extracted
from newsarchive.settings import Settings

SETTINGS = Settings()
PROMO = "Support local journalism: become a member of the Millbrook Ledger today"


def _site_pages(fixtures_dir: Path) -> list[Extracted]:
    folder = fixtures_dir / "textdumps" / "millbrook"
    return [
        extract_textdump(
            Capture(
                origin=str(p), raw=p.read_bytes(), format="textdump", hints={"site_dir": "millbrook.example"}
            ),
            SETTINGS,
        )
        for p in sorted(folder.glob("*.txt"))
    ]


def _learn(pages: list[Extracted]) -> SiteChrome:
    chrome = SiteChrome(site=pages[0].site)
    for page in pages:
        chrome.add_page(page.blocks)
    return chrome


def test_single_page_keeps_adjacent_promo_that_learning_removes(fixtures_dir: Path) -> None:
    pages = _site_pages(fixtures_dir)
    assert {p.site for p in pages} == {"millbrook.example"}
    assert all(PROMO in p.body for p in pages)  # prose-like and next to the article: one page can't tell
    chrome = _learn(pages)
    for page in pages:
        learned = apply_chrome(page, chrome, SETTINGS)
        assert PROMO not in learned.body
        assert PROMO in "\n".join(learned.removed)
        assert not any(PROMO in b for b in learned.blocks)
        assert "Most Read" not in learned.blocks and "Home" not in learned.blocks


def test_learning_keeps_article_text(fixtures_dir: Path) -> None:
    pages = _site_pages(fixtures_dir)
    chrome = _learn(pages)
    library = apply_chrome(pages[0], chrome, SETTINGS)
    assert library.body.startswith("MILLBROOK – The public library on Orchard Lane")
    assert "It starts Monday." in library.body  # a short real sentence survives
    assert library.body.endswith("a county literacy grant that runs for three years.")
    # "By Ada Quill" is on two of four pages: below the template threshold, and not at an edge
    festival = apply_chrome(pages[2], chrome, SETTINGS)
    assert festival.body.startswith("More than nine thousand visitors")


def test_too_few_pages_or_no_chrome_changes_nothing(fixtures_dir: Path) -> None:
    pages = _site_pages(fixtures_dir)
    assert apply_chrome(pages[0], None, SETTINGS) is pages[0]
    two = _learn(pages[:2])
    assert apply_chrome(pages[0], two, SETTINGS) is pages[0]
    assert two.chrome_keys(SETTINGS) == frozenset()


def test_chrome_keys_change_when_learning_changes(fixtures_dir: Path) -> None:
    pages = _site_pages(fixtures_dir)
    chrome = _learn(pages[:3])
    before = chrome.chrome_keys(SETTINGS)
    assert block_key(PROMO + " for less than the price of a coffee each week.") in before
    for i in range(8):  # a key on 3 of 11 pages is below the 0.3 share: no longer site-wide template
        chrome.add_page([f"A new block nobody has seen, number {'abcdefgh'[i]}."])
    after = chrome.chrome_keys(SETTINGS)
    assert after != before
    assert f"edge:{block_key('Most Read')}" in after
    stricter = replace(SETTINGS, chrome_min_pages=5)
    assert chrome.chrome_keys(stricter) == frozenset()


def test_json_round_trip(fixtures_dir: Path) -> None:
    chrome = _learn(_site_pages(fixtures_dir))
    restored = SiteChrome.from_json(json.loads(json.dumps(chrome.to_json())))
    assert restored.site == chrome.site and restored.pages == chrome.pages
    assert restored.chrome_keys(SETTINGS) == chrome.chrome_keys(SETTINGS)


def test_applied_part_cleans_as_the_whole_count_does(fixtures_dir: Path) -> None:
    pages = _site_pages(fixtures_dir)
    chrome = _learn(pages)
    small = chrome.applied(SETTINGS)
    assert small is not None and small.pages == chrome.pages
    assert len(small.key_pages) < len(chrome.key_pages)  # what a batch job ships is the repeated keys only
    assert small.chrome_keys(SETTINGS) == chrome.chrome_keys(SETTINGS)
    for page in pages:
        assert apply_chrome(page, small, SETTINGS) == apply_chrome(page, chrome, SETTINGS)
    assert _learn(pages[:1]).applied(SETTINGS) is None  # too few pages: nothing learned to ship


def test_copies_of_one_article_are_not_learned_away() -> None:
    article = [
        f"Paragraph {w} of the same wire story, long enough to be prose in any article." for w in "abcde"
    ]
    pages = [["Home", "News", *article, "Footer links"] for _ in range(5)]
    chrome = SiteChrome(site="wire.example")
    for blocks in pages:
        chrome.add_page(blocks)
    extracted = Extracted(
        title="t", body="\n\n".join(article), source="", site="wire.example", blocks=pages[0]
    )
    learned = apply_chrome(extracted, chrome, SETTINGS)
    assert learned.body == extracted.body


def test_select_body_picks_the_prose_run() -> None:
    blocks = ["Home", "World", "Sports"] + [
        f"Sentence number {i} is a real sentence of an article body." for i in range(4)
    ]
    blocks += ["Related", "Other story one", "Other story two"]
    assert select_body(blocks) == [3, 4, 5, 6]
    assert select_body([]) == []


# fictional articles in scripts written without spaces, with the menus and footers of their pages
ZH_ARTICLE = [
    "本市交通局周二宣布，新建的跨江大桥将于下月正式通车，从城东到港口的车程将缩短一半。",
    "过去三年里，数百名工人日夜施工，克服了多次洪水带来的困难，市民们对新桥充满期待。",
    "专家认为，这座大桥将带动沿江地区的经济发展，并为周边的小商店和餐馆带来更多顾客。",
]
JA_ARTICLE = [
    "市の教育委員会は火曜日、新しい図書館を駅前に建設する計画を発表した。工事は来年の春に始まる。",
    "新しい図書館には子ども向けの読書室や学習スペースが設けられ、地元の住民は「待ち望んでいた」と話した。",
    "建設費は市と県が半分ずつ負担する。委員会は来月、住民向けの説明会を開き、意見を聞く方針だ。",
]
TH_ARTICLE = [  # Thai marks no sentence end
    "เทศบาลเมืองริมน้ำประกาศเมื่อวันอังคารว่าจะเปิดตลาดน้ำแห่งใหม่ใกล้สถานีรถไฟในเดือนหน้า",
    "นายกเทศมนตรีกล่าวว่าตลาดแห่งนี้จะมีร้านค้ามากกว่าหนึ่งร้อยร้าน และจะเปิดทุกวันตั้งแต่เช้าจนถึงค่ำ",
    "ชาวบ้านหลายคนดีใจที่จะได้ขายผักและผลไม้จากสวนของตนเองโดยไม่ต้องเดินทางไกลเหมือนเมื่อก่อน",
]
UNSPACED_PAGES = {
    "zh": (
        ["首页", "新闻", "体育", "跨江大桥下月正式通车"],
        ZH_ARTICLE,
        ["相关新闻", "联系我们", "版权所有 2024"],
    ),
    "ja": (
        ["ホーム", "ニュース", "スポーツ", "駅前に新しい図書館"],
        JA_ARTICLE,
        ["関連記事", "お問い合わせ", "利用規約"],
    ),
    "th": (["หน้าแรก", "ข่าว", "กีฬา"], TH_ARTICLE, ["ข่าวที่เกี่ยวข้อง", "ติดต่อเรา", "สงวนลิขสิทธิ์ 2567"]),
}


def test_word_count_estimates_words_of_scripts_without_spaces() -> None:
    assert word_count("The council met on Tuesday, as planned.") == 7
    assert 18 <= word_count(ZH_ARTICLE[0]) <= 22  # 40 characters, commas not counted
    assert word_count("首页") == 1
    assert word_count("iPhone 15 在 2024 年发布。") == 5  # four spaced tokens and two characters
    assert 17 <= word_count(TH_ARTICLE[0]) <= 25  # 21 words; vowel signs and tone marks not counted


_SPACED_SCRIPTS = st.characters(max_codepoint=0x0DFF, exclude_categories=("Cs",)) | st.characters(
    min_codepoint=0xAC00, max_codepoint=0xD7A3
)  # Latin to Sinhala (Greek, Cyrillic, Arabic, Hebrew, Devanagari…), and Hangul


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_SPACED_SCRIPTS))
def test_word_count_of_space_separated_scripts_is_their_tokens(text: str) -> None:
    assert word_count(text) == len(text.split())


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        (ZH_ARTICLE[0], True),
        ("委员长说：“工程明年春天开始。”", True),
        (JA_ARTICLE[1].removesuffix("と話した。") + "。」", True),
        ("រដ្ឋបាលក្រុងបានប្រកាសថា ស្ពានថ្មីនឹងបើកនៅខែក្រោយ។", True),
        ("မြို့တော်က တံတားအသစ်ကို နောက်လမှာ ဖွင့်မယ်လို့ ပြောပါတယ်။", True),
        (TH_ARTICLE[1], True),
        ("ติดต่อเรา", False),
        ("跨江大桥下月正式通车", False),
        ("A headline without a stop", False),
    ],
)
def test_ends_sentence_in_each_scripts_way(block: str, expected: bool) -> None:
    assert ends_sentence(block) is expected


@pytest.mark.parametrize("language", sorted(UNSPACED_PAGES))
def test_select_body_finds_articles_written_without_spaces(language: str) -> None:
    before, article, after = UNSPACED_PAGES[language]
    blocks = [*before, *article, *after]
    assert [blocks[i] for i in select_body(blocks)] == article


def test_select_body_joins_a_chinese_article_split_by_a_sidebar() -> None:
    second_half = [
        "交通局表示，通车当天上午将举行简短的仪式，随后大桥向行人开放，市民可以步行过桥参观。",
        "局长还说，大桥两端的公交线路将在下月调整，新线路的时间表会在本周末前公布在交通局网站上。",
        "一些渔民担心施工会影响江里的鱼群，但环保部门的报告认为，大桥对江水的影响非常小，不必担心。",
    ]
    sidebar = ["热门文章", "天气", "广告", "读者来信", "图片新闻", "视频", "专题", "订阅", "下载客户端"]
    blocks = ["首页", "新闻", *ZH_ARTICLE, *sidebar, *second_half, "相关新闻", "联系我们"]
    assert [blocks[i] for i in select_body(blocks)] == [*ZH_ARTICLE, *second_half]


def test_copies_of_one_chinese_article_are_not_learned_away() -> None:
    """Five captures of one story: its paragraphs are prose, not a template, in Chinese too."""
    before, article, after = UNSPACED_PAGES["zh"]
    page = [*before, *article, *after]
    chrome = SiteChrome(site="bridge.example")
    for _ in range(5):
        chrome.add_page(page)
    extracted = Extracted(title="t", body="\n\n".join(article), source="", site="bridge.example", blocks=page)
    assert apply_chrome(extracted, chrome, SETTINGS).body == extracted.body


_blocks = st.lists(st.text(min_size=1, max_size=80).map(lambda s: " ".join(s.split()) or "x"), max_size=30)


@settings(max_examples=150, deadline=None)
@given(st.lists(_blocks, min_size=1, max_size=6), _blocks)
def test_apply_chrome_never_adds_text_and_is_idempotent(site_pages: list[list[str]], page: list[str]) -> None:
    chrome = SiteChrome(site="s")
    for blocks in [*site_pages, page]:
        chrome.add_page(blocks)
    chosen = select_body(page)
    extracted = Extracted(
        title="t", body="\n\n".join(page[i] for i in chosen), source="", site="s", blocks=list(page)
    )
    once = apply_chrome(extracted, chrome, SETTINGS)
    body_lines = [line for line in extracted.body.split("\n") if line]
    for line in once.body.split("\n"):
        assert not line or line in body_lines
    assert len(once.body) <= len(extracted.body)
    assert set(once.blocks) <= set(extracted.blocks)
    twice = apply_chrome(once, chrome, SETTINGS)
    assert twice.body == once.body and twice.blocks == once.blocks


@pytest.mark.slow
def test_site_learning_on_real_textdumps(shared_data: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from textdump_quality import score_textdumps  # type: ignore[import-not-found]

    result = score_textdumps(shared_data)
    assert result["pages"] == 180
    assert result["overall"]["whole_dump"] < 0.75
    assert result["overall"]["single_page"] >= 0.85
    assert result["overall"]["site_learned"] >= 0.90
    assert all(site["site_learned"] >= 0.85 for site in result["by_site"].values())
