"""Pages of the vintage ("vnkod") sudrf engine: result list and case card.

The card is modelled on ``zavolgskiy_card.html`` (``ul#case_bookmarks``, ``div.case-num``,
``div#tab_content_*`` panels with ``table.law-case-table``); the mobile duplicates of each table are
trimmed. The list follows what the peers parse on these sites (``#resultTable``, ``div.lawcase-count``,
``td.lawcase-number-td a`` with ``_id``/``_uid``, ``ul.pagination``). The page size is 20.
"""

from __future__ import annotations

from collections.abc import Sequence

from warduty.courts import Court
from warduty.replica.pages import (
    DOCKET_TITLE,
    CaseView,
    act_body,
    card_href,
    doc_href,
    fmt_date,
    shell,
    text,
    vintage_header,
)
from warduty.replica.pages_standard import persons_cell
from warduty.replica.query import encode_query

PAGE_SIZE = 20
LISTING_COLUMNS = (
    "№ дела",
    "Дата поступления",
    "Информация по делу",
    "Судья",
    "Дата решения",
    "Решение",
    "Дата вступления в законную силу",
    "Судебные акты",
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


def _page_href(link_params: Sequence[tuple[str, str]], page: int) -> str:
    return f"/modules.php?{encode_query(list(link_params))}&_page={page}".replace("&", "&amp;")


def pagination(link_params: Sequence[tuple[str, str]], page: int, last_page: int) -> str:
    if last_page <= 1:
        return ""
    items = []
    if page > 1:
        items.append(
            f'<li><a href="{_page_href(link_params, page - 1)}" title="Предыдущая страница">‹</a></li>'
        )
    for number in range(max(1, page - 4), min(last_page, page + 4) + 1):
        if number == page:
            items.append(f'<li class="active"><span>{number}</span></li>')
        else:
            items.append(f'<li><a href="{_page_href(link_params, number)}">{number}</a></li>')
    if page < last_page:
        items.append(
            f'<li><a href="{_page_href(link_params, page + 1)}" title="Следующая страница">›</a></li>'
        )
        last_href = _page_href(link_params, last_page)
        items.append(f'<li><a href="{last_href}" title="На последнюю страницу списка">»</a></li>')
    return f'<ul class="pagination">{"".join(items)}</ul>'


def _row(view: CaseView) -> str:
    case = view.case
    acts = "".join(
        f'<a href="{doc_href(act)}" title="{text(act.kind)}">{text(act.kind)}</a> ' for act in view.acts
    )
    return (
        '<tr><td class="lawcase-number-td">'
        f'<a class="open-lawcase" href="{card_href("vintage", case)}">{text(case.case_number)}</a></td>'
        f"<td>{fmt_date(case.received)}</td><td>{persons_cell(view)}</td><td>{text(case.judge)}</td>"
        f"<td>{fmt_date(view.decided)}</td><td>{text(view.result)}</td><td>{fmt_date(view.legal_force)}</td>"
        f"<td>{acts}</td></tr>"
    )


def listing_page(
    court: Court, rows: Sequence[CaseView], *, page: int, total: int, link_params: Sequence[tuple[str, str]]
) -> str:
    last_page = max(1, -(-total // PAGE_SIZE))
    first = (page - 1) * PAGE_SIZE + 1
    last = min(total, page * PAGE_SIZE)
    head = "".join(f'<td class="vert-align">{label}</td>' for label in LISTING_COLUMNS)
    content = (
        f'<div id="search_results"><div class="name-instanse">{DOCKET_TITLE}</div><hr>'
        f'<div class="lawcase-count">Всего по запросу найдено - {total}. Показаны записи с {first} по {last}.'
        '</div><table id="resultTable" class="law-case-table">'
        f'<thead class="vert-align"><tr class="text-center">{head}</tr></thead>'
        f"<tbody>{''.join(_row(view) for view in rows)}</tbody></table>"
        f"{pagination(link_params, page, last_page)}</div></div>"
    )
    return shell(court, vintage_header() + content)


def _table(labels: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    head = "".join(f'<td class="vert-align">{label}</td>' for label in labels)
    body = "".join(
        "<tr>" + "".join(f'<td class="vert-align">{cell}</td>' for cell in row) + "</tr>" for row in rows
    )
    return (
        '<table class="law-case-table non-list none-mobile"><thead class="vert-align">'
        f'<tr class="text-center">{head}</tr></thead><tbody>{body}</tbody></table>'
    )


def _case_panel(view: CaseView) -> str:
    case = view.case
    uid_href = f"/modules.php?name=sud_delo&amp;name_op=r&amp;case__judicial_uidss={case.uid}&amp;_ord=asc"
    fields = [
        ("Уникальный идентификатор дела", f'<a class="dashed" href="{uid_href}">{text(case.uid)}</a>'),
        ("Дата поступления", fmt_date(case.received)),
        ("Категория", text(case.category)),
        ("Председательствующий судья", text(case.judge)),
    ]
    if view.decided is not None:
        fields.append(("Дата рассмотрения", fmt_date(view.decided)))
        fields.append(("Результат рассмотрения", text(view.result)))
    sign = "Рассмотрено единолично судьей" if view.decided else "Рассматривается единолично судьей"
    fields.append(("Признак рассмотрения дела", sign))
    rows = "".join(f"<tr><td><b>{label}</b></td><td>{value}</td></tr>" for label, value in fields)
    return f'<table class="law-case-table"><tbody>{rows}</tbody></table>'


def card_page(court: Court, view: CaseView) -> str:
    events = [
        (text(e.name), text(e.result), text(e.basis), fmt_date(e.day), text(e.time), fmt_date(e.posted))
        for e in view.events
    ]
    defendants = [
        (text(p.name), text(p.articles_raw), fmt_date(p.decided), text(p.result)) for p in view.persons
    ]
    prosecutor = ("ПРОКУРОР", f"Военная прокуратура ({text(court.city_ru)})", "", "", "")
    panels = [
        ("Case", "Дело", _case_panel(view)),
        ("EventList", "Движение дела", _table(EVENT_COLUMNS, events)),
        ("DefList", "Лица", _table(DEFENDANT_COLUMNS, defendants)),
        ("PersonList", "Стороны", _table(PARTY_COLUMNS, [prosecutor])),
    ]
    for n, act in enumerate(view.acts, start=1):
        panels.append((f"Document{n}", f"Судебный акт #{n} ({act.kind})", act_body(act)))
    tabs = "".join(
        f'<li id="tab_id_{key}" class="{"active" if n == 0 else ""}">{text(label)}</li>'
        for n, (key, label, _) in enumerate(panels)
    )
    bodies = "".join(
        f'<div id="tab_content_{key}" class="lawcase-tab-content" '
        f'style="display: {"block" if n == 0 else "none"};">{body}</div>'
        for n, (key, _, body) in enumerate(panels)
    )
    content = (
        f'<div id="search_results"><div class="name-instanse">{DOCKET_TITLE}</div><hr>'
        f'<div class="container" id="case_window"><div class="case-num">ДЕЛО № {text(view.case.case_number)}'
        f'</div><ul id="case_bookmarks" class="bookmarks">{tabs}</ul><div class="clr sp15"></div>'
        f"{bodies}</div></div></div>"
    )
    return shell(court, vintage_header() + content)
