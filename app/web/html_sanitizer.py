"""The last step before any HTML we build reaches the page: nh3 with a small allowlist.

Every text inside is already escaped where it is built; this is the second
line of defence, so a mistake in a template can't turn into script execution.
"""

from __future__ import annotations

import nh3

ALLOWED_TAGS = {"details", "summary", "div", "span", "p", "mark", "strong", "small", "h3", "h4", "section", "sup"}
ALLOWED_ATTRIBUTES = {"*": {"class", "id"}}


def sanitize(html: str) -> str:
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, link_rel=None)
