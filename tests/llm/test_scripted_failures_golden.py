"""The golden set through a scripted model that injects known failure kinds at known rates (issue 18).

The evaluation's own path (`run_golden`, as `policy-advisor eval --mode llm`)
answers every row against the fake OpenAI server on 127.0.0.1; the
unsupported-claim rate is counted before the guard (on the model's raw
replies, against the sources in each prompt) and after it (on the answers
shown, extractive fallbacks included). After the guard it must be 0.
"""

from __future__ import annotations

from collections import Counter

from app.answer.claim_grounding import ClaimGrounder
from eval.golden_set import load_golden
from eval.metrics import answer_scores
from eval.runner import run_golden
from tests.llm.conftest import llm_settings
from tests.llm.scripted_model import FAILURES, INVENTED, ScriptedModel


def test_no_unsupported_claim_survives_the_guard(settings, fake_llm):
    model = ScriptedModel()
    fake_llm.respond_with(model)
    rows = load_golden()
    run = run_golden(llm_settings(settings, fake_llm), rows, "golden.jsonl", mode="llm", compare_retrievers=False, progress=False)

    kinds = Counter(kind for kind, _, _ in model.replies)
    assert set(kinds) == set(FAILURES) and max(kinds.values()) - min(kinds.values()) <= 1  # each kind at 1/8 of the answers
    before = [ClaimGrounder(sources).unsupported(text) for _, text, sources in model.replies]
    claims_before, unsupported_before = sum(c for c, _ in before), sum(u for _, u in before)
    by_kind = Counter()
    for (kind, _, _), (_, unsupported) in zip(model.replies, before):
        by_kind[kind] += unsupported
    print("\nunsupported before the guard, by failure kind:", dict(by_kind))
    assert by_kind["none"] == 0, "the truthful sentence quoted from the source is supported"
    for kind in ("uncited_fact", "wrong_amount", "invented_department", "other_city", "out_of_range"):
        assert by_kind[kind] == kinds[kind], kind  # exactly the one injected sentence per answer
    assert by_kind["nothing_true"] >= kinds["nothing_true"] and by_kind["instructions_echoed"] > 0

    scores = answer_scores(run.outcomes)
    answered = [o for o in run.outcomes if not o.refused]
    assert scores["unsupported_claim_rate"] == 0.0, [(o.row.id, o.answer) for o in run.outcomes if o.unsupported_claims]
    assert sum(o.claims for o in answered) > len(answered) // 2  # the answers do state facts
    assert not [o.row.id for o in run.outcomes if any(word in o.answer for word in INVENTED)]
    fallbacks = Counter(o.mode for o in run.outcomes if not o.row.expect_refusal)
    assert fallbacks["extractive"] >= kinds["nothing_true"] and fallbacks["llm"] > 0
    print(
        f"\nscripted run: {len(model.replies)} model answers; unsupported claims before the guard "
        f"{unsupported_before}/{claims_before} = {unsupported_before / claims_before:.1%}; after "
        f"{sum(o.unsupported_claims for o in run.outcomes)}/{sum(o.claims for o in run.outcomes)}; "
        f"answered by the extractive fallback: {fallbacks['extractive']}"
    )
