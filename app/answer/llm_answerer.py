"""The LLM answer mode: fluent answers through any OpenAI-compatible endpoint, as grounded as the extractive ones.

The chain, in LangChain (LCEL) terms:

    condense:  condense prompt | ChatOpenAI | StrOutputParser      (a follow-up → a stand-alone question)
    retrieve:  Advisor.retrieve → the hybrid retriever + the scope decision
    answer:    sources/question | answer prompt | ChatOpenAI (streaming) | the answer guard

The Advisor runs the steps in that order and refuses between `retrieve` and
`answer` when the documents don't cover the question, so an out-of-scope
question never reaches the model.

What the model writes is checked (app/answer/answer_guard.py) before it is
shown; an answer citing nothing valid is replaced by the extractive answer,
and any failure of the endpoint gives the extractive answer with a short
notice. Each failure is logged once, with its cause.
"""

from __future__ import annotations

import logging
import re
from contextlib import closing
import string
import threading
import time
from collections.abc import Callable, Generator, Iterator

from langchain_core.messages import SystemMessage
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import RunnableLambda

from app.answer import phrases
from app.answer.answer_guard import AnswerGuard, GuardedStream, GuardedText
from app.answer.citations import make_citation
from app.answer.claim_highlights import claims_citing, supporting_spans
from app.answer.extractive_answerer import AnswerDraft, refusal
from app.answer.llm_client import chat_model
from app.answer.llm_failures import describe_failure
from app.answer.policy_status import day_zh, policy_status, status_warning
from app.answer.prompt_library import load_prompt
from app.answer.retrieved import Retrieval
from app.answer.scope_guard import rule_violation
from app.answer.source_block import as_data, format_sources
from app.answer.streaming import pieces
from app.answer.thinking_filter import strip_thinking
from app.retrieval.hybrid_retriever import HybridRetriever
from app.schemas import AnswerMode, Turn
from ingest.records import PolicyDoc
from policy_core.settings import Settings

log = logging.getLogger(__name__)

HISTORY_ANSWER_CHARS = 300
_URL = re.compile(r"https?://\S+")
_CONDENSE_LABEL = re.compile(r"^(?:改写后的问题|独立问题|问题|standalone question|question)\s*[:：]\s*", re.IGNORECASE)
_QUOTES = "\"'“”‘’「」『』"
_INCOMPLETE_FINISH = {None, "length", "content_filter"}


def _literal_parts(template: str) -> list[str]:
    """The fixed text of a prompt template (between its placeholders)."""
    return [literal for literal, _, _, _ in string.Formatter().parse(template) if literal.strip()]


class LlmAnswerer:
    def __init__(self, settings: Settings, retriever: HybridRetriever) -> None:
        self.settings = settings
        self.retriever = retriever
        self.model = chat_model(settings)

        system_template = load_prompt("system", {"refusal_zh", "refusal_en"})
        answer_template = load_prompt("answer", {"today", "count", "sources", "question"})
        condense_template = load_prompt("condense", {"history", "question"})
        self.system_prompt = system_template.format(refusal_zh=phrases.REFUSAL_ZH, refusal_en=phrases.REFUSAL_EN)
        # What the model must never reproduce: every fixed sentence of the prompts (the refusal phrases are
        # placeholders, so a legitimate refusal does not count as a leak).
        self.instructions = _literal_parts(system_template) + _literal_parts(answer_template) + _literal_parts(condense_template)

        answer_prompt = ChatPromptTemplate.from_messages([SystemMessage(self.system_prompt), ("human", answer_template)])
        self.answer_chain = RunnableLambda(self._answer_inputs) | answer_prompt | self.model
        self.condense_chain = ChatPromptTemplate.from_messages([("human", condense_template)]) | self.model | StrOutputParser()

        self._down_until = 0.0
        self._lock = threading.Lock()

    # -- the endpoint's health ---------------------------------------------------
    def _cooling_down(self) -> bool:
        return time.monotonic() < self._down_until

    def _record_failure(self, exc: BaseException, step: str, consequence: str, mid_stream: bool = False) -> None:
        failure = describe_failure(exc, self.settings, mid_stream)
        pause = ""
        if failure.endpoint_down and self.settings.llm_cooldown_seconds > 0:
            with self._lock:
                self._down_until = time.monotonic() + self.settings.llm_cooldown_seconds
            pause = f"; not calling it again for {self.settings.llm_cooldown_seconds:g}s"
        log.warning("LLM %s failed: %s; %s%s", step, failure.cause, consequence, pause)

    # -- condense ------------------------------------------------------------------
    def condense(self, question: str, history: list[Turn]) -> str | None:
        """The follow-up rewritten as a stand-alone question, or None to use the rule-based resolution."""
        if not history or self._cooling_down():
            return None
        if rule_violation(question):
            return question  # about the assistant itself: keep the words, the scope guard refuses them
        try:
            recent = history[-self.settings.conversation_turns :]
            text = self.condense_chain.invoke({"history": _format_history(recent), "question": as_data(question)})
        except Exception as exc:  # noqa: BLE001 - any failure means: resolve by rule instead
            self._record_failure(exc, "condense call", "resolving the follow-up by rule")
            return None
        condensed = _one_line(text)
        if not condensed or len(condensed) > self.settings.max_question_chars:
            log.warning("LLM condense call gave an unusable question (%d chars); resolving the follow-up by rule", len(condensed))
            return None
        return condensed

    # -- answer --------------------------------------------------------------------
    def _answer_inputs(self, retrieval: Retrieval) -> dict:
        today = self.settings.status_date()
        return {
            "today": day_zh(today),
            "count": len(retrieval.hits),
            "sources": format_sources(retrieval.hits, today),
            "question": as_data(retrieval.resolved),
        }

    def stream(
        self, retrieval: Retrieval, history: list[Turn], fallback: Callable[[], AnswerDraft]
    ) -> Generator[str, None, tuple[AnswerDraft, AnswerMode]]:
        """Text deltas as they become safe to show; returns the final draft and which mode answered.

        `history` is not sent again: the condensed question already carries what the answer needs from it.
        """
        english = retrieval.analysis.english
        if self._cooling_down():
            log.debug("LLM endpoint paused after a failure; answering extractively")
            return (yield from self._unavailable(fallback, english))

        allowed = {url for hit in retrieval.hits for url in _URL.findall(hit.chunk.text)}
        guarded = GuardedStream(AnswerGuard(len(retrieval.hits), self.instructions, allowed))
        finish_reason, failure = yield from self._generate(retrieval, guarded)

        if guarded.leaked:
            log.warning("LLM output reproduced the instructions; answered with the refusal instead")
            return (yield from self._refuse(retrieval, guarded.shown))
        result = guarded.result()
        if failure is not None and not result.cited:
            if guarded.raw.strip():
                self._record_failure(failure, "answer stream", "nothing cited had arrived; answering extractively", mid_stream=True)
            else:
                self._record_failure(failure, "answer call", "answering extractively")
            return (yield from self._unavailable(fallback, english))
        if failure is not None:
            self._record_failure(failure, "answer stream", "keeping the part that arrived", mid_stream=True)
        elif finish_reason in _INCOMPLETE_FINISH:
            log.warning("LLM answer ended early (finish_reason=%s); keeping what arrived", finish_reason)
        _log_repairs(result)

        if not result.cited:
            if _is_refusal(result.text):
                return (yield from self._refuse(retrieval, guarded.shown))
            log.warning("LLM answer cited no valid source (%d chars); answering extractively", len(result.text))
            draft = fallback()
            yield from pieces(draft.text)
            return draft, "extractive"
        cut = failure is not None or finish_reason in _INCOMPLETE_FINISH
        draft = self._draft(retrieval, result, cut, english)
        yield from _rest(draft.text, guarded.shown)
        return draft, "llm"

    def _generate(self, retrieval: Retrieval, guarded: GuardedStream) -> Generator[str, None, tuple[str | None, Exception | None]]:
        """Run the answer chain through the guard, yielding what may be shown; returns (finish_reason, failure)."""
        finish_reason = None
        try:
            with closing(self.answer_chain.stream(retrieval)) as chunks:
                for chunk in chunks:
                    finish_reason = chunk.response_metadata.get("finish_reason") or finish_reason
                    delta = guarded.feed(chunk.text)
                    if guarded.leaked:
                        break  # closing the stream drops the connection: no more of it is generated
                    if delta:
                        yield delta
        except Exception as exc:  # noqa: BLE001 - the user gets an answer whatever went wrong
            return finish_reason, exc
        return finish_reason, None

    # -- building the outcome ------------------------------------------------------
    def _draft(self, retrieval: Retrieval, result: GuardedText, cut: bool, english: bool) -> AnswerDraft:
        today = self.settings.status_date()
        text = result.text
        refs_by_doc: dict[str, list[int]] = {}
        for ref, number in enumerate(result.cited, start=1):
            refs_by_doc.setdefault(retrieval.hits[number - 1].doc.id, []).append(ref)
        docs = {hit.doc.id: hit.doc for hit in retrieval.hits}
        notes = [_status_note(docs[doc_id], refs, text, today, english) for doc_id, refs in refs_by_doc.items()]
        text = "\n\n".join([text, *(note for note in notes if note)])
        if cut:
            text = f"{text}\n\n{phrases.LLM_CUT_EN if english else phrases.LLM_CUT_ZH}"
        idf = self.retriever.index.snapshot().idf
        citations = []
        for ref, number in enumerate(result.cited, start=1):
            hit = retrieval.hits[number - 1]
            spans = supporting_spans(hit.chunk.text, claims_citing(result.text, ref), idf)
            citations.append(make_citation(ref, hit, today, spans))
        return AnswerDraft(text, citations, False)

    def _refuse(self, retrieval: Retrieval, shown: str) -> Generator[str, None, tuple[AnswerDraft, AnswerMode]]:
        docs = list(self.retriever.index.snapshot().docs.values())
        draft = refusal(retrieval.analysis, docs, self.settings.status_date())
        yield from _rest(draft.text, shown)
        return draft, "llm"

    def _unavailable(self, fallback: Callable[[], AnswerDraft], english: bool) -> Generator[str, None, tuple[AnswerDraft, AnswerMode]]:
        draft = fallback()
        notice = phrases.LLM_UNAVAILABLE_EN if english else phrases.LLM_UNAVAILABLE_ZH
        draft = AnswerDraft(f"{notice}\n\n{draft.text}", draft.citations, draft.refused, draft.evidence)
        yield from pieces(draft.text)
        return draft, "extractive"


def _status_note(doc: PolicyDoc, refs: list[int], answer: str, today, english: bool) -> str | None:
    """A warning for a cited policy that is not in force, unless the answer already says so next to its markers."""
    status = policy_status(doc, today)
    if status == "in_force":
        return None
    words = ("失效", "expired", "no longer") if status == "expired" else ("尚未施行", "未施行", "not yet", "not in force")
    paragraphs = [p for p in answer.split("\n") if any(f"[{ref}]" in p for ref in refs)]
    if any(w in p.lower() for p in paragraphs for w in words):
        return None
    return f"{status_warning(doc, status, english, phrases.LLM_STATUS_NOTES)} [{refs[0]}]"


def _is_refusal(text: str) -> bool:
    """Did the model say the sources don't cover the question (the fixed phrase, give or take its full stop)?"""
    return any(phrase.rstrip("。.") in text for phrase in phrases.REFUSAL_PHRASES)


def _log_repairs(result: GuardedText) -> None:
    if result.dropped_markers:
        log.warning("LLM answer cited %d source number(s) that do not exist; removed them", result.dropped_markers)
    if result.removed_links:
        log.warning("LLM answer contained %d link(s), image(s) or URL(s) pointing outside the corpus; removed them", result.removed_links)


def _format_history(history: list[Turn]) -> str:
    lines = []
    for turn in history:
        lines.append(f"用户：{as_data(turn.question)}")
        if turn.answer:
            answer = " ".join(turn.answer.split())
            if len(answer) > HISTORY_ANSWER_CHARS:
                answer = answer[:HISTORY_ANSWER_CHARS] + "……"
            lines.append(f"助手：{as_data(answer)}")
    return "\n".join(lines)


def _one_line(text: str) -> str:
    line = next((part.strip() for part in strip_thinking(text).strip().splitlines() if part.strip()), "")
    return _CONDENSE_LABEL.sub("", line).strip(_QUOTES + " ")


def _rest(text: str, shown: str) -> Iterator[str]:
    """What is left to stream of `text` after `shown` (nothing when the two diverged: the final text then wins)."""
    if text.startswith(shown) and len(text) > len(shown):
        yield text[len(shown) :]
