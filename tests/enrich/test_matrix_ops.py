"""The models multiply through numpy's BLAS, with the same results as through BLIS, and a worker
process keeps its BLAS to one thread."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import spacy
from spacy.language import Language
from thinc.api import NumpyOps
from threadpoolctl import threadpool_info

from newsarchive.enrich.matrix_ops import NUMPY_BLAS_OPS, one_blas_thread, use_numpy_blas
from newsarchive.enrich.nlp import resolve_model_name

TEXT = (
    "Prime Minister Anneli Varkaus of Norway met officials of the Nordic Fisheries Council in Bergen "
    "on Monday. “We will not sign a deal that hurts our fishermen,” she told reporters, adding that "
    "talks would resume next month in Reykjavik."
)


def _layers(nlp: Language) -> list[object]:
    return [
        layer
        for _, component in nlp.pipeline
        if hasattr(getattr(component, "model", None), "walk")
        for layer in component.model.walk()
    ]


def _analysis(nlp: Language) -> list[tuple[str, str, int, str, str, str]]:
    return [(t.text, t.dep_, t.head.i, t.tag_, t.lemma_, t.ent_type_) for t in nlp(TEXT)]


def test_loaded_pipeline_multiplies_through_numpy(nlp: Language) -> None:
    layers = _layers(nlp)
    assert layers and all(layer.ops is NUMPY_BLAS_OPS for layer in layers)  # type: ignore[attr-defined]
    assert NUMPY_BLAS_OPS.use_blis is False  # type: ignore[attr-defined]


def test_numpy_blas_gives_the_same_parse_and_entities_as_blis(nlp: Language) -> None:
    shipped = spacy.load(resolve_model_name())  # BLIS, as spaCy builds it
    assert any(type(layer.ops) is NumpyOps and layer.ops.use_blis for layer in _layers(shipped))  # type: ignore[attr-defined]
    before = _analysis(shipped)
    assert use_numpy_blas(shipped) > 0
    assert use_numpy_blas(shipped) == 0, "a second call changes nothing"
    assert _analysis(shipped) == before


def _blas_threads() -> list[int]:
    return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]


def test_a_worker_keeps_its_blas_to_one_thread() -> None:
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(1, mp_context=context) as pool:
        inherited = pool.submit(_blas_threads).result()
    with ProcessPoolExecutor(1, mp_context=context, initializer=one_blas_thread) as pool:
        threads = pool.submit(_blas_threads).result()
    assert inherited == _blas_threads(), "without it a forked worker keeps its parent's threads"
    assert threads and set(threads) == {1}
