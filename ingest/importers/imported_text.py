"""What an importer hands back, and the one error every importer raises."""

from __future__ import annotations

from dataclasses import dataclass, field

from policy_core.errors import AdvisorError


class ImportRefused(AdvisorError):
    """The file cannot be imported (unsupported, encrypted, corrupt, empty, scanned, too large);
    nothing is written and the message says why in one line."""


@dataclass(frozen=True)
class ImportedText:
    """The plain text of a published policy: one paragraph or table row per line, no markup."""

    text: str
    source_format: str
    """pdf | docx | html"""
    title_hint: str = ""
    """A title the source states outside its text (a page's <h1> or meta ArticleTitle), if any."""
    hints: dict[str, str] = field(default_factory=dict)
    """Other metadata the source states outside its text (a page's publication date, its publisher)."""
    notes: tuple[str, ...] = ()
    """What the importer did that a maintainer should know (pages OCR'd, header lines dropped …)."""
