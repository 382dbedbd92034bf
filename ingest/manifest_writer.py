"""Write one `[[documents]]` entry into manifest.toml, keeping every other line (and comment) as it is.

The entry is rendered by hand rather than by a TOML writer so the file keeps its
comments and layout; strings are written as TOML basic strings (JSON escaping is
valid there). Fields the text did not give are left out and named in a comment,
with the keywords left for the maintainer to fill in.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

from ingest.records import PolicyMetadata

_ENTRY_START = re.compile(r"^\[\[documents\]\]\s*$", re.MULTILINE)
_TABLE_START = re.compile(r"^\[", re.MULTILINE)


def render_entry(doc: PolicyMetadata, missing: list[str]) -> str:
    lines = ["[[documents]]"]
    if missing:
        lines.append(f"# not found in the text, check: {', '.join(missing)}")
    for name in ("id", "title", "issuer", "doc_number", "region", "issued", "effective_from", "valid_until", "file", "supersedes"):
        value = getattr(doc, name)
        if value is None or (value == "" and name not in ("doc_number",)):
            continue
        lines.append(f"{name} = {json.dumps(str(value), ensure_ascii=False)}")
    keywords = ", ".join(json.dumps(k, ensure_ascii=False) for k in doc.keywords)
    lines.append(f"keywords = [{keywords}]" + ("" if doc.keywords else "  # words founders use to mean this policy: fill in"))
    return "\n".join(lines) + "\n"


def with_entry(manifest: str, doc_id: str, entry: str) -> str:
    """The manifest text with the entry of `doc_id` replaced by `entry`, or `entry` appended."""
    for match in _ENTRY_START.finditer(manifest):
        following = _TABLE_START.search(manifest, match.end())
        end = following.start() if following else len(manifest)
        block = manifest[match.start() : end]
        if re.search(rf'^id\s*=\s*"{re.escape(doc_id)}"\s*$', block, re.MULTILINE):
            return manifest[: match.start()] + entry + "\n" + manifest[end:].lstrip("\n")
    return manifest.rstrip("\n") + "\n\n" + entry


def write_atomically(path: Path, text: str) -> None:
    """Write a file whole or not at all (a temp file in the same folder, then a rename)."""
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
