"""A web page saved from a government site (.html/.htm) → the plain text of its article.

BeautifulSoup (with lxml) reads the page in whatever encoding it declares (GBK is
common). Everything that is not the article goes: scripts, styles, forms, frames,
<nav>/<header>/<footer>/<aside>, and blocks whose id or class names navigation,
breadcrumbs, sidebars, share buttons, footers or related links. The article is the
block with the most Chinese text outside links, narrowed to a child that holds
almost all of it. Only text leaves: no tag, attribute, script or link target
reaches the corpus. Tables become rows (`ingest.table_rows`).

Government pages state the title, publisher and date in <meta> tags (ArticleTitle,
ContentSource, PubDate) or in a line above the article; those become hints for
the metadata detector.
"""

from __future__ import annotations

import re
from pathlib import Path

from ingest.importers.imported_text import ImportedText, ImportRefused
from ingest.importers.plain_lines import cjk_chars, plain_text
from ingest.table_rows import table_lines

MIN_ARTICLE_CJK = 40  # fewer Chinese characters than this is no article
_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "frame", "form", "button", "input", "select",
              "textarea", "svg", "canvas", "nav", "header", "footer", "aside", "object", "embed", "link", "meta")
_NOISE_WORDS = {"nav", "navbar", "menu", "footer", "foot", "header", "head", "breadcrumb", "crumb", "crumbs", "share",
                "sidebar", "side", "aside", "related", "relevant", "toolbar", "tools", "copyright", "bottom", "topbar",
                "search", "login", "qrcode", "ewm", "location", "position", "print", "links", "friendlink", "sitemap"}
_BLOCKS = {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt",
           "dd", "blockquote", "pre", "center", "table", "tbody", "thead", "tr", "body", "td", "th"}
_CONTAINERS = ("article", "main", "div", "section", "td", "body")
_META_HINTS = {"articletitle": "title", "contentsource": "issuer", "pubdate": "published", "firstimgsrc": ""}
_SITE_SUFFIX = re.compile(r"\s*[-_|｜—]+\s*[^-_|｜—]*$")


def import_html(path: Path) -> ImportedText:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(path.read_bytes(), "lxml")
    hints = {**_info_line_hints(soup.get_text(" ")), **_meta_hints(soup)}
    title = hints.pop("title", "") or _heading_title(soup) or _page_title(soup)
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(_is_noise):
        tag.decompose()
    article = _main_block(soup)
    if article is None or cjk_chars(article.get_text()) < MIN_ARTICLE_CJK:
        raise ImportRefused(f"{path.name}: no main text found in the page (only navigation, links or too little text)")
    text = plain_text(_block_lines(article))
    return ImportedText(text=text, source_format="html", title_hint=title, hints=hints)


def _meta_hints(soup) -> dict[str, str]:
    hints: dict[str, str] = {}
    for meta in soup.find_all("meta"):
        key = _META_HINTS.get(str(meta.get("name", "")).lower())
        if key and meta.get("content", "").strip():
            hints[key] = meta["content"].strip()
    return hints


_INFO_LINES = {
    "issuer": re.compile(r"(?:发文机关|发布机构|发文单位|来源)[：:]\s*([\u4e00-\u9fff]{2,30})"),
    "doc_number": re.compile(r"(?:发文字号|文号)[：:]\s*(\S{2,20}?号)"),
    "written": re.compile(r"成文日期[：:]\s*(\d{4}\s*[-年/.]\s*\d{1,2}\s*[-月/.]\s*\d{1,2}日?)"),
    "published": re.compile(r"(?:发布日期|发布时间|日期)[：:]\s*(\d{4}\s*[-年/.]\s*\d{1,2}\s*[-月/.]\s*\d{1,2}日?)"),
}


def _info_line_hints(page_text: str) -> dict[str, str]:
    """The "发文机关：… 成文日期：…" lines government pages print around an article."""
    hints: dict[str, str] = {}
    for key, pattern in _INFO_LINES.items():
        if match := pattern.search(page_text):
            hints[key] = match.group(1).strip()
    return hints


def _heading_title(soup) -> str:
    heading = soup.find("h1")
    return heading.get_text("", strip=True) if heading else ""


def _page_title(soup) -> str:
    """<title> without the site name after a dash or bar ("…若干措施_武汉市人民政府")."""
    title = soup.title.get_text(strip=True) if soup.title else ""
    return _SITE_SUFFIX.sub("", title) if cjk_chars(title) else ""


def _is_noise(tag) -> bool:
    if tag.name in ("html", "body") or tag.attrs is None:
        return False
    names = " ".join([*tag.get("class", []), str(tag.get("id", ""))]).lower()
    return any(word in _NOISE_WORDS for word in re.split(r"[^a-z]+", names))


def _main_block(soup):
    """The container with the most Chinese text outside links, narrowed while one child holds ≥ 85% of it."""
    best, best_score = None, 0
    for tag in soup.find_all(_CONTAINERS):
        score = _own_text_score(tag)
        if score > best_score:
            best, best_score = tag, score
    while best is not None:
        children = [c for c in best.find_all(_CONTAINERS, recursive=False)]
        heavy = [c for c in children if _own_text_score(c) >= 0.85 * best_score]
        if len(heavy) != 1:
            break
        best = heavy[0]
    return best


def _own_text_score(tag) -> int:
    """Chinese characters in the block minus those inside links (a link list is navigation)."""
    linked = sum(cjk_chars(a.get_text()) for a in tag.find_all("a"))
    return cjk_chars(tag.get_text()) - 2 * linked


def _block_lines(root) -> list[str]:
    """Text of the block, a line per block-level element or <br>, tables as rows."""
    from bs4 import NavigableString, Tag

    lines: list[str] = [""]

    def walk(node) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                if type(child).__name__ in ("Comment", "Doctype", "CData", "ProcessingInstruction", "Declaration"):
                    continue
                lines[-1] += str(child).replace("\n", " ")
            elif isinstance(child, Tag):
                if child.name == "br":
                    lines.append("")
                elif child.name == "table" and _is_data_table(child):
                    lines.extend(table_lines(_table_rows(child)))
                    lines.append("")
                elif child.name in _BLOCKS:
                    lines.append("")
                    walk(child)
                    lines.append("")
                else:
                    walk(child)

    walk(root)
    return lines


def _is_data_table(table) -> bool:
    """A table of values (rows of short cells), not a page-layout table holding paragraphs."""
    if table.find("table") is not None:
        return False
    cells = table.find_all(("td", "th"))
    return len(table.find_all("tr")) >= 2 and all(len(c.get_text(strip=True)) <= 200 and c.find("p") is None for c in cells)


def _table_rows(table) -> list[list[str | None]]:
    """Cells per row; a cell spanning several columns is given once (None for the rest of its span)."""
    rows: list[list[str | None]] = []
    for tr in table.find_all("tr"):
        cells: list[str | None] = []
        for cell in tr.find_all(("td", "th"), recursive=False):
            cells.append(cell.get_text(" ", strip=True))
            span = int(cell.get("colspan", 1)) if str(cell.get("colspan", "1")).isdigit() else 1
            cells.extend([None] * (span - 1))
        rows.append(cells)
    return rows
