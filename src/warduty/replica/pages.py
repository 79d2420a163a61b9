"""What a court site shows of a case on a date, and the pages both engines share.

:func:`case_view` applies the visibility rules of ``model.py`` once, so listings, cards and documents of
both engines agree. The shared pages (the silent empty result, the throttle page, the captcha form, the
empty document, the unknown-server page) are modelled on the saved real pages: same ids, classes and
texts, with the site chrome (menus, banners, scripts) trimmed. Engine-specific pages live in
``pages_standard.py`` and ``pages_vintage.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from html import escape

from warduty.courts import Court
from warduty.replica import chrome
from warduty.replica.model import (
    ReplicaAct,
    ReplicaCase,
    ReplicaEvent,
    decision_shown,
    visible_acts,
    visible_events,
)
from warduty.replica.query import CRIMINAL_FIRST_INSTANCE, Engine

DOCKET_TITLE = "Уголовные дела - первая инстанция"
NO_DATA_TEXT = "Данных по запросу не обнаружено."
THROTTLE_TEXT = (
    "Информация временно недоступна. Приносим свои извинения. "
    "Попробуйте обратиться позже или обратитесь непосредственно в суд."
)
EMPTY_DOCUMENT_TEXT = "ПУСТОЙ ДОКУМЕНТ"
UNKNOWN_SERVER_TEXT = "Указанный сервер СДП не найден."
CAPTCHA_WRONG_TEXT = "Неверно указан проверочный код с картинки."
LAW_262_NOTE = (
    "В соответствии с Федеральным законом от 22.12.2008 № 262-ФЗ «Об обеспечении доступа к информации о "
    "деятельности судов в Российской Федерации» не все категории дел подлежат публикации и результат "
    "поиска может не отображать полный список дел, находящихся в суде на рассмотрении."
)


@dataclass(frozen=True, slots=True)
class PersonView:
    name: str
    articles_raw: str
    decided: date | None
    result: str | None


@dataclass(frozen=True, slots=True)
class CaseView:
    """A case as its court site shows it on ``as_of``: decisions and acts only once posted."""

    case: ReplicaCase
    decided: date | None
    result: str | None
    legal_force: date | None
    persons: tuple[PersonView, ...]
    events: tuple[ReplicaEvent, ...]
    acts: tuple[ReplicaAct, ...]


def case_view(case: ReplicaCase, as_of: date) -> CaseView:
    events = visible_events(case, as_of)
    shown = decision_shown(case, events)
    persons = tuple(
        PersonView(
            name=person.name,
            articles_raw=person.articles_raw,
            decided=person.decided if shown and person.decided and person.decided <= as_of else None,
            result=person.result if shown and person.decided and person.decided <= as_of else None,
        )
        for person in case.persons
    )
    legal_force = case.legal_force if shown and case.legal_force and case.legal_force <= as_of else None
    return CaseView(
        case=case,
        decided=case.decided if shown else None,
        result=case.result if shown else None,
        legal_force=legal_force,
        persons=persons,
        events=events,
        acts=visible_acts(case, as_of),
    )


def fmt_date(day: date | None) -> str:
    """``dd.mm.yyyy`` (``strftime`` gives the same and costs several times more; pages print many dates)."""
    return f"{day.day:02d}.{day.month:02d}.{day.year}" if day is not None else ""


def text(value: str | None) -> str:
    """Escaped cell text; the sites print line breaks inside cells as ``<br>``."""
    if not value:  # many cells are empty; skip the escaping calls
        return ""
    return escape(value, quote=False).replace("\n", "<br>")


def attr(value: str) -> str:
    return escape(value, quote=True)


def card_href(engine: Engine, case: ReplicaCase) -> str:
    if engine == "vintage":
        return vintage_card_href(case) + "&amp;srv_num=1"
    return (
        f"/modules.php?name=sud_delo&amp;srv_num=1&amp;name_op=case&amp;case_id={case.site_id}"
        f"&amp;case_uid={case.site_uid}&amp;delo_id={CRIMINAL_FIRST_INSTANCE}"
    )


def vintage_card_href(case: ReplicaCase, doc: int | None = None) -> str:
    """The vintage card link in the real list's order; ``doc`` opens the card at that act (``_doc=N``)."""
    shown = f"&amp;_doc={doc}" if doc is not None else ""
    return (
        f"/modules.php?name=sud_delo&amp;name_op=case&amp;_id={case.site_id}&amp;_uid={case.site_uid}"
        f"&amp;_deloId={CRIMINAL_FIRST_INSTANCE}&amp;_caseType=0&amp;_new=0{shown}"
    )


def doc_href(act: ReplicaAct) -> str:
    return (
        f"/modules.php?name=sud_delo&amp;srv_num=1&amp;name_op=doc&amp;number={act.doc_id}"
        f"&amp;delo_id={CRIMINAL_FIRST_INSTANCE}&amp;new=0&amp;text_number=1"
    )


_ANONYMISED = re.compile(r"(ФИО(\d+)|ДД\.ММ\.ГГГГ|&lt;адрес&gt;|&lt;данные изъяты&gt;)")
_SPAN_CLASS = {"ДД.ММ.ГГГГ": "Data2", "&lt;адрес&gt;": "Address2", "&lt;данные изъяты&gt;": "others1"}


def _mark_anonymised(escaped_line: str) -> str:
    """Wrap the anonymisation tokens in spans as the sites do (``<span class="FIO1">ФИО1</span>``)."""

    def wrap(match: re.Match[str]) -> str:
        token, number = match.group(1), match.group(2)
        css = f"FIO{number}" if number else _SPAN_CLASS[token]
        return f'<span class="{css}">{token}</span>'

    return _ANONYMISED.sub(wrap, escaped_line)


# How a court's software lays out an act: plain justified paragraphs (``leninsky_ufa_criminal.html``),
# the date and the town side by side in a two-cell table (``ksoyu_act_doc.html``), or paragraphs broken
# with ``<br>`` where the clerk pressed Shift+Enter.
ACT_LAYOUTS = ("paragraphs", "date_table", "line_breaks")
_DATE_TOWN = re.compile(
    r"^(?P<date>(?:«?\d{1,2}»?\s+[а-я]+|\d{2}\.\d{2})\s*\.?\s*\d{4}\s*(?:года|г\.)?)\s+"
    r"(?P<town>(?:г\.|город|пос\.)\s*.+)$"
)
_TOWN_DATE = re.compile(
    r"^(?P<town>(?:г\.|город|пос\.)\s*[А-ЯЁ][^\d«]*?)\s+"
    r"(?P<date>(?:«?\d{1,2}»?\s+[а-я]+|\d{2}\.\d{2})\s*\.?\s*\d{4}\s*(?:года|г\.)?)$"
)
_BREAK_BEFORE = re.compile(r"(?<=, )(?=уроженца|проживающего|зарегистрированного)")


def act_layout(act: ReplicaAct) -> str:
    return ACT_LAYOUTS[act.doc_id % len(ACT_LAYOUTS)]


def _marked(text: str, layout: str) -> str:
    body = _mark_anonymised(escape(text, quote=False))
    return _BREAK_BEFORE.sub("<br>", body) if layout == "line_breaks" else body


def _paragraph(body_html: str, align: str) -> str:
    return f'<p style="TEXT-ALIGN: {align}; TEXT-INDENT: 0.5in">{body_html}</p>'


def act_body(act: ReplicaAct, layout: str | None = None) -> str:
    """The act text as the sites embed it: one paragraph per line, laid out as ``act_layout`` says."""
    layout = layout or act_layout(act)
    paragraphs = []
    # Escaped and marked in one go, then split: no token or break spans a line, and neither adds or
    # removes a line end or edge whitespace, so line n of ``marked`` is line n of the text, marked.
    marked = _marked(act.text, layout).splitlines()
    for raw, body in zip(act.text.splitlines(), marked, strict=True):
        line = raw.strip()
        if not line:
            continue
        date_town = (_DATE_TOWN.match(line) or _TOWN_DATE.match(line)) if layout == "date_table" else None
        if date_town is not None:
            first, second = ("date", "town") if date_town.re is _DATE_TOWN else ("town", "date")
            paragraphs.append(
                '<table cellSpacing="0" cellPadding="2" align="center"><tbody><tr><td>'
                f"{_paragraph(_marked(date_town.group(first), layout), 'justify')}</td><td>"
                f"{_paragraph(_marked(date_town.group(second), layout), 'right')}</td></tr></tbody></table>"
            )
            continue
        centred = line.isupper() and len(line) < 40
        align = "center" if centred else ("right" if line.startswith("Дело №") else "justify")
        paragraphs.append(_paragraph(body.strip(), align))
    return '<span style="TEXT-ALIGN: justify">\n' + "\n".join(paragraphs) + "</span>"


def shell(court: Court, module_html: str) -> str:
    """A full page: the site chrome (``chrome.py``) with the module in ``div#modSdpContent``."""
    return chrome.page(court, f'<div id="modSdpContent">\n{module_html}\n</div>')


def standard_header() -> str:
    return (
        '<div id="header"><form id="calformH" name="calformH" method="get" action="/modules.php">'
        '<input name="name" type="hidden" value="sud_delo"><input name="srv_num" type="hidden" value="1">'
        '<table id="top_menu" cellspacing="0" cellpadding="1"><tr>'
        "<td>Вывести список дел, назначенных на дату</td>"
        '<td><input name="H_date" class="text" id="H_date" type="text" maxlength="10" value=""></td></tr>'
        '<tr><td colspan="4"><a href="#"><b>Поиск информации по делам</b></a></td></tr></table>'
        "</form></div>"
    )


def vintage_header() -> str:
    return (
        '<div class="round-border-container"><div class="form-container">'
        '<form class="form-item date-item" id="calformH" name="calformH" method="get" action="/modules.php">'
        '<input name="name" type="hidden" value="sud_delo"><input name="srv_num" id="srv_num" type="hidden" '
        'value="1"><div class="form-item date-item"><div class="choose-date"><span class="date-label">'
        "Список дел, назначенных к&nbsp;слушанию&nbsp;на</span>"
        '<span><input name="H_date" id="H_date" class="date" value=""></span>'
        '<input type="button" class="button-standart button-search" value="Показать"></div>'
        '<div class="show-search-form"><p><span class="dashed" id="show-sf">Поиск информации по делам</span>'
        "</p></div></div></form></div><hr>"
    )


def header(engine: Engine) -> str:
    return vintage_header() if engine == "vintage" else standard_header()


def footer(engine: Engine) -> str:
    return "</div>" if engine == "vintage" else ""


def search_form_href() -> str:
    return (
        "/modules.php?name=sud_delo&amp;srv_num=1&amp;name_op=sf"
        f"&amp;delo_id={CRIMINAL_FIRST_INSTANCE}&amp;case_type=0&amp;new=0"
    )


def no_data_page(court: Court, engine: Engine) -> str:
    """The silent answer to an empty result and to a malformed query alike (status 200).

    The empty ``<a>`` elements are in the saved page (``ksoyu_listing_bad_new.html``): the module closes
    an ``<a>`` it never opened, which browsers and parsers turn into empty links."""
    content = (
        '<div id="content"><div style="text-align: center" class="title">'
        f'<div style="font-size: 12px">{text(LAW_262_NOTE)}</div>'
        f'<div align="center" class="title"><div align="center" id="error">{text(NO_DATA_TEXT)}<br>'
        f'Уточните критерии поиска. <br><br><a href="{search_form_href()}">Вернуться на форму поиска</a>'
        "<a></a></div><a></a></div><a></a></div></div>"
    )
    return shell(court, header(engine) + content + footer(engine))


def throttle_page(court: Court) -> str:
    """«Информация временно недоступна»: the site with the module box holding only that sentence."""
    return chrome.page(court, text(THROTTLE_TEXT))


def unknown_server_page(host: str) -> str:
    return (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
        f"<title>{text(host)}</title></head><body>"
        f'<div align="center" id="error">{text(UNKNOWN_SERVER_TEXT)}</div></body></html>\n'
    )


def empty_document_page(court: Court) -> str:
    content = (
        '<div id="content"><div id="line"></div>'
        f'<div align="center" class="title">{text(EMPTY_DOCUMENT_TEXT)}</div><div id="line"></div></div>'
    )
    return shell(court, standard_header() + content)
