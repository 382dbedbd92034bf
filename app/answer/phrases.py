"""Fixed phrases of the answers. The refusal phrases are what tests and evaluation look for."""

REFUSAL_ZH = "现有政策文件没有涉及这个问题。"
REFUSAL_EN = "The policy documents don't cover this question."
REFUSAL_PHRASES = (REFUSAL_ZH, REFUSAL_EN)

EXPIRED_ZH = "⚠️ 注意：《{title}》已失效（{dates}），以下内容仅供了解，现已不能据此申请。"
EXPIRED_EN = "⚠️ Note: 《{title}》 has expired ({dates}); the text below is for reference only and can no longer be applied for."
NOT_YET_ZH = "⚠️ 注意：《{title}》尚未施行（{dates}）。"
NOT_YET_EN = "⚠️ Note: 《{title}》 is not in force yet ({dates})."

STACKING_ZH = "同类政策或同一项目按“就高不重复”原则执行：不能重复享受，按较高的一项给予。"
STACKING_EN = "Where policies overlap for the same item, the rule is 就高不重复: you get the higher one, not both."

LEAD_EN = "Here is what the policy text says (quoted in Chinese):"
COVERAGE_ZH = "本助手依据以下政策文件作答：{docs}。可以问算力补贴、模型研发、人才住房、创业资助与贷款、生态社区、场景应用等方面的问题。"
COVERAGE_EN = "I answer from these policy documents: {docs}. Ask about compute subsidies, model R&D, talent housing, start-up grants and loans, OPC communities or application scenarios."

LLM_UNAVAILABLE_ZH = "（大模型服务暂时不可用，以下为直接摘录的政策原文。）"
LLM_CUT_ZH = "（回答生成中断，以上为已收到的部分。）"
LLM_UNAVAILABLE_EN = "(The language model is unavailable right now; below are the policy passages themselves.)"
LLM_CUT_EN = "(The answer was cut off; the text above is what arrived.)"
# Appended when a generated answer cites a policy that is not in force without saying so.
LLM_EXPIRED_NOTE_ZH = "⚠️ 注意：《{title}》已失效（{dates}），上面引用的内容现已不能据此申请。"
LLM_EXPIRED_NOTE_EN = "⚠️ Note: 《{title}》 has expired ({dates}); what is quoted from it above can no longer be applied for."
LLM_NOT_YET_NOTE_ZH = "⚠️ 注意：《{title}》尚未施行（{dates}）。"
LLM_NOT_YET_NOTE_EN = "⚠️ Note: 《{title}》 is not in force yet ({dates})."

# (status, english) → the warning each answerer writes for a policy not in force.
STATUS_WARNINGS = {
    ("expired", False): EXPIRED_ZH,
    ("expired", True): EXPIRED_EN,
    ("not_yet_effective", False): NOT_YET_ZH,
    ("not_yet_effective", True): NOT_YET_EN,
}
LLM_STATUS_NOTES = {
    ("expired", False): LLM_EXPIRED_NOTE_ZH,
    ("expired", True): LLM_EXPIRED_NOTE_EN,
    ("not_yet_effective", False): LLM_NOT_YET_NOTE_ZH,
    ("not_yet_effective", True): LLM_NOT_YET_NOTE_EN,
}

# A message that asks several questions: each is answered under its own heading.
PARTS_INTRO_ZH = "您一共问了 {n} 个问题，逐一回答如下："
PARTS_INTRO_EN = "You asked {n} questions; here they are one by one."
PART_ZH = "问题{n}：{question}"
PART_EN = "Question {n}: {question}"
PARTS_LEFT_ZH = "一次最多回答 {n} 个问题，以下问题还没有回答，请另行提问：{questions}"
PARTS_LEFT_EN = "I answer at most {n} questions at a time; please ask these again separately: {questions}"

# An answer about an expired policy points to the policies in force.
IN_FORCE_LEAD_ZH = "现行有效的相关政策："
IN_FORCE_LEAD_EN = "Policies in force on the same subject:"

# A follow-up ("那洪山区呢？") with no earlier turn to follow: answered about the place it names, or clarified.
CONTEXT_LOST_ZH = "之前的对话记录已经丢失（服务重启或对话超时），我看不到您前面问的内容。"
CONTEXT_LOST_EN = "The earlier part of our conversation was lost (the service restarted or the conversation timed out). "
READ_AS_ZH = "下面按“{resolved}”回答。\n"
READ_AS_EN = "Here is the answer to “{resolved}”.\n"
CLARIFY_ZH = "我还不清楚“{question}”问的是哪项政策或哪方面的支持，请把问题说完整，例如：“洪山区中小企业买算力有补贴吗？”或“OPC创业者租房有什么优惠？”"
CLARIFY_EN = "I am not sure what “{question}” refers to. Please ask the whole question, e.g. “Is there a compute subsidy for SMEs in Hongshan?”"
