"""One family of user-facing errors: every error class the project defines derives from AdvisorError."""

from __future__ import annotations

import ast

from policy_core.errors import AdvisorError
from policy_core.settings import PROJECT_ROOT


def _error_classes() -> list[tuple[str, str]]:
    """(module, class name) of every class named *Error or *Problem that is an exception."""
    found = []
    for package in ("policy_core", "ingest", "app", "eval"):
        for path in sorted((PROJECT_ROOT / package).rglob("*.py")):
            module = ".".join(path.relative_to(PROJECT_ROOT).with_suffix("").parts).removesuffix(".__init__")
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ClassDef) and node.name.endswith(("Error", "Problem")):
                    found.append((module, node.name))
    return found


def test_every_error_class_is_an_advisor_error():
    import importlib

    classes = [getattr(importlib.import_module(module), name) for module, name in _error_classes()]
    exceptions = [c for c in classes if issubclass(c, BaseException)]
    assert len(exceptions) >= 17
    assert [c.__qualname__ for c in exceptions if not issubclass(c, AdvisorError)] == []


def test_the_cli_turns_any_of_them_into_one_line(monkeypatch, tmp_path, capsys):
    """An index error from `ask` is caught as an AdvisorError: one line, exit code 2."""
    import pytest
    import typer

    from app import cli

    monkeypatch.setenv("ADVISOR_HOME", str(tmp_path / "empty"))
    with pytest.raises(typer.Exit) as exit_info:
        cli.ask("洪山区算力补贴", as_json=False, jsonl=False)
    assert exit_info.value.exit_code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and "policy-advisor ingest" in err and "\n" not in err
