"""Check a claim against the data: the figure it states, by the definitions of ``warduty.stats``, the
nearest figure when its labels are off, and one verdict.

Court claims are counted with ``warduty.stats`` (``total``, ``region_ranking``, ``monthly_series`` and
``record``/``record_phrase``); each answer carries a ``warduty.stats.figures.Figure`` with its case basis,
so it names its definition and case count and links to the case list. Asylum claims are read from the
Eurostat series (``warduty.asylum``) with its incomplete-month flags and vintage.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from urllib.parse import urlencode

from sqlalchemy import Connection

from warduty.asylum.records import FULL_SCALE_INVASION_MONTH, peak_month, record_statement
from warduty.asylum.stats import MonthValue, annual_totals
from warduty.claims.parse import Claim, Hedge, Period
from warduty.courts import load_registry
from warduty.courts.registry import MOSCOW_CITY, MOSCOW_OBLAST
from warduty.law import WATCHED_ARTICLES
from warduty.stats.definitions import (
    DEFINITIONS,
    MOBILISATION_START,
    MOSCOW_BOTH_EN,
    MOSCOW_BOTH_RU,
    Filters,
    Metric,
)
from warduty.stats.figures import SERIES_START, CaseBasis, Figure
from warduty.stats.months import Lang, in_month, month_name, month_of
from warduty.stats.records import number, record, record_phrase
from warduty.stats.regions import MoscowReading, region_ranking
from warduty.stats.series import MonthCount, monthly_series, total

LANGS: tuple[Lang, ...] = ("en", "ru")
TOLERANCE = 0.05  # "close": within 5 % of the claimed number
SERIES_FIRST_DAY = date(int(SERIES_START[:4]), int(SERIES_START[5:]), 1)
MERGED_MOSCOW = MOSCOW_BOTH_RU  # the region reading "Moscow city and Oblast together"
ASYLUM_DEFINITION = {
    "en": "Asylum applicants: first-time applicants with Russian citizenship (Eurostat migr_asyappctzm), "
    "summed over the reporting countries; a month still being reported is flagged incomplete.",
    "ru": "Просители убежища: граждане России, впервые подавшие заявление (Eurostat migr_asyappctzm), "
    "сумма по отчитавшимся странам; месяц, по которому ещё не все страны отчитались, помечен неполным.",
}
METRIC_WORDS: dict[Metric, dict[Lang, str]] = {
    "sentences": {"en": "sentences (defendants with a verdict)", "ru": "приговоры (осуждённые)"},
    "received": {"en": "cases received", "ru": "поступившие дела"},
}


class Verdict(StrEnum):
    MATCHES = "matches"
    OTHER_LABEL = "matches under another label"
    CLOSE = "close"
    DOES_NOT_MATCH = "does not match"
    CANNOT_CHECK = "cannot be checked"


VERDICT_WORDS: dict[Verdict, dict[Lang, str]] = {
    Verdict.MATCHES: {"en": "matches", "ru": "совпадает"},
    Verdict.OTHER_LABEL: {"en": "matches under another label", "ru": "совпадает, но под другим названием"},
    Verdict.CLOSE: {"en": f"close (within {TOLERANCE:.0%})", "ru": f"близко (в пределах {TOLERANCE:.0%})"},
    Verdict.DOES_NOT_MATCH: {"en": "does not match", "ru": "не совпадает"},
    Verdict.CANNOT_CHECK: {"en": "cannot be checked", "ru": "проверить нельзя"},
}


@dataclass(frozen=True, slots=True)
class Labels:
    """What a figure counts: the claim's labels, or another reading of them."""

    articles: tuple[str, ...]
    metric: Metric
    period: Period
    region: str | None = None  # seat region (Russian); MERGED_MOSCOW for Moscow city and Oblast together

    def describe(self, lang: Lang) -> str:
        arts = ("ст. " if lang == "ru" else "art. ") + "+".join(self.articles)
        what = METRIC_WORDS[self.metric][lang]
        text = f"{what}, {arts}" if lang == "en" else f"{what} по {arts}"
        text += f", {period_words(self.period, lang)}"
        if self.region:
            text += (
                f", {self.region}" if lang == "ru" else f", courts seated in {region_in_english(self.region)}"
            )
        return text


def region_in_english(region: str) -> str:
    """The English name of a seat region (the registry's), or the Russian one when it has none."""
    if region == MERGED_MOSCOW:
        return MOSCOW_BOTH_EN
    names = {c.seat_region_ru: c.seat_region_en for c in load_registry()}
    return names.get(region, region)


@dataclass(frozen=True, slots=True)
class Answer:
    """What the data give for one claim, the verdict and why."""

    claim: Claim
    verdict: Verdict
    reason: dict[Lang, str]
    figure: Figure | None = None  # what the data give for exactly the claim
    labels: Labels | None = None
    nearest: Figure | None = None  # the figure the claimed number is, when the labels are off
    nearest_labels: Labels | None = None
    superlative: dict[Lang, str] | None = None  # what is true about the superlative
    superlative_holds: bool | None = None
    source: dict[str, object] = field(default_factory=dict)  # asylum: series source, vintage
    figure_words: dict[Lang, str] | None = None  # what the figure counts, when it has no court labels

    def to_dict(self) -> dict[str, object]:
        return {
            "claim": self.claim.to_dict(),
            "verdict": self.verdict.value,
            "reason": self.reason,
            "tolerance": TOLERANCE,
            "figure": figure_dict(self.figure, self.labels, self.figure_words),
            "nearest": figure_dict(self.nearest, self.nearest_labels),
            "superlative": self.superlative,
            "superlative_holds": self.superlative_holds,
            "source": self.source,
        }


def figure_dict(
    figure: Figure | None, labels: Labels | None, words: dict[Lang, str] | None = None
) -> dict[str, object] | None:
    if figure is None:
        return None
    definition = DEFINITIONS.get(figure.definition) or (
        ASYLUM_DEFINITION if figure.definition == "asylum" else {}
    )
    return {
        **figure.to_dict(),
        "label": {"en": labels.describe("en"), "ru": labels.describe("ru")} if labels else words,
        "definition_text": definition,
        "cases_url": case_list_url(figure),
    }


def case_list_url(figure: Figure) -> str | None:
    """The dashboard's case list behind a court figure (None for asylum and merged regions)."""
    return None if figure.basis is None else "/cases?" + urlencode(figure.basis.case_list_query())


def period_words(period: Period, lang: Lang) -> str:
    if period.month:
        return month_name(period.month, lang)
    if period.since == MOBILISATION_START:
        head = "с начала мобилизации (21.09.2022)" if lang == "ru" else "since the mobilisation (21 Sep 2022)"
        return f"{head} {'по' if lang == 'ru' else 'to'} {period.until.isoformat()}"
    return f"{period.since.isoformat()} – {period.until.isoformat()}"


def rounding_unit(claimed: int) -> int:
    """The unit a round number is rounded to: 7,400 -> 100; 684 -> 1."""
    zeros = len(str(claimed)) - len(str(claimed).rstrip("0")) if claimed else 0
    return 10**zeros if zeros >= 2 else 1


def compare(claimed: int, value: int, hedge: Hedge | None = None) -> Verdict | None:
    """MATCHES (equal, what a round number rounds, or at least a lower bound's number), CLOSE (within
    :data:`TOLERANCE`), else None."""
    unit = rounding_unit(claimed)
    if value == claimed or (unit > 1 and abs(value - claimed) * 2 <= unit):
        return Verdict.MATCHES
    if hedge == "at_least" and value >= claimed:
        return Verdict.MATCHES
    if abs(value - claimed) <= TOLERANCE * claimed:
        return Verdict.CLOSE
    return None


def _say(en: str, ru: str) -> dict[Lang, str]:
    return {"en": en, "ru": ru}


def cannot(claim: Claim, en: str, ru: str) -> Answer:
    return Answer(claim, Verdict.CANNOT_CHECK, _say(en, ru))


# -- court claims ------------------------------------------------------------------------------------


def court_figure(connection: Connection, labels: Labels, as_of: date) -> Figure:
    """The figure ``labels`` state, counted by ``warduty.stats`` with its case basis."""
    filters = Filters(articles=labels.articles, since=labels.period.since, until=labels.period.until)
    region = labels.region
    if region is None:
        value = total(connection, labels.metric, filters)
        definition: str = "since_mobilisation" if (
            labels.metric == "received" and filters.since == MOBILISATION_START
        ) else labels.metric  # fmt: skip
        basis: CaseBasis | None = CaseBasis(labels.metric, filters)
    else:
        reading: MoscowReading = "city_and_oblast" if region == MERGED_MOSCOW else "oblast"
        ranking = region_ranking(connection, labels.metric, filters, reading)
        value = next((r.value for r in ranking if r.region_ru == region), 0)
        definition = "region"
        basis = None if region == MERGED_MOSCOW else CaseBasis(labels.metric, filters, region=region)
    cases = value if labels.metric == "received" or basis is None else basis.count(connection)
    key = f"check_{labels.metric}_{'+'.join(labels.articles)}_{filters.since}_{filters.until}" + (
        f"_{region}" if region else ""
    )
    filters_dict = {**filters.to_dict(), **({"region": region} if region else {})}
    return Figure(key, value, definition, filters_dict, as_of.isoformat(), cases, basis=basis)


def _alternatives(claim: Claim, exact: Labels) -> list[Labels]:
    """Other readings of the claim's labels the press mixes up: the confused article, the other
    measure, the other reading of "Moscow region"."""
    articles = [exact.articles, *[(a,) for a in claim.confused_with if (a,) != exact.articles]]
    metrics: list[Metric] = [exact.metric, "received" if exact.metric == "sentences" else "sentences"]
    regions: list[str | None] = [exact.region]
    if exact.region == MOSCOW_CITY:
        regions += [MOSCOW_OBLAST, MERGED_MOSCOW]
    elif exact.region == MOSCOW_OBLAST:
        regions += [MERGED_MOSCOW]
    out = [Labels(a, m, exact.period, r) for a in articles for m in metrics for r in regions]
    return [labels for labels in out if labels != exact]


def _changes(claimed: Labels, actual: Labels) -> int:
    return sum(
        (
            claimed.articles != actual.articles,
            claimed.metric != actual.metric,
            claimed.region != actual.region,
        )
    )


def _differences(claimed: Labels, actual: Labels, lang: Lang) -> str:
    parts = []
    if claimed.articles != actual.articles:
        parts.append(("ст. " if lang == "ru" else "art. ") + "+".join(actual.articles))
    if claimed.metric != actual.metric:
        parts.append(METRIC_WORDS[actual.metric][lang])
    if claimed.region != actual.region:
        parts.append(actual.region or "")
    return ", ".join(parts)


def check_court_claim(connection: Connection, claim: Claim, as_of: date) -> Answer:
    problem = _court_problem(claim, as_of)
    if problem:
        return cannot(claim, *problem)
    assert claim.period is not None
    metrics: list[Metric] = [claim.measure] if claim.measure else ["sentences", "received"]
    candidates = [Labels(claim.articles, m, claim.period, claim.region) for m in metrics]
    figures = [(labels, court_figure(connection, labels, as_of)) for labels in candidates]
    if claim.number is None:
        labels, figure = figures[0]
        return _superlative_only(connection, claim, labels, figure, as_of)
    claimed = claim.number
    ranked = sorted(figures, key=lambda lf: abs(int(lf[1].value) - claimed))
    labels, figure = ranked[0]
    verdict = compare(claimed, int(figure.value), claim.hedge)
    nearest_labels, nearest = None, None
    if verdict is None:
        others = [(alt, court_figure(connection, alt, as_of)) for alt in _alternatives(claim, labels)]
        matching = [(alt, fig) for alt, fig in others if compare(claimed, int(fig.value), claim.hedge)]
        if matching:
            # The reading that changes fewest labels, then the nearest number.
            nearest_labels, nearest = min(
                matching, key=lambda lf: (_changes(labels, lf[0]), abs(int(lf[1].value) - claimed))
            )
            verdict = Verdict.OTHER_LABEL
        else:
            verdict = Verdict.DOES_NOT_MATCH
    reason = _court_reason(claim, verdict, labels, figure, nearest_labels, nearest)
    answer = Answer(claim, verdict, reason, figure, labels, nearest, nearest_labels)
    if claim.superlative:
        answer = _with_superlative(connection, answer, nearest_labels or labels, as_of)
    return answer


def _court_problem(claim: Claim, as_of: date) -> tuple[str, str] | None:
    if claim.number is None and claim.superlative is None:
        return ("the number is too large to be a count of court records",
                "число слишком велико для числа судебных дел")  # fmt: skip
    if not claim.articles:
        return ("the sentence names no offence (AWOL, desertion, refusing orders, ...)",
                "в предложении не названо деяние (самовольное оставление части, дезертирство)")  # fmt: skip
    if any(a not in WATCHED_ARTICLES for a in claim.articles):
        return ("draft evasion (art. 328) is tried by ordinary district courts, not by military courts: "
                "warduty holds no such records",
                "уклонение от призыва (ст. 328) рассматривают районные суды, а не военные: таких данных "
                "в warduty нет")  # fmt: skip
    if claim.period is None:
        return ("the sentence gives no period (a month, a year, since the mobilisation, ...)",
                "в предложении не указан период (месяц, год, с начала мобилизации, ...)")  # fmt: skip
    if claim.period.since > as_of:
        return (f"the period begins after the data's as-of date {as_of.isoformat()}",
                f"период начинается после даты данных {as_of.isoformat()}")  # fmt: skip
    if claim.period.since < SERIES_FIRST_DAY:
        return (f"the records begin in {month_name(SERIES_START)}; the period starts earlier",
                f"данные начинаются с {SERIES_START}; период начинается раньше")  # fmt: skip
    return None


def _court_reason(
    claim: Claim,
    verdict: Verdict,
    labels: Labels,
    figure: Figure,
    nearest_labels: Labels | None,
    nearest: Figure | None,
) -> dict[Lang, str]:
    out: dict[Lang, str] = {}
    for lang in LANGS:
        value = number(int(figure.value), lang)
        said = number(claim.number or 0, lang)
        if claim.hedge == "at_least":
            said = f"{'более' if lang == 'ru' else 'more than'} {said}"
        exact = f"{labels.describe(lang)}: {value}"
        if verdict in (Verdict.MATCHES, Verdict.CLOSE):
            text = f"данные: {exact}" if lang == "ru" else f"the data give {exact}"
            if verdict is Verdict.MATCHES and claim.hedge == "at_least" and int(figure.value) != claim.number:
                text += f" ({said})"
            if verdict is Verdict.CLOSE:
                share = (int(figure.value) - (claim.number or 0)) / max(claim.number or 1, 1)
                text += f" ({share:+.1%} " + ("к заявленному" if lang == "ru" else "from the claim") + ")"
        elif verdict is Verdict.OTHER_LABEL and nearest is not None and nearest_labels is not None:
            other = f"{nearest_labels.describe(lang)}: {number(int(nearest.value), lang)}"
            diff = _differences(labels, nearest_labels, lang)
            if lang == "ru":
                text = f"{said} — это {other} ({diff}); по формулировке утверждения ({exact}) — {value}"
            else:
                text = f"{said} is {other} ({diff}); what the sentence says ({exact}) is {value}"
        else:
            text = f"данные: {exact}, а не {said}" if lang == "ru" else f"the data give {exact}, not {said}"
        out[lang] = text
    return out


def _with_superlative(connection: Connection, answer: Answer, labels: Labels, as_of: date) -> Answer:
    """Check "a record" / "the most" on the figure the number is: a month against the months before it
    (``warduty.stats.records``), a region against the other regions."""
    holds, words = superlative_truth(connection, labels)
    if holds is None:
        return replace(answer, superlative=words)
    verdict = answer.verdict if holds else Verdict.DOES_NOT_MATCH
    reason = answer.reason
    if not holds:
        reason = {lang: f"{answer.reason[lang]}; {words[lang]}" for lang in LANGS}
    return replace(answer, verdict=verdict, reason=reason, superlative=words, superlative_holds=holds)


def superlative_truth(connection: Connection, labels: Labels) -> tuple[bool | None, dict[Lang, str]]:
    if labels.region is not None:
        filters = Filters(articles=labels.articles, since=labels.period.since, until=labels.period.until)
        reading: MoscowReading = "city_and_oblast" if labels.region == MERGED_MOSCOW else "oblast"
        ranking = region_ranking(connection, labels.metric, filters, reading)
        rank = next((r.rank for r in ranking if r.region_ru == labels.region), None)
        first = ranking[0] if ranking else None
        if rank is None or first is None:
            return False, _say("the region has no such records", "в регионе нет таких дел")
        top = f"{first.region_en}, {number(first.value)}"
        en = f"{labels.region} ranks {rank} of {len(ranking)} regions (first: {top})"
        ru = f"{labels.region} — {rank}-е место из {len(ranking)} (первое: {first.region_ru}, {first.value})"
        return rank == 1, _say(en, ru)
    month = labels.period.month
    if month is None:
        return None, _say("only a month can be checked for a record", "на рекорд проверяется только месяц")
    filters = Filters(articles=labels.articles, until=labels.period.until)
    series = monthly_series(connection, labels.metric, filters, SERIES_START, month)
    rec = record(series, month)
    return rec.is_record, {lang: record_phrase(rec, lang) for lang in LANGS}


def _superlative_only(
    connection: Connection, claim: Claim, labels: Labels, figure: Figure, as_of: date
) -> Answer:
    holds, words = superlative_truth(connection, labels)
    if holds is None:
        return cannot(claim, words["en"], words["ru"])
    verdict = Verdict.MATCHES if holds else Verdict.DOES_NOT_MATCH
    reason = {
        lang: f"{labels.describe(lang)}: {number(int(figure.value), lang)}; {words[lang]}" for lang in LANGS
    }
    return Answer(claim, verdict, reason, figure, labels, superlative=words, superlative_holds=holds)


# -- asylum claims -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AsylumSeries:
    series: Sequence[MonthValue]
    source: str  # "database" or "shipped snapshot"
    vintage: str | None


def check_asylum_claim(claim: Claim, data: AsylumSeries, as_of: date) -> Answer:
    last = month_of(as_of)
    series = [m for m in data.series if m.period <= last]
    source: dict[str, object] = {
        "series": data.source,
        "vintage": data.vintage,
        "last_month": series[-1].period if series else None,
    }
    if not series:
        return cannot(claim, "no asylum figures up to the as-of date", "нет данных об убежище до даты данных")
    if claim.destination:
        return cannot(
            claim,
            f"the series is the sum over reporting countries, not one destination ({claim.destination})",
            f"ряд — сумма по отчитавшимся странам, а не одна страна ({claim.destination})",
        )
    period = claim.period
    months = {m.period: m for m in series}
    if claim.number is None:
        month = period.month if period and period.month else peak_month(series).period
        if month not in months:
            return cannot(claim, f"no asylum figure for {month}", f"нет данных об убежище за {month}")
        statement = record_statement(series, month)
        holds = statement.all_time_high.period == month
        peak = statement.all_time_high
        en = statement.text
        rec = record([MonthCount(m.period, m.value) for m in series], month)
        ru = f"{number(statement.value, 'ru')} {in_month(month, 'ru')}: {record_phrase(rec, 'ru')}" + (
            ""
            if peak.period == month
            else f", ниже исторического максимума {number(peak.value, 'ru')} {in_month(peak.period, 'ru')}"
        )
        if period is None:
            en = f"the peak since the full-scale invasion: {en}"
            ru = f"пик после начала полномасштабного вторжения: {ru}"
        scope: dict[str, object] = {"month": month, "since": FULL_SCALE_INVASION_MONTH}
        figure = Figure(f"asylum_{month}", statement.value, "asylum", scope, as_of.isoformat(), 0,
                        note=f"{data.source}, vintage {data.vintage}")  # fmt: skip
        verdict = Verdict.MATCHES if holds else Verdict.DOES_NOT_MATCH
        words = _say(f"first-time asylum applicants from Russia, {month_name(month)}",
                     f"впервые подавшие на убежище граждане России, {month_name(month, 'ru')}")  # fmt: skip
        return Answer(claim, verdict, _say(en, ru), figure, superlative=_say(en, ru), superlative_holds=holds,
                      source=source, figure_words=words)  # fmt: skip
    if period is None:
        return cannot(claim, "the sentence gives no period", "в предложении не указан период")
    if period.month:
        item = months.get(period.month)
        if item is None:
            return cannot(claim, f"no asylum figure for {period.month}", f"нет данных за {period.month}")
        value, incomplete = item.value, item.incomplete
        label, label_ru = month_name(period.month), month_name(period.month, "ru")
    elif (
        period.since.month == 1
        and period.since.day == 1
        and (period.until.month, period.until.day) == (12, 31)
    ):
        year = next((t for t in annual_totals(series) if t.year == period.since.year), None)
        if year is None:
            return cannot(
                claim, f"no asylum figures for {period.since.year}", f"нет данных за {period.since.year}"
            )
        value, incomplete = year.value, year.incomplete
        label = label_ru = str(year.year)
    else:
        return cannot(claim, "asylum figures are checked by month or calendar year",
                      "данные об убежище проверяются по месяцам или календарным годам")  # fmt: skip
    claimed = claim.number
    verdict = compare(claimed, value, claim.hedge) or Verdict.DOES_NOT_MATCH
    flag = " (incomplete: not all countries have reported yet)" if incomplete else ""
    flag_ru = " (неполные данные: отчитались ещё не все страны)" if incomplete else ""
    figure = Figure(f"asylum_{label}", value, "asylum", {"period": label}, as_of.isoformat(), 0,
                    note=f"{data.source}, vintage {data.vintage}")  # fmt: skip
    words = _say(f"first-time asylum applicants from Russia, {label}",
                 f"впервые подавшие на убежище граждане России, {label_ru}")  # fmt: skip
    reason = _say(f"{words['en']}: {number(value)}{flag}", f"{words['ru']}: {number(value, 'ru')}{flag_ru}")
    return Answer(claim, verdict, reason, figure, source=source, figure_words=words)


def check_claim(connection: Connection, claim: Claim, as_of: date, asylum: AsylumSeries | None) -> Answer:
    """The answer for one claim; asylum claims need ``asylum`` (else they cannot be checked)."""
    if claim.topic == "asylum":
        if asylum is None:
            return cannot(claim, "no asylum series is available", "ряд данных об убежище недоступен")
        return check_asylum_claim(claim, asylum, as_of)
    return check_court_claim(connection, claim, as_of)


def check_claims(
    connection: Connection, claims: Sequence[Claim], as_of: date, asylum: AsylumSeries | None
) -> list[Answer]:
    """Answers for the claims of one text, in order. A claim that took its offence from the claim before
    ("496 of these cases") takes it as the data read it: when the number before was found under another
    article, "these cases" are cases under that article."""
    answers: list[Answer] = []
    for claim in claims:
        before = answers[-1] if answers else None
        if (
            "articles" in claim.inherited
            and before is not None
            and before.verdict is Verdict.OTHER_LABEL
            and before.nearest_labels is not None
        ):
            claim = replace(claim, articles=before.nearest_labels.articles, confused_with=())
        answers.append(check_claim(connection, claim, as_of, asylum))
    return answers
