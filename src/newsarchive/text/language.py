"""Language identification of article text with py3langid, answered as ISO 639-1 codes.

The model (a few MB, slow to unpickle) is loaded once, on first use, so importing the package
stays cheap and extraction of pages that declare their language never pays for it.
"""

from __future__ import annotations

import functools

from py3langid.langid import MODEL_FILE, LanguageIdentifier

_MIN_LETTERS = 20
"""Below this many letters the guess is noise (a title, a caption): no answer beats a wrong one."""
_MIN_CONFIDENCE = 0.25
_SAMPLE_CHARS = 10_000
"""Language is settled long before this; scoring a whole long page only costs time."""

# py3langid also knows languages without an ISO 639-1 code, and a few regional varieties whose
# 639-1 macrolanguage is what a facet should show.
_TO_639_1 = {
    "ary": "ar",
    "arz": "ar",
    "yue": "zh",
    "wuu": "zh",
    "uzs": "uz",
    "gug": "gn",
    "fuv": "ff",
    "kik": "ki",
    "ltg": "lv",
    "sdh": "ku",
    "hbo": "he",
    "grc": "el",
}


@functools.cache
def _identifier() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when there is too little text to tell."""
    sample = text[:_SAMPLE_CHARS]
    if sum(1 for char in sample if char.isalpha()) < _MIN_LETTERS:
        return None
    code, confidence = _identifier().classify(sample)
    if confidence < _MIN_CONFIDENCE:
        return None
    code = _TO_639_1.get(code, code)
    return code if len(code) == 2 else None
