"""Splitting one message into the questions it asks ("算力怎么补？租房呢？另外贷款有没有贴息？").

Founders write several questions in one message: separated by question marks,
numbered (1. 2、 （3）), joined by 另外 / 还有 / 以及 / 此外, or in English by
"and is there …". Each part is answered on its own, in the order asked. A
statement that asks nothing ("我们是洪山区的一家OPC，") is context, not a part:
it is kept in front of the first part so the profile words still reach search.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Where a new question starts: after a question mark, before a list number, before a connector.
_QUESTION_END = re.compile(r"(?<=[？?])")
_NUMBERED = re.compile(r"(?:^|(?<=[\s：:，,。；;？?]))(?:\d{1,2}[.、)）]|[（(]\d{1,2}[)）]|[①②③④⑤⑥⑦⑧⑨⑩])\s*")
_CONNECTOR = re.compile(r"[，,。；;\s]+(?=(?:另外|还有|以及|此外|同时|再问一下|顺便问一下)[，,]?)")
_EN_AND = re.compile(
    r",?\s+(?:and|also)\s+(?=(?:is|are|can|could|do|does|what|how|who|where|when|which|will|would)\b)", re.IGNORECASE
)
_ASKS = re.compile(
    r"[？?]|吗|呢|么|多少|几|哪|怎|如何|是否|有没有|能不能|可不可以|可以不|有无|列出|列一下|介绍|说说|讲讲|"
    r"\b(?:what|how|who|where|when|which|is there|are there|can|could|do|does)\b",
    re.IGNORECASE,
)
_CONTENT = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
# "想问几个问题" announces questions; it asks none itself.
_PREFACE = re.compile(r"(?:想|请|再)?(?:问|咨询|请教|了解)(?:一下|下)?(?:几个|以下|下面|这些|两个|三个)?(?:问题|事情?)$")
_LEADING_CONNECTOR = re.compile(r"^(?:另外|还有|以及|此外|同时|再问一下|顺便问一下)[，,]?\s*")
# "算力、住房、贷款都想了解，分别有什么政策": a list of topics asked about alike.
_TOPIC_LIST = re.compile(
    r"^(?P<pre>.*?[，,：:])?(?P<items>[^，,。；;、：:]{1,12}(?:、[^，,。；;、：:]{1,12}?){2,})"
    r"(?=(?:等|这些|这几个方面|几个方面|几方面)?(?:都|分别|各|方面|[，,？?]|有|能|怎么|如何))"
    r"(?:等|这些|这几个方面|几个方面|几方面)?(?:都|分别|各)?(?P<tail>.*)$"
)
_TAIL_QUESTION = re.compile(r"(?:分别|都|各自?)?(有(?:什么|哪些|没有)[^，,。；;]*|能[^，,。；;]*|怎么[^，,。；;]*|如何[^，,。；;]*)[？?]?$")
_TRIM = "，,。；;：:、 \t\n"


@dataclass(frozen=True)
class QuestionParts:
    """The questions to answer, in order, and those past the limit (left unanswered)."""

    parts: list[str]
    left: list[str]

    @property
    def several(self) -> bool:
        return len(self.parts) + len(self.left) > 1


def _pieces(message: str) -> list[str]:
    pieces: list[str] = []
    for segment in _QUESTION_END.split(message):
        for numbered in _NUMBERED.split(segment):
            for joined in _CONNECTOR.split(numbered):
                pieces.extend(_EN_AND.split(joined))
    cleaned = [_LEADING_CONNECTOR.sub("", p.strip(_TRIM)).strip(_TRIM) for p in pieces]
    return [p for piece in cleaned if _CONTENT.search(piece) for p in _expand_topic_list(piece)]


def _expand_topic_list(piece: str) -> list[str]:
    """One question per listed topic when a piece lists three or more topics and one question about them all."""
    match = _TOPIC_LIST.match(piece)
    tail = _TAIL_QUESTION.search(match.group("tail")) if match else None
    if not match or not tail:
        return [piece]
    pre = (match.group("pre") or "").strip(_TRIM)
    asked = tail.group(1).rstrip("？?")
    items = [item.strip() for item in match.group("items").split("、") if item.strip()]
    questions = [f"{item}{asked}？" for item in items]
    return [pre, *questions] if pre else questions


def split_question(message: str, max_parts: int) -> QuestionParts:
    """The questions of `message`; a message that asks one thing is one part, unchanged."""
    pieces = _pieces(message)
    if len(pieces) < 2:
        return QuestionParts([message.strip()], [])
    questions: list[str] = []
    context: list[str] = []
    for piece in pieces:
        if _ASKS.search(piece) and not _PREFACE.search(piece):
            questions.append("，".join(context + [piece]) if context and not questions else piece)
            if questions and len(questions) == 1:
                context = []
        elif questions:
            questions[-1] = f"{questions[-1]}，{piece}"  # a trailing remark belongs to the question before it
        elif context_piece := _PREFACE.sub("", piece).strip(_TRIM):
            context.append(context_piece)
    if len(questions) < 2:
        return QuestionParts([message.strip()], [])
    return QuestionParts(questions[:max_parts], questions[max_parts:])
