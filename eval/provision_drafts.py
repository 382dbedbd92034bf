"""Measure the provision drafter against the reviewed provisions of the corpus.

    PYTHONPATH=. python -m eval.provision_drafts [--json]

Found: a reviewed provision is found when a draft of the same clause quotes a sentence
that contains it or lies inside it. Per field: among the found provisions, the share
whose draft has the reviewed value (a field the reviewer left empty counts as right
when the draft leaves it empty too); tiers are compared by their amounts.
"""

from __future__ import annotations

import json
import sys

from policy_core.settings import Settings
from ingest.pipeline import prepare_corpus
from ingest.provision_check import compact
from ingest.provision_drafter import draft_document
from ingest.provisions import Provision, load_corpus_provisions

FIELDS = [
    "beneficiaries", "purpose", "form", "rate_percent", "base", "cap_wan", "amount_wan", "per_unit",
    "cap_per_year_wan", "duration_years", "quantity", "tiers", "units",
]


def _same_text(a: str, b: str) -> bool:
    a, b = compact(a).rstrip("。；;"), compact(b).rstrip("。；;")
    return a in b or b in a


def _reviewed_value(provision: Provision, field: str) -> object:
    value = getattr(provision, field)
    if field == "tiers":
        return [t.amount_wan for t in value] or None
    if field == "beneficiaries":
        return set(value)
    return value if value not in ([], "") else None


def _draft_value(draft: dict, field: str) -> object:
    value = draft.get(field)
    if field == "tiers":
        return [t["amount_wan"] for t in value] if value else None
    if field == "beneficiaries":
        return set(value)
    return value if value not in ([], "") else None


def measure(settings: Settings) -> dict:
    docs, _ = prepare_corpus(settings)
    reviewed = load_corpus_provisions(settings.corpus_dir)
    per_doc: dict[str, dict] = {}
    right = {f: 0 for f in FIELDS}
    found_total = 0
    drafts_total = matched_drafts = 0
    for doc in docs:
        drafts = draft_document(doc)
        mine = [p for p in reviewed if p.doc_id == doc.id]
        used: set[int] = set()
        found = 0
        for provision in mine:
            candidates = [i for i, d in enumerate(drafts) if d["clause"] == provision.clause and _same_text(d["sentence"], provision.sentence)]
            if not candidates:
                continue
            found += 1
            best = max(candidates, key=lambda i: sum(_draft_value(drafts[i], f) == _reviewed_value(provision, f) for f in FIELDS))
            used.add(best)
            for field in FIELDS:
                right[field] += _draft_value(drafts[best], field) == _reviewed_value(provision, field)
        per_doc[doc.id] = {"reviewed": len(mine), "found": found, "drafts": len(drafts), "drafts_matching_a_provision": len(used)}
        found_total += found
        drafts_total += len(drafts)
        matched_drafts += len(used)
    return {
        "reviewed": len(reviewed),
        "found": found_total,
        "found_share": round(found_total / len(reviewed), 3),
        "drafts": drafts_total,
        "draft_precision": round(matched_drafts / drafts_total, 3) if drafts_total else None,
        "field_right_share_of_found": {f: round(right[f] / found_total, 3) for f in FIELDS},
        "per_document": per_doc,
    }


def main() -> None:
    report = measure(Settings())
    if "--json" in sys.argv:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return
    print(f"reviewed provisions {report['reviewed']}, found by the draft {report['found']} ({report['found_share']:.1%}); "
          f"drafts {report['drafts']}, of which match a reviewed provision {report['draft_precision']:.1%}")
    for doc_id, row in report["per_document"].items():
        print(f"  {doc_id}: found {row['found']}/{row['reviewed']}, drafts {row['drafts']}")
    print("filled right, share of found provisions:")
    for field, share in report["field_right_share_of_found"].items():
        print(f"  {field:18} {share:.1%}")


if __name__ == "__main__":
    main()
