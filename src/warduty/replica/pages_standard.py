"""Pages of the standard sudrf engine: result list, case card, verdict text.

Modelled on the saved real pages (``ksoyu_listing_*.html``, ``leninsky_ufa_criminal.html``,
``ksoyu_act_doc.html``): the same ids (``content``, ``tablcont``, ``tabN``/``contN``), classes
(``title``, ``casenumber``, ``tabs``, ``contentt``), labels and column order, without the site chrome.
"""

from __future__ import annotations

from collections.abc import Sequence

from warduty.courts import Court
from warduty.replica.pages import (
    DOCKET_TITLE,
    LAW_262_NOTE,
    CaseView,
    act_body,
    card_href,
    doc_href,
    fmt_date,
    shell,
    standard_header,
    text,
)
from warduty.replica.query import CRIMINAL_FIRST_INSTANCE, Engine, encode_query

PAGE_SIZE = 25
LISTING_COLUMNS = (
    "№ дела",
    "Дата<br>поступления",
    "Информация по делу",
    "Судья",
    "Дата<br>решения",
    "Решение",
    "Дата вступления<br>в законную силу",
    "Судебные<br>акты",
)
NUMBER_CELL_TITLE = "Для получения справки по делу, нажмите на номер дела"


def _page_href(link_params: Sequence[tuple[str, str]], page: int) -> str:
    return f"./modules.php?{encode_query(list(link_params))}&page={page}".replace("&", "&amp;")


def pager(link_params: Sequence[tuple[str, str]], page: int, last_page: int) -> str:
    """«Страницы : 1 | 2 | 3 > >>» with the neighbours of the current page, as the sites print it."""
    if last_page <= 1:
        return "Страницы : <b>1</b>"
    parts = []
    if page > 1:
        parts.append(f'<a href="{_page_href(link_params, 1)}" title="На первую страницу списка">&lt;&lt;</a>')
        parts.append(f'<a href="{_page_href(link_params, page - 1)}" title="Предыдущая страница">&lt;</a>')
    numbers = []
    for number in range(max(1, page - 4), min(last_page, page + 4) + 1):
        if number == page:
            numbers.append(f"<b>{number}</b>")
        else:
            numbers.append(f'<a href="{_page_href(link_params, number)}">{number}</a>')
    parts.append(" | ".join(numbers))
    if page < last_page:
        parts.append(f'<a href="{_page_href(link_params, page + 1)}" title="Следующая страница">&gt;</a>')
        last_href = _page_href(link_params, last_page)
        parts.append(f'<a href="{last_href}" title="На последнюю страницу списка">&gt;&gt;</a>')
    return "Страницы : " + " ".join(parts)


def _pager_table(link_params: Sequence[tuple[str, str]], page: int, total: int) -> str:
    last_page = max(1, -(-total // PAGE_SIZE))
    first = (page - 1) * PAGE_SIZE + 1
    last = min(total, page * PAGE_SIZE)
    return (
        '<table width="100%" border="0"><tr>'
        f'<td valign="bottom" nowrap="">{pager(link_params, page, last_page)}</td>'
        f'<td align="right">Всего по запросу найдено — {total}. На странице записи с {first} по {last}.'
        '&nbsp;&nbsp;<img src="/images/print.gif" alt="" width="16" height="16"></td></tr></table>'
    )


def persons_cell(view: CaseView) -> str:
    lines = [f"КАТЕГОРИЯ: {text(view.case.category)}"]
    lines.extend(f"{text(person.name)} - {text(person.articles_raw)}" for person in view.persons)
    return "<br>".join(lines)


def _acts_cell(view: CaseView) -> str:
    links = "".join(
        f'<a href="{doc_href(act)}" title="{text(act.kind)}"><img src="/images/arow.gif"></a>&nbsp;'
        for act in view.acts
    )
    return f"&nbsp;{links}"


def listing_row(view: CaseView) -> str:
    case = view.case
    return (
        '<tr valign="top">'
        f'<td title="{NUMBER_CELL_TITLE}" style="width:6%;cursor: pointer;">'
        f'<a href="{card_href("standard", case)}">{text(case.case_number)}</a><br></td>'
        f'<td align="center" style="width:3%">&nbsp;{fmt_date(case.received)}</td>'
        f'<td style="width:50%">{persons_cell(view)}</td>'
        f"<td>{text(case.judge)}</td>"
        f'<td align="center">{fmt_date(view.decided)}</td>'
        f"<td>{text(view.result)}</td>"
        f"<td>{fmt_date(view.legal_force) or '&nbsp;'}</td>"
        f"<td>{_acts_cell(view)}</td></tr>"
    )


def listing_page(
    court: Court, rows: Sequence[CaseView], *, page: int, total: int, link_params: Sequence[tuple[str, str]]
) -> str:
    """One page of results: ``rows`` are the views of this page, ``total`` counts all matches."""
    pager_html = _pager_table(link_params, page, total)
    header_cells = "".join(f'<th style="text-align: center">{label}</th>' for label in LISTING_COLUMNS)
    content = (
        '<div id="content"><div id="line"></div>'
        f'<div align="center" class="title">{DOCKET_TITLE}<br>'
        f'<div style="font-size: 12px">{text(LAW_262_NOTE)}</div></div><div id="line"></div>'
        f"{pager_html}"
        '<table width="100%" border="0" cellpadding="3" cellspacing="0" id="tablcont">'
        f"<tr>{header_cells}</tr>{''.join(listing_row(view) for view in rows)}</table>"
        f"{pager_html}</div>"
    )
    return shell(court, standard_header() + content)


def _field_row(label: str, value_html: str) -> str:
    return f'<tr><td width="50%"><b>{label}</b></td><td>{value_html}</td></tr>'


def _case_tab(court: Court, view: CaseView) -> str:
    case = view.case
    uid_href = (
        f"/modules.php?name=sud_delo&amp;name_op=r_juid&amp;vnkod={court.code}&amp;srv_num=1"
        f"&amp;delo_id={CRIMINAL_FIRST_INSTANCE}&amp;case_type=0&amp;judicial_uid={case.uid}"
    )
    rows = [
        _field_row("Уникальный идентификатор дела", f'<a href="{uid_href}"><u>{text(case.uid)}</u></a>'),
        _field_row("Дата поступления", fmt_date(case.received)),
        _field_row("Категория дела", text(case.category)),
        _field_row("Судья", text(case.judge)),
    ]
    if view.decided is not None:
        rows.append(_field_row("Дата рассмотрения", fmt_date(view.decided)))
        rows.append(_field_row("Результат рассмотрения", text(view.result)))
    sign = "Рассмотрено единолично судьей" if view.decided else "Рассматривается единолично судьей"
    rows.append(_field_row("Признак рассмотрения дела", sign))
    return (
        '<table width="100%" border="0" cellspacing="0" cellpadding="3" id="tablcont">'
        f'<tr><th colspan="2" align="center">ДЕЛО</th></tr><tr></tr>{"".join(rows)}</table>'
    )


POSTED_TOOLTIP = (
    '&nbsp;<span class="tooltipShow"><img src="/images/help.gif"><span>Информация о размещении событий в '
    "движении дела предоставляется на основе сведений, хранящихся в учетной системе судебного "
    "делопроизводства</span></span>"
)


def _grid(title: str, labels: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    head = "".join(
        f'<td align="center"><b>{label}</b>{POSTED_TOOLTIP if label == "Дата размещения" else ""}</td>'
        for label in labels
    )
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return (
        '<table width="100%" border="0" cellpadding="3" cellspacing="0" id="tablcont">'
        f'<tr><th colspan="10">{title}</th></tr><tr>{head}</tr>{body}</table>'
    )


EVENT_COLUMNS = (
    "Наименование события",
    "Дата",
    "Время",
    "Место проведения",
    "Результат события",
    "Основание для выбранного результата события",
    "Примечание",
    "Дата размещения",
)
PERSON_COLUMNS = (
    "Фамилия / наименование",
    "Перечень статей",
    "Дата рассмотрения дела в отношении лица",
    "Результат в отношении лица",
)
WRIT_COLUMNS = (
    "Дата выдачи",
    "Серия, номер бланка",
    "Номер электронного ИД",
    "Статус",
    "Кому выдан / направлен",
)
PARTY_COLUMNS = (
    "Вид лица, участвующего в деле",
    "Лицо, участвующее в деле (ФИО, наименование)",
    "ИНН",
    "КПП",
    "ОГРН",
    "ОГРНИП",
)


def _events_tab(view: CaseView) -> str:
    rows = [
        (
            text(e.name),
            fmt_date(e.day),
            text(e.time),
            text(e.place),
            text(e.result),
            text(e.basis),
            "",
            fmt_date(e.posted),
        )
        for e in view.events
    ]
    return _grid("ДВИЖЕНИЕ ДЕЛА", EVENT_COLUMNS, rows)


def _persons_tab(view: CaseView) -> str:
    rows = [(text(p.name), text(p.articles_raw), fmt_date(p.decided), text(p.result)) for p in view.persons]
    return _grid("ЛИЦА", PERSON_COLUMNS, rows)


def _parties_tab(court: Court) -> str:
    prosecutor = f"Военная прокуратура ({text(court.city_ru)})"
    return _grid("СТОРОНЫ", PARTY_COLUMNS, [("Прокурор", prosecutor, "", "", "", "")])


def _writs_tab() -> str:
    """ИСПОЛНИТЕЛЬНЫЕ ЛИСТЫ: the replica issues no writs, so only the heading and the column labels."""
    return _grid("ИСПОЛНИТЕЛЬНЫЕ ЛИСТЫ", WRIT_COLUMNS, [])


def _acts_tab(view: CaseView) -> str:
    count = len(view.acts)
    tabs = "".join(
        f'<li id="tab_doc{n}" class="{"sel" if n == 1 else "nonsel"}"><a href="#">'
        f"&nbsp;Судебный акт #{n} ({text(act.kind)})&nbsp;</a></li>"
        for n, act in enumerate(view.acts, start=1)
    )
    bodies = "".join(
        f'<div id="cont_doc{n}" style="display: {"block" if n == 1 else "none"}; padding: 15px;">'
        f"{act_body(act)}</div>"
        for n, act in enumerate(view.acts, start=1)
    )
    return f'<ul class="tabs">{tabs}</ul><div class="contentt">{bodies}</div>' if count else ""


def card_page(court: Court, view: CaseView) -> str:
    """The case card: tabs found by label (ДЕЛО, ДВИЖЕНИЕ ДЕЛА, ЛИЦА, СТОРОНЫ, СУДЕБНЫЕ АКТЫ)."""
    panels = [
        ("ДЕЛО", _case_tab(court, view)),
        ("ДВИЖЕНИЕ ДЕЛА", _events_tab(view)),
        ("ЛИЦА", _persons_tab(view)),
        ("СТОРОНЫ", _parties_tab(court)),
        ("ИСПОЛНИТЕЛЬНЫЕ ЛИСТЫ", _writs_tab()),
    ]
    if view.acts:
        panels.append(("СУДЕБНЫЕ АКТЫ", _acts_tab(view)))
    total = len(panels)
    tabs = "".join(
        f'<li id="tab{n}" class="{"sel" if n == 1 else "nonsel"}"><a href="#" '
        f'onclick="index({n}, {total}); return false;">&nbsp;{label}&nbsp;</a></li>'
        for n, (label, _) in enumerate(panels, start=1)
    )
    bodies = "".join(
        f'<div id="cont{n}" style="display: {"block" if n == 1 else "none"}; padding: 0px 15px 15px;">'
        f"{'' if label == 'СУДЕБНЫЕ АКТЫ' else '<br>'}{body}</div>"
        for n, (label, body) in enumerate(panels, start=1)
    )
    content = (
        f'<div id="content"><div id="line"></div><div align="center" class="title">{DOCKET_TITLE}</div>'
        f'<div id="line"></div><div align="center" class="casenumber">ДЕЛО № {text(view.case.case_number)}'
        f'</div><ul class="tabs">{tabs}</ul>'
        f'<div class="contentt" style="padding:0; margin:0;">{bodies}</div>'
        '<div align="right" style="padding:5px;"><img src="images/print.gif" alt="Печать карточки"></div>'
        f'<div class="outputArea publishInfo">опубликовано {fmt_date(view.case.posted)} 10:00</div></div>'
    )
    return shell(court, standard_header() + content)


def document_page(court: Court, view: CaseView, act_index: int, engine: Engine = "standard") -> str:
    """``name_op=doc``: the act text in ``div#content``; ``div#doccont`` holds only the print button."""
    act = view.acts[act_index]
    content = (
        '<div id="content"><div id="line"></div><div align="center" class="title">'
        "Решение по уголовному делу - первая инстанция"
        '<div id="doccont" align="right" style="padding:5px;"><img src="images/print.gif" '
        'alt="Печать решения"></div></div><div id="line"></div>'
        f'<div align="right"><a href="{card_href(engine, view.case)}">Информация по делу</a></div>'
        f"{act_body(act)}</div>"
    )
    return shell(court, standard_header() + content)
