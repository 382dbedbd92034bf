"""Rows written for maintainers' spreadsheets and scripts: CSV or JSON Lines, chosen by the file's extension."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

EXPORT_SUFFIXES = (".csv", ".jsonl")


def write_records(records: list[dict], fields: list[str], target: Path) -> None:
    """Records as JSON Lines, or as CSV with list and dict values as JSON strings (by `target`'s extension)."""
    target.write_bytes(encode_records(records, fields, target.suffix))


def encode_records(records: list[dict], fields: list[str], suffix: str) -> bytes:
    """The bytes `write_records` writes for a file ending in `suffix` (`.csv` or `.jsonl`); the admin page's
    download buttons send the same bytes."""
    suffix = suffix.lower()
    if suffix == ".jsonl":
        lines = (json.dumps(record, ensure_ascii=False, default=_json_default) + "\n" for record in records)
        return "".join(lines).encode("utf-8")
    if suffix == ".csv":
        handle = io.StringIO(newline="")
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        for record in records:
            writer.writerow(
                {k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v for k, v in record.items()}
            )
        # utf-8-sig so Excel (what most maintainers open it with) shows the Chinese correctly
        return handle.getvalue().encode("utf-8-sig")
    raise ValueError(f"export file must end in .csv or .jsonl, not {suffix!r}")


def _json_default(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")
