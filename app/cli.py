"""`policy-advisor`: ingest the corpus, ask questions, serve the page and widget, evaluate.

Every user-facing failure (an AdvisorError) is one line on stderr and exit code 2; no traceback.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

app = typer.Typer(add_completion=False, no_args_is_help=True, help="武汉人工智能产业政策问答助手 (policy advisor).")
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


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


@app.command()
def feedback(
    limit: Annotated[int, typer.Option("--limit", "-n", help="How many recent ratings to print.")] = 20,
    export: Annotated[str | None, typer.Option("--export", help="Write ALL ratings to this file: .csv or .jsonl.", metavar="FILE")] = None,
) -> None:
    """Show readers' 👍/👎 on answers (newest first), or export them all."""
    from pathlib import Path

    from app.feedback_store import FeedbackStore, export_feedback

    settings = load_settings()
    store = FeedbackStore(settings.feedback_db)
    if export:
        target = Path(export)
        if target.suffix.lower() not in (".csv", ".jsonl"):
            fail(f"--export needs a .csv or .jsonl file name, not {target.name}")
        rows = store.recent(limit=None)
        try:
            export_feedback(rows, target)
        except OSError as exc:
            fail(f"cannot write {target}: {exc.strerror or exc}")
        out.print(f"{len(rows)} ratings written to {target}")
        return
    rows = store.recent(limit=limit)
    if not rows:
        out.print(f"no feedback yet ({settings.feedback_db})")
        return
    for row in rows:
        thumb = "[green]👍[/]" if row.rating == "up" else "[red]👎[/]"
        sources = "；".join(f"《{c['doc_title']}》{c['clause']}" for c in row.citations) or "无引用"
        out.print(f"{thumb} [dim]{row.created_at}[/]  [bold]{escape(row.question)}[/]")
        if row.resolved_question:
            out.print(f"   [dim]检索为：{escape(row.resolved_question)}[/]")
        answer = row.answer if len(row.answer) <= 160 else row.answer[:160] + "…"
        out.print(f"   {escape(answer)}")
        out.print(f"   [cyan]{escape(sources)}[/]\n")


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


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        raise SystemExit(130) from None


if __name__ == "__main__":
    main()
