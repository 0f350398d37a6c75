"""The quote-cue lexicon: counted from annotated cues on one half of PolNeAR, read with thresholds."""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language

from newsarchive.enrich import quote_cues


def test_cue_lexicon_is_learned_from_annotated_cues(nlp: Language, tmp_path: Path) -> None:
    text = "Lena Okafor said the ferry was slow. Okafor praised the bridge. Okafor crossed the bridge."
    said, praised = text.index("said"), text.index("praised")
    content = text.index("the ferry was slow")
    ann = (
        f"T1\tSource 0 11\tLena Okafor\nT2\tCue {said} {said + 4}\tsaid\n"
        f"T3\tContent {content} {content + 18}\tthe ferry was slow\n"
        "E1\tAttribution:T2 Source:T1 Cue:T2 Content:T3\n"
        f"T4\tSource {praised - 7} {praised - 1}\tOkafor\nT5\tCue {praised} {praised + 7}\tpraised\n"
        "E2\tAttribution:T5 Source:T4 Cue:T5\n"
    )
    names = [f"paper_2016-01-0{i}_ferry" for i in range(1, 10)]
    name = next(n for n in names if quote_cues.polnear_part(n) == 0)
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / f"{name}.txt").write_text(text, encoding="utf-8")
    (tmp_path / "attributions" / f"{name}_ab12.ann").write_text(ann, encoding="utf-8")
    [(found_name, _, marked)] = list(quote_cues.polnear_cue_spans(tmp_path, 0))
    assert found_name == name and (said, said + 4, "Cue") in marked
    as_cue, seen = quote_cues.count_cues([(nlp(text), 0, marked)])
    assert as_cue["say/VERB"] == 1 and as_cue["praise/VERB"] == 1
    assert as_cue["cross/VERB"] == 0 and seen["cross/VERB"] == 1
    lines = quote_cues.lexicon_lines(as_cue, seen, min_count=1)
    assert "cross/VERB" not in "".join(lines) and any(line.startswith("say/VERB\t1\t") for line in lines)
    out = tmp_path / "cues.txt"
    assert quote_cues.main([str(tmp_path), "--part", "0", "--out", str(out), "--min-count", "1"]) == 0
    assert "praise/VERB" in out.read_text(encoding="utf-8")


def test_shipped_lexicon_has_speech_verbs_not_everyday_words() -> None:
    lexicon = quote_cues.cue_lexicon()
    assert {"say/VERB", "accord to/PREP", "criticize/VERB"} <= lexicon
    assert not {"go/VERB", "make/VERB", "year/NOUN"} & lexicon


def test_clause_cues_are_the_counted_verbs_below_the_ratio() -> None:
    weak = quote_cues.clause_cues()
    assert "find/VERB" in weak and "say/VERB" not in weak
    assert not weak & quote_cues.cue_lexicon()
    assert all(key.endswith("/VERB") for key in weak)
