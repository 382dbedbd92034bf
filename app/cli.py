"""`policy-advisor`: ingest the corpus, ask questions, serve the page and widget, evaluate.

Every user-facing failure (an AdvisorError) is one line on stderr and exit code 2; no traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

app = typer.Typer(add_completion=False, no_args_is_help=True, help="武汉人工智能产业政策问答助手 (policy advisor).")
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def shown(text: str | None) -> str:
    """Visitor-typed text for the terminal: Rich markup escaped, control characters (ANSI escapes …) as �."""
    return escape("".join(ch if ch.isprintable() else "�" for ch in (text or "")))


def fail(message: str, code: int = 2) -> NoReturn:
    err.print(f"[bold red]error:[/] {escape(message)}", soft_wrap=True)  # one line, however narrow the terminal
    raise typer.Exit(code)


def load_settings():
    from pydantic import ValidationError

    from policy_core.settings import Settings

    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())
        fail(f"configuration: {problems}")


def open_advisor(settings):
    """The Advisor, or a one-line error naming what to do."""
    from app.advisor import Advisor
    from policy_core.errors import AdvisorError

    try:
        return Advisor(settings)
    except AdvisorError as exc:
        fail(str(exc))


@app.command()
def ingest() -> None:
    """Build or update the index from corpus/ (embeds only what changed)."""
    from ingest.pipeline import run_ingest
    from policy_core.errors import AdvisorError

    settings = load_settings()
    try:
        report = run_ingest(settings, progress=lambda msg: err.print(f"[dim]{escape(msg)}[/]"))
    except AdvisorError as exc:
        fail(str(exc))
    if report.unchanged:
        out.print(f"index {report.version} is up to date ({report.chunks} chunks, nothing embedded)")
    else:
        out.print(
            f"index {report.version}: {report.documents} documents, {report.chunks} chunks "
            f"({report.embedded} embedded, {report.reused} reused) in {report.seconds:.1f}s"
        )


def _print_answer(result) -> None:
    from app.answer.policy_status import STATUS_LABEL_ZH

    colour = "yellow" if result.refused else "green"
    out.print(f"[bold {colour}]{escape(result.answer)}[/]\n")
    for c in result.citations:
        status_colour = {"in_force": "green", "expired": "red", "not_yet_effective": "yellow"}[c.status]
        number = f" {c.doc_number}" if c.doc_number else ""
        out.print(
            f"[bold][{c.ref}][/] 《{escape(c.doc_title)}》{escape(number)} [cyan]{escape(c.clause)}[/] "
            f"[{status_colour}]{STATUS_LABEL_ZH[c.status]}[/]"
        )
    out.print(f"[dim]{result.mode} · {result.latency_ms:.0f} ms[/]")


@app.command()
def ask(
    question: Annotated[str | None, typer.Argument(help="The question, e.g. 洪山区算力补贴怎么申请？")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object (the answer contract).")] = False,
    jsonl: Annotated[bool, typer.Option("--jsonl", help="Read one question per stdin line, print one JSON object per line.")] = False,
) -> None:
    """Ask one question (or many with --jsonl)."""
    from app.advisor import QuestionError, check_question
    from policy_core.errors import AdvisorError

    settings = load_settings()
    if not jsonl:
        try:
            check_question(question, settings.max_question_chars)  # before the index is loaded
        except AdvisorError as exc:
            fail(str(exc))
    advisor = open_advisor(settings)
    if jsonl:
        for line in sys.stdin:
            if not line.strip():
                continue
            try:
                result = advisor.ask(line.rstrip("\n"))
                print(result.model_dump_json(), flush=True)
            except QuestionError as exc:
                print(json.dumps({"question": line.rstrip("\n"), "error": str(exc)}, ensure_ascii=False), flush=True)
        return
    try:
        result = advisor.ask(question)
    except AdvisorError as exc:
        fail(str(exc))
    if as_json:
        print(result.model_dump_json())
    else:
        _print_answer(result)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Listen address (default: SERVER_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default: SERVER_PORT).")] = None,
) -> None:
    """Start the chat page, the widget and the HTTP API (one ASGI app)."""
    import uvicorn

    from app.server import create_app

    settings = load_settings()
    advisor = open_advisor(settings)
    application = create_app(settings, advisor)
    host, port = host or settings.server_host, port or settings.server_port
    out.print(f"policy advisor on http://{host}:{port}/  (widget: http://{host}:{port}/widget.js)")
    uvicorn.run(application, host=host, port=port, log_level="warning")


@app.command()
def config(markdown: Annotated[bool, typer.Option("--markdown", help="Print the README's configuration table.")] = False) -> None:
    """Show the settings (environment variables) with their defaults."""
    from policy_core.settings import PROJECT_ROOT, Settings

    rows = []
    for name, field in Settings.model_fields.items():
        default = field.default_factory() if field.default_factory else field.default
        default = str(default).replace(str(PROJECT_ROOT), ".") if default not in (None, []) else "(unset)"
        rows.append((name.upper(), default, field.description or ""))
    if markdown:
        print("| Variable | Default | Meaning |\n|---|---|---|")
        for name, default, description in rows:
            print(f"| `{name}` | `{default}` | {description} |")
    else:
        settings = load_settings()
        for name, _, description in rows:
            out.print(f"[bold]{name}[/] = {escape(str(getattr(settings, name.lower())))}  [dim]{escape(description)}[/]")


@app.command("eval")
def evaluate(
    check: Annotated[bool, typer.Option("--check", help="Exit 1 naming each metric outside eval/thresholds.toml.")] = False,
    compare: Annotated[tuple[str, str] | None, typer.Option("--compare", help="Two report JSON files A B: questions B fixed and broke.", metavar="A.json B.json")] = None,
    mode: Annotated[str, typer.Option("--mode", help="extractive (offline, default) or llm (needs LLM_BASE_URL and LLM_MODEL).")] = "extractive",
    calibrate: Annotated[bool, typer.Option("--calibrate", help="Show evidence strength in vs out of scope and recommend REFUSAL_THRESHOLD.")] = False,
    output: Annotated[str | None, typer.Option("--output", help="Folder for the report (default eval/reports).")] = None,
    name: Annotated[str | None, typer.Option("--name", help="Report file name without extension (default run-<time>-<mode>).")] = None,
    golden: Annotated[str | None, typer.Option("--golden", help="Golden questions file (default eval/golden.jsonl).")] = None,
    split: Annotated[str, typer.Option("--split", help="Rows to run: tune, test or all (default; the gate's set).")] = "all",
    thresholds: Annotated[str | None, typer.Option("--thresholds", help="Gate file (default eval/thresholds.toml).")] = None,
    retrievers: Annotated[bool, typer.Option("--retrievers/--no-retrievers", help="Also rank the evidence with BM25 only, dense only and the LangChain recipe.")] = True,
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="Show a progress bar.")] = True,
) -> None:
    """Run the golden questions: retrieval and answer metrics, a report, and the regression gate."""
    from pathlib import Path

    from eval.command import EvalOptions, run_eval
    from policy_core.errors import AdvisorError

    options = EvalOptions(mode=mode, check=check, calibrate=calibrate, progress=progress, retrievers=retrievers, split=split)  # type: ignore[arg-type]
    if compare:
        options.compare = (Path(compare[0]), Path(compare[1]))
    for field, value in (("output", output), ("golden", golden), ("thresholds", thresholds)):
        if value:
            setattr(options, field, Path(value))
    options.name = name
    try:
        code = run_eval(load_settings(), options, out, err)
    except AdvisorError as exc:
        fail(str(exc))
    raise typer.Exit(code)


def open_records(settings):
    """The records database (migrated, old ratings imported), or a one-line error naming it."""
    from sqlalchemy.exc import SQLAlchemyError

    from app.records.store import Records

    records = Records.from_settings(settings)
    try:
        records.database.ready()
    except (SQLAlchemyError, OSError) as exc:
        fail(f"cannot open the database {records.database.shown_url}: {str(exc).strip().splitlines()[0]}")
    return records


def export_path(export: str):
    from pathlib import Path

    from app.records.export_files import EXPORT_SUFFIXES

    target = Path(export)
    if target.suffix.lower() not in EXPORT_SUFFIXES:
        fail(f"--export needs a .csv or .jsonl file name, not {target.name}")
    return target


@app.command()
def feedback(
    limit: Annotated[int, typer.Option("--limit", "-n", help="How many recent ratings to print.")] = 20,
    export: Annotated[str | None, typer.Option("--export", help="Write ALL ratings to this file: .csv or .jsonl.", metavar="FILE")] = None,
) -> None:
    """Show readers' 👍/👎 on answers (newest first, with the 👎 reasons), or export them all."""
    from app.records.feedback_store import export_feedback

    settings = load_settings()
    store = open_records(settings).feedback
    if export:
        target = export_path(export)
        rows = store.recent(limit=None)
        try:
            export_feedback(rows, target)
        except OSError as exc:
            fail(f"cannot write {target}: {exc.strerror or exc}")
        out.print(f"{len(rows)} ratings written to {target}")
        return
    rows = store.recent(limit=limit)
    if not rows:
        out.print(f"no feedback yet ({store.database.shown_url})")
        return
    for row in rows:
        thumb = "[green]👍[/]" if row.rating == "up" else "[red]👎[/]"
        why = "".join(f"  [red]{shown(text)}[/]" for text in (row.reason, row.comment) if text)
        sources = "；".join(f"《{c['doc_title']}》{c['clause']}" for c in row.citations) or "无引用"
        out.print(f"{thumb} [dim]{row.created_at}[/]  [bold]{shown(row.question)}[/]{why}")
        if row.resolved_question:
            out.print(f"   [dim]检索为：{shown(row.resolved_question)}[/]")
        answer = row.answer if len(row.answer) <= 160 else row.answer[:160] + "…"
        out.print(f"   {escape(answer)}")
        out.print(f"   [cyan]{escape(sources)}[/]\n")


def _day(value: str | None, option: str):
    import datetime as dt

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"{option} needs a date like 2026-11-01, not {value!r}")


@app.command()
def questions(
    since: Annotated[str | None, typer.Option(help="First day (YYYY-MM-DD, UTC) of the range.")] = None,
    until: Annotated[str | None, typer.Option(help="Last day (YYYY-MM-DD, UTC) of the range.")] = None,
    surface: Annotated[str | None, typer.Option(help="Only questions from page, widget or api.")] = None,
    origin: Annotated[str | None, typer.Option(help="Only questions from this embedding site, e.g. https://zhengce.example.cn.")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="Rows shown per report.")] = 10,
    export: Annotated[str | None, typer.Option("--export", help="Write the questions in range to this file: .csv or .jsonl.", metavar="FILE")] = None,
    to_golden: Annotated[str | None, typer.Option("--to-golden", help="Append golden-row drafts of the --pick'ed questions to this file.", metavar="FILE")] = None,
    pick: Annotated[list[int] | None, typer.Option("--pick", help="Id of a logged question for --to-golden (repeatable).")] = None,
) -> None:
    """What founders asked: most asked topics, refused questions (grouped), 👎 with reasons, weak evidence, per surface and site."""
    from pathlib import Path

    from app.records.question_log import SURFACES
    from app.records.question_reports import QuestionFilter, export_questions, load_questions

    if surface is not None and surface not in SURFACES:
        fail(f"--surface is one of {', '.join(SURFACES)}, not {surface!r}")
    settings = load_settings()
    records = open_records(settings)
    records.questions.purge_expired()
    rows = load_questions(records.database, QuestionFilter(_day(since, "--since"), _day(until, "--until"), surface, origin))
    if to_golden:
        _draft_golden(rows, pick or [], Path(to_golden))
        return
    if export:
        target = export_path(export)
        try:
            target.write_bytes(export_questions(rows, target.suffix))
        except OSError as exc:
            fail(f"cannot write {target}: {exc.strerror or exc}")
        out.print(f"{len(rows)} questions written to {target}")
        return
    _print_question_reports(rows, limit, settings.weak_evidence_below)


def _draft_golden(rows, picked: list[int], target) -> None:
    from eval.golden_drafts import write_drafts

    if not picked:
        fail("--to-golden needs the questions to draft: --pick ID (ids are shown by `policy-advisor questions`)")
    chosen = [r for r in rows if r.id in set(picked)]
    missing = sorted(set(picked) - {r.id for r in chosen})
    if missing:
        fail(f"no logged question with id {', '.join(map(str, missing))} in the chosen range")
    try:
        count = write_drafts(chosen, target)
    except OSError as exc:
        fail(f"cannot write {target}: {exc.strerror or exc}")
    out.print(f"{count} golden-row drafts appended to {target}: fill in evidence and facts, then move them into eval/golden.jsonl")


def _print_question_reports(rows, limit: int, weak_below: float) -> None:
    from app.records.question_reports import disliked, most_asked_topics, per_surface_and_site, refused_groups, weak_evidence

    if not rows:
        out.print("no questions logged in this range")
        return
    refused = sum(r.refused for r in rows)
    out.print(f"[bold]{len(rows)} questions[/], {refused} refused ({refused / len(rows):.0%}), "
              f"{rows[0].asked_at:%Y-%m-%d} – {rows[-1].asked_at:%Y-%m-%d}\n")
    out.print("[bold]Per surface and site[/]  (asked / refused / 👍 / 👎)")
    for count in per_surface_and_site(rows):
        out.print(f"  {count.surface:<7} {shown(count.origin or '-'):<40} {count.asked:>5} {count.refused:>5} {count.up:>4} {count.down:>4}")
    out.print("\n[bold]Most asked topics[/]  (questions citing the clause)")
    for label, count in most_asked_topics(rows, limit):
        out.print(f"  {count:>5}  {shown(label)}")
    out.print("\n[bold]Unanswered (refused), grouped by similar wording[/]")
    for group in refused_groups(rows)[:limit]:
        ids = ",".join(str(q.id) for q in group.questions[:8])
        out.print(f"  {len(group.questions):>5}× {shown(group.example)}  [dim]#{ids}[/]")
    out.print("\n[bold]👎 with reasons[/]")
    for row in disliked(rows)[:limit]:
        why = "；".join(t for t in (row.reason, row.comment) if t) or "未说明"
        out.print(f"  #{row.id} [dim]{row.asked_at:%Y-%m-%d}[/] {shown(row.question)}  [red]{shown(why)}[/]")
    out.print(f"\n[bold]Weak evidence[/] (answered, strength below {weak_below})")
    for row in weak_evidence(rows, weak_below)[:limit]:
        out.print(f"  #{row.id} {row.strength:.2f}  {shown(row.searched)}")


@app.command("demo-host")
def demo_host(
    port: Annotated[int, typer.Option(help="Port of the demo site (another origin than the app).")] = 8080,
    app_url: Annotated[str, typer.Option(help="Where `policy-advisor serve` runs; the page loads APP_URL/widget.js.")] = "http://127.0.0.1:7860",
    host: Annotated[str, typer.Option(help="Listen address.")] = "127.0.0.1",
) -> None:
    """Serve the demo service-center page that embeds the widget from another origin."""
    from app.api.demo_host import make_demo_server

    try:
        server = make_demo_server(host, port, app_url)
    except (OSError, FileNotFoundError) as exc:
        fail(f"cannot serve the demo page on {host}:{port}: {exc}")
    out.print(f"demo site on http://{host}:{port}/ embedding {app_url.rstrip('/')}/widget.js")
    out.print(f"[dim]the app must allow it: ALLOWED_ORIGINS=http://{host}:{port} policy-advisor serve[/]")
    with server:
        server.serve_forever()


# --- import (issue 14): a published PDF, Word file or saved web page into corpus/ ------------


@app.command("import")
def import_file(
    path: Annotated[Path, typer.Argument(help="A .pdf (with a text layer), .docx, or .html/.htm page saved from a government site.")],
    doc_id: Annotated[str, typer.Option("--id", help="Manifest id, e.g. wuhan-robotics-2027; the text goes to corpus/ID.txt.")],
    title: Annotated[str, typer.Option(help="The policy's title, when the text does not make it clear.")] = "",
    supersedes: Annotated[str, typer.Option(help="Id of the policy this one replaces.")] = "",
    force: Annotated[bool, typer.Option("--force", help="Replace the text and entry already under this id.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the text and the entry; write nothing.")] = False,
) -> None:
    """Import a policy (PDF, Word, saved web page) into corpus/ with a manifest entry to review."""
    from ingest.document_import import plan_import, write_import
    from policy_core.errors import AdvisorError

    settings = load_settings()
    try:
        plan = plan_import(path, doc_id, settings, title=title, supersedes=supersedes)
    except AdvisorError as exc:
        fail(str(exc))
    if dry_run:
        out.print(escape(plan.text))
    out.print(escape(plan.entry))
    for name, where in plan.detected.found_in.items():
        out.print(f"[dim]{name}: from {escape(where)}[/]")
    if plan.missing:
        out.print(f"[yellow]not found, fill in by hand: {', '.join(plan.missing)}; keywords are always yours to add[/]")
    for note in plan.notes:
        out.print(f"[yellow]{escape(note)}[/]")
    out.print(f"{len(plan.clause_labels)} clauses: {escape('  '.join(plan.clause_labels[:12]))}{' …' if len(plan.clause_labels) > 12 else ''}")
    if plan.diff is not None:
        out.print(f"changes against the {escape(doc_id)} in the corpus:")
        for line in plan.diff.summary_lines():
            out.print(escape(line))
    if dry_run:
        return
    if plan.replaces and not force:
        fail(f"{doc_id!r} is already in the corpus; add --force to replace it with this version")
    target = write_import(plan, settings)
    out.print(f"wrote {target} and its entry in manifest.toml; review the entry, then run policy-advisor ingest")


# --- provisions: the reviewed table of what each clause grants --------------------------


@app.command()
def provisions(
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array, one object per provision.")] = False,
    draft: Annotated[str | None, typer.Option("--draft", help="Print rule-drafted provisions of this document as TOML for review.", metavar="DOC_ID")] = None,
) -> None:
    """List the reviewed provisions (what each clause grants), checked against the texts, per document."""
    from rich.table import Table

    if draft:
        _print_draft(draft)
        return

    from app.answer.policy_status import STATUS_LABEL_ZH
    from app.matching.provision_wording import describe_rule
    from app.matching.provision_catalog import load_catalog
    from policy_core.errors import AdvisorError

    try:
        catalog = load_catalog(load_settings())
    except AdvisorError as exc:
        fail(str(exc))
    if as_json:
        print(json.dumps(catalog.rows(), ensure_ascii=False, indent=1))
        return
    for doc_id, policy in catalog.policies.items():
        mine = [p for p in catalog.provisions if p.doc_id == doc_id]
        table = Table(title=f"《{policy.title}》 {STATUS_LABEL_ZH[policy.status]} · {len(mine)} 项", title_justify="left", show_lines=True)
        for column in ("条款", "对象", "用途", "形式", "金额规则", "责任单位"):
            table.add_column(column, overflow="fold")
        for p in mine:
            row = (p.clause, "、".join(p.beneficiaries), p.purpose, p.form, describe_rule(p) or "—", "、".join(p.units) or "—")
            table.add_row(*(escape(x) for x in row))
        out.print(table)


def _print_draft(doc_id: str) -> None:
    from ingest.pipeline import prepare_corpus
    from ingest.provision_drafter import draft_document, drafts_toml
    from policy_core.errors import AdvisorError

    try:
        docs, _ = prepare_corpus(load_settings())
    except AdvisorError as exc:
        fail(str(exc))
    doc = next((d for d in docs if d.id == doc_id), None)
    if doc is None:
        fail(f"no document {doc_id!r} in the manifest (known: {', '.join(d.id for d in docs)})")
    print(drafts_toml(doc_id, draft_document(doc)), end="")


# --- match: a founder's profile → every provision that applies --------------------------


def _figures(pairs: list[str], field: str, parse) -> dict[str, dict]:
    """{purpose: {field: value}} from PURPOSE=VALUE flags (算力=40万, 模型备案=2)."""
    from app.matching.question_profile import resolve_purpose

    figures: dict[str, dict] = {}
    for pair in pairs:
        purpose, sep, value = pair.partition("=")
        if not sep or not value.strip():
            fail(f"--{field.split('_')[0]} wants PURPOSE=VALUE, e.g. 算力=40万 (got {pair!r})")
        try:
            figures.setdefault(resolve_purpose(purpose.strip()), {})[field] = parse(value.strip())
        except ValueError as exc:
            fail(str(exc))
    return figures


def _print_match(result) -> None:
    from app.answer.policy_status import STATUS_LABEL_ZH
    from app.matching.provision_wording import describe_rule, provision_label

    if not result.groups():
        out.print("没有找到适用的政策条款；可以换个身份或地区再试。", soft_wrap=True)
    for heading, groups in (("", result.policies), ("尚未施行", result.upcoming), ("已失效（仅供了解，不能再申请）", result.expired)):
        if heading and groups:
            out.print(f"\n[bold yellow]{heading}[/]", soft_wrap=True)
        for group in groups:
            until = f" · 有效期至{group.valid_until}" if group.valid_until else ""
            out.print(f"\n[bold]《{escape(group.title)}》[/] {STATUS_LABEL_ZH[group.status]}{until}", soft_wrap=True)
            for item in group.items:
                p = item.provision
                verdict = "[green]适用[/]" if item.verdict == "适用" else "[yellow]可能适用[/]"
                out.print(f"  [bold][{item.ref}][/] {escape(provision_label(p))} {verdict}  {escape(describe_rule(p))}", soft_wrap=True)
                if item.calculation:
                    out.print(f"      {escape(item.calculation.formula)} → [bold]{escape(item.calculation.conclusion)}[/]", soft_wrap=True)
                if item.unsettled:
                    out.print(f"      [dim]需确认：{escape('、'.join(item.unsettled))}[/]", soft_wrap=True)
                out.print(f"      [dim]{escape('、'.join(p.units) or '责任单位未写明')} · {escape(p.clause)}[/]", soft_wrap=True)
                if item.highest_only:
                    out.print(f"      [dim]{escape(item.highest_only.note)}[/]", soft_wrap=True)


@app.command()
def match(
    identity: Annotated[list[str], typer.Option("--identity", "-i", help="Who you are (repeat): OPC, 中小企业, 初创企业, 企业, 人才, 运营方 …")],
    district: Annotated[str | None, typer.Option("--district", "-d", help="District of registration, e.g. 洪山区.")] = None,
    spend: Annotated[list[str], typer.Option("--spend", help="Money spent or invested: PURPOSE=AMOUNT, e.g. 算力=40万 or 应用场景=3000000元 (a bare number is 万元).")] = [],  # noqa: B006
    count: Annotated[list[str], typer.Option("--count", help="How many units: PURPOSE=N, e.g. 模型备案=2.")] = [],  # noqa: B006
    area: Annotated[list[str], typer.Option("--area", help="Square metres: PURPOSE=M2, e.g. 购房=120.")] = [],  # noqa: B006
    level: Annotated[list[str], typer.Option("--level", help="Level reached: PURPOSE=LEVEL, e.g. 首版次软件=国家级.")] = [],  # noqa: B006
    previous_level: Annotated[list[str], typer.Option("--previous-level", help="Level already rewarded (差额): PURPOSE=LEVEL.")] = [],  # noqa: B006
    only_these: Annotated[bool, typer.Option("--only-these", help="List only the provisions for the purposes given.")] = False,
    expired: Annotated[bool, typer.Option("--expired", help="Also list expired policies' provisions, apart.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object (the /api/match response).")] = False,
) -> None:
    """Match a founder's profile to the policy provisions: what applies, what might, and how much."""
    from pydantic import ValidationError

    from app.matching.founder_profile import Activity, FounderProfile
    from app.matching.question_profile import parse_amount_wan
    from policy_core.errors import AdvisorError

    figures: dict[str, dict] = {}
    for found in (
        _figures(spend, "amount_wan", parse_amount_wan), _figures(count, "count", int), _figures(area, "area_m2", float),
        _figures(level, "level", str), _figures(previous_level, "previous_level", str),
    ):
        for purpose, values in found.items():
            figures.setdefault(purpose, {}).update(values)
    try:
        profile = FounderProfile(
            identities=identity, district=district, only_activities=only_these, include_expired=expired,
            activities=[Activity(purpose=purpose, **values) for purpose, values in figures.items()],
        )
    except ValidationError as exc:
        fail("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()))
    settings = load_settings()
    advisor = open_advisor(settings)
    try:
        result = advisor.match(profile)
    except AdvisorError as exc:
        fail(str(exc))
    if as_json:
        from app.api.schemas import MatchResponse

        print(MatchResponse(today=settings.status_date().isoformat(), **dict(result)).model_dump_json())
    else:
        _print_match(result)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        raise SystemExit(130) from None


if __name__ == "__main__":
    main()
