"""The one family of user-facing errors."""

from __future__ import annotations


class AdvisorError(Exception):
    """A problem whose message is fit to show a user as it is: one line that says what went wrong
    and, where something can be done, what to do. No traceback is needed to understand it.

    Every error the project raises on purpose derives from this class, so each surface catches
    just this one: the CLI prints the message and exits 2; the API and the page show a visitor
    the message of a question they can fix (`QuestionError`) and apologise for the rest, whose
    messages are meant for whoever runs the advisor and go to the log."""
