"""What the advisor decides before the model writes: the facts and numbers the model only phrases.

The LLM answer carries what an extractive answer carries: who handles it, what
the text does not say, the service desk, an amount computed from the founder's
figure, and for an expired policy the in-force clauses on the same subject
(added as further numbered sources). Each decided fact is a `Note`: it goes
into the prompt's "已确定事项" block, counts as grounding for the claim
check, and is appended after the answer when the model left it out (after,
never before: the answer streams, and what was shown cannot move).

Later kinds of decided facts (provisions for overview and calculation
questions) are added as further notes: `AnswerContext.notes` is the hook.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.answer.claim_grounding import UNSTATED_PHRASES
from app.answer.fact_values import extract_facts
from app.answer.founder_notes import founder_notes
from app.answer.service_contact import ServiceContact
from app.answer.subsidy_calculator import calculate, describe_en, describe_zh
from app.answer.retrieved import Retrieval
from app.retrieval.hybrid_retriever import ScoredChunk
from policy_core.sentences import sentence_spans



@dataclass(frozen=True)
class Note:
    kind: str  # "lead" | "unstated" | "desk" | "calculation" | "in_force" | a later kind
    text: str

    def reflected_in(self, answer: str) -> bool:
        """Does the answer already say it (its units, amounts and, for "unstated", that the text is silent)?"""
        if self.kind == "unstated" and not any(p in answer for p in UNSTATED_PHRASES):
            return False
        if self.kind == "desk":
            return all(part in answer for part in self.text.split("：", 1)[-1].split("，")[:2])
        if self.kind == "in_force":
            return True  # the in-force sources are cited or not; nothing to append
        mine, theirs = extract_facts(self.text), extract_facts(answer)
        flat = answer.replace(" ", "")
        return mine.amounts <= theirs.amounts and all(d in flat for d in mine.departments)


@dataclass
class AnswerContext:
    notes: list[Note] = field(default_factory=list)
    extra_hits: list[ScoredChunk] = field(default_factory=list)  # cited as sources after the retrieved ones

    def prompt_block(self, first_extra: int) -> str:
        lines = [f"- {note.text}" for note in self.notes]
        if self.extra_hits:
            last = first_extra + len(self.extra_hits) - 1
            numbers = f"[{first_extra}]" if last == first_extra else f"[{first_extra}] 到 [{last}]"
            lines.append(f"- 所问政策已失效；资料 {numbers} 是同一主题的现行有效政策，回答时要说明并引用。")
        return "\n".join(lines) or "（无）"


def build_context(retrieval: Retrieval, contact: ServiceContact, in_force: list[ScoredChunk] | None = None) -> AnswerContext:
    question, english = retrieval.analysis.question, retrieval.analysis.english
    hits = retrieval.hits
    units = list(hits[0].chunk.units) if hits else []
    texts = [h.chunk.text for h in hits[:3]]
    founder = founder_notes(question, english, units, texts, contact)
    notes = []
    if founder.lead:
        notes.append(Note("lead", founder.lead))
    calc = calculate(question, [t[s:e] for t in texts[:1] for s, e in sentence_spans(t)])
    if calc is not None:
        notes.append(Note("calculation", describe_en(calc) if english else describe_zh(calc)))
    if founder.unstated:
        notes.append(Note("unstated", founder.unstated))
    if founder.desk:
        notes.append(Note("desk", founder.desk))
    known = {h.chunk.id for h in hits}
    extra = [h for h in (in_force or []) if h.chunk.id not in known]
    return AnswerContext(notes, extra)
