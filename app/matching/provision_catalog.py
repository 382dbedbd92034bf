"""The catalogue: every reviewed provision with its policy and whether the policy is in force today.

Built from an index snapshot (`catalog_of`: what the advisor answers from) or read from the
corpus (manifest, cleaned clauses, corpus/provisions/) and checked the way ingest checks it
(`load_catalog`), so the CLI can list provisions without an index.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from app.answer.policy_status import policy_status
from app.schemas import PolicyStatus
from ingest.pipeline import prepare_corpus
from ingest.provision_check import checked_provisions
from ingest.provisions import Provision
from ingest.records import PolicyDoc, iso
from policy_core.settings import Settings


@dataclass
class PolicyInfo:
    """What a provision's reader needs of its policy."""

    doc_id: str
    title: str
    doc_number: str
    region: str
    status: PolicyStatus
    effective_from: str | None
    valid_until: str | None
    states_highest_only: bool  # the text sets 就高不重复 for overlapping support


@dataclass
class Catalog:
    policies: dict[str, PolicyInfo]
    provisions: list[Provision] = field(default_factory=list)

    def policy(self, provision: Provision) -> PolicyInfo:
        return self.policies[provision.doc_id]

    def rows(self) -> list[dict]:
        """One JSON-ready object per provision (null where a field does not apply) with its policy's status."""
        return [
            {**p.model_dump(mode="json", exclude={"note"}), "status": self.policy(p).status,
             "doc_title": self.policy(p).title, "note": p.note or None}
            for p in self.provisions
        ]


def policy_infos(docs: Iterable[PolicyDoc], today: dt.date) -> dict[str, PolicyInfo]:
    return {
        d.id: PolicyInfo(
            d.id, d.title, d.doc_number, d.region, policy_status(d, today),
            iso(d.effective_from), iso(d.valid_until), "就高不重复" in d.cleaned_text,
        )
        for d in docs
    }


def catalog_of(docs: Iterable[PolicyDoc], provisions: list[Provision], today: dt.date) -> Catalog:
    """The catalogue of documents and their (already checked) provisions, e.g. an index snapshot's."""
    return Catalog(policy_infos(docs, today), list(provisions))


def load_catalog(settings: Settings) -> Catalog:
    """The checked provisions of the corpus; ProvisionError when one is not borne out by its text."""
    docs, _ = prepare_corpus(settings)
    return catalog_of(docs, checked_provisions(settings.corpus_dir, docs), settings.status_date())
