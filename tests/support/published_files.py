"""Real published-policy files, made by the tests: a Word document, a two-page PDF, a saved web page.

Each is shaped like the real thing: the Word file has a masthead, a notice, a title
heading, numbered measures, a table of award levels, responsible-units lines and a
page footer; the PDF has a Chinese text layer (reportlab's built-in CID font
STSong-Light, so no font file is needed), a running header, page numbers, a table
drawn with rules and a sentence cut by the page break; the web page has navigation,
a breadcrumb, a sidebar of links, share buttons, a footer and scripts around the
article.
"""

from __future__ import annotations

from pathlib import Path

DOCX_TITLE = "武汉市支持具身智能机器人产业发展若干措施"
PDF_TITLE = "洪山区支持智能网联汽车产业发展若干措施"
HTML_TITLE = "武汉市人工智能创新团队认定奖励办法"

AWARD_TABLE = [["级别", "奖励", "说明"], ["国家级", "80万元", "一次性奖励"], ["省级", "40万元", "一次性奖励"], ["市级", "15万元", "逐级认定的给予差额奖励"]]


def make_docx(path: Path) -> Path:
    """A notice with the policy: masthead, 文号, signature, numbered measures, a table, units lines."""
    import docx

    document = docx.Document()
    footer = document.sections[0].footer.paragraphs[0]
    footer.text = "— 1 —"
    for line in ("武汉市经济和信息化局文件", "武经信规〔2026〕3号", f"市经信局关于印发《{DOCX_TITLE}》的通知",
                 "各区人民政府，市直各部门：", f"《{DOCX_TITLE}》已经市人民政府同意，现印发给你们，请认真贯彻执行。",
                 "武汉市经济和信息化局", "2026年4月20日"):
        document.add_paragraph(line)
    document.add_heading(DOCX_TITLE, level=0)
    document.add_paragraph("为加快具身智能机器人产业发展，培育新质生产力，结合我市实际，制定本措施。")
    document.add_paragraph("一、支持整机研发。对具身智能机器人整机企业年度研发投入给予10%补贴，每家企业每年最高不超过300万元。")
    document.add_paragraph("（责任单位：市经信局）")
    document.add_paragraph("二、奖励首台（套）产品。对入选国家级、省级、市级首台（套）重大技术装备目录的机器人产品，按下表给予研制企业奖励：")
    table = document.add_table(rows=len(AWARD_TABLE), cols=3)
    table.style = "Table Grid"
    for row, values in zip(table.rows, AWARD_TABLE):
        for cell, value in zip(row.cells, values):
            cell.text = value
    document.add_paragraph("同一产品按最高级别奖励一次。")
    document.add_paragraph("（责任单位：市经信局、市财政局）")
    document.add_paragraph("三、开放应用场景")
    document.add_paragraph("（一）示范场景。每年遴选不超过20个具身智能机器人示范应用场景，单个场景给予最高50万元支持。")
    document.add_paragraph("（二）场景对接。定期发布场景机会清单，组织供需对接活动。")
    document.add_paragraph("（责任单位：市科创局，各区人民政府）")
    document.add_paragraph("四、加强人才引育。对机器人企业引进的高层次人才，按照武汉英才计划给予支持。（责任单位：市人才工作局）")
    document.add_paragraph("本措施自2026年5月1日起施行，有效期至2028年4月30日。")
    document.add_paragraph("抄送：省经信厅。")
    document.add_paragraph("武汉市经济和信息化局办公室 2026年4月20日印发")
    document.save(str(path))
    return path


# --- PDF -------------------------------------------------------------------------------------

_PDF_PARAGRAPHS = [
    ("洪山区人民政府文件", "center"),
    ("洪政规〔2026〕1号", "center"),
    (PDF_TITLE, "center"),
    ("为推动智能网联汽车产业集聚发展，支持企业开展道路测试和示范应用，结合本区实际，制定本措施。", "body"),
    ("一、支持道路测试。对在本区开展智能网联汽车道路测试的企业，按照测试里程给予补贴，每家企业每年最高不超过200万元。", "body"),
    ("（责任单位：区经科局）", "body"),
    ("二、支持车路协同建设。鼓励企业参与车路协同基础设施建设和运营，对建成并通过验收的车路协同项目，按照项目实际投资的20%给予补贴，"
     "单个项目最高给予500万元支持，同一企业每年累计支持金额不超过800万元，所需资金由区财政统筹安排，相关申报材料由区经科局另行通知。", "body"),
    ("（责任单位：区经科局、区财政局）", "body"),
    ("三、奖励测试牌照。对取得智能网联汽车测试牌照的企业，按牌照等级给予一次性奖励：", "body"),
    ("TABLE", ""),
    ("（责任单位：区经科局）", "body"),
    ("本措施自2026年6月1日起施行，有效期至2028年5月31日。", "body"),
]
PDF_TABLE = [["牌照等级", "奖励金额"], ["L4级", "60万元"], ["L3级", "30万元"]]
PDF_RUNNING_HEADER = "洪山区人民政府规范性文件"
LINES_ON_FIRST_PAGE = 10  # the car-road paragraph is cut by the page break after this many lines


def make_pdf(path: Path) -> Path:
    """Two A4 pages; the measure 二 runs over the page break; a ruled table; header and page numbers."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    font, size, leading, left, right = "STSong-Light", 12, 22, 72, 523
    pdf = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    page = 1

    def furniture() -> None:
        pdf.setFont(font, 9)
        pdf.drawCentredString(width / 2, height - 40, PDF_RUNNING_HEADER)
        pdf.drawCentredString(width / 2, 36, f"— {page} —")
        pdf.setFont(font, size)

    furniture()
    y, lines_on_page = height - 90, 0
    for text, kind in _PDF_PARAGRAPHS:
        if text == "TABLE":
            y = _draw_table(pdf, font, size, left, y)
            continue
        for i, line in enumerate(_wrap(text, font, size, right - left, 2 * size if kind == "body" else 0)):
            if page == 1 and lines_on_page == LINES_ON_FIRST_PAGE:
                pdf.showPage()
                page += 1
                furniture()
                y = height - 90
            if kind == "center":
                pdf.drawCentredString(width / 2, y, line)
            else:
                pdf.drawString(left + (2 * size if i == 0 else 0), y, line)
            y -= leading
            lines_on_page += 1
    pdf.showPage()
    pdf.save()
    return path


def _wrap(text: str, font: str, size: int, width: float, indent: float) -> list[str]:
    """Fill lines to the right margin, the first one indented (two characters for a paragraph)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines, current, limit = [], "", width - indent
    for ch in text:
        if stringWidth(current + ch, font, size) > limit:
            lines.append(current)
            current, limit = "", width
        current += ch
    return [*lines, current]


def _draw_table(pdf, font: str, size: int, left: float, top: float) -> float:
    column, row_height = 140, 24
    rows = len(PDF_TABLE)
    for r in range(rows + 1):
        pdf.line(left, top - r * row_height + 16, left + column * 2, top - r * row_height + 16)
    for c in range(3):
        pdf.line(left + c * column, top + 16, left + c * column, top - rows * row_height + 16)
    for r, values in enumerate(PDF_TABLE):
        for c, value in enumerate(values):
            pdf.drawString(left + c * column + 8, top - r * row_height, value)
    return top - rows * row_height - 12


# --- HTML ------------------------------------------------------------------------------------

HTML_PAGE = f"""<!DOCTYPE html>
<html lang="zh-CN"><head>
<meta charset="gb2312">
<meta name="ArticleTitle" content="{HTML_TITLE}">
<meta name="PubDate" content="2026-03-05 10:30">
<meta name="ContentSource" content="武汉市科学技术创新局">
<title>{HTML_TITLE}_政策文件_武汉市科学技术创新局</title>
<style>.nav{{color:red}} body{{font-family:SimSun}}</style>
<script>var _hmt = _hmt || []; document.write("统计代码：请勿删除");</script>
</head><body>
<div class="header"><div class="logo">武汉市科学技术创新局</div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/zcwj/">政策文件</a></li>
<li><a href="/hdjl/">互动交流</a></li><li><a href="/bsfw/">办事服务</a></li></ul></div>
<div class="main">
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zcwj/">政策文件</a> &gt; 规范性文件</div>
<div class="sidebar"><h3>相关文件</h3><ul>
<li><a href="/a.html">武汉市支持人工智能OPC创新发展若干措施</a></li>
<li><a href="/b.html">关于开展2026年度科技计划项目申报工作的通知</a></li>
<li><a href="/c.html">武汉市科技创新券管理办法政策解读</a></li></ul></div>
<div class="article">
<table class="xxgk"><tr><td>发文机关：武汉市科学技术创新局</td><td>成文日期：2026年3月2日</td></tr>
<tr><td>发文字号：武科规〔2026〕1号</td><td>发布日期：2026年3月5日</td></tr></table>
<h1>{HTML_TITLE}</h1>
<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a> <span>打印本页</span></div>
<div class="TRS_Editor" id="zoom">
<p>&nbsp;&nbsp;&nbsp;&nbsp;为集聚人工智能高层次创新团队，推动关键技术攻关和成果转化，制定本办法。</p>
<p>一、认定条件。团队核心成员不少于5人，带头人具有人工智能领域<a href="http://evil.example/x">正高级职称</a>或者同等水平，团队在汉全职工作满1年。</p>
<p>（责任单位：市科创局）</p>
<p>二、奖励标准。经认定的创新团队按类别给予奖励：</p>
<table border="1"><tr><th>团队类别</th><th>奖励金额</th><th>兑现方式</th></tr>
<tr><td>A类团队</td><td>200万元</td><td>分三年拨付</td></tr>
<tr><td>B类团队</td><td>100万元</td><td>分两年拨付</td></tr>
<tr><td>C类团队</td><td>50万元</td><td>一次性拨付</td></tr></table>
<p>（责任单位：市科创局、市财政局）</p>
<p>三、申报程序。市科创局每年发布申报通知，团队所在单位向所在区科创部门提交申报材料，经审核推荐后由市科创局组织评审认定。<script>alert("x")</script></p>
<p>（责任单位：市科创局，各区人民政府）</p>
<p>本办法自2026年4月1日起施行，有效期3年。</p>
</div>
<div class="related"><h4>相关链接</h4><a href="/d.html">武汉市人工智能产业发展政策汇编</a></div>
</div></div>
<div class="footer"><p>主办：武汉市科学技术创新局 版权所有 鄂ICP备00000000号</p><p>地址：武汉市江岸区 联系电话：027-00000000</p></div>
<script src="/js/share.js"></script>
</body></html>
"""


def make_html(path: Path) -> Path:
    """A saved page in GB2312, as many government sites still serve."""
    path.write_bytes(HTML_PAGE.encode("gb18030"))
    return path
