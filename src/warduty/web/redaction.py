"""Whom an archived page names, and under which pseudonym: its own case's defendants, and on a listing
page every row's, from the database (full names) and from the page itself (as it prints them)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from warduty.privacy.pages import names_on_page
from warduty.privacy.pseudonym import Pseudonymiser
from warduty.store.schema import cases, persons
from warduty.sudrf import PageFormatError, parse_page


def _stored_names(
    connection: Connection, court_code: str, case_numbers: set[str]
) -> list[tuple[str, int, str]]:
    """(case number, position, name) of the named persons of these cases of one court."""
    if not case_numbers:
        return []
    rows = connection.execute(
        select(cases.c.case_number, persons.c.position, persons.c.name)
        .join(cases, cases.c.id == persons.c.case_id)
        .where(
            cases.c.court_code == court_code,
            cases.c.case_number.in_(sorted(case_numbers)),
            persons.c.hidden.is_(False),
            persons.c.name.is_not(None),
        )
    )
    return [(r.case_number, r.position, r.name) for r in rows if r.name and r.name.strip()]


def archived_page_aliases(
    connection: Connection, pseudonyms: Pseudonymiser, pointer: dict[str, Any], html: str
) -> dict[str, str]:
    """Name -> pseudonym for every person ``html`` (an archived card or listing of the pointer's court)
    may name. A page the parsers do not understand still gets its own case's defendants."""
    court, own = pointer["court_code"], pointer["case_number"]
    try:
        named = names_on_page(parse_page(html))
    except PageFormatError:
        named = []
    numbers = {own} | {p.case_number for p in named if p.case_number}
    aliases: dict[str, str] = {}
    for person in named:  # as the page prints them («ПЕТРОВ И.И.»)
        aliases[person.name] = pseudonyms.pseudonym(court, person.case_number or own, person.position)
    for number, position, name in _stored_names(connection, court, numbers):  # full names win
        aliases[name] = pseudonyms.pseudonym(court, number, position)
    return aliases
