"""Find the quantitative claims in an English or Russian sentence or paragraph. Pure: text in, claims out.

A claim is a number (or a superlative without one) with what the sentence says it counts: the offence
words (articles), the measure (sentences or cases received), the period, the region and a superlative.
Each word is taken from the same sentence, the nearest to the number; a claim that names no offence or
period takes them from the claim before it ("496 of these cases ..."), and says so.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Literal, TypeVar

from warduty.claims.words import Vocabulary, vocabulary
from warduty.stats.definitions import MOBILISATION_START, Metric
from warduty.stats.months import EN_MONTHS, RU_MONTHS, RU_MONTHS_IN, RU_MONTHS_OF, first_day, last_day

MAX_TEXT = 5_000  # characters a check reads
MAX_CLAIMS = 20  # claims checked in one text
MAX_COUNT = 10_000_000  # larger numbers are not counts of court records or applicants
Topic = Literal["courts", "asylum"]
Hedge = Literal["about", "at_least"]
T = TypeVar("T")


class ClaimTextError(ValueError):
    """The text cannot be read as claims (empty or too long)."""


@dataclass(frozen=True, slots=True)
class Period:
    since: date
    until: date
    label: str  # as the sentence says it, e.g. "March 2024", "since the mobilisation"
    month: str | None = None  # YYYY-MM when the period is one calendar month

    def to_dict(self) -> dict[str, object]:
        return {"since": self.since.isoformat(), "until": self.until.isoformat(), "label": self.label,
                "month": self.month}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Claim:
    sentence: str
    span: tuple[int, int]  # of the number (or the superlative) in ``sentence``
    number: int | None
    hedge: Hedge | None  # "almost 7,400": about; "over 3,000": at_least (a lower bound)
    topic: Topic
    articles: tuple[str, ...]
    confused_with: tuple[str, ...]
    measure: Metric | None
    period: Period | None
    region: str | None  # the court registry's seat region (Russian name)
    region_words: str | None
    superlative: str | None
    destination: str | None = None  # asylum: a destination country the sentence names
    inherited: tuple[str, ...] = field(default=())  # fields taken from the claim before

    @property
    def quote(self) -> str:
        return self.sentence[self.span[0] : self.span[1]]

    def to_dict(self) -> dict[str, object]:
        return {
            "sentence": self.sentence,
            "quote": self.quote,
            "number": self.number,
            "hedge": self.hedge,
            "topic": self.topic,
            "articles": list(self.articles),
            "measure": self.measure,
            "period": self.period.to_dict() if self.period else None,
            "region": self.region,
            "superlative": self.superlative,
            "destination": self.destination,
            "inherited": list(self.inherited),
        }


_MONTH_FORMS: dict[str, int] = {}
for _forms in (EN_MONTHS, RU_MONTHS, RU_MONTHS_IN, RU_MONTHS_OF):
    for _index, _name in enumerate(_forms, start=1):
        _MONTH_FORMS[_name.lower()] = _index
for _index, _name in enumerate(EN_MONTHS, start=1):
    _MONTH_FORMS[_name[:3].lower()] = _index
_MONTH_WORD = "|".join(sorted((re.escape(m) for m in _MONTH_FORMS), key=len, reverse=True))
_MONTH = re.compile(rf"(?<!\w)({_MONTH_WORD})\.?(?:\s+(\d{{4}}))?(?!\w)", re.IGNORECASE)
_YEAR_WORDS = r"(?:in|during|for|of|throughout|в|во|за|на)"
_YEAR = re.compile(
    rf"(?<!\w)(?:{_YEAR_WORDS}\s+(?:the\s+)?(?:year\s+)?((?:19|20)\d\d)(?:\s*(?:году|года|год|г\.))?"
    r"|((?:19|20)\d\d)\s*(?:году|года|год|г\.))(?!\d)",
    re.IGNORECASE,
)
_YEAR_AFTER = re.compile(r"\s+(?:of\s+)?(?:the\s+)?((?:19|20)\d\d)|\s+(?:the\s+)?(year|года)", re.IGNORECASE)
_NUMBER = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:(?:,|\u00a0| )\d{3})+|\d+)(?:[.,](\d{1,2}))?(?!\d)"
    r"(\s*(?:thousand|тыс\.|тысяч\w*|k(?!\w)))?",
    re.IGNORECASE,
)
_NOT_A_COUNT_BEFORE = re.compile(
    r"(?:article|art\.|arts\.|статья|статье|статьи|статей|ст\.|ч\.|part|parts|no\.|№|decree|указ\w*|"
    r"\$|€|£)\s*$",
    re.IGNORECASE,
)
_NOT_A_COUNT_AFTER = re.compile(r"^\s*(?:%|percent|per\s*cent|процент\w*|-?х|-?ти|st|nd|rd|th)(?!\w)",
                                re.IGNORECASE)  # fmt: skip
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[\"«“(]?[A-ZА-ЯЁ])")
_MOBILISATION_MONTH = re.compile(
    r"\s+(?:in|of|в)\s+(?:september|сентябре|сентября)\s+2022(?:\s+(?:года|г\.))?", re.IGNORECASE
)
_SINCE_BEFORE = re.compile(r"(?:since|с|со)\s+$", re.IGNORECASE)
_CLAUSE = re.compile(r";")  # a clause break (a dash is not one: "in Moscow Oblast – 496")
CLAUSE_BREAK = 1_000  # a word across a clause break is taken only when none is nearer
_TAG = re.compile(r"<[^<>]{0,500}>")


def normalise(text: str) -> str:
    """The text as the parser reads it: Unicode NFKC, markup tags and control characters as spaces."""
    if not isinstance(text, str):
        raise ClaimTextError("the text must be a string")
    if len(text) > MAX_TEXT:
        raise ClaimTextError(
            f"the text is longer than {MAX_TEXT:,} characters; check one paragraph at a time"
        )
    text = unicodedata.normalize("NFKC", text)
    text = _TAG.sub(" ", text)
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in text)
    text = text.replace("\u2009", " ").replace("\u202f", " ")
    return re.sub(r"[ \t]+", " ", text).strip()


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def parse_claims(text: str, as_of: date, words: Vocabulary | None = None) -> list[Claim]:
    """Every quantitative claim in ``text`` (at most :data:`MAX_CLAIMS`), periods resolved against
    ``as_of`` (the last day the data cover: "in March" is the latest March that began by then)."""
    words = words or vocabulary()
    clean = normalise(text)
    if not clean:
        raise ClaimTextError("the text is empty")
    claims: list[Claim] = []
    for sentence in sentences(clean):
        for claim in _sentence_claims(sentence, as_of, words):
            claims.append(_inherit(claim, claims[-1]) if claims else claim)
            if len(claims) >= MAX_CLAIMS:
                return claims
    return claims


def _inherit(claim: Claim, before: Claim) -> Claim:
    """Fill what ``claim`` leaves out from ``before`` (press paragraphs say "these cases")."""
    if claim.topic != before.topic:
        return claim
    taken: list[str] = []
    articles, confused, period = claim.articles, claim.confused_with, claim.period
    if not articles and before.articles:
        articles, confused = before.articles, before.confused_with
        taken.append("articles")
    if period is None and before.period is not None:
        period = before.period
        taken.append("period")
    if not taken:
        return claim
    return replace(claim, articles=articles, confused_with=confused, period=period, inherited=tuple(taken))


@dataclass(frozen=True, slots=True)
class _Found:
    start: int
    end: int
    text: str


def _all(pattern: re.Pattern[str], sentence: str) -> list[_Found]:
    return [_Found(m.start(), m.end(), m.group(0)) for m in pattern.finditer(sentence)]


def _distance(found: _Found, span: tuple[int, int], breaks: tuple[int, ...] = ()) -> int:
    """Characters between a word and a number; a clause break (";") between them counts as far."""
    if found.end <= span[0]:
        gap, low, high = span[0] - found.end, found.end, span[0]
    elif found.start >= span[1]:
        gap, low, high = found.start - span[1], span[1], found.start
    else:
        return 0
    return gap + CLAUSE_BREAK * sum(1 for b in breaks if low <= b < high)


def _nearest(
    items: Sequence[tuple[_Found, T]], span: tuple[int, int], breaks: tuple[int, ...] = ()
) -> tuple[_Found, T] | None:
    return min(items, key=lambda item: (_distance(item[0], span, breaks), item[0].start), default=None)


def _sentence_claims(sentence: str, as_of: date, words: Vocabulary) -> list[Claim]:
    periods = _periods(sentence, as_of, words)
    taken = [(p[0].start, p[0].end) for p in periods]
    numbers = [n for n in _numbers(sentence) if not any(s <= n[0] < e for s, e in taken)]
    asylum = bool(words.asylum.search(sentence))
    topic: Topic = "asylum" if asylum else "courts"
    offences = [(f, o) for o in words.offences for f in _all(o.pattern, sentence)]
    measures = [(f, m) for m, pattern in words.measures.items() for f in _all(pattern, sentence)]
    regions = [(f, r) for r, pattern in words.regions.items() for f in _all(pattern, sentence)]
    superlatives = [(f, f.text) for f in _all(words.superlative, sentence)]
    hedges: list[tuple[_Found, Hedge]] = [(f, "about") for f in _all(words.about, sentence)]
    hedges += [(f, "at_least") for f in _all(words.at_least, sentence)]
    spans: list[tuple[tuple[int, int], int | None]] = [((s, e), value) for s, e, value in numbers]
    breaks = tuple(m.start() for m in _CLAUSE.finditer(sentence))
    if not spans and superlatives and (asylum or offences or measures):
        first = superlatives[0][0]
        spans = [((first.start, first.end), None)]
    claims = []
    for span, value in spans:
        offence = _nearest(offences, span, breaks)
        measure = _nearest(measures, span, breaks)
        region = _nearest(regions, span, breaks)
        period = _nearest(_owned_by(periods, span, spans, breaks) or periods, span, breaks)
        superlative = _nearest(superlatives, span, breaks)
        # A superlative or a region belongs to the number nearest to it, not to every number.
        superlative = _owned(superlative, span, spans, breaks)
        region = _owned(region, span, spans, breaks)
        hedge = next((kind for h, kind in hedges if 0 <= span[0] - h.end <= 2), None)
        articles = offence[1].articles if offence and not asylum else ()
        confused = offence[1].confused_with if offence and not asylum else ()
        claims.append(
            Claim(
                sentence=sentence,
                span=span,
                number=value,
                hedge=hedge,
                topic=topic,
                articles=articles,
                confused_with=confused,
                measure=measure[1] if measure else None,
                period=period[1] if period else None,
                region=None if asylum or region is None else region[1],
                region_words=None if asylum or region is None else region[0].text,
                superlative=superlative[0].text if superlative else None,
                destination=_destination(sentence, words) if asylum else None,
            )
        )
    return claims


def _destination(sentence: str, words: Vocabulary) -> str | None:
    found = words.destination.search(sentence)
    return found.group(0) if found else None


def _owned_by(
    items: list[tuple[_Found, Period]],
    span: tuple[int, int],
    spans: list[tuple[tuple[int, int], int | None]],
    breaks: tuple[int, ...],
) -> list[tuple[_Found, Period]]:
    """The periods nearer to the number at ``span`` than to any other number of the sentence."""
    return [item for item in items if _owned(item, span, spans, breaks) is not None]


def _owned(
    item: tuple[_Found, T] | None,
    span: tuple[int, int],
    spans: list[tuple[tuple[int, int], int | None]],
    breaks: tuple[int, ...],
) -> tuple[_Found, T] | None:
    if item is None:
        return None
    owner = min(spans, key=lambda s: (_distance(item[0], s[0], breaks), s[0]))
    return item if owner[0] == span else None


def _numbers(sentence: str) -> list[tuple[int, int, int | None]]:
    """(start, end, value) of each number that may be a count: not a year, a date, an article or part,
    a percentage, or an amount of money. ``None``: too large to be a count."""
    out: list[tuple[int, int, int | None]] = []
    for match in _NUMBER.finditer(sentence):
        digits = re.sub(r"\D", "", match.group(1))
        before, after = sentence[: match.start()], sentence[match.end() :]
        if _NOT_A_COUNT_BEFORE.search(before[-20:]) or _NOT_A_COUNT_AFTER.match(after):
            continue
        if match.group(2) and not match.group(3):
            continue  # a decimal: a rate or a share, not a count
        if _is_date(before, after, digits):
            continue
        if _SINCE_BEFORE.search(before[-6:]) and re.fullmatch(r"(?:19|20)\d\d", match.group(0)):
            continue  # "since 2016": a year
        if len(digits) > 12:
            out.append((match.start(), match.end(), None))
            continue
        value = int(digits)
        if match.group(3):
            fraction = match.group(2) or ""
            value = value * 1000 + (int(fraction.ljust(3, "0")) if fraction else 0)
        out.append((match.start(), match.end(), value if value <= MAX_COUNT else None))
    return out


def _is_date(before: str, after: str, digits: str) -> bool:
    """A day next to a month name ("21 September", "Dec. 29"), or a bare year next to one."""
    tail = before[-14:].lower()
    head = after[:14].lower()
    month_before = re.search(rf"(?:{_MONTH_WORD})\.?\s*$", tail, re.IGNORECASE)
    month_after = re.match(rf"^\s*(?:{_MONTH_WORD})(?!\w)", head, re.IGNORECASE)
    if (month_before or month_after) and len(digits) <= 2:
        return True
    return bool(month_before and len(digits) == 4)


def _periods(sentence: str, as_of: date, words: Vocabulary) -> list[tuple[_Found, Period]]:
    found: list[tuple[_Found, Period]] = []

    def free(start: int, end: int) -> bool:
        return not any(f.start < end and start < f.end for f, _ in found)

    for f in _all(words.since_mobilisation, sentence):
        # "since the mobilisation in September 2022": the month names the mobilisation, not a period.
        named = _MOBILISATION_MONTH.match(sentence[f.end :])
        if named:
            f = _Found(f.start, f.end + named.end(), sentence[f.start : f.end + named.end()])
        found.append((f, Period(MOBILISATION_START, as_of, "since the mobilisation")))
    for pattern, half in ((words.first_half, 1), (words.second_half, 2)):
        for f in _all(pattern, sentence):
            written = re.match(r"\s+(?:of\s+)?((?:19|20)\d\d)", sentence[f.end :])
            if written:
                y = int(written.group(1))
                since, until = (
                    (date(y, 1, 1), date(y, 6, 30)) if half == 1 else (date(y, 7, 1), date(y, 12, 31))
                )
                end = f.end + written.end()
                label = f"{'first' if half == 1 else 'second'} half of {y}"
                period = Period(since, min(until, as_of), label)
                found.append((_Found(f.start, end, sentence[f.start : end]), period))
    for f in _all(words.since_start_of, sentence):
        if not free(f.start, f.end):
            continue
        rest = _YEAR_AFTER.match(sentence[f.end :])
        if rest:
            y = int(rest.group(1)) if rest.group(1) else as_of.year
            end = f.end + rest.end()
            period = Period(date(y, 1, 1), as_of, f"since the start of {y}")
            found.append((_Found(f.start, end, sentence[f.start : end]), period))
    for span in words.day_spans:
        for f in _all(span.pattern, sentence):
            if free(f.start, f.end):
                since = as_of - timedelta(days=span.days - 1)
                found.append((f, Period(since, as_of, f"the {span.days} days to {as_of.isoformat()}")))
    for m in _MONTH.finditer(sentence):
        if not free(m.start(), m.end()):
            continue
        number = _MONTH_FORMS[m.group(1).lower()]
        year = int(m.group(2)) if m.group(2) else None
        if year is None:
            year = as_of.year if number <= as_of.month else as_of.year - 1
        month = f"{year:04d}-{number:02d}"
        since_word = re.search(r"(?:since|from|с)\s+$", sentence[: m.start()][-8:], re.IGNORECASE)
        f = _Found(m.start(), m.end(), m.group(0))
        if since_word:
            found.append((f, Period(first_day(month), as_of, f"since {EN_MONTHS[number - 1]} {year}")))
        else:
            until = min(last_day(month), as_of)
            found.append((f, Period(first_day(month), until, f"{EN_MONTHS[number - 1]} {year}", month)))
    for m in _YEAR.finditer(sentence):
        if not free(m.start(), m.end()):
            continue
        y = int(m.group(1) or m.group(2))
        period = Period(date(y, 1, 1), min(date(y, 12, 31), as_of), str(y))
        found.append((_Found(m.start(), m.end(), m.group(0)), period))
    # "the highest since 2016": the period after a superlative is what it compares with, not the claim's.
    return [
        (f, period)
        for f, period in found
        if not (_SINCE_BEFORE.search(sentence[: f.start]) and superlatives_end_near(sentence, f.start, words))
    ]


def superlatives_end_near(sentence: str, start: int, words: Vocabulary) -> bool:
    return any(0 <= start - m.end() <= 8 for m in words.superlative.finditer(sentence[:start]))
