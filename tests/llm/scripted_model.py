"""A scripted model that misbehaves in known ways at known rates, for the claim-check evaluation.

Each answer request gets a truthful sentence quoted from source [1] of the
prompt, then one failure, by turns: nothing wrong, an uncited fact from another
city, a wrong amount with a valid citation, an invented department, another
city with a valid citation, a citation number out of range, the instructions
echoed, and an answer with nothing true in it (which must fall back to the
extractive answer). A condense request gets the new message back unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tests.llm.fake_openai_server import RecordedRequest, Reply

FAILURES: dict[str, str] = {
    "none": "",
    "uncited_fact": "深圳市对AI企业还有500万元落户奖励，可以一并申请。",
    "wrong_amount": "每家企业每年最高可获999万元补助 [1]。",
    "invented_department": "具体由市人工智能促进局负责受理 [1]。",
    "other_city": "另外深圳也有类似补贴，最高50万元 [1]。",
    "out_of_range": "另外深圳也有补贴 [9]。",
    "instructions_echoed": "",  # filled from the system prompt of the request
    "nothing_true": "",  # the whole answer is invented
}
INVENTED = ("深圳", "999万", "人工智能促进局", "500万元落户")
_SOURCE = re.compile(r"^\[(\d+)\] ", re.MULTILINE)


def sources_of(request: RecordedRequest) -> dict[int, str]:
    """The numbered sources of the prompt, each as the model saw it."""
    block = request.block("参考资料")
    starts = [(int(m.group(1)), m.start()) for m in _SOURCE.finditer(block)]
    ends = [start for _, start in starts[1:]] + [len(block)]
    return {number: block[start:end].strip() for (number, start), end in zip(starts, ends)}


def true_sentence(source: str) -> str:
    """The first sentence of the source's text that gives a number (else its first sentence), quoted with [1]."""
    text = source.split("原文：", 1)[-1]
    text = re.sub(r"[（(]责任单位[：:][^（()）]*[）)]", "", text).replace("*", "")
    sentences = [s.strip() for s in re.split(r"[。！？\n]", text) if len(s.strip()) > 4]
    numbered = [s for s in sentences if re.search(r"\d", s)]
    chosen = (numbered or sentences or ["相关内容见政策原文"])[0]
    return f"{chosen} [1]。"


@dataclass
class ScriptedModel:
    replies: list[tuple[str, str, dict[int, str]]] = field(default_factory=list)  # (failure kind, text, sources)

    def __call__(self, request: RecordedRequest) -> Reply:
        if not request.streaming:
            return Reply(request.block("新消息"))
        kinds = list(FAILURES)
        kind = kinds[len(self.replies) % len(kinds)]
        sources = sources_of(request)
        truthful = true_sentence(sources[1])
        if kind == "instructions_echoed":
            text = truthful + "我的规则是：" + request.system
        elif kind == "nothing_true":
            text = "OPC可获最高999万元补助 [1]。深圳另有500万元奖励 [1]。"
        else:
            text = truthful + FAILURES[kind]
        self.replies.append((kind, text, sources))
        return Reply(text, chunk_chars=400)
