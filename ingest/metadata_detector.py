"""Find a policy's manifest metadata in its own text: title, 文号, issuer, dates.

Chinese government documents state these in set phrases, which is what is
looked for (and nothing is guessed beyond them):
- title: the 《…》 of "关于印发《…》的通知" when that name stands on a line of its
  own, else a line (or two wrapped lines) near the top ending in 措施/办法/政策 …;
- document number: "洪政规〔2025〕2号" (also with [] 【】 （） brackets, normalised to 〔〕);
- issuer: the "…人民政府文件" masthead, a signature line above a date, or "…印发《》";
- issued: the 成文日期 (a date alone on a line after the signature), or the
  "…办公室 2025年8月12日印发" line;
- effective_from / valid_until: "自2025年9月12日起施行，有效期至2027年12月31日",
  "自印发之日起施行", "自公布之日起30日后施行", "有效期3年";
- region: the district or city in the issuer's name.
What a web page states outside its text (meta tags, 发文机关/成文日期 lines) is used
when the text does not say it. Whatever is not found is listed for the maintainer.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ingest.importers.imported_text import ImportedText

_POLICY_ENDINGS = ("措施", "办法", "政策", "细则", "规定", "方案", "意见", "指引", "规划", "条例", "决定", "通知", "指南", "计划")
_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUM = r"[0-9〇○零一二三四五六七八九十]"
DATE = rf"({_NUM}{{4}})\s*年\s*({_NUM}{{1,3}})\s*月\s*({_NUM}{{1,3}})\s*日"
_ISO_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_DATE_LINE = re.compile(rf"^\s*{DATE}\s*$")
_DOC_NUMBER = re.compile(r"([\u4e00-\u9fff]{1,12})\s*[〔\[［【(（]\s*(\d{4})\s*[〕\]］】)）]\s*(\d{1,4})\s*号")
_NOTICE = re.compile(r"印发\s*《([^》]{4,80})》")
_MASTHEAD = re.compile(r"^\s*#*\s*([\u4e00-\u9fff]{2,30}?)文件\s*$")
_ISSUER_NAME = re.compile(r"^[\u4e00-\u9fff]{2,30}(人民政府|办公厅|办公室|委员会|局|厅|委|政府)$")
_PRINTED = re.compile(rf"^\s*([\u4e00-\u9fff]{{2,30}}?)\s*{DATE}\s*印发\s*$")
_ISSUED_NEWS = re.compile(r"([\u4e00-\u9fff]{2,30}?(?:人民政府|办公厅|办公室|委员会|局))\s*印发\s*《")
_EFFECTIVE = re.compile(rf"自\s*{DATE}\s*起\s*(?:施行|实施|执行|生效)")
_EFFECTIVE_ON_ISSUE = re.compile(r"自\s*(?:印发|发布|公布)之日起\s*(?:施行|实施|执行|生效)")
_EFFECTIVE_AFTER = re.compile(r"自\s*(?:印发|发布|公布)之日起\s*(\d{1,3})\s*日后\s*(?:施行|实施|执行|生效)")
_VALID_UNTIL = re.compile(rf"有效期(?:至|到|截至)\s*{DATE}")
_VALID_YEARS = re.compile(r"有效期(?:为)?\s*([0-9一二三四五六七八九十两]{1,2})\s*年")
_REGION = re.compile(r"(?:[\u4e00-\u9fff]{2,3}市)?([\u4e00-\u9fff]{2,4}?[区县])(?:人民政府|政府|委员会|办公室|$)|([\u4e00-\u9fff]{2,4}?[市省])")

FIELDS = ("title", "doc_number", "issuer", "region", "issued", "effective_from", "valid_until")


@dataclass
class DetectedMetadata:
    """What the text says about itself; `found_in` says where each value came from, for review."""

    title: str = ""
    doc_number: str = ""
    issuer: str = ""
    region: str = ""
    issued: dt.date | None = None
    effective_from: dt.date | None = None
    valid_until: dt.date | None = None
    found_in: dict[str, str] = field(default_factory=dict)

    @property
    def missing(self) -> list[str]:
        """The fields the text did not give (keywords are always left to the maintainer)."""
        return [name for name in FIELDS if not getattr(self, name)]


def detect_metadata(imported: ImportedText) -> DetectedMetadata:
    text, hints = imported.text, imported.hints
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    found = DetectedMetadata()
    _set(found, "title", *_title(lines, imported.title_hint))
    _set(found, "doc_number", *_doc_number(lines, hints))
    _set(found, "issuer", *_issuer(lines, text, hints))
    _set(found, "region", *_region(found.issuer))
    _set(found, "issued", *_issued(lines, hints))
    _set(found, "effective_from", *_effective_from(text, found.issued))
    _set(found, "valid_until", *_valid_until(text, found.effective_from))
    return found


def _set(found: DetectedMetadata, name: str, value: object, where: str) -> None:
    if value:
        setattr(found, name, value)
        found.found_in[name] = where


def parse_date(text: str) -> dt.date | None:
    """"2025年8月12日", "二〇二五年八月十二日", "2025-08-12" or "2025.8.12" as a date; None when invalid."""
    match = re.search(DATE, text) or _ISO_DATE.search(text)
    if not match:
        return None
    try:
        return dt.date(*(_number(part) for part in match.groups()))
    except ValueError:
        return None


def _number(text: str) -> int:
    """Arabic or Chinese numerals: "2025", "二〇二五", "十二", "二十一"."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, units = text.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(units, 0) if units else 0)
    return int("".join(str(_CN_DIGITS[ch]) for ch in text))


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _title(lines: list[str], hint: str) -> tuple[str, str]:
    flat_lines = {_flat(line) for line in lines}
    for match in _NOTICE.finditer("\n".join(lines[:40])):
        name = _flat(match.group(1))
        if name in flat_lines or _wrapped_title_at(lines, name):
            return name, "印发《…》 and its own line"
    hint = _flat(hint)
    if hint:
        inner = _NOTICE.search(hint)
        name = _flat(inner.group(1)) if inner else hint
        return name, "the page's title" if name in flat_lines else "the page's title (added as the first line)"
    head = lines[:25]
    for i, line in enumerate(head):
        if _is_title_line(line):
            before = head[i - 1] if i else ""
            if _title_start(before) and _is_title_line(before + line):
                return _flat(before + line), "a title over two lines near the top"
            return _flat(line), "a title line near the top"
    return "", ""


def _title_start(line: str) -> bool:
    """Can this line be the first half of a title wrapped over two lines?"""
    return (len(line) >= 4 and not re.search(r"[。，；：:、]", line) and not line.endswith(_POLICY_ENDINGS)
            and not _DOC_NUMBER.search(line) and not _MASTHEAD.match(line) and not _DATE_LINE.match(line))


def _wrapped_title_at(lines: list[str], name: str) -> bool:
    return any(_flat(a + b) == name for a, b in zip(lines, lines[1:]))


def _is_title_line(line: str) -> bool:
    line = _flat(line)
    return 6 <= len(line) <= 60 and line.endswith(_POLICY_ENDINGS) and not re.search(r"[。，；：:]", line) and "印发" not in line


def _doc_number(lines: list[str], hints: dict[str, str]) -> tuple[str, str]:
    if hints.get("doc_number") and (m := _DOC_NUMBER.search(hints["doc_number"])):
        return f"{m.group(1)}〔{m.group(2)}〕{m.group(3)}号", "the page's 发文字号"
    for line in lines[:30]:
        if "《" in line:
            continue  # a number quoted with another document's title is not this one's
        if m := _DOC_NUMBER.search(line):
            return f"{m.group(1)}〔{m.group(2)}〕{m.group(3)}号", "the document head"
    return "", ""


def _issuer(lines: list[str], text: str, hints: dict[str, str]) -> tuple[str, str]:
    for line in lines[:5]:
        if m := _MASTHEAD.match(line):
            return m.group(1), "the masthead (…文件)"
    for above, below in zip(reversed(lines[:-1]), reversed(lines[1:])):
        if _ISSUER_NAME.match(_flat(above)) and _DATE_LINE.match(below):
            return _flat(above), "the signature above the date"
    if hints.get("issuer"):
        return hints["issuer"], "the page's 发文机关/来源"
    if m := _ISSUED_NEWS.search(text):
        return m.group(1), "…印发《…》"
    return "", ""


def _region(issuer: str) -> tuple[str, str]:
    if not issuer:
        return "", ""
    m = _REGION.search(issuer)
    if not m:
        return "", ""
    return (m.group(1) or m.group(2)), "the issuer's name"


def _issued(lines: list[str], hints: dict[str, str]) -> tuple[dt.date | None, str]:
    if hints.get("written") and (day := parse_date(hints["written"])):
        return day, "the page's 成文日期"
    for above, below in zip(lines, lines[1:]):
        if _ISSUER_NAME.match(_flat(above)) and _DATE_LINE.match(below) and (day := parse_date(below)):
            return day, "the date under the signature"
    for line in lines:
        if _PRINTED.match(line) and (day := parse_date(line)):
            return day, "the …印发 line"
    if hints.get("published") and (day := parse_date(hints["published"])):
        return day, "the page's publication date"
    return None, ""


def _effective_from(text: str, issued: dt.date | None) -> tuple[dt.date | None, str]:
    if m := _EFFECTIVE.search(text):
        return parse_date(m.group(0)), "自…起施行"
    if issued and _EFFECTIVE_ON_ISSUE.search(text):
        return issued, "自印发之日起施行 (the issue date)"
    if issued and (m := _EFFECTIVE_AFTER.search(text)):
        return issued + dt.timedelta(days=int(m.group(1))), f"自公布之日起{m.group(1)}日后施行 (from the issue date)"
    return None, ""


def _valid_until(text: str, effective_from: dt.date | None) -> tuple[dt.date | None, str]:
    if m := _VALID_UNTIL.search(text):
        return parse_date(m.group(0)), "有效期至…"
    if effective_from and (m := _VALID_YEARS.search(text)):
        years = _number(m.group(1).replace("两", "二"))
        try:
            end = effective_from.replace(year=effective_from.year + years) - dt.timedelta(days=1)
        except ValueError:  # 29 February
            end = effective_from.replace(year=effective_from.year + years, day=28)
        return end, f"有效期{m.group(1)}年 (from the effective date)"
    return None, ""
