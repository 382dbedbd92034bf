"""Rows written for maintainers' spreadsheets and scripts: CSV or JSON Lines, chosen by the file's extension."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

EXPORT_SUFFIXES = (".csv", ".jsonl")


def write_records(records: list[dict], fields: list[str], target: Path) -> None:
    """Records as JSON Lines, or as CSV with list and dict values as JSON strings (by `target`'s extension)."""
    suffix = target.suffix.lower()
    if suffix == ".jsonl":
        with target.open("w", encoding="utf-8") as handle:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False, default=_json_default) + "\n")
    elif suffix == ".csv":
        # utf-8-sig so Excel (what most maintainers open it with) shows the Chinese correctly
        with target.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=fields)
            writer.writeheader()
            for record in records:
                writer.writerow(
                    {k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v for k, v in record.items()}
                )
    else:
        raise ValueError(f"export file must end in .csv or .jsonl, not {target.name!r}")


def _json_default(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")
