"""Scoring for the two instruments the app tracks: the FIQR and the ACR 2016 criteria.

Pure Python, standard library only. Nothing here talks to the patient: the
screens and the clinical copy live elsewhere; this module holds the item keys
(part of the storage and export contract), the arithmetic and the rules.

FIQR (revised Fibromyalgia Impact Questionnaire)
------------------------------------------------
21 items rated 0-10 over the past 7 days, higher is worse.

* function: 9 items, sum / 3 (0-30)
* overall impact: 2 items, sum (0-20)
* symptoms: 10 items, sum / 2 (0-50)
* total: the three added (0-100)

Source: Bennett RM, Friend R, Jones KD, Ward R, Han BK, Ross RL. The Revised
Fibromyalgia Impact Questionnaire (FIQR): validation and psychometric
properties. Arthritis Res Ther 2009;11(4):R120. doi:10.1186/ar2783.

Missing answers (see ``score_fiqr`` for the decision): the developers' scoring
guide (fiqr.info, "Scoring the FIQR and SIQR", page "Scoring.htm") weights a
domain with x of n items answered by n/x, and says to consider the
questionnaire invalid when 2 or more function items are missing, or any
overall-impact or symptom item is missing.

ACR 2016 criteria, used here as a symptom tracker
-------------------------------------------------
Source: Wolfe F, Clauw DJ, Fitzcharles MA, et al. 2016 Revisions to the
2010/2011 fibromyalgia diagnostic criteria. Semin Arthritis Rheum
2016;46(3):319-329. The same paper says the self-report version is not valid
for diagnosing an individual patient, which is why every result carries
``ACR2016_LABEL`` and the pattern flag is named ``criteria_pattern_met``.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple


class MeasuresError(ValueError):
    """Bad input to a measure. ``str(error)`` is a plain reason a person can read."""


# ---------------------------------------------------------------------------
# FIQR: item keys (storage and export contract: never rename, only add)
# ---------------------------------------------------------------------------

FIQR_FUNCTION_ITEMS: tuple[str, ...] = (
    "brush_hair",
    "walk_20_min",
    "prepare_meal",
    "vacuum_floors",
    "lift_groceries",
    "climb_stairs",
    "change_sheets",
    "sit_45_min",
    "shop_groceries",
)
FIQR_OVERALL_ITEMS: tuple[str, ...] = (
    "goals_prevented",
    "overwhelmed",
)
FIQR_SYMPTOM_ITEMS: tuple[str, ...] = (
    "pain",
    "energy",
    "stiffness",
    "sleep_quality",
    "depression",
    "memory",
    "anxiety",
    "tenderness",
    "balance",
    "environmental_sensitivity",
)

FIQR_DOMAINS: tuple[str, ...] = ("function", "overall", "symptoms")
FIQR_DOMAIN_ITEMS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "function": FIQR_FUNCTION_ITEMS,
        "overall": FIQR_OVERALL_ITEMS,
        "symptoms": FIQR_SYMPTOM_ITEMS,
    }
)
FIQR_ITEMS: tuple[str, ...] = (
    FIQR_FUNCTION_ITEMS + FIQR_OVERALL_ITEMS + FIQR_SYMPTOM_ITEMS
)
FIQR_ITEM_DOMAIN: Mapping[str, str] = MappingProxyType(
    {key: domain for domain, keys in FIQR_DOMAIN_ITEMS.items() for key in keys}
)
# Plain names for reasons shown to people ("2 daily task items unanswered").
FIQR_DOMAIN_NAMES: Mapping[str, str] = MappingProxyType(
    {"function": "daily task", "overall": "overall impact", "symptoms": "symptom"}
)

FIQR_MIN_ANSWER = 0
FIQR_MAX_ANSWER = 10
FIQR_MAX_TOTAL = 100

# Domain sum (all items answered) -> domain score.
_FIQR_DIVISOR: Mapping[str, int] = MappingProxyType(
    {"function": 3, "overall": 1, "symptoms": 2}
)

FIQR_ANSWER_HINT = "Enter a whole number from 0 to 10"

FIQR_SERIAL_INSTRUMENT = "fiqr"
FIQR_SERIAL_VERSION = 1


# ---------------------------------------------------------------------------
# FIQR: missing-answer rules
# ---------------------------------------------------------------------------


# The records below that validate nothing are NamedTuples, the answers
# (checked in __post_init__) frozen dataclasses: Home reads this module
# before its first frame, and on Python 3.11 a frozen dataclass takes about
# 0.5 ms to create, a NamedTuple under 0.1 ms (issue 18).
class FiqrMissingRule(NamedTuple):
    """How many unanswered items each domain may have and still be scored.

    A domain with x of its n items answered has its sum weighted by n/x.
    """

    function: int
    overall: int
    symptoms: int
    name: str = ""

    def allowed(self, domain: str) -> int:
        return getattr(self, domain)


# The developers' rule (fiqr.info, "Scoring the FIQR and SIQR"): invalid when
# 2 or more function items are missing, or any overall or symptom item is.
PUBLISHED_MISSING_RULE = FiqrMissingRule(
    function=1, overall=0, symptoms=0, name="published"
)
# A looser rule sometimes used in research (one missing item in any domain,
# weighted n/x). Not the default; offered for a clinic that asks for it.
ONE_PER_DOMAIN_RULE = FiqrMissingRule(
    function=1, overall=1, symptoms=1, name="one per domain"
)


# ---------------------------------------------------------------------------
# FIQR: answers and results
# ---------------------------------------------------------------------------


def _check_fiqr_value(key: str, value: object) -> int | None:
    if value is None:
        return None
    # bool is an int subclass; True is not an answer on a 0-10 scale.
    if isinstance(value, bool) or not isinstance(value, int):
        raise MeasuresError(
            f"{key}: {value!r} is not a whole number. {FIQR_ANSWER_HINT}."
        )
    if not FIQR_MIN_ANSWER <= value <= FIQR_MAX_ANSWER:
        raise MeasuresError(f"{key}: {value} is outside 0 to 10. {FIQR_ANSWER_HINT}.")
    return value


@dataclass(frozen=True)
class FiqrAnswers:
    """One filled-in FIQR: item key -> 0..10, or None when left blank.

    Keys not given are unanswered. Unknown keys, non-integers (floats, bools,
    strings) and values outside 0..10 raise ``MeasuresError``. ``values`` is
    normalised to all 21 keys in the canonical order and is read-only.
    """

    values: Mapping[str, int | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.values, Mapping):
            raise MeasuresError("FIQR answers must be a mapping of item key to number.")
        unknown = sorted(str(k) for k in self.values if k not in FIQR_ITEM_DOMAIN)
        if unknown:
            raise MeasuresError(f"Unknown FIQR item: {', '.join(unknown)}.")
        normalised = {
            key: _check_fiqr_value(key, self.values.get(key)) for key in FIQR_ITEMS
        }
        object.__setattr__(self, "values", MappingProxyType(normalised))

    def __hash__(self) -> int:
        return hash(tuple(self.values.items()))

    def __getitem__(self, key: str) -> int | None:
        return self.values[key]

    def answered(self, domain: str | None = None) -> int:
        """How many items are answered, in one domain or in all."""
        keys = FIQR_ITEMS if domain is None else FIQR_DOMAIN_ITEMS[domain]
        return sum(1 for key in keys if self.values[key] is not None)

    def replace(self, **changes: int | None) -> FiqrAnswers:
        """A copy with some items changed (``None`` clears one)."""
        return FiqrAnswers({**self.values, **changes})


class FiqrResult(NamedTuple):
    """A scored FIQR.

    When ``valid`` is False, every score is None and ``reason`` says why; an
    invalid questionnaire is never given a number. Scores are exact floats
    (e.g. 10/3, not 3.3); round only for display, see ``total_text``.
    """

    valid: bool
    function: float | None
    overall: float | None
    symptoms: float | None
    total: float | None
    reason: str | None
    function_answered: int
    overall_answered: int
    symptoms_answered: int
    rule: str = PUBLISHED_MISSING_RULE.name

    @property
    def answered(self) -> int:
        return self.function_answered + self.overall_answered + self.symptoms_answered

    @property
    def prorated(self) -> bool:
        """True when the score was weighted up for unanswered items."""
        return self.valid and self.answered < len(FIQR_ITEMS)

    @property
    def total_text(self) -> str | None:
        """The total to one decimal place, for display; None when invalid."""
        return None if self.total is None else format_fiqr_score(self.total)


def format_fiqr_score(value: float) -> str:
    """A FIQR score for display: one decimal place."""
    return f"{value:.1f}"


def score_fiqr(
    answers: FiqrAnswers, rule: FiqrMissingRule = PUBLISHED_MISSING_RULE
) -> FiqrResult:
    """Score a FIQR.

    Each domain sum is weighted by n/x when x of its n items are answered
    (the developers' "weighting" factor), then divided as published: function
    / 3, overall / 1, symptoms / 2, and the three are added.

    Decision on missing answers: by default we follow the developers' own
    validity rule (fiqr.info, "Scoring the FIQR and SIQR"): at most one
    function item may be blank, and no overall-impact or symptom item may be.
    This is stricter than the "one missing item in any domain" rule sometimes
    quoted; that one is available as ``ONE_PER_DOMAIN_RULE`` for a clinic that
    asks for it. Too many blanks give ``valid=False`` with a reason, never a
    number. In the app, answers are typed one by one, so a blank is a choice
    the UI can ask about before scoring.

    Arithmetic is exact (fractions) and converted to float once at the end,
    so a prorated score equals the full score when the blank item would have
    been the mean of the others, and raising an answer never lowers a score.
    """
    if not isinstance(answers, FiqrAnswers):
        raise MeasuresError("score_fiqr needs FiqrAnswers.")
    counts = {domain: answers.answered(domain) for domain in FIQR_DOMAINS}
    problems: list[str] = []
    for domain in FIQR_DOMAINS:
        missing = len(FIQR_DOMAIN_ITEMS[domain]) - counts[domain]
        allowed = rule.allowed(domain)
        if missing > allowed:
            limit = "none may be" if allowed == 0 else f"at most {allowed} may be"
            plural = "item" if missing == 1 else "items"
            problems.append(
                f"{missing} {FIQR_DOMAIN_NAMES[domain]} {plural} unanswered ({limit} left blank)"
            )
    common = {
        "function_answered": counts["function"],
        "overall_answered": counts["overall"],
        "symptoms_answered": counts["symptoms"],
        "rule": rule.name,
    }
    if problems:
        reason = "Not scored: " + "; ".join(problems) + "."
        return FiqrResult(
            valid=False,
            function=None,
            overall=None,
            symptoms=None,
            total=None,
            reason=reason,
            **common,
        )

    exact: dict[str, Fraction] = {}
    for domain in FIQR_DOMAINS:
        keys = FIQR_DOMAIN_ITEMS[domain]
        given = [answers.values[key] for key in keys if answers.values[key] is not None]
        weighted = Fraction(sum(given)) * Fraction(len(keys), len(given))
        exact[domain] = weighted / _FIQR_DIVISOR[domain]
    total = sum(exact.values(), Fraction(0))
    return FiqrResult(
        valid=True,
        function=float(exact["function"]),
        overall=float(exact["overall"]),
        symptoms=float(exact["symptoms"]),
        total=float(total),
        reason=None,
        **common,
    )


_WHOLE_NUMBER = re.compile(r"[0-9]+")


def validate_fiqr_answer(text: str) -> int | None:
    """Parse what was typed for one FIQR item.

    Empty (or only spaces) means unanswered and gives None. Anything that is
    not a whole number from 0 to 10, or not text at all (None, a number),
    raises ``MeasuresError`` whose message is ``FIQR_ANSWER_HINT``.
    """
    if not isinstance(text, str):
        raise MeasuresError(FIQR_ANSWER_HINT)
    stripped = text.strip()
    if not stripped:
        return None
    if not _WHOLE_NUMBER.fullmatch(stripped):
        raise MeasuresError(FIQR_ANSWER_HINT)
    value = int(stripped)
    if not FIQR_MIN_ANSWER <= value <= FIQR_MAX_ANSWER:
        raise MeasuresError(FIQR_ANSWER_HINT)
    return value


# ---------------------------------------------------------------------------
# FIQR: meaningful change
# ---------------------------------------------------------------------------

# Minimal clinically important difference. Bennett RM, Bushmakin AG,
# Cappelleri JC, Zlateva G, Sadosky AB. Minimal clinically important
# difference in the fibromyalgia impact questionnaire. J Rheumatol
# 2009;36(6):1304-1311: pooled over three pregabalin trials, a change of about
# 14% (14.1%) of the FIQ total was the smallest patients rated as meaningful,
# in people with moderate to severe scores. It was measured on the original
# FIQ and for improvement; using it for the FIQR and for worsening is our
# extrapolation (the FIQR paper above reports the two totals track closely).
FIQR_MCID_FRACTION = 0.14
# Our decision, not a published value: 14% of a low baseline is tiny (14% of
# 15 is 2 points, under one step on a single symptom item), so a rise must
# also be at least 8 points. 8 is about 14% of a moderate-to-severe score
# (55-60), the range the MCID was measured in.
FIQR_MCID_MIN_POINTS = 8.0
# FIQR totals are rationals held as floats; forgive representation error.
_EPSILON = 1e-9


def _check_total(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise MeasuresError(f"{name} must be a number from 0 to 100, not {value!r}.")
    number = float(value)
    if math.isnan(number) or not 0.0 <= number <= FIQR_MAX_TOTAL:
        raise MeasuresError(f"{name} must be a number from 0 to 100, not {value!r}.")
    return number


def fiqr_worsening_threshold(baseline_total: float) -> float:
    """How many points the FIQR total must rise above ``baseline_total`` to count."""
    baseline = _check_total("baseline_total", baseline_total)
    return max(FIQR_MCID_FRACTION * baseline, FIQR_MCID_MIN_POINTS)


def meaningful_worsening(baseline_total: float, current_total: float) -> bool:
    """True when the FIQR total has risen by a clinically meaningful amount.

    Rule: ``current - baseline >= max(14% of baseline, 8 points)`` (see
    ``FIQR_MCID_FRACTION`` and ``FIQR_MCID_MIN_POINTS`` for the sources and
    the decision). Used only to suggest talking to the clinic; it never
    advises treatment. Both totals must be valid FIQR totals (0-100); pass
    ``FiqrResult.total`` only when the result is valid.
    """
    current = _check_total("current_total", current_total)
    baseline = _check_total("baseline_total", baseline_total)
    return current - baseline + _EPSILON >= fiqr_worsening_threshold(baseline)


# ---------------------------------------------------------------------------
# FIQR: serialisation (plain JSON-able)
# ---------------------------------------------------------------------------


def fiqr_answers_to_dict(answers: FiqrAnswers) -> dict[str, Any]:
    """``{"instrument": "fiqr", "version": 1, "items": {key: int | None}}``, all 21 keys."""
    return {
        "instrument": FIQR_SERIAL_INSTRUMENT,
        "version": FIQR_SERIAL_VERSION,
        "items": dict(answers.values),
    }


def fiqr_answers_from_dict(data: object) -> FiqrAnswers:
    """The inverse of ``fiqr_answers_to_dict``; raises ``MeasuresError`` on anything else.

    Missing item keys read as unanswered, so a record written before an item
    was added still loads.
    """
    if not isinstance(data, Mapping):
        raise MeasuresError("FIQR record must be an object.")
    if data.get("instrument") != FIQR_SERIAL_INSTRUMENT:
        raise MeasuresError(
            f"Not a FIQR record (instrument is {data.get('instrument')!r})."
        )
    if data.get("version") != FIQR_SERIAL_VERSION:
        raise MeasuresError(f"Unsupported FIQR record version {data.get('version')!r}.")
    extra = sorted(set(data) - {"instrument", "version", "items"})
    if extra:
        raise MeasuresError(
            f"Unexpected field in FIQR record: {', '.join(map(str, extra))}."
        )
    items = data.get("items")
    if not isinstance(items, Mapping):
        raise MeasuresError("FIQR record has no 'items' object.")
    return FiqrAnswers(dict(items))


# ---------------------------------------------------------------------------
# FIQR: item wording (a data file a clinic can replace)
# ---------------------------------------------------------------------------

FIQR_WORDING_SCHEMA = 1
_WORDING_TOP_KEYS = frozenset({"schema", "source", "prompts", "items"})
_WORDING_ITEM_KEYS = frozenset({"label", "low", "high"})
_WORDING_MAX_CHARS = 300


class FiqrItem(NamedTuple):
    """How one item is shown: a short label and what 0 and 10 mean."""

    key: str
    domain: str
    label: str
    low: str
    high: str


class FiqrWording(NamedTuple):
    """All 21 items in canonical order, plus one prompt per domain."""

    items: tuple[FiqrItem, ...]
    prompts: Mapping[str, str]
    source: str | None = None

    def item(self, key: str) -> FiqrItem:
        for item in self.items:
            if item.key == key:
                return item
        raise KeyError(key)

    def domain_items(self, domain: str) -> tuple[FiqrItem, ...]:
        return tuple(item for item in self.items if item.domain == domain)


def _wording_text(where: str, value: object, origin: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise MeasuresError(f"{origin}: {where} must be a non-empty string.")
    if len(value) > _WORDING_MAX_CHARS:
        raise MeasuresError(
            f"{origin}: {where} is longer than {_WORDING_MAX_CHARS} characters."
        )
    return value.strip()


def load_fiqr_items(path: Path | None = None) -> FiqrWording:
    """Load FIQR item wording from a TOML file (default: the bundled one).

    A clinic may supply its own file with the same keys. The file must have
    ``schema = 1``, a ``[prompts]`` table with ``function``, ``overall`` and
    ``symptoms``, and an ``[items.<key>]`` table for each of the 21 item keys
    with ``label``, ``low`` and ``high`` strings; an optional top-level
    ``source`` string names where the wording came from. Anything else
    (missing or unknown keys, wrong types, bad TOML, unreadable file) raises
    ``MeasuresError`` naming the file and the problem.
    """
    if path is None:
        from importlib import resources  # here: 1.7 ms less before Home's first frame

        origin = "bundled fiqr_items.toml"
        text = (
            resources.files("companion.core")
            .joinpath("data", "fiqr_items.toml")
            .read_text("utf-8")
        )
    else:
        origin = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise MeasuresError(f"{origin}: cannot read the file ({error}).") from error
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise MeasuresError(f"{origin}: not valid TOML ({error}).") from error

    unknown = sorted(set(data) - _WORDING_TOP_KEYS)
    if unknown:
        raise MeasuresError(f"{origin}: unknown top-level key {', '.join(unknown)}.")
    if data.get("schema") != FIQR_WORDING_SCHEMA:
        raise MeasuresError(f"{origin}: 'schema' must be {FIQR_WORDING_SCHEMA}.")
    source = data.get("source")
    if source is not None:
        source = _wording_text("source", source, origin)

    prompts_table = data.get("prompts")
    if not isinstance(prompts_table, dict):
        raise MeasuresError(f"{origin}: a [prompts] table is required.")
    extra = sorted(set(prompts_table) - set(FIQR_DOMAINS))
    if extra:
        raise MeasuresError(f"{origin}: unknown prompt {', '.join(extra)}.")
    prompts = {
        domain: _wording_text(f"prompts.{domain}", prompts_table.get(domain), origin)
        for domain in FIQR_DOMAINS
    }

    items_table = data.get("items")
    if not isinstance(items_table, dict):
        raise MeasuresError(f"{origin}: an [items] table is required.")
    unknown = sorted(set(items_table) - set(FIQR_ITEMS))
    if unknown:
        raise MeasuresError(f"{origin}: unknown item {', '.join(unknown)}.")
    missing = [key for key in FIQR_ITEMS if key not in items_table]
    if missing:
        raise MeasuresError(f"{origin}: missing item {', '.join(missing)}.")
    items: list[FiqrItem] = []
    for key in FIQR_ITEMS:
        entry = items_table[key]
        if not isinstance(entry, dict):
            raise MeasuresError(f"{origin}: items.{key} must be a table.")
        extra = sorted(set(entry) - _WORDING_ITEM_KEYS)
        if extra:
            raise MeasuresError(
                f"{origin}: items.{key} has unknown key {', '.join(extra)}."
            )
        items.append(
            FiqrItem(
                key=key,
                domain=FIQR_ITEM_DOMAIN[key],
                label=_wording_text(f"items.{key}.label", entry.get("label"), origin),
                low=_wording_text(f"items.{key}.low", entry.get("low"), origin),
                high=_wording_text(f"items.{key}.high", entry.get("high"), origin),
            )
        )
    return FiqrWording(
        items=tuple(items), prompts=MappingProxyType(prompts), source=source
    )


# ---------------------------------------------------------------------------
# ACR 2016 criteria as a symptom tracker
# ---------------------------------------------------------------------------

ACR2016_LABEL = "tracking only — not a diagnosis"

ACR_REGIONS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "left_upper": ("jaw_left", "shoulder_left", "upper_arm_left", "lower_arm_left"),
        "right_upper": (
            "jaw_right",
            "shoulder_right",
            "upper_arm_right",
            "lower_arm_right",
        ),
        "left_lower": ("hip_left", "upper_leg_left", "lower_leg_left"),
        "right_lower": ("hip_right", "upper_leg_right", "lower_leg_right"),
        "axial": ("neck", "upper_back", "lower_back", "chest", "abdomen"),
    }
)
ACR_AREAS: tuple[str, ...] = tuple(
    area for areas in ACR_REGIONS.values() for area in areas
)
ACR_AREA_REGION: Mapping[str, str] = MappingProxyType(
    {area: region for region, areas in ACR_REGIONS.items() for area in areas}
)
# Counted in the WPI but not in the generalised-pain definition.
ACR_GENERALISED_EXCLUDED: frozenset[str] = frozenset(
    {"jaw_left", "jaw_right", "chest", "abdomen"}
)

ACR_SEVERITY_FIELDS: tuple[str, ...] = (
    "fatigue",
    "unrefreshed",
    "cognitive",
)  # 0-3 each
ACR_YES_NO_FIELDS: tuple[str, ...] = (
    "headaches",
    "abdominal",
    "depression",
)  # 0-1 each

ACR_MAX_WPI = len(ACR_AREAS)  # 19
ACR_MAX_SSS = 3 * len(ACR_SEVERITY_FIELDS) + len(ACR_YES_NO_FIELDS)  # 12
ACR_MIN_GENERALISED_REGIONS = 4

ACR_SERIAL_INSTRUMENT = "acr2016"
ACR_SERIAL_VERSION = 1


@dataclass(frozen=True)
class Acr2016Answers:
    """One ACR 2016 self-report.

    ``painful_areas``: area keys (``ACR_AREAS``) with pain over the past week.
    ``fatigue``, ``unrefreshed``, ``cognitive``: 0-3 over the past week.
    ``headaches``, ``abdominal`` (lower abdominal pain or cramps),
    ``depression``: 0 or 1 over the past 6 months (True/False accepted, stored
    as 1/0). ``three_months``: symptoms present for at least 3 months.
    Bad values raise ``MeasuresError``.
    """

    painful_areas: frozenset[str] = frozenset()
    fatigue: int = 0
    unrefreshed: int = 0
    cognitive: int = 0
    headaches: int = 0
    abdominal: int = 0
    depression: int = 0
    three_months: bool = False

    def __post_init__(self) -> None:
        areas = self.painful_areas
        if isinstance(areas, str) or not isinstance(areas, Iterable):
            raise MeasuresError("painful_areas must be a set of area keys.")
        try:
            areas = frozenset(areas)
        except TypeError:
            raise MeasuresError("painful_areas must be a set of area keys.") from None
        unknown = sorted(str(a) for a in areas if a not in ACR_AREA_REGION)
        if unknown:
            raise MeasuresError(f"Unknown body area: {', '.join(unknown)}.")
        object.__setattr__(self, "painful_areas", areas)
        for name in ACR_SEVERITY_FIELDS:
            value = getattr(self, name)
            if (
                isinstance(value, bool)
                or not isinstance(value, int)
                or not 0 <= value <= 3
            ):
                raise MeasuresError(
                    f"{name} must be a whole number from 0 to 3, not {value!r}."
                )
        for name in ACR_YES_NO_FIELDS:
            value = getattr(self, name)
            if not isinstance(value, int) or not 0 <= value <= 1:
                raise MeasuresError(
                    f"{name} must be 0 or 1 (no or yes), not {value!r}."
                )
            object.__setattr__(self, name, int(value))
        if not isinstance(self.three_months, bool):
            raise MeasuresError(
                f"three_months must be True or False, not {self.three_months!r}."
            )


class Acr2016Result(NamedTuple):
    """Scores from an ACR 2016 self-report. Tracking only, never a diagnosis.

    ``wpi``: widespread pain index 0-19. ``sss``: symptom severity 0-12.
    ``pds``: polysymptomatic distress, wpi + sss (0-31). ``generalised``: pain
    in at least 4 of the 5 regions, jaw, chest and abdomen not counted.
    ``criteria_pattern_met``: the answers fit the published 2016 pattern.
    """

    wpi: int
    sss: int
    pds: int
    generalised: bool
    regions_with_pain: frozenset[str]
    criteria_pattern_met: bool
    label: str = ACR2016_LABEL
    #: False for stored answers that cannot be scored (``reason`` says why);
    #: the numbers are then 0 and must not be shown.
    valid: bool = True
    reason: str | None = None


def unscored_acr2016(reason: str) -> Acr2016Result:
    """The result of a stored ACR 2016 record whose answers cannot be read."""
    return Acr2016Result(0, 0, 0, False, frozenset(), False, valid=False, reason=reason)


def unscored_fiqr(reason: str) -> FiqrResult:
    """The result of a stored FIQR whose answers cannot be read: not scored."""
    return FiqrResult(False, None, None, None, None, reason, 0, 0, 0)


def score_acr2016(answers: Acr2016Answers) -> Acr2016Result:
    """Score the ACR 2016 criteria (Wolfe et al. 2016) for tracking.

    Pattern met when (WPI >= 7 and SSS >= 5) or (WPI 4-6 and SSS >= 9), and
    pain is generalised, and symptoms have lasted at least 3 months.
    """
    if not isinstance(answers, Acr2016Answers):
        raise MeasuresError("score_acr2016 needs Acr2016Answers.")
    wpi = len(answers.painful_areas)
    sss = sum(
        getattr(answers, name) for name in ACR_SEVERITY_FIELDS + ACR_YES_NO_FIELDS
    )
    regions = frozenset(
        ACR_AREA_REGION[area]
        for area in answers.painful_areas
        if area not in ACR_GENERALISED_EXCLUDED
    )
    generalised = len(regions) >= ACR_MIN_GENERALISED_REGIONS
    severity_ok = (wpi >= 7 and sss >= 5) or (4 <= wpi <= 6 and sss >= 9)
    return Acr2016Result(
        wpi=wpi,
        sss=sss,
        pds=wpi + sss,
        generalised=generalised,
        regions_with_pain=regions,
        criteria_pattern_met=severity_ok and generalised and answers.three_months,
    )


def acr2016_answers_to_dict(answers: Acr2016Answers) -> dict[str, Any]:
    """Plain JSON-able form; areas sorted in ``ACR_AREAS`` order."""
    record: dict[str, Any] = {
        "instrument": ACR_SERIAL_INSTRUMENT,
        "version": ACR_SERIAL_VERSION,
        "painful_areas": [area for area in ACR_AREAS if area in answers.painful_areas],
    }
    for name in ACR_SEVERITY_FIELDS + ACR_YES_NO_FIELDS:
        record[name] = getattr(answers, name)
    record["three_months"] = answers.three_months
    return record


def acr2016_answers_from_dict(data: object) -> Acr2016Answers:
    """The inverse of ``acr2016_answers_to_dict``; raises ``MeasuresError`` on anything else."""
    if not isinstance(data, Mapping):
        raise MeasuresError("ACR 2016 record must be an object.")
    if data.get("instrument") != ACR_SERIAL_INSTRUMENT:
        raise MeasuresError(
            f"Not an ACR 2016 record (instrument is {data.get('instrument')!r})."
        )
    if data.get("version") != ACR_SERIAL_VERSION:
        raise MeasuresError(
            f"Unsupported ACR 2016 record version {data.get('version')!r}."
        )
    fields = (
        ("painful_areas",) + ACR_SEVERITY_FIELDS + ACR_YES_NO_FIELDS + ("three_months",)
    )
    extra = sorted(set(data) - {"instrument", "version", *fields})
    if extra:
        raise MeasuresError(
            f"Unexpected field in ACR 2016 record: {', '.join(map(str, extra))}."
        )
    absent = [name for name in fields if name not in data]
    if absent:
        raise MeasuresError(f"ACR 2016 record is missing {', '.join(absent)}.")
    areas = data["painful_areas"]
    if not isinstance(areas, list):
        raise MeasuresError("painful_areas must be a list of area keys.")
    return Acr2016Answers(
        painful_areas=areas,
        **{name: data[name] for name in fields[1:]},
    )
