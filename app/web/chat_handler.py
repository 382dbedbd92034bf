"""The chat function behind the page: a message and the conversation so far → streamed chat updates.

It turns the page's conversation into `Turn`s so a follow-up ("那洪山区呢？")
is resolved by the advisor, streams the answer's text as it is produced, and
ends with the source cards. Whatever goes wrong becomes a polite message in the
chat: the reader never sees a stack trace and the page keeps working.

Chat bubbles hold one line of HTML (escaped text, sanitized cards) rather than
Markdown, so nothing in a policy text or a question can be read as markup.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterator
from html import escape

import gradio as gr

from app.advisor import Advisor, QuestionError
from app.records.question_log import QuestionLog
from app.schemas import AnswerResult, Turn
from app.web.html_sanitizer import sanitize
from app.web.source_cards import source_cards
from policy_core.errors import AdvisorError

log = logging.getLogger(__name__)

FAILURE_MESSAGE = "抱歉，这次回答时出了问题，请稍后再试，或换一种问法。"
ECHO_CHARS = 120  # an over-long question is echoed shortened, not as a wall of text
# Every update re-sends the chat to the browser, so a burst of small deltas is shown in pieces of
# this many characters; a slow stream (an LLM) is shown delta by delta, as soon as each arrives.
UPDATE_MIN_CHARS = 40
UPDATE_MAX_WAIT_S = 0.05

Messages = list[dict]
Records = dict[int, dict]
TurnData = list[dict]  # the conversation's turns, held by the browser so a server restart does not lose them
Update = tuple[Messages, TurnData, Records, str]


def _worth_an_update(new_chars: int, since_last_update_s: float) -> bool:
    return new_chars >= UPDATE_MIN_CHARS or since_last_update_s >= UPDATE_MAX_WAIT_S


def answer_html(text: str, done: bool = False) -> str:
    """Answer text as paragraphs of escaped text; `pa-done` marks the complete answer (for tests and the benchmark)."""
    paragraphs = [p for p in text.split("\n") if p.strip()]
    css_class = "pa-answer pa-done" if done else "pa-answer"
    return f'<div class="{css_class}">' + "".join(f"<p>{escape(p)}</p>" for p in paragraphs) + "</div>"


def error_html(text: str) -> str:
    return f'<div class="pa-error">{escape(text)}</div>'


def question_html(text: str) -> str:
    shown = text if len(text) <= ECHO_CHARS else f"{text[:ECHO_CHARS]}…（共 {len(text)} 字）"
    return f'<div class="pa-question">{escape(shown)}</div>'


def content_text(content: str | list | None) -> str:
    """A chat message's content as the page sends it back (a string, or Gradio's list of text parts)."""
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return content or ""


def shown_already(messages: Messages, question: str) -> bool:
    """Did the page's own script already put this question in the chat (at once, before the server answered)?"""
    return bool(messages) and messages[-1].get("role") == "user" and content_text(messages[-1].get("content")) == question_html(question)


def read_turns(data: TurnData | None) -> list[Turn]:
    """The browser's copy of the turns; anything malformed is dropped (it only steers the visitor's own follow-ups)."""
    turns = []
    for item in data if isinstance(data, list) else []:
        try:
            turns.append(Turn.model_validate(item))
        except ValueError:
            continue
    return turns


def final_message(result: AnswerResult) -> dict:
    """The answer bubble, with its related questions as buttons under it (clicking one asks it)."""
    message = {"role": "assistant", "content": final_html(result)}
    if result.suggestions:
        message["options"] = [{"value": q, "label": q} for q in result.suggestions]
    return message


def final_html(result: AnswerResult) -> str:
    return sanitize(answer_html(result.answer, done=True)) + source_cards(result.citations, result.resolved_question)


def answer_record(result: AnswerResult) -> dict:
    """What feedback on this answer stores, keyed by the answer's chat message."""
    return {
        "answer_id": uuid.uuid4().hex,
        "question": result.question,
        "resolved_question": result.resolved_question,
        "answer": result.answer,
        "citations": [c.model_dump(mode="json") for c in result.citations],
    }


def _advisor_failure(exc: AdvisorError, question: str) -> str:
    """A question the reader can fix (empty after cleaning, too long) gets the advisor's message;
    any other problem (the index, the corpus) is for the operator: logged, and apologised for."""
    if isinstance(exc, QuestionError):
        return f"抱歉，{exc}"
    log.error("answering %r failed: %s", question[:200], exc)
    return FAILURE_MESSAGE


class ChatHandler:
    def __init__(self, advisor: Advisor, question_log: QuestionLog | None = None) -> None:
        self.advisor = advisor
        self.question_log = question_log

    def respond(
        self, message: str, messages: Messages, turn_data: TurnData, records: Records, request: gr.Request | None = None
    ) -> Iterator[Update]:
        """Yields (chat messages, turns, feedback records, input box text) as the answer grows.

        The input box keeps the question until the answer is there, and keeps it after an error, so nothing
        typed is lost. `request` (given by Gradio) names the browser session, whose salted hash groups a
        conversation in the question log."""
        turns = read_turns(turn_data)
        question = (message or "").strip()
        if not question:  # nothing to send: leave the chat as it is
            yield messages, turn_data, records, ""
            return
        if not shown_already(messages, question):
            messages = [*messages, {"role": "user", "content": question_html(question)}]
        yield messages, turn_data, records, message

        answer_at = len(messages)
        kept = self.advisor.settings.conversation_turns
        received, shown_chars, last_update = "", 0, 0.0
        try:
            for event in self.advisor.stream(question, turns[-kept:]):
                if isinstance(event, AnswerResult):
                    messages = [*messages[:answer_at], final_message(event)]
                    turns = [*turns, Turn(question=question, answer=event.answer, resolved_question=event.resolved_question)]
                    record = answer_record(event)
                    records = {**records, answer_at: record}
                    if self.question_log is not None:
                        session = getattr(request, "session_hash", None)
                        self.question_log.record(record["answer_id"], "page", event, session_id=session)
                    yield messages, [t.model_dump() for t in turns[-kept:]], records, ""
                    continue
                received += event
                if not _worth_an_update(len(received) - shown_chars, time.monotonic() - last_update):
                    continue
                messages = [*messages[:answer_at], {"role": "assistant", "content": sanitize(answer_html(received))}]
                shown_chars, last_update = len(received), time.monotonic()
                yield messages, turn_data, records, ""
        except AdvisorError as exc:
            failed = [*messages[:answer_at], {"role": "assistant", "content": error_html(_advisor_failure(exc, question))}]
            yield failed, turn_data, records, message  # the question stays in the box, to shorten or retry
        except Exception:
            log.exception("answering %r failed", question[:200])
            yield [*messages[:answer_at], {"role": "assistant", "content": error_html(FAILURE_MESSAGE)}], turn_data, records, message

    @staticmethod
    def start_over() -> Update:
        return [], [], {}, ""
