"""Rows of a table a quoted sentence announces ("按下表给予奖励："), added to the quote.

An imported table is one line per row ("级别：国家级，奖励：80万元。"). The sentence
that introduces it often matches a question best (it names the levels and the
award) but holds no amount; quoted alone it answers nothing. When a chosen
sentence ends with "：" and table rows follow it, the rows that match the question
best are quoted with it (all of them, up to `MAX_ROWS`, when none stands out).
"""

from __future__ import annotations

from ingest.table_rows import is_table_row

MAX_ROWS = 5


def announced_rows(text: str, chosen: list[tuple[float, int, int]], ranked: list[tuple[float, int, int]]) -> list[tuple[float, int, int]]:
    """(score, start, end) of the table rows that follow a chosen sentence ending in "：" and are not chosen yet."""
    by_start = sorted(ranked, key=lambda s: s[1])
    rows: list[tuple[float, int, int]] = []
    for _, start, end in chosen:
        if not text[start:end].rstrip().endswith(("：", ":")):
            continue
        following = [s for s in by_start if s[1] >= end]
        table = []
        for sentence in following:
            if not is_table_row(text[sentence[1] : sentence[2]]):
                break
            table.append(sentence)
        if table:
            best = max(score for score, _, _ in table)
            matching = [row for row in table if row[0] == best]
            rows.extend(matching if len(matching) < len(table) else table[:MAX_ROWS])
    taken = {(s, e) for _, s, e in chosen}
    return [row for row in rows if (row[1], row[2]) not in taken]
