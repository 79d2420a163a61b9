"""Redaction of defendants' names: the forms of issue 16 and property-based variants of them.

The oracle here is independent of the redactor: a hand-written table of each name's six case forms,
searched in the text as a reader sees it (tags, entities, soft hyphens and zero-width characters gone).
"""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from warduty.privacy import RedactionError, redact, redactor
from warduty.privacy.forms import first_name_forms, patronymic_forms, split_name, surname_forms

# (nominative, genitive, dative, accusative, instrumental, prepositional), as a grammar gives them.
SURNAMES_M = {
    "Воробьёв": ("Воробьёв", "Воробьёва", "Воробьёву", "Воробьёва", "Воробьёвым", "Воробьёве"),
    "Кузнецов": ("Кузнецов", "Кузнецова", "Кузнецову", "Кузнецова", "Кузнецовым", "Кузнецове"),
    "Ильин": ("Ильин", "Ильина", "Ильину", "Ильина", "Ильиным", "Ильине"),
    "Островский": ("Островский", "Островского", "Островскому", "Островского", "Островским", "Островском"),
    "Толстой": ("Толстой", "Толстого", "Толстому", "Толстого", "Толстым", "Толстом"),
    "Шевчук": ("Шевчук", "Шевчука", "Шевчуку", "Шевчука", "Шевчуком", "Шевчуке"),
    "Шевченко": ("Шевченко",) * 6,
    "Гоголь": ("Гоголь", "Гоголя", "Гоголю", "Гоголя", "Гоголем", "Гоголе"),
    "Лобода": ("Лобода", "Лободы", "Лободе", "Лободу", "Лободой", "Лободе"),
    "Дзюба": ("Дзюба", "Дзюбы", "Дзюбе", "Дзюбу", "Дзюбой", "Дзюбе"),
    "Черных": ("Черных",) * 6,
    "Тюрин-Белов": ("Тюрин-Белов", "Тюрина-Белова", "Тюрину-Белову", "Тюрина-Белова", "Тюриным-Беловым",
                    "Тюрине-Белове"),
}  # fmt: skip
SURNAMES_F = {
    "Воробьёва": ("Воробьёва", "Воробьёвой", "Воробьёвой", "Воробьёву", "Воробьёвой", "Воробьёвой"),
    "Островская": ("Островская", "Островской", "Островской", "Островскую", "Островской", "Островской"),
    "Ильина": ("Ильина", "Ильиной", "Ильиной", "Ильину", "Ильиной", "Ильиной"),
    "Шевченко": ("Шевченко",) * 6,
}
FIRST_M = {
    "Денис": ("Денис", "Дениса", "Денису", "Дениса", "Денисом", "Денисе"),
    "Андрей": ("Андрей", "Андрея", "Андрею", "Андрея", "Андреем", "Андрее"),
    "Игорь": ("Игорь", "Игоря", "Игорю", "Игоря", "Игорем", "Игоре"),
    "Никита": ("Никита", "Никиты", "Никите", "Никиту", "Никитой", "Никите"),
    "Илья": ("Илья", "Ильи", "Илье", "Илью", "Ильёй", "Илье"),
    "Василий": ("Василий", "Василия", "Василию", "Василия", "Василием", "Василии"),
    "Пётр": ("Пётр", "Петра", "Петру", "Петра", "Петром", "Петре"),
    "Рустам": ("Рустам", "Рустама", "Рустаму", "Рустама", "Рустамом", "Рустаме"),
}
FIRST_F = {
    "Анна": ("Анна", "Анны", "Анне", "Анну", "Анной", "Анне"),
    "Мария": ("Мария", "Марии", "Марии", "Марию", "Марией", "Марии"),
    "Ольга": ("Ольга", "Ольги", "Ольге", "Ольгу", "Ольгой", "Ольге"),
}
PATRONYMIC_M = {
    "Викторович": ("Викторович", "Викторовича", "Викторовичу", "Викторовича", "Викторовичем", "Викторовиче"),
    "Сергеевич": ("Сергеевич", "Сергеевича", "Сергеевичу", "Сергеевича", "Сергеевичем", "Сергеевиче"),
    "Ильич": ("Ильич", "Ильича", "Ильичу", "Ильича", "Ильичом", "Ильиче"),
    "Алиевич": ("Алиевич", "Алиевича", "Алиевичу", "Алиевича", "Алиевичем", "Алиевиче"),
}
PATRONYMIC_F = {
    "Викторовна": ("Викторовна", "Викторовны", "Викторовне", "Викторовну", "Викторовной", "Викторовне"),
    "Ильинична": ("Ильинична", "Ильиничны", "Ильиничне", "Ильиничну", "Ильиничной", "Ильиничне"),
}

_BLOCK_TAG = re.compile(r"<(?!/?(?:b|i|span|font|em|strong|u|a)\b)[^>]*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^>]*>")
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")


def as_read(text: str) -> str:
    """The text as a reader sees it, folded: what the oracle searches."""
    text = _ANY_TAG.sub("", _BLOCK_TAG.sub(" ", text))
    text = _INVISIBLE.sub("", html.unescape(text))
    return " ".join(text.lower().replace("ё", "е").split())


def visible_forms(text: str, forms: tuple[str, ...]) -> list[str]:
    """Which of ``forms`` (whole words) a reader can find in ``text`` (as HTML)."""
    seen = as_read(text)
    folded = {f.lower().replace("ё", "е") for f in forms}
    return sorted(f for f in folded if re.search(rf"(?<!\w){re.escape(f)}(?!\w)", seen))


def test_the_forms_of_the_issue() -> None:
    aliases = {"Воробьёв Денис Викторович": "Defendant A1"}
    cases = [
        "Признать Воробьёва Дениса Викторовича виновным",
        "Назначить Воробьёву Д.В. наказание",
        "Воробьев Денис Викторович, ранее не судимый",  # е for ё
        "ВОРОБЬЁВ ДЕНИС ВИКТОРОВИЧ",  # an upper-case heading
        "<td>Воробьёва</td><td>Дениса</td> <b>Викто</b>ровича",  # tags between and inside words
        "Воробьёвым&#160;Д.&nbsp;В.",
        "Воробь&shy;ёва Дениса Виктор\u00adовича",
        "Воро\u200bбьёву\u2060 Денису\ufeff Викторовичу",
        "Д.В.Воробьёвым",
        "Д. В. Воробьёве",
        "Денису Викторовичу",
        "Воробьёв\n  Денис\r\n\tВикторович",
        "&#x412;оробьёву Д.В.",
        "исправления ВоробьёваД.В. только",  # an initial glued on, as real acts print it
    ]
    forms = SURNAMES_M["Воробьёв"] + FIRST_M["Денис"][1:] + PATRONYMIC_M["Викторович"]
    for text in cases:
        out = redact(text, aliases, is_html=True)
        assert visible_forms(out, forms) == [], (text, out)
        assert "Defendant A1" in out, text


def test_tags_around_a_name_are_kept() -> None:
    out = redact("<tr><td>Воробьёв</td><td>Денис Викторович</td></tr>", {"Воробьёв Денис Викторович": "X"},
                 is_html=True)  # fmt: skip
    assert out == "<tr><td>X</td><td></td></tr>"


def test_an_alias_is_escaped_in_html_and_names_in_attributes_go_too() -> None:
    out = redact(
        '<a title="Воробьёв Д.В.">Воробьёв</a>', {"Воробьёв Денис Викторович": "<D&1>"}, is_html=True
    )
    assert out == '<a title="&lt;D&amp;1&gt;">&lt;D&amp;1&gt;</a>'


def test_surname_alone_is_redacted_when_capitalised() -> None:
    aliases = {"Воробьёв Денис Викторович": "X"}
    assert redact("Подсудимый Воробьёв вину признал", aliases) == "Подсудимый X вину признал"
    assert redact("ВОРОБЬЁВУ назначить", aliases) == "X назначить"
    assert redact("воробьёв летал", aliases) == "воробьёв летал"  # a bird, not a name


def test_common_words_as_names_do_not_wipe_the_text() -> None:
    # A defendant named «Суд Иван Петрович»: «Суд» alone is redacted only in a text naming him in full.
    aliases = {"Суд Иван Петрович": "X"}
    text = "Суд установил, что Иван вину признал. Петрович не явился."
    assert redact(text, aliases) == text
    assert redact("Суд И.П. осуждён. Суд назначил", aliases) == "X осуждён. X назначил"
    # A first name alone is never a match: «Иван» is too common to say whom it means.
    assert redact("Иван, Ивана, Иваном", {"Иванов Иван Иванович": "X"}) == "Иван, Ивана, Иваном"


def test_names_given_as_initials_and_particles() -> None:
    assert redact("осуждённому Петрову И.И.", {"ПЕТРОВ И.И.": "X"}) == "осуждённому X"
    assert redact("Мамедову Рустаму Алиевичу оглы", {"Мамедов Рустам Алиевич оглы": "X"}) == "X оглы"
    assert split_name("ФИО1") is None and split_name("<данные изъяты>") is None


def test_the_leftover_check_refuses_a_text_that_still_names() -> None:
    with pytest.raises(RedactionError):
        redact("Воробьёв Денис Викторович", {"Воробьёв Денис Викторович": "Воробьёв Д.В. (1)"})
    with pytest.raises(RedactionError):  # an alias that itself declines the name, in HTML too
        redact("<p>Воробьёва</p>", {"Воробьёв Денис Викторович": "Воробьёву"}, is_html=True)


def test_generated_forms_cover_the_grammar() -> None:
    def folded(forms: tuple[str, ...]) -> set[str]:
        return {f.lower().replace("ё", "е") for f in forms}

    tables = ((SURNAMES_M, surname_forms), (SURNAMES_F, surname_forms), (FIRST_M, first_name_forms),
              (FIRST_F, first_name_forms), (PATRONYMIC_M, patronymic_forms),
              (PATRONYMIC_F, patronymic_forms))  # fmt: skip
    for table, generate in tables:
        for word, forms in table.items():
            assert folded(forms) <= generate(word), (word, folded(forms) - generate(word))


# -- property-based variants ------------------------------------------------------------------------

SEPARATORS = [" ", "  ", "\n", "\r\n", "\t", "&nbsp;", "&#160;", "&#xA0;", "\xa0", " <br>", "</td><td>",
              "</p>\n<p>", " <span></span>", "\u200b ", " &shy;"]  # fmt: skip
INSIDE = ["&shy;", "\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "<b></b>", "<span>", "</i>"]


@st.composite
def person(draw: st.DrawFn) -> tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    female = draw(st.booleans())
    surnames, firsts, patronymics = (
        (SURNAMES_F, FIRST_F, PATRONYMIC_F) if female else (SURNAMES_M, FIRST_M, PATRONYMIC_M)
    )
    s = draw(st.sampled_from(sorted(surnames)))
    f = draw(st.sampled_from(sorted(firsts)))
    p = draw(st.sampled_from(sorted(patronymics)))
    return f"{s} {f} {p}", surnames[s], firsts[f], patronymics[p]


def _scramble(draw: st.DrawFn, word: str) -> str:
    """Random letter case, ё/е, and invisible characters or inline tags inside the word."""
    letters = []
    for ch in word:
        if ch in "ёЁ" and draw(st.booleans()):
            ch = "е" if ch == "ё" else "Е"
        letters.append(ch.upper() if draw(st.booleans()) else ch.lower())
    if len(letters) > 2 and draw(st.booleans()):
        at = draw(st.integers(1, len(letters) - 1))
        letters.insert(at, draw(st.sampled_from(INSIDE)))
    return "".join(letters)


@st.composite
def written(draw: st.DrawFn) -> tuple[str, str, tuple[str, ...]]:
    """(name as stored, a text naming the person in one declined form, the forms the oracle looks for)."""
    name, s_forms, f_forms, p_forms = draw(person())
    case = draw(st.integers(0, 5))
    s, f, p = (_scramble(draw, forms[case]) for forms in (s_forms, f_forms, p_forms))
    i1, i2 = f_forms[0][0], p_forms[0][0]
    gap = draw(st.sampled_from(["", " ", "&nbsp;", "\u200b"]))
    layouts = [
        [s, f, p], [f, p, s], [s, f"{i1}.{i2}."], [s, f"{i1}.", f"{i2}."], [f"{i1}.{i2}.", s],
        [f"{i1}.{gap}{i2}.{s}"], [f, p], [s, f],
    ]  # fmt: skip
    words = draw(st.sampled_from(layouts))
    text = words[0]
    for word in words[1:]:
        text += draw(st.sampled_from(SEPARATORS)) + word
    before = draw(st.sampled_from(["Суд признал ", "<p>Приговор в отношении ", "", "(", "подсудимому "]))
    after = draw(st.sampled_from([" виновным.", "</p>", "", ")", ", ранее не судим"]))
    forms = s_forms + (f_forms[1:] if [f, p] == words or f in words else ()) + p_forms
    return name, before + text + after, forms


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(written())
def test_every_written_variant_is_redacted(variant: tuple[str, str, tuple[str, ...]]) -> None:
    name, text, forms = variant
    out = redact(text, {name: "Defendant Z9"}, is_html=True)
    assert visible_forms(out, forms) == [], (text, out)
    assert "Defendant Z9" in out


@settings(max_examples=200, deadline=None)
@given(st.lists(written(), min_size=2, max_size=4))
def test_several_people_in_one_text(variants: list[tuple[str, str, tuple[str, ...]]]) -> None:
    aliases = {name: f"Defendant {index}" for index, (name, _, _) in enumerate(variants)}
    text = " ".join(text for _, text, _ in variants)
    out = redact(text, aliases, is_html=True)
    for _, _, forms in variants:
        assert visible_forms(out, forms) == [], (text, out)


def test_one_matcher_for_many_people_is_fast_enough() -> None:
    aliases = {f"{s} {f} {p}": f"D{i}" for i, (s, f, p) in enumerate(
        (s, f, p) for s in SURNAMES_M for f in FIRST_M for p in PATRONYMIC_M)}  # fmt: skip
    matcher = redactor(aliases)
    text = "Суд установил, что подсудимый ранее не судим. " * 400
    assert matcher.found(text) == []
