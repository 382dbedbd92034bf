"""Request and response models of the HTTP API (they make the OpenAPI schema at /docs)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl

from app.matching.founder_profile import FounderProfile
from app.matching.provision_matcher import MatchResult
from app.records.feedback_store import DISLIKE_REASONS, MAX_COMMENT_CHARS
from app.schemas import AnswerMode, AnswerResult, PolicySummary

MESSAGE_HARD_LIMIT = 5000  # refuse absurd bodies early; the real limit is MAX_QUESTION_CHARS (a 400 from the advisor)
SESSION_ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"


class SiteContact(BaseModel):
    """The service desk of the site the widget is embedded in (its data-contact-* attributes)."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, max_length=60, description="e.g. 洪山区企业服务中心")
    phone: str | None = Field(None, max_length=40, pattern=r"^[0-9+()\- 转,、]{3,40}$", description="Digits, spaces, + - ( ) and 转.")
    url: HttpUrl | None = Field(None, description="An http(s) link to the desk's page.")


class ChatRequest(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"message": "洪山区中小企业买算力有补贴吗"}, {"message": "那市里呢？", "session_id": "mD3j1x9Yt0c2bqkW8u4RzA"}]}
    )

    message: str = Field(max_length=MESSAGE_HARD_LIMIT, description="The visitor's question (at most MAX_QUESTION_CHARS characters).")
    session_id: str | None = Field(
        None,
        pattern=SESSION_ID_PATTERN,
        description="The `session_id` of an earlier answer, so a follow-up such as 那市里呢？ is understood. Omit to start a conversation.",
    )
    contact: SiteContact | None = Field(
        None, description="The asking site's own service desk, named in this answer instead of the configured SERVICE_CONTACT_*."
    )
    client: Literal["api", "widget"] = Field(
        "api", description="Who asks: the embeddable widget sends `widget`; programs leave it out. Only for the question log."
    )


class ChatResponse(AnswerResult):
    """The `ask --json` answer contract plus the session to send back with the next message."""

    session_id: str = Field(description="Send this with the next message to continue the conversation.")
    answer_id: str = Field(description="Send this to `/api/feedback` to rate the answer.")


DislikeReason = Literal[DISLIKE_REASONS]  # type: ignore[valid-type]


class FeedbackRequest(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"answer_id": "3f2a…", "rating": "down", "reason": "不完整", "comment": "没说怎么申请"}]})

    answer_id: str = Field(max_length=64, description="The `answer_id` of an answer this server gave.")
    rating: Literal["up", "down"] | None = Field(description="👍 `up`, 👎 `down`, or null to take a rating back.")
    reason: DislikeReason | None = Field(None, description="Why 👎 (ignored for 👍).")
    comment: str | None = Field(None, max_length=MAX_COMMENT_CHARS, description="The reader's own words (optional, 👎 only).")


class FeedbackAccepted(BaseModel):
    answer_id: str
    rating: Literal["up", "down"] | None


class MatchRequest(FounderProfile):
    """A founder's profile: who (at least one identity), where, and the figures they have."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"identities": ["OPC"], "activities": [{"purpose": "算力服务", "amount_wan": 40}]},
                {"identities": ["中小企业"], "district": "洪山区", "activities": [{"purpose": "模型备案", "count": 2}]},
            ]
        },
    )


class MatchResponse(MatchResult):
    """Every provision in force the profile may get, grouped by policy (适用 / 可能适用 with the
    unsettled words quoted), amounts worked out where figures were given, and the clauses cited."""

    today: str = Field(description="The date the policies' status is computed for (YYYY-MM-DD).")


class PolicyList(BaseModel):
    today: str = Field(description="The date the status is computed for (YYYY-MM-DD).")
    policies: list[PolicySummary]
    questions: list[str] = Field(default_factory=list, description="Starter questions drawn from the provisions in force (the widget offers them).")


class Health(BaseModel):
    status: Literal["ok", "degraded"]
    degraded: list[Literal["chroma", "redis"]] = Field(
        default_factory=list, description="Shared parts this replica cannot reach (status 503); answers continue without them."
    )
    mode: AnswerMode = Field(description="How answers are written: quoted clauses, or an LLM over them.")
    index_version: str
    documents: int
    chunks: int
    sessions: int = Field(description="Conversations currently remembered.")


class ErrorDetail(BaseModel):
    code: str = Field(description="For programs, e.g. invalid_question, rate_limited, origin_not_allowed, internal_error.")
    message: str = Field(description="Chinese, fit to show the visitor.")
    retry_after: int | None = Field(None, description="Seconds to wait (rate_limited only).")


class ErrorResponse(BaseModel):
    error: ErrorDetail
