"""Case cards of both engines. Tabs are found by their label; columns by their header text.

Strictness: a tab or field label nobody knows goes into ``warnings``; a missing heading, tab body or
header row raises ``PageFormatError`` naming what was missing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from warduty.law import ArticleParseError, ArticleRef, parse_articles
from warduty.sudrf.errors import PageFormatError
from warduty.sudrf.markup import html_tree
from warduty.sudrf.records import (
    CardAct,
    CardEvent,
    CardParty,
    CardPerson,
    CaseCard,
    Engine,
    LowerCourt,
)
from warduty.sudrf.tables import (
    HeaderMap,
    LabelTest,
    cell_text,
    equals,
    find_header,
    label_values,
    row_cells,
    starts,
    table_rows,
)
from warduty.sudrf.text import label_key, or_none, parse_date, squash

CASE, EVENTS, PERSONS, PARTIES, LOWER, ACTS, ACT, IGNORED = (
    "case",
    "events",
    "persons",
    "parties",
    "lower",
    "acts",
    "act",
    "ignored",
)
_TAB_KINDS = {
    "ДЕЛО": CASE,
    "ПРОИЗВОДСТВО": CASE,
    "ЖАЛОБА": CASE,
    "ДВИЖЕНИЕ ДЕЛА": EVENTS,
    "СЛУШАНИЯ": EVENTS,
    "ЛИЦА": PERSONS,
    "ПОДСУДИМЫЕ": PERSONS,
    "СТОРОНЫ": PARTIES,
    "УЧАСТНИКИ": PARTIES,
    "СТОРОНЫ ПО ДЕЛУ": PARTIES,
    "СТОРОНЫ ПО ДЕЛУ (ТРЕТЬИ ЛИЦА)": PARTIES,
    "РАССМОТРЕНИЕ В НИЖЕСТОЯЩЕМ СУДЕ": LOWER,
    "СУДЕБНЫЕ АКТЫ": ACTS,
    "ИСПОЛНИТЕЛЬНЫЕ ЛИСТЫ": IGNORED,
    "ЖАЛОБЫ": IGNORED,
    "ТРЕБОВАНИЯ": IGNORED,
}
_ACT_TAB = re.compile(r"^СУДЕБНЫЙ АКТ\s*#\s*\d+")
_IGNORED_TAB = re.compile(r"^(ОБЖАЛОВАНИЕ|ПЕРЕСМОТР)\b")
_CASE_HEADING = re.compile(r"^ДЕЛО\s*№\s*(\S.*)$", re.IGNORECASE)
_TAB_COUNT = re.compile(r"index\(\s*\d+\s*,\s*(\d+)\s*\)")
_HEADING_MARK = re.compile(r"""class\s*=\s*["']?(?:casenumber|case-num)\b""")
_DOCKET_MARK = re.compile(r"""class\s*=\s*["']?(?:title|name-instanse)\b""")
_HTML_TAG = re.compile(r"<(?:html\b|(/)html\s*>)", re.IGNORECASE)  # an <html…> start, or an </html> end
_HIDDEN = re.compile(r"информация\s+скрыта|сведения\s+скрыты", re.IGNORECASE)

_UID, _RECEIVED, _CATEGORY, _JUDGE, _DECIDED, _RESULT, _BUILDING = (
    "uid",
    "received",
    "category",
    "judge",
    "decided",
    "result",
    "building",
)
_CASE_FIELDS: dict[str, str] = {
    "УНИКАЛЬНЫЙ ИДЕНТИФИКАТОР ДЕЛА": _UID,
    "ДАТА ПОСТУПЛЕНИЯ": _RECEIVED,
    "КАТЕГОРИЯ ДЕЛА": _CATEGORY,
    "КАТЕГОРИЯ": _CATEGORY,
    "СУДЬЯ": _JUDGE,
    "ПРЕДСЕДАТЕЛЬСТВУЮЩИЙ СУДЬЯ": _JUDGE,
    "ДОКЛАДЧИК": _JUDGE,
    "ДАТА РАССМОТРЕНИЯ": _DECIDED,
    "РЕЗУЛЬТАТ РАССМОТРЕНИЯ": _RESULT,
    "РЕШЕНИЕ": _RESULT,
    "НОМЕР ЗДАНИЯ, НАЗВАНИЕ ОБОСОБЛЕННОГО ПОДРАЗДЕЛЕНИЯ": _BUILDING,
}
# Labels seen on real cards that we keep in ``fields`` without a dedicated attribute.
_KNOWN_CASE_LABELS = frozenset(
    {
        "ПРИЗНАК РАССМОТРЕНИЯ ДЕЛА",
        "НАЧАЛО ТЕЧЕНИЯ СРОКА РАССМОТРЕНИЯ ДЕЛА",
        "ВИД ОБЖАЛУЕМОГО СУДЕБНОГО АКТА",
        "ИЗ ВЕРХОВНОГО СУДА РОССИЙСКОЙ ФЕДЕРАЦИИ",
        "НОМЕР ПО ПРЕДЫДУЩЕЙ РЕГИСТРАЦИИ",
        "НОМЕР ПРОТОКОЛА ОБ АП",
        "ДАТА ИСТРЕБОВАНИЯ ДЕЛА (МАТЕРИАЛА)",
        "ДАТА ПОСТУПЛЕНИЯ ИСТРЕБОВАННОГО ДЕЛА (МАТЕРИАЛА)",
        "ДАТА ВСТУПЛЕНИЯ В ЗАКОННУЮ СИЛУ",
        "СУДЕБНЫЙ СОСТАВ",
        "СОСТАВ СУДА",
        "ПРЕДСЕДАТЕЛЬСТВУЮЩИЙ",
        "ДАТА ПЕРЕДАЧИ ЖАЛОБЫ НА ИЗУЧЕНИЕ",
        "ДАТА ВЫНЕСЕНИЯ ОПРЕДЕЛЕНИЯ О ПЕРЕДАЧЕ ЖАЛОБЫ ДЛЯ РАССМОТРЕНИЯ В СУДЕБНОМ ЗАСЕДАНИИ",
        "ДАТА ОКОНЧАНИЯ ПРОИЗВОДСТВА",
        "РЕЗУЛЬТАТ",
        "ОСНОВАНИЕ",
        "ОСНОВАНИЯ ОТМЕНЫ (ИЗМЕНЕНИЯ) РЕШЕНИЯ",
    }
)
_KNOWN_CASE_PREFIXES = ("РЕЗУЛЬТАТ В ОТНОШЕНИИ",)
_LOWER_IN_CASE_TAB: dict[str, str] = {
    "РАЙОННЫЙ СУД": "court",
    "СУД ПЕРВОЙ ИНСТАНЦИИ": "court",
    "НОМЕР ПРОИЗВОДСТВА ПО ДЕЛУ В СУДЕ 1-ОЙ ИНСТАНЦИИ": "case_number",
    "НОМЕР ДЕЛА В ПЕРВОЙ ИНСТАНЦИИ": "case_number",
}

_EVENT_SPEC: dict[str, LabelTest] = {
    "name": starts("НАИМЕНОВАНИЕ СОБЫТИЯ"),
    "date": equals("ДАТА", "ДАТА СОБЫТИЯ"),
    "time": starts("ВРЕМЯ"),
    "place": starts("МЕСТО ПРОВЕДЕНИЯ", "ЗАЛ СУДЕБНОГО ЗАСЕДАНИЯ"),
    "result": starts("РЕЗУЛЬТАТ СОБЫТИЯ"),
    "reason": starts("ОСНОВАНИ"),
    "note": starts("ПРИМЕЧАНИЕ"),
    "published": starts("ДАТА РАЗМЕЩЕНИЯ"),
}
_NAME_TEST = starts("ФАМИЛИЯ", "ЛИЦО, УЧАСТВУЮЩЕЕ В ДЕЛЕ", "ЛИЦО (ФИО", "НАИМЕНОВАНИЕ ЛИЦА")
_PERSON_SPEC: dict[str, LabelTest] = {
    "role": starts("ВИД ЛИЦА", "ПРОЦЕССУАЛЬНЫЙ СТАТУС"),
    "name": _NAME_TEST,
    "articles": starts("ПЕРЕЧЕНЬ СТАТЕЙ"),
    "decided": starts("ДАТА РАССМОТРЕНИЯ"),
    "result": starts("РЕЗУЛЬТАТ"),
}
# Columns of ЛИЦА / СТОРОНЫ seen on real cards and not read; a value in one of them is a warning.
_UNREAD_PEOPLE_COLUMNS: LabelTest = lambda key: (  # noqa: E731
    key in ("ИНН", "КПП", "ОГРН", "ОГРНИП", "ОГРН / ОГРНИП")
    or key.startswith(("МАТЕРИАЛ (СУДЕБН. КОНТРОЛЯ", "ОСНОВАНИЯ ОТМЕНЫ (ИЗМЕНЕНИЯ) РЕШЕНИЯ"))
)
_NOTHING: LabelTest = lambda key: False  # noqa: E731


@dataclass(frozen=True, slots=True)
class _Tab:
    label: str
    title: str
    kind: str | None
    body: LexborNode


def require_complete(html: str) -> None:
    """A page cut short still parses; refuse it so a half card is never taken for a whole one.

    Cards embed acts as whole HTML documents (``<HTML>…</HTML>`` inside ``div#cont_docN``), so a page cut
    just after an embedded act also ends in ``</html>``: every ``<html`` must be closed as well.
    """
    if "</html>" not in html[-400:].lower():
        raise PageFormatError("page is truncated: it does not end with </html>")
    closes = [bool(match.group(1)) for match in _HTML_TAG.finditer(html)]  # one pass over the page
    closed = sum(closes)
    opened = len(closes) - closed
    if opened > closed:
        raise PageFormatError(f"page is truncated: {opened} <html> tags but only {closed} </html>")


def parse_card(html: str) -> CaseCard:
    """A case card of either engine. Raises ``PageFormatError`` on a structural break."""
    require_complete(html)
    tree = html_tree(_card_region(html))
    warnings: list[str] = []
    heading = tree.css_first("div.casenumber")
    if heading is not None:
        engine = Engine.STANDARD
        tabs = _standard_tabs(tree, warnings)
        docket_node = tree.css_first("div.title")
    else:
        heading = tree.css_first("div.case-num")
        if heading is None:
            raise PageFormatError("no case number heading (div.casenumber or div.case-num)")
        engine = Engine.VINTAGE
        tabs = _vintage_tabs(tree, warnings)
        docket_node = tree.css_first("div.name-instanse")
    number_raw = squash(heading.text())
    match = _CASE_HEADING.match(number_raw)
    if not match:
        raise PageFormatError(f"case number heading lacks «ДЕЛО №»: {number_raw!r}")
    number_raw = match.group(1).strip()
    docket = or_none(squash(docket_node.text())) if docket_node is not None else None
    return _assemble(engine, docket, number_raw, tabs, warnings)


def _card_region(html: str) -> str:
    """The page from the docket heading on: the card never starts earlier, and parsing less is faster.

    Falls back to the whole page when the heading's class cannot be found in the raw text.
    """
    heading = _HEADING_MARK.search(html)
    if heading is None:
        return html
    dockets = list(_DOCKET_MARK.finditer(html, max(0, heading.start() - 4000), heading.start()))
    docket = dockets[-1] if dockets else None
    anchor = docket.start() if docket is not None else heading.start()
    tag_start = html.rfind("<", 0, anchor)
    return html[tag_start:] if tag_start >= 0 else html


def _standard_tabs(tree: LexborHTMLParser, warnings: list[str]) -> list[_Tab]:
    tabs: list[_Tab] = []
    declared: int | None = None
    for item in tree.css("ul.tabs > li"):
        match = re.fullmatch(r"tab(\d+)", item.attributes.get("id") or "")
        if not match:
            continue
        label = label_key(item.text())
        body = tree.css_first(f"div#cont{match.group(1)}")
        if body is None:
            raise PageFormatError(f"tab {label!r} has no body div#cont{match.group(1)}")
        tabs.append(_Tab(label, squash(item.text()), _tab_kind(label), body))
        link = item.css_first("a")
        count = _TAB_COUNT.search(link.attributes.get("onclick") or "") if link is not None else None
        if count:
            declared = int(count.group(1))
    if not tabs:
        raise PageFormatError("card has no tab bar (ul.tabs > li#tabN)")
    if declared is not None and declared != len(tabs):
        raise PageFormatError(f"tab bar declares {declared} tabs but holds {len(tabs)}")
    return tabs


def _vintage_tabs(tree: LexborHTMLParser, warnings: list[str]) -> list[_Tab]:
    tabs: list[_Tab] = []
    for item in tree.css("#case_bookmarks li"):
        ident = item.attributes.get("id") or ""
        if not ident.startswith("tab_id_"):
            continue
        suffix = ident[len("tab_id_") :]
        body = tree.css_first(f"div#tab_content_{suffix}")
        label = label_key(item.text())
        if body is None:
            raise PageFormatError(f"tab {label!r} has no body div#tab_content_{suffix}")
        kind = _tab_kind(label)
        if suffix == "DefList":
            kind = PERSONS
        tabs.append(_Tab(label, squash(item.text()), kind, body))
    if not tabs:
        raise PageFormatError("card has no tab bar (#case_bookmarks li)")
    return tabs


def _tab_kind(label: str) -> str | None:
    if label in _TAB_KINDS:
        return _TAB_KINDS[label]
    if _ACT_TAB.match(label):
        return ACT
    if _IGNORED_TAB.match(label):
        return IGNORED
    return None


def _content_rows(body: LexborNode) -> int:
    """Rows with text in a tab's tables, less the first such row (the column header)."""
    rows = [
        row for row in body.css("tr") if any(cell.tag == "td" and cell_text(cell) for cell in row_cells(row))
    ]
    return max(0, len(rows) - 1)


def _rows_phrase(count: int) -> str:
    return f"{count} row" if count == 1 else f"{count} rows"


def _first_table(body: LexborNode, label: str) -> LexborNode:
    table = body.css_first("table")
    if table is None:
        raise PageFormatError(f"tab {label!r} has no table")
    return table


def _assemble(
    engine: Engine, docket: str | None, number_raw: str, tabs: list[_Tab], warnings: list[str]
) -> CaseCard:
    fields: list[tuple[str, str]] = []
    events: list[CardEvent] = []
    unread: list[str] = []
    persons: list[CardPerson] = []
    parties: list[CardParty] = []
    acts: list[CardAct] = []
    lower: dict[str, str] = {}
    for tab in tabs:
        if tab.kind is None:
            warnings.append(f"unknown tab {tab.label!r} left unread")
        elif tab.kind == IGNORED:
            unread_rows = _content_rows(tab.body)
            if unread_rows:
                unread.append(f"tab {tab.label!r} not read ({_rows_phrase(unread_rows)} skipped)")
        elif tab.kind == CASE:
            fields.extend(label_values(_first_table(tab.body, tab.label), tab.label, warnings))
        elif tab.kind == EVENTS:
            events.extend(_events(_first_table(tab.body, tab.label), tab.label, warnings))
        elif tab.kind in (PERSONS, PARTIES):
            table_persons, table_parties = _people(
                _first_table(tab.body, tab.label), tab.label, warnings, unread
            )
            persons.extend(table_persons)
            parties.extend(table_parties)
        elif tab.kind == LOWER:
            _lower_fields(
                label_values(_first_table(tab.body, tab.label), tab.label, warnings), lower, warnings
            )
        elif tab.kind == ACTS:
            acts.extend(_standard_acts(tab.body))
        elif tab.kind == ACT:
            acts.append(CardAct(title=tab.title, text=or_none(cell_text(tab.body)), url=None))
    if not any(tab.kind == CASE for tab in tabs):
        raise PageFormatError("card has no ДЕЛО tab")
    is_criminal = docket is not None and "УГОЛОВН" in docket.upper()
    if is_criminal and not any(tab.kind == PERSONS for tab in tabs):
        raise PageFormatError("criminal card has no ЛИЦА tab")
    values = _case_values(fields, lower, warnings)
    return CaseCard(
        engine=engine,
        docket=docket,
        case_number=number_raw.split()[0],
        case_number_raw=number_raw,
        uid=or_none(values.get(_UID, "")),
        received=parse_date(values.get(_RECEIVED)),
        received_raw=values.get(_RECEIVED, ""),
        category=or_none(values.get(_CATEGORY, "")),
        judge=or_none(values.get(_JUDGE, "")),
        decided=parse_date(values.get(_DECIDED)),
        decided_raw=values.get(_DECIDED, ""),
        result=or_none(values.get(_RESULT, "")),
        building=or_none(values.get(_BUILDING, "")),
        fields=tuple(fields),
        events=tuple(events),
        persons=tuple(persons),
        parties=tuple(parties),
        acts=tuple(acts),
        lower_court=_lower_court(lower),
        tabs=tuple(tab.label for tab in tabs),
        warnings=tuple(warnings),
        unread=tuple(unread),
    )


def _case_values(fields: list[tuple[str, str]], lower: dict[str, str], warnings: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for label, value in fields:
        key = label_key(label)
        if key in _CASE_FIELDS:
            name = _CASE_FIELDS[key]
            if name in values:
                warnings.append(f"ДЕЛО: field {label!r} appears twice; the first value is kept")
            else:
                values[name] = value.split("\n")[0] if name == _UID else value
        elif key in _LOWER_IN_CASE_TAB:
            lower.setdefault(_LOWER_IN_CASE_TAB[key], value)
        elif key not in _KNOWN_CASE_LABELS and not key.startswith(_KNOWN_CASE_PREFIXES):
            warnings.append(f"ДЕЛО: unknown field {label!r}")
    return values


def _lower_fields(pairs: list[tuple[str, str]], lower: dict[str, str], warnings: list[str]) -> None:
    for label, value in pairs:
        key = label_key(label)
        if key.startswith("РЕГИОН"):
            lower.setdefault("region", value)
        elif key.startswith(("НОМЕР ДЕЛА", "НОМЕР ПРОИЗВОДСТВА")):
            lower.setdefault("case_number", value)
        elif key.startswith("ДАТА РЕШЕНИЯ"):
            lower.setdefault("decided", value)
        elif key.startswith("СУДЬЯ"):
            lower.setdefault("judge", value)
        elif key.startswith(("СУД", "РАЙОННЫЙ СУД")):
            lower.setdefault("court", value)
        else:
            warnings.append(f"РАССМОТРЕНИЕ В НИЖЕСТОЯЩЕМ СУДЕ: unknown field {label!r}")


def _lower_court(lower: dict[str, str]) -> LowerCourt | None:
    if not lower:
        return None
    return LowerCourt(
        court=or_none(lower.get("court", "")),
        case_number=or_none(lower.get("case_number", "")),
        region=or_none(lower.get("region", "")),
        decided=parse_date(lower.get("decided")),
        judge=or_none(lower.get("judge", "")),
    )


def _data_rows(
    all_rows: list[LexborNode], label: str, header: HeaderMap, start: int, warnings: list[str]
) -> list[list[str]]:
    rows: list[list[str]] = []
    for number, row in enumerate(all_rows[start + 1 :], start=1):
        cells = row_cells(row)
        if not cells:
            continue
        if len(cells) != header.width:
            warnings.append(
                f"{label}: row {number} has {len(cells)} cells, header has {header.width}; skipped"
            )
            continue
        rows.append([cell_text(cell) for cell in cells])
    return rows


def _events(table: LexborNode, label: str, warnings: list[str]) -> list[CardEvent]:
    rows = table_rows(table)
    start, header = find_header(rows, _EVENT_SPEC, ("name", "date"), _NOTHING, label)
    warnings.extend(f"{label}: unknown column {key!r}" for key in header.unknown)
    events = []
    for cells in _data_rows(rows, label, header, start, warnings):
        get = _getter(cells, header)
        date_raw = get("date") or ""
        events.append(
            CardEvent(
                name=get("name") or "",
                date=parse_date(date_raw),
                date_raw=date_raw,
                time=get("time"),
                place=get("place"),
                result=get("result"),
                reason=get("reason"),
                note=get("note"),
                published=parse_date(get("published")),
            )
        )
    return events


def _getter(cells: list[str], header: HeaderMap) -> Callable[[str], str | None]:
    def get(name: str) -> str | None:
        position = header.columns.get(name)
        return or_none(cells[position]) if position is not None else None

    return get


def _people(
    table: LexborNode, label: str, warnings: list[str], unread: list[str]
) -> tuple[list[CardPerson], list[CardParty]]:
    rows = table_rows(table)
    start, header = find_header(rows, _PERSON_SPEC, ("name",), _UNREAD_PEOPLE_COLUMNS, label)
    warnings.extend(f"{label}: unknown column {key!r}" for key in header.unknown)
    has_role = "role" in header.columns
    has_articles = "articles" in header.columns
    if not has_role and not has_articles:
        raise PageFormatError(f"{label}: header has neither a role nor a «Перечень статей» column")
    persons: list[CardPerson] = []
    parties: list[CardParty] = []
    data_rows = _data_rows(rows, label, header, start, warnings)
    for key, position in header.ignored:
        filled = sum(1 for cells in data_rows if cells[position])
        if filled:
            unread.append(f"{label}: column {key!r} not read (a value in {_rows_phrase(filled)})")
    for cells in data_rows:
        get = _getter(cells, header)
        name_raw = get("name") or ""
        hidden = bool(_HIDDEN.search(name_raw))
        name = None if hidden else or_none(name_raw)
        if has_role:
            parties.append(CardParty(role=get("role") or "", name=name, name_raw=name_raw, hidden=hidden))
        articles_raw = get("articles") or ""
        if has_articles and (not has_role or articles_raw):
            decided_raw = get("decided") or ""
            persons.append(
                CardPerson(
                    name=name,
                    name_raw=name_raw,
                    hidden=hidden,
                    articles_raw=articles_raw,
                    articles=_articles(articles_raw, label, warnings),
                    decided=parse_date(decided_raw),
                    decided_raw=decided_raw,
                    result=get("result"),
                )
            )
    return persons, parties


def _articles(raw: str, label: str, warnings: list[str]) -> tuple[ArticleRef, ...]:
    """Criminal Code references; other codes (КоАП) are kept raw only."""
    if not raw or "КОАП" in raw.upper():
        return ()
    try:
        return tuple(parse_articles(raw))
    except ArticleParseError as exc:
        warnings.append(f"{label}: articles not read from {raw!r}: {exc.reason}")
        return ()


def _standard_acts(body: LexborNode) -> list[CardAct]:
    acts: list[CardAct] = []
    for item in body.css("li"):
        match = re.fullmatch(r"tab_doc(\d+)", item.attributes.get("id") or "")
        if not match:
            continue
        text_node = body.css_first(f"div#cont_doc{match.group(1)}")
        if text_node is None:
            raise PageFormatError(f"act {squash(item.text())!r} has no body div#cont_doc{match.group(1)}")
        acts.append(CardAct(title=squash(item.text()), text=or_none(cell_text(text_node)), url=None))
    for link in body.css("a"):
        href = link.attributes.get("href") or ""
        if "name_op=doc" in href:
            title = squash(link.attributes.get("title") or link.text()) or "Судебный акт"
            acts.append(CardAct(title=title, text=None, url=href))
    return acts
