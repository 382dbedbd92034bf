"""The admin page's HTML (Chinese): the login form, and the dashboard of what founders asked.

Questions are whatever visitors typed, HTML and control characters included:
every text from the database goes through `shown`, which escapes HTML and
turns control and direction-changing characters into visible marks, so the
page shows exactly what was stored and never runs it. The page has no script
at all; its Content-Security-Policy (set by the route) forbids one anyway.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from html import escape
from urllib.parse import urlencode

from app.api.admin_charts import questions_per_day, rating_share, refusal_rate_per_day
from app.records.question_log import SURFACES
from app.records.question_reports import DayCount, LoggedQuestion, QuestionFilter, RefusedGroup

SHOWN_ROWS = 100  # rows per list; the export has them all
SURFACE_ZH = {"page": "网页", "widget": "挂件", "api": "API"}
_INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")


def _visible(match: re.Match[str]) -> str:
    """A control character as its Python escape (\\x1b, \\u202e): readable in any font."""
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(text: str | None) -> str:
    """Stored text made safe to put in HTML: escaped, control and bidi characters made visible."""
    return escape(_INVISIBLE.sub(_visible, text or ""), quote=True)


STYLE = """
*{box-sizing:border-box}body{margin:0;font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;color:#1d2733;background:#f4f6f9}
header{background:#1f4e86;color:#fff;padding:12px 20px;display:flex;justify-content:space-between;align-items:center;gap:12px}
header h1{font-size:20px;margin:0}main{max-width:1200px;margin:0 auto;padding:16px}
section{background:#fff;border:1px solid #dde3ea;border-radius:8px;padding:14px 16px;margin-bottom:16px}
h2{font-size:17px;margin:0 0 10px}.note{color:#5a6573;font-size:13px}
form.filters{display:flex;flex-wrap:wrap;gap:10px;align-items:flex-end}
label{display:flex;flex-direction:column;font-size:13px;gap:4px}
input,select,button{font:inherit;padding:6px 8px;border:1px solid #b8c2cd;border-radius:4px;background:#fff}
button,.button{background:#1f4e86;color:#fff;border-color:#1f4e86;cursor:pointer;text-decoration:none;padding:6px 12px;border-radius:4px;display:inline-block}
header button{background:#fff;color:#1f4e86}
.totals{display:flex;flex-wrap:wrap;gap:12px}.totals div{background:#eef3f9;border-radius:6px;padding:8px 14px;min-width:120px}
.totals b{display:block;font-size:22px}.charts{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:16px}
.chart-box{overflow-x:auto}.chart{width:100%;min-width:520px;height:auto}.share .chart{min-width:0;display:block}.legend{display:flex;justify-content:space-between;margin:8px 0 0}.up{color:#2e9b57}.down{color:#d0453c}
table{border-collapse:collapse;width:100%;font-size:14px}th,td{border-bottom:1px solid #e6eaef;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f0f3f7;white-space:nowrap}td.q{word-break:break-all;min-width:12em}.table-box{overflow-x:auto}
.error{background:#fdecea;border:1px solid #f5c2bd;color:#8a1c12;padding:10px 14px;border-radius:6px;margin-bottom:16px}
.login{max-width:360px;margin:12vh auto;background:#fff;border:1px solid #dde3ea;border-radius:8px;padding:24px}
.login form{display:flex;flex-direction:column;gap:12px}
@media (max-width:760px){.charts{grid-template-columns:minmax(0,1fr)}header h1{font-size:17px}main{padding:10px}}
"""


def _document(title: str, body: str) -> str:
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="referrer" content="no-referrer"><title>{escape(title)}</title><style>{STYLE}</style></head>'
        f"<body>{body}</body></html>"
    )


def login_page(message: str | None = None) -> str:
    """The sign-in form; the token is posted in the body, never put in the URL."""
    error = f'<p class="error" role="alert">{escape(message)}</p>' if message else ""
    return _document(
        "政策小助手 · 管理后台登录",
        '<div class="login"><h1>政策小助手 · 管理后台</h1>'
        f"{error}"
        '<form method="post" action="/admin/login">'
        '<label>管理口令<input type="password" name="token" autocomplete="current-password" required autofocus></label>'
        '<button type="submit">登录</button></form>'
        '<p class="note">口令即服务端的 ADMIN_TOKEN。登录后保持 8 小时。</p></div>',
    )


@dataclass(frozen=True)
class Dashboard:
    where: QuestionFilter
    rows: list[LoggedQuestion]
    days: list[DayCount]
    unanswered: list[RefusedGroup]
    disliked: list[LoggedQuestion]
    sites: list[str]  # embedding sites seen, for the filter's suggestions
    problem: str | None = None  # a filter that could not be read, or the database being down


def _filters_form(where: QuestionFilter, sites: list[str]) -> str:
    options = ['<option value="">全部</option>'] + [
        f'<option value="{s}"{" selected" if where.surface == s else ""}>{SURFACE_ZH[s]}（{s}）</option>' for s in SURFACES
    ]
    suggestions = "".join(f'<option value="{shown(site)}">' for site in sites)
    return (
        '<form class="filters" method="get" action="/admin">'
        f'<label>开始日期<input type="date" name="since" value="{where.since or ""}"></label>'
        f'<label>结束日期<input type="date" name="until" value="{where.until or ""}"></label>'
        f'<label>渠道<select name="surface">{"".join(options)}</select></label>'
        f'<label>嵌入站点<input type="text" name="origin" list="sites" placeholder="https://…" value="{shown(where.origin)}"></label>'
        f'<datalist id="sites">{suggestions}</datalist>'
        '<button type="submit">筛选</button><a class="button" href="/admin">清除筛选</a></form>'
    )


def _filter_query(where: QuestionFilter, **extra: str) -> str:
    values = {"since": where.since, "until": where.until, "surface": where.surface, "origin": where.origin, **extra}
    return urlencode({k: str(v) for k, v in values.items() if v})


def _when(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def _where_from(row: LoggedQuestion) -> str:
    surface = SURFACE_ZH.get(row.surface, row.surface)
    return shown(f"{surface} · {row.origin}" if row.origin else surface)


def _unanswered_table(groups: list[RefusedGroup]) -> str:
    if not groups:
        return '<p class="note">这段时间没有未回答的问题。</p>'
    lines = []
    for group in groups[:SHOWN_ROWS]:
        newest = max(group.questions, key=lambda q: q.asked_at)
        others = "".join(f"<li>{shown(q.searched)}</li>" for q in group.questions[1:4])
        more = f'<ul class="note">{others}</ul>' if others else ""
        ids = ", ".join(f"#{q.id}" for q in group.questions[:8])
        lines.append(
            f'<tr><td>{len(group.questions)}</td><td class="q">{shown(group.example)}{more}</td>'
            f"<td>{_where_from(newest)}</td><td>{_when(newest.asked_at)}</td><td class=note>{ids}</td></tr>"
        )
    return (
        '<div class="table-box"><table id="unanswered"><thead><tr><th>次数</th><th>问题（相近问法归为一组）</th>'
        f"<th>最近来源</th><th>最近时间 (UTC)</th><th>编号</th></tr></thead><tbody>{''.join(lines)}</tbody></table></div>"
    )


def _disliked_table(rows: list[LoggedQuestion]) -> str:
    if not rows:
        return '<p class="note">这段时间没有差评。</p>'
    lines = [
        f'<tr><td>{_when(r.asked_at)}</td><td class="q">{shown(r.question)}</td><td>{shown(r.reason) or "—"}</td>'
        f'<td class="q">{shown(r.comment) or "—"}</td><td>{_where_from(r)}</td>'
        f'<td>{"—" if r.strength is None else f"{r.strength:.2f}"}</td><td class=note>#{r.id}</td></tr>'
        for r in rows[:SHOWN_ROWS]
    ]
    return (
        '<div class="table-box"><table id="disliked"><thead><tr><th>时间 (UTC)</th><th>问题</th><th>原因</th><th>补充说明</th>'
        f"<th>来源</th><th>证据强度</th><th>编号</th></tr></thead><tbody>{''.join(lines)}</tbody></table></div>"
    )


def _more_note(count: int) -> str:
    return f'<p class="note">共 {count} 条，只显示前 {SHOWN_ROWS} 条；完整数据请导出。</p>' if count > SHOWN_ROWS else ""


def _legend(up: int, down: int) -> str:
    rated = up + down
    if not rated:
        return '<p class="note">这段时间还没有评价。</p>'
    return (
        f'<p class="legend"><span class="up">好评 {up}（{up / rated:.0%}）</span>'
        f'<span class="down">差评 {down}（{down / rated:.0%}）</span></p>'
    )


def dashboard_page(view: Dashboard) -> str:
    rows = view.rows
    asked, refused = len(rows), sum(r.refused for r in rows)
    up, down = sum(r.rating == "up" for r in rows), sum(r.rating == "down" for r in rows)
    problem = f'<p class="error" role="alert">{escape(view.problem)}</p>' if view.problem else ""
    totals = (
        f'<div class="totals"><div>提问<b>{asked}</b></div><div>未回答<b>{refused}</b>'
        f"{f'{refused / asked:.0%}' if asked else '—'}</div><div>好评<b>{up}</b></div><div>差评<b>{down}</b></div></div>"
    )
    export = (
        f'<a class="button" href="/admin/export?{_filter_query(view.where, format="csv")}" download>导出 CSV</a> '
        f'<a class="button" href="/admin/export?{_filter_query(view.where, format="jsonl")}" download>导出 JSONL</a>'
        '<p class="note">导出当前筛选范围内的全部提问（每条一行，含评价与原因），与命令 <code>policy-advisor questions --export</code> 的文件相同。</p>'
    )
    body = (
        '<header><h1>政策小助手 · 提问管理</h1><form method="post" action="/admin/logout"><button type="submit">退出登录</button></form></header>'
        f"<main>{problem}"
        f'<section aria-label="筛选"><h2>筛选</h2>{_filters_form(view.where, view.sites)}'
        '<p class="note">日期按 UTC 计。</p></section>'
        f'<section aria-label="概览"><h2>概览</h2>{totals}</section>'
        '<div class="charts">'
        f'<section><h2>每日提问数</h2><p class="note">蓝：已回答　橙：未回答</p><div class="chart-box">{questions_per_day(view.days)}</div></section>'
        f'<section><h2>每日未回答率</h2><div class="chart-box">{refusal_rate_per_day(view.days)}</div></section>'
        "</div>"
        f'<section class="share"><h2>好评 / 差评占比</h2><div class="chart-box">{rating_share(up, down)}</div>{_legend(up, down)}</section>'
        f'<section><h2>未回答的问题</h2>{_unanswered_table(view.unanswered)}{_more_note(len(view.unanswered))}</section>'
        f'<section><h2>差评及原因</h2>{_disliked_table(view.disliked)}{_more_note(len(view.disliked))}</section>'
        f'<section><h2>导出</h2>{export}</section>'
        "</main>"
    )
    return _document("政策小助手 · 提问管理", body)
