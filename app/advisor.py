"""The one answer function every surface calls: question (+ conversation) → AnswerResult.

It loads the index once, resolves follow-ups, retrieves, decides scope, and
answers extractively or, when an LLM endpoint is configured, through the LLM
chain with the extractive answer as the fallback.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import replace

from app.answer.calculation_answerer import calculation_draft
from app.answer.overview_answerer import overview_draft
from app.answer.expired_redirect import add_in_force_redirect, cites_expired
from app.answer.extractive_answerer import AnswerDraft, answer_extractively
from app.answer.llm_context import AnswerContext, build_context
from app.answer.part_answers import combine_parts
from app.answer.policy_status import STATUS_LABEL_ZH, policy_status
from app.answer.retrieved import Retrieval
from app.answer.scope_guard import decide_scope, subject_tokens
from app.answer.service_contact import ServiceContact, asks_for_person, contact_line, no_contact_line
from app.answer.streaming import pieces
from app.answer.suggested_questions import follow_up_questions, starter_questions
from app.answer.phrases import CLARIFY_EN, CLARIFY_ZH, CONTEXT_LOST_EN, CONTEXT_LOST_ZH, READ_AS_EN, READ_AS_ZH
from app.conversation import is_bare_followup, named_places, resolve_followup
from app.matching.founder_profile import FounderProfile
from app.matching.provision_matcher import MatchResult
from app.matching.snapshot_match import match_snapshot
from app.question_splitter import QuestionParts, split_question
from app.retrieval.hybrid_retriever import HybridRetriever, RetrievalMode, ScoredChunk
from app.retrieval.policy_index import PolicyIndex
from app.schemas import AnswerResult, PolicySummary, Turn
from ingest.records import ClauseText, iso
from policy_core.errors import AdvisorError
from policy_core.settings import Settings

log = logging.getLogger(__name__)

IN_FORCE_SOURCES = 2  # in-force clauses added to the LLM's sources when the top one is expired


class QuestionError(AdvisorError, ValueError):
    """The question is empty or too long; the message is fit to show the user."""


def check_question(question: str | None, max_chars: int) -> str:
    """The question stripped, or QuestionError when it is empty or longer than `max_chars`
    (the CLI checks before loading the index, the advisor before searching)."""
    text = (question or "").strip()
    if not text:
        raise QuestionError("问题为空，请输入您想了解的政策问题。")
    if len(text) > max_chars:
        raise QuestionError(f"问题太长（{len(text)} 字），请精简到 {max_chars} 字以内。")
    return text


class Advisor:
    def __init__(self, settings: Settings, index: PolicyIndex | None = None, mode: RetrievalMode = "hybrid") -> None:
        self.settings = settings
        self.index = index or PolicyIndex(settings)
        self.retriever = HybridRetriever.from_settings(self.index, settings, mode)
        self._llm = None
        if settings.llm_enabled:
            from app.answer.llm_answerer import LlmAnswerer

            self._llm = LlmAnswerer(settings, self.retriever)
        self.contact = ServiceContact(
            name=settings.service_contact_name,
            phone=settings.service_contact_phone,
            address=settings.service_contact_address,
            hours=settings.service_contact_hours,
            url=settings.service_contact_url,
        )

    # -- validation and retrieval ----------------------------------------------
    def check_question(self, question: str) -> str:
        return check_question(question, self.settings.max_question_chars)

    def retrieve(self, question: str, history: list[Turn] | None = None, resolved: str | None = None) -> Retrieval:
        """Search for `question`; `resolved` is its stand-alone form when already known (the LLM condensed it)."""
        question = self.check_question(question)
        snap = self.index.snapshot()
        if resolved is None:
            keywords = self.retriever.policy_names().words()
            resolved = resolve_followup(question, list(history or []), keywords, snap.idf)
        analysis = self.retriever.analyze(resolved)
        hits = self.retriever.search(resolved, analysis=analysis)
        scope = decide_scope(analysis, hits, snap.idf, self.settings.refusal_threshold)
        return Retrieval(question, resolved, analysis, hits, scope)

    def extractive(self, retrieval: Retrieval, contact: ServiceContact | None = None) -> AnswerDraft:
        """The answer quoted from the clauses; `contact` replaces the configured service desk for this answer."""
        contact = contact or self.contact
        snap = self.index.snapshot()
        draft = self._from_provisions(retrieval) or answer_extractively(
            retrieval.analysis,
            retrieval.hits,
            retrieval.scope,
            snap.idf,
            snap.docs,
            snap.clause_chunks,
            self.settings.status_date(),
            contact,
        )
        if not draft.refused and cites_expired(draft):
            draft = self._point_to_in_force(draft, retrieval)
        if asks_for_person(retrieval.question):
            draft = self._with_desk(draft, retrieval.analysis.english, contact)
        return draft

    def _from_provisions(self, retrieval: Retrieval) -> AnswerDraft | None:
        """A calculation ("花了40万，能补多少") or an overview ("能享受哪些政策") answered from the reviewed
        provisions, or None. Weak evidence alone does not stop them: an overview question names who
        the founder is, not a clause ("What support can an OPC get?"); the scope rules still do."""
        scope = retrieval.scope
        if scope.refused and not scope.weak_evidence_only:
            return None
        snap, today = self.index.snapshot(), self.settings.status_date()
        return calculation_draft(retrieval.analysis, snap, today) or overview_draft(retrieval.analysis, snap, today)

    def _in_force_hits(self, retrieval: Retrieval) -> list[ScoredChunk]:
        """The same question searched without the expired policy's pull, in-force clauses only."""
        today = self.settings.status_date()
        # The subject alone: the old policy's name and the words of asking must not pull the search.
        unsteered = replace(retrieval.analysis, doc_hints=set(), tokens=subject_tokens(retrieval.analysis))
        hits = self.retriever.search(retrieval.resolved, k=2 * self.settings.top_k, analysis=unsteered)
        return [h for h in hits if policy_status(h.doc, today) == "in_force"]

    def _point_to_in_force(self, draft: AnswerDraft, retrieval: Retrieval) -> AnswerDraft:
        """Cite what is in force on the subject of an answer that cites an expired policy."""
        snap = self.index.snapshot()
        in_force = self._in_force_hits(retrieval)
        return add_in_force_redirect(draft, retrieval.analysis, in_force, snap.docs, snap.clause_chunks, snap.idf, self.settings.status_date())

    def _llm_context(self, retrieval: Retrieval, contact: ServiceContact) -> AnswerContext:
        """What the advisor decides for the model to phrase; the top clause expired → the in-force ones as extra sources."""
        today = self.settings.status_date()
        expired = bool(retrieval.hits) and policy_status(retrieval.hits[0].doc, today) == "expired"
        in_force = self._in_force_hits(retrieval)[:IN_FORCE_SOURCES] if expired else []
        return build_context(retrieval, contact, in_force)

    def _with_desk(self, draft: AnswerDraft, english: bool, contact: ServiceContact) -> AnswerDraft:
        """A founder asking for a person gets the service desk (or is told none is configured), not a refusal."""
        desk = contact_line(contact, english)
        if draft.refused:
            return AnswerDraft(desk or no_contact_line(english), [], False)
        if desk and desk in draft.text:
            return draft
        return replace(draft, text=f"{draft.text}\n\n{desk or no_contact_line(english)}")

    def _has_subject(self, text: str) -> bool:
        """Does `text` name a subject the corpus knows (not only how much / whether / where)?"""
        idf = self.index.snapshot().idf
        return any(t in idf for t in subject_tokens(self.retriever.analyze(text)))

    def _answer_parts(self, parts: QuestionParts, history: list[Turn], contact: ServiceContact) -> tuple[AnswerDraft, float]:
        """Each question of the message on its own, a later part resolved against the earlier ones
        ("租房呢？" after "OPC算力怎么补？"), then one answer with one list of citations (and the weakest part's strength)."""
        answered: list[tuple[str, AnswerDraft]] = []
        strengths: list[float] = []
        turns = list(history)
        for part in parts.parts:
            retrieval = self.retrieve(part, turns)
            answered.append((part, self.extractive(retrieval, contact)))
            strengths.append(retrieval.scope.strength)
            turns.append(Turn(question=part, resolved_question=retrieval.resolved))
        english = self.retriever.analyze(" ".join(parts.parts)).english
        return combine_parts(answered, parts.left, english), min(strengths)

    # -- answering -------------------------------------------------------------
    def ask(self, question: str, history: list[Turn] | None = None, **options) -> AnswerResult:
        """The final answer of `stream` (same options)."""
        result = None
        for event in self.stream(question, history, **options):
            if isinstance(event, AnswerResult):
                result = event
        assert result is not None
        return result

    def _without_earlier_turn(self, asked: str, context_lost: bool) -> tuple[str | None, str]:
        """A bare follow-up ("那洪山区呢？") with no earlier turn: (the stand-alone question it is read as,
        or None to ask what the founder means; the note said before the answer)."""
        english = self.retriever.analyze(asked).english
        lost = (CONTEXT_LOST_EN if english else CONTEXT_LOST_ZH) if context_lost else ""
        places = named_places(asked, self.retriever.policy_names().words())
        if not places:
            return None, lost + (CLARIFY_EN if english else CLARIFY_ZH).format(question=asked)
        named = " ".join(places)
        resolved = f"What support policies does {named} have?" if english else f"{named}有哪些支持政策"
        return resolved, lost + (READ_AS_EN if english else READ_AS_ZH).format(resolved=resolved)

    def stream(self, question: str, history: list[Turn] | None = None, **options) -> Iterator[str | AnswerResult]:
        """Answer text deltas, then the final AnswerResult with related questions to offer (options: `_answer_events`)."""
        for event in self._answer_events(question, history, **options):
            if isinstance(event, AnswerResult):
                event = event.model_copy(update={"suggestions": self.follow_ups(event)})
            yield event

    def follow_ups(self, result: AnswerResult) -> list[str]:
        snap = self.index.snapshot()
        asked = result.resolved_question or result.question
        return follow_up_questions(result.citations, result.answer, asked, snap.provisions, snap.docs, self.settings.status_date())

    def starter_questions(self) -> list[str]:
        """Questions to offer before the first one: STARTER_QUESTIONS, or one benefit of each policy in force in turn."""
        if self.settings.starter_questions:
            return list(self.settings.starter_questions)
        snap = self.index.snapshot()
        return starter_questions(snap.provisions, snap.docs, self.settings.status_date())

    def _answer_events(
        self,
        question: str,
        history: list[Turn] | None = None,
        context_lost: bool = False,
        contact: ServiceContact | None = None,
    ) -> Iterator[str | AnswerResult]:
        """Answer text deltas, then the final AnswerResult. Raises QuestionError before yielding anything.

        `context_lost`: the client continued a conversation the server no longer has (restart, expiry);
        a follow-up then says so instead of being refused. `contact`: the service desk of the site asking
        (a widget's data-contact-*), instead of the configured one, for this answer."""
        contact = contact or self.contact
        started = time.perf_counter()
        asked = self.check_question(question)
        if not history and is_bare_followup(asked, self.retriever.policy_names().words(), self.index.snapshot().idf):
            yield from self._bare_followup(asked, context_lost, started, contact)
            return
        parts = split_question(asked, self.settings.max_question_parts, self._has_subject)
        if parts.several:
            draft, strength = self._answer_parts(parts, list(history or []), contact)
            yield from pieces(draft.text)
            yield self._result(asked, asked, draft, "extractive", started, strength)
            return
        condensed = self._llm.condense(self.check_question(question), history or []) if self._llm is not None else None
        retrieval = self.retrieve(question, history, resolved=condensed)
        if self._llm is not None and not retrieval.scope.refused:
            context = self._llm_context(retrieval, contact)
            outcome = yield from self._llm.stream(retrieval, history or [], fallback=lambda: self.extractive(retrieval, contact), context=context)
            draft, mode = outcome
        else:
            draft, mode = self.extractive(retrieval, contact), "extractive"
            yield from pieces(draft.text)
        yield self._result(retrieval.question, retrieval.resolved, draft, mode, started, retrieval.scope.strength)

    def _bare_followup(
        self, asked: str, context_lost: bool, started: float, contact: ServiceContact
    ) -> Iterator[str | AnswerResult]:
        """Answered as a question about the place it names, or a request to say the whole question."""
        resolved, note = self._without_earlier_turn(asked, context_lost)
        if resolved is None:
            draft = AnswerDraft(note, [], False)
            yield from pieces(draft.text)
            yield self._result(asked, asked, draft, "extractive", started, 0.0)
            return
        retrieval = self.retrieve(asked, [], resolved=resolved)
        draft = self.extractive(retrieval, contact)
        draft = replace(draft, text=note + draft.text)
        yield from pieces(draft.text)
        yield self._result(asked, resolved, draft, "extractive", started, retrieval.scope.strength)

    @staticmethod
    def _result(question: str, resolved: str, draft: AnswerDraft, mode: str, started: float, strength: float) -> AnswerResult:
        return AnswerResult(
            question=question,
            answer=draft.text,
            mode=mode,
            refused=draft.refused,
            citations=draft.citations,
            latency_ms=round((time.perf_counter() - started) * 1000, 1),
            resolved_question=resolved if resolved != question else None,
            strength=round(strength, 4),
        )

    # -- the documents ---------------------------------------------------------
    def policies(self) -> list[PolicySummary]:
        """Every policy with its metadata and status today."""
        today = self.settings.status_date()
        out = []
        for doc in self.index.snapshot().docs.values():
            status = policy_status(doc, today)
            out.append(
                PolicySummary(
                    doc_id=doc.id,
                    title=doc.title,
                    issuer=doc.issuer,
                    doc_number=doc.doc_number,
                    region=doc.region,
                    issued=iso(doc.issued),
                    effective_from=iso(doc.effective_from),
                    valid_until=iso(doc.valid_until),
                    status=status,
                    status_label=STATUS_LABEL_ZH[status],
                )
            )
        return out

    def policy_clauses(self, doc_id: str) -> list[ClauseText]:
        """The clauses of one policy, in order, each with its exact text."""
        doc = self.index.snapshot().docs.get(doc_id)
        if doc is None:
            raise KeyError(doc_id)
        return doc.clause_texts()

    # -- matching --------------------------------------------------------------
    def match(self, profile: FounderProfile) -> MatchResult:
        """Every provision of the index the founder's profile may get: in force, grouped by policy,
        with amounts where the profile gives figures, each cited like an answer's clause."""
        return match_snapshot(self.index.snapshot(), profile, self.settings.status_date())
