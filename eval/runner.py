"""Running the golden rows through the advisor's public path (`Advisor.ask`), and the retrievers side by side.

Multi-turn rows are played as a conversation: each earlier message is asked
with the turns before it, and the advisor's own answers become the history of
the evaluated message. Retrieval metrics use `Advisor.retrieve` with the same
question and history, i.e. the retrieval the answer was written from.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass

from app.advisor import Advisor, QuestionError
from app.retrieval.policy_index import PolicyIndex
from app.schemas import AnswerMode, AnswerResult, Turn
from eval.claims import answer_claims
from eval.golden_set import AS_OF, GoldenRow
from eval.langchain_baseline import LangChainBaseline
from eval.metrics import contains_quote, first_rank
from eval.outcome import LANGCHAIN_BASELINE, CitedClause, RowOutcome
from eval.provision_coverage import ProvisionCoverage, provision_coverage
from eval.query_cache import MemoizedQueryEmbeddings
from ingest.embedders import make_embedder
from policy_core.errors import AdvisorError
from policy_core.settings import Settings

# Answered once before timing: the first answer pays for lazy loading (tokenizer dictionaries, caches).
WARMUP_QUESTION = "算力补贴"


class EvalError(AdvisorError):
    """The evaluation cannot run as asked; the message says why and what to do."""


@dataclass
class EvalRun:
    outcomes: list[RowOutcome]
    mode: AnswerMode
    as_of: dt.date
    index_version: str
    embedder: str
    golden: str
    started_at: str
    seconds: float
    llm_model: str | None = None
    commit: str | None = None
    split: str = "all"
    provision_coverage: ProvisionCoverage | None = None


def source_commit() -> str | None:
    """The git commit the code was run from (with "+changes" when the work tree differs), if known."""
    import subprocess

    from policy_core.settings import PROJECT_ROOT

    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=5)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    if head.returncode != 0:
        return None
    return head.stdout.strip() + ("+changes" if dirty.stdout.strip() else "")


def evaluation_settings(settings: Settings, mode: AnswerMode) -> Settings:
    """The settings to evaluate with: TODAY pinned to the golden set's date; the LLM only in llm mode."""
    if mode == "llm" and not settings.llm_enabled:
        raise EvalError("--mode llm needs an LLM endpoint: set LLM_BASE_URL and LLM_MODEL (and LLM_API_KEY if it wants one)")
    update: dict = {"today": AS_OF}
    if mode == "extractive":
        update |= {"llm_base_url": None, "llm_model": None}
    return settings.model_copy(update=update)


def open_advisor(settings: Settings, index: PolicyIndex | None = None, retrieval_mode: str = "hybrid") -> Advisor:
    try:
        return Advisor(settings, index=index, mode=retrieval_mode)  # type: ignore[arg-type]
    except ImportError as exc:  # the LLM answerer is an optional part
        raise EvalError(f"the LLM answer mode is not available in this installation: {exc}") from None


def play_history(advisor: Advisor, row: GoldenRow) -> list[Turn]:
    """The conversation before the evaluated message, answered by the advisor itself."""
    history: list[Turn] = []
    for message in row.earlier_turns:
        earlier = advisor.ask(message, history)
        history.append(Turn(question=message, answer=earlier.answer, resolved_question=earlier.resolved_question))
    return history


def _ranks(row: GoldenRow, keys: Sequence[tuple[str, str]], texts: Sequence[str]) -> tuple[int | None, int | None]:
    """Rank of the first retrieved chunk that is expected evidence: any of the row's clauses
    (a cross-policy question is answered by either policy first; a provision the OPC text
    repeats in its annex is answered by either copy), and likewise for the quotes."""
    if row.primary is None:
        return None, None
    expected = row.expected_clauses
    quotes = [e.quote for e in row.evidence]
    return (
        first_rank(k in expected for k in keys),
        first_rank(any(contains_quote(t, q) for q in quotes) for t in texts),
    )


def _cited(result: AnswerResult) -> list[CitedClause]:
    return [
        CitedClause(ref=c.ref, doc_id=c.doc_id, clause=c.clause, status=c.status, valid_until=c.valid_until)
        for c in result.citations
    ]


def run_row(
    row: GoldenRow,
    advisor: Advisor,
    rivals: dict[str, Advisor],
    baseline: LangChainBaseline | None,
    embedder: MemoizedQueryEmbeddings | None = None,
) -> RowOutcome:
    if embedder is not None:
        embedder.clear()  # the timed answer embeds its own question
    try:
        history = play_history(advisor, row)
        result = advisor.ask(row.last_question, history)
        retrieval = advisor.retrieve(row.last_question, history)
    except QuestionError as exc:
        return RowOutcome(row=row, error=str(exc))
    keys = [(h.chunk.doc_id, h.chunk.label) for h in retrieval.hits]
    claims, unsupported = answer_claims(result, row.last_question, advisor.index.snapshot().docs)
    outcome = RowOutcome(
        row=row,
        answer=result.answer,
        refused=result.refused,
        mode=result.mode,
        citations=_cited(result),
        latency_ms=result.latency_ms,
        resolved_question=result.resolved_question,
        strength=round(retrieval.scope.strength, 4),
        retrieved=keys,
        claims=claims,
        unsupported_claims=unsupported,
    )
    if row.primary is None:
        return outcome
    outcome.clause_rank["hybrid"], outcome.quote_rank["hybrid"] = _ranks(row, keys, [h.chunk.text for h in retrieval.hits])
    for name, rival in rivals.items():
        hits = rival.retrieve(row.last_question, history).hits
        outcome.clause_rank[name], outcome.quote_rank[name] = _ranks(
            row, [(h.chunk.doc_id, h.chunk.label) for h in hits], [h.chunk.text for h in hits]
        )
    if baseline is not None:
        # The stock recipe has no conversation memory: it searches the message as typed.
        outcome.quote_rank[LANGCHAIN_BASELINE] = _ranks(row, [], baseline.search(row.last_question))[1]
    return outcome


def run_golden(
    settings: Settings,
    rows: Sequence[GoldenRow],
    golden: str,
    mode: AnswerMode = "extractive",
    compare_retrievers: bool = True,
    progress: bool = True,
) -> EvalRun:
    """Answer every row; with compare_retrievers, also rank the evidence with BM25, dense and the LangChain baseline."""
    from tqdm import tqdm

    started_at = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    started = time.perf_counter()
    settings = evaluation_settings(settings, mode)
    embedder = MemoizedQueryEmbeddings(make_embedder(settings.embedder))
    index = PolicyIndex(settings, embedder=embedder)
    advisor = open_advisor(settings, index)
    advisor.extractive(advisor.retrieve(WARMUP_QUESTION))  # no LLM call: only the local lazy loading is warmed
    rivals: dict[str, Advisor] = {}
    baseline = None
    if compare_retrievers:
        retrieval_only = evaluation_settings(settings, "extractive")
        rivals = {name: open_advisor(retrieval_only, index, name) for name in ("bm25", "dense")}
        baseline = LangChainBaseline(settings.corpus_dir, index.embedder, settings.top_k)
    try:
        outcomes = [
            run_row(row, advisor, rivals, baseline, embedder)
            for row in tqdm(rows, desc="golden questions", unit="q", file=sys.stderr, disable=not progress)
        ]
    finally:
        if baseline is not None:
            baseline.close()
    snapshot = index.snapshot()
    return EvalRun(
        outcomes=outcomes,
        mode=mode,
        as_of=AS_OF,
        index_version=snapshot.version.version,
        embedder=snapshot.version.embedder,
        golden=golden,
        started_at=started_at,
        seconds=round(time.perf_counter() - started, 1),
        llm_model=settings.llm_model if mode == "llm" else None,
        commit=source_commit(),
        provision_coverage=provision_coverage(snapshot.docs.values(), snapshot.provisions),
    )
