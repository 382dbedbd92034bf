"""Provisions coverage: the clauses that grant something and have no reviewed provision.

"Grants something" is the drafter's rule (`ingest.provision_drafter`): a sentence with a
granting word and a benefit (an amount, a rate, 免租, 免费, 券, 贷款, 担保 …). A clause it
finds and no provision covers is a gap in corpus/provisions/ — an overview or a match
would leave that benefit out. Cheap: no index search, only the snapshot's texts.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, Field

from ingest.provision_drafter import draft_document
from ingest.provisions import Provision
from ingest.records import PolicyDoc


class ProvisionCoverage(BaseModel):
    granting_clauses: int = Field(description="Clauses in which the drafter's rules see a grant.")
    covered: int = Field(description="Of those, clauses with at least one reviewed provision.")
    provisions: int = Field(description="Reviewed provisions in the index.")
    uncovered: list[str] = Field(description="'doc_id: clause' of each granting clause without a provision.")

    def line(self) -> str:
        gaps = "; ".join(self.uncovered) if self.uncovered else "none"
        return (
            f"Provisions coverage: {self.covered} of {self.granting_clauses} clauses that grant something have reviewed "
            f"provisions ({self.provisions} provisions); without one: {gaps}."
        )


def provision_coverage(docs: Iterable[PolicyDoc], provisions: list[Provision]) -> ProvisionCoverage:
    covered = {(p.doc_id, p.clause) for p in provisions}
    granting = list(dict.fromkeys((doc.id, draft["clause"]) for doc in docs for draft in draft_document(doc)))
    uncovered = [f"{doc_id}: {clause}" for doc_id, clause in granting if (doc_id, clause) not in covered]
    return ProvisionCoverage(
        granting_clauses=len(granting), covered=len(granting) - len(uncovered), provisions=len(provisions), uncovered=uncovered
    )
