"""The defendants a court page names, read from the page itself: a card's persons, a listing's rows
(«ПЕТРОВ И.И. - ст.337 ч.5 УК РФ», one line each), an act's convicted defendants."""

from __future__ import annotations

import re
from dataclasses import dataclass

from warduty.privacy.forms import split_name
from warduty.sudrf.dispatch import ParsedPage

# A listing row's info: «ЛИЦА: Воронов П.С. - ст.337 ч.5 УК РФ», «СМИРНОВ А.А. - ст.338 ч.3; ...».
_INFO_PERSON = re.compile(r"^(?:[А-ЯЁ ]+:\s*)?(?P<name>[^:\n]+?)\s+-\s+(?:ст\.|ч\.|п\.)", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class NamedPerson:
    case_number: str | None
    position: int  # the person's place on the page's row or card, from 1
    name: str


def _usable(name: str | None) -> bool:
    return bool(name) and split_name(name or "") is not None


def listing_info_names(info: str) -> list[str]:
    """The names a listing row's info cell gives, in order («Информация скрыта» is not a name)."""
    return [m.group("name").strip() for m in _INFO_PERSON.finditer(info) if _usable(m.group("name"))]


def names_on_page(page: ParsedPage) -> list[NamedPerson]:
    """Every defendant ``page`` names, with the case and position it names them under (parties such as
    «Военная прокуратура ...» are not people to redact)."""
    found: list[NamedPerson] = []
    if page.card is not None:
        card = page.card
        found += [
            NamedPerson(card.case_number, index, person.name or "")
            for index, person in enumerate(card.persons, 1)
            if not person.hidden and _usable(person.name)
        ]
    if page.listing is not None:
        for row in page.listing.rows:
            found += [
                NamedPerson(row.case_number, index, name)
                for index, name in enumerate(listing_info_names(row.info), 1)
            ]
    if page.verdict is not None:
        found += [
            NamedPerson(None, index, defendant.name or "")
            for index, defendant in enumerate(page.verdict.defendants, 1)
            if _usable(defendant.name)
        ]
    return found
