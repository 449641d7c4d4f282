"""Property tests for the FIQR and ACR 2016 scoring."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import assume, given
from hypothesis import strategies as st

from companion.core.measures import (
    ACR_AREAS,
    FIQR_DOMAIN_ITEMS,
    FIQR_DOMAINS,
    FIQR_ITEMS,
    ONE_PER_DOMAIN_RULE,
    PUBLISHED_MISSING_RULE,
    Acr2016Answers,
    FiqrAnswers,
    fiqr_answers_from_dict,
    fiqr_answers_to_dict,
    meaningful_worsening,
    score_acr2016,
    score_fiqr,
)

answer = st.integers(min_value=0, max_value=10)
complete = st.fixed_dictionaries({key: answer for key in FIQR_ITEMS})


@st.composite
def few_blanks(draw, max_per_domain: int = 1) -> dict[str, int | None]:
    """Complete answers with up to ``max_per_domain`` blanks in each domain."""
    values = dict(draw(complete))
    for domain in FIQR_DOMAINS:
        keys = FIQR_DOMAIN_ITEMS[domain]
        for key in draw(
            st.lists(st.sampled_from(keys), max_size=max_per_domain, unique=True)
        ):
            values[key] = None
    return values


# Any pattern of blanks (mostly invalid) mixed with near-complete ones.
maybe_blank = st.one_of(
    st.fixed_dictionaries({key: st.none() | answer for key in FIQR_ITEMS}),
    few_blanks(),
    few_blanks(max_per_domain=2),
)
rules = st.sampled_from([PUBLISHED_MISSING_RULE, ONE_PER_DOMAIN_RULE])


@given(maybe_blank, rules)
def test_valid_totals_stay_within_range(values, rule):
    result = score_fiqr(FiqrAnswers(values), rule)
    if result.valid:
        assert 0.0 <= result.function <= 30.0
        assert 0.0 <= result.overall <= 20.0
        assert 0.0 <= result.symptoms <= 50.0
        assert 0.0 <= result.total <= 100.0
        assert result.reason is None
    else:
        assert result.total is None and result.reason


@given(complete)
def test_complete_answers_are_always_valid_and_match_the_plain_formula(values):
    result = score_fiqr(FiqrAnswers(values))
    assert result.valid and not result.prorated
    f = sum(values[k] for k in FIQR_DOMAIN_ITEMS["function"])
    o = sum(values[k] for k in FIQR_DOMAIN_ITEMS["overall"])
    s = sum(values[k] for k in FIQR_DOMAIN_ITEMS["symptoms"])
    assert result.total == float(Fraction(f, 3) + o + Fraction(s, 2))


@given(few_blanks(), st.data(), rules)
def test_raising_one_answer_never_lowers_any_score(values, data, rule):
    # Answering a blank item can lower a prorated score (when it is below the
    # mean of the others), so this raises answered items only.
    answered = [
        key for key in FIQR_ITEMS if values[key] is not None and values[key] < 10
    ]
    assume(answered)
    key = data.draw(st.sampled_from(answered))
    before = score_fiqr(FiqrAnswers(values), rule)
    raised = dict(values)
    raised[key] += data.draw(st.integers(1, 10 - values[key]))
    after = score_fiqr(FiqrAnswers(raised), rule)
    assert after.valid is before.valid
    if before.valid:
        assert after.total >= before.total
        for domain in FIQR_DOMAINS:
            assert getattr(after, domain) >= getattr(before, domain)


@given(complete, st.sampled_from(FIQR_ITEMS))
def test_prorating_equals_the_full_score_when_the_blank_is_the_mean(values, key):
    domain = next(d for d in FIQR_DOMAINS if key in FIQR_DOMAIN_ITEMS[d])
    others = [k for k in FIQR_DOMAIN_ITEMS[domain] if k != key]
    # Lower some of the other answers until their mean is a whole number.
    excess = sum(values[k] for k in others) % len(others)
    values = dict(values)
    for k in others:
        cut = min(values[k], excess)
        values[k] -= cut
        excess -= cut
    assert sum(values[k] for k in others) % len(others) == 0
    full = dict(values)
    full[key] = sum(values[k] for k in others) // len(others)
    blank = dict(values)
    blank[key] = None
    prorated = score_fiqr(FiqrAnswers(blank), ONE_PER_DOMAIN_RULE)
    assert prorated.valid and prorated.prorated
    assert prorated.total == score_fiqr(FiqrAnswers(full)).total


@given(maybe_blank)
def test_published_rule_is_never_looser_than_one_per_domain(values):
    answers = FiqrAnswers(values)
    if score_fiqr(answers, PUBLISHED_MISSING_RULE).valid:
        strict = score_fiqr(answers, PUBLISHED_MISSING_RULE)
        loose = score_fiqr(answers, ONE_PER_DOMAIN_RULE)
        assert loose.valid and loose.total == strict.total


@given(maybe_blank)
def test_validity_follows_the_missing_counts(values):
    answers = FiqrAnswers(values)
    missing = {
        d: sum(values[k] is None for k in FIQR_DOMAIN_ITEMS[d]) for d in FIQR_DOMAINS
    }
    published = (
        missing["function"] <= 1
        and missing["overall"] == 0
        and missing["symptoms"] == 0
    )
    assert score_fiqr(answers).valid is published
    assert score_fiqr(answers, ONE_PER_DOMAIN_RULE).valid is all(
        m <= 1 for m in missing.values()
    )


@given(maybe_blank)
def test_serialisation_round_trips(values):
    answers = FiqrAnswers(values)
    assert fiqr_answers_from_dict(fiqr_answers_to_dict(answers)) == answers


totals = st.floats(min_value=0, max_value=100, allow_nan=False)


@given(totals, totals, totals)
def test_worsening_is_monotonic_in_the_current_total(baseline, a, b):
    low, high = sorted((a, b))
    if meaningful_worsening(baseline, low):
        assert meaningful_worsening(baseline, high)


@given(totals)
def test_no_change_or_improvement_is_never_worsening(baseline):
    assert not meaningful_worsening(baseline, baseline)
    assert not meaningful_worsening(baseline, baseline / 2)


# --- ACR 2016 -------------------------------------------------------------------

acr_answers = st.builds(
    Acr2016Answers,
    painful_areas=st.frozensets(st.sampled_from(ACR_AREAS)),
    fatigue=st.integers(0, 3),
    unrefreshed=st.integers(0, 3),
    cognitive=st.integers(0, 3),
    headaches=st.integers(0, 1),
    abdominal=st.integers(0, 1),
    depression=st.integers(0, 1),
    three_months=st.booleans(),
)


@given(acr_answers)
def test_acr_scores_stay_within_range(answers):
    result = score_acr2016(answers)
    assert 0 <= result.wpi <= 19
    assert 0 <= result.sss <= 12
    assert result.pds == result.wpi + result.sss <= 31
    if result.criteria_pattern_met:
        assert result.generalised and answers.three_months and result.wpi >= 4


@given(acr_answers, st.sampled_from(ACR_AREAS))
def test_more_pain_never_unmeets_the_pattern(answers, area):
    before = score_acr2016(answers)
    more = Acr2016Answers(
        painful_areas=answers.painful_areas | {area},
        fatigue=answers.fatigue,
        unrefreshed=answers.unrefreshed,
        cognitive=answers.cognitive,
        headaches=answers.headaches,
        abdominal=answers.abdominal,
        depression=answers.depression,
        three_months=answers.three_months,
    )
    after = score_acr2016(more)
    assert after.wpi >= before.wpi
    assert after.generalised >= before.generalised
    assert after.criteria_pattern_met >= before.criteria_pattern_met


@given(
    acr_answers,
    st.sampled_from(
        ["fatigue", "unrefreshed", "cognitive", "headaches", "abdominal", "depression"]
    ),
)
def test_more_symptoms_never_unmeet_the_pattern(answers, name):
    top = 1 if name in ("headaches", "abdominal", "depression") else 3
    assume(getattr(answers, name) < top)
    fields = {
        "painful_areas": answers.painful_areas,
        "fatigue": answers.fatigue,
        "unrefreshed": answers.unrefreshed,
        "cognitive": answers.cognitive,
        "headaches": answers.headaches,
        "abdominal": answers.abdominal,
        "depression": answers.depression,
        "three_months": answers.three_months,
    }
    fields[name] += 1
    before, after = score_acr2016(answers), score_acr2016(Acr2016Answers(**fields))
    assert after.sss == before.sss + 1
    assert after.criteria_pattern_met >= before.criteria_pattern_met
