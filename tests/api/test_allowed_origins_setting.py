"""ALLOWED_ORIGINS from the environment: comma-separated or a JSON list; anything else is a clear error."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from policy_core.settings import Settings


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://zhengce.example.cn", ["https://zhengce.example.cn"]),
        ("https://a.example.cn, http://127.0.0.1:8080/", ["https://a.example.cn", "http://127.0.0.1:8080"]),
        ('["https://a.example.cn", "http://b.example.cn:81"]', ["https://a.example.cn", "http://b.example.cn:81"]),
        ("", []),
    ],
)
def test_origins_from_the_environment(monkeypatch: pytest.MonkeyPatch, value: str, expected: list[str]) -> None:
    monkeypatch.setenv("ALLOWED_ORIGINS", value)
    assert Settings(_env_file=None).allowed_origins == expected


@pytest.mark.parametrize("value", ["zhengce.example.cn", "https://a.example.cn/page", "ftp://a.example.cn", "[not json"])
def test_something_that_is_not_an_origin_is_refused(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("ALLOWED_ORIGINS", value)
    with pytest.raises(ValidationError, match="ALLOWED_ORIGINS|JSON|json"):
        Settings(_env_file=None)
