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
from warduty.replica.model import (
    ReplicaAct,
    ReplicaCase,
    ReplicaEvent,
    decided_as_of,
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
    shown = decided_as_of(case, as_of)
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
        events=visible_events(case, as_of),
        acts=visible_acts(case, as_of),
    )


def fmt_date(day: date | None) -> str:
    return day.strftime("%d.%m.%Y") if day is not None else ""


def text(value: str | None) -> str:
    """Escaped cell text; the sites print line breaks inside cells as ``<br>``."""
    return escape(value or "", quote=False).replace("\n", "<br>")


def attr(value: str) -> str:
    return escape(value, quote=True)


def card_href(engine: Engine, case: ReplicaCase) -> str:
    if engine == "vintage":
        return (
            f"/modules.php?name=sud_delo&amp;srv_num=1&amp;name_op=case&amp;_id={case.site_id}"
            f"&amp;_uid={case.site_uid}&amp;_deloId={CRIMINAL_FIRST_INSTANCE}&amp;_caseType=0&amp;_new=0"
        )
    return (
        f"/modules.php?name=sud_delo&amp;srv_num=1&amp;name_op=case&amp;case_id={case.site_id}"
        f"&amp;case_uid={case.site_uid}&amp;delo_id={CRIMINAL_FIRST_INSTANCE}"
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


def act_body(act: ReplicaAct) -> str:
    """The act text as the sites embed it: one justified paragraph per line."""
    paragraphs = []
    for line in act.text.splitlines():
        if not line.strip():
            continue
        centred = line.strip().isupper() and len(line.strip()) < 40
        align = "center" if centred else "justify"
        body = _mark_anonymised(escape(line.strip(), quote=False))
        paragraphs.append(f'<p style="TEXT-ALIGN: {align}; TEXT-INDENT: 0.5in">{body}</p>')
    return '<span style="TEXT-ALIGN: justify">\n' + "\n".join(paragraphs) + "</span>"


def shell(court: Court, module_html: str) -> str:
    """A full page: head with the windows-1251 meta, the content box, and the module inside it."""
    return (
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
        f"<title>{text(court.name_ru)}</title></head><body>\n"
        '<div class="box box_common m-all_m"><div class="box__head box__head_white">'
        "СУДЕБНОЕ ДЕЛОПРОИЗВОДСТВО</div>\n"
        f'<div id="modSdpContent">\n{module_html}\n</div></div>\n</body></html>\n'
    )


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
        '<span><input name="H_date" id="H_date" class="date" value=""></span></div>'
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
    """The silent answer to an empty result and to a malformed query alike (status 200)."""
    content = (
        '<div id="content"><div style=\'text-align: center\' class="title">'
        f'<div style="font-size: 12px">{text(LAW_262_NOTE)}</div>'
        f'<div align="center" class="title"><div align="center" id="error">{text(NO_DATA_TEXT)}<br>'
        f'Уточните критерии поиска. <br><br><a href="{search_form_href()}">Вернуться на форму поиска</a>'
        "</div></div></div></div>"
    )
    return shell(court, header(engine) + content + footer(engine))


def throttle_page(court: Court) -> str:
    """«Информация временно недоступна»: the box without the module, as the live throttle page."""
    return (
        "<!DOCTYPE html>\n<html><head>"
        '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
        f"<title>{text(court.name_ru)}</title></head><body>\n"
        "<div class='box box_common m-all_m'>\n"
        "<div class='box__head box__head_white'>СУДЕБНОЕ ДЕЛОПРОИЗВОДСТВО</div>"
        f"{text(THROTTLE_TEXT)}</div>\n</body></html>\n"
    )


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


def _hidden(name: str, value: str) -> str:
    return f'<input name="{attr(name)}" type="hidden" value="{attr(value)}">'


def _form_fields(engine: Engine, court: Court) -> tuple[str, str]:
    if engine == "vintage":
        hidden = (
            _hidden("name", "sud_delo")
            + _hidden("srv_num", "1")
            + _hidden("name_op", "r")
            + _hidden("_deloId", CRIMINAL_FIRST_INSTANCE)
            + _hidden("case__case_type", "0")
            + _hidden("_new", "0")
            + _hidden("case__vnkod", court.code)
        )
        number, articles = "case__case_numberss", "parts__law_articless"
        entry, result = "case__entry_date", "case__result_date"
    else:
        hidden = (
            _hidden("name", "sud_delo")
            + _hidden("srv_num", "1")
            + _hidden("name_op", "r")
            + _hidden("delo_id", CRIMINAL_FIRST_INSTANCE)
            + _hidden("case_type", "0")
            + _hidden("new", "0")
            + _hidden("delo_table", "u1_case")
        )
        number, articles = "u1_case__CASE_NUMBERSS", "U1_DEFENDANT__LAW_ARTICLESS"
        entry, result = "u1_case__ENTRY_DATE", "u1_case__RESULT_DATE"
    rows = (
        f'<tr><td align="right">Номер дела (материала)</td><td><input name="{number}" type="text" '
        'class="Lookup" size="70"></td></tr>'
        f'<tr><td align="right">Статья УК РФ</td><td><input name="{articles}" type="text" class="Lookup">'
        "</td></tr>"
        f'<tr><td align="right">Дата поступления</td><td>с <input name="{entry}1D" type="text" size="10" '
        f'class="Lookup"> по <input name="{entry}2D" type="text" size="10" class="Lookup"></td></tr>'
        f'<tr><td align="right">Дата решения</td><td>с <input name="{result}1D" type="text" size="10" '
        f'class="Lookup"> по <input name="{result}2D" type="text" size="10" class="Lookup"></td></tr>'
    )
    return hidden, rows


def search_form_page(
    court: Court,
    engine: Engine,
    *,
    captcha_png_base64: str | None = None,
    captcha_id: str | None = None,
    wrong_answer: bool = False,
) -> str:
    """The search form (``name_op=sf``, or a search without ``Submit``); with a captcha when given."""
    hidden, rows = _form_fields(engine, court)
    captcha_row = ""
    if captcha_png_base64 is not None and captcha_id is not None:
        captcha_row = (
            '<tr><td style="width:10%;" align="right">Проверочный код</td><td style="width:40%;">'
            '<input name="captcha" autocomplete="off" id="captcha" type="text" class="Lookup" size="10"> '
            f'<img src="data: image/png;base64, {captcha_png_base64}" style="border: 1px solid #4a739d;">'
            f"{_hidden('captchaid', captcha_id)}</td></tr>"
        )
    error = f'<div align="center" id="error">{text(CAPTCHA_WRONG_TEXT)}</div>' if wrong_answer else ""
    content = (
        f'<div id="content">{error}<form action="" method="get" name="calform" id="calform">{hidden}'
        '<table width="100%" cellpadding="0" cellspacing="0" border="0"><tr>'
        '<td style="width:50%; border: 1px solid #CECECE;" align="center"><div id="case_type">'
        f'Выбрана картотека поиска:<br><div style="color:#006699; font-size:20px">{DOCKET_TITLE}</div>'
        '</div></td></tr><tr><td style="text-align: center">Поиск по делам'
        f'<table width="100%" cellpadding="0" cellspacing="2" border="0">{rows}{captcha_row}</table>'
        '</td></tr></table><div id="line"></div>'
        '<input type="submit" name="Submit" value="Найти"></form></div>'
    )
    return shell(court, header(engine) + content + footer(engine))
