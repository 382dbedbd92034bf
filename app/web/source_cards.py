"""HTML for an answer's sources: one expandable card per cited clause.

The card's summary says which policy and clause, and whether it is in force;
opening it shows the clause text with the sentences the answer used
highlighted, the validity dates and the responsible units. Every piece of
text is escaped here and the whole fragment is sanitized on the way out.

The fragment is a single line: it is embedded in a chat message that Gradio
renders as Markdown, where a blank line or an indented line would end the
HTML block.
"""

from __future__ import annotations

from html import escape

from app.schemas import Citation
from app.web.html_sanitizer import sanitize
from app.web.status_badge import status_badge, validity_text


def merged_spans(spans: list[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    """Highlight spans clamped to the text, sorted, overlaps merged, empty ones dropped."""
    clamped = sorted((max(0, s), min(length, e)) for s, e in spans)
    merged: list[tuple[int, int]] = []
    for start, end in clamped:
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlighted_text(text: str, spans: list[tuple[int, int]]) -> str:
    """The clause text, escaped, with the used sentences wrapped in <mark>."""
    parts, cursor = [], 0
    for start, end in merged_spans(spans, len(text)):
        parts.append(escape(text[cursor:start]))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        cursor = end
    parts.append(escape(text[cursor:]))
    return "".join(parts)


def source_card(citation: Citation) -> str:
    number = f'<span class="pa-docno">{escape(citation.doc_number)}</span>' if citation.doc_number else ""
    units = (
        f'<div class="pa-units">责任单位：{escape("、".join(citation.units))}</div>' if citation.units else ""
    )
    return (
        f'<details class="pa-card pa-card-{escape(citation.status)}">'
        f'<summary><span class="pa-ref">[{citation.ref}]</span>'
        f'<span class="pa-card-head"><span class="pa-title">《{escape(citation.doc_title)}》</span>'
        f'<span class="pa-clause">{escape(citation.clause)}</span></span>'
        f"{status_badge(citation.status)}</summary>"
        f'<div class="pa-card-body">'
        f'<div class="pa-meta">{number}<span class="pa-dates">{validity_text(citation.effective_from, citation.valid_until)}</span></div>'
        f'<p class="pa-clause-text">{highlighted_text(citation.text, citation.highlights)}</p>'
        f"{units}</div></details>"
    )


def source_cards(citations: list[Citation], resolved_question: str | None = None) -> str:
    """All cards of one answer (empty string when there is nothing to cite)."""
    if not citations:
        return ""
    note = (
        f'<div class="pa-resolved">结合上文，按“{escape(resolved_question)}”检索</div>' if resolved_question else ""
    )
    cards = "".join(source_card(c) for c in citations)
    return sanitize(
        f'<div class="pa-sources">{note}<div class="pa-sources-title">依据条款（点开查看原文）</div>{cards}</div>'
    )
