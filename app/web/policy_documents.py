"""HTML for the 政策文件 tab: the list of policies with status and dates, and one policy's full text."""

from __future__ import annotations

from html import escape

from app.schemas import PolicySummary
from app.web.html_sanitizer import sanitize
from app.web.status_badge import status_badge, validity_text
from ingest.records import ClauseText


def _facts(policy: PolicySummary) -> str:
    """Issuer · document number · validity, each escaped."""
    parts = [escape(policy.issuer or "")]
    if policy.doc_number:
        parts.append(escape(policy.doc_number))
    parts.append(validity_text(policy.effective_from, policy.valid_until))
    return " · ".join(p for p in parts if p)


def policy_list(policies: list[PolicySummary]) -> str:
    rows = "".join(
        f'<div class="pa-policy pa-policy-{escape(p.status)}">'
        f'<div class="pa-policy-head"><span class="pa-policy-title">《{escape(p.title)}》</span>{status_badge(p.status)}</div>'
        f'<div class="pa-policy-facts">{_facts(p)}</div></div>'
        for p in policies
    )
    return sanitize(f'<div class="pa-policy-list">{rows}</div>')


def _clause(clause: ClauseText) -> str:
    """One clause: its label in bold where the text starts with it, as a heading otherwise."""
    label, text, units = clause.clause.label, clause.text, clause.clause.units
    if text.startswith(label):
        body = f'<p><strong>{escape(label)}</strong>{escape(text[len(label):])}</p>'
    else:
        body = f"<h4>{escape(label)}</h4><p>{escape(text)}</p>"
    # most clauses end with their own "（责任单位：…）": name the units only where the text does not
    units = f'<div class="pa-units">责任单位：{escape("、".join(units))}</div>' if units and "责任单位" not in text else ""
    return f'<section class="pa-doc-clause">{body}{units}</section>'


def policy_full_text(policy: PolicySummary, clauses: list[ClauseText]) -> str:
    """The policy clause by clause; an expired policy carries a warning on top."""
    warning = ""
    if policy.status == "expired":
        warning = '<div class="pa-warning">本文件已失效，内容仅供了解政策沿革，不能作为现行申报依据。</div>'
    elif policy.status == "not_yet_effective":
        warning = '<div class="pa-warning">本文件尚未施行，请留意施行日期。</div>'
    body = "".join(_clause(c) for c in clauses)
    return sanitize(
        f'<div class="pa-doc"><h3>《{escape(policy.title)}》{status_badge(policy.status)}</h3>'
        f'<div class="pa-policy-facts">{_facts(policy)}</div>{warning}{body}</div>'
    )
