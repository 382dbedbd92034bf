"""One answer from the answers to each question of a several-question message.

Each part keeps its own citations, renumbered into one list (a clause cited by
two parts is one citation, its highlights merged), in the order asked; parts
past the limit are named as left unanswered.
"""

from __future__ import annotations

import re

from app.answer import phrases
from app.answer.extractive_answerer import AnswerDraft
from app.schemas import Citation

_REF = re.compile(r"\[(\d+)\]")


def combine_parts(answered: list[tuple[str, AnswerDraft]], left: list[str], english: bool) -> AnswerDraft:
    citations: list[Citation] = []
    by_clause: dict[tuple[str, str], Citation] = {}
    sections: list[str] = []
    for number, (part, draft) in enumerate(answered, start=1):
        renumber: dict[int, int] = {}
        for citation in draft.citations:
            key = (citation.doc_id, citation.clause)
            if key not in by_clause:
                by_clause[key] = citation.model_copy(update={"ref": len(citations) + 1})
                citations.append(by_clause[key])
            else:
                merged = sorted(set(by_clause[key].highlights) | set(citation.highlights))
                by_clause[key].highlights = merged
            renumber[citation.ref] = by_clause[key].ref
        body = phrases.REFUSAL_EN if english and draft.refused else phrases.REFUSAL_ZH if draft.refused else draft.text
        body = _REF.sub(lambda m: f"[{renumber.get(int(m.group(1)), int(m.group(1)))}]", body)
        heading = phrases.PART_EN if english else phrases.PART_ZH
        sections.append(f"{heading.format(n=number, question=part)}\n{body}")
    intro = (phrases.PARTS_INTRO_EN if english else phrases.PARTS_INTRO_ZH).format(n=len(answered))
    text = "\n\n".join([intro, *sections])
    if left:
        template = phrases.PARTS_LEFT_EN if english else phrases.PARTS_LEFT_ZH
        text += "\n\n" + template.format(n=len(answered), questions=("; " if english else "；").join(left))
    refused = all(draft.refused for _, draft in answered)
    return AnswerDraft(text, citations, refused, [e for _, d in answered for e in d.evidence])
