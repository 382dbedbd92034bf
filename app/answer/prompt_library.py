"""The LLM prompts, kept as Chinese text files in `prompts/` and loaded by name.

A prompt file uses `{name}` placeholders (Python format syntax, the same as
LangChain's f-string templates). Each caller states the placeholders it fills,
so a prompt edited to drop or invent one fails loudly at start-up rather than
silently sending a half-filled prompt.
"""

from __future__ import annotations

import string
from functools import lru_cache

from policy_core.errors import AdvisorError
from policy_core.settings import PROJECT_ROOT

PROMPTS_DIR = PROJECT_ROOT / "prompts"


class PromptError(AdvisorError, ValueError):
    """A prompt file is missing or its placeholders are not the ones its caller fills."""


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


@lru_cache(maxsize=None)
def _read(name: str) -> str:
    path = PROMPTS_DIR / f"{name}.md"
    if not path.is_file():
        raise PromptError(f"prompt file {path} is missing")
    return path.read_text(encoding="utf-8").strip()


def load_prompt(name: str, variables: frozenset[str] | set[str] = frozenset()) -> str:
    """The text of prompts/<name>.md, checked to use exactly `variables` as placeholders."""
    text = _read(name)
    try:
        found = placeholders(text)
    except ValueError as exc:  # an unmatched brace
        raise PromptError(f"prompts/{name}.md: {exc}") from None
    if found != set(variables):
        missing, unknown = set(variables) - found, found - set(variables)
        raise PromptError(
            f"prompts/{name}.md: placeholders differ from what the code fills"
            + (f"; missing {sorted(missing)}" if missing else "")
            + (f"; unknown {sorted(unknown)}" if unknown else "")
        )
    return text
