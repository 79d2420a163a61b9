"""Pages of the vintage ("vnkod") sudrf engine: result list and case card.

Cut from the saved vintage pages: the result list from ``samara_kas_appeal_uid_results.html``
(``div#search_results`` with ``div.lawcase-count`` «Всего по запросу найдено - <b>N</b>», the table
``div#resultTable > table.law-case-table.line-hover``, the mobile copy ``div#resultMob`` and the empty
``div.lawcase-paging`` blocks the site's script fills), the card from ``zavolgskiy_card.html`` and
``samara_kas_appeal_card.html`` (``ul#case_bookmarks``, ``div.case-num``, ``div#tab_content_*`` panels
with ``table.law-case-table`` and their mobile copies, the print version of the events, the act text in
``tab_content_Document1``). In the list, a case's acts link to its card with ``_doc=1``, as on the real
list. The page size is 20.
"""

from __future__ import annotations

from collections.abc import Sequence

from warduty.courts import Court
from warduty.replica.pages import (
    DOCKET_TITLE,
    CaseView,
    act_body,
    card_href,
    fmt_date,
    shell,
    text,
    vintage_card_href,
    vintage_header,
)
from warduty.replica.pages_standard import persons_cell

PAGE_SIZE = 20
ACTIVE = ' class="active"'
LISTING_COLUMNS = (
    "Номер дела",
    "Дата поступления",
    "Информация по делу",
    "Судья",
    "Дата решения",
    "Решение",
    "Дата вступления<br>в законную силу",
    "Судебные<br>акты",
)
EVENT_COLUMNS = (
    "Наименование события",
    "Результат события",
    "Основания для выбранного результата события",
    "Дата события",
    "Время события",
    "Дата размещения",
)
DEFENDANT_COLUMNS = (
    "Фамилия / наименование",
    "Перечень статей",
    "Дата рассмотрения дела в отношении лица",
    "Результат в отношении лица",
)
PARTY_COLUMNS = (
    "Процессуальный статус лица, участвующего в деле",
    "Лицо, участвующее в деле (ФИО, наименование)",
    "ИНН",
    "КПП",
    "ОГРН / ОГРНИП",
)
_HOVER = (
    "onmouseout=\"js: this.style.backgroundColor='#ffffff';\" "
    "onmouseover=\"js: this.style.backgroundColor='#EFEFEF';\""
)


def _acts_links(view: CaseView) -> str:
    return "".join(
        f'<a href="{vintage_card_href(view.case, n)}&amp;srv_num=1" class="doc" title="{text(act.kind)}">'
        '<img src="/modules/sud_delo/images/doc.png"></a>'
        for n, act in enumerate(view.acts, start=1)
    )


def _row(view: CaseView) -> str:
    case = view.case
    href = card_href("vintage", case)
    return (
        f'<tr {_HOVER}><td class="lawcase-number-td"><a href="{href}" class="dashed open-lawcase">'
        f'{text(case.case_number)}</a></td><td class="text-center vert-align">{fmt_date(case.received)}</td>'
        f'<td class="vert-align">{persons_cell(view)}</td><td class="vert-align">{text(case.judge)}</td>'
        f'<td class="text-center vert-align">{fmt_date(view.decided)}</td>'
        f'<td class="vert-align">{text(view.result)}</td>'
        f'<td class="text-center vert-align">{fmt_date(view.legal_force)}</td>'
        f'<td class="vert-align">{_acts_links(view)}</td></tr>'
    )


def _mobile_card(view: CaseView) -> str:
    case = view.case
    result = f"{fmt_date(view.decided)} {text(view.result)}".strip()
    return (
        f'<div class="mobile-lawcase-card"><time>Поступило: {fmt_date(case.received)}</time>'
        f'<div class="m-number"><a href="{card_href("vintage", case)}" '
        f'class="dashed open-lawcase">{text(case.case_number)}</a></div>'
        f'<div class="m-essence">{persons_cell(view)}</div><div class="m-judge">Судья: '
        f"{text(case.judge)}</div>"
        f'<div class="m-essence">Результат: {result}</div><div '
        f'class="m-essence">{_acts_links(view)}</div></div>'
    )


def _paging(total: int, page: int, *, bottom: bool) -> str:
    """The block the site's pagination script fills in (``_page=N`` links); empty in the HTML."""
    style = ' style="display: inline-block;"' if bottom else ""
    script = (
        f"<script>$(function(){{$('.lawcase-paging').pagination({{items: {total}, itemsOnPage: {PAGE_SIZE}, "
        f"currentPage: {page}, hrefTextPrefix: '&_page='}});}});</script>"
        if bottom
        else ""
    )
    return f'<div class="lawcase-paging light-theme simple-pagination"{style}></div>{script}'


def listing_page(
    court: Court, rows: Sequence[CaseView], *, page: int, total: int, link_params: Sequence[tuple[str, str]]
) -> str:
    """One page of results; ``link_params`` is unused, the site's script builds the page links."""
    first = (page - 1) * PAGE_SIZE + 1
    last = min(total, page * PAGE_SIZE)
    head = "".join(
        f'<td class="{"lawcase-number-td text-center" if n == 0 else "text-center"}">{label}</td>'
        for n, label in enumerate(LISTING_COLUMNS)
    )
    content = (
        f'<div id="search_results"><div class="name-instanse">{DOCKET_TITLE}</div><hr>'
        f"{_paging(total, page, bottom=False)}"
        f'<div class="lawcase-count">Всего по запросу найдено - <b>{total}</b>.&nbsp;'
        f"<span>На странице записи с <b>{first}</b> по <b>{last}</b>.</span></div>"
        '<div id="resultTable"><table class="law-case-table line-hover">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(_row(view) for view in rows)}</tbody></table></div>"
        f'<div id="resultMob" class="mt7">{"".join(_mobile_card(view) for view in rows)}</div>'
        f"{_paging(total, page, bottom=True)}</div>"
    )
    return shell(court, vintage_header() + content + "</div>")


def _table(labels: Sequence[str], rows: Sequence[Sequence[str]], *, print_copy: bool = False) -> str:
    head = "".join(f'<td class="vert-align">{label}</td>' for label in labels)
    body = "".join(
        "<tr>" + "".join(f'<td class="vert-align">{cell}</td>' for cell in row) + "</tr>" for row in rows
    )
    css = "law-case-table non-list" if print_copy else "law-case-table non-list none-mobile"
    return (
        f'<table class="{css}"><thead class="vert-align"><tr '
        f'class="text-center">{head}</tr></thead><tbody>{body}</tbody></table>'
    )


def _mobile_tables(labels: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """The phone copy of a table: one two-column table per row."""
    return "".join(
        '<div class="mobile-lawcase-item block-mobile"><table class="law-case-table"><tbody>'
        + "".join(
            f"<tr><td><b>{label}</b></td><td>{cell}</td></tr>"
            for label, cell in zip(labels, row, strict=True)
        )
        + "</tbody></table></div>"
        for row in rows
    )


def _mobile_events(events: Sequence[Sequence[str]]) -> str:
    items = []
    for name, result, _basis, day, time, _posted in events:
        outcome = f"Результат:<li><b>{result}</b></li>" if result else ""
        items.append(
            f'<div class="mobile-lawcase-item block-mobile"><h2>{day} {time}</h2><ul><li><b>{name}</b></li>'
            f"{outcome}</ul></div>"
        )
    return "".join(items)


def _case_panel(view: CaseView) -> str:
    case = view.case
    uid_href = f"/modules.php?name=sud_delo&amp;name_op=r&amp;case__judicial_uidss={case.uid}&amp;_ord=asc"
    fields = [
        ("Уникальный идентификатор дела", f'<a class="dashed" href="{uid_href}">{text(case.uid)}</a>'),
        ("Дата поступления", fmt_date(case.received)),
        ("Категория дела", text(case.category)),
        ("Судья", text(case.judge)),
    ]
    if view.decided is not None:
        fields.append(("Дата рассмотрения", fmt_date(view.decided)))
        fields.append(("Результат рассмотрения", text(view.result)))
    sign = "Рассмотрено единолично судьей" if view.decided else "Рассматривается единолично судьей"
    fields.append(("Признак рассмотрения дела", sign))
    rows = "".join(f"<tr><td><b>{label}</b></td><td>{value}</td></tr>" for label, value in fields)
    return f'<table class="law-case-table"><tbody>{rows}</tbody></table>'


def card_page(court: Court, view: CaseView) -> str:
    number = text(view.case.case_number)
    events = [
        (text(e.name), text(e.result), text(e.basis), fmt_date(e.day), text(e.time), fmt_date(e.posted))
        for e in view.events
    ]
    defendants = [
        (text(p.name), text(p.articles_raw), fmt_date(p.decided), text(p.result)) for p in view.persons
    ]
    parties = [("ПРОКУРОР", f"Военная прокуратура ({text(court.city_ru)})", "", "", "")]
    print_link = (
        '<div style="text-align: right;"><a class="serviceLinks showPrintVersion dashed" href="#">версия для '
        f'печати</a><span class="printVersionTitle" style="display: none;">Дело № {number}</span></div>'
    )
    panels = [
        ("Case", "Дело", _case_panel(view), ""),
        (
            "EventList",
            "Движение дела",
            _table(EVENT_COLUMNS, events) + _mobile_events(events) + print_link,
            '<div class="lawcase-tab-content printVersionBody none" style="display: none;">'
            f"{_table(EVENT_COLUMNS, events, print_copy=True)}</div>",
        ),
        (
            "DefList",
            "Лица",
            _table(DEFENDANT_COLUMNS, defendants) + _mobile_tables(DEFENDANT_COLUMNS, defendants),
            "",
        ),
        (
            "PersonList",
            "Стороны",
            _table(PARTY_COLUMNS, parties) + _mobile_tables(PARTY_COLUMNS, parties),
            "",
        ),
    ]
    for n, act in enumerate(view.acts, start=1):
        body = f'<title></title>{act_body(act)}<table class="law-case-table"></table>'
        panels.append((f"Document{n}", f"Судебный акт #{n} ({act.kind})", body, ""))
    tabs = "".join(
        f'<li id="tab_id_{key}"{ACTIVE if n == 0 else ""}>{text(label)}</li>'
        for n, (key, label, _, _) in enumerate(panels)
    )
    bodies = "".join(
        f'<div id="tab_content_{key}" class="lawcase-tab-content" '
        f'style="display: {"block" if n == 0 else "none"};">{body}</div>{after}'
        for n, (key, _, body, after) in enumerate(panels)
    )
    content = (
        f'<div id="search_results"><div class="name-instanse">{DOCKET_TITLE}</div><hr>'
        f'<div class="container" id="case_window"><div class="case-num">ДЕЛО № {number}</div>'
        f'<ul id="case_bookmarks" class="bookmarks">{tabs}</ul><div class="clr sp15"></div>'
        f"{bodies}</div></div></div>"
    )
    return shell(court, vintage_header() + content)
