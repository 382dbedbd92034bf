"""The headless Chromium the browser tests drive (Debian's package, no Playwright download)."""

from __future__ import annotations

from policy_core.settings import PROJECT_ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]
ARTIFACTS = PROJECT_ROOT / "test-artifacts"  # screenshots of failed browser tests
