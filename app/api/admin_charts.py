"""The admin page's plots as inline SVG built on the server: no script, no CDN (the servers may be offline).

Every number drawn is also in a `<title>` (hover) and the chart's aria-label,
and every text is escaped, though only numbers and dates reach it.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from app.records.question_reports import DayCount

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 40, 12, 14, 30
ANSWERED, REFUSED, UP, DOWN, GRID = "#2f6fb3", "#e08a1e", "#2e9b57", "#d0453c", "#dde3ea"
MAX_DAY_LABELS = 10


@dataclass(frozen=True)
class Segment:
    value: float
    colour: str
    label: str


def _svg(body: list[str], label: str, width: int = WIDTH, height: int = HEIGHT) -> str:
    return (
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}" '
        f'xmlns="http://www.w3.org/2000/svg" font-size="12" font-family="sans-serif">' + "".join(body) + "</svg>"
    )


def _nice_top(value: float) -> float:
    """The y-axis top: four grid steps of 1, 2 or 5 × 10ⁿ, so a count axis reads in whole numbers."""
    scale = 1.0
    while True:
        for m in (1, 2, 5):
            if 4 * m * scale >= value:
                return 4 * m * scale
        scale *= 10


def _day_columns(days: list[DayCount], top: float, stacks: list[list[Segment]], percent: bool) -> list[str]:
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    body = []
    for i in range(5):  # grid lines and y labels
        value = top * i / 4
        y = TOP + plot_h - plot_h * i / 4
        shown = f"{value:.0%}" if percent else f"{value:g}"
        body.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        body.append(f'<text x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end" fill="#555">{shown}</text>')
    slot = plot_w / max(len(days), 1)
    every = max(1, -(-len(days) // MAX_DAY_LABELS))
    for i, (day, stack) in enumerate(zip(days, stacks)):
        bar_w = min(slot * 0.7, 48)
        x, y = LEFT + i * slot + (slot - bar_w) / 2, TOP + plot_h
        tip = escape(f"{day.day.isoformat()}：" + "，".join(f"{s.label} {s.value:.0%}" if percent else f"{s.label} {s.value:g}" for s in stack))
        body.append(f"<g><title>{tip}</title>")
        for segment in stack:
            h = plot_h * segment.value / top if top else 0
            y -= h
            body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{segment.colour}"/>')
        body.append("</g>")
        if i % every == 0:
            cx = LEFT + i * slot + slot / 2
            body.append(f'<text x="{cx:.1f}" y="{HEIGHT - 10}" text-anchor="middle" fill="#555">{day.day:%m-%d}</text>')
    return body


def questions_per_day(days: list[DayCount]) -> str:
    """Stacked columns: answered and refused questions each day."""
    top = _nice_top(max((d.asked for d in days), default=0))
    stacks = [[Segment(d.asked - d.refused, ANSWERED, "已回答"), Segment(d.refused, REFUSED, "未回答")] for d in days]
    total = sum(d.asked for d in days)
    return _svg(_day_columns(days, top, stacks, percent=False), f"每日提问数，共 {total} 条，{len(days)} 天")


def refusal_rate_per_day(days: list[DayCount]) -> str:
    """Columns: the share of each day's questions that were refused (days without questions stay empty)."""
    stacks = [[Segment(d.refusal_rate, REFUSED, "未回答率")] for d in days]
    refused, asked = sum(d.refused for d in days), sum(d.asked for d in days)
    overall = refused / asked if asked else 0.0
    return _svg(_day_columns(days, 1.0, stacks, percent=True), f"每日未回答率，总体 {overall:.0%}")


def rating_share(up: int, down: int) -> str:
    """One bar split into 👍 (好评) and 👎 (差评); the page writes the counts beside it in HTML."""
    width, height = WIDTH, 28
    rated = up + down
    if not rated:
        return _svg([f'<rect width="{width}" height="{height}" fill="{GRID}"/>'], "还没有评价", width, height)
    up_w = width * up / rated
    body = [
        f'<g><title>好评 {up}（{up / rated:.0%}）</title><rect width="{up_w:.1f}" height="{height}" fill="{UP}"/></g>',
        f'<g><title>差评 {down}（{down / rated:.0%}）</title>'
        f'<rect x="{up_w:.1f}" width="{width - up_w:.1f}" height="{height}" fill="{DOWN}"/></g>',
    ]
    return _svg(body, f"好评 {up} 条，差评 {down} 条", width, height)
