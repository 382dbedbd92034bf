"""How far the golden metrics move when the query vectors change in their last digits.

The 4-bit embedder is compiled for AVX2 with fixed flags and gives bit-identical
vectors for any OpenMP thread count and for single vs batched calls (checked
here: `OMP_NUM_THREADS=1..4`, same bytes). What still differs between CPUs is
below the embedder: glibc's libm picks its `expf`/`tanhf` code by CPU features,
and Chroma's distance kernels pick AVX-512 or AVX2 at run time. Those change a
vector by about 1e-7..1e-6. This benchmark adds Gaussian noise of a given size
to every query vector (renormalised), reruns the golden evaluation, and reports
how many questions' hybrid rank and pass/fail changed: the evidence behind the
margins in `eval/thresholds.toml`.

    python bench/embedding_noise.py [--scales 1e-6 1e-5 1e-4 1e-3] [--trials 3]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import eval.runner as runner  # noqa: E402
from policy_core.settings import Settings  # noqa: E402
from eval.golden_set import load_golden  # noqa: E402
from eval.metrics import headline, row_failures  # noqa: E402


class NoisyQueries(Embeddings):
    """Query vectors plus Gaussian noise of `scale` per coordinate, renormalised."""

    def __init__(self, inner: Embeddings, scale: float, seed: int) -> None:
        self.inner, self.scale = inner, scale
        self.name, self.dimension = inner.name, inner.dimension
        self._rng = np.random.default_rng(seed)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        vector = np.asarray(self.inner.embed_query(text), dtype=np.float64)
        vector = vector + self._rng.normal(0.0, self.scale, vector.shape)
        return (vector / np.linalg.norm(vector)).astype(np.float32).tolist()


def run(scale: float, seed: int, rows) -> tuple[dict, dict]:
    original = runner.make_embedder
    runner.make_embedder = lambda spec: NoisyQueries(original(spec), scale, seed)
    try:
        result = runner.run_golden(Settings(), rows, "eval/golden.jsonl", compare_retrievers=False, progress=False)
    finally:
        runner.make_embedder = original
    ranks = {o.row.id: (o.clause_rank.get("hybrid"), not row_failures(o)) for o in result.outcomes}
    return headline(result.outcomes), ranks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[1e-6, 1e-5, 1e-4, 1e-3])
    parser.add_argument("--trials", type=int, default=3)
    args = parser.parse_args()
    rows = load_golden()
    base_metrics, base_ranks = run(0.0, 0, rows)
    keys = ("hit_at_1", "mrr", "fact_recall", "citation_precision", "pass_rate")
    print("scale     trial  rank-moved  pass-flipped  " + "  ".join(f"{k:>18}" for k in keys))
    print(f"{'0':<9} {'-':>5}  {0:>10}  {0:>12}  " + "  ".join(f"{base_metrics[k]:>18.4f}" for k in keys))
    for scale in args.scales:
        for trial in range(args.trials):
            metrics, ranks = run(scale, trial + 1, rows)
            moved = sum(1 for i, (r, _) in ranks.items() if r != base_ranks[i][0])
            flipped = sum(1 for i, (_, p) in ranks.items() if p != base_ranks[i][1])
            print(f"{scale:<9g} {trial + 1:>5}  {moved:>10}  {flipped:>12}  " + "  ".join(f"{metrics[k]:>18.4f}" for k in keys))


if __name__ == "__main__":
    main()
