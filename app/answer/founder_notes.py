"""What the advisor tells a founder besides the quoted text: who handles it, what the text does not say, the desk.

Both answerers use it: the extractive one writes the lines itself; the LLM one
gives them to the model as facts the advisor has decided (and appends any the
model leaves out), so both modes behave alike for a founder.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.answer.service_contact import ServiceContact, asks_for_person, contact_line
from app.answer.unstated_details import asked_details, unstated_details, unstated_note
from app.answer.who_handles import asks_who_handles, lead_line


@dataclass(frozen=True)
class FounderNotes:
    lead: str = ""  # "负责部门：…", first when asked who/how
    unstated: str = ""  # "政策原文未列明…"
    desk: str = ""  # the service desk, when asked how/where to apply or for a person


def founder_notes(question: str, english: bool, units: list[str], clause_texts: list[str], contact: ServiceContact) -> FounderNotes:
    lead = lead_line(units, english) if asks_who_handles(question) else ""
    unstated = unstated_note(unstated_details(question, clause_texts), units, english)
    wants_desk = asks_who_handles(question) or asks_for_person(question) or any(d.name in ("procedure", "contact") for d in asked_details(question))
    desk = contact_line(contact, english) if wants_desk else ""
    return FounderNotes(lead, unstated, desk)
