"""Turn a policy text as received into the cleaned text that clauses and quotes refer to.

The cleaned text starts at the document's own title line (so a news lead or a
cover notice stays out of the clauses), has no Markdown marks, has words that a
page break split ("最\\n\\n高给予") joined again, one paragraph per line, and
stops before a distribution list (a `---` rule).
"""

from __future__ import annotations

import re

from policy_core.errors import AdvisorError

_CJK = r"\u4e00-\u9fff"
_SENTENCE_END = "。；！？：:;!?）)”」》"
# A body line that ends mid-sentence, then blank line(s), then the rest: a page break.
_PAGE_BREAK = re.compile(rf"(?<=[{_CJK}\w，、,])[ \t]*\n(?:[ \t]*\n)+[ \t]*(?=[{_CJK}])")
_BOLD = re.compile(r"\*\*|__")
_HEADING_MARK = re.compile(r"^[ \t]*#{1,6}[ \t]*", re.MULTILINE)
_RULE = re.compile(r"^[ \t]*-{3,}[ \t]*$", re.MULTILINE)


class CleaningError(AdvisorError, ValueError):
    """The text does not contain its own title, so its body cannot be found."""


def clean_policy_text(raw: str, title: str) -> str:
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\u3000", " ").replace("\ufeff", "")
    text = _BOLD.sub("", text)
    text = _join_page_breaks(text)
    text = _HEADING_MARK.sub("", text)
    text = text[_title_line_start(text, title):]
    rule = _RULE.search(text)
    if rule:
        text = text[: rule.start()]
    lines = (line.strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line) + "\n"


def _join_page_breaks(text: str) -> str:
    """Join a line that stops mid-word with the line after the blank gap, unless it is a heading."""

    def join(match: re.Match[str]) -> str:
        line_start = text.rfind("\n", 0, match.start()) + 1
        line = text[line_start : match.start()].strip()
        # A short line is a title or a signature, not a sentence cut by a page break.
        is_heading = line.startswith("#")
        return match.group(0) if is_heading or len(line) < 20 or line[-1] in _SENTENCE_END else ""

    return _PAGE_BREAK.sub(join, text)


def _title_line_start(text: str, title: str) -> int:
    """Offset of the last line that is the title alone (it may wrap over two lines)."""
    pattern = r"\s*".join(re.escape(ch) for ch in title.replace(" ", ""))
    matches = list(re.finditer(rf"^[ \t]*{pattern}[ \t]*$", text, re.MULTILINE))
    if not matches:
        raise CleaningError(f"the title {title!r} does not appear on a line of its own")
    return matches[-1].start()
