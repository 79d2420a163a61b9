"""The replica's verdict texts read back, through the project's reader, as the sentences they were written
from: punishment, term, probation, colony regime and fine of each text's final sentence.

The texts are varied as real ones are (texts.py): several counts with a final ст. 69/70 sentence, terms
in words and figures, genitive terms, spaced or lower-case «приговорил», CR line ends, 5–60 KB. A failure
lists how many texts of each style the reader got wrong.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date

from warduty.law import ArticleRef
from warduty.replica.drafts import PersonDraft
from warduty.replica.model import Punishment
from warduty.replica.texts import MAX_BYTES, MIN_BYTES, fine_rubles, verdict_style, verdict_text
from warduty.sudrf.verdict import extract_verdict

TEXTS = 300
READER_KIND = {
    "suspended": "suspended",
    "real": "imprisonment",
    "disciplinary_unit": "disciplinary_unit",
    "restriction_of_service": "service_restriction",
    "fine": "fine",
}
READER_REGIME = {"общего": "general", "строгого": "strict", "колонии-поселении": "settlement"}
CHARGES = (
    ("337", "5", None),
    ("337", "2.1", None),
    ("338", "1", None),
    ("332", "2", None),
    ("158", "2", "в"),
)


def _punishment(rng: random.Random) -> Punishment:
    kind = rng.choice(tuple(READER_KIND))
    if kind == "suspended":
        return Punishment(kind, rng.randint(6, 84), rng.choice((6, 12, 18, 24, 36, 48, 60)))
    if kind == "real":
        return Punishment(kind, rng.randint(6, 96), regime=rng.choice(tuple(READER_REGIME)))
    return Punishment(kind, rng.randint(1, 24))


def _person(rng: random.Random) -> PersonDraft:
    refs = tuple(ArticleRef(*charge) for charge in rng.sample(CHARGES, rng.choice((1, 1, 1, 2, 3))))
    return PersonDraft(
        name="Сидоров Пётр Иванович",
        articles_raw="; ".join(str(ref) for ref in refs) + " УК РФ",
        articles=refs,
        numbers=frozenset(ref.article for ref in refs),
        result="Вынесен ПРИГОВОР",
        punishment=_punishment(rng),
        service=rng.choice(("mobilised", "contract", "conscript")),
        absence_start=date(2023, 3, 1),
        absence_end=date(2023, 3, 1 + rng.randint(1, 27)),
        returned_voluntarily=rng.random() < 0.5,
        prior_conviction=rng.random() < 0.3,
    )


def _truth(p: Punishment) -> tuple[object, ...]:
    return (
        READER_KIND[p.kind],
        None if p.kind == "fine" else p.term_months,
        p.probation_months if p.kind == "suspended" else None,
        READER_REGIME[p.regime] if p.kind == "real" and p.regime else None,
        fine_rubles(p) if p.kind == "fine" else None,
    )


def _styles(person: PersonDraft, seed: int) -> list[str]:
    style = verdict_style(seed)
    line_end = {"\n": "LF", "\r\n": "CRLF", "\r": "CR"}[style.line_end]
    found = [
        f"numerals={style.numerals}",
        f"heading={style.operative_heading}",
        f"line_end={line_end}",
        f"genitive_terms={style.genitive_terms}",
        f"initials={style.initials}",
    ]
    if len(person.articles) > 1:
        found.append("final under ст. 69")
    elif person.prior_conviction and person.punishment and person.punishment.kind == "real":
        found.append("final under ст. 70 (ч. 5 ст. 74)")
    elif person.prior_conviction:
        found.append("earlier sentence executed separately")
    return found


def generated() -> list[tuple[int, PersonDraft, str]]:
    rng = random.Random(20240412)
    texts = []
    for seed in range(TEXTS):
        person = _person(rng)
        text = verdict_text(
            court_name="Энский гарнизонный военный суд",
            city="Энск",
            case_number=f"1-{seed + 1}/2023",
            judge_genitive="Петрова П.П.",
            judge="Петров П.П.",
            decided=date(2023, 6, 1),
            persons=[person],
            seed=seed,
        )
        texts.append((seed, person, text))
    return texts


def test_texts_are_deterministic_and_sized_like_real_acts() -> None:
    first, again = generated(), generated()
    assert [t for _, _, t in first] == [t for _, _, t in again]
    sizes = [len(text.encode("utf-8")) for _, _, text in first]
    assert min(sizes) >= MIN_BYTES and max(sizes) <= MAX_BYTES
    assert max(sizes) > 4 * min(sizes)  # a spread, not one size
    assert len({verdict_style(seed).line_end for seed in range(TEXTS)}) == 3


def test_styles_cover_the_real_variety() -> None:
    styles = Counter(style for seed, person, _ in generated() for style in _styles(person, seed))
    for expected in (
        "numerals=words",
        "numerals=figures",
        "numerals=figures_words",
        "heading=приговорил:",
        "heading=П Р И Г О В О Р И Л:",
        "line_end=CR",
        "genitive_terms=True",
        "final under ст. 69",
        "final under ст. 70 (ч. 5 ст. 74)",
    ):
        assert styles[expected] >= 5, (expected, styles)


def test_reader_gives_the_final_sentence() -> None:
    failures: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    wrong = 0
    for seed, person, text in generated():
        assert person.punishment is not None
        facts = extract_verdict(text)
        got = (
            facts.punishment,
            None if person.punishment.kind == "fine" else facts.term_months,
            facts.probation_months if person.punishment.kind == "suspended" else None,
            facts.colony_regime if person.punishment.kind == "real" else None,
            facts.fine_rubles if person.punishment.kind == "fine" else None,
        )
        styles = _styles(person, seed)
        totals.update(styles)
        if got != _truth(person.punishment):
            wrong += 1
            failures.update(styles)
    report = "\n".join(f"  {style}: {failures[style]}/{totals[style]}" for style in sorted(totals))
    assert wrong == 0, f"the reader got {wrong} of {TEXTS} final sentences wrong; by style:\n{report}"
