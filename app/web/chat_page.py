"""The Gradio Blocks of the page: the 智能问答 chat, the 政策匹配 form and the 政策文件 reading room."""

from __future__ import annotations

from collections.abc import Callable

import gradio as gr

from app.advisor import Advisor
from app.records.feedback_store import DISLIKE_REASONS, MAX_COMMENT_CHARS, FeedbackStore
from app.records.question_log import QuestionLog
from app.web.chat_handler import ECHO_CHARS, ChatHandler
from app.web.feedback_handler import FeedbackHandler
from app.web.match_handler import FIGURE_FIELDS, OTHER_DISTRICT, UNKNOWN_DISTRICT, MatchHandler
from app.web.policy_documents import policy_full_text, policy_list

PAGE_TITLE = "武汉人工智能产业政策问答"
# The question goes into the chat at once, in the browser, before the server has it (on a slow network the
# reader sees it, with Gradio's typing dots, instead of nothing); the same HTML as `question_html`, so the
# server knows it is there. The text stays in the input box until the server takes it.
ECHO_QUESTION = """(text, messages) => {
  const question = (text || '').trim();
  if (!question) return [messages];
  const chars = Array.from(question);
  const shown = chars.length <= %d ? question : chars.slice(0, %d).join('') + `…（共 ${chars.length} 字）`;
  const escaped = shown.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;');
  const asked = {role: 'user', content: [{type: 'text', text: `<div class="pa-question">${escaped}</div>`}]};
  return [[...(messages || []), asked]];  // one output: the chat
}""" % (ECHO_CHARS, ECHO_CHARS)
# on a phone the text starts below the fold: bring it into view once it is there
SCROLL_TO_TEXT = "() => document.querySelector('#pa-policy-text')?.scrollIntoView({behavior: 'smooth', block: 'start'})"
HEADER = f"""<div class="pa-header"><h1>{PAGE_TITLE}</h1>
<p>面向创业者的政策助手：回答均摘自政策原文，并标明出自哪份文件的哪一条。</p></div>"""
FOOTNOTE = (
    '<div class="pa-footnote">本助手只依据“政策文件”页收录的文件作答，不构成申报承诺；'
    "具体条件与流程以责任单位的解释为准。</div>"
)


# The chat and its turns are also kept in the tab's sessionStorage: when the server comes back after a
# restart Gradio reloads the page, and this brings the conversation back (same tab only; page.js does the
# same for the input box).
KEEP_CHAT = """(messages, turns) => {
  if (!window.__paChatRestored) return [];  // the page's first, empty chat must not overwrite the saved one
  try { sessionStorage.setItem('policy-advisor-page', JSON.stringify({messages: messages || [], turns: turns || []})); } catch (e) {}
  return [];
}"""
RESTORE_CHAT = """() => {
  window.__paChatRestored = true;
  let chat = [[], []], typed = '';
  try {
    const saved = JSON.parse(sessionStorage.getItem('policy-advisor-page') || 'null');
    if (saved && Array.isArray(saved.messages) && Array.isArray(saved.turns)) {
      const messages = saved.messages.slice();
      // a question the server never took is back in the input box, not left unanswered in the chat
      while (messages.length && messages[messages.length - 1].role === 'user') messages.pop();
      chat = [messages, saved.turns];
    }
    typed = sessionStorage.getItem('policy-advisor-input') || '';  // kept by page.js
  } catch (e) {}
  return [...chat, typed];
}"""


def page_theme() -> gr.themes.Theme:
    """System fonts only: the page must render offline and show Chinese well."""
    return gr.themes.Soft(
        primary_hue="blue",
        font=["PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "system-ui", "sans-serif"],
        font_mono=["ui-monospace", "Menlo", "Consolas", "monospace"],
    )


def _chat_tab(
    chat: ChatHandler, feedback: FeedbackHandler, starters: list[str], max_chars: int
) -> tuple[gr.Chatbot, gr.JSON, gr.Textbox]:
    # the turns (for resolving follow-ups) live in the browser with the chat, so a server restart loses neither
    turns = gr.JSON([], visible=False, elem_id="pa-turns")
    records = gr.State({})  # chat position → what feedback on that answer stores
    chatbot = gr.Chatbot(
        label="对话",
        show_label=False,
        elem_id="pa-chat",
        height="62vh",
        min_height=320,
        layout="bubble",
        placeholder="您好！请问想了解哪方面的扶持政策？可以点下面的例子试试。",
        examples=[{"text": q} for q in starters],
        feedback_options=["Like", "Dislike"],
        buttons=["copy"],
        render_markdown=True,  # bubbles hold escaped, sanitized HTML; Markdown passes it through
        sanitize_html=True,
    )
    _rating_ui(chatbot, records, feedback)  # the 👎 reasons panel, right under the answers
    with gr.Row(elem_id="pa-input-row", equal_height=True):
        message = gr.Textbox(
            show_label=False,
            placeholder="输入您的问题，例如：洪山区买算力有补贴吗？",
            lines=1,
            max_lines=4,
            scale=5,
            min_width=150,
            elem_id="pa-message",
            autofocus=True,
            max_length=max_chars,
        )
        send = gr.Button("发送", variant="primary", scale=1, min_width=70, elem_id="pa-send")
        restart = gr.Button("重新开始", variant="secondary", scale=1, min_width=90, elem_id="pa-restart")
    gr.HTML(FOOTNOTE)

    # one concurrency group: QUEUE_CONCURRENCY answers at once in total, whichever way they were asked
    chat_io = dict(
        inputs=[message, chatbot, turns, records],
        outputs=[chatbot, turns, records, message],
        concurrency_id="answer",
        api_visibility="private",
        show_progress_on=[chatbot],  # the input box stays usable-looking while an answer streams
    )
    echo = dict(fn=None, inputs=[message, chatbot], outputs=[chatbot], js=ECHO_QUESTION, queue=False, api_visibility="private")
    submitted = message.submit(**echo).then(chat.respond, **chat_io)
    clicked = send.click(**echo).then(chat.respond, **chat_io)
    # a starter question (empty chat) or a suggested follow-up (under an answer) is asked when clicked
    picked = chatbot.example_select(_example_text, None, message, queue=False, api_visibility="private")
    picked = picked.then(**echo).then(chat.respond, **chat_io)
    suggested = chatbot.option_select(_example_text, None, message, queue=False, api_visibility="private")
    suggested = suggested.then(**echo).then(chat.respond, **chat_io)
    asking = [submitted, clicked, picked, suggested]
    restart.click(
        chat.start_over, None, [chatbot, turns, records, message], cancels=asking, queue=False, api_visibility="private"
    )

    chatbot.change(None, [chatbot, turns], None, js=KEEP_CHAT, queue=False, api_visibility="private")
    turns.change(None, [chatbot, turns], None, js=KEEP_CHAT, queue=False, api_visibility="private")

    # the chat's own 🗑 button empties the bubbles; forget the conversation with them
    chatbot.clear(lambda: ([], {}), None, [turns, records], cancels=asking, queue=False, api_visibility="private")
    return chatbot, turns, message


def _rating_ui(chatbot: gr.Chatbot, records: gr.State, feedback: FeedbackHandler) -> None:
    """👍/👎 under each answer; 👎 opens a panel asking why (fixed reasons + optional words), stored with the 👎."""
    disliked_at = gr.State(None)  # chat position of the answer the panel asks about
    with gr.Column(visible=False, variant="panel", elem_id="pa-dislike") as panel:
        reason = gr.Radio(list(DISLIKE_REASONS), label="这条回答哪里不好？", elem_id="pa-dislike-reason")
        comment = gr.Textbox(
            placeholder="补充说明（可选）",
            show_label=False,
            max_length=MAX_COMMENT_CHARS,
            lines=1,
            elem_id="pa-dislike-comment",
        )
        with gr.Row():
            submit = gr.Button("提交原因", variant="primary", size="sm", elem_id="pa-dislike-submit")
            skip = gr.Button("不用了", variant="secondary", size="sm", elem_id="pa-dislike-skip")

    def rate(records_now: dict, like: gr.LikeData):
        thanks = feedback.rate(records_now, like.index, like.liked)
        if thanks:
            gr.Info(thanks, duration=3, title="反馈已记录")
        asks_why = bool(thanks) and like.liked is False
        position = like.index[0] if isinstance(like.index, (list, tuple)) else like.index
        return gr.Column(visible=asks_why), (position if asks_why else None), None, ""

    def explain(records_now: dict, position: int | None, why: str | None, words: str):
        if position is not None and (why or words.strip()):
            thanks = feedback.rate(records_now, position, False, reason=why, comment=words)
            if thanks:
                gr.Info(thanks, duration=3, title="反馈已记录")
        return gr.Column(visible=False), None, None, ""

    closed = dict(outputs=[panel, disliked_at, reason, comment], api_visibility="private")
    chatbot.like(rate, [records], **closed)  # queued: gr.Info needs the queue
    submit.click(explain, [records, disliked_at, reason, comment], **closed)
    skip.click(lambda: (gr.Column(visible=False), None, None, ""), None, queue=False, **closed)


def _example_text(selected: gr.SelectData) -> str:
    """The question of a clicked starter ({"text": …}) or suggested follow-up (its value)."""
    value = selected.value
    return value.get("text") or value.get("value") or "" if isinstance(value, dict) else str(value)


MATCH_IDENTITIES = ["OPC", "中小企业", "初创企业", "企业", "人才", "创新团队", "运营方", "高校院所"]
MATCH_INTRO = (
    '<div class="pa-match-intro">勾选您的身份、选择注册区，有支出或数量的填上数字（可不填），'
    "即可看到现行政策中能申请的支持和可获金额。</div>"
)


def _districts(advisor: Advisor) -> list[str]:
    """The districts with a district policy in the index, then 其他区 and 不确定."""
    regions = [p.region for p in advisor.policies() if p.region.endswith("区")]
    return [*dict.fromkeys(regions), OTHER_DISTRICT, UNKNOWN_DISTRICT]


def _match_tab(advisor: Advisor, handler: MatchHandler) -> None:
    gr.HTML(MATCH_INTRO)
    with gr.Group(elem_id="pa-match-form"):
        identities = gr.CheckboxGroup(MATCH_IDENTITIES, label="我是（可多选）", elem_id="pa-match-identities")
        districts = _districts(advisor)
        district = gr.Dropdown(districts, value=UNKNOWN_DISTRICT, label="注册在", elem_id="pa-match-district", filterable=False)
        with gr.Row(elem_id="pa-match-figures"):
            figures = [
                gr.Number(label=field.label, minimum=0, value=None, min_width=150, elem_id=f"pa-match-figure-{i}")
                for i, field in enumerate(FIGURE_FIELDS)
            ]
        include_expired = gr.Checkbox(label="包含已失效政策（仅供了解）", value=False, elem_id="pa-match-expired")
    run = gr.Button("开始匹配", variant="primary", elem_id="pa-match-run")
    result = gr.HTML(elem_id="pa-match-result")
    run.click(
        handler.run, [identities, district, include_expired, *figures], result, concurrency_id="answer", api_visibility="private"
    )


def _policies_tab(advisor: Advisor) -> tuple[Callable, list[gr.components.Component]]:
    """The tab's components, and the loader that fills them (run on page load)."""
    listing = gr.HTML(elem_id="pa-policy-list")
    picker = gr.Radio(label="选择一份文件，逐条阅读全文", elem_id="pa-policy-picker")
    document = gr.HTML(elem_id="pa-policy-text")

    def refresh() -> tuple[str, dict]:
        # read on every page load, so a re-ingested corpus shows without a restart
        policies = advisor.policies()
        choices = [(f"{p.title}（{p.status_label}）", p.doc_id) for p in policies]
        return policy_list(policies), gr.Radio(choices=choices, value=None)

    def show(doc_id: str | None) -> str:
        if not doc_id:
            return ""
        policy = next((p for p in advisor.policies() if p.doc_id == doc_id), None)
        if policy is None:
            return '<div class="pa-warning">该文件已不在索引中，请刷新页面。</div>'
        return policy_full_text(policy, advisor.policy_clauses(doc_id))

    picker.change(show, picker, document, queue=False, api_visibility="private").then(
        None, js=SCROLL_TO_TEXT, api_visibility="private"
    )
    return refresh, [listing, picker]


def build_page(advisor: Advisor, store: FeedbackStore, question_log: QuestionLog | None = None) -> gr.Blocks:
    chat, feedback = ChatHandler(advisor, question_log), FeedbackHandler(store)
    # delete_cache: stray uploads to Gradio's upload route (the page takes none) are removed within the hour
    with gr.Blocks(title=PAGE_TITLE, analytics_enabled=False, delete_cache=(3600, 3600)) as page:
        gr.HTML(HEADER, elem_id="pa-header-html")
        with gr.Tabs():
            with gr.Tab("智能问答", id="chat"):
                kept = _chat_tab(chat, feedback, advisor.starter_questions(), advisor.settings.max_question_chars)
            with gr.Tab("政策匹配", id="match"):
                _match_tab(advisor, MatchHandler(advisor))
            with gr.Tab("政策文件", id="policies"):
                refresh, outputs = _policies_tab(advisor)
        page.load(refresh, None, outputs, queue=False, api_visibility="private")
        page.load(None, None, list(kept), js=RESTORE_CHAT, queue=False, api_visibility="private")
    return page
