"""Which library does the spaCy models' matrix products: numpy's BLAS, not thinc's bundled BLIS.

thinc multiplies matrices with BLIS (the ``blis`` wheel), which picks its CPU kernels from a
list of processors it knows at build time. A processor it does not know gets BLIS's generic
reference kernels: on this project's machine (AMD family 26, Zen 5) BLIS says "selecting
sub-configuration 'generic'" and a float32 product runs 2.6x slower than numpy's OpenBLAS on one
thread (5x on two), which chooses its kernels by the CPU's feature flags and so covers newer
processors. The models' layers
(tok2vec, the recognisers' hidden layers, the tagger) then take thinc's plain numpy path; the
parser's per-step products stay with BLIS, as spaCy's compiled loop calls it directly.

Same weights, same arithmetic up to float rounding: docs/decisions.md has the measured time and
the quality benches before and after.
"""

from __future__ import annotations

from spacy.language import Language
from thinc.api import NumpyOps, Ops
from threadpoolctl import threadpool_limits

NUMPY_BLAS_OPS: Ops = NumpyOps(use_blis=False)
"""thinc's CPU operations with every ``gemm`` through ``numpy`` (one shared, stateless instance)."""


def use_numpy_blas(nlp: Language) -> int:
    """Give every thinc layer of ``nlp``'s components numpy's matrix product; returns how many
    layers changed. Layers on another device (a GPU's ``CupyOps``) are left as they are."""
    changed = 0
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is None or not hasattr(model, "walk"):
            continue  # rule-based components (the attribute table, a sentencizer) have no layers
        for layer in model.walk():
            if type(layer.ops) is NumpyOps and layer.ops is not NUMPY_BLAS_OPS:
                layer.ops = NUMPY_BLAS_OPS
                changed += 1
    return changed


def one_blas_thread() -> None:
    """Keep this process's BLAS to one thread, for a process that is one of several parallel
    workers (one per core): each worker's BLAS threads would otherwise compete with the other
    workers for the same cores. Measured on 2 cores, 2 workers: 12.3 articles/s with OpenBLAS's
    own threads, 19.6 with one each (docs/decisions.md)."""
    threadpool_limits(limits=1, user_api="blas")
