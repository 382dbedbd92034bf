"""The deployment's own service desk: shown after a refusal, in "how / where to apply" answers,
and when the founder asks for a person (转人工, 人工客服, 打电话).

Unset by default (a contact is never invented); each deployment sets its own
in the settings, and a widget may override it for its site.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

_ASKS_PERSON = re.compile(
    r"转人工|人工客服|人工服务|找人工|真人客服|客服电话|打电话|联系客服|人工咨询|"
    r"talk to (?:a )?(?:person|human|someone)|human agent|real person|customer service",
    re.IGNORECASE,
)


class ServiceContact(BaseModel):
    name: str | None = None
    phone: str | None = None
    address: str | None = None
    hours: str | None = None
    url: str | None = None

    @property
    def configured(self) -> bool:
        return any((self.name, self.phone, self.address, self.url))


def asks_for_person(question: str) -> bool:
    return bool(_ASKS_PERSON.search(question))


def contact_line(contact: ServiceContact, english: bool) -> str:
    """One line with the desk's details; empty when none is configured."""
    if not contact.configured:
        return ""
    if english:
        parts = [
            contact.name,
            f"tel. {contact.phone}" if contact.phone else None,
            contact.address,
            f"hours: {contact.hours}" if contact.hours else None,
            contact.url,
        ]
        return "For personal help: " + ", ".join(p for p in parts if p) + "."
    parts = [
        contact.name,
        f"电话 {contact.phone}" if contact.phone else None,
        f"地址：{contact.address}" if contact.address else None,
        f"时间：{contact.hours}" if contact.hours else None,
        contact.url,
    ]
    return "如需人工咨询：" + "，".join(p for p in parts if p) + "。"


def no_contact_line(english: bool) -> str:
    """Said to a founder who asks for a person where no desk is configured."""
    if english:
        return "This assistant has no service desk configured; please contact the responsible unit named in the policy."
    return "本助手未配置人工服务联系方式，请联系政策条款中列明的责任单位。"
