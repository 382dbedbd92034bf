"""What changes, clause by clause, when a policy text is replaced by a newer version.

Clauses are matched by label ("五、强化算力普惠供给", "3、支持企业研发"); a label that
occurs twice is matched by its occurrence. Whitespace does not count as a change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.clause_splitter import split_clauses
from ingest.text_cleaner import clean_policy_text


@dataclass(frozen=True)
class ClauseDiff:
    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[str, ...]
    unchanged: int

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def summary_lines(self) -> list[str]:
        """One line per added (+), removed (-) and changed (~) clause, then the count of the rest."""
        lines = [f"+ {label}" for label in self.added]
        lines += [f"- {label}" for label in self.removed]
        lines += [f"~ {label}" for label in self.changed]
        lines.append(f"  {self.unchanged} clause(s) unchanged")
        return lines


def clause_texts(raw: str, title: str) -> dict[tuple[str, int], str]:
    """(label, occurrence) → the clause's text without whitespace, for one version of a policy."""
    cleaned = clean_policy_text(raw, title)
    texts: dict[tuple[str, int], str] = {}
    for clause in split_clauses(cleaned, title):
        occurrence = sum(1 for label, _ in texts if label == clause.label)
        texts[(clause.label, occurrence)] = re.sub(r"\s+", "", cleaned[clause.start : clause.end])
    return texts


def diff_clauses(old: dict[tuple[str, int], str], new: dict[tuple[str, int], str]) -> ClauseDiff:
    return ClauseDiff(
        added=tuple(label for label, n in new if (label, n) not in old),
        removed=tuple(label for label, n in old if (label, n) not in new),
        changed=tuple(label for label, n in new if (label, n) in old and old[(label, n)] != new[(label, n)]),
        unchanged=sum(1 for key in new if key in old and old[key] == new[key]),
    )
