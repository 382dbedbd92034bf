"""A replica's view of the Chroma server: which index version answers, and whether the server is reachable.

The server is the source of truth with `CHROMA_HOST`: a replica asks it for the
answering version and copies that version into its own data home. While the
server is unreachable the replica keeps its loaded version (and answers from
BM25); the outage and the recovery are each logged once.
"""

from __future__ import annotations

import logging
import threading

from ingest.index_store import IndexVersion, chroma_client
from ingest.server_index import read_server_version, sync_from_server
from policy_core.settings import Settings

log = logging.getLogger(__name__)


class ChromaServerWatch:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._client = chroma_client(settings)  # ChromaUnavailableError at start-up: a one-line error
        self._reachable = True
        self._state_lock = threading.Lock()

    @property
    def reachable(self) -> bool:
        return self._reachable

    def note_failure(self, exc: BaseException) -> None:
        with self._state_lock:
            was, self._reachable = self._reachable, False
        if was:
            log.error(
                "Chroma server at %s:%s unreachable (%s); answering from BM25 until it is back",
                self.settings.chroma_host, self.settings.chroma_port, exc,
            )

    def note_success(self) -> None:
        with self._state_lock:
            was, self._reachable = self._reachable, True
        if not was:
            log.warning("Chroma server at %s:%s is back", self.settings.chroma_host, self.settings.chroma_port)

    def check(self) -> bool:
        """Ask the server (for /healthz); updates and returns the reachable state."""
        try:
            self._client.heartbeat()
        except Exception as exc:  # chromadb raises plain exceptions for connection problems
            self.note_failure(exc)
            return False
        self.note_success()
        return True

    def latest_version(self) -> IndexVersion | None:
        """The version the server says answers; None when it is unreachable or has none yet."""
        try:
            latest = read_server_version(self._client)
        except Exception as exc:
            self.note_failure(exc)
            return None
        self.note_success()
        return latest

    def sync(self, version: IndexVersion) -> None:
        """Copy `version` into the data home and make it the local answering version."""
        sync_from_server(self._client, self.settings.index_dir, version)
