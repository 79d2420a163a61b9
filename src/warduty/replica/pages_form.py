"""The search form (``name_op=sf``, or a search without ``Submit``), with the captcha where a court has one,
and the page a wrong captcha answer gets.

Cut from ``sudrf_captcha_form.html`` (a standard-engine form: ``form#calform`` with the hidden docket
fields, the «Выбрана картотека поиска» box, the main fields with the captcha row, then «Дополнительные
параметры поиска» in titled sections, the «Отобразить полный список» checkbox and the two ``booton``
buttons) and ``ksoyu_listing_captcha_gate.html`` (the wrong-answer page: ``div#error`` and the link back
to the form). The saved form is a civil docket's; the criminal first-instance form has the same layout
with the criminal fields. No vintage-engine form was saved: vintage courts get the same form with their
field names (``case__…``, ``parts__…``) inside the vintage module frame.
"""

from __future__ import annotations

from dataclasses import dataclass

from warduty.courts import Court
from warduty.replica.pages import (
    CAPTCHA_WRONG_TEXT,
    DOCKET_TITLE,
    attr,
    footer,
    header,
    search_form_href,
    shell,
    text,
)
from warduty.replica.query import CRIMINAL_FIRST_INSTANCE, Engine

_CALENDAR = '<img src="/images/b_calc.gif" style="width: 15px; height: 17px; border: 0;" align="top">'
_CATALOG = '<img src="/images/arow.gif" style="width: 15px; height: 17px; border: 0;" align="top">'


@dataclass(frozen=True, slots=True)
class FieldNames:
    hidden: tuple[tuple[str, str], ...]
    table: str  # the delo_table value sent after the main fields (standard engine only)
    name: str
    number: str
    uid: str
    entry: str
    result: str
    articles: str
    person_result: str
    published: str
    validity: str
    judge: str
    event: str
    outcome: str
    structure: str


def field_names(engine: Engine, court: Court) -> FieldNames:
    if engine == "vintage":
        return FieldNames(
            hidden=(
                ("name", "sud_delo"),
                ("srv_num", "1"),
                ("name_op", "r"),
                ("_deloId", CRIMINAL_FIRST_INSTANCE),
                ("case__case_type", "0"),
                ("_new", "0"),
                ("case__vnkod", court.code),
            ),
            table="",
            name="parts__namess",
            number="case__case_numberss",
            uid="case__judicial_uidss",
            entry="case__entry_date",
            result="case__result_date",
            articles="parts__law_articless",
            person_result="parts__verdict_date",
            published="document__publ_date",
            validity="document__validity_date",
            judge="case__judge",
            event="event__event_name",
            outcome="case__result",
            structure="case__court_struct",
        )
    return FieldNames(
        hidden=(
            ("name", "sud_delo"),
            ("srv_num", "1"),
            ("name_op", "r"),
            ("delo_id", CRIMINAL_FIRST_INSTANCE),
            ("case_type", "0"),
            ("new", "0"),
        ),
        table="u1_case",
        name="U1_DEFENDANT__NAMESS",
        number="u1_case__CASE_NUMBERSS",
        uid="u1_case__JUDICIAL_UIDSS",
        entry="u1_case__ENTRY_DATE",
        result="u1_case__RESULT_DATE",
        articles="U1_DEFENDANT__LAW_ARTICLESS",
        person_result="U1_DEFENDANT__RESULT_DATE",
        published="U1_DOCUMENT__PUBL_DATE",
        validity="U1_CASE__VALIDITY_DATE",
        judge="U1_CASE__JUDGE",
        event="U1_EVENT__EVENT_NAME",
        outcome="U1_CASE__RESULT",
        structure="U1_CASE__COURT_STRUCT",
    )


def _hidden(name: str, value: str) -> str:
    return f'<input name="{attr(name)}" type="hidden" value="{attr(value)}">'


def _text_input(name: str, *, size: int = 70, extra: str = "") -> str:
    return f'<input name="{attr(name)}" type="text" class="Lookup" size="{size}"{extra}>'


def _main_row(label: str, cell: str) -> str:
    return f'<tr><td style="width:10%;" align="right">{label}</td><td style="width:40%;">{cell}</td></tr>'


def _row(label: str, cell: str) -> str:
    return (
        f'<tr><td style="width:30%" valign="bottom" align="right">{label}</td><td '
        f'style="width:70%">{cell}</td></tr>'
    )


def _range(prefix: str) -> str:
    return (
        f"с <nobr>{_text_input(prefix + '1D', size=10)} {_CALENDAR} по "
        f"{_text_input(prefix + '2D', size=10)} {_CALENDAR}</nobr>"
    )


def _catalog(name: str) -> str:
    return (
        f'{_hidden(name, "")}<input type="text" name="textfield" class="Lookup" size="70" '
        f"disabled> {_CATALOG}"
    )


def _section(title: str) -> str:
    return (
        '<tr><td colspan="2">&nbsp;</td></tr><tr><td colspan="2"><span '
        f'class="title">{title}</span><br></td></tr>'
    )


def _extra_parameters(names: FieldNames) -> str:
    rows = [
        '<tr><td colspan="2" class="title">ДАННЫЕ ПО ДЕЛУ<br></td></tr>',
        _row("Дата поступления", _range(names.entry)),
        _row("Судья", _catalog(names.judge)),
        _row("Дата рассмотрения", _range(names.result)),
        _row("Результат рассмотрения", _catalog(names.outcome)),
        _row("Признак рассмотрения дела", _catalog(names.structure)),
        _section("ДВИЖЕНИЕ ДЕЛА"),
        _row("Наименование события", _catalog(names.event)),
        _row(
            "Дата",
            f'{_text_input(names.event + "_DATEDD", size=10)} <a href="#">{_CALENDAR}</a>',
        ),
        _section("ЛИЦА"),
        _row("Статья УК РФ", _text_input(names.articles)),
        _row("Дата рассмотрения дела в отношении лица", _range(names.person_result)),
        _section("РЕШЕНИЯ"),
        _row("Дата публикации", _range(names.published)),
        _row("Дата вступления в законную силу", _range(names.validity)),
        '<tr><td align="center" colspan="2"><br><input name="list" type="checkbox" '
        'class="checkbox" value="ON">'
        "&nbsp;Отобразить полный список</td></tr>",
    ]
    return f'<table width="100%" cellpadding="1" cellspacing="2" border="0">{"".join(rows)}</table>'


def search_form_page(
    court: Court,
    engine: Engine,
    *,
    captcha_png_base64: str | None = None,
    captcha_id: str | None = None,
) -> str:
    """The search form; with a captcha row when an image and id are given."""
    names = field_names(engine, court)
    main = [
        _main_row("Фамилия", _text_input(names.name)),
        _main_row("Номер дела (материала)", _text_input(names.number)),
        _main_row(
            "Уникальный идентификатор дела",
            f'<input name="{attr(names.uid)}" type="text" class="Lookup masked" size="70" '
            'id="case__JUDICIAL_UIDSS" data-placeholder="XXXXXXXX-XX-YYYY-XXXXXX-XX">',
        ),
    ]
    if captcha_png_base64 is not None and captcha_id is not None:
        main.append(
            _main_row(
                "Проверочный код",
                '<input name="captcha" autocomplete="off" id="captcha" type="text" class="Lookup" size="10"> '
                f'<img src="data: image/png;base64, {captcha_png_base64}" style="border: 1px solid '
                '#4a739d;"> '
                f"{_hidden('captchaid', captcha_id)}",
            )
        )
    hidden = "".join(_hidden(name, value) for name, value in names.hidden)
    table = _hidden("delo_table", names.table) if names.table else ""
    content = (
        f'<div id="content"><form action="" method="get" name="calform" id="calform">{hidden}'
        '<table width="100%" cellpadding="0" cellspacing="0" border="0"><tr>'
        '<td style="width:50%; border: 1px solid #CECECE;" align="center"><div id="case_type">'
        f'Выбрана картотека поиска:<br><div style="color:#006699; font-size:20px">{DOCKET_TITLE}</div>'
        '<div style="text-align: right; padding:0 10px 6px 0"><a href="#">Изменить</a></div></div></td></tr>'
        '<tr><td style="text-align: center">Поиск по делам'
        f'<table width="100%" cellpadding="0" cellspacing="2" border="0">{"".join(main)}</table></td></tr>'
        f'</table>{table}<div id="line"></div><div style="text-align: center;">Дополнительные '
        "параметры поиска"
        f'</div><div id="line"></div>{_extra_parameters(names)}<div id="line"></div>'
        '<div align="center" style="margin-top:10px;"><input name="Submit" type="submit" class="booton" '
        'value="Найти"> <input name="Reset" type="reset" class="booton" value="Очистить"><br></div>'
        "</form></div>"
    )
    return shell(court, header(engine) + content + footer(engine))


def wrong_captcha_page(court: Court, engine: Engine) -> str:
    """A search with a wrong captcha answer: the message and the way back to the form, no new image."""
    content = (
        f'<div id="content"><div align="center" id="error">{text(CAPTCHA_WRONG_TEXT)}<br><br>'
        f'<a href="{search_form_href()}">Вернуться на форму поиска</a><a></a></div><a></a></div>'
    )
    return shell(court, header(engine) + content + footer(engine))
